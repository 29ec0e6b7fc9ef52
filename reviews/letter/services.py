"""Changes to the feedback letter (R23, R29, R33); its issue and its PDFs are in ``pdf``.

One function per step of the letter's flow: drafted by the lead from the region's
template and the verbal feedback record, changed by the lead while a draft, sent to the
QA, proofread (approved, or returned with comments), shared with the host as a draft,
issued final by the lead. Each asks ``reviews.letter.permissions.letter_rights`` itself,
moves the letter only from the state it names (a conditional UPDATE, so two clicks at once
make one step), writes a ``LetterEvent`` and tells whoever is next by e-mail once the
change commits. Nothing changes a final letter, and nothing replaces its PDF.

PDFs are made by the worker (``reviews.tasks``): a request only records that one is
wanted. The final PDF is made once, when the letter is issued, and kept with its SHA-256;
its HTML is rendered in the issue's own transaction and kept, so that the worker prints
the records as they stood when the letter was signed off, however late it runs.
"""

import logging

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from emslirp.models import User
from emslirp.notices import email_after_commit
from reviews.letter import permissions, selectors
from reviews.letter.models import (
    Letter,
    LetterComment,
    LetterEvent,
    LetterState,
    UntracedActionReason,
)
from reviews.letter.placeholders import placeholders_fill
from reviews.review import permissions as review_permissions
from reviews.review.models import Review, TeamRole
from reviews.review.selectors import team_in
from reviews.workbook.feedback_record import verbal_feedback_record
from reviews.workbook.models import VerbalFeedback

logger = logging.getLogger(__name__)
SUBJECT_MAX = Letter._meta.get_field("subject").max_length
FINAL_NEVER_CHANGES = "The letter is final: it never changes once issued."


class LetterConflict(Exception):
    """A save of the draft based on ``base_revision``, which a later save has overtaken.
    Nothing was saved; ``content`` is what the person sent, to be kept on their page."""

    def __init__(self, *, base_revision: int, content: dict):
        super().__init__(f"Saved over since revision {base_revision}.")
        self.base_revision = base_revision
        self.content = content


def _rights(user: User, review: Review, letter: Letter | None) -> permissions.LetterRights:
    access = review_permissions.review_access(user, review, on=timezone.localdate())
    state = letter.state if letter is not None else None
    return permissions.letter_rights(
        access,
        shared=state in (LetterState.SHARED, LetterState.FINAL),
        final=state == LetterState.FINAL,
    )


def _load(letter: Letter) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("review__host__region", "issued_by", "approved_by", "drafted_by")
        .get(pk=letter.pk)
    )


def _event(*, letter: Letter, before: str, after: str, by: User, at, comment: str = "") -> None:
    LetterEvent.objects.create(
        letter=letter, before=before, after=after, by=by, at=at, comment=comment
    )


def _log(*, before: Letter, after: Letter, by: User) -> None:
    # A conditional UPDATE sends no signal: the history entry is written here (R33).
    changes = model_instance_diff(before, after)
    if changes:
        LogEntry.objects.log_create(after, action=LogEntry.Action.UPDATE, changes=changes, actor=by)


def _url(review: Review) -> str:
    return reverse("reviews:letter", args=[review.pk])


def _notify(*, letter: Letter, to: list[User], subject: str, template: str, context=None):
    review = letter.review
    email_after_commit(
        template=f"reviews/email/letter_{template}.txt",
        subject=subject,
        to=[p.email for p in to],
        context={
            **(context or {}),
            "review": review,
            "letter": letter,
            "due_on": selectors.letter_due_on(review),
            "url": _url(review),
        },
    )


def _state_label(state: str) -> str:
    # Only the first letter is lowered: "with the QA to proofread", not "qa".
    label = LetterState(state).label
    return label[:1].lower() + label[1:]


