"""The self-assessment in a real browser (R17): the host DCS starts it, writes part of it
and it saves itself; after a reload the words are still there; a submission with an area
unrated is refused at that area, losing nothing; completed, it is signed off and becomes
read-only. Each page of ours is checked with axe-core."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from emslirp import services
from emslirp.models import LocalAuthority, PostKind
from reviews.self_assessment import content as fields
from reviews.self_assessment import services as sa_services
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentState
from tests.browser.test_accreditation_journey import sign_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SINCE = datetime.date(2020, 4, 1)
AREAS = [
    "Outcomes: how well they are being achieved",
    "Vision, strategy and leadership",
    "Working together and partnership",
    "Service delivery and effective practice",
    "Participation",
    "Managing performance",
    "Managing resources",
    "Productivity and innovation",
    "Commissioning",
]


@pytest.fixture
def host_dcs(east_midlands):
    person = UserFactory(
        full_name="Rhona Director", email="dcs@rutland.example.org", region=east_midlands
    )
    services.post_assign(
        holder=person,
        kind=PostKind.DCS,
        local_authority=LocalAuthority.objects.get(region=east_midlands, name="Rutland"),
        started_on=SINCE,
    )
    return person


def rate(page, area, label):
    page.get_by_role("group", name=f"Rating for {area}").get_by_label(label).check()


def settled(page):
    """Until the autosaves the last changes started are answered. A button pressed while
    one is under way is fine for the software (its own overtaking save is merged), but
    the navigation cancels the request, which the page fixture counts as a failure."""
    expect(page.locator("#self-assessment-form.htmx-request")).to_have_count(0)


def test_a_host_dcs_writes_saves_and_submits_the_self_assessment(
    page, live_server, host_dcs, assert_accessible
):
    year = timezone.localdate().year
    sign_in(page, live_server, "dcs@rutland.example.org")
    page.goto(f"{live_server.url}/reviews/self-assessment/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment")
    assert_accessible(page)
    page.get_by_role("button", name=f"Start the self-assessment for {year}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rutland")
    expect(page.get_by_label("Contact's name")).to_have_value("Rhona Director")
    assert_accessible(page)

    # Written in part: each answer saves itself when the writer moves on.
    status = page.locator("#autosave-status")
    commentary = page.get_by_label(f"Commentary on {AREAS[0]}")
    commentary.fill("Attainment gaps are closing at Key Stage 2.")
    commentary.press("Tab")
    expect(status).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))
    strength = page.get_by_label("Key strengths: number 1", exact=True)
    strength.fill("Early help reaches families sooner.")
    strength.press("Tab")
    expect(page.locator("#id_revision")).to_have_value("3")
    rate(page, AREAS[0], "3: Good")
    expect(page.locator("#id_revision")).to_have_value("4")
    assert_accessible(page)

    page.reload()
    expect(commentary).to_have_value("Attainment gaps are closing at Key Stage 2.")
    expect(strength).to_have_value("Early help reaches families sooner.")
    expect(
        page.get_by_role("group", name=f"Rating for {AREAS[0]}").get_by_label("3: Good")
    ).to_be_checked()

    # Every area but the last rated, with the period and the sign-off: refused at the area.
    for area in AREAS[1:-1]:
        rate(page, area, "2: Adequate")
    page.get_by_label("Period covered").fill("April 2025 to March 2026")
    page.get_by_label("Name of who signs it off").fill("Rhona Director")
    page.get_by_label("Their position").fill("Director of Children's Services")
    page.get_by_label("Their position").press("Tab")
    settled(page)
    page.get_by_role("button", name="Sign off and submit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Rate Commissioning: every area is rated before you submit."
    )
    expect(page.locator("#div_id_rating_commissioning .govuk-error-message")).to_contain_text(
        "Rate Commissioning: every area is rated before you submit."
    )
    expect(commentary).to_have_value("Attainment gaps are closing at Key Stage 2.")
    expect(page.get_by_label("Period covered")).to_have_value("April 2025 to March 2026")
    assert_accessible(page)

    page.locator(".govuk-error-summary").get_by_role("link").click()
    rate(page, AREAS[-1], "4: Outstanding")
    settled(page)
    page.get_by_role("button", name="Sign off and submit").click()
    expect(
        page.get_by_text(f"The self-assessment of Rutland for {year} is submitted.")
    ).to_be_visible()
    expect(page.locator("#sign-off")).to_contain_text(
        "Rhona Director, Director of Children's Services"
    )
    expect(page.locator("#ratings")).to_contain_text("4: Outstanding")
    expect(page.locator("textarea")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    assert_accessible(page)
    sa = SelfAssessment.objects.get()
    assert (sa.state, sa.areas["commissioning"]["rating"], sa.strengths[0]["narrative"]) == (
        SelfAssessmentState.SUBMITTED,
        4,
        "Early help reaches families sooner.",
    )


def test_a_save_overtaken_by_a_colleagues_is_told_and_loses_nothing(
    page, live_server, host_dcs, east_midlands, assert_accessible
):
    rutland = LocalAuthority.objects.get(region=east_midlands, name="Rutland")
    ad = UserFactory(full_name="Ada Safeguard", region=east_midlands)
    services.post_assign(
        holder=ad, kind=PostKind.SAFEGUARDING_LEAD, local_authority=rutland, started_on=SINCE
    )
    today = timezone.localdate()
    sa = sa_services.self_assessment_start(local_authority=rutland, by=host_dcs, on=today)
    sign_in(page, live_server, "dcs@rutland.example.org")
    page.goto(f"{live_server.url}/reviews/self-assessment/{sa.pk}/")
    expect(page.locator("#id_revision")).to_have_value("1")

    # Meanwhile the 2nd-tier lead saves the blockers and the enablers from her own page.
    content = fields.content_of(sa)
    sa_services.self_assessment_save(
        self_assessment=sa,
        base_revision=1,
        content={**content, "blockers": "Recruitment.", "enablers": "Stable leadership."},
        by=ad,
        on=today,
    )
    blockers = page.get_by_label("What holds improvement back (blockers)")
    blockers.fill("Placement sufficiency.")
    blockers.press("Tab")
    expect(page.locator("#autosave-status")).to_contain_text(
        "Not saved: Ada Safeguard saved this self-assessment at"
    )
    assert_accessible(page)

    settled(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#meanwhile")).to_contain_text("Ada Safeguard saved at")
    expect(page.locator("#id_blockers_hint")).to_contain_text("Their version:Recruitment.")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Ada Safeguard changed What holds improvement back (blockers) too"
    )
    expect(blockers).to_have_value("Placement sufficiency.")
    expect(page.get_by_label("What helps progress (enablers)")).to_have_value("Stable leadership.")
    assert_accessible(page)
    blockers.fill("Recruitment, and placement sufficiency.")
    blockers.press("Tab")
    settled(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    sa.refresh_from_db()
    assert (sa.blockers, sa.enablers) == (
        "Recruitment, and placement sufficiency.",
        "Stable leadership.",
    )
