"""Writes of the verbal feedback record (R22) and of the emerging issues shared with the
host (R24). Saves are checked against the revision the writer read, as the notebook's."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from emslirp.models import User
from emslirp.notices import email_after_commit
from reviews.review.models import Review
from reviews.self_assessment.selectors import (
    self_assessment_for_review,
    self_assessment_template_of,
)
from reviews.workbook import permissions
from reviews.workbook.models import (
    AgreedAction,
    EmergingIssue,
    Finding,
    Hypothesis,
    HypothesisReport,
    Proposal,
    TeamAreaView,
    VerbalFeedback,
)
from reviews.workbook.selectors import (
    WRITING_STATES,
    emerging_issue_recipients,
)
from reviews.workbook.services.notebook import (
    ACTION_MAX,
    COMMENTARY_MAX,
    EMERGING_MAX,
    REPORT_MAX,
    RevisionConflict,
    _access,
    _investigated_check,
    _log_update,
    _report_save,
    _review_locked,
    _text,
    _writing_check,
)

# The verbal feedback record (R22) ---------------------------------------------------------


def _feedback_rights(by: User, review: Review) -> permissions.FeedbackRights:
    given = VerbalFeedback.objects.filter(review=review, given_on__isnull=False).exists()
    return permissions.verbal_feedback_rights(_access(by, review), given=given)


def hypothesis_report_save(
    *,
    hypothesis: Hypothesis,
    lead_comments: str,
    host_comments: str,
    revision: int,
    by: User,
) -> HypothesisReport:
    """Save the lead's comments on an investigated hypothesis and the host's comments at
    the feedback (R22), on ``revision`` of its report (0 when it has none yet: it is made).
    Only the lead writes them, while the record is open: until the letter leaves draft,
    so that the host's comments stay as the host read them in the shared draft (R23)."""
    with transaction.atomic():
        review = _review_locked(hypothesis.review_id)
        if not _feedback_rights(by, review).write:
            raise PermissionDenied
        _writing_check(review)
        _investigated_check(hypothesis)
        values = {
            "lead_comments": _text(lead_comments, field="lead_comments", limit=REPORT_MAX),
            "host_comments": _text(host_comments, field="host_comments", limit=REPORT_MAX),
        }
        return _report_save(hypothesis=hypothesis, values=values, revision=revision, by=by)


def _feedback_lock(*, review: Review, revision: int, by: User, mine: dict, theirs) -> tuple:
    """Move the verbal feedback from ``revision`` to the next, making it at revision 1
    when ``revision`` is 0 and there is none: (feedback before, feedback after). Raises
    RevisionConflict, with ``mine`` and ``theirs(feedback)``, when someone saved since."""
    now = timezone.now()
    current = VerbalFeedback.objects.filter(review=review).first()
    if current is None and revision == 0:
        try:
            with transaction.atomic():
                made = VerbalFeedback.objects.create(review=review, recorded_by=by, recorded_at=now)
            return made, made
        except IntegrityError:
            current = VerbalFeedback.objects.get(review=review)
    if current is None:
        raise ValidationError("The page was not made from this record: reload it.")
    if current.revision == revision:
        saved = VerbalFeedback.objects.filter(pk=current.pk, revision=revision).update(
            revision=F("revision") + 1, recorded_by=by, recorded_at=now
        )
        if saved:
            return current, VerbalFeedback.objects.get(pk=current.pk)
        current = VerbalFeedback.objects.get(pk=current.pk)
    stored = theirs(current)
    if stored == mine:
        return current, current  # what was sent is what is stored: nothing to merge
    raise RevisionConflict(
        mine=mine,
        theirs=stored,
        revision=current.revision,
        saved_by=current.recorded_by,
        saved_at=current.recorded_at,
    )


def verbal_feedback_save(
    *, review: Review, given_on: datetime.date | None, revision: int, by: User
) -> VerbalFeedback:
    """Record the day the verbal feedback was given (R22), on ``revision`` of the record
    (0 when there is none yet). The lead records it, while the record is open (until the
    letter leaves draft, R23); it is not in the future nor before the first on-site day.
    From then the host's DCS and 2nd-tier lead read the record (R29)."""
    with transaction.atomic():
        review = _review_locked(review.pk)
        if not _feedback_rights(by, review).write:
            raise PermissionDenied
        _writing_check(review)
        return _given_on_store(review=review, given_on=given_on, revision=revision, by=by)


