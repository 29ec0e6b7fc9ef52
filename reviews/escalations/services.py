"""Escalation (R26): a host's concern about a review's process, the team's conduct or its
findings. The host raises it, the lead answers, and the host either accepts the answer
(the concern is resolved) or refers it to the QA, who adjudicates: upheld or not. A lead
who does not answer cannot hold it back: after ``LEAD_ANSWER_WORKING_DAYS`` working days
the host may refer it unanswered. Each step e-mails the next person to act, and the
outcome is kept on the record.

Every service asks ``permissions.escalation_rights`` itself and raises PermissionDenied;
every step locks the escalation's row and checks its state, so of two people acting at
once the second is told what the first did rather than overwriting it.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from emslirp.models import User
from emslirp.notices import email_after_commit
from emslirp.text import long_date
from emslirp.working_days import working_days_from
from reviews.escalations import permissions
from reviews.escalations.models import (
    Escalation,
    EscalationAbout,
    EscalationOutcome,
    EscalationState,
)
from reviews.review import permissions as review_permissions
from reviews.review.models import Review, TeamRole
from reviews.review.selectors import host_leaders, team_in

# Who speaks for the host in an escalation (R26): the posts ``host_decides`` stands for.
ALREADY = {
    EscalationState.ANSWERED: "The lead has already answered this concern.",
    EscalationState.WITH_QA: "This concern has already been referred to the QA.",
    EscalationState.CLOSED: "This concern is closed.",
}


def _rights(user: User, review: Review) -> permissions.EscalationRights:
    access = review_permissions.review_access(user, review, on=timezone.localdate())
    return permissions.escalation_rights(access)


def _lock_query(pk: int) -> QuerySet[Escalation]:
    """The query that locks one escalation's row. ``of=("self",)``: on PostgreSQL only this
    row is locked, not the joined review and local authority that other features change;
    ``order_by()`` drops Meta.ordering, whose ``review`` would join the review's own
    ordering into the query."""
    return (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("review__host")
        .order_by()
        .filter(pk=pk)
    )


def _locked(escalation: Escalation) -> Escalation:
    """The escalation's row, locked until the transaction ends, as it is now."""
    return _lock_query(escalation.pk).get()


NOT_YET = {
    EscalationState.ANSWERED: "The lead has not answered this concern yet.",
    EscalationState.WITH_QA: "The host has not referred this concern to the QA.",
}
ORDER = list(EscalationState.values)
# A lead who never answers must not keep a concern from the QA: once this many working
# days have passed since it was raised, the host may refer an unanswered concern too.
# Five working days is a working week, long enough for a lead busy on another visit to
# answer, short enough that the QA can still act while the review is fresh (R26).
LEAD_ANSWER_WORKING_DAYS = 5
NO_LEAD = (
    "This review has no lead named yet, so nobody could answer a concern. Ask the regional "
    "coordinator to name the lead, then raise it."
)


def _in_state(escalation: Escalation, state: str) -> None:
    """Refuse a step the concern is not ready for, or has already gone past."""
    if escalation.state == state:
        return
    if ORDER.index(escalation.state) < ORDER.index(state):
        raise ValidationError(NOT_YET[state])
    raise ValidationError(ALREADY[escalation.state])


def escalation_referable_from(escalation: Escalation) -> datetime.date:
    """The first day the host may refer a concern the lead has not answered: once
    ``LEAD_ANSWER_WORKING_DAYS`` working days have passed after the day it was raised."""
    raised_on = timezone.localtime(escalation.raised_at).date()
    return working_days_from(raised_on + datetime.timedelta(days=1), LEAD_ANSWER_WORKING_DAYS)[-1]


def escalation_unanswered_text(escalation: Escalation) -> str:
    """What the host is told of a concern the lead has not yet answered: when they may
    refer it to the QA without an answer."""
    return (
        "The lead has not answered this concern yet. If there is still no answer, you can "
        f"refer it to the QA from {long_date(escalation_referable_from(escalation))}."
    )


def escalation_may_refer(escalation: Escalation) -> bool:
    """Whether the concern is at a step the host may refer it to the QA from: answered by
    the lead, or raised and left unanswered past the lead's working days (R26)."""
    if escalation.state == EscalationState.ANSWERED:
        return True
    return (
        escalation.state == EscalationState.RAISED
        and timezone.localdate() >= escalation_referable_from(escalation)
    )


def escalation_host_leaders(review: Review) -> list[User]:
    """The host's DCS and 2nd-tier safeguarding lead today (R3)."""
    return host_leaders(review, on=timezone.localdate())


def _notify(
    *, escalation: Escalation, to: list[User], by: User, template: str, subject: str, **extra
):
    """E-mail the next people to act, each their own e-mail, once the step commits."""
    url = reverse("reviews:escalation", args=[escalation.review_id, escalation.pk])
    for person in {p.pk: p for p in to if p.pk != by.pk and p.email}.values():
        email_after_commit(
            template=f"reviews/email/escalation_{template}.txt",
            subject=subject,
            to=[person.email],
            context={
                "person": person,
                "escalation": escalation,
                "review": escalation.review,
                "by": by,
                "url": url,
                **extra,
            },
        )


def _subject(escalation: Escalation, what: str) -> str:
    review = escalation.review
    return f"{what}: the {review.get_kind_display()} of {review.host}"


