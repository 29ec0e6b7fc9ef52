"""Celery tasks of the reviews. Thin: they load by key and call a service."""

import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from reviews import letters
from reviews.models import LetterPdf

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