def _refuse_misstatement(letter: Letter) -> None:
    """ValidationError if the letter lists an action the host did not agree under a
    heading that calls it agreed (R22, R23): it is corrected before it goes further."""
    misstated = selectors.letter_misstated_actions(
        body=letter.body, record=verbal_feedback_record(letter.review)
    )
    if misstated:
        numbers = " and ".join(str(a.number) for a in misstated)
        them = "it" if len(misstated) == 1 else "them"
        raise ValidationError(
            f"The letter lists action {numbers} as agreed, but the council did not agree "
            f"{them} at the verbal feedback. Say so in the letter before it goes further."
        )


def _move(
    *,
    letter: Letter,
    by: User,
    before: str,
    after: str,
    may: str,
    values: dict | None = None,
    comment: str = "",
    revision: int | None = None,
) -> Letter:
    """Move ``letter`` from ``before`` to ``after`` for ``by``, who needs the right named
    ``may``; set ``values`` with it. PermissionDenied, or ValidationError if the letter is
    not (or no longer) in ``before``. Runs inside the caller's transaction.

    The review's row is locked first, as the notebook's writes lock it: a move closes or
    reopens their record, so the two never interleave (and always lock in that order)."""
    Review.objects.select_for_update(of=("self",)).get(pk=letter.review_id)
    letter = _load(letter)
    if not getattr(_rights(by, letter.review, letter), may):
        raise PermissionDenied
    if letter.state == LetterState.FINAL:
        raise ValidationError(FINAL_NEVER_CHANGES)
    if letter.state != before:
        raise ValidationError(
            f"The letter is {_state_label(letter.state)}: this step needs it "
            f"{_state_label(before)}. Reload the page to see where it is."
        )
    now = timezone.now()
    values = {**(values or {}), "updated_at": now}
    match = {"pk": letter.pk, "state": before}
    if revision is not None:
        match["revision"] = revision
    # The conditional UPDATE is the lock: of two steps from the same state, one moves it.
    if not Letter.objects.filter(**match).update(state=after, **values):
        raise ValidationError("The letter changed meanwhile. Reload the page to see it.")
    moved = _load(letter)
    _event(letter=moved, before=before, after=after, by=by, at=now, comment=comment)
    _log(before=letter, after=moved, by=by)
    return moved


# Drafting and changing the draft --------------------------------------------------------


@transaction.atomic
def letter_draft(*, review: Review, by: User) -> Letter:
    """Draft the review's letter from the region's template for its kind, the
    placeholders filled from the records: the host's DCS in post today, the host LA, the
    on-site days, the priority actions of the verbal feedback, the lead's name and post
    (R23). The lead drafts it, once the verbal feedback has been given, and only once."""
    review = Review.objects.select_related("host__region").get(pk=review.pk)
    if not _rights(by, review, None).write:
        raise PermissionDenied
    if Letter.objects.filter(review=review).exists():
        raise ValidationError("The letter is drafted already.")
    feedback = VerbalFeedback.objects.filter(review=review).first()
    if feedback is None or feedback.given_on is None:
        raise ValidationError(
            "The letter is drafted once the verbal feedback has been given and its date recorded."
        )
    if review.onsite_to is None:
        raise ValidationError("The on-site days are not set: the letter names them.")
    template = selectors.letter_template_of(review)
    if template is None:
        raise ValidationError(
            f"The region has no letter template for a {review.get_kind_display()}: "
            "ask the coordinator to add one."
        )
    values = selectors.letter_placeholder_values(
        review=review, record=verbal_feedback_record(review), on=timezone.localdate()
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                review=review,
                subject=placeholders_fill(template.subject, values)[:SUBJECT_MAX],
                body=placeholders_fill(template.body, values),
                drafted_by=by,
                drafted_at=now,
                updated_at=now,
            )
    except IntegrityError:
        # Drafted by a second click between the check and the insert: one letter stays.
        raise ValidationError("The letter is drafted already.") from None
    _event(
        letter=letter,
        before=LetterState.DRAFT,
        after=LetterState.DRAFT,
        by=by,
        at=now,
        comment=f"Drafted from the region's {review.get_kind_display()} letter template.",
    )
    return letter


