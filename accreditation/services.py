"""Writes of accreditation (R5–R9). Every state change of an application, a training
place or an accreditation goes through one function here."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accreditation import notices, permissions, selectors
from accreditation.models import (
    APPLICATION_ROLES,
    SKILL_FIELDS,
    Accreditation,
    AccreditationStatusChange,
    ConflictDeclaration,
    ExpressionOfInterest,
    Role,
    RoleRequest,
    TrainingAttendance,
    TrainingSession,
)
from emslirp.models import LocalAuthority, PostKind, User
from emslirp.text import long_date

WORD_LIMIT = 500
# The free-text answers the form limits to 500 words each (R5).
WORD_LIMITED_FIELDS = ("experience", "previous_roles", *SKILL_FIELDS)
# What sending needs, with what to say when it is missing (R5).
REQUIRED_TO_SEND = {
    "current_position": "Enter your current position.",
    "experience": "Describe your experience and specialist expertise.",
    "previous_roles": "List your roles and organisations of the last five years, with dates.",
    "telephone": "Enter a telephone number.",
    **{
        name: f"Give an example of {ExpressionOfInterest._meta.get_field(name).verbose_name}."
        for name in SKILL_FIELDS
    },
    "signed_name": "Type your full name to sign the application.",
}


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces or line breaks."""
    return len(text.split())


def eoi_word_limit_errors(*, application: ExpressionOfInterest) -> dict[str, str]:
    """The answers over the word limit, each with a message saying how many were written."""
    errors = {}
    for name in WORD_LIMITED_FIELDS:
        words = word_count(getattr(application, name))
        if words > WORD_LIMIT:
            errors[name] = (
                f"Use {WORD_LIMIT} words or fewer: you have written {words}, "
                f"{words - WORD_LIMIT} too many."
            )
    return errors


def eoi_check_sendable(
    *, application: ExpressionOfInterest, roles: list[str], specialism_codes: list[str]
) -> None:
    """Raise ValidationError, by field, unless ``application`` is complete enough to send
    to the sponsor: every answer given, each within its word limit, at least one role and
    one specialism, signed and dated (R5)."""
    errors: dict[str, str] = {}
    for name, message in REQUIRED_TO_SEND.items():
        if not getattr(application, name).strip():
            errors[name] = message
    errors.update(eoi_word_limit_errors(application=application))
    if not roles:
        errors["roles"] = "Select at least one role you are applying for."
    if not specialism_codes:
        errors["specialisms"] = "Select at least one area of expertise."
    elif "other" in specialism_codes and not application.other_specialism.strip():
        errors["other_specialism"] = "Say what your other area of expertise is."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def eoi_save(
    *,
    application: ExpressionOfInterest,
    roles: list[str],
    specialism_codes: list[str],
) -> ExpressionOfInterest:
    """Save ``application`` as a draft with its roles and specialisms. A draft keeps
    whatever was typed, over the limits too, so that nothing is lost (R5)."""
    stored = (
        ExpressionOfInterest.objects.select_for_update()
        .filter(pk=application.pk)
        .values_list("state", flat=True)
        .first()
        if application.pk
        else ExpressionOfInterest.State.DRAFT
    )
    # The row, not the copy in hand: a second tab's stale copy must not reopen a sent one.
    if stored != ExpressionOfInterest.State.DRAFT or (
        application.state != ExpressionOfInterest.State.DRAFT
    ):
        raise ValidationError("This application has been sent and can no longer be changed.")
    application.full_clean(exclude=["specialisms"], validate_constraints=True)
    application.save()
    _specialisms_set(application=application, codes=specialism_codes)
    wanted = [r for r in APPLICATION_ROLES if r in roles]
    application.role_requests.exclude(role__in=wanted).delete()
    existing = set(application.role_requests.values_list("role", flat=True))
    RoleRequest.objects.bulk_create(
        RoleRequest(application=application, role=r) for r in wanted if r not in existing
    )
    return application


def _specialisms_set(*, application, codes):
    from accreditation.models import Specialism

    application.specialisms.set(Specialism.objects.filter(code__in=codes))


