"""Forming a team in a real browser (R14–R16): the coordinator names the lead DCS from
the suggestions, the lead is asked on their home page to form the team and adds a team
member; a refused place says why. Each page of ours is checked with axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from accreditation.models import Role
from calendar_planner.periods import slot_end
from emslirp import services
from emslirp.models import LocalAuthority, PostKind
from reviews.models import Review, TeamMember
from tests.browser.test_accreditation_journey import sign_in
from tests.factories import AccreditationFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SINCE = datetime.date(2024, 4, 1)
START = datetime.date(2027, 1, 1)


@pytest.fixture
def pctr(east_midlands):
    def la(name):
        return LocalAuthority.objects.get(region=east_midlands, name=name)

    def person(email, name, kind, la_name, role):
        user = UserFactory(email=email, full_name=name, region=east_midlands)
        extra = {"tier": 3} if kind == PostKind.SENIOR_OFFICER else {}
        services.post_assign(
            holder=user, kind=kind, local_authority=la(la_name), started_on=SINCE, **extra
        )
        AccreditationFactory(person=user, role=role)
        return user

    coordinator = UserFactory(email="coordinator@example.org", region=east_midlands, is_staff=True)
    services.post_assign(
        holder=coordinator, kind=PostKind.COORDINATOR, region=east_midlands, started_on=SINCE
    )
    person("dcs@derby.example.org", "Dee Lead", PostKind.DCS, "Derby City", Role.LEAD_DCS)
    person(
        "mia@leics.example.org",
        "Mia Member",
        PostKind.SENIOR_OFFICER,
        "Leicestershire",
        Role.PCTR_MEMBER,
    )
    return Review.objects.create(
        kind="pctr",
        host=la("Rutland"),
        starts_on=START,
        ends_on=slot_end("pctr", START),
        lead_local_authority=la("Derby City"),
        qa_local_authority=la("Lincolnshire"),
    )


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
    expect(page.get_by_text("Dee Lead is on the team as lead.")).to_be_visible()
    expect(page.locator("#team")).to_contain_text("Dee Lead, Derby City")

    sign_in(page, live_server, "dcs@derby.example.org")
    page.get_by_role(
        "link", name="Form the team for the Peer Challenge Team Review of Rutland"
    ).click()
    expect(page.locator("#team")).to_contain_text("5")  # the lead's days (R16)
    page.get_by_role("link", name="Suggestions for the Core team member place").click()
    page.get_by_label("Who becomes Core team member").select_option(
        label="Mia Member, Leicestershire"
    )
    page.get_by_role("button", name="Add to the team").click()
    expect(page.locator("#team")).to_contain_text("Mia Member, Leicestershire")
    assert_accessible(page)
    # The lead names members, not the QA: no place for it is offered to them.
    expect(page.locator("#open-places")).not_to_contain_text("QA DCS")
    assert TeamMember.objects.filter(review=pctr).count() == 2
