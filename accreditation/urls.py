from django.urls import path

from accreditation import views

app_name = "accreditation"
urlpatterns = [
    path("application/", views.application, name="application"),
    path("application/sent/", views.application_sent, name="application_sent"),
    path("sponsor/", views.sponsor_list, name="sponsor_list"),
    path("sponsor/<int:pk>/", views.sponsor_decide, name="sponsor_decide"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/withdraw/", views.conflict_withdraw, name="conflict_withdraw"),
    path("pool/", views.pool, name="pool"),
    path("pool/<int:region_pk>/", views.pool, name="pool_region"),
]
