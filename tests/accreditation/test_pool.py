"""R9: the accredited pool, for the coordinator and those who form teams; searchable by
role, specialism, LA and status; showing conflicts; a query count that does not grow."""

import datetime

import pytest
from django.urls import reverse

from accreditation.models import Accreditation, Role
from emslirp.models import PostKind
from tests.factories import (
    AccreditationFactory,
    ConflictDeclarationFactory,
    ExpressionOfInterestFactory,
    PostFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("accreditation:pool")
D = datetime.date


def member(region, la, name, *, roles=(Role.PCTR_MEMBER,), specialisms=("safeguarding",)):
    person = UserFactory(full_name=name, region=region)
    ExpressionOfInterestFactory(
        applicant=person,
        local_authority=la,
        state="decided",
        submitted_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
        signed_on=D(2025, 1, 1),
        specialisms=list(specialisms),
        roles=[r for r in roles if r in (Role.PCTR_MEMBER, Role.SAV_MEMBER)] or None,
    )
    for role in roles:
        AccreditationFactory(person=person, role=role)
    return person


@pytest.fixture
def pool(east_midlands, la):
    return {
        "ann": member(east_midlands, la("Rutland"), "Ann Able", specialisms=["data", "youth"]),
        "ben": member(
            east_midlands, la("Derby City"), "Ben Bold", roles=[Role.SAV_MEMBER, Role.PCTR_MEMBER]
        ),
        "cat": member(east_midlands, la("Lincolnshire"), "Cat Calm", specialisms=["schools"]),
    }


def names(response):
    return [row["person"].full_name for row in response.context["rows"]]


def test_the_coordinator_sees_the_whole_pool(client, coordinator, pool):
    client.force_login(coordinator)
    response = client.get(URL)
    assert names(response) == ["Ann Able", "Ben Bold", "Cat Calm"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"role": Role.SAV_MEMBER}, ["Ben Bold"]),
        # By default, only who can be placed: Cat's accreditation is suspended.
        ({"specialism": "schools"}, []),
        ({"specialism": "schools", "status": "any"}, ["Cat Calm"]),
        ({"specialism": "data"}, ["Ann Able"]),
        ({"status": "suspended"}, ["Cat Calm"]),
        ({"role": Role.PCTR_MEMBER, "status": "current"}, ["Ann Able", "Ben Bold"]),
    ],
)
def test_the_pool_filters(client, coordinator, pool, query, expected):
    cat = pool["cat"].accreditations.get()
    cat.status, cat.status_reason = Accreditation.Status.SUSPENDED, "Reflection outstanding."
    cat.save()
    client.force_login(coordinator)
    assert names(client.get(URL, query)) == expected


def test_the_pool_filters_out_anyone_in_conflict_with_an_la(client, coordinator, pool, la):
    # R9: "not conflicted with Derby City": Ann declared a conflict with it, Cat once held
    # a post there, and Ben is from it.
    derby = la("Derby City")
    ConflictDeclarationFactory(person=pool["ann"], local_authority=derby)
    PostFactory(
        holder=pool["cat"],
        kind=PostKind.SENIOR_OFFICER,
        tier=2,
        local_authority=derby,
        started_on=D(2010, 1, 1),
        ended_on=D(2012, 1, 1),
    )
    client.force_login(coordinator)
    assert names(client.get(URL, {"free_of_conflict_with": derby.pk})) == []
    assert names(client.get(URL, {"free_of_conflict_with": la("Lincolnshire").pk})) == [
        "Ann Able",
        "Ben Bold",
    ]
    assert names(client.get(URL, {"free_of_conflict_with": la("Nottinghamshire").pk})) == [
        "Ann Able",
        "Ben Bold",
        "Cat Calm",
    ]


def test_the_pool_filters_by_la_by_post_before_application(client, coordinator, pool, la):
    # Ann applied from Rutland but is now Derby City's data specialist: she counts there.
    PostFactory(holder=pool["ann"], kind=PostKind.DATA_SPECIALIST, local_authority=la("Derby City"))
    client.force_login(coordinator)
    assert names(client.get(URL, {"local_authority": la("Derby City").pk})) == [
        "Ann Able",
        "Ben Bold",
    ]
    assert names(client.get(URL, {"local_authority": la("Rutland").pk})) == []


def test_conflicts_declared_and_from_employment_are_shown(client, coordinator, pool, la):
    ConflictDeclarationFactory(person=pool["ben"], local_authority=la("Nottinghamshire"))
    PostFactory(
        holder=pool["ben"],
        kind=PostKind.SENIOR_OFFICER,
        tier=2,
        local_authority=la("Leicestershire"),
        started_on=D(2015, 1, 1),
        ended_on=D(2018, 1, 1),
    )
    client.force_login(coordinator)
    rows = {r["person"].full_name: r for r in client.get(URL).context["rows"]}
    assert [str(x) for x in rows["Ben Bold"]["conflicts"]] == ["Leicestershire", "Nottinghamshire"]
    assert rows["Ann Able"]["conflicts"] == []


