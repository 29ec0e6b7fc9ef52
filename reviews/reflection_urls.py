"""URLs of the reflection pages, added to the reviews namespace by reviews/urls.py."""

from django.urls import path

from reviews import reflection_views

urlpatterns: list = [
    path("<int:pk>/reflection/", reflection_views.reflection, name="reflection"),
    path(
        "<int:pk>/reflections/",
        reflection_views.reflections_composite,
        name="reflections_composite",
    ),
    path(
        "<int:pk>/reflections/completion/",
        reflection_views.reflections_completion,
        name="reflections_completion",
    ),
    path(
        "<int:pk>/reflections/completion/remind/",
        reflection_views.reflections_remind,
        name="reflections_remind",
    ),
]
