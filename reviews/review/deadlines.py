"""What the deadlines of every stage share (R37): the people of many reviews' teams read
at once, the reviews a person has a place on, the reviews visited lately.

Each stage's collector returns the open deadlines of one kind on ``on``
(``emslirp.deadlines``), or, given a ``subject``, that one deadline if it is still open.
Each runs a fixed number of queries however many reviews there are: people are read for
all records at once.
"""

import datetime

from django.db.models import Q

from emslirp.deadlines import subject_pk
from emslirp.models import User
from emslirp.working_days import working_days_shift
from reviews.review.models import Review, ReviewKind, ReviewState, TeamMember

# Letters and reflections are chased for reviews whose visit ended within this many days.
AFTER_VISIT_HORIZON = datetime.timedelta(days=365)
# The host decides on a PCTR's hypotheses this many working days before the visit (or,
# while its days are not set, before its quarter) so that the team can be formed (R14, R19).
HYPOTHESES_DECISION_WORKING_DAYS = 10
# The lead and data specialist draft them this many working days before the host's
# decision is due, so that the host has that long to decide (R18, R19).
HYPOTHESES_DRAFT_WORKING_DAYS = 5


def hypotheses_decision_due_on(review: Review) -> datetime.date:
    return working_days_shift(review.reference_day, -HYPOTHESES_DECISION_WORKING_DAYS)


def hypotheses_draft_due_on(review: Review) -> datetime.date:
    """When the draft hypotheses are due: a PCTR's before the host must decide on them; a
    SAV's the working day before the conference call, itself the working day before the
    visit (or the window) starts (R18, R19)."""
    if review.kind == ReviewKind.PCTR:
        return working_days_shift(
            hypotheses_decision_due_on(review), -HYPOTHESES_DRAFT_WORKING_DAYS
        )
    return working_days_shift(review.reference_day, -2)


def _by_review(members) -> dict[int, list]:
    out: dict[int, list] = {}
    for m in members:
        out.setdefault(m.review_id, []).append(m.person)
    return out


def _team(reviews: list[Review], roles) -> dict[int, list]:
    """Review pk → the people in ``roles`` on its team, by name. One query."""
    members = (
        TeamMember.objects.filter(review__in=[r.pk for r in reviews], role__in=list(roles))
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
    return _by_review(members)


def _places_of(person: User, roles=None):
    """The pks of the reviews ``person`` has a place on (in ``roles``), as a subquery."""
    places = TeamMember.objects.filter(person=person)
    if roles is not None:
        places = places.filter(role__in=list(roles))
    return places.values("review")


def _kind_of(review: Review) -> str:
    return "PCTR" if review.kind == ReviewKind.PCTR else "SAV"


def _after_visit(
    on: datetime.date,
    subject: str | None,
    *,
    still_on_site: bool = False,
    mine: Q | None = None,
):
    """Reviews marked over whose last on-site day is within AFTER_VISIT_HORIZON, and with
    ``still_on_site`` those not yet marked over whose last on-site day has passed."""
    over = Q(state=ReviewState.AFTER_VISIT)
    if still_on_site:
        over |= Q(state=ReviewState.ON_SITE, onsite_to__lt=on)
    reviews = Review.objects.filter(
        over, onsite_to__isnull=False, onsite_to__gte=on - AFTER_VISIT_HORIZON
    ).select_related("host")
    if subject is not None:
        reviews = reviews.filter(pk=subject_pk(subject))
    if mine is not None:
        reviews = reviews.filter(mine)
    return reviews.order_by("onsite_to", "pk")
