from django.urls import path

from calendar_planner import views

app_name = "calendar_planner"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", views.programme, name="programme"),
    path("programmes/<int:pk>/check/", views.programme_check, name="programme_check"),
    path("programmes/<int:pk>/delete/", views.programme_delete, name="programme_delete"),
    path("programmes/<int:pk>/calendar.csv", views.programme_csv, name="programme_csv"),
    path("involvement/", views.matrix, name="matrix"),
    path("calendar.csv", views.export_csv, name="export_csv"),
    path("calendar.ics", views.export_ics, name="export_ics"),
    path("extra/", views.extra_request, name="extra_request"),
    path("extra/<int:pk>/", views.extra_decide, name="extra_decide"),
]
