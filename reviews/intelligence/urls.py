"""Regional intelligence's URLs, under /intelligence/ (namespace "intelligence")."""

from django.urls import path

from reviews.intelligence.views import themes

app_name = "intelligence"
urlpatterns: list = [
    # The region's themes and the tagging of final letters (R28).
    path("<int:region_pk>/themes/", themes.themes, name="themes"),
    path("<int:region_pk>/themes/add/", themes.theme_add, name="theme_add"),
    path("<int:region_pk>/themes/<int:theme_pk>/", themes.theme_change, name="theme"),
    path("<int:region_pk>/themes/<int:theme_pk>/state/", themes.theme_state, name="theme_state"),
    path("reviews/<int:pk>/themes/", themes.review_tags, name="review_tags"),
]
