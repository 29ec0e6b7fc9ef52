"""An LA may ask for an extra PCTR at any time (R10): its DCS asks, the coordinator
places it in a quarter with a lead and a QA LA (R12), or declines it with a reason."""

import datetime

import pytest
from django.urls import reverse

from calendar_planner.models import Blackout, ExtraReviewRequest, ExtraReviewState
from emslirp.models import PostKind
from reviews.review.models import Review
from tests.calendar_planner.people import holder
from tests.factories import PostFactory

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(on_day):
    on_day(TODAY)


@pytest.fixture
def asked(client, east_midlands):
    dcs = holder(east_midlands, PostKind.DCS, "Rutland", name="Ruth Land")
    client.force_login(dcs)
    response = client.post(
        reverse("calendar_planner:extra_request"),
        {"preferred_start": "2027-04-01", "reason": "A new children's home has opened."},
    )
    assert response.status_code == 302
    return ExtraReviewRequest.objects.get()


def test_a_dcs_asks_and_the_coordinator_is_told_on_the_home_page(client, asked, coordinator):
    assert asked.local_authority.name == "Rutland"
    assert asked.preferred_start == datetime.date(2027, 4, 1)
    client.force_login(coordinator)
    home = client.get(reverse("home")).content.decode()
    assert "Place or decline Rutland&#x27;s request for an extra PCTR" in home
    assert reverse("calendar_planner:extra_decide", args=[asked.pk]) in home


def test_the_request_needs_a_reason_and_keeps_the_quarter(client, east_midlands):
    client.force_login(holder(east_midlands, PostKind.DCS, "Rutland"))
    response = client.post(
        reverse("calendar_planner:extra_request"),
        {"preferred_start": "2027-04-01", "reason": "  "},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Say why the extra review is wanted."]
    assert 'value="2027-04-01" selected' in response.content.decode()
    assert ExtraReviewRequest.objects.count() == 0


def test_only_a_dcs_may_ask(client, east_midlands):
    client.force_login(holder(east_midlands, PostKind.SAFEGUARDING_LEAD, "Rutland"))
    assert client.get(reverse("calendar_planner:extra_request")).status_code == 403


def test_scheduling_creates_an_extra_pctr_in_the_quarter(client, asked, coordinator, la):
    client.force_login(coordinator)
    response = client.post(
        reverse("calendar_planner:extra_decide", args=[asked.pk]),
        {
            "starts_on": "2027-04-01",
            "lead": la("Derby City").pk,
            "qa": la("Lincolnshire").pk,
            "schedule": "",
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    review = Review.objects.get()
    assert asked.state == ExtraReviewState.SCHEDULED
    assert asked.review == review
    assert (review.kind, review.host.name, review.is_extra) == ("pctr", "Rutland", True)
    assert (review.starts_on, review.ends_on) == (
        datetime.date(2027, 4, 1),
        datetime.date(2027, 6, 30),
    )
    assert (review.lead_local_authority, review.qa_local_authority) == (
        la("Derby City"),
        la("Lincolnshire"),
    )


def test_scheduling_is_refused_with_the_rule_broken(client, asked, coordinator, la):
    Blackout.objects.create(
        local_authority=la("Derby City"),
        starts_on=datetime.date(2027, 5, 1),
        ends_on=datetime.date(2027, 5, 31),
        reason="Ofsted inspection expected",
    )
    client.force_login(coordinator)
    url = reverse("calendar_planner:extra_decide", args=[asked.pk])
    data = {
        "starts_on": "2027-04-01",
        "lead": la("Derby City").pk,
        "qa": la("Derby City").pk,
        "schedule": "",
    }
    response = client.post(url, data)
    errors = response.context["schedule"].non_field_errors()
    assert response.status_code == 400
    assert errors == [
        "The lead and the QA are both from Derby City: three different LAs are needed.",
        "Derby City (QA) has a blackout from 1 May 2027 to 31 May 2027: Ofsted inspection "
        "expected.",
        "Derby City (lead) has a blackout from 1 May 2027 to 31 May 2027: Ofsted inspection "
        "expected.",
    ]
    assert Review.objects.count() == 0
    asked.refresh_from_db()
    assert asked.state == ExtraReviewState.REQUESTED


def test_declining_needs_a_reason_which_the_dcs_then_sees(client, asked, coordinator):
    client.force_login(coordinator)
    url = reverse("calendar_planner:extra_decide", args=[asked.pk])
    response = client.post(url, {"decline_reason": "", "decline": ""})
    assert response.context["decline"].errors["decline_reason"] == [
        "Say why the request is declined."
    ]
    response = client.post(url, {"decline_reason": "The cycle's review is in May.", "decline": ""})
    assert response.status_code == 302
    client.force_login(asked.requested_by)
    page = client.get(reverse("calendar_planner:index")).content.decode()
    assert "Declined: The cycle&#x27;s review is in May." in page


@pytest.mark.parametrize("who", ["other_region_coordinator", "dcs"])
def test_only_the_regions_coordinator_can_decide(client, asked, east_midlands, la, who, request):
    if who == "dcs":
        user = holder(east_midlands, PostKind.DCS, "Derby City")
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse("calendar_planner:extra_decide", args=[asked.pk])
    assert client.get(url).status_code == 404
    data = {"starts_on": "2027-04-01", "lead": la("Derby City").pk, "qa": la("Lincolnshire").pk}
    assert client.post(url, {**data, "schedule": ""}).status_code == 404
    assert client.post(url, {"decline_reason": "No.", "decline": ""}).status_code == 404
    asked.refresh_from_db()
    assert asked.state == ExtraReviewState.REQUESTED
    assert Review.objects.count() == 0


def test_a_second_request_while_one_waits_is_refused_at_the_field(client, asked):
    client.force_login(asked.requested_by)
    response = client.post(
        reverse("calendar_planner:extra_request"),
        {"preferred_start": "2027-07-01", "reason": "Asked twice."},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Rutland already has a request waiting."]
    assert ExtraReviewRequest.objects.count() == 1


def test_a_dcs_of_two_las_chooses_which(client, east_midlands, la):
    dcs = holder(east_midlands, PostKind.DCS, "Rutland")
    PostFactory(holder=dcs, kind=PostKind.DCS, local_authority=la("Leicestershire"))
    client.force_login(dcs)
    page = client.get(reverse("calendar_planner:extra_request"))
    assert [str(c[1]) for c in page.context["form"].fields["local_authority"].choices] == [
        "Leicestershire",
        "Rutland",
    ]
    response = client.post(
        reverse("calendar_planner:extra_request"),
        {
            "local_authority": la("Rutland").pk,
            "preferred_start": "2027-04-01",
            "reason": "A new home has opened.",
        },
    )
    assert response.status_code == 302
    assert ExtraReviewRequest.objects.get().local_authority == la("Rutland")


def test_the_decision_form_offers_the_las_preferred_quarter_first(client, asked, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("calendar_planner:extra_decide", args=[asked.pk])).content.decode()
    assert 'value="2027-04-01" selected' in html


def test_a_preferred_quarter_beyond_the_usual_choices_is_still_offered(client, asked, coordinator):
    asked.preferred_start = datetime.date(2029, 1, 1)
    asked.save(update_fields=["preferred_start"])
    client.force_login(coordinator)
    html = client.get(reverse("calendar_planner:extra_decide", args=[asked.pk])).content.decode()
    assert 'value="2029-01-01" selected' in html
