"""Changes to reviews (R14–R16, R29). Each function checks who may make the change and
every rule it must keep, and leaves either the whole change or none."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accreditation.models import Accreditation, Role
from accreditation.selectors import conflict_local_authorities, is_accredited
from emslirp.models import User
from emslirp.object_permissions import object_grant, object_revoke
from emslirp.working_days import is_working_day, working_days_from
from reviews import permissions, states
from reviews.models import (
    SINGLE_ROLES,
    Deployment,
    Review,
    ReviewKind,
    ReviewState,
    TeamMember,
    TeamRole,
)
from reviews.selectors import person_local_authority
from reviews.teams import ACCREDITATION_FOR, MEMBERS, ROLE_NAMES, place_waits

VIEW = "reviews.view_review"


def team_check(*, review: Review, person: User, role: str) -> TeamMember:
    """The team place ``person`` would take, or ValidationError naming the rule broken:
    accredited for the role on the review's day, from an LA other than the host and not
    in conflict with it, the lead and QA from the LAs the calendar planned, the data
    specialist from the lead's LA, team members from different LAs (R9, R12, R14, R15)."""
    day = review.reference_day
    names = ROLE_NAMES[review.kind]
    team = list(review.team.select_related("local_authority"))
    if any(m.person_id == person.pk for m in team):
        raise ValidationError({"person": f"{person} is already on the team."})
    if role in SINGLE_ROLES and any(m.role == role for m in team):
        raise ValidationError({"role": f"The team already has its {names[role]}."})
    members = [m for m in team if m.role == TeamRole.MEMBER]
    if role == TeamRole.MEMBER and len(members) >= MEMBERS[review.kind]:
        raise ValidationError(
            {"role": f"The team has its {MEMBERS[review.kind]} {names[role].lower()}s."}
        )
    accreditation = ACCREDITATION_FOR[review.kind][role]
    if not is_accredited(person=person, role=accreditation, on=day):
        held = Accreditation.objects.filter(person=person, role=accreditation).first()
        if held is not None and held.status in (
            Accreditation.Status.SUSPENDED,
            Accreditation.Status.LAPSED,
        ):
            raise ValidationError(
                {
                    "person": f"{person}'s accreditation as {Role(accreditation).label} is "
                    f"{held.get_status_display().lower()}: {held.status_reason}"
                }
            )
        raise ValidationError(
            {
                "person": f"{person} is not accredited as {Role(accreditation).label} on "
                f"{day:%-d %B %Y}."
            }
        )
    la = person_local_authority(person=person, on=day)
    if la is None:
        raise ValidationError({"person": f"{person} holds no post in an LA on {day:%-d %B %Y}."})
    if la.pk == review.host_id:
        raise ValidationError(
            {"person": f"{person} is from {la}, the host: nobody reviews their own LA."}
        )
    if conflict_local_authorities(person=person).filter(pk=review.host_id).exists():
        raise ValidationError(
            {"person": f"{person} has a conflict of interest with {review.host}."}
        )
    planned = {TeamRole.LEAD: review.lead_local_authority, TeamRole.QA: review.qa_local_authority}
    if planned.get(role) is not None and planned[role].pk != la.pk:
        raise ValidationError(
            {
                "person": f"The calendar gives the {names[role]} to {planned[role]}; "
                f"{person} is from {la}."
            }
        )
    if role == TeamRole.DATA_SPECIALIST:
        lead = next((m for m in team if m.role == TeamRole.LEAD), None)
        if lead is None:
            raise ValidationError(
                {
                    "role": f"Name the {names[TeamRole.LEAD]} first: the data specialist comes "
                    "from the lead's LA."
                }
            )
        if lead.local_authority_id != la.pk:
            raise ValidationError(
                {
                    "person": f"The data specialist comes from the lead's LA, "
                    f"{lead.local_authority}; {person} is from {la}."
                }
            )
    if role == TeamRole.MEMBER:
        same = next((m for m in members if m.local_authority_id == la.pk), None)
        if same is not None:
            raise ValidationError(
                {
                    "person": f"{same.person} already comes from {la}: team members come from "
                    "different LAs."
                }
            )
    if waits := place_waits(review, role):
        raise ValidationError({"role": waits})
    return TeamMember(review=review, person=person, role=role, local_authority=la)


@transaction.atomic
def team_assign(*, review: Review, person: User, role: str, by: User) -> TeamMember:
    """Place ``person`` on the team in ``role`` and give them their rights on the review
    (R29). Only the coordinator names the lead and the QA; the lead or the coordinator
    the data specialist and the team members."""
    review = Review.objects.select_for_update().select_related("host__region").get(pk=review.pk)
    if not permissions.can_place(by, review, role):
        raise PermissionDenied
    member = team_check(review=review, person=person, role=role)
    member.assigned_by = by
    member.save()
    object_grant(perm=VIEW, person=person, obj=review)
    if role == TeamRole.LEAD and review.state == ReviewState.PLANNED:
        # A named lead starts the preparation.
        states.review_state_set(review=review, state=ReviewState.PREPARING, by=by, system=True)
    return member


TEAM_KEPT_AFTER_START = (
    "The visit has started: the team stays on the review's record as it was, with its "
    "notes, letter and reflections."
)


@transaction.atomic
def team_remove(*, member: TeamMember, by: User) -> None:
    """Take ``member`` off the team, with their rights on the review, before the visit
    starts. From then on the team is part of the record — its notes, its letter, its
    reflections — and who was there stays true (R14, R27)."""
    review = (
        Review.objects.select_for_update().select_related("host__region").get(pk=member.review_id)
    )
    if not permissions.can_place(by, review, member.role):
        raise PermissionDenied
    if review.state in (ReviewState.ON_SITE, ReviewState.AFTER_VISIT):
        raise ValidationError(TEAM_KEPT_AFTER_START)
    if member.role == TeamRole.LEAD and review.team.filter(role=TeamRole.DATA_SPECIALIST).exists():
        raise ValidationError("Take the data specialist off first: they come from the lead's LA.")
    object_revoke(perm=VIEW, person=member.person, obj=review)
    member.delete()
    if member.role == TeamRole.LEAD and review.state == ReviewState.PREPARING:
        states.review_state_set(review=review, state=ReviewState.PLANNED, by=by, system=True)


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


# Who is on site: a SAV's data specialist and QA AD are not (the handbook's SAV table);
# a PCTR's QA DCS is not either.
ON_SITE_ROLES = {
    ReviewKind.PCTR: (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER),
    ReviewKind.SAV: (TeamRole.LEAD, TeamRole.MEMBER),
}
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
