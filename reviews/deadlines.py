"""The deadlines of reviews and self-assessments (R17, R19, R23, R27, R30, R37).

Each collector returns the open deadlines of one kind on ``on`` (``emslirp.deadlines``),
or, given a ``subject``, that one deadline if it is still open. Each runs a fixed number
of queries however many reviews there are: people are read for all records at once.
"""

import datetime

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from calendar_planner.periods import add_months, slot_words
from emslirp.deadlines import Deadline, Kind, subject_pk
from emslirp.models import LocalAuthority, Post, PostKind, User
from emslirp.selectors import local_authorities_held, post_holders_by_local_authority
from emslirp.working_days import working_day_on_or_before, working_days_shift
from reviews.letter_selectors import letter_due_on
from reviews.models import (
    Letter,
    LetterEvent,
    LetterState,
    Reflection,
    Review,
    ReviewKind,
    ReviewState,
    SelfAssessment,
    SelfAssessmentState,
    SelfAssessmentUserGrant,
    TeamMember,
    TeamRole,
)
from reviews.permissions import (
    _DELEGATE_CODENAME,
    REFLECTING_ROLES,
    SELF_ASSESSMENT_WRITER_POSTS,
)
from reviews.reflection_selectors import reflections_close_on
from reviews.selectors import HOST_LEADER_POSTS

# The host decides on a PCTR's hypotheses this many working days before the visit (or,
# while its days are not set, before its quarter) so that the team can be formed (R14, R19).
HYPOTHESES_DECISION_WORKING_DAYS = 10
# The QA proofreads a draft letter within this many working days of receiving it (R23).
QA_PROOFREAD_WORKING_DAYS = 2
# Letters and reflections are chased for reviews whose visit ended within this many days.
AFTER_VISIT_HORIZON = datetime.timedelta(days=365)
# The host DCS is told of the information set this long before it is due (R30: the window
# only, and to nobody else at the host).
INFORMATION_SET_NOTICE = datetime.timedelta(days=92)


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


# Self-assessments (R17) -----------------------------------------------------------------


def self_assessment_due_on(year: int) -> datetime.date:
    """The day each LA's self-assessment of ``year`` is due: the setting's day
    (SELF_ASSESSMENT_DUE, month and day), or the working day before it (R17, R36)."""
    month, day = settings.SELF_ASSESSMENT_DUE
    return working_day_on_or_before(datetime.date(year, month, day))


