"""The demo region's teams (``load_demo``): the next reviews of the current calendar with
their teams being formed, placed through the services as the coordinator and the lead
would, from the people the suggestions offer; loading twice changes nothing."""

import datetime

from django.utils import timezone

from accreditation.models import Specialism
from emslirp.demo import DemoDays
from emslirp.models import PostKind, User
from emslirp.selectors import post_holder
from emslirp.working_days import working_days_from, working_days_shift
from reviews import demo_after, demo_history
from reviews.review import selectors, services, states
from reviews.review.deadlines import hypotheses_decision_due_on
from reviews.review.models import Review, ReviewKind, ReviewState, TeamMember, TeamRole
from reviews.workbook.services import deployment, hypotheses

# The next PCTR gets its whole team; the one after, its lead and QA; the next SAV, its
# lead and QA. The rest wait for the coordinator.
PCTR_FULL, PCTR_NAMED = 1, 1
# The next PCTR's desk analysis: four hypotheses, the host's decision parking one the
# lead proposed to investigate, the lead's disagreement, and methods.
DRAFTS = [
    {
        "text": "Thresholds at the front door are applied unevenly between teams.",
        "linked_to_data": True,
        "linked_to_self_assessment": True,
        "proposal": "investigate",
    },
    {
        "text": "Supervision is regular for permanent staff but not for agency social workers.",
        "linked_to_data": True,
        "proposal": "investigate",
    },
    {
        "text": "Pathway plans for care leavers are often late.",
        "linked_to_data": True,
        "proposal": "investigate",
    },
    {
        "text": "Early help is not yet joined up with schools.",
        "linked_to_self_assessment": True,
        "proposal": "park",
    },
]
DECISIONS = {1: "investigate", 2: "investigate", 3: "park", 4: "park"}
SPECIALISMS = {
    1: ["safeguarding", "partnerships"],
    2: ["workforce-development"],
    3: ["youth"],
    4: ["early-years", "schools"],
}
DISAGREEMENT = "The data on pathway plans is the weakest in the region; it should be looked at."
METHODS = {
    1: ["Audit of 20 contacts that did not proceed", "Observation at the front door"],
    2: ["Focus group of agency social workers", "Sample of supervision records"],
}


def _place(review: Review, role: str, by: User, today: datetime.date) -> TeamMember | None:
    rows = selectors.team_suggestions(review=review, role=role, on=today, limit=1)
    if not rows:
        return None
    return services.team_assign(review=review, person=rows[0]["person"], role=role, by=by)


def load_reviews_demo(*, coordinator: User, today: datetime.date) -> dict[str, int]:
    created = {"team places": 0}
    if TeamMember.objects.exists():
        return created
    upcoming = Review.objects.filter(starts_on__gt=today).select_related("host__region")
    pctrs = list(upcoming.filter(kind=ReviewKind.PCTR).order_by("starts_on", "host__name"))
    savs = list(upcoming.filter(kind=ReviewKind.SAV).order_by("starts_on", "host__name"))
    plans = [(r, True) for r in pctrs[:PCTR_FULL]]
    plans += [(r, False) for r in pctrs[PCTR_FULL : PCTR_FULL + PCTR_NAMED]]
    for review, whole in plans:
        lead = _place(review, TeamRole.LEAD, coordinator, today)
        created["team places"] += lead is not None
        created["team places"] += _place(review, TeamRole.QA, coordinator, today) is not None
        if whole and lead is not None:
            # The lead names the data specialist, drafts the hypotheses with them, and
            # once the host has decided, chooses the members who cover them (R14, R18).
            created["team places"] += (
                _place(review, TeamRole.DATA_SPECIALIST, lead.person, today) is not None
            )
            created["hypotheses"] = _desk_analysis(review, lead.person, today)
            for _ in range(4):
                created["team places"] += (
                    _place(review, TeamRole.MEMBER, lead.person, today) is not None
                )
    created["team places"] += _sav_agreed(savs, coordinator, today)
    # The current cycle's PCTRs that are over, latest first: the first with its final
    # letter, the second with its reflections complete, the third with a critical incident
    # open (and its letter overdue).
    past = list(
        Review.objects.filter(
            kind=ReviewKind.PCTR, ends_on__lt=today, starts_on__gte=DemoDays(today).cycle_from
        )
        .select_related("host__region")
        .order_by("-starts_on", "host__name")[:3]
    )
    after = (
        ("final letters", lambda r: demo_after.letter_final(r, today=today)),
        ("reflections", lambda r: demo_after.reflections_complete(r, today=today)),
        ("open critical incidents", demo_after.incident_open),
    )
    for review, (what, make) in zip(past, after, strict=False):
        placed = _pctr_visited(review, coordinator, today)
        created["team places"] += placed
        if placed:
            review.refresh_from_db()
            created[what] = make(review)
    # The years before: what the regional charts are drawn from (R28, R38, R39). Written
    # last, so that none of it changes how today's teams were suggested and placed.
    history = demo_history.load_history_demo(coordinator=coordinator, today=today)
    created |= {f"past {what}": n for what, n in history.items()}
    return created


