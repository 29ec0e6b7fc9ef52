"""R5: the expression of interest online, with its word limits, drafts and sending."""

import pytest
from django.core import mail
from django.urls import reverse

from accreditation.models import ExpressionOfInterest, Role
from accreditation.services import WORD_LIMITED_FIELDS
from emslirp.models import PostKind
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db
URL = reverse("accreditation:application")


def words(n):
    return " ".join(f"w{i}" for i in range(n))


def complete(rutland, **changes):
    data = {
        "local_authority": rutland.pk,
        "current_position": "Service Manager, Safeguarding",
        "telephone": "01572 000000",
        "experience": "Fifteen years in child protection.",
        "specialisms": ["safeguarding", "data"],
        "other_specialism": "",
        "previous_roles": "2021 to date: Service Manager, Rutland.",
        "skill_teamwork": "Led a multi-agency audit.",
        "skill_analysis": "Analysed re-referrals.",
        "skill_perspective": "Gave feedback to a peer council.",
        "skill_challenge": "Challenged the pace of change.",
        "skill_coaching": "Coached two team managers.",
        "skill_culture": "Started practice weeks.",
        "roles": [Role.PCTR_MEMBER, Role.DATA_SPECIALIST],
        "signed_name": "Nia Newcomer",
        "send": "",
    }
    data.update(changes)
    return data


def test_an_answer_of_500_words_is_sent(
    client, applicant, rutland, rutland_dcs, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, complete(rutland, experience=words(500)))
    assert response.status_code == 302
    application = ExpressionOfInterest.objects.get(applicant=applicant)
    assert application.state == ExpressionOfInterest.State.SUBMITTED
    assert sorted(application.role_requests.values_list("role", flat=True)) == [
        Role.DATA_SPECIALIST,
        Role.PCTR_MEMBER,
    ]
    assert sorted(application.specialisms.values_list("code", flat=True)) == [
        "data",
        "safeguarding",
    ]
    [message] = mail.outbox
    assert message.to == [rutland_dcs.email]
    assert "Nia Newcomer" in message.subject
    assert reverse("accreditation:sponsor_decide", args=[application.pk]) in message.body


@pytest.mark.parametrize("field", WORD_LIMITED_FIELDS)
def test_an_answer_of_501_words_is_refused_and_nothing_typed_is_lost(
    client, applicant, rutland, rutland_dcs, field
):
    client.force_login(applicant)
    typed = words(501)
    response = client.post(URL, complete(rutland, **{field: typed}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        "Use 500 words or fewer: you have written 501, 1 too many."
    ]
    html = response.content.decode()
    assert typed in html
    assert "Service Manager, Safeguarding" in html
    # The draft keeps every word, so leaving the page loses nothing either.
    application = ExpressionOfInterest.objects.get(applicant=applicant)
    assert application.state == ExpressionOfInterest.State.DRAFT
    assert getattr(application, field) == typed
    assert not mail.outbox


def test_a_draft_is_saved_incomplete_and_finished_later(client, applicant, rutland, rutland_dcs):
    client.force_login(applicant)
    response = client.post(
        URL,
        {
            "local_authority": rutland.pk,
            "experience": "Half an answer",
            "roles": [Role.SAV_MEMBER],
            "save": "",
        },
    )
    assert response.status_code == 302
    page = client.get(URL)
    form = page.context["form"]
    assert form.initial["roles"] == [Role.SAV_MEMBER]
    assert form["experience"].value() == "Half an answer"
    # Sending it is the same page, the same application.
    response = client.post(URL, complete(rutland))
    assert response.status_code == 302
    assert ExpressionOfInterest.objects.filter(applicant=applicant).count() == 1


def test_a_draft_over_the_limit_is_saved_with_a_warning(client, applicant, rutland):
    client.force_login(applicant)
    response = client.post(
        URL, {"local_authority": rutland.pk, "skill_coaching": words(620), "save": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["skill_coaching"] == [
        "Use 500 words or fewer: you have written 620, 120 too many."
    ]
    assert ExpressionOfInterest.objects.get(applicant=applicant).skill_coaching == words(620)


def test_sending_needs_every_answer_a_role_and_a_signature(client, applicant, rutland, rutland_dcs):
    client.force_login(applicant)
    response = client.post(
        URL,
        complete(rutland, skill_culture="  ", roles=[], signed_name="", specialisms=["other"]),
    )
    errors = response.context["form"].errors
    assert errors["skill_culture"] == [
        "Give an example of building a culture of empowerment, innovation and improvement."
    ]
    assert errors["roles"] == ["Select at least one role you are applying for."]
    assert errors["signed_name"] == ["Type your full name to sign the application."]
    assert errors["other_specialism"] == ["Say what your other area of expertise is."]
    assert ExpressionOfInterest.objects.get().state == ExpressionOfInterest.State.DRAFT


def test_nobody_to_sponsor_is_said_at_the_la(client, applicant, rutland):
    client.force_login(applicant)
    response = client.post(URL, complete(rutland))
    assert response.context["form"].errors["local_authority"] == [
        "Rutland has no DCS recorded today, so nobody can sponsor you. "
        "Ask your coordinator to record your DCS."
    ]


def test_a_sent_application_can_no_longer_be_edited(client, applicant, rutland, rutland_dcs):
    client.force_login(applicant)
    client.post(URL, complete(rutland))
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("accreditation:application_sent")
    response = client.post(URL, complete(rutland, experience="Changed afterwards"))
    assert response.status_code == 302
    assert ExpressionOfInterest.objects.get().experience == "Fifteen years in child protection."


def test_the_la_offered_is_an_la_of_the_applicants_region(client, applicant, rutland):
    client.force_login(applicant)
    form = client.get(URL).context["form"]
    names = [str(la) for la in form.fields["local_authority"].queryset]
    assert "Northamptonshire" not in names  # abolished in 2021
    assert len(names) == 10


def test_someone_with_a_post_finds_its_la_chosen_and_no_other(client, applicant, rutland, la):
    PostFactory(holder=applicant, kind=PostKind.DATA_SPECIALIST, local_authority=rutland)
    client.force_login(applicant)
    form = client.get(URL).context["form"]
    assert [str(x) for x in form.fields["local_authority"].queryset] == ["Rutland"]
    assert form.initial["local_authority"] == rutland.pk
