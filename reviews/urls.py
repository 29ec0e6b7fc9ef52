from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="review_list"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/hypotheses/", views.hypotheses, name="hypotheses"),
    path("<int:pk>/onsite/", views.onsite, name="onsite"),
    path("<int:pk>/state/", views.review_state, name="review_state"),
    path("<int:pk>/deployment/", views.deployment, name="deployment"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_remove, name="team_remove"),
]

# Self-assessments (R17, R29, R32).
from reviews import self_assessment_views  # noqa: E402

urlpatterns += [
    path(
        "self-assessment/",
        self_assessment_views.self_assessment_index,
        name="self_assessment_index",
    ),
    path(
        "self-assessment/start/",
        self_assessment_views.self_assessment_start,
        name="self_assessment_start",
    ),
    path(
        "self-assessment/<int:pk>/",
        self_assessment_views.self_assessment,
        name="self_assessment",
    ),
    path(
        "self-assessment/<int:pk>/autosave/",
        self_assessment_views.self_assessment_autosave,
        name="self_assessment_autosave",
    ),
    path(
        "self-assessment/<int:pk>/delegates/",
        self_assessment_views.self_assessment_delegates,
        name="self_assessment_delegates",
    ),
    path(
        "self-assessment/<int:pk>/delegates/<int:person_pk>/withdraw/",
        self_assessment_views.self_assessment_delegation_withdraw,
        name="self_assessment_delegation_withdraw",
    ),
    path(
        "self-assessments/",
        self_assessment_views.self_assessments_of_region,
        name="self_assessments_of_region",
    ),
]

# On site and after (R21–R27): each part keeps its own URLs, in the same namespace.
from reviews import escalation_urls, letter_urls, notebook_urls, reflection_urls  # noqa: E402

urlpatterns += (
    notebook_urls.urlpatterns
    + letter_urls.urlpatterns
    + escalation_urls.urlpatterns
    + reflection_urls.urlpatterns
)
