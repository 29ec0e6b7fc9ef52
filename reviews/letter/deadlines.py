"""The deadlines of the letter (R23, R37): the QA's proofreading and the final letter."""

import datetime

from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from emslirp.deadlines import Deadline, subject_pk
from emslirp.models import User
from emslirp.working_days import working_days_shift
from reviews.letter.models import Letter, LetterEvent, LetterState
from reviews.letter.selectors import letter_due_on
from reviews.review.deadlines import _after_visit, _kind_of, _places_of, _team
from reviews.review.models import TeamRole

# The QA proofreads a draft letter within this many working days of receiving it (R23).
QA_PROOFREAD_WORKING_DAYS = 2


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