def _team(review: Review, coordinator: User, today: datetime.date, members: int):
    """Lead and QA by the coordinator, then the data specialist and ``members`` members by
    the lead (a SAV's from the start; a PCTR's wait for the host's decision, R14).
    Returns the lead's place (or None if nobody can lead it) and how many were placed."""
    lead = _place(review, TeamRole.LEAD, coordinator, today)
    if lead is None:
        return None, 0
    placed = 1 + (_place(review, TeamRole.QA, coordinator, today) is not None)
    placed += _place(review, TeamRole.DATA_SPECIALIST, lead.person, today) is not None
    for _ in range(members):
        placed += _place(review, TeamRole.MEMBER, lead.person, today) is not None
    return lead, placed


def _sav_agreed(savs: list[Review], coordinator: User, today: datetime.date) -> int:
    """The first coming SAV whose planned lead LA has an accredited lead AD: its team, its
    hypotheses drafted and agreed by the team at the conference call (R15, R19)."""
    for review in savs:
        lead, placed = _team(review, coordinator, today, members=2)
        if lead is None:
            continue
        hypotheses.hypotheses_save(review=review, drafts=DRAFTS[:3], by=lead.person)
        hypotheses.conference_call_record(
            review=review,
            held_on=review.starts_on,
            attended_by=[m.person for m in review.team.all()],
            notes="Front door first; case audits on the second day.",
            decisions={1: "investigate", 2: "investigate", 3: "park"},
            by=lead.person,
        )
        return placed
    return 0


def _pctr_visited(review: Review, coordinator: User, today: datetime.date) -> int:
    """A PCTR of the current cycle that is over: its team, the host's decision, the on-site
    days and the visit started and ended by the lead."""
    lead, placed = _team(review, coordinator, today, members=0)
    if lead is None:
        return 0
    _desk_analysis(review, lead.person, today)
    # The members join once the host has decided, to investigate what was chosen (R14).
    for _ in range(4):
        placed += _place(review, TeamRole.MEMBER, lead.person, today) is not None
    first_day = working_days_from(review.starts_on + datetime.timedelta(days=14), 1)[0]
    deployment.review_onsite_set(review=review, first_day=first_day, by=lead.person)
    for state in (ReviewState.ON_SITE, ReviewState.AFTER_VISIT):
        states.review_state_set(review=review, state=state, by=lead.person)
    _history_on_its_days(review)
    return placed


def _history_on_its_days(review: Review) -> None:
    """The review's changes of state dated as they would have happened, not on the day the
    demo is loaded: its preparation six weeks before the visit, the host's decision when it
    was due, the visit started on its first day and ended on its last."""
    review.refresh_from_db()
    first, last = review.onsite_from, review.onsite_to
    when = {
        ReviewState.PREPARING: (working_days_shift(first, -30), datetime.time(10)),
        ReviewState.AGREED: (hypotheses_decision_due_on(review), datetime.time(11)),
        ReviewState.ON_SITE: (first, datetime.time(9)),
        ReviewState.AFTER_VISIT: (last, datetime.time(17)),
    }
    moments = {
        state: timezone.make_aware(datetime.datetime.combine(day, at))
        for state, (day, at) in when.items()
    }
    for change in review.state_changes.all():
        if change.after in moments:
            change.at = moments[change.after]
            change.save(update_fields=["at"])
    # The places and the host's decision on the same days as the changes they made.
    review.team.update(assigned_at=moments[ReviewState.PREPARING])
    review.hypotheses.exclude(decided_at=None).update(decided_at=moments[ReviewState.AGREED])


def _desk_analysis(review: Review, lead: User, today: datetime.date) -> int:
    host = post_holder(kind=PostKind.DCS, local_authority=review.host, on=today)
    codes = {s.code: s for s in Specialism.objects.all()}
    drafts = [
        {**d, "specialisms": [codes[c] for c in SPECIALISMS.get(n, [])]}
        for n, d in enumerate(DRAFTS, start=1)
    ]
    saved = hypotheses.hypotheses_save(review=review, drafts=drafts, by=lead)
    if host is None:
        return len(saved)
    hypotheses.hypotheses_decide(review=review, decisions=DECISIONS, by=host, notify=False)
    by_number = {h.number: h for h in review.hypotheses.all()}
    hypotheses.hypothesis_disagree(
        hypothesis=by_number[3], text=DISAGREEMENT, by=lead, notify=False
    )
    for number, texts in METHODS.items():
        hypotheses.methods_save(hypothesis=by_number[number], texts=texts, by=lead)
    return len(saved)
