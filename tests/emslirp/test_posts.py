"""R3: posts held over time, and who holds post P in LA X on date D."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from emslirp import selectors, services
from emslirp.models import Post, PostKind
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def derby(la):
    return la("Derby City")


def holders(kind, la, on):
    return [u.full_name for u in selectors.post_holders(kind=kind, local_authority=la, on=on)]


def test_post_holder_across_its_first_and_last_day(derby):
    dcs = UserFactory(full_name="Dana First")
    services.post_assign(
        holder=dcs,
        kind=PostKind.DCS,
        local_authority=derby,
        started_on=D(2024, 4, 1),
        ended_on=D(2025, 3, 31),
    )
    assert holders(PostKind.DCS, derby, D(2024, 3, 31)) == []
    assert holders(PostKind.DCS, derby, D(2024, 4, 1)) == ["Dana First"]
    assert holders(PostKind.DCS, derby, D(2025, 3, 31)) == ["Dana First"]
    assert holders(PostKind.DCS, derby, D(2025, 4, 1)) == []


def test_change_of_dcs_moves_the_post_the_same_day(derby):
    outgoing = UserFactory(full_name="Olga Outgoing")
    incoming = UserFactory(full_name="Ian Incoming")
    post = services.post_assign(
        holder=outgoing, kind=PostKind.DCS, local_authority=derby, started_on=D(2020, 1, 1)
    )
    services.post_hand_over(post=post, to=incoming, on=D(2026, 9, 1))

    assert (
        selectors.post_holder(kind=PostKind.DCS, local_authority=derby, on=D(2026, 8, 31))
        == outgoing
    )
    assert (
        selectors.post_holder(kind=PostKind.DCS, local_authority=derby, on=D(2026, 9, 1))
        == incoming
    )
    post.refresh_from_db()
    assert post.ended_on == D(2026, 8, 31)


def test_post_holder_is_one_query(derby, django_assert_num_queries):
    PostFactory(kind=PostKind.DCS, local_authority=derby, started_on=D(2020, 1, 1))
    with django_assert_num_queries(1):
        holder = selectors.post_holder(kind=PostKind.DCS, local_authority=derby, on=D(2026, 1, 1))
    assert holder is not None


def test_holders_of_another_la_or_post_are_not_counted(derby, la):
    PostFactory(kind=PostKind.DCS, local_authority=la("Derbyshire"), started_on=D(2020, 1, 1))
    PostFactory(kind=PostKind.LEAD_MEMBER, local_authority=derby, started_on=D(2020, 1, 1))
    # A past AD of Derby City who is DCS elsewhere now: the two posts must not mix.
    mixed = UserFactory(full_name="Mixed Posts")
    PostFactory(
        holder=mixed,
        kind=PostKind.DCS,
        local_authority=derby,
        started_on=D(2010, 1, 1),
        ended_on=D(2015, 1, 1),
    )
    PostFactory(
        holder=mixed, kind=PostKind.DCS, local_authority=la("Rutland"), started_on=D(2016, 1, 1)
    )
    assert holders(PostKind.DCS, derby, D(2026, 1, 1)) == []


def test_several_data_specialists_at_once(derby):
    for name in ["Dee One", "Dee Two"]:
        services.post_assign(
            holder=UserFactory(full_name=name),
            kind=PostKind.DATA_SPECIALIST,
            local_authority=derby,
            started_on=D(2025, 1, 1),
        )
    assert holders(PostKind.DATA_SPECIALIST, derby, D(2026, 1, 1)) == ["Dee One", "Dee Two"]


def test_a_second_dcs_for_overlapping_days_is_refused(derby):
    services.post_assign(
        holder=UserFactory(full_name="Rhea Current"),
        kind=PostKind.DCS,
        local_authority=derby,
        started_on=D(2020, 1, 1),
        ended_on=D(2024, 12, 31),
    )
    with pytest.raises(ValidationError) as refused:
        services.post_assign(
            holder=UserFactory(),
            kind=PostKind.DCS,
            local_authority=derby,
            started_on=D(2024, 6, 1),
        )
    assert refused.value.message_dict == {
        "started_on": ["Rhea Current holds this post on some of these days."]
    }
    assert Post.objects.filter(local_authority=derby, kind=PostKind.DCS).count() == 1


def test_the_database_refuses_two_open_dcs_posts(derby):
    PostFactory(kind=PostKind.DCS, local_authority=derby)
    with pytest.raises(IntegrityError):
        PostFactory(kind=PostKind.DCS, local_authority=derby)


def test_a_post_in_an_la_that_no_longer_exists_is_refused(la):
    with pytest.raises(ValidationError) as refused:
        services.post_assign(
            holder=UserFactory(),
            kind=PostKind.DCS,
            local_authority=la("Northamptonshire"),
            started_on=D(2020, 1, 1),
        )
    assert refused.value.message_dict == {
        "started_on": ["Northamptonshire did not exist for all of these days."]
    }


def test_senior_officer_needs_a_tier(derby):
    with pytest.raises(ValidationError) as refused:
        services.post_assign(
            holder=UserFactory(),
            kind=PostKind.SENIOR_OFFICER,
            local_authority=derby,
            started_on=D(2020, 1, 1),
        )
    assert "A senior officer's post has a tier (2 or 3); no other post has." in str(refused.value)


def test_coordinator_post_makes_staff_and_never_a_superuser(east_midlands):
    person = UserFactory()
    services.post_assign(
        holder=person, kind=PostKind.COORDINATOR, region=east_midlands, started_on=D(2025, 1, 1)
    )
    person.refresh_from_db()
    assert (person.is_staff, person.is_superuser) == (True, False)

    root = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError) as refused:
        services.post_assign(
            holder=root, kind=PostKind.COORDINATOR, region=east_midlands, started_on=D(2025, 1, 1)
        )
    assert list(refused.value.message_dict) == ["holder"]


def test_coordinator_post_names_a_region_not_an_la(derby):
    with pytest.raises(ValidationError):
        services.post_assign(
            holder=UserFactory(),
            kind=PostKind.COORDINATOR,
            local_authority=derby,
            started_on=D(2025, 1, 1),
        )


def test_a_closed_account_still_held_its_posts(derby):
    # R3: who held the post on a day is history; closing the account later does not undo it.
    former = UserFactory(full_name="Fay Former")
    services.post_assign(
        holder=former,
        kind=PostKind.DCS,
        local_authority=derby,
        started_on=D(2015, 1, 1),
        ended_on=D(2019, 12, 31),
    )
    former.is_active = False
    former.save()
    assert holders(PostKind.DCS, derby, D(2018, 6, 1)) == ["Fay Former"]


def test_an_ended_post_cannot_be_handed_over(derby):
    first = services.post_assign(
        holder=UserFactory(),
        kind=PostKind.DCS,
        local_authority=derby,
        started_on=D(2020, 1, 1),
        ended_on=D(2022, 3, 31),
    )
    with pytest.raises(ValidationError) as refused:
        services.post_hand_over(post=first, to=UserFactory(), on=D(2024, 1, 1))
    assert refused.value.message_dict == {"ended_on": ["This post already ended on 31 March 2022."]}
    first.refresh_from_db()
    assert first.ended_on == D(2022, 3, 31)
    assert Post.objects.filter(local_authority=derby).count() == 1


def test_ending_a_post_is_checked_like_any_change(east_midlands):
    # Northamptonshire ceased on 31 March 2021: a post there cannot end after that day.
    northants = selectors.local_authority_find(name="Northamptonshire", region=east_midlands)
    post = services.post_assign(
        holder=UserFactory(),
        kind=PostKind.DCS,
        local_authority=northants,
        started_on=D(2018, 1, 1),
        ended_on=D(2021, 3, 31),
    )
    with pytest.raises(ValidationError) as refused:
        services.post_end(post=post, last_day=D(2021, 6, 30))
    assert "did not exist for all of these days" in refused.value.message_dict["started_on"][0]
    post.refresh_from_db()
    assert post.ended_on == D(2021, 3, 31)
