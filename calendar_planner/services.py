"""Changes to the calendar (R10–R13). Each function checks what it is given and leaves
either a whole change or none."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from calendar_planner import selectors
from calendar_planner.models import (
    ExtraReviewRequest,
    ExtraReviewState,
    Programme,
    ProgrammeEntry,
    ProgrammeOrigin,
    ProgrammeState,
)
from calendar_planner.periods import PCTR, PCTR_CYCLE_MONTHS, SAV, slot_end
from calendar_planner.planner import PlanningError, plan
from calendar_planner.rules import Row, validate
from emslirp.models import LocalAuthority, Region, User
from emslirp.queue import task_after_commit
from reviews.review.models import Review, ReviewKind


def programme_months(*, kind: str, years: int, interval: int | None) -> int:
    """A programme runs whole rounds: whole three-year cycles for PCTRs, whole intervals
    for SAVs, at least ``years`` long."""
    round_months = PCTR_CYCLE_MONTHS if kind == PCTR else interval
    rounds = max(1, -(-years * 12 // round_months))
    return rounds * round_months


def programme_create(
    *,
    region: Region,
    kind: str,
    starts_on: datetime.date,
    years: int,
    interval: int | None,
    seed: int,
    by: User | None,
) -> Programme:
    """A programme to be planned; the planner runs in the worker once this commits."""
    programme = Programme(
        region=region,
        kind=kind,
        starts_on=starts_on,
        months=programme_months(kind=kind, years=years, interval=interval),
        interval_months=interval if kind == SAV else None,
        seed=seed,
        origin=ProgrammeOrigin.PLANNED,
        state=ProgrammeState.PLANNING,
        created_by=by,
    )
    programme.full_clean()
    programme.save()
    task_after_commit("calendar_planner.tasks.task_programme_plan", programme_id=programme.pk)
    return programme


@transaction.atomic
def programme_plan(*, programme: Programme) -> Programme:
    """Run the planner for a programme being planned and store its calendar as a draft,
    or the reason it could not be made."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state != ProgrammeState.PLANNING:
        return programme
    frame = selectors.programme_frame(programme)
    try:
        result = plan(frame, seed=programme.seed)
    except PlanningError as error:
        programme.state = ProgrammeState.FAILED
        programme.note = str(error)
        programme.save(update_fields=["state", "note"])
        return programme
    _entries_replace(programme=programme, rows=result.rows)
    programme.state = ProgrammeState.DRAFT
    programme.note = "" if result.optimal else "The best calendar found within the budget."
    programme.save(update_fields=["state", "note"])
    return programme


def _entries_replace(*, programme: Programme, rows: list[Row]) -> None:
    names = {n for r in rows for n in (r.host, r.lead, r.qa) if n}
    by_name = {
        la.name: la for la in LocalAuthority.objects.filter(region=programme.region, name__in=names)
    }
    unknown = names - set(by_name)
    if unknown:
        raise ValidationError(f"Not LAs of {programme.region}: {', '.join(sorted(unknown))}.")
    programme.entries.all().delete()
    ProgrammeEntry.objects.bulk_create(
        ProgrammeEntry(
            programme=programme,
            starts_on=r.start,
            host=by_name[r.host],
            lead=by_name.get(r.lead),
            qa=by_name.get(r.qa),
        )
        for r in rows
    )


@transaction.atomic
def programme_delete(*, programme: Programme) -> None:
    """Throw away a draft or a plan that failed; an adopted calendar has reviews and stays."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state not in (ProgrammeState.DRAFT, ProgrammeState.FAILED):
        raise ValidationError(
            "Only a draft or a calendar that could not be planned can be deleted."
        )
    programme.delete()


@transaction.atomic
def programme_fail(*, programme: Programme, reason: str) -> None:
    """Record that planning stopped, so the page stops waiting and says why."""
    Programme.objects.filter(pk=programme.pk, state=ProgrammeState.PLANNING).update(
        state=ProgrammeState.FAILED, note=reason
    )


@transaction.atomic
def programme_import(
    *,
    region: Region,
    kind: str,
    rows: list[Row],
    starts_on: datetime.date,
    months: int,
    interval: int | None,
    note: str,
    by: User | None,
) -> Programme:
    """A draft programme holding a calendar read from a file or typed by hand, rules
    broken and all: the validator reports what it breaks (R12)."""
    programme = Programme(
        region=region,
        kind=kind,
        starts_on=starts_on,
        months=months,
        interval_months=interval if kind == SAV else None,
        origin=ProgrammeOrigin.IMPORTED,
        state=ProgrammeState.DRAFT,
        note=note,
        created_by=by,
    )
    programme.full_clean()
    programme.save()
    _entries_replace(programme=programme, rows=rows)
    return programme


@transaction.atomic
def programme_entries_set(*, programme: Programme, rows: list[Row]) -> Programme:
    """Replace a draft's calendar with ``rows`` (the coordinator's adjustments)."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state != ProgrammeState.DRAFT:
        raise ValidationError("Only a draft calendar can be changed.")
    _entries_replace(programme=programme, rows=rows)
    return programme


