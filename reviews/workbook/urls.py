"""URLs of the workbook: hypotheses, deployment, the notebook, the verbal feedback record
and emerging issues, added to the reviews namespace by reviews/urls.py."""

from django.urls import path

from reviews.workbook.views import hypotheses, notebook, verbal_feedback

urlpatterns: list = [
    path("<int:pk>/hypotheses/", hypotheses.hypotheses, name="hypotheses"),
    path("<int:pk>/deployment/", hypotheses.deployment, name="deployment"),
    path("<int:pk>/notebook/", notebook.notebook, name="notebook"),
    path(
        "<int:pk>/notebook/hypothesis/<int:hypothesis_pk>/notes/",
        notebook.notebook_notes,
        name="notebook_notes",
    ),
    path(
        "<int:pk>/verbal-feedback/",
        verbal_feedback.verbal_feedback,
        name="verbal_feedback",
    ),
    path(
        "<int:pk>/emerging-issues/",
        verbal_feedback.emerging_issues,
        name="emerging_issues",
    ),
]
