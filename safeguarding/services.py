"""Critical incidents (R25): raised by the team on site, answered and signed by the host.

A team member or the lead raises an incident while the review is on site or after the
visit; the host's DCS and 2nd-tier lead, the QA and the lead are e-mailed at once, one
e-mail each as soon as the record is saved (never in a digest), and the e-mail says only
that an incident was raised and where to read it (R35: minimum identifiable
information). The lead records when it was raised with the host DCS, the host records the
action they will take, and only then does either sign; from the first signature those two
are fixed, so each signature covers the same record. Once both have signed the record is frozen and
responsibility rests with the host: every service here refuses to change it, and what
is learnt later is added as an addendum.

Every service asks ``reviews.review.permissions.incident_rights`` itself and raises
PermissionDenied; every change locks the incident's row first, so two people acting at
once are serialised and the second sees what the first did.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from emslirp.models import PdfState, PostKind, User
from emslirp.notices import email_after_commit
from emslirp.pdf import template_to_pdf
from emslirp.queue import task_after_commit
from emslirp.selectors import post_holder
from emslirp.text import long_date
from reviews.review import permissions
from reviews.review.models import Review, ReviewState, TeamRole
from safeguarding import selectors
from safeguarding.models import CriticalIncident, IncidentAddendum, IncidentPdf

logger = logging.getLogger(__name__)

# An incident is found on site; it may be written up once the visit is over.
RAISING_STATES = (ReviewState.ON_SITE, ReviewState.AFTER_VISIT)
FROZEN = "Both the lead and the host have signed this record: it can no longer be changed."
# A signature covers the record as it stands: once either side has signed, what the host
# was told and when, and the host's action, are part of what was signed (R25).
SIGNED_TIME = "The record has been signed: the time it was raised with the host is part of it."
SIGNED_ACTION = "The record has been signed: the host's action is part of it."
TEXT_FIELDS = {
    "incident": "Describe the incident.",
    "nature": "Describe the nature of the incident.",
    "evidence": "Give the evidence.",
    "initial_action": "Say what was done when it was identified.",
}


def moment_now() -> datetime.datetime:
    """This moment, on the day the code takes for today (``timezone.localdate``, the day
    reminders and rights are judged on, which the tests fix); in the local time zone."""
    today = timezone.localdate()
    return timezone.localtime().replace(year=today.year, month=today.month, day=today.day)


def moment_check(moment: datetime.datetime, *, field: str, not_before=None, before_text=""):
    """A date and time someone typed: not in the future, and not before ``not_before``."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > moment_now():
        raise ValidationError({field: "Enter a date and time that has already passed."})
    if not_before is not None and moment < not_before:
        raise ValidationError({field: before_text})
    return moment


def _access(user: User, review: Review) -> permissions.ReviewAccess:
    return permissions.review_access(user, review, on=timezone.localdate())


def _rights(user: User, review: Review) -> permissions.IncidentRights:
    return permissions.incident_rights(_access(user, review))


def _lock_query(pk: int) -> QuerySet[CriticalIncident]:
    """The query that locks one incident's row. ``of=("self",)``: on PostgreSQL only the
    incident's row is locked, not the joined review and local authority, which other
    features change; ``order_by()`` keeps Meta.ordering from adding anything to it."""
    return (
        CriticalIncident.objects.select_for_update(of=("self",))
        .select_related("review__host")
        .order_by()
        .filter(pk=pk)
    )


def _locked(incident: CriticalIncident) -> CriticalIncident:
    """The incident's row, locked until the transaction ends, as it is now."""
    return _lock_query(incident.pk).get()


def _unfrozen(incident: CriticalIncident) -> None:
    if incident.is_frozen:
        raise ValidationError(FROZEN)


