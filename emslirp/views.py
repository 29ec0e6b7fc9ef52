"""Pages of the region's core: the home page and signing in."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from emslirp import deadlines, selectors
from emslirp.forms import NewPasswordForm, ResetRequestForm, SignInForm
from emslirp.home import home_parts_gather
from emslirp.permissions import is_coordinator


def most_urgent_first(items: list[dict], *, today) -> list[dict]:
    """What needs a person, soonest due first (overdue first of all, and marked so); then
    what has no due date, longest waiting first."""
    dated = sorted(
        ({**i, "overdue": i["due"] < today} for i in items if i.get("due")),
        key=lambda i: i["due"],
    )
    waiting = sorted(
        (i for i in items if not i.get("due")),
        key=lambda i: (i.get("since") is None, i.get("since") or 0),
    )
    return dated + waiting


@login_required
def home(request):
    """A signed-in person's posts, their part in the accredited pool, and what needs them.
    The project's home page gathers from the apps' registered parts (``emslirp.home``)."""
    today = timezone.localdate()
    posts = list(selectors.posts_of(person=request.user))
    current_posts = [p for p in posts if p.is_held_on(today)]
    apps = home_parts_gather(person=request.user, on=today, current_posts=current_posts)
    # Every deadline waiting for them (R37): the same ones the reminders are sent for.
    waiting = [
        {"title": d.title, "url": d.url, "due": d.due_on}
        for d in deadlines.deadlines_for(person=request.user, on=today)
    ]
    return render(
        request,
        "emslirp/home.html",
        {
            "current_posts": current_posts,
            "past_posts": [p for p in posts if p.ended_on is not None and p.ended_on < today],
            "future_posts": [p for p in posts if p.started_on > today],
            **apps,
            "needs_you": most_urgent_first(waiting + apps["needs_you"], today=today),
            "is_coordinator": is_coordinator(request.user),
        },
    )


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_email_context = {"site_name": settings.SERVICE_NAME}


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")
