"""URLs of the escalation pages, added to the reviews namespace by reviews/urls.py."""

from django.urls import path

from reviews import escalation_views

urlpatterns: list = [
    path("<int:pk>/escalations/", escalation_views.escalations, name="escalations"),
    path(
        "<int:pk>/escalations/<int:escalation_pk>/",
        escalation_views.escalation,
        name="escalation",
    ),
]
