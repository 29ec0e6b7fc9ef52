"""Who writes the history and what each of its reviews will hold, before anything is
written; the helpers that date rows in the past."""

import dataclasses
import datetime
import random

from django.utils import timezone

from emslirp.models import LocalAuthority, User
from emslirp.working_days import working_days_from, working_days_shift
from reviews.intelligence.history.content import TOPICS, Topic
from reviews.review.models import Review, ReviewKind, ReviewState
from reviews.self_assessment.models import SelfAssessment
from reviews.workbook.models import AgreedAction, Hypothesis, HypothesisSource


@dataclasses.dataclass(frozen=True)
class Cast:
    """Who writes an LA's records: its DCS (the PCTR's host, lead and QA), its 2nd-tier
    safeguarding lead (the SAV's) and its data specialist (on the team its LA leads)."""

    dcs: User
    ad: User
    data: User


@dataclasses.dataclass
class _Plan:
    review: Review
    topics: list[tuple[Topic, str, int, str]]  # topic, source kind, number, words
    self_assessment: SelfAssessment | None
    lead: User
    qa: User
    data: User
    host: User
    hypotheses: list[Hypothesis] = dataclasses.field(default_factory=list)
    actions: list[AgreedAction] = dataclasses.field(default_factory=list)


def _create_dated(model, rows: list, field: str) -> None:
    """``bulk_create`` ``rows``, then put back ``field``, which the model dates itself
    (``auto_now``, ``auto_now_add``) and the insert set to now: history has its own days."""
    wanted = [getattr(row, field) for row in rows]
    model.objects.bulk_create(rows)
    for row, value in zip(rows, wanted, strict=True):
        setattr(row, field, value)
    model.objects.bulk_update(rows, [field])


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _active(las: list[LocalAuthority], day: datetime.date) -> list[LocalAuthority]:
    return [
        la for la in las if la.active_from <= day and (la.active_to is None or la.active_to >= day)
    ]


def _ratings(rng: random.Random, la_count: int, years: list[int], areas: list[str]) -> dict:
    """Each LA's self-ratings year by year for the template's ``areas`` (keys): a start per
    area, and a direction the LA is going in (a third improve, a third decline, a third
    hold), with some noise."""
    out = {}
    for i in range(la_count):
        trend = (1, -1, 0)[i % 3]
        start = {a: rng.choice((2, 2, 3, 3, 1, 4) if trend == 0 else (2, 3)) for a in areas}
        if trend < 0:
            start = {a: min(4, r + 1) for a, r in start.items()}
        for n, year in enumerate(years):
            out[i, year] = {
                a: max(1, min(4, r + round(trend * n * 0.45 + rng.choice((0, 0, 0, 1, -1)))))
                for a, r in start.items()
            }
    return out


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _review_plan(
    *, rng, kind, year, slot, host, lead_la, qa_la, cast, assessments, chosen
) -> _Plan | None:
    """The review's slot (a PCTR's quarter, a SAV's two months in it), its on-site days
    (3 or 2 working days), and the weaknesses and lines of enquiry of the host's latest
    submitted self-assessment that its hypotheses come from (R18, R40)."""
    pctr = kind == ReviewKind.PCTR
    starts_on = datetime.date(year, 1 + 3 * slot, 1)
    months = 3 if pctr else 2
    end_month = starts_on.month + months
    ends_on = (
        datetime.date(year + end_month // 13, (end_month - 1) % 12 + 1, 1) - _days(1)
        if end_month <= 12
        else datetime.date(year, 12, 31)
    )
    onsite = working_days_from(starts_on + _days(21 + (host.pk % 7)), 3 if pctr else 2)
    if onsite[-1] > ends_on:
        return None
    source_year = year if starts_on.month > 3 else year - 1
    assessment = assessments.get((host.pk, source_year))
    topics = []
    if assessment is not None:
        picks = chosen[host.pk, source_year]
        # Hypotheses from the first weaknesses and, for a PCTR, a line of enquiry.
        for number, topic in enumerate(picks[:2], start=1):
            topics.append((topic, HypothesisSource.WEAKNESS, number, topic.weakness))
        extra = 4 if pctr else 3
        topics.append((picks[extra - 1], HypothesisSource.KLOE, extra, picks[extra - 1].kloe))
        if pctr:
            topics.append((picks[2], HypothesisSource.WEAKNESS, 3, picks[2].weakness))
    else:
        # Nothing submitted to start from: drafted from the data alone, linked to nothing.
        topics = [(t, "", 0, "") for t in rng.sample(TOPICS, 3)]
    role_person = (lambda la: cast[la.pk].dcs) if pctr else (lambda la: cast[la.pk].ad)
    review = Review(
        kind=kind,
        host=host,
        starts_on=starts_on,
        ends_on=ends_on,
        lead_local_authority=lead_la,
        qa_local_authority=qa_la,
        state=ReviewState.AFTER_VISIT,
        onsite_from=onsite[0],
        onsite_to=onsite[-1],
    )
    return _Plan(
        review=review,
        topics=topics,
        self_assessment=assessment,
        lead=role_person(lead_la),
        qa=role_person(qa_la),
        data=cast[lead_la.pk].data,
        host=cast[host.pk].dcs,
    )


def _due_days(review: Review) -> int:
    return 10 if review.kind == ReviewKind.PCTR else 5


def _issue_day(review: Review) -> datetime.date:
    """Issued on the due day's eve: within 10 (PCTR) or 5 (SAV) working days (R23)."""
    return working_days_from(review.onsite_to + _days(1), _due_days(review) - 1)[-1]


def _prepared(review: Review) -> datetime.datetime:
    return _at(working_days_from(review.onsite_from - _days(45), 1)[0], 10)


def _agreed(review: Review) -> datetime.datetime:
    """When the hypotheses were agreed: the host's decision two weeks into a PCTR's
    preparation; a SAV's conference call on the working day before its visit (R19)."""
    if review.kind == ReviewKind.PCTR:
        return _prepared(review) + _days(14)
    return _at(working_days_shift(review.onsite_from, -1), 16)
