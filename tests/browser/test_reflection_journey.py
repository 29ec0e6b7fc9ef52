"""Reflection and evaluation in a real browser (R27): the three of the team on site and
the host DCS fill in their reflections and submit them by the closing day the form gives;
the first to submit finds the composite not there yet, with the day it will appear; it is
still not there once everyone asked has submitted, and appears the day after reflections
close, with no writer named and what too few others wrote about a colleague withheld; a
post after the close is refused and shows what was typed; the QA sees who has completed
and when, and the closing day, and nothing of what they wrote. Each page is checked with
axe-core."""

import datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from reviews.reflections.models import Reflection
from tests.browser.test_accreditation_journey import sign_in
from tests.reviews.visited import visited

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SUITABILITY = "How well did the review process serve its immediate purpose?"
LEADERSHIP = "How useful was the review to your own development as a leader?"


@pytest.fixture
def review(on_day, east_midlands, coordinator):
    on_day(datetime.date(2026, 11, 27))
    return visited(east_midlands, coordinator, "pctr"), on_day


def _fill(page, tag: str, colleagues: list[str]):
    page.get_by_label("Your strengths in this review").fill(f"{tag} keeps calm.")
    page.get_by_label("Your areas for development").fill(f"{tag} could delegate more.")
    for name in colleagues:
        page.get_by_label(f"Strengths of {name}", exact=True).fill(f"{tag} on {name}: thorough.")
        page.get_by_label(f"Areas for development of {name}", exact=True).fill(
            f"{tag} on {name}: speak up sooner."
        )
    page.get_by_label("What is the main thing you learned by taking part?").fill(
        f"{tag} learned to listen."
    )


def _submit(page, live_server, subject, email, tag, colleagues, scales=("4", "3")):
    sign_in(page, live_server, email)
    page.goto(f"{live_server.url}/reviews/{subject.pk}/reflection/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your reflection")
    _fill(page, tag, colleagues)
    page.get_by_role("group", name=SUITABILITY).get_by_label(scales[0], exact=True).check()
    page.get_by_role("group", name=LEADERSHIP).get_by_label(scales[1], exact=True).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Your reflection is submitted.")).to_be_visible()


