"""E-mails of accreditation, sent by the worker once the change has committed."""

from django.urls import reverse

from emslirp.notices import email_after_commit


def _send(*, template: str, subject: str, to: str, context: dict) -> None:
    email_after_commit(
        template=f"accreditation/email/{template}.txt", subject=subject, to=[to], context=context
    )


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
