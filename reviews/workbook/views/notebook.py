"""Pages of the notebook, the verbal feedback record and the emerging issues (R21, R22,
R24, R29).

Anyone who may not see the review gets 404 (``_review``); someone who sees it but has no
right to the page gets 403. The services check the rights again themselves.

The record closes when the letter leaves draft (R23): the pages then show it read-only.
A save refused because it closed while someone was typing is answered 400 with the reason,
and what they typed is shown on the page, to be copied, as no form is drawn to hold it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from emslirp.forms import error_links, form_errors_add
from reviews.review.views import _review
from reviews.workbook import permissions, selectors
from reviews.workbook.forms import (
    ConclusionsForm,
    FindingEditForm,
    FindingForm,
    NoteForm,
    PreVisitNotesForm,
)
from reviews.workbook.models import Finding, Proposal
from reviews.workbook.services import notebook as services


def _who(conflict: services.RevisionConflict) -> str:
    """Who overtook a save, as the conflict message names them."""
    when = f" at {conflict.saved_at:%H:%M}" if conflict.saved_at else ""
    return f"{conflict.saved_by}{when}" if conflict.saved_by else f"someone else{when}"


def _rebound(form_class, request, conflict, *, prefix, **kwargs):
    """The form as sent, on the revision now stored, with the conflict shown at its
    fields: the person's words kept, the other version beside them."""
    data = request.POST.copy()
    data[f"{prefix}-revision"] = str(conflict.revision)
    form = form_class(data, prefix=prefix, **kwargs)
    form.show_conflict(conflict, who=_who(conflict))
    return form


def _revised_save(request, form, save, *, prefix, **form_kwargs):
    """Save ``form`` with ``save(cleaned_data)``, a service that takes the revision the
    page showed: ``(None, 200)`` when it saved; else the form to draw again and its status,
    400 with the service's refusal at its fields, or 409 with the other person's version
    beside what was typed (``_rebound``). Nothing typed is lost either way."""
    if not form.is_valid():
        return form, 400
    try:
        save(form.cleaned_data)
    except services.RevisionConflict as conflict:
        return _rebound(type(form), request, conflict, prefix=prefix, **form_kwargs), 409
    except ValidationError as error:
        form_errors_add(form, error)
        return form, 400
    return None, 200


def _error_links(form, *, drawn: bool = True) -> list[tuple[str, str]]:
    """Each message of a failed form with the element it leads to, for the error summary:
    as ``error_links`` gives them; a form the page does not draw (the record closed)
    leads to what was typed in it."""
    if form is None or not form.errors:
        return []
    if not drawn:
        return [(UNSAVED, message) for errors in form.errors.values() for message in errors]
    return error_links(form)


UNSAVED = "unsaved"  # the id of the box showing what was typed but not saved


def _unsaved(form) -> list[tuple[str, str]]:
    """What was typed into ``form``'s text boxes, as (label, text), to be shown when the
    page cannot draw the form (the record closed while it was being written): the words
    stay on the page to be copied, escaped like any other text."""
    if form is None or not form.is_bound:
        return []
    typed = []
    for field in form:
        if field.is_hidden:
            continue
        value = field.value()
        if isinstance(field.field.widget, forms.MultiWidget):
            # A date typed in its day, month and year boxes: as typed, "17 11 2026".
            parts = value if isinstance(value, list | tuple) else []
            value = " ".join(str(part).strip() for part in parts if str(part or "").strip())
        elif not isinstance(field.field.widget, forms.Textarea | forms.TextInput):
            continue
        if isinstance(value, str) and value.strip():
            typed.append((str(field.label), value))
    return typed


def _failed(bound: dict, drawn: list) -> dict:
    """The page's context about the form that failed, if one did: ``failed``, the links
    of the error summary and, when the page does not draw that form, ``unsaved``, what
    was typed in it."""
    failed = next(iter(bound.values()), None)
    shown = failed is None or any(form is failed for form in drawn)
    return {
        "failed": failed,
        "error_links": _error_links(failed, drawn=shown),
        "unsaved": [] if shown else _unsaved(failed),
    }


def _asynchronous(request) -> bool:
    # notebook.js sends notes with fetch and asks for the list back; htmx says HX-Request.
    return (
        request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or request.headers.get("HX-Request") == "true"
    )


# The notebook (R21) ---------------------------------------------------------------------


def _notebook(request, pk):
    review, access, _ = _review(request, pk)
    rights = permissions.notebook_rights(access)
    if not rights.read:
        raise PermissionDenied
    return review, rights