def _notify(
    *, incident: CriticalIncident, to: list[User], by: User, template: str, subject: str, **extra
) -> None:
    """One e-mail to each person in ``to`` but ``by``, sent when the change commits. It
    names the review and links to the incident; it never quotes the record (R35)."""
    url = reverse("safeguarding:incident", args=[incident.pk])
    seen = set()
    for person in to:
        if person.pk == by.pk or person.pk in seen or not person.email:
            continue
        seen.add(person.pk)
        email_after_commit(
            template=f"safeguarding/email/{template}.txt",
            subject=subject,
            to=[person.email],
            context={
                "person": person,
                "review": incident.review,
                "incident": incident,
                "by": by,
                "url": url,
                **extra,
            },
        )


@transaction.atomic
def incident_raise(
    *,
    review: Review,
    incident: str,
    nature: str,
    evidence: str,
    identified_at: datetime.datetime,
    identified_by: User,
    initial_action: str,
    by: User,
) -> CriticalIncident:
    """Record a critical incident found on the review (R25), by the lead or a team member,
    while the review is on site or after the visit. The local authority, the host DCS (the
    holder of the post today), the lead and the on-site days are copied from the records,
    so the record keeps the names it was raised and signed under. The host's DCS and
    2nd-tier lead, the QA and the lead are each e-mailed at once on commit."""
    review = Review.objects.select_related("host").get(pk=review.pk)
    if not _rights(by, review).raise_:
        raise PermissionDenied
    if review.state not in RAISING_STATES:
        raise ValidationError(
            "A critical incident is recorded while the team is on site or after the visit."
        )
    texts = {
        "incident": incident.strip(),
        "nature": nature.strip(),
        "evidence": evidence.strip(),
        "initial_action": initial_action.strip(),
    }
    missing = {field: TEXT_FIELDS[field] for field, text in texts.items() if not text}
    if missing:
        raise ValidationError(missing)
    first_day = review.onsite_from or review.starts_on
    identified_at = moment_check(
        identified_at,
        field="identified_at",
        not_before=timezone.make_aware(datetime.datetime.combine(first_day, datetime.time())),
        before_text=(
            "The date and time it was identified must be on or after the first on-site "
            f"day, {long_date(first_day)}"
        ),
    )
    if not selectors.incident_identifiers(review).filter(pk=identified_by.pk).exists():
        raise ValidationError({"identified_by": "Choose someone of the team on site."})
    today = timezone.localdate()
    host_dcs = post_holder(kind=PostKind.DCS, local_authority=review.host, on=today)
    lead = selectors.lead_of(review)
    record = CriticalIncident.objects.create(
        review=review,
        local_authority_name=review.host.name,
        host_dcs_name=host_dcs.full_name if host_dcs else "",
        lead_name=lead.full_name if lead else "",
        review_dates=selectors.review_dates_text(review),
        identified_at=identified_at,
        identified_by=identified_by,
        raised_by=by,
        raised_at=timezone.now(),
        **texts,
    )
    # The host's leaders who may answer it: of a SAV, only once its visit has started (R30).
    hosts = [
        p for p in selectors.host_leaders(review, on=today) if _rights(p, review).respond_as_host
    ]
    _notify(
        incident=record,
        to=hosts + selectors.team_in(review, TeamRole.QA, TeamRole.LEAD),
        by=by,
        template="incident_raised",
        subject=f"A critical incident was raised on the {review.get_kind_display()} of "
        f"{review.host}",
        host_ids={p.pk for p in hosts},
    )
    return record


def incident_signed_by_anyone(incident: CriticalIncident) -> bool:
    """Whether the lead or the host has signed: from then on the record's content is fixed."""
    return incident.lead_signed_at is not None or incident.host_signed_at is not None


def incident_unsigned_because(incident: CriticalIncident) -> str:
    """Why nobody may sign yet, or "" once they may: each signature covers the time the
    incident was raised with the host DCS and the host's action, so both come first (R25)."""
    missing = []
    if incident.raised_with_host_at is None:
        missing.append("the lead has not recorded when it was raised with the host DCS")
    if not incident.host_action:
        missing.append("the host has not recorded the action they will take")
    if not missing:
        return ""
    return f"The record cannot be signed yet: {' and '.join(missing)}."