@transaction.atomic
def escalation_raise(*, review: Review, about: str, concern: str, by: User) -> Escalation:
    """The host's DCS or 2nd-tier lead raises a concern about the review (R26); the lead
    is e-mailed to answer it. Refused on a review with no lead named: nobody would answer."""
    review = Review.objects.select_related("host").get(pk=review.pk)
    if not _rights(by, review).raise_:
        raise PermissionDenied
    leads = team_in(review, TeamRole.LEAD)
    if not leads:
        raise ValidationError(NO_LEAD)
    if about not in EscalationAbout.values:
        raise ValidationError({"about": "Choose what the concern is about."})
    if not concern.strip():
        raise ValidationError({"concern": "Describe the concern."})
    escalation = Escalation.objects.create(
        review=review, about=about, concern=concern.strip(), raised_by=by, raised_at=timezone.now()
    )
    _notify(
        escalation=escalation,
        to=leads,
        by=by,
        template="raised",
        subject=_subject(escalation, "The host has raised a concern"),
    )
    return escalation


@transaction.atomic
def escalation_respond(*, escalation: Escalation, response: str, by: User) -> Escalation:
    """The lead answers a raised concern; the host's DCS and 2nd-tier lead are e-mailed to
    accept the answer or refer the concern to the QA (R26)."""
    escalation = _locked(escalation)
    if not _rights(by, escalation.review).respond:
        raise PermissionDenied
    _in_state(escalation, EscalationState.RAISED)
    if not response.strip():
        raise ValidationError({"response": "Write your answer to the concern."})
    escalation.lead_response = response.strip()
    escalation.responded_by, escalation.responded_at = by, timezone.now()
    escalation.state = EscalationState.ANSWERED
    escalation.save(update_fields=["lead_response", "responded_by", "responded_at", "state"])
    _notify(
        escalation=escalation,
        to=escalation_host_leaders(escalation.review),
        by=by,
        template="answered",
        subject=_subject(escalation, "The lead has answered your concern"),
    )
    return escalation


@transaction.atomic
def escalation_accept(*, escalation: Escalation, by: User) -> Escalation:
    """The host accepts the lead's answer: the concern is closed as resolved, and the lead
    is told (R26)."""
    escalation = _locked(escalation)
    if not _rights(by, escalation.review).raise_:
        raise PermissionDenied
    _in_state(escalation, EscalationState.ANSWERED)
    escalation.state, escalation.outcome = EscalationState.CLOSED, EscalationOutcome.RESOLVED
    escalation.closed_at = timezone.now()
    escalation.save(update_fields=["state", "outcome", "closed_at"])
    _notify(
        escalation=escalation,
        to=team_in(escalation.review, TeamRole.LEAD),
        by=by,
        template="closed",
        subject=_subject(escalation, "A concern is resolved"),
    )
    return escalation


@transaction.atomic
def escalation_refer(*, escalation: Escalation, by: User) -> Escalation:
    """The host refers the concern to the QA, who is e-mailed to adjudicate (R26): when the
    host does not accept the lead's answer, or when the lead has not answered within
    ``LEAD_ANSWER_WORKING_DAYS`` working days of it being raised."""
    escalation = _locked(escalation)
    if not _rights(by, escalation.review).raise_:
        raise PermissionDenied
    unanswered = escalation.state == EscalationState.RAISED
    if unanswered and not escalation_may_refer(escalation):
        raise ValidationError(escalation_unanswered_text(escalation))
    if not unanswered:
        _in_state(escalation, EscalationState.ANSWERED)
    escalation.state, escalation.referred_at = EscalationState.WITH_QA, timezone.now()
    escalation.save(update_fields=["state", "referred_at"])
    _notify(
        escalation=escalation,
        to=team_in(escalation.review, TeamRole.QA),
        by=by,
        template="referred",
        subject=_subject(escalation, "A concern is referred to you"),
        unanswered=unanswered,
    )
    return escalation


@transaction.atomic
def escalation_adjudicate(
    *, escalation: Escalation, upheld: bool, adjudication: str, by: User
) -> Escalation:
    """The QA's decision on a referred concern, with their reasons: upheld or not upheld.
    It closes the concern; the host and the lead are told the outcome (R26)."""
    escalation = _locked(escalation)
    if not _rights(by, escalation.review).adjudicate:
        raise PermissionDenied
    _in_state(escalation, EscalationState.WITH_QA)
    if not adjudication.strip():
        raise ValidationError({"adjudication": "Give the reasons for your decision."})
    now = timezone.now()
    escalation.adjudication = adjudication.strip()
    escalation.adjudicated_by, escalation.adjudicated_at = by, now
    escalation.outcome = EscalationOutcome.UPHELD if upheld else EscalationOutcome.NOT_UPHELD
    escalation.state, escalation.closed_at = EscalationState.CLOSED, now
    escalation.save(
        update_fields=[
            "adjudication",
            "adjudicated_by",
            "adjudicated_at",
            "outcome",
            "state",
            "closed_at",
        ]
    )
    _notify(
        escalation=escalation,
        to=escalation_host_leaders(escalation.review) + team_in(escalation.review, TeamRole.LEAD),
        by=by,
        template="adjudicated",
        subject=_subject(escalation, "The QA has decided on a concern"),
    )
    return escalation