def test_a_lead_dcs_may_search_the_pool(client, east_midlands, la, pool):
    lead = member(east_midlands, la("Derbyshire"), "Lee Lead", roles=[Role.LEAD_DCS])
    PostFactory(holder=lead, kind=PostKind.DCS, local_authority=la("Derbyshire"))
    client.force_login(lead)
    assert names(client.get(URL)) == ["Ann Able", "Ben Bold", "Cat Calm", "Lee Lead"]


@pytest.mark.parametrize("who", ["member", "stranger", "other_region_coordinator"])
def test_the_pool_is_not_for_everyone(client, pool, who, other_region_coordinator, east_midlands):
    person = {
        "member": pool["ann"],
        "stranger": UserFactory(region=east_midlands),
        "other_region_coordinator": other_region_coordinator,
    }[who]
    client.force_login(person)
    assert (
        client.get(reverse("accreditation:pool_region", args=[east_midlands.pk])).status_code == 403
    )


def test_another_regions_pool_shows_none_of_these_people(client, pool, other_region_coordinator):
    client.force_login(other_region_coordinator)
    response = client.get(URL)
    assert names(response) == []


@pytest.mark.parametrize("size", [10, 200])
def test_the_pool_page_costs_the_same_for_10_and_200_people(
    client, coordinator, east_midlands, la, size, django_assert_num_queries
):
    las = [la("Rutland"), la("Derby City"), la("Lincolnshire")]
    for i in range(size):
        person = member(
            east_midlands, las[i % 3], f"Member {i:03}", specialisms=["data", "schools"]
        )
        ConflictDeclarationFactory(person=person, local_authority=las[(i + 1) % 3])
    client.force_login(coordinator)
    # session, user, region, coordinator's regions; the filter form checks the specialism
    # and renders the specialisms and LAs; the count, the LAs for the rows, the page, and
    # one each for accreditations, applications, their specialisms, conflicts and posts;
    # the LAs once more for the conflict filter's choices
    with django_assert_num_queries(16):
        response = client.get(URL, {"specialism": "data"})
    assert response.context["page"].paginator.count == size
    assert len(response.context["rows"]) == min(size, 25)


@pytest.mark.parametrize(
    ("not_deployed_for", "expected"),
    [
        ("", ["Ann Able", "Ben Bold", "Cat Calm"]),
        ("0", ["Cat Calm"]),
        ("12", ["Ben Bold", "Cat Calm"]),
        ("24", ["Cat Calm"]),
    ],
)
def test_the_pool_shows_and_filters_by_last_deployment(
    client, coordinator, pool, la, on_day, not_deployed_for, expected
):
    """R9: Ann was last on a team whose review ended two months ago, Ben on one that ended
    twenty months ago, Cat never. Cat's place on a SAV still to come is no deployment and
    is never shown (R30)."""
    from reviews.review.models import Review, TeamMember

    on_day(D(2026, 11, 27))
    for who, kind, ends_on in (
        ("ann", "pctr", D(2026, 9, 30)),
        ("ben", "pctr", D(2025, 3, 31)),
        ("cat", "sav", D(2027, 4, 30)),
    ):
        review = Review.objects.create(
            kind=kind,
            host=la("Leicestershire"),
            starts_on=ends_on.replace(day=1, month=ends_on.month - 2),
            ends_on=ends_on,
        )
        TeamMember.objects.create(
            review=review,
            person=pool[who],
            role="member",
            local_authority=la("Rutland"),
            assigned_by=coordinator,
        )
    client.force_login(coordinator)
    response = client.get(URL, {"not_deployed_for": not_deployed_for})
    assert names(response) == expected
    shown = {row["person"].full_name: row["last_deployed"] for row in response.context["rows"]}
    assert shown.get("Ann Able", D(2026, 9, 30)) == D(2026, 9, 30)
    assert shown["Cat Calm"] is None


def test_a_director_who_has_left_is_not_shown_as_a_current_lead(
    client, coordinator, east_midlands, la, today
):
    # R7: a lead DCS leads as a director; the accreditation ends with the post.
    former = member(east_midlands, la("Rutland"), "Fran Former", roles=[Role.LEAD_DCS])
    PostFactory(
        holder=former,
        kind=PostKind.DCS,
        local_authority=la("Rutland"),
        started_on=D(2015, 1, 1),
        ended_on=today - datetime.timedelta(days=30),
    )
    client.force_login(coordinator)
    html = client.get(URL).content.decode()
    row = html[html.index("Fran Former") :]
    row = row[: row.index("</tr>")]
    assert "Lead DCS <strong" in row
    assert "Ended with the post" in row
    client.force_login(former)
    home = client.get(reverse("home")).content.decode()
    assert "Lead DCS: ended with your post" in home
