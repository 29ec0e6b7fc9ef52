"""Critical incidents (R25)."""

from django.urls import path

from safeguarding import views

app_name = "safeguarding"
urlpatterns = [
    path("review/<int:review_pk>/incidents/", views.incidents, name="incidents"),
    path("review/<int:review_pk>/incidents/raise/", views.incident_raise, name="incident_raise"),
    path("incident/<int:pk>/", views.incident, name="incident"),
    path("incident/<int:pk>/pdf/<int:pdf_pk>/", views.incident_pdf, name="incident_pdf"),
]
