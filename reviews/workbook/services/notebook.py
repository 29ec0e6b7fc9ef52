"""Changes to the notebook (R21); the verbal feedback record and the emerging issues
(R22, R24) are written by ``verbal_feedback`` with the helpers here.

Each function asks ``reviews.workbook.permissions`` itself (PermissionDenied), checks the
rules its change must keep (ValidationError, at the field where there is one) and leaves the whole
change or none of it. Several reviewers write at once from laptops on site, so nobody's
words may be lost to another's save (R21):

- running notes are only ever added, one row each; a note sent again after a dropped
  connection carries the same ``client_key`` and is stored once;
- everything else that several people may change (the pre-visit notes, a finding, a
  hypothesis's report, the verbal feedback and its actions) carries a ``revision``. A save
  names the revision it was made on and goes through only if the row is still at it (a
  conditional UPDATE, which holds when two saves reach the database at once); otherwise
  ``RevisionConflict`` is raised with both versions, and nothing is saved.

The record closes as soon as the letter leaves draft (R23): once the QA proofreads it,
every action traced to its evidence, nothing the letter rests on may change under them
or under the host reading the shared draft. Each function that writes first locks the
review's row (``_review_locked``), inside its transaction, and only then reads the
letter's state; the letter's moves take the same lock, so a write and the letter leaving
draft never overlap. A letter the QA returns to draft opens the record again.

A conditional UPDATE sends no signal, so these functions write the history entry
themselves (R33); rows created or deleted are logged by the audit log's signals.
"""

import datetime
import random
import time
import uuid

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, models, transaction
from django.db.models import F
from django.utils import timezone

from emslirp.models import User
from reviews.review import permissions as review_permissions
from reviews.review.models import Review
from reviews.workbook import permissions
from reviews.workbook.models import (
    Finding,
    Hypothesis,
    HypothesisReport,
    Note,
    Notebook,
    Proposal,
)
from reviews.workbook.selectors import (
    WRITING_STATES,
    letter_state,
    pre_visit_writable,
    record_closed_message,
)

# Generous limits: a day's notes on one hypothesis fit, a pasted document does not.
NOTE_MAX = 10_000
PRE_VISIT_MAX = 20_000
FINDING_MAX = 4_000
EVIDENCE_MAX = 4_000
REPORT_MAX = 10_000
ACTION_MAX = 2_000
COMMENTARY_MAX = 4_000
EMERGING_MAX = 4_000
# SQLite's shared in-memory database (tests) and a busy development database refuse a
# writer at once; under load two writers can meet several times running.
_LOCKED_ATTEMPTS = 12
# A save that loses the race to the UPDATE looks again this many times in all.
_SAVE_ATTEMPTS = 3


class RevisionConflict(Exception):
    """A save made on a revision someone else has saved over since. Nothing was saved.

    ``mine`` is what the person sent, ``theirs`` what is stored now (both keyed by field),
    ``revision`` the stored revision to save on once they have merged, and ``saved_by``
    and ``saved_at`` who saved last and when, where the record keeps it."""

    def __init__(
        self,
        *,
        mine: dict,
        theirs: dict,
        revision: int,
        saved_by: User | None = None,
        saved_at: datetime.datetime | None = None,
    ):
        super().__init__(f"Saved over since; now at revision {revision}.")
        self.mine = mine
        self.theirs = theirs
        self.revision = revision
        self.saved_by = saved_by
        self.saved_at = saved_at


def _access(by: User, review: Review) -> review_permissions.ReviewAccess:
    return review_permissions.review_access(by, review, on=timezone.localdate())


def _review_locked(pk: int) -> Review:
    """The review, its row locked until the caller's transaction ends. Taken first by
    every write here, before the letter's state is read: the letter's moves take the same
    lock, so a write never lands after the letter has left draft (R23). Only the review's
    own row is locked, not its host's."""
    return Review.objects.select_for_update(of=("self",)).select_related("host__region").get(pk=pk)


# A key finding rests on evidence (R21): without it, no agreed action could trace to it.
EVIDENCE_REQUIRED = (
    "Say what the finding rests on: the cases, meetings or documents where it was seen or heard."
)