def _given_on_store(
    *, review: Review, given_on: datetime.date | None, revision: int, by: User
) -> VerbalFeedback:
    if given_on is not None:
        if given_on > timezone.localdate():
            raise ValidationError({"given_on": "The feedback cannot be given in the future."})
        if review.onsite_from is None or given_on < review.onsite_from:
            first = f" ({review.onsite_from:%-d %B %Y})" if review.onsite_from else ""
            raise ValidationError(
                {"given_on": f"The feedback is given on or after the first on-site day{first}."}
            )
    with transaction.atomic():
        before, after = _feedback_lock(
            review=review,
            revision=revision,
            by=by,
            mine={"given_on": given_on},
            theirs=lambda current: {"given_on": current.given_on},
        )
        if after.given_on != given_on:
            VerbalFeedback.objects.filter(pk=after.pk).update(given_on=given_on)
            _log_update(before=before, values={"given_on": given_on}, by=by)
            after.given_on = given_on
    return after


def _actions_of(review: Review) -> list[dict]:
    return [
        {
            "text": a.text,
            "host_agrees": a.host_agrees,
            "commentary": a.commentary,
            "is_priority": a.is_priority,
            "findings": sorted(f.pk for f in a.findings.all()),
        }
        for a in AgreedAction.objects.filter(review=review)
        .prefetch_related("findings")
        .order_by("number")
    ]


def agreed_actions_save(
    *, review: Review, actions: list[dict], revision: int, by: User
) -> list[AgreedAction]:
    """Replace the agreed actions with ``actions``, numbered 1, 2, … in order (R22), on
    ``revision`` of the verbal feedback record (0 when there is none yet). Each action
    has its ``text``, whether the host agrees it (``host_agrees``: True, False or None for
    not yet), ``commentary``, ``is_priority`` (stated in the letter) and the ``findings``
    (primary keys) of this review it answers, which the QA's proofreading traces (R23).
    Only the lead writes them, while the record is open: once the letter leaves draft
    neither the tracing the QA checked nor the host's agreement changes (R23). Actions
    keep their rows by number, so each one's history reads on (R33)."""
    with transaction.atomic():
        review = _review_locked(review.pk)
        if not _feedback_rights(by, review).write:
            raise PermissionDenied
        _writing_check(review)
        return _actions_store(review=review, actions=actions, revision=revision, by=by)


def _finding_pks(values) -> set[int] | None:
    """``values`` as a set of primary keys, or None if any of them is not one: a caller
    other than the form may send anything."""
    if isinstance(values, str | bytes) or not hasattr(values, "__iter__"):
        return None
    pks = set()
    for value in values:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            pks.add(value)
        elif isinstance(value, str) and value.strip().isdigit():
            pks.add(int(value.strip()))
        else:
            return None
    return pks


