"""URLs of the escalation pages, added to the reviews namespace by reviews/urls.py."""

from django.urls import path

from reviews.escalations import views

urlpatterns: list = [
    path("<int:pk>/escalations/", views.escalations, name="escalations"),
    path(
        "<int:pk>/escalations/<int:escalation_pk>/",
        views.escalation,
        name="escalation",
    ),
]
