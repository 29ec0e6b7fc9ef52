from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from emslirp import reminder_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.ResetRequestView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("reminders/", reminder_views.reminders, name="reminders"),
    path("reminders/remind-now/", reminder_views.reminders_remind_now, name="reminders_remind_now"),
    path("accreditation/", include("accreditation.urls")),
    path("calendar/", include("calendar_planner.urls")),
    path("reviews/", include("reviews.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("intelligence/", include("reviews.intelligence.urls")),
    path("admin/", admin.site.urls),
]
