"""Writes to the region's core (R1–R4). Every change to a post or an MoU goes through here."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from emslirp.models import (
    MOU_SIGNATORY_POSTS,
    SINGLE_HOLDER_POSTS,
    LocalAuthority,
    LocalAuthorityAlias,
    MemorandumOfUnderstanding,
    MouSignature,
    Post,
    PostKind,
    Region,
    User,
)
from emslirp.selectors import post_holders
from emslirp.text import long_date


def _overlapping(*, kind, local_authority, region, started_on, ended_on, exclude_pk=None):
    qs = Post.objects.filter(kind=kind, local_authority=local_authority, region=region).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
    )
    if ended_on is not None:
        qs = qs.filter(started_on__lte=ended_on)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def person_check(*, person: User) -> None:
    """Raise ValidationError if ``person`` may not be saved as they stand: someone who
    holds a coordinator post, now or from a later date, is never a superuser (R31)."""
    if not (person.is_superuser and person.pk):
        return
    coordinator_posts = Post.objects.filter(holder=person, kind=PostKind.COORDINATOR).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=timezone.localdate())
    )
    if coordinator_posts.exists():
        raise ValidationError(
            {"is_superuser": "A coordinator cannot be a superuser: the admin is not a back door."}
        )


def post_check(*, post: Post) -> None:
    """Raise ValidationError, by field, if ``post`` may not be recorded as it stands.

    Beyond the table's constraints: the LA must exist for all of the post's days, a
    single-holder post (DCS, 2nd-tier safeguarding lead, Lead Member, Chief Executive) has
    one holder on any day, and a coordinator is never a superuser (R31).
    """
    if post.kind == PostKind.COORDINATOR and post.holder_id and post.holder.is_superuser:
        raise ValidationError(
            {"holder": "A coordinator cannot be a superuser: give the post to an ordinary account."}
        )
    la = post.local_authority
    if la is not None and post.started_on is not None:
        ends_in_range = la.active_to is None or (
            post.ended_on is not None and post.ended_on <= la.active_to
        )
        if not la.is_active_on(post.started_on) or not ends_in_range:
            raise ValidationError({"started_on": f"{la} did not exist for all of these days."})
    if post.kind in SINGLE_HOLDER_POSTS and post.started_on is not None:
        clash = (
            _overlapping(
                kind=post.kind,
                local_authority=post.local_authority,
                region=post.region,
                started_on=post.started_on,
                ended_on=post.ended_on,
                exclude_pk=post.pk,
            )
            .select_related("holder")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {"started_on": f"{clash.holder} holds this post on some of these days."}
            )


@transaction.atomic
def post_record(*, post: Post) -> Post:
    """Save a new or changed post after checking it (``post_check``); a coordinator becomes
    staff so that they can sign in to the admin."""
    if post.local_authority_id is not None:
        # Lock the LA's row so two people cannot both be made its DCS at once.
        LocalAuthority.objects.select_for_update().filter(pk=post.local_authority_id).first()
    post.full_clean(validate_constraints=True)
    post_check(post=post)
    post.save()
    if post.kind == PostKind.COORDINATOR and not post.holder.is_staff:
        post.holder.is_staff = True
        post.holder.save(update_fields=["is_staff"])
    return post


def post_assign(
    *,
    holder: User,
    kind: PostKind,
    started_on: datetime.date,
    local_authority: LocalAuthority | None = None,
    region: Region | None = None,
    ended_on: datetime.date | None = None,
    tier: int | None = None,
) -> Post:
    """Record that ``holder`` holds post ``kind`` from ``started_on`` (to ``ended_on``),
    in ``local_authority`` or, for a coordinator, ``region``. See ``post_check``."""
    return post_record(
        post=Post(
            holder=holder,
            kind=kind,
            local_authority=local_authority,
            region=region,
            started_on=started_on,
            ended_on=ended_on,
            tier=tier,
        )
    )


@transaction.atomic
def post_end(*, post: Post, last_day: datetime.date) -> Post:
    """End ``post`` on ``last_day`` (the holder's last day in it), checked as any change
    to a post is (``post_check``)."""
    if last_day < post.started_on:
        raise ValidationError({"ended_on": "A post cannot end before it starts."})
    post.ended_on = last_day
    return post_record(post=post)


@transaction.atomic
def post_hand_over(*, post: Post, to: User, on: datetime.date) -> Post:
    """Hand a post to a successor who starts on ``on``; the current holder's last day is
    the day before. Rights that follow the post move with it that day (R3)."""
    if post.ended_on is not None:
        # Handing over an ended post would stretch it over days its holder no longer had.
        raise ValidationError(
            {"ended_on": f"This post already ended on {long_date(post.ended_on)}."}
        )
    post_end(post=post, last_day=on - datetime.timedelta(days=1))
    return post_assign(
        holder=to,
        kind=post.kind,
        local_authority=post.local_authority,
        region=post.region,
        started_on=on,
        tier=post.tier,
    )


def local_authority_check(*, local_authority: LocalAuthority) -> None:
    """Raise ValidationError if ``local_authority``'s name is another LA's alias (a name
    read from a file must point at one LA only), or its active days no longer cover the
    posts recorded in it (R1, R3): a post is ended before its LA is."""
    la = local_authority
    if la.name and (
        LocalAuthorityAlias.objects.filter(name__iexact=" ".join(la.name.split()))
        .exclude(local_authority_id=la.pk)
        .exists()
    ):
        raise ValidationError({"name": f"{la.name} is already another local authority's alias."})
    if la.pk is None or la.active_from is None:
        return
    outside = Q(started_on__lt=la.active_from)
    if la.active_to is not None:
        outside |= Q(ended_on__isnull=True) | Q(ended_on__gt=la.active_to)
    count = Post.objects.filter(outside, local_authority=la).count()
    if count:
        field = "active_to" if la.active_to is not None else "active_from"
        raise ValidationError(
            {
                field: (
                    f"{count} post{'s' if count != 1 else ''} in {la} "
                    f"{'fall' if count != 1 else 'falls'} outside these days: "
                    "end or correct them first."
                )
            }
        )


def local_authority_alias_check(*, alias: LocalAuthorityAlias) -> None:
    """Raise ValidationError if ``alias`` would also be the name, or another alias, of an
    LA in any region: a name read from a file must point at one LA only (R1)."""
    name = " ".join((alias.name or "").split())
    if not name:
        return
    clash = (
        LocalAuthority.objects.filter(name__iexact=name)
        .exclude(pk=alias.local_authority_id)
        .exists()
        or LocalAuthorityAlias.objects.filter(name__iexact=name).exclude(pk=alias.pk).exists()
    )
    if clash:
        raise ValidationError({"name": f"{name} already names a local authority."})


def mou_signature_check(*, signature: MouSignature) -> None:
    """Raise ValidationError, by field, if ``signature`` may not stand: only the person
    holding the signing post in the memorandum's LA on the day signs, on or after the
    memorandum's commencement (R4)."""
    memorandum = signature.memorandum
    kind = signature.signatory_post
    if kind not in MOU_SIGNATORY_POSTS:
        raise ValidationError(
            {"signatory_post": "Only the DCS, Lead Member and Chief Executive sign."}
        )
    if signature.signed_on is None or signature.signed_by_id is None:
        return
    if signature.signed_on < memorandum.commenced_on:
        raise ValidationError(
            {
                "signed_on": (
                    f"The memorandum commences on {long_date(memorandum.commenced_on)}: "
                    "it cannot be signed before that."
                )
            }
        )
    holders = post_holders(
        kind=kind, local_authority=memorandum.local_authority, on=signature.signed_on
    )
    if not holders.filter(pk=signature.signed_by_id).exists():
        raise ValidationError(
            {
                "signed_by": (
                    f"{signature.signed_by} was not the {PostKind(kind).label} of "
                    f"{memorandum.local_authority} on {long_date(signature.signed_on)}."
                )
            }
        )


@transaction.atomic
def mou_sign(
    *,
    memorandum: MemorandumOfUnderstanding,
    signatory_post: PostKind,
    by: User,
    on: datetime.date,
) -> MouSignature:
    """Sign ``memorandum`` for ``signatory_post`` as ``by`` on ``on``; see
    ``mou_signature_check``."""
    signature = MouSignature(
        memorandum=memorandum, signatory_post=signatory_post, signed_by=by, signed_on=on
    )
    mou_signature_check(signature=signature)
    signature.full_clean(validate_constraints=True)
    signature.save()
    return signature
