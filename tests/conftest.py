import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import task_postrun
from django.db import connections
from django.utils import timezone

from emslirp.celery import app as celery_app
from emslirp.models import LocalAuthority, Region
from tests.clock import ENVIRONMENT_VARIABLE, moment, suite_day
from tests.factories import PostFactory, RegionFactory, UserFactory

SUITE_DAY = suite_day()


def pytest_report_header(config):
    return (
        f"the suite's day: {SUITE_DAY.isoformat()} "
        f"(replay it with {ENVIRONMENT_VARIABLE}={SUITE_DAY.isoformat()})"
    )


@pytest.fixture(autouse=True)
def clock():
    """The whole clock moved to the suite's day at mid-morning London time, and ticking
    from there (STYLE 11). ``on_day`` moves it to another day."""
    with time_machine.travel(moment(SUITE_DAY), tick=True) as traveller:
        yield traveller


@pytest.fixture
def east_midlands(db):
    """The region the seed migration creates (R1)."""
    return Region.objects.get(name="East Midlands")


@pytest.fixture
def la(east_midlands):
    def get(name):
        return LocalAuthority.objects.get(region=east_midlands, name=name)

    return get


@pytest.fixture
def coordinator(east_midlands):
    """A current SDSA coordinator of the East Midlands: staff, never a superuser."""
    person = UserFactory(is_staff=True, region=east_midlands, full_name="Coral Ordinator")
    PostFactory(coordinator=True, holder=person, region=east_midlands)
    return person


@pytest.fixture
def other_region_coordinator(db):
    region = RegionFactory(name="North West")
    person = UserFactory(is_staff=True, region=region, full_name="Owen Elsewhere")
    PostFactory(coordinator=True, holder=person, region=region)
    return person


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Tasks run in-process in tests, whatever the broker; the tests that need a real
    worker ask for ``real_worker``."""
    from emslirp.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


def _close_worker_connections(**kwargs):
    # Runs in the worker's thread: closes that thread's connections only.
    connections.close_all()


@pytest.fixture
def real_worker(monkeypatch):
    """A real Celery worker, in a thread of the test process, on the configured broker."""
    # A worker process closes the database connections it inherited from its parent when it
    # starts; this worker is a thread of the test process and would close the test's own.
    monkeypatch.setattr(DjangoWorkerFixup, "install", lambda self: self)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    # Without the fixup the worker thread would keep the database connection it opened for
    # a task, and PostgreSQL refuses to drop a test database someone is still using.
    task_postrun.connect(_close_worker_connections)
    try:
        with start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=10,
            loglevel="WARNING",
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)
        celery_app.conf.task_always_eager = eager


@pytest.fixture
def on_day(clock):
    """``on_day(date)`` moves the whole clock to ``date`` at mid-morning London time (or
    ``on_day(date, at=time)`` to that time); call it again to move the day on."""

    def set_today(day, at=None):
        clock.move_to(moment(day, at) if at else moment(day))

    return set_today
