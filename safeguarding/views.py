"""Pages of critical incidents (R25): a review's incidents, raising one, the record with
what each person may do to it, and the download of its PDF. Each asks
``reviews.review.permissions.incident_rights``: 404 to anyone who may not see the review or the
incident, 403 to someone who sees the review but has no part in its incidents (R29)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from emslirp.forms import form_errors_add
from emslirp.models import PdfState
from emslirp.pdf import pdf_attachment
from reviews.review import permissions
from reviews.review.models import TeamRole
from reviews.review.teams import ROLE_NAMES
from reviews.review.views import _review
from safeguarding import selectors, services
from safeguarding.forms import AddendumForm, HostResponseForm, IncidentRaiseForm, RaisedWithHostForm
from safeguarding.models import CriticalIncident, IncidentPdf


def _incident(request, pk):
    """The incident and the user's rights on its review's incidents; 404 alike for an
    incident that does not exist and one the user may not read (R29)."""
    found = get_object_or_404(
        CriticalIncident.objects.select_related("review__host__region"), pk=pk
    )
    access = permissions.review_access(request.user, found.review, on=timezone.localdate())
    rights = permissions.incident_rights(access)
    if not access.sees_review or not selectors.incident_may_read(rights, found, request.user):
        raise Http404
    return found, rights


@login_required
def incidents(request, review_pk):
    """The review's critical incidents the user may read: all of them for those who read
    the review's incidents, their own for a team member (R29)."""
    review, access, _ = _review(request, review_pk)
    rights = permissions.incident_rights(access)
    if not (rights.read or rights.read_own or rights.raise_):
        raise PermissionDenied
    items = list(selectors.incidents_visible(review=review, user=request.user, rights=rights))
    return render(
        request,
        "safeguarding/incidents.html",
        {
            "review": review,
            "rights": rights,
            "incidents": items,
            "can_raise": rights.raise_ and review.state in services.RAISING_STATES,
        },
    )


@login_required
def incident_raise(request, review_pk):
    """The form that raises a critical incident: the lead or a team member, while the
    team is on site or after the visit (R25)."""
    review, access, _ = _review(request, review_pk)
    if not permissions.incident_rights(access).raise_:
        raise PermissionDenied
    open_ = review.state in services.RAISING_STATES
    identifiers = selectors.incident_identifiers(review)
    initial = {}
    if identifiers.filter(pk=request.user.pk).exists():
        initial["identified_by"] = request.user.pk
    form = IncidentRaiseForm(
        request.POST if request.method == "POST" else None,
        identifiers=identifiers,
        initial=initial,
    )
    if request.method == "POST":
        if not open_:
            raise PermissionDenied
        if form.is_valid():
            try:
                record = services.incident_raise(
                    review=review, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    request,
                    "The critical incident is recorded. The host and the QA have been told.",
                )
                return redirect("safeguarding:incident", pk=record.pk)
    return render(
        request,
        "safeguarding/incident_raise.html",
        {"review": review, "form": form, "open": open_},
        status=400 if form.errors else 200,
    )


ACTIONS = ("raised_with_host", "respond", "sign", "addendum", "pdf")
# What each action posts that the user typed, shown back to them if it could not be saved.
TYPED = {
    "raised_with_host": ("raised_with_host_at", "Date and time you raised it with the host DCS"),
    "respond": ("host_action", "Action the host will take"),
    "addendum": ("text", "What is to be added"),
}


def _allowed(incident: CriticalIncident, rights: permissions.IncidentRights) -> dict:
    """What the user may do to the record now, for the forms shown and the POSTs taken.
    The time raised with the host and the host's action change only before anyone signs,
    and nobody signs before both are recorded: each signature covers the same record."""
    open_ = not incident.is_frozen
    unsigned = open_ and not services.incident_signed_by_anyone(incident)
    lead_to_sign = open_ and rights.sign_as_lead and incident.lead_signed_at is None
    host_to_sign = open_ and rights.respond_as_host and incident.host_signed_at is None
    return {
        "raised_with_host": unsigned and rights.sign_as_lead,
        "respond": unsigned and rights.respond_as_host,
        "sign": (lead_to_sign or host_to_sign) and not services.incident_unsigned_because(incident),
        "lead_to_sign": lead_to_sign,
        "host_to_sign": host_to_sign,
        "addendum": incident.is_frozen and (rights.sign_as_lead or rights.respond_as_host),
        "pdf": True,
    }


def _entitled(action: str, rights: permissions.IncidentRights) -> bool:
    """Whether the user's part in the review lets them take ``action`` at all, whatever
    the record's state: a POST outside it is a rights matter (403)."""
    if action == "raised_with_host":
        return rights.sign_as_lead
    if action == "respond":
        return rights.respond_as_host
    if action in ("sign", "addendum"):
        return rights.sign_as_lead or rights.respond_as_host
    return action == "pdf"