@transaction.atomic
def eoi_submit(
    *,
    application: ExpressionOfInterest,
    roles: list[str],
    specialism_codes: list[str],
    notify: bool = True,
) -> ExpressionOfInterest:
    """Save and send ``application`` to its sponsor, the DCS of the applicant's LA today
    (R5, R6), signed with the name typed and dated today; the sponsor is e-mailed unless
    ``notify`` is false (a record loaded, not sent by a person). Refused, with every reason by
    field, if it is not complete."""
    eoi_check_sendable(application=application, roles=roles, specialism_codes=specialism_codes)
    today = timezone.localdate()
    allowed = selectors.applicant_local_authorities(person=application.applicant, on=today)
    if not allowed.filter(pk=application.local_authority_id).exists():
        raise ValidationError(
            {
                "local_authority": (
                    "Choose the authority you work for: its DCS sponsors you "
                    f"({', '.join(str(la) for la in allowed)})."
                )
            }
        )
    sponsor = selectors.eoi_sponsor(application=application, on=today)
    if sponsor is not None and sponsor.pk == application.applicant_id:
        raise ValidationError(
            {
                "local_authority": (
                    f"You are the DCS of {application.local_authority}, and nobody sponsors "
                    "themselves: directors are accredited at the directors' workshop."
                )
            }
        )
    if sponsor is None:
        raise ValidationError(
            {
                "local_authority": (
                    f"{application.local_authority} has no DCS recorded today, so nobody can "
                    "sponsor you. Ask your coordinator to record your DCS."
                )
            }
        )
    eoi_save(application=application, roles=roles, specialism_codes=specialism_codes)
    application.state = ExpressionOfInterest.State.SUBMITTED
    application.submitted_at = timezone.now()
    application.signed_on = timezone.localdate()
    application.full_clean(exclude=["specialisms"], validate_constraints=True)
    application.save(update_fields=["state", "submitted_at", "signed_on", "updated_at"])
    if notify:
        notices.eoi_submitted(application=application, sponsor=sponsor)
    return application


@transaction.atomic
def eoi_decide(
    *,
    application: ExpressionOfInterest,
    by: User,
    decisions: dict[str, tuple[bool, str]],
    on: datetime.date | None = None,
    notify: bool = True,
) -> ExpressionOfInterest:
    """Record the sponsor's decision on each role applied for: ``decisions`` maps a role to
    (approved, reason). Only the DCS of the applicant's LA on the day decides; a declined
    role needs a reason (R6). The applicant is told, unless ``notify`` is false."""
    day = on or timezone.localdate()
    # Lock the application: two clicks, or the DCS and a successor at once, decide once.
    application = ExpressionOfInterest.objects.select_for_update().get(pk=application.pk)
    if not permissions.can_sponsor(by, application, on=day):
        raise PermissionDenied("Only the DCS of the applicant's own LA decides.")
    if application.state != ExpressionOfInterest.State.SUBMITTED:
        raise ValidationError("This application has already been decided.")
    requests = list(application.role_requests.all())
    errors = {}
    for request in requests:
        if request.role not in decisions:
            errors[request.role] = f"Decide on {request.get_role_display()}."
            continue
        approved, reason = decisions[request.role]
        if not approved and not reason.strip():
            errors[request.role] = (
                f"Say why {request.get_role_display()} is declined: the applicant is told."
            )
    if errors:
        raise ValidationError(errors)
    for request in requests:
        approved, reason = decisions[request.role]
        request.decision = (
            RoleRequest.Decision.APPROVED if approved else RoleRequest.Decision.DECLINED
        )
        request.reason = "" if approved else reason.strip()
        request.decided_by = by
        request.decided_on = day
        request.full_clean(validate_constraints=True)
        request.save(update_fields=["decision", "reason", "decided_by", "decided_on"])
    application.state = ExpressionOfInterest.State.DECIDED
    application.save(update_fields=["state", "updated_at"])
    if notify:
        notices.eoi_decided(application=application)
    return application


@transaction.atomic
def training_invite(*, session: TrainingSession, people: list[User]) -> int:
    """Give each of ``people`` a place at ``session``; returns how many were new."""
    existing = set(session.places.values_list("person_id", flat=True))
    new = [TrainingAttendance(session=session, person=p) for p in people if p.pk not in existing]
    TrainingAttendance.objects.bulk_create(new)
    return len(new)


def _roles_completed_by(*, session: TrainingSession, person: User) -> list[str]:
    """The roles that attending ``session`` accredits ``person`` for (R7): at the one-day
    session, the roles their sponsor approved; at the directors' workshop, lead and QA DCS
    for a DCS and QA AD for a 2nd-tier safeguarding lead, by the posts held that day."""
    if session.kind == TrainingSession.Kind.TEAM_DAY:
        return list(
            RoleRequest.objects.filter(
                application__applicant=person,
                decision=RoleRequest.Decision.APPROVED,
                decided_on__lte=session.held_on,
            )
            .values_list("role", flat=True)
            .distinct()
        )
    kinds = set(
        person.posts.held_on(session.held_on)
        .filter(local_authority__region=session.region)
        .values_list("kind", flat=True)
    )
    roles = []
    if PostKind.DCS in kinds:
        roles += [Role.LEAD_DCS, Role.QA_DCS]
    if PostKind.SAFEGUARDING_LEAD in kinds:
        roles.append(Role.QA_AD)
    return roles


