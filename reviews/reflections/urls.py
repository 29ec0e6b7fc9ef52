"""URLs of the reflection pages, added to the reviews namespace by reviews/urls.py."""

from django.urls import path

from reviews.reflections import views

urlpatterns: list = [
    path("<int:pk>/reflection/", views.reflection, name="reflection"),
    path(
        "<int:pk>/reflections/",
        views.reflections_composite,
        name="reflections_composite",
    ),
    path(
        "<int:pk>/reflections/completion/",
        views.reflections_completion,
        name="reflections_completion",
    ),
    path(
        "<int:pk>/reflections/completion/remind/",
        views.reflections_remind,
        name="reflections_remind",
    ),
]
