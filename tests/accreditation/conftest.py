import datetime

import pytest

from emslirp.models import PostKind
from tests.factories import PostFactory, UserFactory


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
