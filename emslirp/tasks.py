"""Celery tasks of the region's core. Thin: they load by key and call a service."""

import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from emslirp.reminders import reminder_send, reminders_sweep

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def task_send_email(*, subject: str, body: str, to: list[str], html_body: str | None = None):
    """Send one e-mail. Runs in the worker so that a slow mail server never holds a page."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
    logger.info("sent e-mail %r to %d recipient(s)", subject, len(to))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def task_reminders_sweep():
    """Celery beat's sweep of the deadlines (R37)."""
    reminders_sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def task_reminder_send(*, reminder_id: int):
    """Send one reminder of the outbox. Acknowledged only once done, and given back to the
    broker if the worker dies: the row's lock and state make a second delivery harmless."""
    outcome = reminder_send(pk=reminder_id)
    logger.info("reminder %d: %s", reminder_id, outcome)


@shared_task(acks_late=True)
def task_form_tokens_purge():
    """Celery beat's daily removal of form tokens too old to meet a repeat (STYLE 13)."""
    from emslirp.idempotency import form_tokens_purge

    logger.info("form tokens purged: %d", form_tokens_purge())
