from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/hypotheses/", views.hypotheses, name="hypotheses"),
    path("<int:pk>/onsite/", views.onsite, name="onsite"),
    path("<int:pk>/deployment/", views.deployment, name="deployment"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_remove, name="team_remove"),
]
