"""R9: a person declares the LAs they have a significant prior relationship with;
employment between LAs counts without being declared."""

import datetime

import pytest
from django.urls import reverse

from accreditation import selectors
from accreditation.models import ConflictDeclaration
from emslirp.models import PostKind
from tests.factories import ConflictDeclarationFactory, PostFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("accreditation:conflicts")


def test_a_person_declares_and_withdraws_a_conflict(client, applicant, la):
    client.force_login(applicant)
    response = client.post(
        URL, {"local_authority": la("Leicestershire").pk, "note": "My partner works there."}
    )
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get(person=applicant)
    assert (str(declaration.local_authority), declaration.note) == (
        "Leicestershire",
        "My partner works there.",
    )
    page = client.get(URL).content.decode()
    assert "My partner works there." in page
    client.post(reverse("accreditation:conflict_withdraw", args=[declaration.pk]))
    assert not ConflictDeclaration.objects.exists()


def test_nobody_withdraws_another_persons_declaration(client, applicant, la):
    theirs = ConflictDeclarationFactory(local_authority=la("Rutland"))
    client.force_login(applicant)
    assert (
        client.post(reverse("accreditation:conflict_withdraw", args=[theirs.pk])).status_code == 404
    )
    assert ConflictDeclaration.objects.filter(pk=theirs.pk).exists()


def test_employment_counts_without_a_declaration(applicant, la):
    PostFactory(
        holder=applicant,
        kind=PostKind.SAFEGUARDING_LEAD,
        local_authority=la("Nottingham City"),
        started_on=datetime.date(2012, 1, 1),
        ended_on=datetime.date(2016, 1, 1),
    )
    ConflictDeclarationFactory(person=applicant, local_authority=la("Rutland"))
    ConflictDeclarationFactory(person=UserFactory(), local_authority=la("Derbyshire"))
    assert [str(x) for x in selectors.conflict_local_authorities(person=applicant)] == [
        "Nottingham City",
        "Rutland",
    ]


def test_choosing_no_la_is_refused_at_the_field(client, applicant):
    client.force_login(applicant)
    response = client.post(URL, {"local_authority": "", "note": "kept"})
    assert response.context["form"].errors["local_authority"] == ["Choose the local authority."]
    assert 'value="kept"' in response.content.decode()


def test_the_page_lists_employment_apart_from_declarations(client, applicant, la):
    PostFactory(
        holder=applicant,
        kind=PostKind.SENIOR_OFFICER,
        tier=2,
        local_authority=la("Nottingham City"),
        started_on=datetime.date(2012, 1, 1),
        ended_on=datetime.date(2016, 1, 1),
    )
    ConflictDeclarationFactory(person=applicant, local_authority=la("Rutland"))
    client.force_login(applicant)
    response = client.get(URL)
    assert [str(x) for x in response.context["employment"]] == ["Nottingham City"]
    assert [str(d.local_authority) for d in response.context["declared"]] == ["Rutland"]
