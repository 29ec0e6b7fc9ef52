"""Teams (R14–R16): composition rules enforced at assignment, each refusal naming its
rule; rights granted on placing and taken on removal (R29); suggestions; days committed;
and who may see a team at all (R30)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accreditation.models import Role
from accreditation.services import accreditation_status_set
from emslirp.models import PostKind
from emslirp.object_permissions import object_grantees
from reviews.review import services, states
from reviews.review.models import TeamMember, TeamRole
from reviews.workbook.services import deployment as workbook_deployment
from tests.calendar_planner.people import holder, review
from tests.factories import (
    AccreditationFactory,
    ConflictDeclarationFactory,
    PostFactory,
    UserFactory,
)

D = datetime.date
TODAY = D(2026, 11, 27)


def accredited(region, la_name, role, kind=PostKind.SENIOR_OFFICER, name=None):
    """A person holding ``kind`` in ``la_name``, accredited for ``role``."""
    person = holder(region, kind, la_name, name=name)
    AccreditationFactory(person=person, role=role)
    return person


@pytest.fixture
def pctr(east_midlands):
    """A PCTR of Rutland in 2027Q1, led from Derby City, quality-assured from Lincolnshire."""
    return review(east_midlands, "pctr", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")


@pytest.fixture
def lead(east_midlands, pctr, coordinator):
    person = accredited(east_midlands, "Derby City", Role.LEAD_DCS, PostKind.DCS, "Dee Lead")
    services.team_assign(review=pctr, person=person, role=TeamRole.LEAD, by=coordinator)
    return person


@pytest.fixture
def agreed(east_midlands, pctr, lead, coordinator):
    """``pctr`` with its hypotheses agreed by the host, so its core members may be named
    (R14): two investigated, one parked, the visit set for 11 January 2027."""
    from reviews.workbook.services import hypotheses

    hypotheses.hypotheses_save(
        review=pctr,
        drafts=[
            {"text": "Exclusions are high.", "proposal": "investigate"},
            {"text": "Youth offending is rising.", "proposal": "investigate"},
            {"text": "Early help is not joined up.", "proposal": "park"},
        ],
        by=lead,
    )
    workbook_deployment.review_onsite_set(review=pctr, first_day=D(2027, 1, 11), by=coordinator)
    hypotheses.hypotheses_decide(
        review=pctr,
        decisions={1: "investigate", 2: "investigate", 3: "park"},
        by=holder(east_midlands, PostKind.DCS, "Rutland", name="Hana Host"),
    )
    pctr.refresh_from_db()
    return pctr


def refusal(review, person, role):
    with pytest.raises(ValidationError) as caught:
        services.team_check(review=review, person=person, role=role)
    return [m for ms in caught.value.message_dict.values() for m in ms]


def test_placing_grants_rights_and_removing_takes_them(pctr, lead, coordinator):
    assert list(object_grantees(perm="reviews.view_review", obj=pctr)) == [lead]
    member = TeamMember.objects.get(review=pctr, person=lead)
    assert member.local_authority.name == "Derby City"
    services.team_remove(member=member, by=coordinator)
    assert list(object_grantees(perm="reviews.view_review", obj=pctr)) == []
    assert not TeamMember.objects.filter(review=pctr).exists()


def test_a_member_not_accredited_for_the_role_is_refused(east_midlands, pctr):
    person = accredited(east_midlands, "Leicestershire", Role.SAV_MEMBER, name="Sam Visitor")
    assert refusal(pctr, person, TeamRole.MEMBER) == [
        "Sam Visitor is not accredited as PCTR team member on 1 January 2027."
    ]


def test_nobody_from_the_host_la_is_placed(east_midlands, pctr):
    person = accredited(east_midlands, "Rutland", Role.PCTR_MEMBER, name="Rae Home")
    assert refusal(pctr, person, TeamRole.MEMBER) == [
        "Rae Home is from Rutland, the host: nobody reviews their own LA."
    ]


def test_a_declared_conflict_or_former_employment_is_refused(east_midlands, pctr, la):
    declared = accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="Con Flict")
    ConflictDeclarationFactory(person=declared, local_authority=la("Rutland"))
    assert refusal(pctr, declared, TeamRole.MEMBER) == [
        "Con Flict has a conflict of interest with Rutland."
    ]
    former = accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="Fay Former")
    PostFactory(
        holder=former,
        kind=PostKind.SENIOR_OFFICER,
        tier=3,
        local_authority=la("Rutland"),
        started_on=D(2015, 1, 1),
        ended_on=D(2018, 12, 31),
    )
    assert refusal(pctr, former, TeamRole.MEMBER) == [
        "Fay Former has a conflict of interest with Rutland."
    ]


def test_the_lead_comes_from_the_la_the_calendar_planned(east_midlands, pctr):
    other = accredited(
        east_midlands, "Leicestershire", Role.LEAD_DCS, PostKind.DCS, "Lee Elsewhere"
    )
    assert refusal(pctr, other, TeamRole.LEAD) == [
        "The calendar gives the Lead DCS to Derby City; Lee Elsewhere is from Leicestershire."
    ]


def test_the_data_specialist_comes_from_the_leads_la_and_after_the_lead(
    east_midlands, pctr, coordinator
):
    data = accredited(
        east_midlands, "Derby City", Role.DATA_SPECIALIST, PostKind.DATA_SPECIALIST, "Dai Ta"
    )
    assert refusal(pctr, data, TeamRole.DATA_SPECIALIST) == [
        "Name the Lead DCS first: the data specialist comes from the lead's LA."
    ]
    lead = accredited(east_midlands, "Derby City", Role.LEAD_DCS, PostKind.DCS, "Dee Lead")
    services.team_assign(review=pctr, person=lead, role=TeamRole.LEAD, by=coordinator)
    wrong = accredited(
        east_midlands, "Leicestershire", Role.DATA_SPECIALIST, PostKind.DATA_SPECIALIST, "Wyn Rong"
    )
    assert refusal(pctr, wrong, TeamRole.DATA_SPECIALIST) == [
        "The data specialist comes from the lead's LA, Derby City; Wyn Rong is from Leicestershire."
    ]
    services.team_assign(review=pctr, person=data, role=TeamRole.DATA_SPECIALIST, by=lead)


def test_members_come_from_different_las_and_are_four(east_midlands, agreed, lead):
    pctr = agreed
    names = ["Leicestershire", "Derbyshire", "Nottinghamshire", "Nottingham City"]
    for n, name in enumerate(names):
        person = accredited(east_midlands, name, Role.PCTR_MEMBER, name=f"Member {n}")
        services.team_assign(review=pctr, person=person, role=TeamRole.MEMBER, by=lead)
    same_la = accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="Second Leics")
    fifth = accredited(east_midlands, "Leicester City", Role.PCTR_MEMBER, name="Fifth")
    assert refusal(pctr, fifth, TeamRole.MEMBER) == ["The team has its 4 core team members."]
    TeamMember.objects.filter(person__full_name="Member 3").delete()
    assert refusal(pctr, same_la, TeamRole.MEMBER) == [
        "Member 0 already comes from Leicestershire: team members come from different LAs."
    ]


def test_only_the_coordinator_names_the_lead_and_qa(east_midlands, pctr, lead):
    qa = accredited(east_midlands, "Lincolnshire", Role.QA_DCS, PostKind.DCS, "Quinn Assure")
    with pytest.raises(PermissionDenied):
        services.team_assign(review=pctr, person=qa, role=TeamRole.QA, by=lead)
    host_dcs = holder(east_midlands, PostKind.DCS, "Rutland")
    member = accredited(east_midlands, "Derbyshire", Role.PCTR_MEMBER)
    with pytest.raises(PermissionDenied):
        services.team_assign(review=pctr, person=member, role=TeamRole.MEMBER, by=host_dcs)
    assert TeamMember.objects.filter(review=pctr).count() == 1


def test_suggestions_leave_out_who_the_rules_refuse_and_put_the_least_deployed_first(
    east_midlands, pctr, lead, coordinator
):
    accredited(east_midlands, "Rutland", Role.PCTR_MEMBER, name="Host Person")
    busy = accredited(east_midlands, "Derbyshire", Role.PCTR_MEMBER, name="Busy Bee")
    accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="New Comer")
    accredited(east_midlands, "Nottinghamshire", Role.SAV_MEMBER, name="Wrong Role")
    earlier = review(east_midlands, "pctr", "Lincolnshire", D(2026, 4, 1), "Rutland", "Derby City")
    TeamMember.objects.create(
        review=earlier,
        person=busy,
        role=TeamRole.MEMBER,
        local_authority=busy.posts.get().local_authority,
        assigned_by=coordinator,
    )
    from reviews.review.selectors import team_suggestions

    rows = team_suggestions(review=pctr, role=TeamRole.MEMBER, on=TODAY)
    assert [(r["person"].full_name, r["last_deployed"]) for r in rows] == [
        ("New Comer", None),
        ("Busy Bee", D(2026, 6, 30)),
    ]


def test_core_members_are_named_once_the_host_has_agreed_the_hypotheses(
    client, east_midlands, pctr, lead, coordinator
):
    """R14: the lead forms the team to investigate the hypotheses the host chose; before
    then the member places say why they wait and offer no suggestions (R15: not a SAV's)."""
    member = accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="Ella Early")
    assert refusal(pctr, member, TeamRole.MEMBER) == [
        "Core team members are named once the host has decided which hypotheses are "
        "investigated: the team is formed to investigate them."
    ]
    client.force_login(lead)
    url = reverse("reviews:review", args=[pctr.pk])
    page = client.get(url)
    assert [p["name"] for p in page.context["places"] if p["waits"]] == ["Core team member"] * 4
    assert page.context["places_wait"] == [
        "Core team members are named once the host has decided which hypotheses are "
        "investigated: the team is formed to investigate them."
    ]
    assert ("member", "Core team member") not in page.context["placeable"]
    # A page opened elsewhere may still send one: refused, saying why.
    response = client.post(url, {"role": "member", "person": member.pk})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == page.context["places_wait"]
    assert not TeamMember.objects.filter(person=member).exists()
    sav = review(east_midlands, "sav", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")
    expert = accredited(east_midlands, "Leicestershire", Role.SAV_MEMBER, name="Sav Early")
    services.team_check(review=sav, person=expert, role=TeamRole.MEMBER)


def test_the_team_page_shows_days_committed_and_places_a_member(
    client, east_midlands, agreed, lead
):
    pctr = agreed
    member = accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="Mia Member")
    client.force_login(lead)
    url = reverse("reviews:review", args=[pctr.pk])
    page = client.get(url, {"role": "member"})
    body = page.content.decode()
    assert page.status_code == 200
    assert [(p["name"], p["days"]) for p in page.context["places"]] == [
        ("Lead DCS", 5),
        ("Data specialist", 3),
        ("Core team member", 3),
        ("Core team member", 3),
        ("Core team member", 3),
        ("Core team member", 3),
        ("QA DCS", None),
    ]
    assert "Mia Member, Leicestershire" in body
    response = client.post(url, {"role": "member", "person": member.pk})
    assert response.status_code == 302
    assert TeamMember.objects.get(person=member).role == TeamRole.MEMBER


