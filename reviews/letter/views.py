"""The feedback letter's page, its PDFs and their downloads (R23, R29).

Everyone who may see the review but not the letter gets 403; anyone who may not see the
review at all, 404 (``reviews.review.views._review``). What the page shows and which buttons it
offers come from ``reviews.letter.permissions.letter_rights``, the function the services ask.
"""

import dataclasses
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from emslirp.forms import form_errors_add
from emslirp.models import PdfState
from emslirp.pdf import pdf_attachment
from reviews.letter import pdf as pdfs
from reviews.letter import permissions, selectors
from reviews.letter import services as letters
from reviews.letter.forms import LetterCommentForm, LetterForm, ProofreadForm
from reviews.letter.models import Letter, LetterPdf, LetterState
from reviews.review import permissions as review_permissions
from reviews.review.models import Review
from reviews.review.views import _review
from reviews.workbook.feedback_record import verbal_feedback_record
from reviews.workbook.models import VerbalFeedback

# The steps each right offers, by the letter's state (R23).
LEAD_STEPS = {LetterState.APPROVED: "share", LetterState.SHARED: "issue"}
ACTIONS = {
    "draft",
    "save",
    "send_to_qa",
    "proofread",
    "share",
    "issue",
    "pdf",
    "comment",
    "reopen",
}
LETTER_PARTS = ("subject", "body", "variations")


@dataclasses.dataclass(frozen=True)
class Here:
    """What a request to the letter's page is about, and the user's rights on it."""

    review: Review
    access: review_permissions.ReviewAccess
    today: datetime.date
    letter: Letter | None
    rights: permissions.LetterRights


def _letter(request, pk) -> Here:
    """The review, the access, today, the letter (or None) and the rights on it; 403 for
    someone who sees the review but may not open its letter (R29)."""
    review, access, today = _review(request, pk)
    letter = selectors.letter_of(review)
    state = letter.state if letter is not None else None
    rights = permissions.letter_rights(
        access,
        shared=state in (LetterState.SHARED, LetterState.FINAL),
        final=state == LetterState.FINAL,
    )
    if not (rights.write or rights.proofread or rights.read_draft or rights.read_final):
        raise PermissionDenied
    return Here(review, access, today, letter, rights)


def _reads_text(letter, rights) -> bool:
    if letter is None:
        return False
    return rights.read_draft or (letter.is_final and rights.read_final)


def _pdfs_context(here: Here) -> dict:
    letter, rights = here.letter, here.rights
    if letter is None:
        return {"pdfs": [], "can_request_pdf": False, "pending": False}
    pdfs = selectors.letter_pdfs(letter, rights=rights)
    return {
        "pdfs": pdfs,
        "pending": any(p.state == PdfState.PENDING for p in pdfs),
        "can_request_pdf": rights.read_draft and not letter.is_final,
        "can_retry_final": rights.write and letter.is_final,
        # Who downloaded which PDF: the lead, the coordinator, and the host and the QA,
        # who read the access log of the review's material (R35).
        "shows_downloads": rights.write
        or rights.proofread
        or here.access.coordinator
        or (here.access.host_decides and rights.read_draft),
    }


def _page(
    request,
    here: Here,
    *,
    letter=None,
    form=None,
    proofread_form=None,
    comment_form=None,
    errors=(),
    conflict=None,
    unsaved=None,
    status=200,
):
    """The letter page; ``letter``, when given, is a fresher copy than ``here``'s;
    ``unsaved``, the subject, body and variations someone sent that could not be saved,
    shown back to them to copy."""
    review, rights = here.review, here.rights
    letter = letter or here.letter
    drafting = letter is not None and rights.write and letter.state == LetterState.DRAFT
    if drafting and form is None:
        form = LetterForm(
            initial={
                "subject": letter.subject,
                "body": letter.body,
                "variations": letter.variations,
                "revision": letter.revision,
            }
        )
    # The tracing of actions to evidence: for the QA to proofread, and for the lead to see
    # what the QA will see, while the letter is being written (R23).
    record = None
    if letter is not None and not letter.is_final and (rights.write or rights.proofread):
        record = verbal_feedback_record(review)
    proofreading = letter is not None and rights.proofread and letter.state == LetterState.WITH_QA
    if proofreading and proofread_form is None:
        proofread_form = ProofreadForm(untraced=record.untraced)
    feedback_given = (
        letter is None
        and rights.write
        and VerbalFeedback.objects.filter(review=review, given_on__isnull=False).exists()
    )
    team_side = rights.write or rights.proofread
    # The host's comments on the shared draft: for the lead, the QA and the host (R23, R24).
    comments = (
        list(letter.comments.select_related("by"))
        if letter is not None and rights.read_draft and letter.shared_at is not None
        else []
    )
    if rights.comment and comment_form is None:
        comment_form = LetterCommentForm()
    # Why the QA let an action stand without evidence, for the lead (and the QA) to read.
    untraced_reasons = (
        {r.action_id: r for r in letter.untraced_reasons.select_related("given_by")}
        if record is not None and letter.state in (LetterState.APPROVED, LetterState.SHARED)
        else {}
    )
    return render(
        request,
        "reviews/letter.html",
        {
            "review": review,
            "access": here.access,
            "letter": letter,
            "rights": rights,
            "due": selectors.letter_due(review, letter, today=here.today),
            "reads_text": _reads_text(letter, rights),
            "paragraphs": selectors.letter_paragraphs(letter.body) if letter else [],
            "drafting": drafting,
            "form": form if drafting else None,
            "conflict": conflict,
            "unsaved": unsaved,
            "proofreading": proofreading,
            "proofread_form": proofread_form if proofreading else None,
            "record": record,
            "untraced": [
                (a, untraced_reasons.get(a.action.pk)) for a in record.actions if not a.traced
            ]
            if record
            else [],
            "traced": [a for a in record.actions if a.traced] if record else [],
            "can_draft": feedback_given,
            "lead_step": LEAD_STEPS.get(letter.state) if letter and rights.write else None,
            "comments": comments,
            "comment_form": comment_form if rights.comment else None,
            "events": selectors.letter_events(letter) if letter and team_side else [],
            # Once final, each action links to its trace for those who may follow it (R40);
            # before, the lead and the QA follow it from the tracing above.
            "traceable_actions": selectors.letter_actions(review)
            if letter is not None
            and letter.is_final
            and permissions.action_trace_readable(here.access, letter_state=letter.state)
            else [],
            "errors": list(errors),
            **_pdfs_context(here),
        },
        status=status,
    )


