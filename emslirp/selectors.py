"""Reads of the region's core (R1–R4)."""

import datetime

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from emslirp.models import LocalAuthority, Post, PostKind, Region, User


def post_holders(
    *,
    kind: PostKind,
    on: datetime.date,
    local_authority: LocalAuthority | None = None,
    region: Region | None = None,
) -> QuerySet[User]:
    """Everyone holding post ``kind`` in ``local_authority`` (or, for coordinators,
    ``region``) on ``on``. One query when evaluated (R3)."""
    where = Q(posts__kind=kind, posts__started_on__lte=on) & (
        Q(posts__ended_on__isnull=True) | Q(posts__ended_on__gte=on)
    )
    if kind == PostKind.COORDINATOR:
        where &= Q(posts__region=region)
    else:
        where &= Q(posts__local_authority=local_authority)
    # One filter() call: the conditions apply to the same post row. A closed account still
    # held the post on its days: history does not depend on who can sign in today.
    return User.objects.filter(where).distinct().order_by("full_name", "pk")


def post_holder(
    *, kind: PostKind, local_authority: LocalAuthority, on: datetime.date
) -> User | None:
    """The one holder of a single-holder post (the DCS, say) on ``on``, or None. One query."""
    return post_holders(kind=kind, local_authority=local_authority, on=on).first()


def posts_of(*, person: User) -> QuerySet[Post]:
    """A person's posts, current and past, newest first, with where they were held."""
    return (
        Post.objects.filter(holder=person)
        .select_related("local_authority", "region")
        .order_by("-started_on", "kind")
    )


def local_authority_find(
    *, name: str, region: Region | None = None, on: datetime.date | None = None
) -> LocalAuthority | None:
    """The LA a person or file means by ``name``: its register name or an alias such as
    "Derby", whatever the case (R1). Limited to ``region`` and to LAs existing ``on``."""
    wanted = " ".join(name.split()).lower()
    if not wanted:
        return None
    qs = LocalAuthority.objects.annotate(lname=Lower("name"))
    if region is not None:
        qs = qs.filter(region=region)
    if on is not None:
        qs = qs.active_on(on)
    return (
        qs.filter(Q(lname=wanted) | Q(aliases__name__iexact=wanted))
        .select_related("region")
        .distinct()
        .first()
    )


def local_authorities_active(*, region: Region, on: datetime.date) -> QuerySet[LocalAuthority]:
    return LocalAuthority.objects.filter(region=region).active_on(on).order_by("name")


def post_holders_by_local_authority(
    *, kinds, local_authority_ids, on: datetime.date
) -> dict[int, list[User]]:
    """For each of ``local_authority_ids``, who holds one of the posts ``kinds`` there on
    ``on``, by name (R3: rights and notices follow the holders of the day). One query,
    however many LAs."""
    holders: dict[int, dict[int, User]] = {}
    posts = (
        Post.objects.held_on(on)
        .filter(kind__in=list(kinds), local_authority_id__in=list(local_authority_ids))
        .select_related("holder")
    )
    for post in posts:
        holders.setdefault(post.local_authority_id, {})[post.holder_id] = post.holder
    return {
        la: sorted(people.values(), key=lambda p: (p.full_name, p.pk))
        for la, people in holders.items()
    }


def local_authorities_held(*, person: User, on: datetime.date, kinds=None) -> QuerySet:
    """The pks of the LAs where ``person`` holds a post (of ``kinds``, if given) on ``on``,
    as a subquery for ``__in`` filters."""
    posts = Post.objects.held_on(on).filter(holder=person, local_authority__isnull=False)
    if kinds is not None:
        posts = posts.filter(kind__in=list(kinds))
    return posts.values("local_authority")
