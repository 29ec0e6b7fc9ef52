"""The calendar in a real browser (R10–R13, R30): the coordinator plans a PCTR cycle,
breaks a rule in a cell and sees it named at once, mends it and adopts the calendar; the
involvement matrix shows it; a SAV stays hidden from the host LA's 2nd-tier lead and shows
its DCS only the window. Each page of ours is checked with axe-core."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from calendar_planner.periods import add_months, quarter_start, slot_end
from emslirp.models import LocalAuthority, PostKind
from reviews.review.models import Review
from tests.browser.people import coordinator_of, post_holder_in
from tests.browser.test_accreditation_journey import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SINCE = datetime.date(2020, 4, 1)


@pytest.fixture
def people(east_midlands):
    post_holder_in(east_midlands, "dcs@derby.example.org", PostKind.DCS, "Derby City")
    post_holder_in(east_midlands, "ad@derby.example.org", PostKind.SAFEGUARDING_LEAD, "Derby City")
    return coordinator_of(east_midlands)


def test_a_coordinator_plans_adjusts_and_adopts_a_cycle(
    page, live_server, people, assert_accessible, on_day
):
    # The cycle typed below starts in January 2026: it is planned the autumn before,
    # whatever day the suite runs on (CI's random day included).
    on_day(datetime.date(2025, 11, 27))
    sign_in(page, live_server, "coordinator@example.org")
    page.get_by_role("link", name="Reviews and visits planned in your region").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar of reviews and visits")
    assert_accessible(page)

    # A month that does not start a quarter is refused at the field, keeping the rest.
    page.get_by_label("PCTR cycle").check()
    page.get_by_label("First month").fill("2026-02")
    page.get_by_label("Years").fill("3")
    page.get_by_role("button", name="Make the calendar").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "A PCTR cycle starts in January, April, July or October."
    )
    expect(page.get_by_label("PCTR cycle")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("First month").fill("2026-01")
    page.get_by_role("button", name="Make the calendar").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("PCTR cycle from January 2026")
    expect(page.locator("#findings")).to_contain_text("The calendar keeps every rule.")
    assert_accessible(page)

    # The lead of the first row becomes the host itself: the rule is named at once.
    host = page.get_by_label("Host, row 1", exact=True).locator("option:checked").inner_text()
    lead_select = page.get_by_label("Lead's LA, row 1", exact=True)
    lead = lead_select.locator("option:checked").inner_text()
    lead_select.select_option(label=host)
    expect(page.locator("#findings")).to_contain_text("Error")
    expect(page.locator("#findings")).not_to_contain_text("R12")
    expect(page.locator("#findings")).to_contain_text(f"{host}: the lead is from the host LA")
    assert_accessible(page)
    lead_select.select_option(label=lead)
    expect(page.locator("#findings")).to_contain_text("The calendar keeps every rule.")

    page.get_by_role("button", name="Save and adopt").click()
    expect(page.get_by_text("The calendar is adopted: 10 reviews are planned.")).to_be_visible()
    expect(page.locator("#state")).to_contain_text("Adopted")
    assert Review.objects.filter(kind="pctr").count() == 10
    assert_accessible(page)

    page.get_by_role("link", name="Calendar", exact=True).click()
    page.get_by_role("link", name="Involvement of each LA, quarter by quarter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Involvement by quarter")
    expect(page.locator("#matrix")).to_contain_text("Receives a PCTR")
    expect(page.locator("#matrix")).to_contain_text(f"Leads the PCTR of {host}")
    assert_accessible(page)

    # The adopted reviews are listed for the coordinator, each planned, none with a team.
    page.get_by_role("link", name="Calendar", exact=True).click()
    page.get_by_role("link", name="All the region's reviews, with their state and team").click()
    expect(page.locator("#review-count")).to_have_text("10 reviews")
    expect(page.locator("#reviews")).to_contain_text(f"PCTR of {host}")
    assert_accessible(page)


def test_a_sav_is_hidden_from_the_host_lead_and_a_window_to_its_dcs(
    page, live_server, people, assert_accessible, east_midlands
):
    def la(name):
        return LocalAuthority.objects.get(region=east_midlands, name=name)

    # A SAV window in the second and third months of next quarter.
    quarter = add_months(quarter_start(timezone.localdate()), 3)
    start = add_months(quarter, 1)
    Review.objects.create(
        kind="sav",
        host=la("Derby City"),
        starts_on=start,
        ends_on=slot_end("sav", start),
        lead_local_authority=la("Rutland"),
        qa_local_authority=la("Lincolnshire"),
    )
    query = f"?start={quarter.year}Q{(quarter.month - 1) // 3 + 1}&quarters=4"
    sign_in(page, live_server, "ad@derby.example.org")
    page.goto(f"{live_server.url}/calendar/involvement/{query}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Involvement by quarter")
    expect(page.locator("#matrix")).not_to_contain_text("SAV")
    assert_accessible(page)

    sign_in(page, live_server, "dcs@derby.example.org")
    page.goto(f"{live_server.url}/calendar/involvement/{query}")
    window_end = add_months(start, 1)
    expect(page.locator("#matrix")).to_contain_text(
        f"SAV window {start:%b}–{window_end:%b} {window_end.year}"
    )
    expect(page.locator("#matrix")).to_contain_text(
        f"{quarter:%b}–{add_months(quarter, 2):%b} {quarter.year}"
    )
    expect(page.locator("#matrix")).not_to_contain_text(re.compile("Leads the SAV|QA AD for"))
    assert_accessible(page)
