"""The deadline of reflections (R27, R37), and who may remind of it by hand."""

import datetime

from django.db.models import Q
from django.urls import reverse

from emslirp.deadlines import Deadline, subject_pk
from emslirp.models import PostKind, User
from emslirp.selectors import local_authorities_held, post_holders_by_local_authority
from reviews.reflections.models import Reflection
from reviews.reflections.permissions import REFLECTING_ROLES
from reviews.reflections.selectors import reflections_close_on
from reviews.review.deadlines import _after_visit, _kind_of, _places_of, _team
from reviews.review.models import Review


def reflections(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """Reviews whose reflections are open: for each person asked (the team on site and
    the host's DCS, as ``reflections_asked``) who has not submitted theirs, due the day
    reflections close. Four queries."""
    mine = (
        None
        if person is None
        else Q(pk__in=_places_of(person, REFLECTING_ROLES))
        | Q(host__in=local_authorities_held(person=person, on=on, kinds=[PostKind.DCS]))
    )
    reviews = [
        r
        for r in _after_visit(on, subject, mine=mine).filter(
            onsite_to__gte=on - datetime.timedelta(days=31)
        )
        if reflections_close_on(r) >= on
    ]
    if not reviews:
        return []
    team = _team(reviews, REFLECTING_ROLES)
    dcs = post_holders_by_local_authority(
        kinds=[PostKind.DCS], local_authority_ids={r.host_id for r in reviews}, on=on
    )
    done = set(
        Reflection.objects.filter(
            review__in=[r.pk for r in reviews], submitted_at__isnull=False
        ).values_list("review_id", "person_id")
    )
    out = []
    for review in reviews:
        asked = {p.pk: p for p in team.get(review.pk, []) + dcs.get(review.host_id, [])[:1]}
        waiting = [p for pk, p in asked.items() if (review.pk, pk) not in done]
        if not waiting:
            continue
        out.append(
            Deadline(
                kind="reflection",
                subject=str(review.pk),
                title=f"Write your reflection on the {_kind_of(review)} of {review.host}",
                due_on=reflections_close_on(review),
                url=reverse("reviews:reflection", args=[review.pk]),
                region_id=review.host.region_id,
                recipients=tuple(sorted(waiting, key=lambda p: (p.full_name, p.pk))),
            )
        )
    return out


def reflections_reminded_by(person: User, deadline: Deadline, on: datetime.date) -> bool:
    """Who may remind those yet to reflect by hand: whoever sees the completion (the QA,
    R27, R29). Two queries."""
    from reviews.reflections import permissions as reflections_permissions
    from reviews.review import permissions

    review = Review.objects.select_related("host").filter(pk=subject_pk(deadline.subject)).first()
    if review is None:
        return False
    access = permissions.review_access(person, review, on=on)
    return reflections_permissions.reflection_rights(access).see_completion
