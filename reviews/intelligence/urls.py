"""Regional intelligence's URLs, under /intelligence/ (namespace "intelligence")."""

from django.urls import path

from reviews.intelligence.views import regional

app_name = "intelligence"
urlpatterns: list = [
    path("<int:region_pk>/", regional.region, name="region"),
    path("<int:region_pk>/report/", regional.region_report, name="region_report"),
    path(
        "<int:region_pk>/report/<int:report_pk>.pdf",
        regional.region_report_download,
        name="region_report_download",
    ),
    path(
        "<int:region_pk>/<slug:chart>.<slug:kind>",
        regional.region_export,
        name="region_export",
    ),
]