def _moved_on(record: CriticalIncident, action: str, rights: permissions.IncidentRights) -> str:
    """Why ``action``, which the user may take in general, cannot be taken on the record as
    it stands now: someone else acted while the user's page was open."""
    if record.is_frozen:
        return services.FROZEN
    if action == "raised_with_host":
        return services.SIGNED_TIME
    if action == "respond":
        return services.SIGNED_ACTION
    if action == "sign":
        if rights.sign_as_lead and record.lead_signed_at is not None:
            return "The lead has already signed this record."
        if rights.respond_as_host and record.host_signed_at is not None:
            return f"{record.host_signed_by} has already signed this record for the host."
        return services.incident_unsigned_because(record)
    return "The record has changed: this can no longer be done to it."


@login_required
def incident(request, pk):
    """The critical incident record: every field of the form, who signed and when, the
    addenda and the PDFs; and the forms for whoever may act now: the lead's time raised
    with the host, the host's action, the signatures, addenda once both have signed.

    A POST someone may never make is refused (403). One they could have made a moment ago
    (another host leader signed while they typed) shows the record as it now is, says
    why nothing was saved and shows what they typed, so it is not lost."""
    found, rights = _incident(request, pk)
    review = found.review
    record = selectors.incident_for_page(review=review, pk=found.pk)
    allowed = _allowed(record, rights)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    moved_on, unsaved = "", []
    if request.method == "POST" and not allowed.get(action):
        if not _entitled(action, rights):
            raise PermissionDenied
        moved_on = _moved_on(record, action, rights)
        if action in TYPED:
            name, label = TYPED[action]
            # A date and time comes in four boxes: day, month, year and time.
            boxes = [request.POST.get(f"{name}_{n}", "").strip() for n in range(4)]
            typed = (
                " ".join(boxes[:3]) + (f", {boxes[3]}" if boxes[3] else "")
                if any(boxes)
                else request.POST.get(name, "").strip()
            )
            if typed:
                unsaved = [(label, typed)]
        action = ""

    def bound(name):
        return request.POST if action == name else None

    forms = {
        "raised_with_host": RaisedWithHostForm(
            bound("raised_with_host"),
            initial={"raised_with_host_at": record.raised_with_host_at},
        ),
        "respond": HostResponseForm(bound("respond"), initial={"host_action": record.host_action}),
        "addendum": AddendumForm(bound("addendum")),
    }
    failed = None
    if action:
        form = forms.get(action)
        try:
            if form is not None and not form.is_valid():
                failed = form
            else:
                message = _act(action, form, record, request.user)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("safeguarding:incident", pk=record.pk)
            form_errors_add(form, error)
            failed = form
        if failed is None:
            messages.success(request, message)
            return redirect("safeguarding:incident", pk=record.pk)
    status = 400 if failed is not None else 409 if moved_on else 200
    return render(
        request,
        "safeguarding/incident.html",
        {
            "review": review,
            "incident": record,
            "rights": rights,
            "allowed": allowed,
            "forms": forms,
            "failed": failed,
            "moved_on": moved_on,
            "unsaved": unsaved,
            "missing": services.incident_unsigned_because(record),
            "pdfs": record.pdfs.all(),
            # Who downloaded the record, for those who read every incident: the host and the
            # QA among them (R35).
            "shows_downloads": rights.read,
            "lead_title": ROLE_NAMES[review.kind][TeamRole.LEAD],
        },
        status=status,
    )


def _act(action, form, record, by) -> str:
    if action == "raised_with_host":
        services.incident_raised_with_host_record(
            incident=record, at=form.cleaned_data["raised_with_host_at"], by=by
        )
        return "The time you raised it with the host DCS is recorded."
    if action == "respond":
        services.incident_respond(
            incident=record, host_action=form.cleaned_data["host_action"], by=by
        )
        return "The host's action is recorded; the lead has been told."
    if action == "sign":
        signed = services.incident_sign(incident=record, by=by)
        if signed.is_frozen:
            return "You have signed. Both have signed: responsibility now rests with the host."
        return "You have signed the record."
    if action == "addendum":
        services.incident_addendum_add(incident=record, text=form.cleaned_data["text"], by=by)
        return "Your addendum is added to the record."
    services.incident_pdf_request(incident=record, by=by)
    return "The PDF is being made: it is listed below once ready."


@login_required
@require_GET
def incident_pdf(request, pk, pdf_pk):
    """Download one PDF of the incident record, for whoever reads the incident; every
    download is logged (R33, R35). Never cached, never shown inline."""
    found, _ = _incident(request, pk)
    pdf = get_object_or_404(IncidentPdf, pk=pdf_pk, incident=found, state=PdfState.READY)
    services.incident_pdf_download_log(pdf=pdf, by=request.user)
    return pdf_attachment(bytes(pdf.content), filename=f"critical-incident-{found.pk}-{pdf.pk}.pdf")