def test_a_refused_placing_is_shown_at_the_field(client, east_midlands, agreed, coordinator, la):
    pctr = agreed
    person = accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="Late Conflict")
    client.force_login(coordinator)
    url = reverse("reviews:review", args=[pctr.pk])
    page = client.get(url, {"role": "member"})
    assert "Late Conflict, Leicestershire" in page.content.decode()
    # Declared between the page and the click: the service refuses, at the field.
    ConflictDeclarationFactory(person=person, local_authority=la("Rutland"))
    response = client.post(url, {"role": "member", "person": person.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [
        "Late Conflict has a conflict of interest with Rutland."
    ]
    assert not TeamMember.objects.filter(person=person).exists()


def test_a_suspended_accreditation_is_named_as_the_reason(client, east_midlands, pctr, coordinator):
    person = accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="Sue Spended")
    accreditation = person.accreditations.get()
    accreditation_status_set(
        accreditation=accreditation,
        status="suspended",
        reason="Two reflections outstanding.",
        by=coordinator,
        on=datetime.date(2026, 1, 1),
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("reviews:review", args=[pctr.pk]), {"role": "member", "person": person.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["person"] == [
        "Sue Spended's accreditation as PCTR team member is suspended: Two reflections outstanding."
    ]


def test_a_flagged_accreditation_is_marked_among_the_suggestions(
    client, east_midlands, agreed, coordinator
):
    pctr = agreed
    person = accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="Flo Agged")
    accreditation_status_set(
        accreditation=person.accreditations.get(),
        status="flagged",
        reason="Missed mandatory training.",
        by=coordinator,
        on=datetime.date(2026, 1, 1),
    )
    client.force_login(coordinator)
    page = client.get(reverse("reviews:review", args=[pctr.pk]), {"role": "member"})
    assert "Flo Agged, Leicestershire (accreditation flagged)" in page.content.decode()
    # In the table of suggestions too, beside the name, not only in the list to choose from.
    table = page.content.decode().split('id="suggestions"')[1].split("</table>")[0]
    assert 'Flo Agged <strong class="govuk-tag govuk-tag--yellow">Accreditation flagged' in table
    assert [r["flagged"] for r in page.context["suggestions"]] == [True]


@pytest.mark.parametrize(
    ("who", "kind", "sees", "sees_team"),
    [
        ("coordinator", "sav", True, True),
        ("lead", "sav", True, True),
        ("host_dcs", "sav", True, False),
        ("host_ad", "sav", False, False),
        ("uninvolved", "sav", False, False),
        ("host_dcs", "pctr", True, True),
        ("host_ad", "pctr", True, True),
        ("uninvolved", "pctr", False, False),
        ("nobody", "pctr", False, False),
    ],
)
def test_who_sees_a_review_and_its_team(
    client, east_midlands, coordinator, who, kind, sees, sees_team
):
    lead_role = Role.SAV_LEAD_AD if kind == "sav" else Role.LEAD_DCS
    subject = review(east_midlands, kind, "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")
    post = PostKind.SAFEGUARDING_LEAD if kind == "sav" else PostKind.DCS
    lead = accredited(east_midlands, "Derby City", lead_role, post, "Lead Person")
    services.team_assign(review=subject, person=lead, role=TeamRole.LEAD, by=coordinator)
    people = {
        "coordinator": coordinator,
        "lead": lead,
        "host_dcs": holder(east_midlands, PostKind.DCS, "Rutland"),
        "host_ad": holder(east_midlands, PostKind.SAFEGUARDING_LEAD, "Rutland"),
        "uninvolved": holder(east_midlands, PostKind.DCS, "Leicestershire"),
        "nobody": UserFactory(region=east_midlands),
    }
    client.force_login(people[who])
    response = client.get(reverse("reviews:review", args=[subject.pk]))
    assert response.status_code == (200 if sees else 404)
    if sees:
        assert ("Lead Person" in response.content.decode()) is sees_team


@pytest.mark.parametrize("count", [1, 3])
def test_review_page_query_count_is_pinned(
    client, east_midlands, agreed, lead, count, django_assert_num_queries
):
    pctr = agreed
    for n, name in enumerate(["Leicestershire", "Derbyshire", "Nottinghamshire"][: count - 1]):
        person = accredited(east_midlands, name, Role.PCTR_MEMBER, name=f"Member {n}")
        services.team_assign(review=pctr, person=person, role=TeamRole.MEMBER, by=lead)
    client.force_login(lead)
    # One more than before the states: the review's history of state changes.
    with django_assert_num_queries(12):
        response = client.get(reverse("reviews:review", args=[pctr.pk]))
    assert sum(1 for p in response.context["places"] if p["member"]) == count


def test_the_lead_is_asked_to_form_the_team_on_the_home_page(client, pctr, lead):
    client.force_login(lead)
    page = client.get(reverse("home")).content.decode()
    url = reverse("reviews:review", args=[pctr.pk])
    assert (
        f'<a class="govuk-link" href="{url}">Form the team for the Peer Challenge Team '
        "Review of Rutland</a>" in page
    )
    assert "Peer Challenge Team Review of Rutland</a>, January 2027: Lead DCS" in page


def test_the_lead_is_asked_only_while_a_place_they_name_can_be_filled(
    client, east_midlands, pctr, lead, coordinator
):
    """With the data specialist named, the core members wait for the host's decision
    (R14): nothing to do until then; once it is made, the lead is asked again."""
    title = "Form the team for the Peer Challenge Team Review of Rutland"
    data = accredited(
        east_midlands, "Derby City", Role.DATA_SPECIALIST, PostKind.DATA_SPECIALIST, "Dai Ta"
    )
    services.team_assign(review=pctr, person=data, role=TeamRole.DATA_SPECIALIST, by=lead)
    client.force_login(lead)
    assert title not in client.get(reverse("home")).content.decode()
    from reviews.workbook.services import hypotheses

    hypotheses.hypotheses_save(
        review=pctr,
        drafts=[
            {"text": "Exclusions are high.", "proposal": "investigate"},
            {"text": "Youth offending is rising.", "proposal": "investigate"},
            {"text": "Early help is not joined up.", "proposal": "park"},
        ],
        by=lead,
    )
    hypotheses.hypotheses_decide(
        review=pctr,
        decisions={1: "investigate", 2: "investigate", 3: "park"},
        by=holder(east_midlands, PostKind.DCS, "Rutland"),
    )
    assert title in client.get(reverse("home")).content.decode()


def test_suggestions_put_first_who_covers_the_hypotheses_expertise(
    east_midlands, pctr, lead, coordinator, la
):
    """R14: members who cover the expertise the hypotheses to investigate need come before
    those deployed less recently."""
    from accreditation.models import Specialism
    from reviews.review.selectors import team_suggestions
    from reviews.workbook.services import hypotheses
    from tests.accreditation.test_pool import member

    schools = member(east_midlands, la("Leicestershire"), "Sam Schools", specialisms=["schools"])
    member(east_midlands, la("Derbyshire"), "Nia Never", specialisms=["youth"])
    earlier = review(east_midlands, "pctr", "Lincolnshire", D(2026, 4, 1), "Rutland", "Derby City")
    TeamMember.objects.create(
        review=earlier,
        person=schools,
        role=TeamRole.MEMBER,
        local_authority=la("Leicestershire"),
        assigned_by=coordinator,
    )
    before = team_suggestions(review=pctr, role=TeamRole.MEMBER, on=TODAY)
    assert [r["person"].full_name for r in before] == ["Nia Never", "Sam Schools"]
    hypotheses.hypotheses_save(
        review=pctr,
        drafts=[
            {
                "text": "Exclusions are high.",
                "proposal": "investigate",
                "specialisms": [Specialism.objects.get(code="schools")],
            },
            {"text": "Youth offending is rising.", "proposal": "park"},
        ],
        by=lead,
    )
    after = team_suggestions(review=pctr, role=TeamRole.MEMBER, on=TODAY)
    assert [(r["person"].full_name, r["covers"]) for r in after] == [
        ("Sam Schools", 1),
        ("Nia Never", 0),
    ]


def test_home_pages_name_each_place_as_the_programme_does(east_midlands, coordinator, client):
    # Never the stored code ("qa"): the QA DCS of a PCTR, the lead AD of a SAV.
    from tests.reviews.visited import visited  # it imports this module's helpers

    review, people = visited(east_midlands, coordinator, "pctr")
    client.force_login(people["qa"])
    html = client.get(reverse("home")).content.decode()
    assert f"{review.starts_on:%B %Y}: QA DCS</li>" in html
    assert ": qa</li>" not in html


@pytest.mark.parametrize("state", ["on_site", "after_visit"])
def test_once_the_visit_has_started_the_team_stays_as_it_was(
    east_midlands, coordinator, client, state
):
    # The record of who was there stays true: their notes, the letter they may read, their
    # reflection and the composite all rest on the team (R14, R27, R29).
    from tests.reviews.visited import visited  # it imports this module's helpers

    review, people = visited(east_midlands, coordinator, "pctr", state=state)
    member = TeamMember.objects.get(review=review, person=people["member"])
    with pytest.raises(ValidationError, match="The visit has started"):
        services.team_remove(member=member, by=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("reviews:review", args=[review.pk]))
    assert page.context["removable"] == set()
    # Not even asked: the page goes back to the review.
    asked = client.get(reverse("reviews:team_remove", args=[review.pk, member.pk]))
    assert asked.status_code == 302
    response = client.post(reverse("reviews:team_remove", args=[review.pk, member.pk]))
    assert response.status_code == 302
    assert TeamMember.objects.filter(pk=member.pk).exists()
    assert people["member"] in object_grantees(perm="reviews.view_review", obj=review)


def test_no_data_specialist_from_the_leads_la_is_the_reason_given(
    client, east_midlands, pctr, lead, coordinator
):
    # Accredited data specialists exist, but none from Derby City, the lead's LA.
    accredited(east_midlands, "Leicestershire", Role.DATA_SPECIALIST, name="Dara Elsewhere")
    client.force_login(coordinator)
    page = client.get(reverse("reviews:review", args=[pctr.pk]), {"role": "data_specialist"})
    assert page.context["suggestions"] == []
    assert page.context["no_suggestion"] == (
        "Nobody from Derby City is accredited as Data specialist, and the data specialist "
        "comes from the lead's LA. Derby City's DCS sponsors someone's application, and the "
        "coordinator records their training."
    )


def test_the_visit_does_not_start_with_a_place_named_before_it_open(east_midlands, coordinator):
    from tests.reviews.visited import visited  # it imports this module's helpers

    review, people = visited(east_midlands, coordinator, "pctr", state="agreed")
    TeamMember.objects.filter(review=review, role=TeamRole.DATA_SPECIALIST).delete()
    with pytest.raises(ValidationError, match="the data specialist place is still open"):
        states.review_state_set(review=review, state="on_site", by=people["lead"])
    review.refresh_from_db()
    assert review.state == "agreed"


def test_the_data_specialist_place_waits_for_the_lead(client, east_midlands, pctr, coordinator):
    """R14, R15: the data specialist comes from the lead's LA, so their place offers no
    suggestions until the lead is named, and says why."""
    client.force_login(coordinator)
    url = reverse("reviews:review", args=[pctr.pk])
    page = client.get(url)
    why = "Name the Lead DCS first: the data specialist comes from the lead's LA."
    assert [
        p["waits"] for p in page.context["places"] if p["role"] == TeamRole.DATA_SPECIALIST
    ] == [why]
    assert why in page.context["places_wait"]
    assert "Suggestions for the Data specialist place" not in page.content.decode()
    lead = accredited(east_midlands, "Derby City", Role.LEAD_DCS, PostKind.DCS, "Dee Lead")
    services.team_assign(review=pctr, person=lead, role=TeamRole.LEAD, by=coordinator)
    page = client.get(url)
    assert why not in page.context["places_wait"]
    assert "Suggestions for the Data specialist place" in page.content.decode()


def test_taking_someone_off_asks_first_and_only_who_may_do_it(
    client, east_midlands, agreed, lead, coordinator
):
    """R14: one click does not take a place away; the page asks, naming who and what,
    and only those who name that place are asked (R29)."""
    member = accredited(east_midlands, "Leicestershire", Role.PCTR_MEMBER, name="Mia Member")
    place = services.team_assign(review=agreed, person=member, role=TeamRole.MEMBER, by=lead)
    url = reverse("reviews:team_remove", args=[agreed.pk, place.pk])
    client.force_login(lead)
    review_page = client.get(reverse("reviews:review", args=[agreed.pk])).content.decode()
    assert f'href="{url}">Take off<span class="govuk-visually-hidden"> Mia Member</span>' in (
        review_page
    )
    asked = client.get(url)
    assert asked.status_code == 200
    assert "Take Mia Member off the team?" in asked.content.decode()
    assert "Mia Member, Leicestershire, is on the team as core team member." in (
        asked.content.decode()
    )
    assert TeamMember.objects.filter(pk=place.pk).exists()  # asking changes nothing
    # The member themself may not take anyone off; the lead may not take off the lead.
    client.force_login(member)
    assert client.get(url).status_code == 403
    lead_place = TeamMember.objects.get(review=agreed, role=TeamRole.LEAD)
    client.force_login(lead)
    assert (
        client.get(reverse("reviews:team_remove", args=[agreed.pk, lead_place.pk])).status_code
        == 403
    )
    response = client.post(url)
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=place.pk).exists()