def _text(value: str, *, field: str, limit: int, required: str = "") -> str:
    """``value`` stripped, or ValidationError at ``field``: empty when ``required`` says
    what to write, or longer than ``limit``."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: required})
    if len(value) > limit:
        raise ValidationError(
            {field: f"This can be at most {limit:,} characters; it has {len(value):,}."}
        )
    return value


def _letter_check(review: Review) -> None:
    """ValidationError naming the letter's state once it has left draft (R23). Asked with
    the review locked."""
    closed = record_closed_message(letter_state(review))
    if closed:
        raise ValidationError(closed)


def _writing_check(review: Review) -> None:
    """ValidationError unless notes, findings, conclusions and the verbal feedback may be
    written now: the visit has started and the letter is still a draft (R21, R23). Asked
    with the review locked."""
    if review.state not in WRITING_STATES:
        raise ValidationError("The notebook is written once the visit has started.")
    _letter_check(review)


def _investigated_check(hypothesis: Hypothesis) -> None:
    if hypothesis.decision != Proposal.INVESTIGATE:
        raise ValidationError("This hypothesis is not one the review investigates.")


def _log_update(*, before: models.Model, values: dict, by: User) -> None:
    """The history entry of a conditional UPDATE of ``before``'s row with ``values``."""
    after = type(before)(
        **{f.attname: getattr(before, f.attname) for f in before._meta.concrete_fields}
    )
    for name, value in values.items():
        setattr(after, name, value)
    changes = model_instance_diff(before, after, fields_to_check=list(values))
    if changes:
        LogEntry.objects.log_create(after, action=LogEntry.Action.UPDATE, changes=changes, actor=by)


def _update_on_revision(
    instance: models.Model, *, revision: int, values: dict, by: User
) -> models.Model | None:
    """Write ``values`` to ``instance``'s row as revision ``revision + 1`` if the row is
    still at ``revision``, log it and return the row as saved; else None, with nothing
    changed. The database lets one of two saves from the same revision through."""
    model = type(instance)
    with transaction.atomic():
        saved = model.objects.filter(pk=instance.pk, revision=revision).update(
            **values, revision=F("revision") + 1
        )
        if not saved:
            return None
        _log_update(before=instance, values={**values, "revision": revision + 1}, by=by)
    return model.objects.get(pk=instance.pk)


# The notebook (R21) ---------------------------------------------------------------------


def notebook_pre_visit_save(*, review: Review, text: str, revision: int, by: User) -> Notebook:
    """Save the lead's pre-visit notes, prompts for the team on site (R21), on
    ``revision`` (0 when the page showed none yet). Only the lead writes them, from the
    agreement of the hypotheses until the visit ends, and not once the letter has left
    draft. A save overtaken by another raises ``RevisionConflict`` with both texts;
    saving what is already stored changes nothing."""
    with transaction.atomic():
        review = _review_locked(review.pk)
        if not permissions.notebook_rights(_access(by, review)).lead:
            raise PermissionDenied
        if not pre_visit_writable(review):
            raise ValidationError(
                "The pre-visit notes are written from the agreement of the hypotheses "
                "until the visit ends."
            )
        _letter_check(review)
        text = _text(text, field="pre_visit_notes", limit=PRE_VISIT_MAX)
        return _pre_visit_store(review=review, text=text, revision=revision, by=by)


def _pre_visit_store(*, review: Review, text: str, revision: int, by: User) -> Notebook:
    now = timezone.now()
    current = Notebook.objects.filter(review=review).first()
    if current is None and revision == 0:
        try:
            with transaction.atomic():
                return Notebook.objects.create(
                    review=review, pre_visit_notes=text, updated_by=by, updated_at=now
                )
        except IntegrityError:
            # Another save created it first: theirs is compared with this one below.
            current = Notebook.objects.get(review=review)
    if current is not None and current.revision == revision:
        saved = _update_on_revision(
            current,
            revision=revision,
            values={"pre_visit_notes": text, "updated_by_id": by.pk, "updated_at": now},
            by=by,
        )
        if saved is not None:
            return saved
        current = Notebook.objects.get(review=review)
    if current is None:
        raise ValidationError("The page was not made from this notebook: reload it.")
    if current.pre_visit_notes == text:
        return current
    raise RevisionConflict(
        mine={"pre_visit_notes": text},
        theirs={"pre_visit_notes": current.pre_visit_notes},
        revision=current.revision,
        saved_by=current.updated_by,
        saved_at=current.updated_at,
    )


