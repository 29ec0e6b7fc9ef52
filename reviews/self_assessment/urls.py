"""URLs of self-assessments (R17, R29, R32), added to the reviews namespace by
reviews/urls.py."""

from django.urls import path

from reviews.self_assessment import views

urlpatterns: list = [
    path("self-assessment/", views.self_assessment_index, name="self_assessment_index"),
    path("self-assessment/start/", views.self_assessment_start, name="self_assessment_start"),
    path("self-assessment/<int:pk>/", views.self_assessment, name="self_assessment"),
    path(
        "self-assessment/<int:pk>/autosave/",
        views.self_assessment_autosave,
        name="self_assessment_autosave",
    ),
    path(
        "self-assessment/<int:pk>/delegates/",
        views.self_assessment_delegates,
        name="self_assessment_delegates",
    ),
    path(
        "self-assessment/<int:pk>/delegates/<int:person_pk>/withdraw/",
        views.self_assessment_delegation_withdraw,
        name="self_assessment_delegation_withdraw",
    ),
    path(
        "self-assessments/",
        views.self_assessments_of_region,
        name="self_assessments_of_region",
    ),
]
