"""Blackouts in the admin: a coordinator sees and changes only their own region's (R2,
R31), and the list's query count is pinned."""

import datetime

import pytest
from django.urls import reverse

from calendar_planner.models import Blackout
from tests.factories import LocalAuthorityFactory

D = datetime.date


def _blackout(la, n=0):
    return Blackout.objects.create(
        local_authority=la,
        starts_on=D(2027, 1 + n, 1),
        ends_on=D(2027, 1 + n, 28),
        reason=f"Inspection {n}",
    )


def test_a_coordinator_sees_only_their_regions_blackouts(
    client, coordinator, la, other_region_coordinator
):
    ours = _blackout(la("Rutland"))
    theirs = _blackout(LocalAuthorityFactory(region=other_region_coordinator.region, name="Bolton"))
    client.force_login(coordinator)
    response = client.get(reverse("admin:calendar_planner_blackout_changelist"))
    assert list(response.context["cl"].result_list) == [ours]
    url = reverse("admin:calendar_planner_blackout_change", args=[theirs.pk])
    assert client.get(url).status_code == 302  # the admin's "does not exist" redirect
    assert Blackout.objects.get(pk=theirs.pk).reason == "Inspection 0"


def test_a_coordinator_adds_a_blackout_for_their_region_only(
    client, coordinator, la, other_region_coordinator
):
    elsewhere = LocalAuthorityFactory(region=other_region_coordinator.region, name="Bolton")
    client.force_login(coordinator)
    url = reverse("admin:calendar_planner_blackout_add")
    data = {"starts_on": "2027-02-01", "ends_on": "2027-01-01", "reason": "Inspection"}
    response = client.post(url, {**data, "local_authority": elsewhere.pk})
    assert "Select a valid choice" in str(
        response.context["adminform"].form.errors["local_authority"]
    )
    response = client.post(url, {**data, "local_authority": la("Rutland").pk})
    assert response.context["adminform"].form.errors["ends_on"] == [
        "The last day cannot be before the first."
    ]
    assert Blackout.objects.count() == 0
    response = client.post(
        url, {**data, "ends_on": "2027-03-31", "local_authority": la("Rutland").pk}
    )
    assert response.status_code == 302
    assert Blackout.objects.get().local_authority == la("Rutland")


@pytest.mark.parametrize("count", [1, 3])
def test_blackout_list_query_count_is_pinned(
    client, coordinator, la, count, django_assert_num_queries
):
    for n in range(count):
        _blackout(la(["Rutland", "Derbyshire", "Lincolnshire"][n]), n)
    client.force_login(coordinator)
    with django_assert_num_queries(10):
        response = client.get(reverse("admin:calendar_planner_blackout_changelist"))
    assert len(response.context["cl"].result_list) == count
