"""R1: the register of local authorities, their active ranges, successors and aliases."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from emslirp import selectors, services
from emslirp.models import LocalAuthority, PostKind
from tests.factories import LocalAuthorityFactory, PostFactory, RegionFactory
from tests.region_names import HANDBOOK_NINE, TODAYS_TEN

pytestmark = pytest.mark.django_db


def names(qs):
    return [la.name for la in qs]


def test_seed_has_the_handbook_nine_in_2012(east_midlands):
    active = selectors.local_authorities_active(region=east_midlands, on=datetime.date(2012, 1, 1))
    assert names(active) == HANDBOOK_NINE


def test_seed_has_ten_after_northamptonshire_is_replaced(east_midlands):
    assert (
        names(
            selectors.local_authorities_active(region=east_midlands, on=datetime.date(2021, 4, 1))
        )
        == TODAYS_TEN
    )
    assert "Northamptonshire" in names(
        selectors.local_authorities_active(region=east_midlands, on=datetime.date(2021, 3, 31))
    )


def test_northamptonshire_successors(la):
    northants = la("Northamptonshire")
    assert names(northants.successors.order_by("name")) == [
        "North Northamptonshire",
        "West Northamptonshire",
    ]
    assert names(la("West Northamptonshire").predecessors.all()) == ["Northamptonshire"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Derby City", "Derby City"),
        ("derby city", "Derby City"),
        ("DERBY", "Derby City"),
        ("  Leicester  ", "Leicester City"),
        ("nottingham", "Nottingham City"),
        ("Nottinghamshire", "Nottinghamshire"),
        ("Rutland", "Rutland"),
    ],
)
def test_find_by_name_or_alias_ignoring_case(east_midlands, typed, expected):
    assert selectors.local_authority_find(name=typed, region=east_midlands).name == expected


def test_find_refuses_unknown_and_inactive_names(east_midlands):
    assert selectors.local_authority_find(name="Derbyshire Dales", region=east_midlands) is None
    assert selectors.local_authority_find(name="", region=east_midlands) is None
    assert (
        selectors.local_authority_find(
            name="Northamptonshire", region=east_midlands, on=datetime.date(2022, 1, 1)
        )
        is None
    )
    assert (
        selectors.local_authority_find(
            name="North Northamptonshire", region=east_midlands, on=datetime.date(2012, 1, 1)
        )
        is None
    )


def test_find_is_limited_to_the_region(east_midlands):
    elsewhere = LocalAuthorityFactory(region=RegionFactory(name="North West"), name="Wigan")
    assert selectors.local_authority_find(name="wigan", region=east_midlands) is None
    assert selectors.local_authority_find(name="wigan") == elsewhere


def test_names_are_unique_whatever_the_case(east_midlands):
    with pytest.raises(IntegrityError):
        LocalAuthority.objects.create(
            region=east_midlands, name="RUTLAND", active_from=datetime.date(2000, 1, 1)
        )


def test_active_range_must_be_ordered(east_midlands):
    with pytest.raises(IntegrityError):
        LocalAuthority.objects.create(
            region=east_midlands,
            name="Backwardshire",
            active_from=datetime.date(2000, 1, 2),
            active_to=datetime.date(2000, 1, 1),
        )


def test_an_la_cannot_close_while_a_post_in_it_runs_on(east_midlands):
    # R1/R3: the LA's days must cover its posts; a post is ended before its LA is.
    rutland = LocalAuthority.objects.get(name="Rutland")
    PostFactory(kind=PostKind.DCS, local_authority=rutland, started_on=datetime.date(2020, 1, 1))
    rutland.active_to = datetime.date(2026, 12, 31)
    with pytest.raises(ValidationError) as refused:
        services.local_authority_check(local_authority=rutland)
    assert refused.value.message_dict == {
        "active_to": ["1 post in Rutland falls outside these days: end or correct them first."]
    }


def test_an_la_cannot_start_after_a_post_in_it_began(east_midlands):
    rutland = LocalAuthority.objects.get(name="Rutland")
    PostFactory(
        kind=PostKind.DCS,
        local_authority=rutland,
        started_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2020, 12, 31),
    )
    rutland.active_from = datetime.date(2021, 1, 1)
    with pytest.raises(ValidationError) as refused:
        services.local_authority_check(local_authority=rutland)
    assert list(refused.value.message_dict) == ["active_from"]
    rutland.active_from = datetime.date(2019, 1, 1)
    services.local_authority_check(local_authority=rutland)
