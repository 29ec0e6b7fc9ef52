"""Celery tasks of the region's core. Thin: they load by key and call a service."""

import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def task_send_email(*, subject: str, body: str, to: list[str], html_body: str | None = None):
    """Send one e-mail. Runs in the worker so that a slow mail server never holds a page."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
    logger.info("sent e-mail %r to %d recipient(s)", subject, len(to))