@transaction.atomic
def programme_adopt(*, programme: Programme, by: User) -> Programme:
    """Adopt a draft with no errors: each entry becomes a planned review in its slot.
    Warnings do not stop it; an error, or an adopted programme of the same kind over the
    same months, does."""
    # The region's row is the lock: two calendars of one region are never adopted at once,
    # so the overlap check below cannot be raced.
    Region.objects.select_for_update().get(pk=programme.region_id)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.state != ProgrammeState.DRAFT:
        raise ValidationError("Only a draft calendar can be adopted.")
    errors = [f for f in selectors.programme_findings(programme) if f.is_error]
    if errors:
        rules = "a rule" if len(errors) == 1 else f"{len(errors)} rules"
        raise ValidationError([f"The calendar breaks {rules}. The first: {errors[0].sentence}"])
    clash = selectors.adopted_overlapping(programme)
    if clash:
        raise ValidationError(f"{clash[0]} is already adopted for some of these months.")
    entries = list(programme.entries.select_related("host", "lead", "qa"))
    for entry in entries:
        entry.review = Review.objects.create(
            kind=programme.kind,
            host=entry.host,
            starts_on=entry.starts_on,
            ends_on=slot_end(programme.kind, entry.starts_on),
            lead_local_authority=entry.lead,
            qa_local_authority=entry.qa,
        )
    ProgrammeEntry.objects.bulk_update(entries, ["review"])
    programme.state = ProgrammeState.ADOPTED
    programme.adopted_by = by
    programme.adopted_at = timezone.now()
    programme.save(update_fields=["state", "adopted_by", "adopted_at"])
    return programme


@transaction.atomic
def extra_review_request(
    *,
    local_authority: LocalAuthority,
    by: User,
    preferred_start: datetime.date,
    reason: str,
) -> ExtraReviewRequest:
    """An LA asks for an extra PCTR (R10)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the extra review is wanted."})
    LocalAuthority.objects.select_for_update().get(pk=local_authority.pk)
    if ExtraReviewRequest.objects.filter(
        local_authority=local_authority, state=ExtraReviewState.REQUESTED
    ).exists():
        raise ValidationError(
            {"local_authority": f"{local_authority} already has a request waiting."}
        )
    return ExtraReviewRequest.objects.create(
        local_authority=local_authority,
        requested_by=by,
        preferred_start=preferred_start,
        reason=reason.strip(),
    )


def extra_review_check(
    *,
    request: ExtraReviewRequest,
    starts_on: datetime.date,
    lead: LocalAuthority,
    qa: LocalAuthority,
) -> list:
    """The hard-rule findings of placing the extra review: three different LAs, each
    existing and free of blackouts in the quarter (R12)."""
    frame = selectors.frame_for(
        region=request.local_authority.region, kind=PCTR, starts_on=starts_on, months=3
    )
    row = Row(start=starts_on, host=request.local_authority.name, lead=lead.name, qa=qa.name)
    # One row in a three-month frame: only the rules of a single review can fail.
    return [f for f in validate(frame, [row]) if f.is_error]


@transaction.atomic
def extra_review_schedule(
    *,
    request: ExtraReviewRequest,
    by: User,
    starts_on: datetime.date,
    lead: LocalAuthority,
    qa: LocalAuthority,
) -> Review:
    """Place a requested extra PCTR in a quarter with its lead and QA LAs."""
    request = ExtraReviewRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ExtraReviewState.REQUESTED:
        raise ValidationError("This request has already been decided.")
    errors = extra_review_check(request=request, starts_on=starts_on, lead=lead, qa=qa)
    if errors:
        raise ValidationError([f"{f.message[:1].upper()}{f.message[1:]}." for f in errors])
    review = Review.objects.create(
        kind=ReviewKind.PCTR,
        host=request.local_authority,
        starts_on=starts_on,
        ends_on=slot_end(PCTR, starts_on),
        lead_local_authority=lead,
        qa_local_authority=qa,
        is_extra=True,
    )
    request.state = ExtraReviewState.SCHEDULED
    request.review = review
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "review", "decided_by", "decided_at"])
    return review


@transaction.atomic
def extra_review_decline(*, request: ExtraReviewRequest, by: User, reason: str) -> None:
    request = ExtraReviewRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ExtraReviewState.REQUESTED:
        raise ValidationError("This request has already been decided.")
    if not reason.strip():
        raise ValidationError({"decline_reason": "Say why the request is declined."})
    request.state = ExtraReviewState.DECLINED
    request.decline_reason = reason.strip()
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decline_reason", "decided_by", "decided_at"])
