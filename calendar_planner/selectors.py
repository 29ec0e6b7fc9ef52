"""Reads of the calendar (R10–R13): the frame a programme is planned and checked in, its
rows and findings."""

import dataclasses
import datetime

from django.db.models import Count, Prefetch, Q

from calendar_planner.models import Blackout, Programme, ProgrammeState
from calendar_planner.periods import PCTR, SAV, add_months, quarters_of, slot_end, slot_words
from calendar_planner.rules import Authority, Finding, Frame, Row, activities, validate
from emslirp.models import LocalAuthority, Region
from reviews.review.models import Review
from reviews.review.permissions import CalendarScope, calendar_reviews, sees_team


def frame_for(
    *,
    region: Region,
    kind: str,
    starts_on: datetime.date,
    months: int,
    interval: int | None = None,
) -> Frame:
    """The region's LAs that exist at some point of the programme, with their blackouts,
    and what the other kind's adopted calendar already asks of them. Three queries."""
    end = add_months(starts_on, months) - datetime.timedelta(days=1)
    las = (
        LocalAuthority.objects.filter(region=region, active_from__lte=end)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=starts_on))
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "blackouts",
                queryset=Blackout.objects.filter(starts_on__lte=end, ends_on__gte=starts_on),
            )
        )
    )
    authorities = tuple(
        Authority(
            name=la.name,
            active_from=la.active_from,
            active_to=la.active_to,
            blackouts=tuple((b.starts_on, b.ends_on, b.reason) for b in la.blackouts.all()),
        )
        for la in las
    )
    other = SAV if kind == PCTR else PCTR
    context = []
    for review in (
        Review.objects.filter(host__region=region, kind=other, starts_on__lte=end)
        .filter(ends_on__gte=starts_on)
        .select_related("host", "lead_local_authority", "qa_local_authority")
    ):
        context += activities(other, [review_row(review)])
    return Frame(
        kind=kind,
        start=starts_on,
        months=months,
        authorities=authorities,
        interval=interval if kind == SAV else None,
        context=tuple(context),
    )


def review_row(review: Review) -> Row:
    return Row(
        start=review.starts_on,
        host=review.host.name,
        lead=review.lead_local_authority.name if review.lead_local_authority else None,
        qa=review.qa_local_authority.name if review.qa_local_authority else None,
    )


def programme_frame(programme: Programme) -> Frame:
    return frame_for(
        region=programme.region,
        kind=programme.kind,
        starts_on=programme.starts_on,
        months=programme.months,
        interval=programme.interval_months,
    )


def programme_rows(programme: Programme) -> list[Row]:
    """The programme's entries as rows of its calendar. One query."""
    return [
        Row(
            start=e.starts_on,
            host=e.host.name,
            lead=e.lead.name if e.lead else None,
            qa=e.qa.name if e.qa else None,
            line=None,
        )
        for e in programme.entries.select_related("host", "lead", "qa")
    ]


def programme_findings(programme: Programme, rows: list[Row] | None = None) -> list[Finding]:
    """What the validator says of the programme's rows (or of ``rows`` typed on a page)."""
    return validate(programme_frame(programme), programme_rows(programme) if rows is None else rows)


def programmes_of(*, region: Region):
    """A region's programmes, newest first, with how many entries each has. One query."""
    return (
        Programme.objects.filter(region=region)
        .annotate(entry_count=Count("entries"))
        .select_related("created_by", "adopted_by")
        .order_by("-created_at", "-pk")
    )


def adopted_overlapping(programme: Programme):
    """Adopted programmes of the same kind and region whose months overlap ``programme``'s."""
    end = add_months(programme.starts_on, programme.months)
    return [
        other
        for other in Programme.objects.filter(
            region=programme.region,
            kind=programme.kind,
            state=ProgrammeState.ADOPTED,
            starts_on__lt=end,
        ).exclude(pk=programme.pk)
        if add_months(other.starts_on, other.months) > programme.starts_on
    ]


def slot_choices(programme: Programme) -> list[tuple[datetime.date, datetime.date]]:
    """(first day, last day) of each slot of the programme."""
    frame = Frame(
        kind=programme.kind,
        start=programme.starts_on,
        months=programme.months,
        authorities=(),
        interval=programme.interval_months,
    )
    return [(s, slot_end(programme.kind, s)) for s in frame.slots()]


@dataclasses.dataclass(frozen=True)
class CalendarItem:
    """A review as a calendar shows it to one user: with its team's LAs, or (a SAV seen
    by its host's DCS) as a window only (R30)."""

    review: Review
    team: bool

    @property
    def lead(self):
        return self.review.lead_local_authority if self.team else None

    @property
    def qa(self):
        return self.review.qa_local_authority if self.team else None


def calendar_items(
    *,
    scope: CalendarScope,
    region: Region,
    on: datetime.date,
    first: datetime.date | None = None,
    after: datetime.date | None = None,
    kind: str | None = None,
) -> list[CalendarItem]:
    """The reviews of the region that ``scope`` may see, from ``first`` to before
    ``after``, in date order. One query."""
    reviews = calendar_reviews(scope, region=region, on=on).select_related(
        "host", "lead_local_authority", "qa_local_authority"
    )
    if first is not None:
        reviews = reviews.filter(ends_on__gte=first)
    if after is not None:
        reviews = reviews.filter(starts_on__lt=after)
    if kind:
        reviews = reviews.filter(kind=kind)
    return [
        CalendarItem(review=r, team=sees_team(scope, r))
        for r in reviews.order_by("starts_on", "host__name", "pk")
    ]


@dataclasses.dataclass(frozen=True)
class Involvement:
    kind: str
    text: str


def involvement_matrix(
    *, items: list[CalendarItem], region: Region, first: datetime.date, quarters: int
) -> tuple[list[datetime.date], list[tuple[LocalAuthority, list[list[Involvement]]]]]:
    """Each LA's part in the programme per quarter (R13): LAs down, quarters across. A SAV
    window that spans two quarters shows in both. One query for the LAs."""
    columns = [add_months(first, 3 * k) for k in range(quarters)]
    after = add_months(first, 3 * quarters)
    las = list(
        LocalAuthority.objects.filter(region=region, active_from__lt=after)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .order_by("name")
    )
    index = {la.pk: n for n, la in enumerate(las)}
    cells = [[[] for _ in columns] for _ in las]
    column_of = {q: n for n, q in enumerate(columns)}

    def put(la_id, review, text):
        if la_id not in index:
            return
        for quarter in quarters_of(review.kind, review.starts_on):
            if quarter in column_of:
                cells[index[la_id]][column_of[quarter]].append(Involvement(review.kind, text))

    for item in items:
        review = item.review
        if review.kind == PCTR:
            put(review.host_id, review, "Receives a PCTR" + (" (extra)" if review.is_extra else ""))
            if item.lead:
                put(item.lead.pk, review, f"Leads the PCTR of {review.host}")
            if item.qa:
                put(item.qa.pk, review, f"QA DCS for the PCTR of {review.host}")
        else:
            put(review.host_id, review, f"SAV window {slot_words(SAV, review.starts_on)}")
            if item.lead:
                put(item.lead.pk, review, f"Leads the SAV of {review.host}")
            if item.qa:
                put(item.qa.pk, review, f"QA AD for the SAV of {review.host}")
    return columns, list(zip(las, cells, strict=True))


def home_items(*, person, current_posts) -> dict:
    """What the home page shows of the calendar: requests for an extra PCTR waiting for a
    coordinator (one query, coordinators only), and whether to offer the calendar at all
    (from the posts the home page has already read)."""
    from django.urls import reverse

    from calendar_planner.models import ExtraReviewRequest, ExtraReviewState
    from emslirp.models import PostKind

    # Coordinator posts held today are among the posts already read: no query to ask.
    regions = {p.region_id for p in current_posts if p.kind == PostKind.COORDINATOR}
    waiting = []
    if regions:
        waiting = [
            {
                "title": f"Place or decline {r.local_authority}'s request for an extra PCTR",
                "url": reverse("calendar_planner:extra_decide", args=[r.pk]),
                "since": r.requested_at,
            }
            for r in ExtraReviewRequest.objects.filter(
                state=ExtraReviewState.REQUESTED,
                local_authority__region_id__in=regions,
            )
            .select_related("local_authority")
            .order_by("requested_at")
        ]
    shows = any(p.local_authority_id or p.kind == PostKind.COORDINATOR for p in current_posts)
    return {"needs_you": waiting, "can_view_calendar": shows}
