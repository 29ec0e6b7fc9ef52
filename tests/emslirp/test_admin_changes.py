"""R2, R4, R31: what a coordinator may change in the admin, and what they may only read.

Seeing a person is not changing them: a coordinator who could change another coordinator's
or a technical user's sign-in address could take over that account.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from emslirp.models import LocalAuthority, MouSignature, Post, PostKind, User
from tests.admin_forms import inline_data
from tests.factories import (
    LocalAuthorityFactory,
    MemorandumOfUnderstandingFactory,
    PostFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def person_form(person, **changes):
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "region": person.region_id or "",
        "is_active": "on" if person.is_active else "",
    }
    return {**data, **changes}


def change_person(client, person, **changes):
    url = reverse("admin:emslirp_user_change", args=[person.pk])
    page = client.get(url)
    return page, client.post(url, {**inline_data(page), **person_form(person, **changes)})


@pytest.fixture
def former_visitor(other_region_coordinator, la):
    """Another region's coordinator who was once Rutland's DCS: the coordinator sees them
    through that past post, and must not be able to change them."""
    PostFactory(
        holder=other_region_coordinator,
        kind=PostKind.DCS,
        local_authority=la("Rutland"),
        started_on=D(2015, 1, 1),
        ended_on=D(2018, 12, 31),
    )
    return other_region_coordinator


def test_a_person_seen_through_a_past_post_is_read_only(client, coordinator, former_visitor):
    client.force_login(coordinator)
    page, response = change_person(client, former_visitor, email="taken@example.org")
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    former_visitor.refresh_from_db()
    assert former_visitor.email != "taken@example.org"


@pytest.mark.parametrize("privilege", ["is_staff", "is_superuser"])
def test_staff_on_the_register_are_read_only_to_a_coordinator(client, coordinator, privilege):
    colleague = UserFactory(region=coordinator.region, **{privilege: True})
    client.force_login(coordinator)
    page, response = change_person(client, colleague, email="taken@example.org", is_active="")
    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert (colleague.email, colleague.is_active) != ("taken@example.org", False)


def test_a_coordinator_cannot_change_their_own_record(client, coordinator):
    client.force_login(coordinator)
    _, response = change_person(client, coordinator, full_name="Someone Else")
    assert response.status_code == 403


def test_a_coordinator_cannot_change_a_sign_in_address(client, coordinator):
    # Whoever sets the address can have the password reset sent to it.
    person = UserFactory(region=coordinator.region, email="pat@old.example.org")
    client.force_login(coordinator)
    page, response = change_person(client, person, email="mine@attacker.example.org")
    assert "email" not in page.context["adminform"].form.fields
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "pat@old.example.org"


def test_changing_an_address_tells_the_old_one(client, django_capture_on_commit_callbacks):
    person = UserFactory(email="pat@old.example.org")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        _, response = change_person(client, person, email="Pat@New.Example.org")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "pat@new.example.org"
    [notice] = mail.outbox
    assert notice.to == ["pat@old.example.org"]
    assert "pat@old.example.org is no longer the address" in notice.body
    assert "pat@new.example.org" not in notice.body


def test_a_coordinator_cannot_reopen_the_post_of_someone_they_may_only_read(
    client, coordinator, former_visitor
):
    post = former_visitor.posts.get(kind=PostKind.DCS)
    client.force_login(coordinator)
    url = reverse("admin:emslirp_post_change", args=[post.pk])
    response = client.post(url, {"started_on": "2015-01-01", "ended_on": ""})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.ended_on == D(2018, 12, 31)


def test_a_signed_memoranda_la_and_commencement_are_fixed(client, coordinator, la):
    rutland = la("Rutland")
    memorandum = MemorandumOfUnderstandingFactory(
        local_authority=rutland, commenced_on=D(2026, 4, 1)
    )
    dcs = UserFactory(region=coordinator.region)
    PostFactory(holder=dcs, kind=PostKind.DCS, local_authority=rutland, started_on=D(2025, 1, 1))
    MouSignature.objects.create(
        memorandum=memorandum, signatory_post=PostKind.DCS, signed_by=dcs, signed_on=D(2026, 4, 2)
    )
    client.force_login(coordinator)
    url = reverse("admin:emslirp_memorandumofunderstanding_change", args=[memorandum.pk])
    response = client.post(
        url,
        {
            "local_authority": la("Derby City").pk,
            "commenced_on": "2027-01-01",
            "review_on": "2027-06-01",
            "signatures-TOTAL_FORMS": "0",
            "signatures-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    memorandum.refresh_from_db()
    assert (memorandum.local_authority, memorandum.commenced_on) == (rutland, D(2026, 4, 1))
    assert memorandum.review_on == D(2027, 6, 1)


def test_an_alias_cannot_take_another_las_name(client, coordinator, la, other_region_coordinator):
    LocalAuthorityFactory(region=other_region_coordinator.posts.get().region, name="Wigan")
    rutland = la("Rutland")
    client.force_login(coordinator)
    url = reverse("admin:emslirp_localauthority_change", args=[rutland.pk])
    page = client.get(url)
    data = {
        **inline_data(page),
        "name": "Rutland",
        "region": rutland.region_id,
        "active_from": rutland.active_from.isoformat(),
        "aliases-TOTAL_FORMS": "2",
        "aliases-0-name": "wigan",
        "aliases-1-name": "Derby",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[0]["name"] == ["wigan already names a local authority."]
    assert errors[1]["name"] == ["Derby already names a local authority."]
    assert not rutland.aliases.exists()


def test_a_coordinator_adds_a_person_who_chooses_their_own_password(
    client, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page = client.get(reverse("admin:emslirp_user_add"))
    fields = set(page.context["adminform"].form.fields)
    assert fields == {"email", "full_name", "region"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:emslirp_user_add"),
            {
                "email": "Newcomer@Example.org",
                "full_name": "Nia Newcomer",
                "region": coordinator.region_id,
            },
        )
    assert response.status_code == 302
    person = User.objects.get(full_name="Nia Newcomer")
    assert person.email == "newcomer@example.org"
    assert not person.has_usable_password()
    [welcome] = mail.outbox
    assert welcome.to == ["newcomer@example.org"]
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+)", welcome.body).group(1)
    form_page = client.get(link, follow=True)
    new_password = "a-long-unusual-choice-2026"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    person.refresh_from_db()
    assert person.check_password(new_password)


def test_someone_who_lost_the_first_link_can_ask_for_another(
    client, django_capture_on_commit_callbacks
):
    person = UserFactory(email="nia@example.org")
    person.set_unusable_password()
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nia@example.org"})
    assert [m.to for m in mail.outbox] == [["nia@example.org"]]


def test_a_coordinators_new_person_is_on_their_register(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:emslirp_user_add"),
        {"email": "nowhere@example.org", "full_name": "No Where", "region": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["region"] == ["This field is required."]
    # What was typed is still there.
    assert 'value="nowhere@example.org"' in response.content.decode()
    assert not User.objects.filter(email="nowhere@example.org").exists()


def test_a_coordinator_cannot_record_a_coordinator_post(client, coordinator):
    person = UserFactory(region=coordinator.region)
    client.force_login(coordinator)
    page = client.get(reverse("admin:emslirp_post_add"))
    form = page.context["adminform"].form
    assert PostKind.COORDINATOR not in dict(form.fields["kind"].choices)
    assert "region" not in form.fields
    response = client.post(
        reverse("admin:emslirp_post_add"),
        {
            "holder": person.pk,
            "kind": PostKind.COORDINATOR,
            "region": coordinator.region_id,
            "started_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert not Post.objects.filter(holder=person).exists()


def test_a_coordinator_cannot_extend_their_own_post(client, coordinator):
    post = coordinator.posts.get()
    client.force_login(coordinator)
    url = reverse("admin:emslirp_post_change", args=[post.pk])
    assert client.get(url).context["has_change_permission"] is False
    response = client.post(url, {"started_on": "2000-01-01", "ended_on": ""})
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.started_on != D(2000, 1, 1)


def test_a_coordinator_cannot_give_a_post_to_staff(client, coordinator, la):
    staff = UserFactory(region=coordinator.region, is_staff=True)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:emslirp_post_add"),
        {
            "holder": staff.pk,
            "kind": PostKind.DCS,
            "local_authority": la("Rutland").pk,
            "started_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "holder" in response.context["adminform"].form.errors


def test_a_coordinator_ends_a_dcs_post_but_cannot_move_it(client, coordinator, la):
    dcs = UserFactory(region=coordinator.region)
    post = PostFactory(
        holder=dcs, kind=PostKind.DCS, local_authority=la("Rutland"), started_on=D(2020, 1, 1)
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:emslirp_post_change", args=[post.pk]),
        {
            "holder": coordinator.pk,
            "kind": PostKind.LEAD_MEMBER,
            "local_authority": la("Derby City").pk,
            "started_on": "2020-01-01",
            "ended_on": "2026-08-31",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.holder, post.kind, post.local_authority.name, post.ended_on) == (
        dcs,
        PostKind.DCS,
        "Rutland",
        D(2026, 8, 31),
    )


def mou_page_data(memorandum, **signature):
    return {
        "local_authority": memorandum.local_authority_id,
        "commenced_on": memorandum.commenced_on.isoformat(),
        "review_on": memorandum.review_on.isoformat(),
        "signatures-TOTAL_FORMS": "1",
        "signatures-INITIAL_FORMS": "0",
        **{f"signatures-0-{k}": v for k, v in signature.items()},
    }


def test_an_mou_signature_in_the_admin_is_checked_like_mou_sign(client, coordinator, la):
    rutland = la("Rutland")
    memorandum = MemorandumOfUnderstandingFactory(
        local_authority=rutland, commenced_on=D(2026, 4, 1)
    )
    dcs = UserFactory(region=coordinator.region, full_name="Dee Director")
    impostor = UserFactory(region=coordinator.region, full_name="Ivy Impostor")
    PostFactory(holder=dcs, kind=PostKind.DCS, local_authority=rutland, started_on=D(2025, 1, 1))
    client.force_login(coordinator)
    url = reverse("admin:emslirp_memorandumofunderstanding_change", args=[memorandum.pk])

    response = client.post(
        url,
        mou_page_data(
            memorandum, signatory_post=PostKind.DCS, signed_by=impostor.pk, signed_on="2026-04-02"
        ),
    )
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["signed_by"] == [
        "Ivy Impostor was not the Director of Children's Services of Rutland on 2 April 2026."
    ]
    assert not MouSignature.objects.exists()

    response = client.post(
        url,
        mou_page_data(
            memorandum, signatory_post=PostKind.DCS, signed_by=dcs.pk, signed_on="2026-04-02"
        ),
    )
    assert response.status_code == 302
    assert MouSignature.objects.get().signed_by == dcs


def test_saving_an_la_keeps_a_successor_the_coordinator_cannot_see(client, coordinator, la):
    elsewhere = LocalAuthorityFactory(region=RegionFactory(name="Yorkshire"), name="Elsewhere")
    rutland = la("Rutland")
    rutland.successors.add(elsewhere)
    client.force_login(coordinator)
    url = reverse("admin:emslirp_localauthority_change", args=[rutland.pk])
    page = client.get(url)
    assert "Elsewhere" not in page.content.decode()
    response = client.post(
        url,
        {
            **inline_data(page),
            "name": "Rutland",
            "region": rutland.region_id,
            "active_from": rutland.active_from.isoformat(),
            "successors": [],
        },
    )
    assert response.status_code == 302
    assert list(rutland.successors.values_list("name", flat=True)) == ["Elsewhere"]


def test_an_la_with_an_open_post_cannot_be_closed_in_the_admin(client, coordinator, la):
    rutland = la("Rutland")
    PostFactory(kind=PostKind.DCS, local_authority=rutland, started_on=D(2020, 1, 1))
    client.force_login(coordinator)
    url = reverse("admin:emslirp_localauthority_change", args=[rutland.pk])
    page = client.get(url)
    response = client.post(
        url,
        {
            **inline_data(page),
            "name": "Rutland",
            "region": rutland.region_id,
            "active_from": rutland.active_from.isoformat(),
            "active_to": "2026-12-31",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["active_to"] == [
        "1 post in Rutland falls outside these days: end or correct them first."
    ]
    assert LocalAuthority.objects.get(pk=rutland.pk).active_to is None


def test_an_la_cannot_be_renamed_to_another_las_alias(client, coordinator, la):
    rutland = la("Rutland")
    client.force_login(coordinator)
    url = reverse("admin:emslirp_localauthority_change", args=[rutland.pk])
    response = client.post(
        url,
        {
            **inline_data(client.get(url)),
            "name": "Derby",
            "region": rutland.region_id,
            "active_from": rutland.active_from.isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "Derby is already another local authority's alias."
    ]
    assert LocalAuthority.objects.get(pk=rutland.pk).name == "Rutland"


def test_an_la_is_not_offered_as_its_own_successor(client, coordinator, la):
    northamptonshire = la("Northamptonshire")
    client.force_login(coordinator)
    url = reverse("admin:emslirp_localauthority_change", args=[northamptonshire.pk])
    choices = client.get(url).context["adminform"].form.fields["successors"].queryset
    assert northamptonshire not in choices
    assert {"North Northamptonshire", "West Northamptonshire"} <= {c.name for c in choices}
    response = client.post(
        url,
        {
            **inline_data(client.get(url)),
            "name": "Northamptonshire",
            "region": northamptonshire.region_id,
            "active_from": northamptonshire.active_from.isoformat(),
            "active_to": northamptonshire.active_to.isoformat(),
            "successors": [northamptonshire.pk],
        },
    )
    assert response.status_code == 200
    assert "successors" in response.context["adminform"].form.errors
    assert not northamptonshire.successors.filter(pk=northamptonshire.pk).exists()