def _actions_store(
    *, review: Review, actions: list[dict], revision: int, by: User
) -> list[AgreedAction]:
    known = set(
        Finding.objects.filter(
            hypothesis__review=review, hypothesis__decision=Proposal.INVESTIGATE
        ).values_list("pk", flat=True)
    )
    clean, errors = [], {}
    for n, action in enumerate(actions, start=1):
        try:
            text = _text(
                action.get("text", ""),
                field=f"{n}-text",
                limit=ACTION_MAX,
                required="Write the action.",
            )
            commentary = _text(
                action.get("commentary", ""), field=f"{n}-commentary", limit=COMMENTARY_MAX
            )
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if action.get("host_agrees") not in (True, False, None):
            errors[f"{n}-host_agrees"] = ["Say whether the host agrees the action."]
        pks = _finding_pks(action.get("findings", []))
        if pks is None or not pks <= known:
            errors[f"{n}-findings"] = ["Choose findings of this review's hypotheses."]
        findings = sorted(pks or ())
        clean.append(
            {
                "text": text,
                "host_agrees": action.get("host_agrees"),
                "commentary": commentary,
                "is_priority": bool(action.get("is_priority")),
                "findings": findings,
            }
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _feedback_lock(
            review=review, revision=revision, by=by, mine={"actions": clean}, theirs=_theirs_actions
        )
        existing = {a.number: a for a in AgreedAction.objects.filter(review=review)}
        saved = []
        for n, values in enumerate(clean, start=1):
            findings = values.pop("findings")
            action = existing.pop(n, None)
            if action is None:
                action = AgreedAction.objects.create(review=review, number=n, **values)
            elif any(getattr(action, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(action, name, value)
                action.save(update_fields=list(values))
            action.findings.set(findings)
            saved.append(action)
        for action in existing.values():
            action.delete()
    return saved


def _theirs_actions(current: VerbalFeedback) -> dict:
    return {"actions": _actions_of(current.review)}


# The team's view of the areas (R39) --------------------------------------------------------


def team_views_save(*, review: Review, ratings: dict, by: User) -> dict[str, int]:
    """Record the team's own 1–4 view of each area of the self-assessment its hypotheses
    touched (R39): ``ratings`` maps every area key to 1–4, or None for "not looked at"
    (no row). Saving the same views again changes nothing. Only the lead writes them,
    while the verbal feedback record is open (until the letter leaves draft, R23).
    Returns the views now held."""
    with transaction.atomic():
        review = _review_locked(review.pk)
        if not _feedback_rights(by, review).write:
            raise PermissionDenied
        _writing_check(review)
        template = self_assessment_template_of(self_assessment_for_review(review))
        keys = [a["key"] for a in template.areas]
        values = {p["value"] for p in template.scale}
        errors = {}
        for key in ratings:
            if key not in keys:
                errors.setdefault("__all__", []).append("Rate the areas of the self-assessment.")
        for key in keys:
            rating = ratings.get(key)
            if rating is not None and (isinstance(rating, bool) or rating not in values):
                errors[key] = ["Choose a rating from 1 to 4, or say the area was not looked at."]
        if errors:
            raise ValidationError(errors)
        held = {v.area: v for v in TeamAreaView.objects.filter(review=review)}
        now = timezone.now()
        for key in keys:
            rating, view = ratings.get(key), held.get(key)
            if rating is None:
                if view is not None:
                    view.delete()
            elif view is None:
                TeamAreaView.objects.create(
                    review=review, area=key, rating=rating, recorded_by=by, recorded_at=now
                )
            elif view.rating != rating:
                view.rating, view.recorded_by, view.recorded_at = rating, by, now
                view.save(update_fields=["rating", "recorded_by", "recorded_at"])
        return dict(TeamAreaView.objects.filter(review=review).values_list("area", "rating"))


# Emerging issues (R24) ---------------------------------------------------------------------


def emerging_issue_share(*, review: Review, text: str, by: User) -> EmergingIssue:
    """Share an emerging issue with the host before the verbal feedback, so that nothing
    in it comes as a surprise (R24). Only the lead shares, once the visit has started and
    until the feedback is given. The host's DCS and 2nd-tier lead are e-mailed that an
    issue was shared, once it is committed, and nobody else; the e-mail says where to
    read it and carries none of its words. The review is locked first, as the record of
    the feedback's date locks it, so no issue is shared after the feedback is given."""
    with transaction.atomic():
        review = _review_locked(review.pk)
        if not permissions.notebook_rights(_access(by, review)).share_emerging:
            raise PermissionDenied
        if review.state not in WRITING_STATES:
            raise ValidationError("Emerging issues are shared once the visit has started.")
        if VerbalFeedback.objects.filter(review=review, given_on__isnull=False).exists():
            raise ValidationError(
                "The verbal feedback has been given: what emerged is in its record now."
            )
        text = _text(
            text, field="text", limit=EMERGING_MAX, required="Write the issue you are sharing."
        )
        issue = EmergingIssue.objects.create(
            review=review, text=text, shared_by=by, shared_at=timezone.now()
        )
        recipients = emerging_issue_recipients(review, on=timezone.localdate())
        email_after_commit(
            template="reviews/email/emerging_issue.txt",
            subject=f"An emerging issue from the review of {review.host}",
            to=[p.email for p in recipients],
            context={
                "review": review,
                "by": by,
                "url": reverse("reviews:emerging_issues", args=[review.pk]),
            },
        )
    return issue
