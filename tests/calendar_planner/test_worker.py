"""Planning runs in the worker, never in the request (R10): a real Celery worker on the
configured broker (in memory locally, Redis in CI) plans a programme once its creation
commits."""

import datetime
import time

import pytest

from calendar_planner import services
from calendar_planner.models import Programme, ProgrammeState

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.celery_worker,
]


def test_the_worker_plans_a_programme_after_commit(
    real_worker,
    east_midlands,
    coordinator,
):
    # Outside a transaction the task is dispatched as soon as the programme is saved.
    programme = services.programme_create(
        region=east_midlands,
        kind="pctr",
        starts_on=datetime.date(2026, 1, 1),
        years=3,
        interval=None,
        seed=0,
        by=coordinator,
    )
    assert programme.state == ProgrammeState.PLANNING
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        programme.refresh_from_db()
        if programme.state != ProgrammeState.PLANNING:
            break
        time.sleep(0.1)
    assert programme.state == ProgrammeState.DRAFT
    assert programme.entries.count() == 10
    assert Programme.objects.count() == 1