def note_add(*, hypothesis: Hypothesis, text: str, client_key, by: User) -> Note:
    """Add a running note to an investigated hypothesis, tagged with its author and the
    time (R21). Notes are only ever inserted, so two reviewers saving at once both keep
    their words. ``client_key`` is made by the browser when the note is started: the same
    note sent again (a retry after a dropped connection) is stored once, and the stored
    note is returned, even once the record has closed. Any team member writing the
    notebook adds notes while the team is on site or after the visit, until the letter
    leaves draft (R23)."""
    for attempt in range(1, _LOCKED_ATTEMPTS + 1):
        try:
            sent = _note_store(hypothesis=hypothesis, text=text, client_key=client_key, by=by)
            break
        except OperationalError as error:
            # SQLite (development, and the tests' shared in-memory database) refuses a
            # write that meets another writer's open transaction at once ("locked")
            # rather than waiting for it. The whole transaction, lock and checks with
            # it, is safe to run again, the note's key storing it once; never inside a
            # caller's transaction.
            if "locked" not in str(error) or attempt == _LOCKED_ATTEMPTS:
                raise
            if transaction.get_connection().in_atomic_block:
                raise
            # A random wait: two writers that met must not retry in step and meet again.
            time.sleep(random.uniform(0.02, 0.08) * attempt)  # noqa: S311 (not for secrets)
    if sent.hypothesis_id != hypothesis.pk:
        raise ValidationError("This note was already saved on another hypothesis.")
    return sent


def _note_store(*, hypothesis: Hypothesis, text: str, client_key, by: User) -> Note:
    """One attempt of ``note_add``, in a transaction of its own: the note sent with
    ``client_key`` by ``by``, the one stored already, else inserted now."""
    with transaction.atomic():
        review = _review_locked(hypothesis.review_id)
        if not permissions.notebook_rights(_access(by, review)).write:
            raise PermissionDenied
        try:
            key = client_key if isinstance(client_key, uuid.UUID) else uuid.UUID(str(client_key))
        except ValueError:
            raise ValidationError("The note came without its key: reload the page.") from None
        sent = Note.objects.filter(author=by, client_key=key).first()
        if sent is not None:
            return sent  # stored already: its answer was lost on the way
        _writing_check(review)
        _investigated_check(hypothesis)
        text = _text(
            text, field="text", limit=NOTE_MAX, required="Write your note before saving it."
        )
        try:
            # A savepoint: a resend racing the first send loses on the unique constraint
            # without spoiling the transaction.
            with transaction.atomic():
                return Note.objects.create(
                    hypothesis=hypothesis,
                    author=by,
                    text=text,
                    client_key=key,
                    written_at=timezone.now(),
                )
        except IntegrityError:
            return Note.objects.get(author=by, client_key=key)


def finding_add(*, hypothesis: Hypothesis, text: str, evidence: str, by: User) -> Finding:
    """Record a key finding on an investigated hypothesis and the evidence it rests on
    (R21), written by any team member writing the notebook, until the letter leaves
    draft (R23)."""
    with transaction.atomic():
        review = _review_locked(hypothesis.review_id)
        if not permissions.notebook_rights(_access(by, review)).write:
            raise PermissionDenied
        _writing_check(review)
        _investigated_check(hypothesis)
        text = _text(text, field="text", limit=FINDING_MAX, required="Write the finding.")
        evidence = _text(evidence, field="evidence", limit=EVIDENCE_MAX, required=EVIDENCE_REQUIRED)
        now = timezone.now()
        return Finding.objects.create(
            hypothesis=hypothesis,
            text=text,
            evidence=evidence,
            written_by=by,
            written_at=now,
            updated_at=now,
        )


