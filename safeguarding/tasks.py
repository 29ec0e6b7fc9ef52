"""Celery tasks of safeguarding. Thin: they load by key and call a service."""

import logging

from celery import shared_task

from safeguarding import services
from safeguarding.models import IncidentPdf

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def task_incident_pdf_render(*, pdf_id: int):
    """Make the PDF of a critical incident record that someone asked for (R25)."""
    pdf = IncidentPdf.objects.select_related("incident__review").filter(pk=pdf_id).first()
    if pdf is None:
        logger.info("incident PDF %s is gone; nothing to render", pdf_id)
        return
    services.incident_pdf_render(pdf=pdf)
