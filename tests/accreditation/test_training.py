"""R7, R8: attending training accredits the approved roles; staying away never does, and
missing mandatory training flags; every status change is kept with who and why."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from accreditation import selectors, services
from accreditation.models import Accreditation, Role, TrainingSession
from emslirp.models import PostKind
from tests.admin_forms import inline_data
from tests.factories import (
    AccreditationFactory,
    ConflictDeclarationFactory,
    ExpressionOfInterestFactory,
    PostFactory,
    TrainingAttendanceFactory,
    TrainingSessionFactory,
    UserFactory,
)

# Their dates tell a story in 2025–2026: they run on its day (tests/accreditation/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_day")]
D = datetime.date
# Admin list pages of a coordinator: the same for one row or three (pinned).
QUERIES = {
    "trainingattendance": 9,
    "accreditation": 8,
    "expressionofinterest": 9,
    "conflictdeclaration": 8,
}


@pytest.fixture
def approved(applicant, rutland, rutland_dcs):
    """Nia: PCTR team member approved, SAV lead AD declined, on 1 September 2026."""
    application = ExpressionOfInterestFactory(
        applicant=applicant,
        local_authority=rutland,
        submitted=True,
        roles=[Role.PCTR_MEMBER, Role.SAV_LEAD_AD],
    )
    services.eoi_decide(
        application=application,
        by=rutland_dcs,
        decisions={Role.PCTR_MEMBER: (True, ""), Role.SAV_LEAD_AD: (False, "Not yet.")},
        on=D(2026, 9, 1),
    )
    return applicant


@pytest.fixture
def team_day(east_midlands):
    return TrainingSessionFactory(region=east_midlands, held_on=D(2026, 10, 14))


def test_attending_accredits_the_approved_roles_only(approved, team_day, coordinator):
    place = TrainingAttendanceFactory(session=team_day, person=approved)
    made = services.training_attendance_record(place=place, attended=True, by=coordinator)
    assert [(a.role, a.accredited_on, a.status) for a in made] == [
        (Role.PCTR_MEMBER, D(2026, 10, 14), Accreditation.Status.CURRENT)
    ]
    assert selectors.is_accredited(person=approved, role=Role.PCTR_MEMBER, on=D(2026, 10, 14))
    assert not selectors.is_accredited(person=approved, role=Role.PCTR_MEMBER, on=D(2026, 10, 13))
    assert not selectors.is_accredited(person=approved, role=Role.SAV_LEAD_AD, on=D(2026, 10, 14))


def test_an_unattended_training_never_accredits(approved, team_day, coordinator):
    place = TrainingAttendanceFactory(session=team_day, person=approved)
    assert services.training_attendance_record(place=place, attended=False, by=coordinator) == []
    assert not Accreditation.objects.exists()
    assert not selectors.is_accredited(person=approved, role=Role.PCTR_MEMBER, on=D(2027, 1, 1))


def test_training_before_the_sponsor_decided_does_not_count(
    applicant, rutland, rutland_dcs, east_midlands, coordinator
):
    application = ExpressionOfInterestFactory(
        applicant=applicant, local_authority=rutland, submitted=True
    )
    services.eoi_decide(
        application=application,
        by=rutland_dcs,
        decisions={Role.PCTR_MEMBER: (True, "")},
        on=D(2026, 11, 1),
    )
    earlier = TrainingSessionFactory(region=east_midlands, held_on=D(2026, 10, 14))
    place = TrainingAttendanceFactory(session=earlier, person=applicant)
    assert services.training_attendance_record(place=place, attended=True, by=coordinator) == []


def test_the_workshop_accredits_a_dcs_as_lead_and_qa(east_midlands, la, coordinator):
    dcs = PostFactory(kind=PostKind.DCS, local_authority=la("Derbyshire")).holder
    ad = PostFactory(kind=PostKind.SAFEGUARDING_LEAD, local_authority=la("Derbyshire")).holder
    workshop = TrainingSessionFactory(
        region=east_midlands, kind=TrainingSession.Kind.DIRECTOR_WORKSHOP, held_on=D(2026, 6, 1)
    )
    roles = {}
    for person in (dcs, ad):
        place = TrainingAttendanceFactory(session=workshop, person=person)
        made = services.training_attendance_record(place=place, attended=True, by=coordinator)
        roles[person] = sorted(a.role for a in made)
    assert roles == {dcs: [Role.LEAD_DCS, Role.QA_DCS], ad: [Role.QA_AD]}


def test_attendance_cannot_be_recorded_before_the_day(approved, east_midlands, coordinator, today):
    later = TrainingSessionFactory(region=east_midlands, held_on=today + datetime.timedelta(days=1))
    place = TrainingAttendanceFactory(session=later, person=approved)
    with pytest.raises(ValidationError, match="on or after the day"):
        services.training_attendance_record(place=place, attended=True, by=coordinator)
    place.refresh_from_db()
    assert place.attended is None


def test_missing_mandatory_training_flags_current_accreditations(east_midlands, coordinator):
    accreditation = AccreditationFactory(role=Role.SAV_MEMBER, accredited_on=D(2025, 1, 1))
    mandatory = TrainingSessionFactory(region=east_midlands, mandatory=True, held_on=D(2026, 3, 3))
    place = TrainingAttendanceFactory(session=mandatory, person=accreditation.person)
    services.training_attendance_record(place=place, attended=False, by=coordinator)
    accreditation.refresh_from_db()
    assert (accreditation.status, accreditation.status_reason) == (
        Accreditation.Status.FLAGGED,
        "Missed mandatory training on 3 March 2026.",
    )
    # Flagged is still accredited: the coordinator decides whether to suspend.
    assert selectors.is_accredited(
        person=accreditation.person, role=Role.SAV_MEMBER, on=D(2026, 4, 1)
    )


def test_suspension_holds_from_its_day_and_not_before(coordinator):
    accreditation = AccreditationFactory(role=Role.PCTR_MEMBER, accredited_on=D(2025, 1, 1))
    person = accreditation.person
    services.accreditation_status_set(
        accreditation=accreditation,
        status=Accreditation.Status.SUSPENDED,
        reason="Two reflections outstanding.",
        by=coordinator,
        on=D(2026, 5, 1),
    )
    assert selectors.is_accredited(person=person, role=Role.PCTR_MEMBER, on=D(2026, 4, 30))
    assert not selectors.is_accredited(person=person, role=Role.PCTR_MEMBER, on=D(2026, 5, 1))
    services.accreditation_status_set(
        accreditation=accreditation,
        status=Accreditation.Status.CURRENT,
        reason="Reflections completed.",
        by=coordinator,
        on=D(2026, 6, 1),
    )
    assert selectors.is_accredited(person=person, role=Role.PCTR_MEMBER, on=D(2026, 6, 1))
    assert list(accreditation.status_changes.values_list("status", "reason")) == [
        ("current", "Attended training."),
        ("suspended", "Two reflections outstanding."),
        ("current", "Reflections completed."),
    ]


def test_a_status_change_needs_a_reason(coordinator):
    accreditation = AccreditationFactory()
    with pytest.raises(ValidationError) as refused:
        services.accreditation_status_set(
            accreditation=accreditation, status="lapsed", reason=" ", by=coordinator
        )
    assert refused.value.message_dict == {"status_reason": ["Say why the status changes."]}


def test_a_status_change_in_the_admin_is_audited_with_its_actor(client, coordinator):
    person = UserFactory(region=coordinator.region)
    accreditation = AccreditationFactory(person=person)
    client.force_login(coordinator)
    url = reverse("admin:accreditation_accreditation_change", args=[accreditation.pk])
    page = client.get(url)
    response = client.post(
        url,
        {**inline_data(page), "status": "lapsed", "status_reason": "Left the region."},
    )
    assert response.status_code == 302
    accreditation.refresh_from_db()
    assert (accreditation.status, accreditation.status_changed_by) == ("lapsed", coordinator)
    entry = (
        LogEntry.objects.get_for_object(accreditation).filter(action=LogEntry.Action.UPDATE).get()
    )
    assert entry.actor == coordinator
    assert entry.changes_dict["status"] == ["current", "lapsed"]
    assert accreditation.status_changes.last().changed_by == coordinator


def test_the_admin_refuses_a_status_change_without_a_reason(client, coordinator):
    accreditation = AccreditationFactory(person=UserFactory(region=coordinator.region))
    client.force_login(coordinator)
    url = reverse("admin:accreditation_accreditation_change", args=[accreditation.pk])
    response = client.post(
        url, {**inline_data(client.get(url)), "status": "suspended", "status_reason": ""}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status_reason"] == [
        "Say why the status changes."
    ]
    accreditation.refresh_from_db()
    assert accreditation.status == "current"


def test_the_coordinator_records_attendance_for_many_at_once(
    client, coordinator, team_day, approved, east_midlands
):
    others = [UserFactory(region=east_midlands) for _ in range(2)]
    places = [TrainingAttendanceFactory(session=team_day, person=p) for p in [approved, *others]]
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:accreditation_trainingattendance_changelist"),
        {"action": "record_attended", "_selected_action": [p.pk for p in places]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Recorded that 3 people attended; 1 accreditation made."
    ]
    assert [a.person for a in Accreditation.objects.all()] == [approved]
    assert all(p.attended for p in type(places[0]).objects.all())


def test_another_regions_coordinator_sees_no_training_or_accreditation(
    client, other_region_coordinator, team_day, approved
):
    TrainingAttendanceFactory(session=team_day, person=approved)
    AccreditationFactory(person=approved)
    client.force_login(other_region_coordinator)
    for model in ["trainingsession", "trainingattendance", "accreditation", "expressionofinterest"]:
        response = client.get(reverse(f"admin:accreditation_{model}_changelist"))
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [], model


@pytest.mark.parametrize("rows", [1, 3])
@pytest.mark.parametrize(
    "model",
    ["trainingattendance", "accreditation", "expressionofinterest", "conflictdeclaration"],
)
def test_accreditation_admin_lists_do_not_grow_with_rows(
    client, coordinator, team_day, rutland, model, rows, django_assert_num_queries
):
    for _ in range(rows):
        person = UserFactory(region=coordinator.region)
        TrainingAttendanceFactory(session=team_day, person=person)
        AccreditationFactory(person=person)
        ExpressionOfInterestFactory(applicant=person, local_authority=rutland)
        ConflictDeclarationFactory(person=person, local_authority=rutland)
    client.force_login(coordinator)
    with django_assert_num_queries(QUERIES[model]):
        response = client.get(reverse(f"admin:accreditation_{model}_changelist"))
    assert len(response.context["cl"].result_list) == rows


def test_a_change_dated_earlier_does_not_hide_a_later_suspension(coordinator):
    accreditation = AccreditationFactory(accredited_on=D(2025, 1, 1))
    services.accreditation_status_set(
        accreditation=accreditation,
        status=Accreditation.Status.SUSPENDED,
        reason="Two reflections outstanding.",
        by=coordinator,
        on=D(2026, 5, 1),
    )
    # Recorded later, dated earlier: a missed mandatory day in March.
    services.accreditation_status_set(
        accreditation=accreditation,
        status=Accreditation.Status.FLAGGED,
        reason="Missed mandatory training on 3 March 2026.",
        by=coordinator,
        on=D(2026, 3, 3),
    )
    accreditation.refresh_from_db()
    assert (accreditation.status, accreditation.status_changed_on) == (
        Accreditation.Status.SUSPENDED,
        D(2026, 5, 1),
    )
    person, role = accreditation.person, accreditation.role
    assert selectors.is_accredited(person=person, role=role, on=D(2026, 4, 1))
    assert not selectors.is_accredited(person=person, role=role, on=D(2026, 6, 1))


def test_attendance_at_a_session_before_the_approval_says_it_accredits_nothing(
    client, coordinator, approved, east_midlands
):
    # R7: the roles were approved on 1 September; a session of August accredits nothing,
    # and the coordinator is told why rather than left to wonder.
    earlier = TrainingSessionFactory(region=east_midlands, held_on=D(2026, 8, 20))
    place = TrainingAttendanceFactory(session=earlier, person=approved)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:accreditation_trainingattendance_changelist"),
        {"action": "record_attended", "_selected_action": [place.pk]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Recorded that 1 person attended; 0 accreditations made.",
        "Nia Newcomer's roles were approved on 1 September 2026, after this session on "
        "20 August 2026: attending it accredits nothing. Invite them to a later session.",
    ]
    assert Accreditation.objects.count() == 0
