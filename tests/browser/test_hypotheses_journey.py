"""Host primacy in a real browser (R18, R19): the lead drafts four hypotheses, the host
DCS picks two to investigate, parking one the lead proposed to investigate; the lead
sees the decision and records disagreement. Each page is checked with axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from accreditation.models import Role
from emslirp.models import PostKind
from reviews.review import services as review_services
from reviews.review.models import TeamRole
from reviews.workbook.models import Hypothesis
from tests.browser.people import coordinator_of, pctr_of_rutland, post_holder_in
from tests.browser.test_accreditation_journey import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SINCE = datetime.date(2020, 4, 1)
TEXTS = [
    "Thresholds at the front door are applied inconsistently.",
    "Supervision does not reach agency staff.",
    "Care leavers' pathway plans are late.",
    "Early help is not joined up with schools.",
]


@pytest.fixture
def pctr(east_midlands):
    coordinator = coordinator_of(east_midlands)
    lead = post_holder_in(
        east_midlands,
        "lead@derby.example.org",
        PostKind.DCS,
        "Derby City",
        name="Lee Lead",
        role=Role.LEAD_DCS,
    )
    post_holder_in(
        east_midlands, "dcs@rutland.example.org", PostKind.DCS, "Rutland", name="Hana Host"
    )
    review = pctr_of_rutland(east_midlands)
    review_services.team_assign(review=review, person=lead, role=TeamRole.LEAD, by=coordinator)
    return review


def test_the_host_picks_two_parking_one_against_the_leads_proposal(
    page, live_server, pctr, assert_accessible
):
    sign_in(page, live_server, "lead@derby.example.org")
    page.goto(f"{live_server.url}/reviews/{pctr.pk}/")
    page.get_by_role("link", name="Desk analysis and hypotheses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hypotheses for Rutland")
    expect(page.locator("#desk")).to_contain_text("Hana Host")
    assert_accessible(page)
    for n, text in enumerate(TEXTS, start=1):
        page.get_by_label(f"Hypothesis {n}", exact=True).fill(text)
        proposal = "Park" if n == 4 else "Investigate"
        page.get_by_role("group", name=f"Proposal for hypothesis {n}").get_by_label(
            proposal
        ).check()
    page.get_by_label("Hypothesis 1 is linked to the data").check()
    page.get_by_role("button", name="Save the hypotheses").click()
    expect(page.get_by_text("4 hypotheses saved.")).to_be_visible()

    sign_in(page, live_server, "dcs@rutland.example.org")
    page.goto(f"{live_server.url}/reviews/{pctr.pk}/hypotheses/")
    expect(page.locator("#hypothesis-3")).to_contain_text("Care leavers")
    assert_accessible(page)
    decisions = {1: "Investigate", 2: "Investigate", 3: "Park", 4: "Park"}
    for n, choice in decisions.items():
        page.get_by_role("group", name=f"Hypothesis {n} (the lead proposes").get_by_label(
            choice
        ).check()
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("Your decision is recorded")).to_be_visible()
    expect(page.locator("#hypothesis-3")).to_contain_text("Park")
    expect(page.locator("#hypothesis-3")).to_contain_text("against the lead's proposal")
    assert_accessible(page)

    sign_in(page, live_server, "lead@derby.example.org")
    page.goto(f"{live_server.url}/reviews/{pctr.pk}/hypotheses/")
    expect(page.locator("#decide")).to_have_count(0)  # the lead cannot decide
    page.locator("#hypothesis-3").get_by_text("Record disagreement with the decision").click()
    page.locator("#hypothesis-3").get_by_label("What you disagree with").fill(
        "Care leavers are the host's weakest area."
    )
    page.locator("#hypothesis-3").get_by_role("button", name="Record disagreement").click()
    expect(page.locator("#hypothesis-3")).to_contain_text(
        "Care leavers are the host's weakest area."
    )
    assert_accessible(page)
    third = Hypothesis.objects.get(review=pctr, number=3)
    assert (third.proposal, third.decision) == ("investigate", "park")