@transaction.atomic
def incident_raised_with_host_record(
    *, incident: CriticalIncident, at: datetime.datetime, by: User
) -> CriticalIncident:
    """The lead records the date and time they raised the incident with the host DCS: not
    before it was identified, not in the future. It may be corrected until the lead or
    the host signs: each signature covers it (R25)."""
    incident = _locked(incident)
    if not _rights(by, incident.review).sign_as_lead:
        raise PermissionDenied
    _unfrozen(incident)
    if incident_signed_by_anyone(incident):
        raise ValidationError({"raised_with_host_at": SIGNED_TIME})
    identified = timezone.localtime(incident.identified_at)
    incident.raised_with_host_at = moment_check(
        at,
        field="raised_with_host_at",
        not_before=incident.identified_at,
        before_text=(
            "The date and time you raised it with the host must be on or after the time it "
            f"was identified, {identified.day} {identified:%B %Y} at {identified:%H:%M}"
        ),
    )
    incident.save(update_fields=["raised_with_host_at"])
    return incident


@transaction.atomic
def incident_respond(*, incident: CriticalIncident, host_action: str, by: User) -> CriticalIncident:
    """The host DCS or 2nd-tier lead records the action the host will take (R25). It may be
    rewritten until the lead or the host signs, so no one signs text they have not seen;
    the lead is told, and asked to sign only if the record is then complete. The same
    words sent again change nothing and tell nobody."""
    incident = _locked(incident)
    if not _rights(by, incident.review).respond_as_host:
        raise PermissionDenied
    _unfrozen(incident)
    if incident_signed_by_anyone(incident):
        raise ValidationError({"host_action": SIGNED_ACTION})
    if not host_action.strip():
        raise ValidationError({"host_action": "Say what action the host will take."})
    if host_action.strip() == incident.host_action:
        return incident  # the same words again: nothing changed, nobody is told again
    incident.host_action = host_action.strip()
    incident.host_responded_by, incident.host_responded_at = by, timezone.now()
    incident.save(update_fields=["host_action", "host_responded_by", "host_responded_at"])
    _notify(
        incident=incident,
        to=selectors.team_in(incident.review, TeamRole.LEAD),
        by=by,
        template="incident_responded",
        subject=f"The host has responded to a critical incident on the "
        f"{incident.review.get_kind_display()} of {incident.review.host}",
        lead_to_sign=incident.lead_signed_at is None,
    )
    return incident


@transaction.atomic
def incident_sign(*, incident: CriticalIncident, by: User) -> CriticalIncident:
    """Sign the record: the lead, or the host's DCS or 2nd-tier lead, once both the time it
    was raised with the host DCS and the host's action are recorded, so each signature
    covers the whole record; each keeps who and when. From the first signature on, neither
    can change; the other side is told; once both have signed the record is frozen (R25)."""
    incident = _locked(incident)
    rights = _rights(by, incident.review)
    if not (rights.sign_as_lead or rights.respond_as_host):
        raise PermissionDenied
    _unfrozen(incident)
    if rights.sign_as_lead and incident.lead_signed_at is not None:
        raise ValidationError("The lead has already signed this record.")
    if rights.respond_as_host and incident.host_signed_at is not None:
        raise ValidationError("The host has already signed this record.")
    missing = incident_unsigned_because(incident)
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    if rights.sign_as_lead:
        incident.lead_signed_by, incident.lead_signed_at = by, now
        incident.save(update_fields=["lead_signed_by", "lead_signed_at"])
        others = selectors.host_leaders(incident.review, on=timezone.localdate())
    else:
        incident.host_signed_by, incident.host_signed_at = by, now
        incident.save(update_fields=["host_signed_by", "host_signed_at"])
        others = selectors.team_in(incident.review, TeamRole.LEAD)
    _notify(
        incident=incident,
        to=others,
        by=by,
        template="incident_signed",
        subject=f"A critical incident on the {incident.review.get_kind_display()} of "
        f"{incident.review.host} has been signed",
        as_lead=rights.sign_as_lead,
    )
    return incident


