"""E-mails of accreditation, sent by the worker once the change has committed."""

from django.conf import settings
from django.db import transaction
from django.template import loader
from django.urls import reverse

from emslirp.tasks import task_send_email


def _send(*, template: str, subject: str, to: str, context: dict) -> None:
    context = {**context, "site_name": settings.SERVICE_NAME, "base_url": settings.BASE_URL}
    body = loader.render_to_string(f"accreditation/email/{template}.txt", context)
    transaction.on_commit(lambda: task_send_email.delay(subject=subject, body=body, to=[to]))


def eoi_submitted(*, application, sponsor) -> None:
    _send(
        template="eoi_submitted",
        subject=f"{application.applicant} asks you to sponsor them as a peer reviewer",
        to=sponsor.email,
        context={
            "application": application,
            "sponsor": sponsor,
            "url": reverse("accreditation:sponsor_decide", args=[application.pk]),
        },
    )


def eoi_decided(*, application) -> None:
    _send(
        template="eoi_decided",
        subject="Your sponsor has decided on your application",
        to=application.applicant.email,
        context={
            "application": application,
            "requests": list(application.role_requests.all()),
            "url": reverse("home"),
        },
    )
