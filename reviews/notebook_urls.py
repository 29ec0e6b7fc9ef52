"""URLs of the notebook pages, added to the reviews namespace by reviews/urls.py."""

from django.urls import path

from reviews import notebook_views

urlpatterns: list = [
    path("<int:pk>/notebook/", notebook_views.notebook, name="notebook"),
    path(
        "<int:pk>/notebook/hypothesis/<int:hypothesis_pk>/notes/",
        notebook_views.notebook_notes,
        name="notebook_notes",
    ),
    path("<int:pk>/verbal-feedback/", notebook_views.verbal_feedback, name="verbal_feedback"),
    path("<int:pk>/emerging-issues/", notebook_views.emerging_issues, name="emerging_issues"),
]
