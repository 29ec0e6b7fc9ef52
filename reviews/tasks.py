"""Celery tasks of the reviews. Thin: they load by key and call a service."""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from reviews.intelligence.models import RegionalReport
from reviews.intelligence.services import regional
from reviews.letter import pdf as letters
from reviews.letter.models import LetterPdf
from reviews.reflections import services as reflections

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def task_letter_pdf_render(*, pdf_id: int):
    """Make a letter's PDF in the worker (R23): a page never waits for WeasyPrint."""
    pdf = LetterPdf.objects.defer("content", "html").filter(pk=pdf_id).first()
    if pdf is None:
        logger.info("letter PDF %s is gone: nothing to make", pdf_id)
        return
    try:
        letters.letter_pdf_render(pdf=pdf)
    except ValidationError as error:
        # A task delivered twice finds its PDF made already: it is left as it is.
        logger.warning("letter PDF %s not made: %s", pdf_id, " ".join(error.messages))


@shared_task(acks_late=True)
def task_reflections_missed_flag():
    """Once a day, in the worker: flag the accreditations of those whose reflection was
    not submitted by its closing day (R8). Running twice flags nothing twice."""
    flagged = reflections.reflections_missed_flag(on=timezone.localdate())
    logger.info("reflections missed: %s accreditation(s) flagged", flagged)


@shared_task(acks_late=True)
def task_regional_report_render(*, report_id: int):
    """Make the regional picture's PDF in the worker (R28): the page never waits for it."""
    report = RegionalReport.objects.defer("content").filter(pk=report_id).first()
    if report is None:
        logger.info("regional report %s is gone: nothing to make", report_id)
        return
    regional.regional_report_render(report=report)
