"""Celery tasks of the calendar. Thin: they load by key and call a service."""

import logging

from celery import shared_task

from calendar_planner.models import Programme
from calendar_planner.services import programme_plan

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def task_programme_plan(*, programme_id: int):
    """Plan a programme in the worker: planning 33 LAs takes seconds, never a request's."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        logger.info("programme %s is gone; nothing to plan", programme_id)
        return
    programme = programme_plan(programme=programme)
    logger.info("programme %s planned: %s", programme_id, programme.state)