@transaction.atomic
def training_attendance_record(
    *, place: TrainingAttendance, attended: bool, by: User
) -> list[Accreditation]:
    """Record whether the person came to the session. Attending accredits them for the
    roles the session completes (R7); staying away never does, and missing a mandatory
    session flags their current accreditations (R8). Returns the accreditations made."""
    session = place.session
    if session.held_on > timezone.localdate():
        raise ValidationError("Attendance is recorded on or after the day of the session.")
    before = place.attended
    place.attended = attended
    place.recorded_by = by
    place.save(update_fields=["attended", "recorded_by"])
    missed_reason = f"Missed mandatory training on {long_date(session.held_on)}."
    mine = Accreditation.objects.filter(person=place.person)

    def set_all(accreditations, status, reason):
        for accreditation in accreditations:
            accreditation_status_set(
                accreditation=accreditation,
                status=status,
                reason=reason,
                by=by,
                on=session.held_on,
            )

    if not attended:
        if before:
            # A correction: what this session accredited is withdrawn from its day.
            set_all(
                mine.filter(training=session, status__in=selectors.ACTIVE_STATUSES),
                Accreditation.Status.LAPSED,
                f"Did not attend {session} after all.",
            )
        if session.mandatory:
            set_all(
                mine.filter(status=Accreditation.Status.CURRENT),
                Accreditation.Status.FLAGGED,
                missed_reason,
            )
        return []
    if before is False and session.mandatory:
        # A correction: the flag for missing this session goes.
        set_all(
            mine.filter(status=Accreditation.Status.FLAGGED, status_reason=missed_reason),
            Accreditation.Status.CURRENT,
            f"Attended {session} after all.",
        )
    made = []
    for role in _roles_completed_by(session=session, person=place.person):
        accreditation, created = Accreditation.objects.get_or_create(
            person=place.person,
            role=role,
            defaults={
                "accredited_on": session.held_on,
                "training": session,
                "status_changed_by": by,
                "status_changed_on": session.held_on,
            },
        )
        if created:
            AccreditationStatusChange.objects.create(
                accreditation=accreditation,
                status=Accreditation.Status.CURRENT,
                effective_on=session.held_on,
                reason=f"Attended {session}.",
                changed_by=by,
            )
            made.append(accreditation)
        elif accreditation.status not in selectors.ACTIVE_STATUSES:
            # Suspended or lapsed, approved again and trained again: current once more.
            accreditation.training = session
            accreditation.save(update_fields=["training"])
            accreditation_status_set(
                accreditation=accreditation,
                status=Accreditation.Status.CURRENT,
                reason=f"Attended {session}.",
                by=by,
                on=session.held_on,
            )
            made.append(accreditation)
    return made


@transaction.atomic
def accreditation_status_set(
    *,
    accreditation: Accreditation,
    status: str,
    reason: str,
    by: User | None,
    on: datetime.date | None = None,
) -> Accreditation:
    """Change an accreditation's status from ``on`` (today by default), with the reason
    and who changed it (R8). Every change is kept, and audited (R33)."""
    day = on or timezone.localdate()
    if not reason.strip():
        raise ValidationError({"status_reason": "Say why the status changes."})
    if status not in Accreditation.Status.values:
        raise ValidationError({"status": "Choose a status."})
    AccreditationStatusChange.objects.create(
        accreditation=accreditation,
        status=status,
        effective_on=day,
        reason=reason.strip(),
        changed_by=by,
    )
    # The accreditation shows its latest status, as ``selectors.is_accredited`` reads the
    # history: a correction dated before a later change does not overwrite that change.
    latest = accreditation.status_changes.order_by("-effective_on", "-pk").first()
    accreditation.status = latest.status
    accreditation.status_reason = latest.reason
    accreditation.status_changed_by = latest.changed_by
    accreditation.status_changed_on = latest.effective_on
    accreditation.full_clean(validate_constraints=True)
    accreditation.save(
        update_fields=["status", "status_reason", "status_changed_by", "status_changed_on"]
    )
    return accreditation


def conflict_declare(
    *, person: User, local_authority: LocalAuthority, note: str = ""
) -> ConflictDeclaration:
    """Record that ``person`` has a significant prior relationship with ``local_authority``
    (R9); declaring it again changes nothing but the note."""
    declaration, _ = ConflictDeclaration.objects.update_or_create(
        person=person,
        local_authority=local_authority,
        defaults={"note": note.strip(), "declared_on": timezone.localdate()},
    )
    return declaration


def conflict_withdraw(*, declaration: ConflictDeclaration) -> None:
    """Withdraw a declared conflict; employment conflicts cannot be withdrawn (R9)."""
    declaration.delete()