def self_assessments(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """Every LA existing on ``on`` whose self-assessment of ``on``'s year is not yet
    submitted: for its DCS, 2nd-tier lead and the colleagues the DCS delegated it to who
    still hold a post there (as ``permissions.self_assessment_local_authorities``).
    Three queries."""
    year = on.year
    this_year = SelfAssessment.objects.filter(local_authority=OuterRef("pk"), year=year).order_by()
    las = (
        LocalAuthority.objects.active_on(on)
        .annotate(
            sa_pk=Subquery(this_year.values("pk")[:1]),
            sa_state=Subquery(this_year.values("state")[:1]),
        )
        .filter(Q(sa_state__isnull=True) | ~Q(sa_state=SelfAssessmentState.SUBMITTED))
        .order_by("name")
    )
    if subject is not None:
        la_pk, _, sa_year = subject.partition("/")
        if sa_year != str(year) or not la_pk.isdigit():
            return []
        las = las.filter(pk=int(la_pk))
    if person is not None:
        las = las.filter(pk__in=local_authorities_held(person=person, on=on))
    las = list(las)
    if not las:
        return []
    writers = post_holders_by_local_authority(
        kinds=SELF_ASSESSMENT_WRITER_POSTS, local_authority_ids=[la.pk for la in las], on=on
    )
    grants = (
        SelfAssessmentUserGrant.objects.filter(
            permission__codename=_DELEGATE_CODENAME,
            content_object__year=year,
            content_object__local_authority__in=[la.pk for la in las],
        )
        .filter(
            Exists(
                Post.objects.held_on(on).filter(
                    holder=OuterRef("user"),
                    local_authority=OuterRef("content_object__local_authority"),
                )
            )
        )
        .select_related("user", "content_object")
    )
    delegates: dict[int, list] = {}
    for grant in grants:
        delegates.setdefault(grant.content_object.local_authority_id, []).append(grant.user)
    due = self_assessment_due_on(year)
    out = []
    for la in las:
        people = {p.pk: p for p in writers.get(la.pk, []) + delegates.get(la.pk, [])}
        if la.sa_pk is None:
            title = f"Start the self-assessment of {la} for {year}"
            url = reverse("reviews:self_assessment_index")
        else:
            title = f"Carry on with the self-assessment of {la} for {year}"
            url = reverse("reviews:self_assessment", args=[la.sa_pk])
        out.append(
            Deadline(
                kind="self_assessment",
                subject=f"{la.pk}/{year}",
                title=title,
                due_on=due,
                url=url,
                region_id=la.region_id,
                recipients=tuple(sorted(people.values(), key=lambda p: (p.full_name, p.pk))),
            )
        )
    return out


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


def hypotheses_decision_due_on(review: Review) -> datetime.date:
    return working_days_shift(review.reference_day, -HYPOTHESES_DECISION_WORKING_DAYS)


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


# After the visit (R23, R27) -------------------------------------------------------------


def proofreading(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """Draft letters with the QA: for the QA, due QA_PROOFREAD_WORKING_DAYS after the
    letter reached them. A letter sent to the QA again is a new deadline. Two queries."""
    to_qa = LetterEvent.objects.filter(letter=OuterRef("pk"), after=LetterState.WITH_QA)
    letters = (
        Letter.objects.filter(state=LetterState.WITH_QA)
        .annotate(
            sent_at=Max("events__at", filter=Q(events__after=LetterState.WITH_QA)),
            sent_event=Subquery(to_qa.order_by("-at", "-pk").values("pk")[:1]),
        )
        .select_related("review__host")
        .order_by("pk")
    )
    if subject is not None:
        review_pk, _, event_pk = subject.partition("/")
        letters = letters.filter(review_id=subject_pk(review_pk), sent_event=subject_pk(event_pk))
    if person is not None:
        letters = letters.filter(review__in=_places_of(person, [TeamRole.QA]))
    letters = [x for x in letters if x.sent_at is not None]
    if not letters:
        return []
    qa = _team([x.review for x in letters], [TeamRole.QA])
    out = []
    for letter in letters:
        review = letter.review
        received = timezone.localtime(letter.sent_at).date()
        out.append(
            Deadline(
                kind="qa_proofread",
                subject=f"{review.pk}/{letter.sent_event}",
                title=f"Proofread the draft feedback letter of the {_kind_of(review)} of "
                f"{review.host}",
                due_on=working_days_shift(received, QA_PROOFREAD_WORKING_DAYS),
                url=reverse("reviews:letter", args=[review.pk]),
                region_id=review.host.region_id,
                recipients=tuple(qa.get(review.pk, [])),
            )
        )
    return out


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


def final_letters(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """Reviews over whose final letter is not issued: for the lead, due 10 (PCTR) or 5
    (SAV) working days after the last on-site day (``letter_due_on``); after that day the
    reminders say it is overdue. Two queries."""
    # The letter's clock runs from the last on-site day, whether or not the lead has yet
    # marked the visit over.
    mine = None if person is None else Q(pk__in=_places_of(person, [TeamRole.LEAD]))
    reviews = list(
        _after_visit(on, subject, still_on_site=True, mine=mine).exclude(
            letter__state=LetterState.FINAL
        )
    )
    if not reviews:
        return []
    leads = _team(reviews, [TeamRole.LEAD])
    return [
        Deadline(
            kind="letter_due",
            subject=str(review.pk),
            title=f"Issue the final feedback letter of the {_kind_of(review)} of {review.host}",
            due_on=letter_due_on(review),
            url=reverse("reviews:letter", args=[review.pk]),
            region_id=review.host.region_id,
            recipients=tuple(leads.get(review.pk, [])),
        )
        for review in reviews
    ]


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
    from reviews import permissions

    review = Review.objects.select_related("host").filter(pk=subject_pk(deadline.subject)).first()
    if review is None:
        return False
    access = permissions.review_access(person, review, on=on)
    return permissions.reflection_rights(access).see_completion


# The kinds of deadline of reviews, registered with the core from ``ReviewsConfig.ready()``.
KINDS = {
    "self_assessment": Kind(
        "Annual self-assessment",
        self_assessments,
        "your local authority's self-assessment",
    ),
    "information_set": Kind(
        "SAV information set",
        information_sets,
        "information your local authority is asked for",
    ),
    "hypotheses_decision": Kind(
        "Host's decision on hypotheses",
        hypotheses_decisions,
        "your decision on a review's hypotheses",
    ),
    "conference_call": Kind(
        "Pre-visit conference call",
        conference_calls,
        "a team conference call",
    ),
    "qa_proofread": Kind(
        "QA proofreading",
        proofreading,
        "a draft letter to proofread",
        coordinator_follows=False,
    ),
    "letter_due": Kind("Final feedback letter", final_letters, "a final feedback letter"),
    "reflection": Kind(
        "Reflection",
        reflections,
        "your reflection on a review",
        coordinator_follows=False,
        reminded_by=reflections_reminded_by,
    ),
}