def _notebook_page(request, review, rights, *, bound=None, status=200):
    """The notebook: its header from the records, the pre-visit notes, and per
    investigated hypothesis its methods, running notes, key findings and conclusions,
    with the forms the user may use now. ``bound`` holds the form that failed, keyed by
    (kind, pk), shown with what was typed and its messages; when the page no longer draws
    it (the record closed), what was typed is shown on its own."""
    bound = bound or {}
    letter_state = selectors.letter_state(review)
    writes = rights.write and selectors.notebook_writable(review, letter_state=letter_state)
    notebook = selectors.notebook_get(review)
    pre_visit_form = None
    if rights.lead and selectors.pre_visit_writable(review):
        pre_visit_form = bound.get(("pre_visit", None)) or PreVisitNotesForm(
            prefix="pre-visit",
            initial={
                "pre_visit_notes": notebook.pre_visit_notes if notebook else "",
                "revision": notebook.revision if notebook else 0,
            },
        )
    sections = []
    for h in selectors.notebook_hypotheses(review):
        report = getattr(h, "report", None)
        findings = []
        for n, f in enumerate(h.findings.all(), start=1):
            form = None
            if writes and (rights.lead or f.written_by_id == request.user.pk):
                form = bound.get(("finding_edit", f.pk)) or FindingEditForm(
                    prefix=f"finding-{f.pk}",
                    number=_finding_number(n, h),
                    initial={"text": f.text, "evidence": f.evidence, "revision": f.revision},
                )
            findings.append((f, form))
        sections.append(
            {
                "hypothesis": h,
                "methods": list(h.methods.all()),
                "notes": list(h.notes.all()),
                "findings": findings,
                "report": report,
                "note_form": (
                    bound.get(("note", h.pk)) or NoteForm(prefix=f"note-{h.pk}", number=h.number)
                )
                if writes
                else None,
                "finding_form": (
                    bound.get(("finding_add", h.pk))
                    or FindingForm(prefix=f"finding-new-{h.pk}", number=h.number)
                )
                if writes
                else None,
                "conclusions_form": (
                    bound.get(("conclusions", h.pk))
                    or ConclusionsForm(
                        prefix=f"conclusions-{h.pk}",
                        number=h.number,
                        initial={
                            "conclusions": report.conclusions if report else "",
                            "revision": report.revision if report else 0,
                        },
                    )
                )
                if writes
                else None,
            }
        )
    drawn = [pre_visit_form]
    for section in sections:
        drawn += [section["note_form"], section["finding_form"], section["conclusions_form"]]
        drawn += [form for _, form in section["findings"]]
    return render(
        request,
        "reviews/notebook.html",
        {
            "review": review,
            "rights": rights,
            "header": selectors.notebook_header(review),
            "notebook": notebook,
            "pre_visit_form": pre_visit_form,
            "sections": sections,
            "writes": writes,
            "closed": selectors.record_closed_message(letter_state),
            # Notes kept on this device for a notebook now closed are shown to be copied.
            "keeps_notes": rights.write and review.state in selectors.WRITING_STATES,
            "visit_started": review.state in selectors.WRITING_STATES,
            **_failed(bound, drawn),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notebook(request, pk):
    """The notebook (R21): read by the team and the QA; the lead writes the pre-visit
    notes; the lead, the data specialist and the members add findings and write the
    conclusions, each finding changed by its writer or the lead."""
    review, rights = _notebook(request, pk)
    if request.method != "POST":
        return _notebook_page(request, review, rights)
    action = request.POST.get("action", "")
    if action == "pre_visit":
        return _pre_visit_post(request, review, rights)
    if action not in ("finding_add", "finding_edit", "conclusions"):
        return HttpResponseBadRequest("Unknown action.")
    if not rights.write:
        raise PermissionDenied
    if action == "finding_edit":
        finding = (
            Finding.objects.select_related("hypothesis")
            .filter(
                pk=_pk(request.POST.get("finding")),
                hypothesis__review=review,
                hypothesis__decision=Proposal.INVESTIGATE,
            )
            .first()
        )
        if finding is None:
            raise Http404
        # Asked before the form is read: whatever was typed, another's finding is the
        # lead's to change, not a member's (R21, R29).
        if not (rights.lead or finding.written_by_id == request.user.pk):
            raise PermissionDenied
        return _finding_edit_post(request, review, rights, finding)
    hypothesis = selectors.investigated_hypothesis(review, _pk(request.POST.get("hypothesis")))
    if hypothesis is None:
        raise Http404
    if action == "finding_add":
        form = FindingForm(
            request.POST, prefix=f"finding-new-{hypothesis.pk}", number=hypothesis.number
        )
        if form.is_valid():
            try:
                services.finding_add(
                    hypothesis=hypothesis,
                    text=form.cleaned_data["text"],
                    evidence=form.cleaned_data["evidence"],
                    by=request.user,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    request, f"Your finding on hypothesis {hypothesis.number} is saved."
                )
                return _back(review, f"hypothesis-{hypothesis.number}")
        return _notebook_page(
            request, review, rights, bound={("finding_add", hypothesis.pk): form}, status=400
        )
    prefix = f"conclusions-{hypothesis.pk}"
    form, status = _revised_save(
        request,
        ConclusionsForm(request.POST, prefix=prefix, number=hypothesis.number),
        lambda data: services.conclusions_save(
            hypothesis=hypothesis,
            text=data["conclusions"],
            revision=data["revision"],
            by=request.user,
        ),
        prefix=prefix,
        number=hypothesis.number,
    )
    if form is None:
        messages.success(request, f"The conclusions on hypothesis {hypothesis.number} are saved.")
        return _back(review, f"hypothesis-{hypothesis.number}")
    return _notebook_page(
        request, review, rights, bound={("conclusions", hypothesis.pk): form}, status=status
    )


def _pk(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _back(review, anchor: str):
    return redirect(f"{reverse('reviews:notebook', args=[review.pk])}#{anchor}")


def _pre_visit_post(request, review, rights):
    if not rights.lead:
        raise PermissionDenied
    form, status = _revised_save(
        request,
        PreVisitNotesForm(request.POST, prefix="pre-visit"),
        lambda data: services.notebook_pre_visit_save(
            review=review,
            text=data["pre_visit_notes"],
            revision=data["revision"],
            by=request.user,
        ),
        prefix="pre-visit",
    )
    if form is None:
        messages.success(request, "The pre-visit notes are saved.")
        return _back(review, "pre-visit")
    return _notebook_page(request, review, rights, bound={("pre_visit", None): form}, status=status)


def _finding_number(n: int, hypothesis) -> str:
    return f"{n} on hypothesis {hypothesis.number}"


def _finding_edit_post(request, review, rights, finding):
    prefix = f"finding-{finding.pk}"
    order = list(
        Finding.objects.filter(hypothesis_id=finding.hypothesis_id)
        .order_by("written_at", "pk")
        .values_list("pk", flat=True)
    )
    number = _finding_number(order.index(finding.pk) + 1, finding.hypothesis)
    form, status = _revised_save(
        request,
        FindingEditForm(request.POST, prefix=prefix, number=number),
        lambda data: services.finding_save(
            finding=finding,
            text=data["text"],
            evidence=data["evidence"],
            revision=data["revision"],
            by=request.user,
        ),
        prefix=prefix,
        number=number,
    )
    if form is None:
        messages.success(request, "The finding is saved.")
        return _back(review, f"finding-{finding.pk}")
    return _notebook_page(
        request, review, rights, bound={("finding_edit", finding.pk): form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def notebook_notes(request, pk, hypothesis_pk):
    """A hypothesis's running notes (R21). GET: the list, which the notebook fetches
    every 15 seconds so that colleagues' notes appear. POST: add a note; the browser's
    script asks for the list back, a plain form goes back to the notebook."""
    review, rights = _notebook(request, pk)
    hypothesis = selectors.investigated_hypothesis(review, hypothesis_pk)
    if hypothesis is None:
        raise Http404
    if request.method == "GET":
        return _notes_list(request, review, hypothesis)
    if not rights.write:
        raise PermissionDenied
    form = NoteForm(request.POST, prefix=f"note-{hypothesis.pk}", number=hypothesis.number)
    if form.is_valid():
        try:
            services.note_add(
                hypothesis=hypothesis,
                text=form.cleaned_data["text"],
                client_key=form.cleaned_data["client_key"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            if _asynchronous(request):
                return _notes_list(request, review, hypothesis)
            messages.success(request, f"Your note on hypothesis {hypothesis.number} is saved.")
            return _back(review, f"hypothesis-{hypothesis.number}")
    if _asynchronous(request):
        # The script shows the message at the note and keeps the text.
        problems = [message for messages_ in form.errors.values() for message in messages_]
        return HttpResponseBadRequest(" ".join(problems), content_type="text/plain")
    return _notebook_page(
        request, review, rights, bound={("note", hypothesis.pk): form}, status=400
    )


def _notes_list(request, review, hypothesis):
    response = render(
        request,
        "reviews/_notebook_notes.html",
        {"notes": selectors.hypothesis_notes(hypothesis), "hypothesis": hypothesis},
    )
    # Marks a list the script may put in the page, unlike a sign-in page after a redirect.
    response["X-Notebook-Notes"] = str(hypothesis.pk)
    return response
