"""Forming a team in a real browser (R14–R16): the coordinator names the lead DCS from
the suggestions, the lead is asked on their home page to form the team, sees the core
member places wait for the host's decision, then adds a team member; a refused place
says why. Each page of ours is checked with axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from accreditation.models import Role
from emslirp.models import PostKind, User
from reviews.review.models import TeamMember
from reviews.workbook.services import hypotheses
from tests.browser.people import coordinator_of, pctr_of_rutland, post_holder_in
from tests.browser.test_accreditation_journey import sign_in
from tests.reviews.workbook.test_hypotheses import DRAFTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SINCE = datetime.date(2020, 4, 1)


@pytest.fixture
def pctr(east_midlands):
    coordinator_of(east_midlands)
    post_holder_in(
        east_midlands,
        "dcs@derby.example.org",
        PostKind.DCS,
        "Derby City",
        name="Dee Lead",
        role=Role.LEAD_DCS,
    )
    post_holder_in(
        east_midlands,
        "mia@leics.example.org",
        PostKind.SENIOR_OFFICER,
        "Leicestershire",
        name="Mia Member",
        role=Role.PCTR_MEMBER,
    )
    return pctr_of_rutland(east_midlands)


def test_the_coordinator_names_the_lead_who_adds_a_member(
    page, live_server, pctr, assert_accessible
):
    sign_in(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server.url}/reviews/{pctr.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rutland")
    expect(page.locator("#team")).to_contain_text("Lead DCS")
    assert_accessible(page)
    page.get_by_role("link", name="Suggestions for the Lead DCS place").click()
    expect(page.locator("#suggestions")).to_contain_text("Dee Lead")
    assert_accessible(page)
    page.get_by_label("Who becomes Lead DCS").select_option(label="Dee Lead, Derby City")
    page.get_by_role("button", name="Add to the team").click()
    expect(page.get_by_text("Dee Lead is on the team as Lead DCS.")).to_be_visible()
    expect(page.locator("#team")).to_contain_text("Dee Lead, Derby City")

    sign_in(page, live_server, "dcs@derby.example.org")
    page.get_by_role(
        "link", name="Form the team for the Peer Challenge Team Review of Rutland"
    ).click()
    expect(page.locator("#team")).to_contain_text("5")  # the lead's days (R16)
    # Core members join once the host has decided the hypotheses (R14): until then the
    # places say why, and no suggestions are offered for them.
    expect(page.locator(".places-wait")).to_have_text(
        "Core team members are named once the host has decided which hypotheses are "
        "investigated: the team is formed to investigate them."
    )
    expect(
        page.get_by_role("link", name="Suggestions for the Core team member place")
    ).to_have_count(0)
    assert_accessible(page)
    lead = User.objects.get(email="dcs@derby.example.org")
    hypotheses.hypotheses_save(review=pctr, drafts=DRAFTS, by=lead)
    hypotheses.hypotheses_decide(
        review=pctr,
        decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
        by=post_holder_in(pctr.host.region, "dcs@rutland.example.org", PostKind.DCS, "Rutland"),
    )
    page.reload()
    page.get_by_role("link", name="Suggestions for the Core team member place").click()
    page.get_by_label("Who becomes Core team member").select_option(
        label="Mia Member, Leicestershire"
    )
    page.get_by_role("button", name="Add to the team").click()
    expect(page.locator("#team")).to_contain_text("Mia Member, Leicestershire")
    assert_accessible(page)
    # Taking someone off asks first, and keeping them changes nothing.
    page.get_by_role("link", name="Take off Mia Member").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Take Mia Member off the team?")
    assert_accessible(page)
    page.get_by_role("link", name="Keep them on the team").click()
    expect(page.locator("#team")).to_contain_text("Mia Member, Leicestershire")
    # The lead names members, not the QA: no place for it is offered to them.
    expect(page.locator("#open-places")).not_to_contain_text("QA DCS")
    assert TeamMember.objects.filter(review=pctr).count() == 2
