"""Regional intelligence's URLs, under /intelligence/ (namespace "intelligence")."""

from django.urls import path

from reviews.intelligence.views import follow_up, regional, themes, trace

app_name = "intelligence"
urlpatterns: list = [
    # The regional picture, its exports and its report (R28, R38, R39).
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
    # The region's themes and the tagging of final letters (R28).
    path("<int:region_pk>/themes/", themes.themes, name="themes"),
    path("<int:region_pk>/themes/add/", themes.theme_add, name="theme_add"),
    path("<int:region_pk>/themes/<int:theme_pk>/", themes.theme_change, name="theme"),
    path("<int:region_pk>/themes/<int:theme_pk>/state/", themes.theme_state, name="theme_state"),
    path("reviews/<int:pk>/themes/", themes.review_tags, name="review_tags"),
    # Agreed actions followed up and self-awareness (R38, R39).
    path(
        "self-assessment/<int:pk>/actions/",
        follow_up.self_assessment_actions,
        name="self_assessment_actions",
    ),
    path("reviews/<int:pk>/actions/", follow_up.review_actions, name="review_actions"),
    path("la/<int:la_pk>/self-awareness/", follow_up.self_awareness, name="self_awareness"),
    # Every action traced (R40).
    path("actions/<int:action_pk>/trace/", trace.trace, name="trace"),
]
