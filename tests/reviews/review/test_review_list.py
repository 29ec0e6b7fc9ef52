"""The coordinator's list of the region's reviews (R2, R31): theirs alone, filtered by
kind and state, its query count pinned."""

import datetime

import pytest
from django.urls import reverse

from emslirp.models import PostKind
from tests.calendar_planner.people import holder, review

D = datetime.date
URL = reverse("reviews:review_list")


@pytest.fixture
def reviews(east_midlands):
    return [
        review(east_midlands, "pctr", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire"),
        review(east_midlands, "sav", "Derbyshire", D(2027, 3, 1), "Rutland", "Lincolnshire"),
        review(east_midlands, "pctr", "Lincolnshire", D(2027, 4, 1), "Rutland", "Derby City"),
    ]


def shown(response):
    return [(r.kind, r.host.name) for r in response.context["page"].object_list]


def test_the_coordinator_lists_and_filters_the_regions_reviews(client, coordinator, reviews):
    client.force_login(coordinator)
    assert shown(client.get(URL)) == [
        ("pctr", "Lincolnshire"),
        ("sav", "Derbyshire"),
        ("pctr", "Rutland"),
    ]
    assert shown(client.get(URL, {"kind": "sav"})) == [("sav", "Derbyshire")]
    assert shown(client.get(URL, {"state": "agreed"})) == []


def test_the_list_is_the_coordinators_alone(
    client, reviews, east_midlands, other_region_coordinator
):
    client.force_login(holder(east_midlands, PostKind.DCS, "Derbyshire"))
    assert client.get(URL).status_code == 403
    client.force_login(other_region_coordinator)
    assert shown(client.get(URL)) == []


@pytest.mark.parametrize("count", [1, 3])
def test_review_list_query_count_is_pinned(
    client, coordinator, reviews, count, django_assert_num_queries
):
    for extra in reviews[count:]:
        extra.delete()
    client.force_login(coordinator)
    with django_assert_num_queries(6):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == count


def test_the_coordinator_sees_each_reviews_open_places(client, coordinator, reviews):
    # Nobody named yet: every place the handbook requires is open (R14, R15).
    client.force_login(coordinator)
    response = client.get(URL)
    assert {(r.kind, r.host.name): r.open_places for r in response.context["page"]} == {
        ("pctr", "Lincolnshire"): ["Lead DCS", "Data specialist", "QA DCS", "4 core team members"],
        ("sav", "Derbyshire"): ["Lead AD", "Data specialist", "QA AD", "2 safeguarding experts"],
        ("pctr", "Rutland"): ["Lead DCS", "Data specialist", "QA DCS", "4 core team members"],
    }
    assert "Open</strong>" in response.content.decode()
