"""R1: the register of local authorities, their active ranges, successors and aliases."""

import datetime

import pytest
from django.db import IntegrityError

from emslirp import selectors
from emslirp.models import LocalAuthority
from tests.factories import LocalAuthorityFactory, RegionFactory

pytestmark = pytest.mark.django_db

HANDBOOK_NINE = [
    "Derby City",
    "Derbyshire",
    "Leicester City",
    "Leicestershire",
    "Lincolnshire",
    "Northamptonshire",
    "Nottingham City",
    "Nottinghamshire",
    "Rutland",
]
TODAYS_TEN = [
    "Derby City",
    "Derbyshire",
    "Leicester City",
    "Leicestershire",
    "Lincolnshire",
    "North Northamptonshire",
    "Nottingham City",
    "Nottinghamshire",
    "Rutland",
    "West Northamptonshire",
]


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
