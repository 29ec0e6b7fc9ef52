"""Regional intelligence's URLs, under /intelligence/ (namespace "intelligence")."""

from django.urls import path

from reviews.intelligence.views import follow_up, trace

app_name = "intelligence"
urlpatterns: list = [
    path("actions/<int:action_pk>/trace/", trace.trace, name="trace"),
]
# Agreed actions followed up and self-awareness (R38, R39).
urlpatterns += [
    path(
        "self-assessment/<int:pk>/actions/",
        follow_up.self_assessment_actions,
        name="self_assessment_actions",
    ),
    path("review/<int:pk>/actions/", follow_up.review_actions, name="review_actions"),
    path("la/<int:la_pk>/self-awareness/", follow_up.self_awareness, name="self_awareness"),
]
