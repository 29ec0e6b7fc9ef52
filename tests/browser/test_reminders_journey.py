"""Deadlines and reminders in a real browser (R36, R37): a SAV's final letter is overdue
(due five working days after the visit); the lead finds it on their home page, tagged
overdue; the coordinator follows the link from their home page to the region's deadlines,
sees it waiting for the lead, not reminded yet, and reminds them by hand: one e-mail, in
text and HTML, with the link to the letter; the page then shows when the lead was reminded
and the log lists it. A second "remind now" the same day is refused and sends nothing;
someone who does not coordinate cannot open the page. Each page is checked with axe-core."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from emslirp.models import Reminder, ReminderState
from tests.browser.test_accreditation_journey import sign_in
from tests.reviews.visited import visited

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
LETTER = "Issue the final feedback letter of the SAV of Rutland"
REFLECTION = "Write your reflection on the SAV of Rutland"


def test_the_coordinator_reminds_the_lead_of_an_overdue_letter_once_a_day(
    page, live_server, east_midlands, coordinator, on_day, assert_accessible
):
    # The SAV's last on-site day was Tuesday 17 November 2026: its final letter was due
    # five working days later, on Tuesday the 24th, and is three working days late.
    on_day(datetime.date(2026, 11, 27))
    review, people = visited(east_midlands, coordinator, "sav")
    lead = people["lead"]
    letter_path = f"/reviews/{review.pk}/letter/"
    mail.outbox.clear()

    # The lead finds it on their home page, overdue, with the day it was due.
    sign_in(page, live_server, lead.email)
    needs_you = page.locator("section", has=page.get_by_role("heading", name="What needs you"))
    item = needs_you.get_by_role("listitem").filter(has_text=LETTER)
    expect(item).to_have_text(f"{LETTER}, overdue since 24 November 2026")
    expect(item.locator(".govuk-tag")).to_have_text("overdue")
    expect(item.get_by_role("link", name=LETTER)).to_have_attribute("href", letter_path)
    # Most urgent first: the overdue letter before the reflection due next week.
    reflection = needs_you.get_by_role("listitem").filter(has_text=REFLECTION)
    expect(reflection).to_have_text(f"{REFLECTION}, due 1 December 2026")
    items = needs_you.get_by_role("listitem").all_inner_texts()
    assert items.index(f"{LETTER}, overdue since 24 November 2026") < items.index(
        f"{REFLECTION}, due 1 December 2026"
    )
    assert_accessible(page)

    # The coordinator follows the link from their home page to the region's deadlines:
    # the letter waits for the lead, who has not been reminded yet.
    sign_in(page, live_server, coordinator.email)
    page.get_by_role("link", name="Deadlines and reminders in your region").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines and reminders")
    row = (
        page.get_by_role("table", name="Open deadlines").get_by_role("row").filter(has_text=LETTER)
    )
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(1)).to_have_text("24 November 2026 Overdue")
    expect(row.get_by_role("listitem")).to_have_text(["Lee Lead: not reminded yet"])
    log = page.get_by_role("table", name="Reminders sent")
    expect(log).to_have_count(0)
    expect(page.get_by_text("No reminder has been sent in your region yet.")).to_be_visible()
    assert_accessible(page)

    # Remind now: on its way to the lead, whose row says when; the log lists it, sent by
    # hand; one e-mail, in text and HTML, with the link to the letter.
    remind = row.get_by_role("button", name="Remind now")
    expect(remind).to_contain_text(LETTER)
    remind.click()
    expect(page.get_by_role("alert")).to_contain_text("A reminder is on its way to 1 person.")
    reminder = Reminder.objects.get(kind="letter_due", subject=str(review.pk))
    assert (reminder.state, reminder.recipient, reminder.requested_by) == (
        ReminderState.SENT,
        lead,
        coordinator,
    )
    sent_at = timezone.localtime(reminder.sent_at)
    when = f"{sent_at.day} {sent_at:%B %Y, %H:%M}"
    expect(row.get_by_role("listitem")).to_have_text([f"Lee Lead: reminded {when}"])
    logged = log.locator("tbody").get_by_role("row")
    expect(logged).to_have_count(1)
    cells = logged.get_by_role("cell")
    expect(cells.nth(0)).to_contain_text("Lee Lead")
    expect(cells.nth(0)).to_contain_text(lead.email)
    expect(cells.nth(1)).to_contain_text(LETTER)
    expect(cells.nth(1)).to_contain_text(
        "Due 24 November 2026; by hand, asked for by Coral Ordinator"
    )
    expect(cells.nth(2)).to_have_text(when)
    expect(cells.nth(3)).to_have_text("Sent")
    assert_accessible(page)
    [message] = mail.outbox
    assert message.to == [lead.email]
    assert message.subject == "Overdue: a final feedback letter, due 24 November 2026"
    assert f"{LETTER}." in message.body
    assert "due by Tuesday 24 November 2026 and is now 3 working days late" in message.body
    assert "Coral Ordinator asked for this reminder to be sent." in message.body
    link = settings.BASE_URL + letter_path
    assert link in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html

    # A second "remind now" the same day is refused, and nothing more is sent.
    remind.click()
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "Everyone was already reminded of it by hand today."
    )
    expect(row.get_by_role("listitem")).to_have_text([f"Lee Lead: reminded {when}"])
    expect(logged).to_have_count(1)
    assert_accessible(page)
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1

    # Someone who does not coordinate is refused the page.
    sign_in(page, live_server, lead.email)
    response = page.goto(f"{live_server.url}/reminders/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    assert_accessible(page)
