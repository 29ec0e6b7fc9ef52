"""The notebook on site, in real browsers (R21, R22): the lead and a team member write
notes on the same hypothesis at once and each sees both; a reviewer whose Wi-Fi drops
saves a note, is told it is kept and will be sent again, and once back online the note
arrives exactly once; signing out with a note still unsent asks first and then leaves
nothing of it on a shared laptop. The notebook and the verbal feedback record are checked
with axe-core."""

import datetime
from collections.abc import Iterator

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from reviews.letter.models import LetterState
from reviews.review.models import ReviewState
from reviews.workbook.models import Note
from reviews.workbook.services import notebook
from tests.browser.conftest import ABORTED_BY_NAVIGATION, TIMEOUT_MS, policy_refusal
from tests.browser.test_accreditation_journey import sign_in
from tests.reviews.workbook.test_notebook import finding, hypothesis, letter_at
from tests.reviews.workbook.test_notebook import visit as visit  # a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TODAY = datetime.date(2026, 11, 27)
# The notebook fetches the notes list every 15 seconds: a colleague's note shows by then.
POLL_MS = 20_000


class Tabs:
    """Pages each in a browser context of its own (its own cookies and local storage:
    another laptop), made as the ``page`` fixture makes its page. A JavaScript error or a
    failed request fails the test, except a request failing while its context is offline,
    which is what going offline is for."""

    def __init__(self, browser: Browser):
        self.browser = browser
        self.contexts = []
        self.offline_contexts = set()
        self.problems = []

    def open(self) -> Page:
        context = self.browser.new_context(
            locale="en-GB",
            timezone_id=settings.TIME_ZONE,
            viewport={"width": 1280, "height": 800},
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("response", self._response)
        context.on("requestfailed", lambda r: self._failed(context, r))
        tab = context.new_page()
        tab.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        tab.on("console", lambda message: policy_refusal(message, self.problems))
        self.contexts.append(context)
        return tab

    def offline(self, page: Page, offline: bool) -> None:
        (self.offline_contexts.add if offline else self.offline_contexts.discard)(page.context)
        page.context.set_offline(offline)

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(
                f"HTTP {response.status} for {response.request.resource_type} {response.url}"
            )

    def _failed(self, context, request) -> None:
        if context not in self.offline_contexts and request.failure != ABORTED_BY_NAVIGATION:
            self.problems.append(f"{request.failure} for {request.resource_type} {request.url}")


@pytest.fixture
def tabs(browser: Browser) -> Iterator[Tabs]:
    made = Tabs(browser)
    try:
        yield made
    finally:
        for context in made.contexts:
            context.close()
    if made.problems:
        pytest.fail("The browser ran into problems:\n" + "\n".join(made.problems), pytrace=False)


def test_two_reviewers_write_at_once_and_each_sees_both_notes(
    tabs, live_server, visit, on_day, assert_accessible
):
    on_day(TODAY)
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    first = hypothesis(review)
    pages = {who: tabs.open() for who in ("lead", "member")}
    words = {
        "lead": "Front door rota seen: gaps on Fridays.",
        "member": "MASH audit: 3 of 10 late.",
    }
    for who, page in pages.items():
        sign_in(page, live_server, people[who].email)
        page.goto(f"{live_server.url}/reviews/{review.pk}/notebook/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Notebook for Rutland")
        page.get_by_label("Add a note on hypothesis 1").fill(words[who])
    assert_accessible(pages["lead"])
    # Both save at once.
    for page in pages.values():
        page.get_by_role("button", name="Save the note on hypothesis 1").click()
    for page in pages.values():
        status = page.locator(f"#note-status-{first.pk}")
        expect(status).to_have_text("Your note is saved.")
        notes = page.locator(f"#notes-{first.pk}")
        for text in words.values():
            expect(notes).to_contain_text(text, timeout=POLL_MS)
        expect(page.get_by_label("Add a note on hypothesis 1")).to_have_value("")
    assert sorted(Note.objects.filter(hypothesis=first).values_list("text", flat=True)) == sorted(
        words.values()
    )
    expect(pages["member"].locator(f"#notes-{first.pk}")).to_contain_text("Lee Lead")
    assert_accessible(pages["member"])


def test_a_note_saved_offline_arrives_once_back_online(tabs, live_server, visit, on_day):
    on_day(TODAY)
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    first = hypothesis(review)
    page = tabs.open()
    sign_in(page, live_server, people["member"].email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/notebook/")
    text = "Strategy meeting minutes not on file for two children."
    tabs.offline(page, True)
    page.get_by_label("Add a note on hypothesis 1").fill(text)
    page.get_by_role("button", name="Save the note on hypothesis 1").click()
    status = page.locator(f"#note-status-{first.pk}")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("kept on this device and will be sent again")
    pending = page.locator(f"#pending-{first.pk}")
    expect(pending).to_be_visible()
    expect(pending).to_contain_text(text)
    assert Note.objects.count() == 0
    # Back online: it is sent by itself.
    tabs.offline(page, False)
    expect(status).to_have_text("Your note is saved.")
    expect(page.locator(f"#notes-{first.pk}")).to_contain_text(text)
    expect(pending).to_be_hidden()
    # Opened again, the page has nothing left to send, and the note is there once.
    page.reload()
    expect(page.locator(f"#notes-{first.pk}")).to_contain_text(text)
    expect(page.locator(f"#pending-{first.pk}")).to_be_hidden()
    assert list(Note.objects.values_list("author", "text")) == [(people["member"].pk, text)]


def test_the_lead_completes_the_record_and_a_refused_finding_keeps_its_words(
    tabs, live_server, visit, on_day, assert_accessible
):
    on_day(TODAY)
    review, people = visit("pctr")
    finding(review, people["member"], "Thresholds vary by team.", "Ten case audits.")
    notebook.conclusions_save(
        hypothesis=hypothesis(review),
        text="One owner for thresholds.",
        revision=0,
        by=people["lead"],
    )
    page = tabs.open()
    sign_in(page, live_server, people["lead"].email)
    # The verbal feedback record, filled from the notebook.
    page.goto(f"{live_server.url}/reviews/{review.pk}/verbal-feedback/")
    expect(page.locator("#hypothesis-1")).to_contain_text("Thresholds vary by team.")
    expect(page.locator("#hypothesis-1")).to_contain_text("One owner for thresholds.")
    assert_accessible(page)
    page.get_by_label("What is to be done (action 1)").fill("One threshold document for all teams.")
    page.get_by_role("group", name="Does the host agree action 1?").get_by_label("Yes").check()
    page.get_by_role("group", name="Findings action 1 answers").get_by_label(
        "Hypothesis 1: Thresholds vary by team."
    ).check()
    page.get_by_role("button", name="Save the agreed actions").click()
    expect(page.get_by_text("1 agreed action saved.")).to_be_visible()
    expect(page.locator("#actions-table")).to_contain_text("One threshold document for all teams.")
    given_on = page.get_by_role("group", name="Date the verbal feedback was given")
    given_on.get_by_label("Day").fill("18")
    given_on.get_by_label("Month").fill("11")
    given_on.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save the date").click()
    expect(page.locator("#given-on")).to_have_text("18 November 2026")
    assert_accessible(page)
    # A refused save keeps what was typed and says why at the field.
    page.goto(f"{live_server.url}/reviews/{review.pk}/notebook/")
    finding_box = page.get_by_label("New key finding on hypothesis 2")
    page.get_by_label("Evidence for the new finding on hypothesis 2").fill("Supervision logs.")
    finding_box.fill("")
    page.get_by_role("button", name="Add the finding on hypothesis 2").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write the finding.")
    expect(page.get_by_label("Evidence for the new finding on hypothesis 2")).to_have_value(
        "Supervision logs."
    )
    assert_accessible(page)


def _kept_notes(page: Page) -> int:
    """How many notes this device keeps waiting to be sent, of anyone's."""
    return page.evaluate(
        """() => Object.keys(localStorage)
            .filter((name) => name.startsWith("emslirp-notes:"))
            .reduce((sum, name) => sum + JSON.parse(localStorage.getItem(name)).length, 0)"""
    )


def test_signing_out_with_a_note_unsent_asks_first_then_clears_it(tabs, live_server, visit, on_day):
    on_day(TODAY)
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    first = hypothesis(review)
    page = tabs.open()
    sign_in(page, live_server, people["member"].email)
    notebook_url = f"{live_server.url}/reviews/{review.pk}/notebook/"
    page.goto(notebook_url)
    tabs.offline(page, True)
    page.get_by_label("Add a note on hypothesis 1").fill("Private words about a child.")
    page.get_by_role("button", name="Save the note on hypothesis 1").click()
    expect(page.locator(f"#pending-{first.pk}")).to_contain_text("Private words about a child.")
    assert _kept_notes(page) == 1
    asked = []

    def answer(accept):
        def handle(dialog):
            asked.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        return handle

    # Asked, the member stays: the note is still kept, to be sent.
    page.once("dialog", answer(False))
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notebook for Rutland")
    assert asked == [
        "1 note has not been sent from this device yet. If you sign out now, it is lost. "
        "Sign out anyway?"
    ]
    assert _kept_notes(page) == 1
    # Asked again, they sign out anyway: nothing of the note stays on the laptop. (Still
    # offline, the sign-out itself does not reach the server; the next page shows what
    # the device kept.)
    page.once("dialog", answer(True))
    page.get_by_role("button", name="Sign out").click()
    tabs.offline(page, False)
    page.goto(notebook_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Notebook for Rutland")
    assert len(asked) == 2
    assert _kept_notes(page) == 0
    expect(page.locator(f"#pending-{first.pk}")).to_be_hidden()
    assert Note.objects.count() == 0
    # With nothing waiting, signing out asks nothing.
    page.get_by_role("button", name="Sign out").click()
    expect(page).not_to_have_url(notebook_url)
    assert len(asked) == 2


def test_notes_kept_for_a_notebook_closed_since_are_shown_then_removed(
    tabs, live_server, visit, on_day, assert_accessible
):
    on_day(TODAY)
    review, people = visit("pctr")
    first = hypothesis(review)
    letter_at(review, people, LetterState.WITH_QA)
    page = tabs.open()
    sign_in(page, live_server, people["member"].email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/notebook/")
    expect(page.locator("#record-closed")).to_contain_text("gone to the QA")
    stranded = page.locator(f"#pending-{first.pk}")
    expect(stranded).to_be_hidden()
    # What a note saved offline before the letter went to the QA leaves on the device.
    name = f"emslirp-notes:{people['member'].pk}:{review.pk}:{first.pk}"
    page.evaluate(
        "([name, text]) => localStorage.setItem(name, JSON.stringify([{key: 'k', text}]))",
        [name, "Written offline on Friday."],
    )
    page.reload()
    expect(stranded).to_be_visible()
    expect(stranded).to_contain_text("Written offline on Friday.")
    assert_accessible(page)
    stranded.get_by_role("button", name="Remove them from this device").click()
    expect(stranded).to_be_hidden()
    assert _kept_notes(page) == 0
    assert Note.objects.count() == 0


def test_a_finding_typed_as_the_letter_went_to_the_qa_stays_on_the_page(
    tabs, live_server, visit, on_day, assert_accessible
):
    on_day(TODAY)
    review, people = visit("pctr")
    page = tabs.open()
    sign_in(page, live_server, people["member"].email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/notebook/")
    page.get_by_label("New key finding on hypothesis 1").fill("Re-referrals rise in <May>.")
    page.get_by_label("Evidence for the new finding on hypothesis 1").fill("The referral log.")
    # Meanwhile the lead sends the letter to the QA: the record closes.
    letter_at(review, people, LetterState.WITH_QA)
    page.get_by_role("button", name="Add the finding on hypothesis 1").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The letter has gone to the QA to proofread")
    summary.get_by_role("link").first.click()
    unsaved = page.locator("#unsaved")
    expect(unsaved).to_be_visible()
    expect(unsaved).to_contain_text("Re-referrals rise in <May>.")
    expect(page.get_by_role("button", name="Add the finding on hypothesis 1")).to_have_count(0)
    assert_accessible(page)
