"""Changes to reviews (R14–R16, R29). Each function checks who may make the change and
every rule it must keep, and leaves either the whole change or none."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accreditation.models import Accreditation, Role
from accreditation.selectors import conflict_local_authorities, is_accredited
from emslirp.models import User
from emslirp.object_permissions import object_grant, object_revoke
from reviews.review import permissions, states
from reviews.review.models import SINGLE_ROLES, Review, ReviewState, TeamMember, TeamRole
from reviews.review.selectors import person_local_authority
from reviews.review.teams import ACCREDITATION_FOR, MEMBERS, ROLE_NAMES, place_waits

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
            raise ValidationError({"role": place_waits(review, role, team)})
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
    if waits := place_waits(review, role, team):
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