def test_the_composite_appears_the_day_after_reflections_close(
    page, live_server, review, assert_accessible
):
    (subject, people), on_day = review
    lead, data, member, host = (people[k] for k in ("lead", "data", "member", "host_dcs"))

    # The lead starts: a draft is kept, a submission without the scales is refused with
    # a message at each, and what was typed is still there.
    sign_in(page, live_server, lead.email)
    page.goto(f"{live_server.url}/reviews/{subject.pk}/reflection/")
    expect(page.get_by_role("heading", level=3, name="Dai Ta (Data specialist)")).to_be_visible()
    expect(page.locator("#closing-day")).to_contain_text(
        "Reflections close at the end of Wednesday 2 December 2026."
    )
    expect(
        page.get_by_role("heading", level=3, name="Mo Member (Core team member)")
    ).to_be_visible()
    assert_accessible(page)
    # The same form, open in a second tab, for later.
    other = page.context.new_page()
    other.goto(f"{live_server.url}/reviews/{subject.pk}/reflection/")
    _fill(page, "Lead", ["Dai Ta", "Mo Member"])
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Your reflection is saved as a draft.")).to_be_visible()
    expect(page.get_by_label("Your strengths in this review")).to_have_value("Lead keeps calm.")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("how well the review served its purpose, from 1 to 5")
    expect(summary).to_contain_text("useful the review was to your development as a leader")
    expect(page.get_by_label("Strengths of Mo Member", exact=True)).to_have_value(
        "Lead on Mo Member: thorough."
    )
    assert_accessible(page)
    page.get_by_role("group", name=SUITABILITY).get_by_label("5: excellent").check()
    page.get_by_role("group", name=LEADERSHIP).get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_text("Your reflection is submitted.")).to_be_visible()
    expect(page.get_by_role("button", name="Save as draft")).to_have_count(0)
    expect(page.get_by_text("Lead learned to listen.")).to_be_visible()
    assert_accessible(page)

    # Saving in the other tab, after submitting in this one: refused, and what was typed
    # is shown back, unsaved, rather than lost.
    other.get_by_label("What is the main thing you learned by taking part?").fill(
        "Second <thoughts>."
    )
    other.get_by_role("button", name="Save as draft").click()
    expect(
        other.get_by_text("Your reflection is submitted: it can no longer change.")
    ).to_be_visible()
    unsaved = other.locator("details#unsaved")
    expect(unsaved).to_have_attribute("open", "")
    expect(unsaved).to_contain_text("What you typed, not saved")
    expect(unsaved).to_contain_text("Second <thoughts>.")
    assert_accessible(other)
    other.close()

    page.get_by_role("link", name="See what the whole team said").click()
    status = page.locator("#composite-status")
    expect(status).to_contain_text(
        "Not shown yet: 1 of the 4 people asked to reflect has submitted, you included."
    )
    expect(status).to_contain_text("(3 more are needed)")
    expect(page.locator("#composite-due")).to_contain_text(
        "will appear on Thursday 3 December 2026, if at least 3 people other than you"
    )
    expect(page.locator("#own")).to_contain_text("Lead learned to listen.")
    assert_accessible(page)

    _submit(page, live_server, subject, data.email, "Data", ["Lee Lead", "Mo Member"])
    _submit(page, live_server, subject, member.email, "Member", ["Lee Lead", "Dai Ta"], ("3", "2"))
    page.goto(f"{live_server.url}/reviews/{subject.pk}/reflections/")
    expect(page.locator("#composite-status")).to_contain_text("3 of the 4 people asked")
    expect(page.locator("#composite-status")).to_contain_text("(1 more is needed)")

    # The QA sees the host has not yet reflected, and reminds them by hand (R37).
    sign_in(page, live_server, people["qa"].email)
    page.goto(f"{live_server.url}/reviews/{subject.pk}/reflections/completion/")
    expect(page.locator("#completion-count")).to_have_text("3 of 4 submitted.")
    mail.outbox.clear()
    page.get_by_role("button", name="Remind those who have not submitted").click()
    expect(page.get_by_role("alert")).to_contain_text("A reminder is on its way to 1 person.")
    assert [m.to for m in mail.outbox] == [[host.email]]
    assert "Write your reflection on the PCTR of Rutland." in mail.outbox[0].body
    assert_accessible(page)

    _submit(page, live_server, subject, host.email, "Host", ["Lee Lead", "Dai Ta", "Mo Member"])

    # Everyone asked has submitted, three besides the lead, but the team could still
    # change until reflections close: not shown yet, even on the closing day.
    # (A session lasts a working day: each new day, the lead signs in again.)
    on_day(datetime.date(2026, 12, 2))
    sign_in(page, live_server, lead.email)
    page.goto(f"{live_server.url}/reviews/{subject.pk}/reflections/")
    expect(page.locator("#composite-status")).to_contain_text(
        "Not shown yet: 4 of the 4 people asked to reflect have submitted, you included."
    )
    expect(page.locator(".app-composite-person")).to_have_count(0)

    # The day after, the lead sees it. Dai Ta and Mo Member were each written about by
    # only two people besides the lead: withheld.
    on_day(datetime.date(2026, 12, 3))
    sign_in(page, live_server, lead.email)
    page.goto(f"{live_server.url}/reviews/{subject.pk}/reflections/")
    expect(page.locator("#composite-status")).to_contain_text(
        "4 reflections submitted, yours included; reflections closed at the end of "
        "Wednesday 2 December 2026, so nothing more will be added."
    )
    about_data = page.locator(".app-composite-person", has_text="Dai Ta (Data specialist)")
    expect(about_data).to_contain_text("Too few colleagues wrote about them")
    expect(about_data.locator("li")).to_have_count(0)
    about_lead = page.locator(".app-composite-person", has_text="Lee Lead (Lead DCS)")
    expect(about_lead.locator("li")).to_have_text(
        [
            "Data on Lee Lead: thorough.",
            "Host on Lee Lead: thorough.",
            "Member on Lee Lead: thorough.",
            "Data on Lee Lead: speak up sooner.",
            "Host on Lee Lead: speak up sooner.",
            "Member on Lee Lead: speak up sooner.",
        ]
    )
    expect(page.locator("#self li")).to_have_text(
        [
            "Data keeps calm.",
            "Host keeps calm.",
            "Lead keeps calm.",
            "Member keeps calm.",
            "Data could delegate more.",
            "Host could delegate more.",
            "Lead could delegate more.",
            "Member could delegate more.",
        ]
    )
    expect(page.locator("#process")).to_contain_text("4 answers; the mean is 4.0 out of 5")
    expect(page.locator("#process")).not_to_contain_text("Hana Host")
    assert_accessible(page)

    # The QA sees who has completed and when, never what, and not the composite.
    sign_in(page, live_server, people["qa"].email)
    page.goto(f"{live_server.url}/reviews/{subject.pk}/reflections/completion/")
    expect(page.locator("#completion-count")).to_have_text("4 of 4 submitted.")
    expect(page.locator("#closing-day")).to_contain_text(
        "Reflections closed at the end of Wednesday 2 December 2026"
    )
    rows = page.locator("#completion tbody tr")
    expect(rows.locator("th")).to_have_text(["Lee Lead", "Dai Ta", "Mo Member", "Hana Host"])
    expect(rows.locator("td:last-child strong")).to_have_text(["Yes", "Yes", "Yes", "Yes"])
    expect(page.locator("main")).not_to_contain_text("keeps calm")
    expect(page.locator("main")).not_to_contain_text("learned to listen")
    assert_accessible(page)
    for path in ("reflections/", "reflection/"):
        page.goto(f"{live_server.url}/reviews/{subject.pk}/{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    assert Reflection.objects.filter(review=subject, submitted_at__isnull=False).count() == 4