@login_required
def letter(request, pk):
    """The letter: its state and due date, the draft (a form for the lead while it is a
    draft), the QA's proofreading with every action traced to its evidence, a button for
    each step to whoever may take it, the history and the PDFs (R23)."""
    here = _letter(request, pk)
    if request.method != "POST":
        return _page(request, here)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        raise PermissionDenied
    by = request.user
    if action == "draft":
        return _act(
            request,
            here,
            lambda: letters.letter_draft(review=here.review, by=by),
            "The letter is drafted from the template. Check it and change what is needed.",
        )
    letter_ = here.letter
    if letter_ is None:
        raise Http404
    if action in ("save", "send_to_qa"):
        return _save(request, here, send=action == "send_to_qa")
    if action == "proofread":
        return _proofread(request, here)
    if action == "comment":
        return _comment(request, here)
    steps = {
        "reopen": (
            lambda: letters.letter_reopen(letter=letter_, by=by),
            "The draft is back with you to change. It goes to the QA again, then to the host.",
        ),
        "share": (
            lambda: letters.letter_share(letter=letter_, by=by),
            "The draft is shared with the host; their DCS and 2nd-tier lead have been told.",
        ),
        "issue": (
            lambda: pdfs.letter_issue(letter=letter_, by=by),
            "The letter is final. Its PDF is being made; the host, the QA and the "
            "coordinator have been told.",
        ),
        "pdf": (lambda: pdfs.letter_pdf_request(letter=letter_, by=by), _pdf_message),
    }
    step, message = steps[action]
    return _act(request, here, step, message)


