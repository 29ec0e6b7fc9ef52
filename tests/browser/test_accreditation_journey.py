"""From expression of interest to the pool, in a real browser (R5-R9): an applicant
applies, their DCS approves one role and declines another, the coordinator records
their training, and they appear in the pool. Each page of ours is checked with axe-core.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accreditation.models import ExpressionOfInterest, TrainingSession
from emslirp import services
from emslirp.models import PostKind
from tests.factories import (
    TEST_PASSWORD,
    TrainingAttendanceFactory,
    TrainingSessionFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SKILL_LABELS = [
    "Give an example of working collaboratively in a team, using reflective practice",
    "Give an example of analysing information and forming evidence-based judgements",
    "Give an example of giving a constructive, independent perspective on performance",
    "Give an example of challenging on the priorities that matter, especially capacity to improve",
    "Give an example of using coaching to support leadership",
    "Give an example of building a culture of empowerment, innovation and improvement",
]


@pytest.fixture
def people(la, east_midlands):
    rutland = la("Rutland")
    dcs = UserFactory(full_name="Rhona Director", email="dcs@rutland.example.org")
    services.post_assign(
        holder=dcs, kind=PostKind.DCS, local_authority=rutland, started_on=datetime.date(2020, 4, 1)
    )
    applicant = UserFactory(
        full_name="Nia Newcomer", email="nia@rutland.example.org", region=east_midlands
    )
    coordinator = UserFactory(
        full_name="Coral Ordinator",
        email="coordinator@example.org",
        region=east_midlands,
        is_staff=True,
    )
    services.post_assign(
        holder=coordinator,
        kind=PostKind.COORDINATOR,
        region=east_midlands,
        started_on=datetime.date(2020, 4, 1),
    )
    session = TrainingSessionFactory(
        region=east_midlands,
        kind=TrainingSession.Kind.TEAM_DAY,
        held_on=timezone.localdate(),
        venue="Oakham",
    )
    TrainingAttendanceFactory(session=session, person=applicant)
    return {"dcs": dcs, "applicant": applicant, "coordinator": coordinator}


def sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("E-mail address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_title(re.compile(r"^Home – "))


def test_an_applicant_reaches_the_pool(page, live_server, people, assert_accessible):
    # The applicant applies, first with an answer one word too long.
    sign_in(page, live_server, "nia@rutland.example.org")
    page.get_by_role("link", name="Apply to be a peer reviewer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apply to be a peer reviewer")
    assert_accessible(page)
    page.get_by_label("Your local authority").select_option(label="Rutland")
    page.get_by_label("Your current position").fill("Service Manager, Safeguarding")
    page.get_by_label("Telephone number").fill("01572 000000")
    too_long = " ".join(["word"] * 501)
    page.get_by_label("Your experience and specialist expertise").fill(too_long)
    page.get_by_label("Safeguarding", exact=True).check()
    page.get_by_label("Data", exact=True).check()
    page.get_by_label("Your roles and organisations in the last five years, with dates").fill(
        "2021 to date: Service Manager, Rutland."
    )
    for label in SKILL_LABELS:
        page.get_by_label(label).fill("An example from my own practice.")
    page.get_by_label("PCTR team member").check()
    page.get_by_label("SAV lead AD").check()
    page.get_by_label("Type your full name to sign the application").fill("Nia Newcomer")
    page.get_by_role("button", name="Send to my DCS").click()

    expect(page).to_have_title(re.compile(r"^Error: Apply to be a peer reviewer"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Use 500 words or fewer: you have written 501, 1 too many."
    )
    expect(page.get_by_label("Your current position")).to_have_value(
        "Service Manager, Safeguarding"
    )
    assert_accessible(page)
    page.get_by_label("Your experience and specialist expertise").fill(
        "Fifteen years in child protection, the last five leading a safeguarding service."
    )
    page.get_by_role("button", name="Send to my DCS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application")
    expect(page.get_by_text("Rhona Director, DCS of Rutland")).to_be_visible()
    assert_accessible(page)

    # Her DCS approves one role and declines the other, with a reason.
    sign_in(page, live_server, "dcs@rutland.example.org")
    page.get_by_role("link", name="Decide on Nia Newcomer's application").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nia Newcomer")
    assert_accessible(page)
    page.get_by_role("group", name="PCTR team member").get_by_label("Approve").check()
    page.get_by_role("group", name="SAV lead AD").get_by_label("Decline").check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say why SAV lead AD is declined: the applicant is told."
    )
    assert_accessible(page)
    page.get_by_label("If you decline SAV lead AD, say why").fill(
        "Another year leading the service first."
    )
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("Your decision is recorded")).to_be_visible()

    # The coordinator records that she came to the training day.
    sign_in(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server.url}/admin/accreditation/trainingattendance/")
    page.get_by_role("row").filter(has_text="Nia Newcomer").get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("record_attended")
    page.get_by_role("button", name="Go").click()
    expect(
        page.get_by_text("Recorded that 1 person attended; 1 accreditation made.")
    ).to_be_visible()

    # She is in the pool, as a PCTR team member and not a SAV lead AD.
    page.goto(f"{live_server.url}/accreditation/pool/")
    page.get_by_label("Role").select_option(label="PCTR team member")
    page.get_by_role("button", name="Filter the pool").click()
    row = page.get_by_role("row").filter(has_text="Nia Newcomer")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Rutland")
    expect(row).to_contain_text("Safeguarding")
    assert_accessible(page)
    page.get_by_label("Role").select_option(label="SAV lead AD")
    page.get_by_role("button", name="Filter the pool").click()
    expect(page.get_by_role("row").filter(has_text="Nia Newcomer")).to_have_count(0)


def test_enter_in_a_text_box_saves_the_draft_and_never_sends_it(
    page, live_server, people, assert_accessible
):
    # Every answer filled, as if ready to send; Enter in the last text box typed.
    sign_in(page, live_server, "nia@rutland.example.org")
    page.get_by_role("link", name="Apply to be a peer reviewer").click()
    page.get_by_label("Your local authority").select_option(label="Rutland")
    page.get_by_label("Telephone number").fill("01572 000000")
    page.get_by_label("Your experience and specialist expertise").fill("Ten years.")
    page.get_by_label("Safeguarding", exact=True).check()
    page.get_by_label("Your roles and organisations in the last five years, with dates").fill(
        "Service manager."
    )
    for label in SKILL_LABELS:
        page.get_by_label(label).fill("An example.")
    page.get_by_label("PCTR team member").check()
    page.get_by_label("Type your full name to sign the application").fill("Nia Newcomer")
    mail.outbox.clear()
    current = page.get_by_label("Your current position")
    current.fill("Service Manager")
    current.press("Enter")
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    application = ExpressionOfInterest.objects.get(applicant=people["applicant"])
    assert (application.state, application.current_position) == ("draft", "Service Manager")
    assert mail.outbox == []
    assert_accessible(page)
