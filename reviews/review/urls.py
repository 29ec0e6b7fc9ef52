"""URLs of reviews and their teams, added to the reviews namespace by reviews/urls.py."""

from django.urls import path

from reviews.review import views

urlpatterns: list = [
    path("", views.review_list, name="review_list"),
    path("<int:pk>/state/", views.review_state, name="review_state"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_remove, name="team_remove"),
]
