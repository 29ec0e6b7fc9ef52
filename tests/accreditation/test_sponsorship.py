"""R6: the sponsor is the DCS of the applicant's own LA on the day, nobody else; they
decide per role, with a reason when declining; the applicant is told."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accreditation import services
from accreditation.models import ExpressionOfInterest, Role, RoleRequest
from emslirp import services as core_services
from emslirp.models import PostKind
from tests.factories import ExpressionOfInterestFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def application(applicant, rutland, rutland_dcs):
    return ExpressionOfInterestFactory(
        applicant=applicant,
        local_authority=rutland,
        submitted=True,
        roles=[Role.PCTR_MEMBER, Role.SAV_LEAD_AD],
    )


def decide_url(application):
    return reverse("accreditation:sponsor_decide", args=[application.pk])


APPROVE_ONE_DECLINE_ONE = {
    "pctr_member-decision": "approve",
    "sav_lead_ad-decision": "decline",
    "sav_lead_ad-reason": "Not yet two years as a senior manager.",
}


def test_the_dcs_approves_one_role_and_declines_another(
    client, application, rutland_dcs, applicant, django_capture_on_commit_callbacks
):
    client.force_login(rutland_dcs)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide_url(application), APPROVE_ONE_DECLINE_ONE)
    assert response.status_code == 302
    decided = {
        r.role: (r.decision, r.reason, r.decided_by)
        for r in RoleRequest.objects.filter(application=application)
    }
    assert decided == {
        Role.PCTR_MEMBER: (RoleRequest.Decision.APPROVED, "", rutland_dcs),
        Role.SAV_LEAD_AD: (
            RoleRequest.Decision.DECLINED,
            "Not yet two years as a senior manager.",
            rutland_dcs,
        ),
    }
    application.refresh_from_db()
    assert application.state == ExpressionOfInterest.State.DECIDED
    [message] = mail.outbox
    assert message.to == [applicant.email]
    assert "- PCTR team member: approved" in message.body
    assert "- SAV lead AD: declined. Reason: Not yet two years as a senior manager." in message.body
    client.force_login(applicant)
    home = client.get(reverse("home")).content.decode()
    assert "PCTR team member approved; SAV lead AD declined" in home


def test_declining_without_a_reason_is_refused_at_the_field(client, application, rutland_dcs):
    client.force_login(rutland_dcs)
    response = client.post(
        decide_url(application),
        {"pctr_member-decision": "approve", "sav_lead_ad-decision": "decline"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["sav_lead_ad-reason"] == [
        "Say why SAV lead AD is declined: the applicant is told."
    ]
    # What was chosen is still chosen; nothing is recorded.
    assert response.context["form"]["pctr_member-decision"].value() == "approve"
    assert not RoleRequest.objects.exclude(decision=RoleRequest.Decision.PENDING).exists()


def test_every_role_needs_a_decision(client, application, rutland_dcs):
    client.force_login(rutland_dcs)
    response = client.post(decide_url(application), {"pctr_member-decision": "approve"})
    assert response.context["form"].errors["sav_lead_ad-decision"] == [
        "Approve or decline SAV lead AD."
    ]


@pytest.mark.parametrize("who", ["another_las_dcs", "former_dcs", "coordinator", "stranger"])
def test_nobody_but_the_current_dcs_of_the_applicants_la_decides(
    client, application, la, coordinator, who
):
    people = {
        "another_las_dcs": lambda: (
            PostFactory(kind=PostKind.DCS, local_authority=la("Derby City")).holder
        ),
        "former_dcs": lambda: (
            PostFactory(
                kind=PostKind.DCS,
                local_authority=application.local_authority,
                started_on=D(2010, 1, 1),
                ended_on=D(2019, 12, 31),
            ).holder
        ),
        "coordinator": lambda: coordinator,
        "stranger": UserFactory,
    }
    person = people[who]()
    client.force_login(person)
    assert client.get(decide_url(application)).status_code == 403
    assert client.post(decide_url(application), APPROVE_ONE_DECLINE_ONE).status_code == 403
    assert application.role_requests.filter(decision=RoleRequest.Decision.PENDING).count() == 2
    assert list(client.get(reverse("accreditation:sponsor_list")).context["applications"]) == []


def test_a_successor_dcs_inherits_the_waiting_application(
    client, application, rutland_dcs, rutland, today
):
    successor = UserFactory(full_name="Sam Successor")
    post = rutland_dcs.posts.get()
    core_services.post_hand_over(post=post, to=successor, on=today)
    client.force_login(rutland_dcs)
    assert client.get(decide_url(application)).status_code == 403
    client.force_login(successor)
    assert list(client.get(reverse("accreditation:sponsor_list")).context["applications"]) == [
        application
    ]
    home = client.get(reverse("home")).content.decode()
    assert "Decide on Nia Newcomer&#x27;s application to be a peer reviewer" in home
    assert client.post(decide_url(application), APPROVE_ONE_DECLINE_ONE).status_code == 302


def test_a_dcs_cannot_sponsor_themselves(rutland, rutland_dcs):
    own = ExpressionOfInterestFactory(
        applicant=rutland_dcs, local_authority=rutland, submitted=True
    )
    with pytest.raises(PermissionDenied):
        services.eoi_decide(
            application=own, by=rutland_dcs, decisions={Role.PCTR_MEMBER: (True, "")}
        )


def test_an_application_is_decided_once(application, rutland_dcs):
    decisions = {Role.PCTR_MEMBER: (True, ""), Role.SAV_LEAD_AD: (True, "")}
    services.eoi_decide(application=application, by=rutland_dcs, decisions=decisions)
    with pytest.raises(ValidationError, match="already been decided"):
        services.eoi_decide(application=application, by=rutland_dcs, decisions=decisions)


def test_the_database_refuses_a_decline_without_a_reason(application, rutland_dcs, today):
    request = application.role_requests.first()
    request.decision = RoleRequest.Decision.DECLINED
    request.decided_by = rutland_dcs
    request.decided_on = today
    with pytest.raises(IntegrityError), transaction.atomic():
        request.save()


def test_the_coordinator_reads_an_application_and_its_decisions_in_the_admin(
    client, application, coordinator, other_region_coordinator
):
    client.force_login(coordinator)
    url = reverse("admin:accreditation_expressionofinterest_change", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    [inline] = response.context["inline_admin_formsets"]
    assert sorted(f.instance.role for f in inline.formset.forms) == [
        Role.PCTR_MEMBER,
        Role.SAV_LEAD_AD,
    ]
    client.force_login(other_region_coordinator)
    assert client.get(url).status_code == 302  # outside their region: as if missing