def letter_content_check(*, subject: str, body: str, variations: str) -> dict:
    """The draft's words as they are saved, or ValidationError at each field."""
    errors = {}
    subject = " ".join(subject.split())
    if not subject:
        errors["subject"] = "Write the letter's subject."
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = (
            f"The subject can be at most {SUBJECT_MAX} characters; it has {len(subject)}."
        )
    body = body.replace("\r\n", "\n").strip()
    if not body:
        errors["body"] = "Write the letter."
    if errors:
        raise ValidationError(errors)
    return {
        "subject": subject,
        "body": body,
        "variations": variations.replace("\r\n", "\n").strip(),
    }


@transaction.atomic
def letter_update(
    *, letter: Letter, subject: str, body: str, variations: str, revision: int, by: User
) -> Letter:
    """Save the draft's subject, body and the variation between team members' findings
    (R23), as the lead's page showed it at ``revision``. Only the lead, only while a draft.
    A save based on an older revision than the letter's is refused with
    ``LetterConflict``, nothing saved and the words sent kept on the exception."""
    current = _load(letter)
    if not _rights(by, current.review, current).write:
        raise PermissionDenied
    if current.state != LetterState.DRAFT:
        raise ValidationError(
            FINAL_NEVER_CHANGES
            if current.is_final
            else f"The letter is {_state_label(current.state)}: only a draft is changed."
        )
    content = letter_content_check(subject=subject, body=body, variations=variations)
    if revision != current.revision:
        raise LetterConflict(base_revision=revision, content=content)
    if all(getattr(current, k) == v for k, v in content.items()):
        return current
    now = timezone.now()
    saved = Letter.objects.filter(pk=current.pk, revision=revision, state=LetterState.DRAFT).update(
        **content, revision=F("revision") + 1, updated_at=now
    )
    if not saved:
        raise LetterConflict(base_revision=revision, content=content)
    after = _load(current)
    _event(
        letter=after,
        before=LetterState.DRAFT,
        after=LetterState.DRAFT,
        by=by,
        at=now,
        comment=f"Changed the draft (revision {after.revision}).",
    )
    _log(before=current, after=after, by=by)
    return after


# The flow -------------------------------------------------------------------------------


@transaction.atomic
def letter_send_to_qa(*, letter: Letter, by: User, revision: int | None = None) -> Letter:
    """The lead sends the draft to the QA to proofread (R23); the QA is told. With
    ``revision``, only if the draft is still at it."""
    moved = _move(
        letter=letter,
        by=by,
        before=LetterState.DRAFT,
        after=LetterState.WITH_QA,
        may="write",
        revision=revision,
    )
    qa = team_in(moved.review, TeamRole.QA)
    if not qa:
        raise ValidationError("The review has no QA to proofread the letter.")
    _notify(
        letter=moved,
        to=qa,
        subject=f"Please proofread the feedback letter to {moved.review.host}",
        template="with_qa",
        context={"by": by},
    )
    return moved


UNTRACED_REASON_FIELD = "untraced_{}"


def _untraced_reasons_keep(*, letter: Letter, reasons: dict[int, str], by: User, at) -> None:
    """Keep the QA's reason for each action resting on no recorded evidence, or raise
    ValidationError at the field of each that has none (R23). Runs in the approval's
    transaction, after the move: a refusal leaves the letter with the QA."""
    untraced = verbal_feedback_record(letter.review).untraced
    given = {n: " ".join((reasons.get(n) or "").split()) for n in (a.number for a in untraced)}
    missing = {
        UNTRACED_REASON_FIELD.format(a.number): (
            f"Say why action {a.number} may stand without recorded evidence, or return the draft."
        )
        for a in untraced
        if not given[a.number]
    }
    if missing:
        raise ValidationError(missing)
    UntracedActionReason.objects.filter(letter=letter).delete()
    UntracedActionReason.objects.bulk_create(
        UntracedActionReason(
            letter=letter, action=a, reason=given[a.number], given_by=by, given_at=at
        )
        for a in untraced
    )


