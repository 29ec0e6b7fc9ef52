"""R5-R9 at their edges: stale copies and races, correcting attendance, training again
after a lapse, directors who leave their post, and filters with a bad value. Each test
failed before the fix that came with it."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accreditation import selectors, services
from accreditation.models import Accreditation, ExpressionOfInterest, Role
from emslirp.models import PostKind
from tests.accreditation.test_application import complete
from tests.factories import (
    AccreditationFactory,
    ExpressionOfInterestFactory,
    PostFactory,
    TrainingAttendanceFactory,
    TrainingSessionFactory,
    UserFactory,
)

# Their dates tell a story in 2025–2026: they run on its day (tests/accreditation/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("story_day")]
D = datetime.date
APPLY = reverse("accreditation:application")


def _roles_decided(applicant, la, dcs, on):
    app = ExpressionOfInterestFactory(
        applicant=applicant, local_authority=la, submitted=True, roles=[Role.PCTR_MEMBER]
    )
    services.eoi_decide(application=app, by=dcs, decisions={Role.PCTR_MEMBER: (True, "")}, on=on)
    return app


# 1. A stale draft save (second tab / double click) reverts a SENT application to draft.
def test_stale_draft_save_does_not_reopen_a_sent_application(applicant, rutland, rutland_dcs):
    draft = ExpressionOfInterestFactory(applicant=applicant, local_authority=rutland)
    stale = ExpressionOfInterest.objects.get(pk=draft.pk)
    services.eoi_submit(
        application=draft, roles=[Role.PCTR_MEMBER], specialism_codes=["data"], notify=False
    )
    stale.experience = "edited after sending"
    with pytest.raises(ValidationError, match="has been sent"):
        services.eoi_save(application=stale, roles=[Role.PCTR_MEMBER], specialism_codes=["data"])
    draft.refresh_from_db()
    assert draft.state == ExpressionOfInterest.State.SUBMITTED
    assert draft.experience != "edited after sending"


# 2. Two concurrent decisions: the loser gets a 500 (non-dict ValidationError .message_dict).
def test_a_concurrent_second_decision_is_not_a_500(client, applicant, rutland, rutland_dcs):
    application = ExpressionOfInterestFactory(
        applicant=applicant, local_authority=rutland, submitted=True, roles=[Role.PCTR_MEMBER]
    )
    stale = ExpressionOfInterest.objects.select_related("applicant", "local_authority").get(
        pk=application.pk
    )
    services.eoi_decide(
        application=application, by=rutland_dcs, decisions={Role.PCTR_MEMBER: (True, "")}
    )
    client.force_login(rutland_dcs)
    # The view read the application just before the other decision committed.
    with mock.patch("accreditation.views.get_object_or_404", return_value=stale):
        response = client.post(
            reverse("accreditation:sponsor_decide", args=[application.pk]),
            {"pctr_member-decision": "decline", "pctr_member-reason": "changed my mind"},
        )
    assert response.status_code == 302
    assert list(application.role_requests.values_list("decision", flat=True)) == ["approved"]


# 3. An applicant employed in Rutland picks Leicester, whose DCS is friendlier.
def test_applicant_with_a_post_cannot_pick_another_las_sponsor(client, applicant, rutland, la):
    PostFactory(holder=applicant, kind=PostKind.DATA_SPECIALIST, local_authority=rutland)
    leicester = la("Leicester City")
    PostFactory(holder=UserFactory(), kind=PostKind.DCS, local_authority=leicester)
    client.force_login(applicant)
    response = client.post(APPLY, complete(rutland, local_authority=leicester.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["local_authority"] == [
        "Choose the authority you work for: its DCS sponsors you."
    ]
    assert not ExpressionOfInterest.objects.filter(state="submitted").exists()


# 4. A DCS's own application is listed to them as "needs you" and links to a 403; stuck forever.
def test_a_dcs_own_application_is_not_listed_for_them_to_decide(client, rutland, rutland_dcs):
    client.force_login(rutland_dcs)
    response = client.post(APPLY, complete(rutland, signed_name="Rhona Director"))
    assert response.status_code == 200
    assert response.context["form"].errors["local_authority"] == [
        "You are the DCS of Rutland, and nobody sponsors themselves: directors are "
        "accredited at the directors' workshop."
    ]
    assert not ExpressionOfInterest.objects.filter(state="submitted").exists()


# 5a. Correcting "attended" to "did not attend" leaves the accreditation in place.
def test_correcting_attendance_to_absent_withdraws_the_accreditation(
    applicant, rutland, rutland_dcs, east_midlands, coordinator
):
    _roles_decided(applicant, rutland, rutland_dcs, D(2026, 9, 1))
    session = TrainingSessionFactory(region=east_midlands, held_on=D(2026, 10, 14))
    place = TrainingAttendanceFactory(session=session, person=applicant)
    services.training_attendance_record(place=place, attended=True, by=coordinator)
    services.training_attendance_record(place=place, attended=False, by=coordinator)
    assert not selectors.is_accredited(person=applicant, role=Role.PCTR_MEMBER, on=D(2026, 11, 1))


# 5b. Correcting a wrongly recorded absence from mandatory training leaves the person flagged.
def test_correcting_a_mandatory_absence_removes_the_flag(east_midlands, coordinator):
    person = UserFactory(region=east_midlands)
    accreditation = AccreditationFactory(person=person)
    session = TrainingSessionFactory(region=east_midlands, held_on=D(2026, 10, 1), mandatory=True)
    place = TrainingAttendanceFactory(session=session, person=person)
    services.training_attendance_record(place=place, attended=False, by=coordinator)
    services.training_attendance_record(place=place, attended=True, by=coordinator)
    accreditation.refresh_from_db()
    assert accreditation.status == Accreditation.Status.CURRENT


# 6. A lapsed member who is approved again and attends training stays lapsed.
def test_retraining_restores_a_lapsed_accreditation(
    applicant, rutland, rutland_dcs, east_midlands, coordinator
):
    old = AccreditationFactory(person=applicant, role=Role.PCTR_MEMBER)
    services.accreditation_status_set(
        accreditation=old, status="lapsed", reason="Left", by=coordinator, on=D(2026, 1, 1)
    )
    _roles_decided(applicant, rutland, rutland_dcs, D(2026, 9, 1))
    session = TrainingSessionFactory(region=east_midlands, held_on=D(2026, 10, 14))
    place = TrainingAttendanceFactory(session=session, person=applicant)
    services.training_attendance_record(place=place, attended=True, by=coordinator)
    assert selectors.is_accredited(person=applicant, role=Role.PCTR_MEMBER, on=D(2026, 11, 1))


# 7. A former DCS keeps "lead DCS" for ever: still sees the whole pool (names, e-mails, conflicts).
def test_a_former_dcs_no_longer_sees_the_pool(client, east_midlands, rutland):
    ex = UserFactory(region=east_midlands)
    PostFactory(
        holder=ex, local_authority=rutland, started_on=D(2020, 1, 1), ended_on=D(2026, 3, 31)
    )
    AccreditationFactory(person=ex, role=Role.LEAD_DCS, accredited_on=D(2021, 1, 1))
    client.force_login(ex)
    assert client.get(reverse("accreditation:pool")).status_code == 403
    assert not selectors.is_accredited(person=ex, role=Role.LEAD_DCS, on=D(2026, 11, 1))


# 8. Odd input on the pool is answered, not a server error.
@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=99999999999999999999",
        "local_authority=abc",
        "local_authority=99999999999999999999",
        "specialism=%3Cscript%3E",
        "status=x&role=y",
    ],
)
def test_pool_odd_input_is_not_a_500(client, coordinator, query):
    client.force_login(coordinator)
    assert client.get(reverse("accreditation:pool") + "?" + query).status_code == 200


# 9. An invalid filter value silently drops the valid ones: the whole pool is shown.
def test_one_bad_filter_does_not_drop_the_others(client, coordinator, east_midlands, la):
    for name, code in [("A", "data"), ("B", "youth")]:
        p = UserFactory(region=east_midlands, full_name=name)
        ExpressionOfInterestFactory(
            applicant=p,
            local_authority=la("Rutland"),
            state="decided",
            submitted_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
            signed_on=D(2025, 1, 1),
            specialisms=[code],
        )
        AccreditationFactory(person=p)
    client.force_login(coordinator)
    r = client.get(reverse("accreditation:pool") + "?specialism=data&status=bogus")
    assert [row["person"].full_name for row in r.context["rows"]] == ["A"]


def test_the_service_also_refuses_another_las_sponsor(applicant, rutland, la):
    PostFactory(holder=applicant, kind=PostKind.DATA_SPECIALIST, local_authority=rutland)
    leicester = la("Leicester City")
    PostFactory(kind=PostKind.DCS, local_authority=leicester)
    draft = ExpressionOfInterestFactory(applicant=applicant, local_authority=leicester)
    with pytest.raises(ValidationError) as refused:
        services.eoi_submit(application=draft, roles=[Role.PCTR_MEMBER], specialism_codes=["data"])
    assert refused.value.message_dict == {
        "local_authority": ["Choose the authority you work for: its DCS sponsors you (Rutland)."]
    }
