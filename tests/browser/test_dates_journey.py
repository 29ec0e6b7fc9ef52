"""Dates are typed as day, month and year (the GOV.UK date input), in a real browser: the
lead sets a PCTR's on-site days, first leaving out the month; the error summary leads to
the month's box, what was typed stays, and the corrected date sets the days (R20). The
page is checked with axe-core in both states."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.test_accreditation_journey import sign_in
from tests.reviews.workbook.test_hypotheses import pctr as pctr  # a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(on_day):
    # Before the review fixture is made: its people's accreditations are dated from the
    # day it is made, so the day is fixed first, whatever day the suite runs on.
    on_day(TODAY)


def test_the_lead_types_the_first_on_site_day_in_three_boxes(
    page, live_server, pctr, on_day, assert_accessible
):
    on_day(TODAY)
    review, people = pctr
    sign_in(page, live_server, people["lead"].email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    first_day = page.get_by_role("group", name="First on-site day")
    expect(first_day).to_contain_text("For example, 1 1 2027.")
    assert_accessible(page)
    first_day.get_by_label("Day").fill("4")
    first_day.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Set the on-site days").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The first on-site day must include a month")
    assert_accessible(page)
    summary.get_by_role("link", name="The first on-site day must include a month").click()
    first_day = page.get_by_role("group", name="First on-site day")
    expect(first_day.get_by_label("Month")).to_be_focused()
    expect(first_day.get_by_label("Day")).to_have_value("4")
    expect(first_day.get_by_label("Year")).to_have_value("2027")
    first_day.get_by_label("Month").fill("1")
    page.get_by_role("button", name="Set the on-site days").click()
    expect(page.get_by_text("The on-site days are set.")).to_be_visible()
    review.refresh_from_db()
    assert review.onsite_from == datetime.date(2027, 1, 4)
    assert_accessible(page)
