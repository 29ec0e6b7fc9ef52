"""The final letter and the letter's PDFs (R23, R41): issuing freezes the final PDF's HTML;
every PDF is asked for by a request, made in the worker, never changed once final; each
download is logged."""

import hashlib
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template import loader
from django.utils import timezone

from emslirp.models import PdfState, User
from emslirp.pdf import html_to_pdf
from emslirp.queue import task_after_commit
from reviews.letter import selectors
from reviews.letter.models import Letter, LetterPdf, LetterState
from reviews.letter.services import (
    _load,
    _move,
    _notify,
    _refuse_misstatement,
    _rights,
    logger,
)
from reviews.review.models import TeamRole
from reviews.review.selectors import team_in

PDF_TEMPLATE = "reviews/pdf/letter.html"
_FAILURE_MAX = 2000


# The final letter ------------------------------------------------------------------


@transaction.atomic
def letter_issue(*, letter: Letter, by: User) -> Letter:
    """The lead signs the shared letter off as final (R23): it never changes again. The
    final PDF's HTML (the letter with the verbal feedback record attached) is rendered
    here, in the issue's transaction, and kept: the worker makes the PDF of exactly that,
    once, and keeps it with its SHA-256, so a notebook change after the issue, a slow
    worker or a retry never alters what was issued. The host, the QA and the coordinators
    (the SDSA's reference copy) are told the final letter is ready."""
    # ``_move`` locks the review's row first, as the notebook's writes lock it: a finding
    # saved at the same moment lands wholly before the issue (and is printed) or after it.
    now = timezone.now()
    moved = _move(
        letter=letter,
        by=by,
        before=LetterState.SHARED,
        after=LetterState.FINAL,
        may="write",
        values={"issued_by": by, "issued_at": now},
    )
    _refuse_misstatement(moved)
    pdf = LetterPdf(
        letter=moved,
        is_final=True,
        letter_revision=moved.revision,
        requested_by=by,
        requested_at=now,
    )
    pdf.html = _pdf_html(pdf)
    pdf.save()
    _dispatch(pdf)
    review = moved.review
    today = timezone.localdate()
    _notify(
        letter=moved,
        to=[
            *selectors.letter_recipients_host(review, on=today),
            *team_in(review, TeamRole.QA),
            *selectors.letter_coordinators(review, on=today),
        ],
        subject=f"The final feedback letter of the {review.get_kind_display()} of "
        f"{review.host} is ready",
        template="final",
        context={"by": by},
    )
    return moved


# PDFs ----------------------------------------------------------------------------------


def _dispatch(pdf: LetterPdf) -> None:
    task_after_commit("reviews.tasks.task_letter_pdf_render", pdf_id=pdf.pk)