@transaction.atomic
def incident_addendum_add(*, incident: CriticalIncident, text: str, by: User) -> IncidentAddendum:
    """Information learnt after both signatures, by the lead or the host, added beside the
    frozen record without touching it (R25, R33)."""
    incident = _locked(incident)
    rights = _rights(by, incident.review)
    if not (rights.sign_as_lead or rights.respond_as_host):
        raise PermissionDenied
    if not incident.is_frozen:
        raise ValidationError(
            "An addendum follows the signed record: until both have signed, the record "
            "itself is completed."
        )
    if not text.strip():
        raise ValidationError({"text": "Write what is to be added to the record."})
    return IncidentAddendum.objects.create(
        incident=incident, text=text.strip(), written_by=by, written_at=timezone.now()
    )


@transaction.atomic
def incident_pdf_request(*, incident: CriticalIncident, by: User) -> IncidentPdf:
    """Ask for a PDF of the record as it is now, with its addenda: a pending row, made by
    the worker once this commits (a request never renders). Whoever reads the incident may
    ask; a PDF already being made is returned rather than a second one started."""
    incident = _locked(incident)
    if not selectors.incident_may_read(_rights(by, incident.review), incident, by):
        raise PermissionDenied
    pending = incident.pdfs.filter(state=PdfState.PENDING).defer("content").first()
    if pending is not None:
        return pending
    pdf = IncidentPdf.objects.create(
        incident=incident, requested_by=by, requested_at=timezone.now()
    )
    task_after_commit("safeguarding.tasks.task_incident_pdf_render", pdf_id=pdf.pk)
    return pdf


def incident_pdf_render(*, pdf: IncidentPdf) -> IncidentPdf:
    """Render ``pdf``'s incident record (templates/safeguarding/pdf/incident.html) and store
    its bytes, their SHA-256, its size and how long it took; a render that fails leaves
    the PDF failed with the reason. Runs in the worker; a PDF no longer pending (a task
    delivered twice) is left as it is."""
    if pdf.state != PdfState.PENDING:
        return pdf
    incident = selectors.incident_for_page(review=pdf.incident.review, pk=pdf.incident_id)
    try:
        content, digest, seconds = template_to_pdf(
            "safeguarding/pdf/incident.html", {"incident": incident, "review": incident.review}
        )
    except Exception as error:  # a broken render must not leave the PDF pending for ever
        logger.exception("incident PDF %s could not be made", pdf.pk)
        IncidentPdf.objects.filter(pk=pdf.pk, state=PdfState.PENDING).update(
            state=PdfState.FAILED, failure=str(error)[:2000]
        )
        pdf.refresh_from_db()
        return pdf
    # Only a row still pending is filled: a second delivery of the task (acks_late) that
    # finds it made already leaves the first rendering, which may have been downloaded.
    IncidentPdf.objects.filter(pk=pdf.pk, state=PdfState.PENDING).update(
        content=content,
        sha256=digest,
        size=len(content),
        rendered_at=timezone.now(),
        render_seconds=seconds,
        state=PdfState.READY,
    )
    pdf.refresh_from_db()
    return pdf


def incident_pdf_download_log(*, pdf: IncidentPdf, by: User) -> None:
    """Keep who downloaded ``pdf`` and when (R33, R35), after checking they may."""
    incident = pdf.incident
    if not selectors.incident_may_read(_rights(by, incident.review), incident, by):
        raise PermissionDenied
    pdf.downloads.create(by=by, at=timezone.now())
