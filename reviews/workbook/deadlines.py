"""The deadlines before the visit (R19, R30, R37): a SAV's information set, the host's
decision on a PCTR's hypotheses, a SAV's conference call."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse

from calendar_planner.periods import add_months, slot_words
from emslirp.deadlines import Deadline, subject_pk
from emslirp.models import PostKind, User
from emslirp.selectors import local_authorities_held, post_holders_by_local_authority
from emslirp.working_days import working_day_on_or_before, working_days_shift
from reviews.review.deadlines import _places_of, _team, hypotheses_decision_due_on
from reviews.review.models import Review, ReviewKind, ReviewState, TeamRole
from reviews.review.selectors import HOST_LEADER_POSTS
from reviews.self_assessment.models import (
    SelfAssessment,
    SelfAssessmentState,
)

# The host DCS is told of the information set this long before it is due (R30: the window
# only, and to nobody else at the host).
INFORMATION_SET_NOTICE = datetime.timedelta(days=92)


def information_set_due_on(review: Review) -> datetime.date:
    """The SAV information set is due one month before the window opens, or the working
    day before that (handbook: no later than one month prior to the visit window)."""
    return working_day_on_or_before(add_months(review.starts_on, -1))


def information_sets(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """SAVs whose window has not opened, whose information set falls due within
    INFORMATION_SET_NOTICE, while the host has not submitted the self-assessment of the
    year it is due in. For the host's DCS alone, and naming the window only (R30).
    Three queries."""
    reviews = Review.objects.filter(
        kind=ReviewKind.SAV,
        starts_on__gt=on,
        starts_on__lte=add_months(on, 1) + INFORMATION_SET_NOTICE,
    ).select_related("host")
    if subject is not None:
        reviews = reviews.filter(pk=subject_pk(subject))
    if person is not None:
        reviews = reviews.filter(
            host__in=local_authorities_held(person=person, on=on, kinds=[PostKind.DCS])
        )
    reviews = [r for r in reviews if information_set_due_on(r) <= on + INFORMATION_SET_NOTICE]
    if not reviews:
        return []
    submitted = set(
        SelfAssessment.objects.filter(
            local_authority__in={r.host_id for r in reviews},
            state=SelfAssessmentState.SUBMITTED,
        ).values_list("local_authority_id", "year")
    )
    dcs = post_holders_by_local_authority(
        kinds=[PostKind.DCS], local_authority_ids={r.host_id for r in reviews}, on=on
    )
    out = []
    for review in reviews:
        due = information_set_due_on(review)
        if (review.host_id, due.year) in submitted:
            continue
        out.append(
            Deadline(
                kind="information_set",
                subject=str(review.pk),
                title=(
                    f"Submit {review.host}'s self-assessment for {due.year}, for the "
                    f"information set of the safeguarding assurance visit in the window "
                    f"{slot_words(ReviewKind.SAV, review.starts_on)}"
                ),
                due_on=due,
                url=reverse("reviews:self_assessment_index"),
                region_id=review.host.region_id,
                recipients=tuple(dcs.get(review.host_id, [])),
            )
        )
    return out


# Before the visit (R19) -----------------------------------------------------------------


def _decision_subject(review: Review) -> str:
    return f"{review.pk}/{review.reference_day.isoformat()}"


def hypotheses_decisions(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """PCTRs being prepared whose draft hypotheses wait for the host's decision: for the
    host's DCS and 2nd-tier lead (R19). Two queries."""
    reviews = (
        Review.objects.filter(kind=ReviewKind.PCTR, state=ReviewState.PREPARING, ends_on__gte=on)
        .annotate(
            drafted=Count("hypotheses"),
            decided=Count("hypotheses", filter=~Q(hypotheses__decision="")),
        )
        .filter(drafted__gt=0, decided=0)
        .select_related("host")
        .order_by("starts_on", "pk")
    )
    if subject is not None:
        reviews = reviews.filter(pk=subject_pk(subject))
    if person is not None:
        reviews = reviews.filter(
            host__in=local_authorities_held(person=person, on=on, kinds=HOST_LEADER_POSTS)
        )
    # The day it is counted from is in the subject: setting the visit's days moves the due
    # date, and the reminders start again from the new one.
    reviews = [r for r in reviews if subject is None or subject == _decision_subject(r)]
    if not reviews:
        return []
    leaders = post_holders_by_local_authority(
        kinds=HOST_LEADER_POSTS, local_authority_ids={r.host_id for r in reviews}, on=on
    )
    return [
        Deadline(
            kind="hypotheses_decision",
            subject=_decision_subject(review),
            title=f"Decide which hypotheses the PCTR of {review.host} investigates",
            due_on=hypotheses_decision_due_on(review),
            url=reverse("reviews:hypotheses", args=[review.pk]),
            region_id=review.host.region_id,
            recipients=tuple(leaders.get(review.host_id, [])),
        )
        for review in reviews
    ]


def conference_call_on(review: Review) -> datetime.date:
    """A SAV's conference call is held the working day before its first on-site day (R19)."""
    return working_days_shift(review.onsite_from, -1)


def conference_calls(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """SAVs whose visit days are set and not begun, while their conference call is not
    recorded: for the whole team. Never for anyone at the host (R30). Two queries."""
    reviews = (
        Review.objects.filter(
            kind=ReviewKind.SAV, onsite_from__gte=on, conference_call__isnull=True
        )
        .exclude(state__in=[ReviewState.ON_SITE, ReviewState.AFTER_VISIT])
        .select_related("host")
        .order_by("onsite_from", "pk")
    )
    if subject is not None:
        pk, _, first_day = subject.partition("/")
        try:
            first_day = datetime.date.fromisoformat(first_day)
        except ValueError:
            return []
        reviews = reviews.filter(pk=subject_pk(pk), onsite_from=first_day)
    if person is not None:
        reviews = reviews.filter(pk__in=_places_of(person))
    reviews = list(reviews)
    if not reviews:
        return []
    team = _team(reviews, TeamRole.values)
    return [
        Deadline(
            kind="conference_call",
            subject=f"{review.pk}/{review.onsite_from.isoformat()}",
            title=(
                f"Take part in the conference call of the SAV of {review.host}, the day "
                "before the visit, and record what the team agreed"
            ),
            due_on=conference_call_on(review),
            url=reverse("reviews:hypotheses", args=[review.pk]),
            region_id=review.host.region_id,
            recipients=tuple(team.get(review.pk, [])),
        )
        for review in reviews
    ]