@transaction.atomic
def letter_pdf_request(*, letter: Letter, by: User) -> LetterPdf:
    """Ask the worker for a PDF of the draft, as it stands, with the verbal feedback
    record attached: for whoever reads the draft. Nothing is rendered here (R23).

    One PDF per draft as it stands: if one that ``by`` may read was asked for since the
    letter last changed (its text or its state) and is being made or made, that one is
    returned and nothing new is asked of the worker.

    The final letter's PDF is made once, when it is issued, and never again: asking for
    it again is refused, unless its making failed, when the lead asks for it to be tried
    again (from the HTML kept at the issue)."""
    letter = _load(letter)
    rights = _rights(by, letter.review, letter)
    if letter.is_final:
        if not (rights.read_final or rights.read_draft):
            raise PermissionDenied
        final = (
            LetterPdf.objects.filter(letter=letter, is_final=True).defer("content", "html").first()
        )
        if final is not None and final.state == PdfState.FAILED and rights.write:
            LetterPdf.objects.filter(pk=final.pk, state=PdfState.FAILED).update(
                state=PdfState.PENDING, failure=""
            )
            final.state, final.failure = PdfState.PENDING, ""
            _dispatch(final)
            return final
        raise ValidationError(
            "The final letter's PDF is made once, when the letter is issued, and never made again."
        )
    if not rights.read_draft:
        raise PermissionDenied
    # The letter's row is locked (``_load``): two requests at once find the same PDF.
    same = (
        LetterPdf.objects.filter(
            selectors.letter_pdfs_readable(letter, rights),
            letter=letter,
            state__in=(PdfState.PENDING, PdfState.READY),
            requested_at__gte=letter.updated_at,
            is_final=False,
            letter_revision=letter.revision,
        )
        .defer("content", "html")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if same is not None:
        return same
    pdf = LetterPdf.objects.create(
        letter=letter,
        is_final=False,
        letter_revision=letter.revision,
        requested_by=by,
        requested_at=timezone.now(),
    )
    _dispatch(pdf)
    return pdf


def _pdf_html(pdf: LetterPdf) -> str:
    """The HTML of ``pdf`` from the records as they are now: the letter, then the verbal
    feedback record on a new page. The renderer adds the stylesheet."""
    return loader.render_to_string(
        PDF_TEMPLATE,
        {**selectors.letter_pdf_context(pdf=pdf), "service_name": settings.SERVICE_NAME},
    )


def letter_pdf_render(*, pdf: LetterPdf) -> LetterPdf:
    """Make ``pdf`` and store its bytes, SHA-256, size and the seconds it took; or mark it
    failed with the error. A draft's is rendered from the records as they are now; the
    final one's is the HTML kept when the letter was issued, the same on every retry (R23).
    Only a PDF still to be made (pending, or failed before) is made: a ready PDF, above
    all the final one, is never made again nor overwritten (ValidationError). Called by
    the worker."""
    pdf = (
        LetterPdf.objects.defer("content")
        .select_related("letter__review__host__region", "letter__issued_by")
        .get(pk=pdf.pk)
    )
    if pdf.state == PdfState.READY:
        raise ValidationError(
            "The final letter's PDF is made once and never replaced."
            if pdf.is_final
            else "This PDF is made already; ask for a new one to see later changes."
        )
    if pdf.is_final and not pdf.letter.is_final:
        raise ValidationError("A final PDF is made of a final letter only.")
    waiting = (PdfState.PENDING, PdfState.FAILED)
    started = time.perf_counter()
    try:
        if pdf.is_final and not pdf.html:
            # Issued before the HTML was kept at the issue: it is fixed now, once, so that
            # this and every later try print the same.
            LetterPdf.objects.filter(pk=pdf.pk, html="").update(html=_pdf_html(pdf))
            pdf.refresh_from_db(fields=["html"])
        content = html_to_pdf(pdf.html if pdf.is_final else _pdf_html(pdf))
    except Exception as error:
        # Whatever went wrong is kept for the page; the request can be made again.
        logger.exception("letter PDF %s could not be made", pdf.pk)
        LetterPdf.objects.filter(pk=pdf.pk, state__in=waiting).update(
            state=PdfState.FAILED, failure=f"{type(error).__name__}: {error}"[:_FAILURE_MAX]
        )
        pdf.refresh_from_db()
        return pdf
    seconds = time.perf_counter() - started
    digest = hashlib.sha256(content).hexdigest()
    # Only a row still waiting is written: a render that finished first is never replaced.
    stored = LetterPdf.objects.filter(pk=pdf.pk, state__in=waiting).update(
        state=PdfState.READY,
        content=content,
        sha256=digest,
        size=len(content),
        rendered_at=timezone.now(),
        render_seconds=seconds,
        failure="",
        # A draft prints the revision it was made from; the final one, the one issued.
        letter_revision=pdf.letter_revision if pdf.is_final else pdf.letter.revision,
    )
    if not stored:
        raise ValidationError("This PDF was made meanwhile; it is never replaced.")
    logger.info("letter PDF %s made in %.2f s (%d bytes)", pdf.pk, seconds, len(content))
    pdf.refresh_from_db()
    return pdf


def letter_pdf_may_download(*, pdf: LetterPdf, by: User) -> bool:
    """Whether ``by`` may download ``pdf``: by the rule the letter page lists them with,
    ``selectors.letter_pdfs_readable`` (R23, R29). One query."""
    letter = pdf.letter
    rights = _rights(by, letter.review, letter)
    return LetterPdf.objects.filter(
        selectors.letter_pdfs_readable(letter, rights), pk=pdf.pk, letter=letter
    ).exists()


@transaction.atomic
def letter_pdf_download(*, pdf: LetterPdf, by: User) -> bytes:
    """The bytes of the ready ``pdf`` for ``by``, the download recorded with who and
    when (R33). PermissionDenied for anyone who may not read it."""
    pdf = (
        LetterPdf.objects.defer("html")
        .select_related("letter__review__host__region")
        .get(pk=pdf.pk)
    )
    if pdf.state != PdfState.READY or not letter_pdf_may_download(pdf=pdf, by=by):
        raise PermissionDenied
    pdf.downloads.create(by=by, at=timezone.now())
    return bytes(pdf.content)
