"""Regional intelligence's URLs, under /intelligence/ (namespace "intelligence")."""

from django.urls import path

from reviews.intelligence.views import trace

app_name = "intelligence"
urlpatterns: list = [
    path("actions/<int:action_pk>/trace/", trace.trace, name="trace"),
]