def _comment(request, here: Here):
    if not here.rights.comment:
        raise PermissionDenied
    form = LetterCommentForm(request.POST)
    if form.is_valid():
        try:
            letters.letter_comment(
                letter=here.letter, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            current = _letter(request, here.review.pk)
            if not current.rights.comment:
                # The draft was taken back or issued meanwhile: the words are shown back.
                unsaved = {"comments": form.cleaned_data["text"].replace("\r\n", "\n")}
                return _page(request, current, errors=error.messages, unsaved=unsaved, status=400)
            form_errors_add(form, error)
        else:
            messages.success(request, "Your comment is sent to the lead.")
            return redirect("reviews:letter", pk=here.review.pk)
    return _page(request, here, comment_form=form, status=400)


def _pdf_message(pdf: LetterPdf) -> str:
    if pdf.state == PdfState.READY:
        # A request for the draft as it stands, answered by the PDF already made of it.
        return "The draft has not changed since its last PDF was made: download that one below."
    return "The PDF is being made: it appears below when it is ready."


def _act(request, here: Here, step, message):
    """Take a step without a form; its refusal shown at the top of the page. ``message``
    is the text to show once it is taken, or makes it from what the step returned."""
    try:
        done = step()
    except ValidationError as error:
        # Shown on the letter as it is now: a refusal often means it moved on meanwhile.
        return _page(request, _letter(request, here.review.pk), errors=error.messages, status=400)
    messages.success(request, message(done) if callable(message) else message)
    return redirect("reviews:letter", pk=here.review.pk)


def _save(request, here: Here, *, send: bool):
    """The lead's Save (and Save and send to the QA): nothing typed is lost, whether the
    form is refused at a field or the save was overtaken by another (R23)."""
    if not here.rights.write:
        raise PermissionDenied
    letter_ = here.letter
    if letter_.state != LetterState.DRAFT:
        return _save_refused(request, here)
    form = LetterForm(request.POST)
    if not form.is_valid():
        return _page(request, here, form=form, status=400)
    data = form.cleaned_data
    try:
        # Saved and sent together or not at all: a refused send leaves the draft as it was,
        # and the form on the revision the page showed.
        with transaction.atomic():
            saved = letters.letter_update(
                letter=letter_,
                subject=data["subject"],
                body=data["body"],
                variations=data["variations"],
                revision=data["revision"],
                by=request.user,
            )
            if send:
                letters.letter_send_to_qa(letter=saved, by=request.user, revision=saved.revision)
    except letters.LetterConflict as conflict:
        current = selectors.letter_of(here.review)
        # The person's words stay in the form, now based on the saved revision: saving
        # again keeps theirs, having seen what was saved meanwhile.
        form = LetterForm({**conflict.content, "revision": current.revision})
        form.is_valid()
        form.add_error(
            None,
            "The draft was saved from another page meanwhile: your version is in the form, "
            "the saved one is shown above it. Keep what is right, then save again.",
        )
        return _page(request, here, letter=current, form=form, conflict=current, status=409)
    except ValidationError as error:
        form_errors_add(form, error)
        return _page(request, here, form=form, status=400)
    messages.success(
        request,
        "The draft is saved and sent to the QA, who has been told."
        if send
        else "The draft is saved.",
    )
    return redirect("reviews:letter", pk=here.review.pk)


def _save_refused(request, here: Here):
    """A save from a page made while the letter was a draft, which has moved on since
    (sent to the QA from another tab, say). Nothing of a letter past its draft changes
    (R23): the service is asked all the same, with the revision the page showed, and says
    why. What was typed is shown back read-only, to be copied, so no word is lost."""
    sent = {k: request.POST.get(k, "").replace("\r\n", "\n") for k in LETTER_PARTS}
    revision = request.POST.get("revision", "")
    try:
        letters.letter_update(
            letter=here.letter,
            **sent,
            revision=int(revision) if revision.isdigit() else 0,
            by=request.user,
        )
    except letters.LetterConflict:
        refused = ["The draft was changed after your page was opened."]
    except ValidationError as error:
        refused = error.messages
    else:
        # Returned to a draft by the QA in the instant between: the save stands.
        messages.success(request, "The draft is saved.")
        return redirect("reviews:letter", pk=here.review.pk)
    current = _letter(request, here.review.pk)
    errors = [
        "Your changes were not saved: the letter moved on after your page was opened. "
        "What you typed is shown below, under Your unsaved text, for you to copy.",
        *refused,
    ]
    return _page(request, current, errors=errors, unsaved=sent, status=400)


def _proofread(request, here: Here):
    if not here.rights.proofread:
        raise PermissionDenied
    form = ProofreadForm(request.POST, untraced=verbal_feedback_record(here.review).untraced)
    if form.is_valid():
        try:
            letters.letter_proofread(
                letter=here.letter,
                approve=form.approve,
                comments=form.cleaned_data["comments"],
                by=request.user,
                untraced_reasons=form.untraced_reasons(),
            )
        except ValidationError as error:
            current = _letter(request, here.review.pk)
            if current.letter is not None and current.letter.state != LetterState.WITH_QA:
                # The letter moved on after the page was opened: the form is gone from the
                # page, so the comments are shown back to be copied, not lost.
                errors = [
                    "Your proofreading was not recorded: the letter moved on after your page "
                    "was opened. Your comments are shown below, under Your unsaved text.",
                    *error.messages,
                ]
                unsaved = {"comments": form.cleaned_data["comments"].replace("\r\n", "\n")}
                return _page(request, current, errors=errors, unsaved=unsaved, status=400)
            form_errors_add(form, error)
        else:
            messages.success(
                request,
                "You approved the draft; the lead has been told."
                if form.approve
                else "You returned the draft to the lead, who has been told.",
            )
            return redirect("reviews:letter", pk=here.review.pk)
    return _page(request, here, proofread_form=form, status=400)


@login_required
@require_GET
def letter_pdfs(request, pk):
    """The PDFs part of the letter page, polled while one is being made."""
    here = _letter(request, pk)
    return render(
        request,
        "reviews/_letter_pdfs.html",
        {"review": here.review, "letter": here.letter, **_pdfs_context(here)},
    )


@login_required
@require_GET
def letter_pdf(request, pk, pdf_pk):
    """One of the letter's PDFs, as an attachment, never cached; each download logged.
    404 for anyone who may not read it, alike for a PDF that does not exist (R29)."""
    review, _, _ = _review(request, pk)
    pdf = get_object_or_404(
        LetterPdf.objects.defer("content", "html").select_related("letter__review__host__region"),
        pk=pdf_pk,
        letter__review=review,
        state=PdfState.READY,
    )
    if not pdfs.letter_pdf_may_download(pdf=pdf, by=request.user):
        raise Http404
    content = pdfs.letter_pdf_download(pdf=pdf, by=request.user)
    kind = "final" if pdf.is_final else f"draft-{pdf.letter_revision}"
    name = f"feedback-letter-{slugify(review.host.name)}-{kind}.pdf"
    return pdf_attachment(content, filename=name)
