"""Celery tasks of the calendar. Thin: they load by key and call a service."""

import logging

from celery import shared_task

from calendar_planner.models import Programme
from calendar_planner.services import programme_fail, programme_plan

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def task_programme_plan(*, programme_id: int):
    """Plan a programme in the worker: planning 33 LAs takes seconds, never a request's."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        logger.info("programme %s is gone; nothing to plan", programme_id)
        return
    try:
        programme = programme_plan(programme=programme)
    except Exception:
        # Whatever went wrong, the coordinator's page must stop waiting and say so.
        logger.exception("planning programme %s stopped with an error", programme_id)
        programme_fail(
            programme=programme,
            reason="The planner stopped with an error. Delete this calendar and try again; "
            "if it happens again, tell technical staff.",
        )
        raise
    logger.info("programme %s planned: %s", programme_id, programme.state)
