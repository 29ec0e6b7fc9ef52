"""The deadlines of accreditation (R6, R8, R37): sponsors' decisions and flagged
accreditations."""

import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Accreditation, AccreditationStatusChange, ExpressionOfInterest
from emslirp.deadlines import Deadline, Kind, subject_pk
from emslirp.models import PostKind, User
from emslirp.selectors import local_authorities_held, post_holders_by_local_authority
from emslirp.working_days import working_days_shift

# A sponsor decides on an application within this many working days of receiving it (R6).
SPONSOR_WORKING_DAYS = 10
# A flagged accreditation is put right (the reflection written, the training booked) within
# this many working days of the flag, after which the coordinator may lapse it (R8).
FLAG_WORKING_DAYS = 20


def sponsor_decisions(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """Applications sent and not decided: for the DCS of the applicant's LA of the day,
    never the applicant themself (R6). Two queries."""
    applications = (
        ExpressionOfInterest.objects.filter(state=ExpressionOfInterest.State.SUBMITTED)
        .select_related("applicant", "local_authority")
        .order_by("submitted_at", "pk")
    )
    if subject is not None:
        applications = applications.filter(pk=subject_pk(subject))
    if person is not None:
        applications = applications.filter(
            local_authority__in=local_authorities_held(person=person, on=on, kinds=[PostKind.DCS])
        )
    applications = [a for a in applications if a.submitted_at is not None]
    if not applications:
        return []
    sponsors = post_holders_by_local_authority(
        kinds=[PostKind.DCS],
        local_authority_ids={a.local_authority_id for a in applications},
        on=on,
    )
    out = []
    for application in applications:
        received = timezone.localtime(application.submitted_at).date()
        out.append(
            Deadline(
                kind="eoi_sponsor",
                subject=str(application.pk),
                title=f"Decide on {application.applicant}'s application to be a peer reviewer",
                due_on=working_days_shift(received, SPONSOR_WORKING_DAYS),
                url=reverse("accreditation:sponsor_decide", args=[application.pk]),
                region_id=application.local_authority.region_id,
                recipients=tuple(
                    p
                    for p in sponsors.get(application.local_authority_id, [])
                    if p.pk != application.applicant_id
                ),
            )
        )
    return out


def flagged_accreditations(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """Accreditations flagged (a reflection not completed, mandatory training missed):
    for the person, due FLAG_WORKING_DAYS after the flag. A later flag of the same
    accreditation is a new deadline. One query."""
    # Each flag is its own deadline: the status change that flagged it names it, so a
    # flag lifted and set again, even on one day, is reminded of afresh.
    flags = AccreditationStatusChange.objects.filter(
        accreditation=OuterRef("pk"), status=Accreditation.Status.FLAGGED
    ).order_by("-effective_on", "-pk")
    flagged = (
        Accreditation.objects.filter(status=Accreditation.Status.FLAGGED)
        .annotate(flag=Subquery(flags.values("pk")[:1]))
        .select_related("person")
        .order_by("status_changed_on", "pk")
    )
    if subject is not None:
        flagged = flagged.filter(pk=subject_pk(subject))
    if person is not None:
        flagged = flagged.filter(person=person)

    def named(a) -> str:
        # Flagged without a recorded change (set directly): named by the day instead.
        return f"{a.pk}/{a.flag or a.status_changed_on.isoformat()}"

    return [
        Deadline(
            kind="accreditation_lapsing",
            subject=named(a),
            title=(
                f"Put right what flagged your accreditation as "
                f"{a.get_role_display()} ({a.status_reason}), before the coordinator "
                "decides whether it lapses"
            ),
            due_on=working_days_shift(a.status_changed_on, FLAG_WORKING_DAYS),
            url=reverse("home"),
            region_id=a.person.region_id,
            recipients=(a.person,),
        )
        for a in flagged
        if subject is None or named(a) == subject
    ]


# Registered with the core from ``AccreditationConfig.ready()``.
KINDS = {
    "eoi_sponsor": Kind(
        "Application awaiting its sponsor",
        sponsor_decisions,
        "an application to be a peer reviewer",
    ),
    "accreditation_lapsing": Kind(
        "Flagged accreditation",
        flagged_accreditations,
        "your accreditation as a peer reviewer",
    ),
}
