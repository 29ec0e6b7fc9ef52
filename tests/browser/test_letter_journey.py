"""The feedback letter in a real browser (R23, R29): the lead drafts it from the template
and sends it to the QA (what they then type in an older tab is refused and shown back to
them, not lost); the QA sees the action that rests on no evidence flagged and
approves; the lead shares it and the host reads the draft; the lead issues it; the host
downloads the final PDF, whose text names the council and the priority actions and whose
SHA-256 is the one the page shows. Each page is checked with axe-core."""

import datetime
import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reviews.letter.models import Letter, LetterPdfDownload
from tests.browser.test_accreditation_journey import sign_in
from tests.reviews.letter.test_letters import ACTIONS, feedback_given
from tests.reviews.visited import visited

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_letter_from_draft_to_the_hosts_download(
    page, live_server, east_midlands, coordinator, on_day, assert_accessible
):
    on_day(datetime.date(2026, 11, 27))
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people)
    url = f"{live_server.url}/reviews/{review.pk}/letter/"

    # The lead drafts the letter from the template and sends it to the QA.
    sign_in(page, live_server, people["lead"].email)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback letter")
    expect(page.locator("#letter-due")).to_contain_text("Wednesday 2 December 2026")
    assert_accessible(page)
    page.get_by_role("button", name="Draft the letter").click()
    expect(page.get_by_text("The letter is drafted from the template")).to_be_visible()
    expect(page.get_by_label("The letter", exact=True)).to_have_value(
        re.compile(r"^Dear Hana Host,\n")
    )
    # The lead sees, before the QA does, that action 2 rests on no evidence.
    expect(page.locator("#action-2")).to_contain_text("No recorded evidence")
    assert_accessible(page)
    stale = page.context.new_page()  # a second tab, open on the draft
    stale.goto(url)
    page.get_by_label("Variation between team members' findings").fill(
        "One member read the thresholds as consistent."
    )
    page.get_by_role("button", name="Save and send to the QA").click()
    expect(page.get_by_text("The draft is saved and sent to the QA")).to_be_visible()
    expect(page.locator("#letter-state")).to_contain_text("With the QA to proofread")

    # Typed in the old tab, after the letter went to the QA: not saved, and not lost.
    stale.get_by_label("The letter", exact=True).fill("Dear Hana Host,\n\nA LATE PARAGRAPH.")
    stale.get_by_role("button", name="Save the draft").click()
    expect(stale.locator(".govuk-error-summary")).to_contain_text("Your changes were not saved")
    unsaved = stale.locator("#unsaved")
    expect(unsaved).to_contain_text("Your unsaved text")
    expect(unsaved.locator("#unsaved-body")).to_contain_text("A LATE PARAGRAPH.")
    assert_accessible(stale)
    stale.close()
    assert "A LATE PARAGRAPH" not in Letter.objects.get(review=review).body

    # The QA sees the untraced action first, flagged, and approves all the same, saying
    # why it may stand; the lead then reads why beside it.
    sign_in(page, live_server, people["qa"].email)
    page.goto(url)
    actions = page.locator(".app-action")
    expect(actions.first).to_have_id("action-2")
    expect(actions.first).to_contain_text("No recorded evidence")
    expect(page.locator("#action-1")).to_contain_text("Twelve of twenty referrals audited")
    expect(page.locator("#action-1")).not_to_contain_text("No recorded evidence")
    assert_accessible(page)
    page.get_by_role("group", name="Your decision").get_by_label("Approve the draft").check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why action 2 may stand without recorded evidence"
    )
    assert_accessible(page)
    page.get_by_role("group", name="Your decision").get_by_label("Approve the draft").check()
    page.get_by_label("If you approve: why may action 2 stand without recorded evidence?").fill(
        "Seen in the host's own supervision audit."
    )
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("You approved the draft")).to_be_visible()

    # The lead shares the draft with the host, who now reads it.
    sign_in(page, live_server, people["lead"].email)
    page.goto(url)
    expect(page.locator("#action-2")).to_contain_text("Why the QA let it stand")
    expect(page.locator("#action-2")).to_contain_text("Seen in the host's own supervision audit.")
    assert_accessible(page)
    page.get_by_role("button", name="Share the draft with the host").click()
    expect(page.get_by_text("The draft is shared with the host")).to_be_visible()
    sign_in(page, live_server, people["host_dcs"].email)
    page.goto(url)
    expect(page.locator("#letter-text")).to_contain_text("Dear Hana Host,")
    expect(page.locator("#letter-text")).to_contain_text("One member read the thresholds")
    expect(page.get_by_role("button", name="Sign off and issue the final letter")).to_have_count(0)
    assert_accessible(page)
    # No surprises: the host's DCS comments on the draft; the lead reads it and decides.
    page.get_by_label("Your comment on the draft").fill("Action 1: two teams, not three.")
    page.get_by_role("button", name="Send my comment to the lead").click()
    expect(page.get_by_text("Your comment is sent to the lead.")).to_be_visible()
    expect(page.locator("#host-comments ~ .app-letter-comment")).to_contain_text(
        "Action 1: two teams, not three."
    )
    assert_accessible(page)

    # The lead reads it, keeps the wording, and issues the final letter; its PDF is made
    # by the worker.
    sign_in(page, live_server, people["lead"].email)
    page.goto(url)
    expect(page.locator(".app-letter-comment")).to_contain_text("Action 1: two teams, not three.")
    page.get_by_role("button", name="Sign off and issue the final letter").click()
    expect(page.get_by_text("The letter is final.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Download the final letter"))).to_be_visible()
    assert_accessible(page)

    # The host downloads it: the text is the letter's, the digest the page's.
    sign_in(page, live_server, people["host_dcs"].email)
    page.goto(url)
    link = page.get_by_role("link", name=re.compile("Download the final letter"))
    shown = page.locator("#letter-pdfs [data-sha256]").first.inner_text().strip()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    content = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "feedback-letter-rutland-final.pdf"
    assert hashlib.sha256(content).hexdigest() == shown
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    text = " ".join(text.split())
    assert "Rutland" in text
    for action, priority, _ in ACTIONS:
        if priority:
            assert action in text
    letter = Letter.objects.get(review=review)
    assert letter.state == "final"
    assert list(LetterPdfDownload.objects.values_list("by__email", flat=True)) == [
        people["host_dcs"].email
    ]
