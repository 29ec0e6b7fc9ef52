import pytest
from django.utils import timezone

from emslirp.models import LocalAuthority, Region
from tests.factories import PostFactory, RegionFactory, UserFactory


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
    worker start one (tests/emslirp/test_tasks.py)."""
    from emslirp.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager
