"""The on-site days and the deployment grid (R20)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from emslirp.models import User
from emslirp.working_days import is_working_day, working_days_from
from reviews.review import permissions
from reviews.review.models import (
    Review,
    ReviewKind,
    ReviewState,
    TeamRole,
)
from reviews.review.teams import ON_SITE_ROLES
from reviews.workbook.models import Deployment

# On-site days of each kind of review (R20).
ONSITE_DAYS = {ReviewKind.PCTR: 3, ReviewKind.SAV: 2}


@transaction.atomic
def review_onsite_set(*, review: Review, first_day: datetime.date, by: User) -> Review:
    """Set the on-site days: three working days for a PCTR, two for a SAV, from
    ``first_day`` (R20, R36), inside the review's quarter or window. The coordinator or
    the lead sets them; a SAV's host never sees them before the visit (R30). The
    deployment grid moves with them, day by day."""
    review = Review.objects.select_for_update().select_related("host__region").get(pk=review.pk)
    access = permissions.review_access(by, review, on=timezone.localdate())
    if not (access.coordinator or access.team_role == TeamRole.LEAD):
        raise PermissionDenied
    if review.state in (ReviewState.ON_SITE, ReviewState.AFTER_VISIT):
        # The days the team was on site are on its records and letter; and a SAV's host,
        # who learns of it once it starts, must not lose sight of it again (R30).
        raise ValidationError({"first_day": "The visit has started: its days stay as they were."})
    if not review.starts_on <= first_day <= review.ends_on:
        raise ValidationError(
            {
                "first_day": f"Choose a day between {review.starts_on:%-d %B %Y} and "
                f"{review.ends_on:%-d %B %Y}."
            }
        )
    if not is_working_day(first_day):
        raise ValidationError(
            {"first_day": "Choose a working day: not a weekend or a bank holiday."}
        )
    days = working_days_from(first_day, ONSITE_DAYS[review.kind])
    if days[0] < review.starts_on or days[-1] > review.ends_on:
        raise ValidationError(
            {
                "first_day": f"The {len(days)} on-site days must fall between "
                f"{review.starts_on:%-d %B %Y} and {review.ends_on:%-d %B %Y}."
            }
        )
    before = onsite_days(review)
    review.onsite_from, review.onsite_to = days[0], days[-1]
    review.save(update_fields=["onsite_from", "onsite_to"])
    _deployment_move(review=review, before=before, after=days)
    return review


def _deployment_move(
    *, review: Review, before: list[datetime.date], after: list[datetime.date]
) -> None:
    """The deployment grid follows the on-site days it was written for: what was planned
    for the first day is planned for the new first day, and so on (R20). A review has as
    many days after as before, so nothing of the grid is dropped. Rows are written afresh
    because the old and new days may overlap (one day later, say)."""
    if not before or before == after:
        return
    moved = dict(zip(before, after, strict=True))
    rows = list(Deployment.objects.filter(member__review=review, day__in=before))
    Deployment.objects.filter(pk__in=[r.pk for r in rows]).delete()
    for row in rows:
        row.pk, row.day = None, moved[row.day]
    Deployment.objects.bulk_create(rows)


def onsite_days(review: Review) -> list[datetime.date]:
    """The review's on-site days, or none before they are set."""
    if review.onsite_from is None:
        return []
    return working_days_from(review.onsite_from, ONSITE_DAYS[review.kind])


GRID_FIELDS = ("key_focus", "morning", "afternoon", "comments")


@transaction.atomic
def deployment_save(*, review: Review, grid: dict, by: User) -> int:
    """The deployment grid (R20): for each on-site day and each member on site, their key
    focus, morning, afternoon and comments. ``grid`` maps (member id, day) to those four
    texts. The lead writes it. Returns how many cells were saved."""
    review = Review.objects.select_for_update().select_related("host__region").get(pk=review.pk)
    if permissions.review_access(by, review, on=timezone.localdate()).team_role != TeamRole.LEAD:
        raise PermissionDenied
    days = set(onsite_days(review))
    if not days:
        raise ValidationError("Set the on-site days first.")
    members = {m.pk: m for m in review.team.filter(role__in=ON_SITE_ROLES[review.kind])}
    saved = 0
    for (member_id, day), texts in grid.items():
        if member_id not in members or day not in days:
            raise ValidationError("The grid names someone not on site or a day not on site.")
        values = {f: (texts.get(f) or "").strip() for f in GRID_FIELDS}
        if not any(values.values()):
            # An empty cell is no plan for that day: nothing is kept for it.
            Deployment.objects.filter(member=members[member_id], day=day).delete()
            continue
        Deployment.objects.update_or_create(member=members[member_id], day=day, defaults=values)
        saved += 1
    return saved
