import datetime

import pytest

from emslirp.models import PostKind
from tests.factories import PostFactory, UserFactory

# Tests that tell accreditation's story in concrete dates (sponsored in September,
# trained on 14 October, flagged after a mandatory day in March) run on this day.
STORY_DAY = datetime.date(2026, 11, 27)


@pytest.fixture
def story_day(on_day):
    """The whole clock on STORY_DAY, for a module whose data is dated (STYLE 11)."""
    on_day(STORY_DAY)
    return STORY_DAY


@pytest.fixture
def rutland(la):
    return la("Rutland")


@pytest.fixture
def rutland_dcs(rutland, east_midlands):
    dcs = UserFactory(full_name="Rhona Director", region=east_midlands)
    PostFactory(
        holder=dcs, kind=PostKind.DCS, local_authority=rutland, started_on=datetime.date(2020, 1, 1)
    )
    return dcs


@pytest.fixture
def applicant(east_midlands):
    return UserFactory(full_name="Nia Newcomer", region=east_midlands, email="nia@example.org")