@transaction.atomic
def letter_proofread(
    *,
    letter: Letter,
    approve: bool,
    comments: str,
    by: User,
    untraced_reasons: dict[int, str] | None = None,
) -> Letter:
    """The QA's proofreading (R23): approve the draft, or return it to the lead with
    comments, which are then required. Actions that trace to no recorded evidence are
    shown first on the QA's page; approving with any of them needs a reason for each
    (``untraced_reasons``, by action number), kept and shown to the lead. The lead is
    told."""
    comments = comments.replace("\r\n", "\n").strip()
    if not approve and not comments:
        # Asked before the state so the message goes to the field; the rights first.
        current = _load(letter)
        if not _rights(by, current.review, current).proofread:
            raise PermissionDenied
        raise ValidationError({"comments": "Say what the lead should change."})
    now = timezone.now()
    if approve:
        moved = _move(
            letter=letter,
            by=by,
            before=LetterState.WITH_QA,
            after=LetterState.APPROVED,
            may="proofread",
            values={"approved_by": by, "approved_at": now, "qa_comments": comments},
            comment=comments,
        )
        _untraced_reasons_keep(letter=moved, reasons=untraced_reasons or {}, by=by, at=now)
    else:
        moved = _move(
            letter=letter,
            by=by,
            before=LetterState.WITH_QA,
            after=LetterState.DRAFT,
            may="proofread",
            values={"qa_comments": comments},
            comment=comments,
        )
    _notify(
        letter=moved,
        to=team_in(moved.review, TeamRole.LEAD),
        subject=(
            f"The QA approved the feedback letter to {moved.review.host}"
            if approve
            else f"The QA returned the feedback letter to {moved.review.host}"
        ),
        template="approved" if approve else "returned",
        context={"by": by, "comments": comments},
    )
    return moved


@transaction.atomic
def letter_share(*, letter: Letter, by: User) -> Letter:
    """The lead shares the approved draft with the host (R23): from now on the host's DCS
    and 2nd-tier lead read it, and they are told."""
    moved = _move(
        letter=letter,
        by=by,
        before=LetterState.APPROVED,
        after=LetterState.SHARED,
        may="write",
        values={"shared_at": timezone.now()},
    )
    _refuse_misstatement(moved)
    review = moved.review
    _notify(
        letter=moved,
        to=selectors.letter_recipients_host(review, on=timezone.localdate()),
        subject=f"The draft feedback letter of the {review.get_kind_display()} is ready to read",
        template="shared",
        context={"by": by},
    )
    return moved


COMMENT_MAX = 5000


@transaction.atomic
def letter_comment(*, letter: Letter, text: str, by: User) -> LetterComment:
    """The host's DCS comments on the draft shared with them (R23, R24): kept with the
    revision they read, and the lead is told. Until the letter is final."""
    Review.objects.select_for_update(of=("self",)).get(pk=letter.review_id)
    letter = _load(letter)
    if not _rights(by, letter.review, letter).comment:
        raise PermissionDenied
    if letter.state != LetterState.SHARED:
        raise ValidationError(
            {
                "text": "The draft is no longer shared with you: it is "
                f"{_state_label(letter.state)}. Your comment is shown below to copy."
            }
        )
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": "Write your comment on the draft."})
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            {"text": f"A comment can be at most {COMMENT_MAX:,} characters; it has {len(text):,}."}
        )
    comment = LetterComment.objects.create(
        letter=letter, letter_revision=letter.revision, text=text, by=by, at=timezone.now()
    )
    _notify(
        letter=letter,
        to=team_in(letter.review, TeamRole.LEAD),
        subject=f"The host has commented on the draft feedback letter to {letter.review.host}",
        template="commented",
        context={"by": by},
    )
    return comment


@transaction.atomic
def letter_reopen(*, letter: Letter, by: User) -> Letter:
    """The lead takes the shared draft back to change it, say in answer to the host's
    comments (R23): it goes to the QA again, and is shared again before it is final."""
    return _move(
        letter=letter,
        by=by,
        before=LetterState.SHARED,
        after=LetterState.DRAFT,
        may="write",
        comment="Taken back to change after sharing.",
    )
