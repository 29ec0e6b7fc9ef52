"""A critical incident in a real browser (R25): a team member raises one on site, first
with a date and time still to come; the host DCS records the host's action and signs;
the lead records when it was raised with the host and signs; the record is frozen and an
addendum is added. Each page is checked with axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from reviews.review.models import ReviewState
from safeguarding.models import CriticalIncident
from tests.browser.test_accreditation_journey import sign_in
from tests.reviews.visited import visited

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
INCIDENT = "A child at risk was left without a visit for six weeks."


def fill_moment(page, legend: str, typed: str) -> None:
    """Type ``"d m yyyy time"`` into the date and time input ``legend``, box by box."""
    group = page.get_by_role("group", name=legend)
    for box, part in zip(("Day", "Month", "Year", "Time"), typed.split(" ", 3), strict=True):
        group.get_by_label(box, exact=True).fill(part)


def test_raised_on_site_answered_signed_by_both_then_an_addendum(
    page, live_server, east_midlands, coordinator, on_day, assert_accessible
):
    on_day(datetime.date(2026, 11, 27))
    review, people = visited(east_midlands, coordinator, "sav", state=ReviewState.ON_SITE)

    # A team member raises it, first with a time still to come: the message is at the
    # field and nothing typed is lost.
    sign_in(page, live_server, people["member"].email)
    page.goto(f"{live_server.url}/safeguarding/review/{review.pk}/incidents/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Critical incidents at Rutland")
    assert_accessible(page)
    page.get_by_role("button", name="Raise a critical incident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a critical incident")
    assert_accessible(page)
    page.get_by_label("What was identified").fill(INCIDENT)
    page.get_by_label("Nature of the incident").fill("Drift in a child protection plan.")
    page.get_by_label("Evidence").fill("Case file audit.")
    fill_moment(page, "Date and time it was identified", "24 12 2026 10:30")
    page.get_by_label("Action taken when it was identified").fill("Told the team manager.")
    page.get_by_role("button", name="Raise the critical incident").click()
    expect(page.locator("#id_identified_at_1_error")).to_contain_text("must be in the past")
    expect(page.get_by_label("What was identified")).to_have_value(INCIDENT)
    assert_accessible(page)
    expect(
        page.get_by_role("group", name="Date and time it was identified").get_by_label("Time")
    ).to_have_value("10:30")
    fill_moment(page, "Date and time it was identified", "17 11 2026 10:30")
    page.get_by_role("button", name="Raise the critical incident").click()
    expect(page.get_by_text("The critical incident is recorded.")).to_be_visible()
    expect(page.locator("#incident")).to_contain_text(INCIDENT)
    expect(page.locator("#review")).to_contain_text("Hana Host")
    expect(page.locator("#review")).to_contain_text("16 November 2026 to 17 November 2026")
    assert_accessible(page)
    incident = CriticalIncident.objects.get()

    # The host DCS records the host's action; a paste over the limit is not cut short by
    # the browser but refused by the server, at the field. Nobody signs before the lead
    # has recorded when it was raised with the host (R25).
    sign_in(page, live_server, people["host_dcs"].email)
    page.goto(f"{live_server.url}/safeguarding/incident/{incident.pk}/")
    expect(page.locator("#incident")).to_contain_text(INCIDENT)
    assert_accessible(page)
    page.get_by_label("Action the host will take").fill("z" * 10_001)
    page.get_by_role("button", name="Save the host's action").click()
    expect(page.locator("#id_host_action_1_error")).to_contain_text(
        "Shorten this to 10,000 characters or fewer: it has 10001."
    )
    page.get_by_label("Action the host will take").fill("A manager reviews every open plan.")
    page.get_by_role("button", name="Save the host's action").click()
    expect(page.get_by_text("The host's action is recorded")).to_be_visible()
    expect(page.locator("#sign")).to_contain_text(
        "the lead has not recorded when it was raised with the host DCS"
    )
    expect(page.get_by_role("button", name="Sign for the host")).to_have_count(0)
    assert_accessible(page)

    # The lead records when it was raised with the host, and signs the whole record.
    sign_in(page, live_server, people["lead"].email)
    page.goto(f"{live_server.url}/safeguarding/incident/{incident.pk}/")
    expect(page.locator("#sign")).to_contain_text("the lead has not recorded when it was raised")
    fill_moment(page, "Date and time you raised it with the host DCS", "17 11 2026 11:15")
    page.get_by_role("button", name="Record the time").click()
    expect(page.locator("#host")).to_contain_text("17 November 2026, 11:15")
    page.get_by_role("button", name="Sign as the lead").click()
    expect(page.get_by_text("You have signed the record.")).to_be_visible()
    expect(page.get_by_role("button", name="Record the time")).to_have_count(0)
    assert_accessible(page)

    # The host signs what the lead signed: the record is frozen.
    sign_in(page, live_server, people["host_dcs"].email)
    page.goto(f"{live_server.url}/safeguarding/incident/{incident.pk}/")
    expect(page.get_by_role("button", name="Save the host's action")).to_have_count(0)
    page.get_by_role("button", name="Sign for the host").click()
    expect(page.get_by_text("Both have signed")).to_be_visible()
    expect(page.locator("#frozen")).to_contain_text("can no longer be changed")
    expect(page.locator("#signatures")).to_contain_text("Hana Host, ")
    expect(page.get_by_role("button", name="Sign for the host")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("What is to be added").fill("The child was seen on 18 November.")
    page.get_by_role("button", name="Add to the record").click()
    expect(page.locator("#addenda")).to_contain_text("The child was seen on 18 November.")
    expect(page.locator("#addenda")).to_contain_text("Hana Host")
    assert_accessible(page)

    incident.refresh_from_db()
    assert incident.is_frozen
    assert (incident.host_signed_by, incident.lead_signed_by) == (
        people["host_dcs"],
        people["lead"],
    )