def finding_save(*, finding: Finding, text: str, evidence: str, revision: int, by: User) -> Finding:
    """Change a key finding and its evidence, on ``revision``. Its writer changes their
    own; the lead changes any (R21, R29), until the letter leaves draft: the evidence an
    agreed action traces to stays as the QA checked it (R23). A save overtaken by another
    raises ``RevisionConflict`` with both versions."""
    review_pk = Finding.objects.values_list("hypothesis__review", flat=True).get(pk=finding.pk)
    with transaction.atomic():
        review = _review_locked(review_pk)
        finding = Finding.objects.select_related("hypothesis").get(pk=finding.pk)
        return _finding_store(
            review=review,
            finding=finding,
            text=text,
            evidence=evidence,
            revision=revision,
            by=by,
        )


def _finding_store(
    *, review: Review, finding: Finding, text: str, evidence: str, revision: int, by: User
) -> Finding:
    rights = permissions.notebook_rights(_access(by, review))
    if not (rights.write and (rights.lead or finding.written_by_id == by.pk)):
        raise PermissionDenied
    _writing_check(review)
    mine = {
        "text": _text(text, field="text", limit=FINDING_MAX, required="Write the finding."),
        "evidence": _text(
            evidence, field="evidence", limit=EVIDENCE_MAX, required=EVIDENCE_REQUIRED
        ),
    }
    if finding.revision == revision:
        saved = _update_on_revision(
            finding, revision=revision, values={**mine, "updated_at": timezone.now()}, by=by
        )
        if saved is not None:
            return saved
        finding = Finding.objects.get(pk=finding.pk)
    theirs = {"text": finding.text, "evidence": finding.evidence}
    if theirs == mine:
        return finding
    raise RevisionConflict(
        mine=mine, theirs=theirs, revision=finding.revision, saved_at=finding.updated_at
    )


def _report_save(
    *, hypothesis: Hypothesis, values: dict, revision: int, by: User
) -> HypothesisReport:
    """Save ``values`` on the hypothesis's report, on ``revision`` (0 when there is none
    yet), or raise RevisionConflict with both versions of those fields.

    The report holds the team's conclusions and the lead's comments: a save overtaken
    only by saves of the other part (the fields it saves still empty) overwrites nobody's
    words, and goes through on the revision now stored."""
    now = timezone.now()
    for _attempt in range(_SAVE_ATTEMPTS):
        current = HypothesisReport.objects.filter(hypothesis=hypothesis).first()
        if current is None and revision == 0:
            try:
                with transaction.atomic():
                    return HypothesisReport.objects.create(
                        hypothesis=hypothesis, **values, updated_by=by, updated_at=now
                    )
            except IntegrityError:
                continue  # made meanwhile: compared with this save on the next round
        if current is None:
            raise ValidationError("The page was not made from this report: reload it.")
        theirs = {name: getattr(current, name) for name in values}
        if current.revision != revision:
            if theirs == values:
                return current
            if any(theirs.values()):
                raise RevisionConflict(
                    mine=values,
                    theirs=theirs,
                    revision=current.revision,
                    saved_by=current.updated_by,
                    saved_at=current.updated_at,
                )
        saved = _update_on_revision(
            current,
            revision=current.revision,
            values={**values, "updated_by_id": by.pk, "updated_at": now},
            by=by,
        )
        if saved is not None:
            return saved
        # Someone saved between the read and the UPDATE: look again at what they saved.
    raise ValidationError("The report is being saved by others just now: save again.")


def conclusions_save(
    *, hypothesis: Hypothesis, text: str, revision: int, by: User
) -> HypothesisReport:
    """Save the team's conclusions on an investigated hypothesis for reporting back (R21),
    on ``revision`` of its report (0 when it has none yet). Any team member writing the
    notebook saves them, until the letter leaves draft (R23); one overtaken by another's
    save raises ``RevisionConflict`` with both texts."""
    with transaction.atomic():
        review = _review_locked(hypothesis.review_id)
        if not permissions.notebook_rights(_access(by, review)).write:
            raise PermissionDenied
        _writing_check(review)
        _investigated_check(hypothesis)
        text = _text(text, field="conclusions", limit=REPORT_MAX)
        return _report_save(
            hypothesis=hypothesis, values={"conclusions": text}, revision=revision, by=by
        )
