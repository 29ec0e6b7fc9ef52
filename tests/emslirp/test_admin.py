"""R2, R31: a coordinator is staff, never a superuser, and sees in the admin only their region."""

import datetime

import pytest
from django.urls import reverse

from emslirp.models import LocalAuthority, Post, PostKind
from tests.admin_forms import inline_data
from tests.factories import (
    LocalAuthorityFactory,
    MemorandumOfUnderstandingFactory,
    PostFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def wigan(other_region_coordinator):
    region = other_region_coordinator.posts.get().region
    la = LocalAuthorityFactory(region=region, name="Wigan")
    PostFactory(holder=UserFactory(full_name="Wendy Wigan"), kind=PostKind.DCS, local_authority=la)
    return la


def changelist_names(client, model):
    response = client.get(reverse(f"admin:emslirp_{model}_changelist"))
    assert response.status_code == 200
    return sorted(str(o) for o in response.context["cl"].result_list)


def test_coordinator_lists_only_their_regions_las(client, coordinator, wigan):
    client.force_login(coordinator)
    assert changelist_names(client, "localauthority") == [
        "Derby City",
        "Derbyshire",
        "Leicester City",
        "Leicestershire",
        "Lincolnshire",
        "North Northamptonshire",
        "Northamptonshire",
        "Nottingham City",
        "Nottinghamshire",
        "Rutland",
        "West Northamptonshire",
    ]


def test_coordinator_of_another_region_sees_none_of_these_las(
    client, other_region_coordinator, wigan
):
    client.force_login(other_region_coordinator)
    assert changelist_names(client, "localauthority") == ["Wigan"]
    derby = LocalAuthority.objects.get(name="Derby City")
    response = client.get(reverse("admin:emslirp_localauthority_change", args=[derby.pk]))
    # The admin answers a record outside the scope as missing, and redirects to the index.
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    response = client.post(
        reverse("admin:emslirp_localauthority_change", args=[derby.pk]),
        {
            "name": "Renamed",
            "region": derby.region_id,
            "active_from": "1997-04-01",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    derby.refresh_from_db()
    assert derby.name == "Derby City"


def test_coordinator_sees_only_their_regions_people_and_posts(client, coordinator, wigan, la):
    PostFactory(
        holder=UserFactory(full_name="Rita Rutland"),
        kind=PostKind.DCS,
        local_authority=la("Rutland"),
    )
    client.force_login(coordinator)
    assert changelist_names(client, "user") == ["Coral Ordinator", "Rita Rutland"]
    assert changelist_names(client, "post") == [
        "Director of Children's Services, Rutland",
        "SDSA coordinator, East Midlands",
    ]
    wendy = Post.objects.get(local_authority=wigan).holder
    response = client.get(reverse("admin:emslirp_user_change", args=[wendy.pk]))
    assert response.status_code == 302


@pytest.mark.parametrize("model", ["post", "user", "localauthority", "memorandumofunderstanding"])
def test_no_list_page_names_another_regions_la_or_people(client, coordinator, wigan, model):
    client.force_login(coordinator)
    html = client.get(reverse(f"admin:emslirp_{model}_changelist")).content.decode()
    assert "Wigan" not in html
    assert "North West" not in html


def test_coordinator_cannot_record_a_post_in_another_region(client, coordinator, wigan):
    person = UserFactory(region=coordinator.region)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:emslirp_post_add"),
        {
            "holder": person.pk,
            "kind": PostKind.DCS,
            "local_authority": wigan.pk,
            "started_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["local_authority"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Post.objects.filter(holder=person).exists()


def test_post_recorded_in_the_admin_is_checked_like_any_other(client, coordinator, la):
    rutland = la("Rutland")
    PostFactory(
        holder=UserFactory(full_name="Rita Rutland"),
        kind=PostKind.DCS,
        local_authority=rutland,
        started_on=D(2020, 1, 1),
    )
    newcomer = UserFactory(region=coordinator.region)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:emslirp_post_add"),
        {
            "holder": newcomer.pk,
            "kind": PostKind.DCS,
            "local_authority": rutland.pk,
            "started_on": "2019-01-01",
            "ended_on": "2020-06-30",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["started_on"] == [
        "Rita Rutland holds this post on some of these days."
    ]
    response = client.post(
        reverse("admin:emslirp_post_add"),
        {
            "holder": newcomer.pk,
            "kind": PostKind.DCS,
            "local_authority": rutland.pk,
            "started_on": "2019-01-01",
            "ended_on": "2019-12-31",
        },
    )
    assert response.status_code == 302
    assert Post.objects.filter(holder=newcomer, local_authority=rutland).count() == 1


def test_coordinator_cannot_make_anyone_a_superuser(client, coordinator):
    person = UserFactory(region=coordinator.region, full_name="Plain Person")
    client.force_login(coordinator)
    url = reverse("admin:emslirp_user_change", args=[person.pk])
    page = client.get(url)
    assert "is_superuser" not in page.context["adminform"].form.fields
    assert "is_staff" not in page.context["adminform"].form.fields
    response = client.post(
        url,
        {
            **inline_data(page),
            "email": person.email,
            "full_name": "Plain Person Renamed",
            "region": coordinator.region.pk,
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    # The save went through (the name changed) and ignored the privileges.
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.full_name == "Plain Person Renamed"
    assert (person.is_superuser, person.is_staff) == (False, False)
    response = client.get(reverse("admin:auth_user_password_change", args=[person.pk]))
    assert response.status_code == 403


def test_former_coordinator_loses_the_admin_the_day_after(client, east_midlands):
    former = UserFactory(is_staff=True)
    PostFactory(
        coordinator=True,
        holder=former,
        region=east_midlands,
        started_on=D(2020, 1, 1),
        ended_on=D(2021, 1, 1),
    )
    client.force_login(former)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_without_a_coordinator_post_cannot_use_the_admin(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:emslirp_localauthority_changelist")).status_code == 302


def test_coordinator_admin_index_offers_only_the_register_accreditation_blackouts_and_templates(
    client, coordinator
):
    client.force_login(coordinator)
    response = client.get(reverse("admin:index"))
    models = sorted(m["object_name"] for app in response.context["app_list"] for m in app["models"])
    # Not groups, permissions, audit entries or lockout records: those are technical staff's.
    assert models == [
        "Accreditation",
        "Blackout",
        "ConflictDeclaration",
        "ExpressionOfInterest",
        "LetterTemplate",
        "LocalAuthority",
        "MemorandumOfUnderstanding",
        "Post",
        "Region",
        "SelfAssessmentTemplate",
        "Theme",
        "TrainingAttendance",
        "TrainingSession",
        "User",
    ]


def test_superuser_sees_every_region(client, wigan):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "Wigan" in changelist_names(client, "localauthority")
    assert "Rutland" in changelist_names(client, "localauthority")


@pytest.mark.parametrize("extra_people", [1, 3])
@pytest.mark.parametrize(
    ("model", "queries"),
    [("post", 11), ("user", 9), ("localauthority", 9), ("memorandumofunderstanding", 8)],
)
def test_admin_lists_do_not_grow_with_rows(
    client, coordinator, la, model, queries, extra_people, django_assert_num_queries
):
    names = ["Rutland", "Derbyshire", "Lincolnshire"]
    for i in range(extra_people):
        PostFactory(
            holder=UserFactory(region=coordinator.region),
            kind=PostKind.DCS,
            local_authority=la(names[i]),
        )
        MemorandumOfUnderstandingFactory(local_authority=la(names[i]))
    client.force_login(coordinator)
    url = reverse(f"admin:emslirp_{model}_changelist")
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_superuser_cannot_make_a_coordinator_a_superuser(client, coordinator):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:emslirp_user_change", args=[coordinator.pk])
    response = client.post(
        url,
        {
            **inline_data(client.get(url)),
            "email": coordinator.email,
            "full_name": coordinator.full_name,
            "region": coordinator.region.pk,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["is_superuser"] == [
        "A coordinator cannot be a superuser: the admin is not a back door."
    ]
    assert response.context["errors"] == [
        ["A coordinator cannot be a superuser: the admin is not a back door."]
    ]
    coordinator.refresh_from_db()
    assert coordinator.is_superuser is False


def test_admin_pages_name_their_icon_so_the_browser_asks_for_no_favicon(client, coordinator):
    """Without one the browser asks for /favicon.ico on every admin page, and gets a 404."""
    client.force_login(coordinator)
    page = client.get(reverse("admin:index")).content.decode()
    assert '<link rel="icon" href="data:,">' in page
