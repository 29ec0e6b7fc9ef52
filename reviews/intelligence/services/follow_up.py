"""The host's reports of progress on agreed actions (R38)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from emslirp.models import User
from reviews.intelligence import permissions
from reviews.intelligence.models import ActionProgress, Progress
from reviews.intelligence.selectors.follow_up import (
    action_carried_into_review,
    action_carried_into_self_assessment,
)
from reviews.review.models import Review, ReviewState
from reviews.review.permissions import review_access
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentState
from reviews.self_assessment.permissions import self_assessment_access
from reviews.workbook.models import AgreedAction

COMMENTARY_MAX = 4000
# The desk analysis: from the review's planning until its visit starts.
DESK_ANALYSIS_STATES = (ReviewState.PLANNED, ReviewState.PREPARING, ReviewState.AGREED)


def _checked(status: str, commentary: str) -> tuple[str, str]:
    errors = {}
    if status not in Progress.values:
        errors["status"] = ["Say whether the action is done, in progress or not started."]
    commentary = (commentary or "").strip()
    if not commentary:
        errors["commentary"] = ["Say what has been done, or what stands in the way."]
    elif len(commentary) > COMMENTARY_MAX:
        errors["commentary"] = [
            f"Keep the commentary to {COMMENTARY_MAX} characters: it has {len(commentary)}."
        ]
    if errors:
        raise ValidationError(errors)
    return status, commentary


def action_progress_record(
    *,
    action: AgreedAction,
    status: str,
    commentary: str,
    by: User,
    self_assessment: SelfAssessment | None = None,
    review: Review | None = None,
) -> ActionProgress:
    """Record the host's report on an agreed action carried into ``self_assessment`` (by
    those who write it, until it is submitted) or into the desk analysis of ``review``
    (by a PCTR host's DCS or 2nd-tier lead, until the visit starts). Every report is
    kept; the latest is the action's state (R38). Exactly one of ``self_assessment`` and
    ``review`` is given."""
    if (self_assessment is None) == (review is None):
        raise ValueError("Give a self-assessment or a review, not both.")
    today = timezone.localdate()
    with transaction.atomic():
        if self_assessment is not None:
            # Locked, as its submission locks it: no report lands on a submitted one.
            self_assessment = (
                SelfAssessment.objects.select_for_update(of=("self",))
                .select_related("local_authority__region")
                .get(pk=self_assessment.pk)
            )
            access = self_assessment_access(by, self_assessment, on=today)
            if not permissions.sees_follow_up_in_self_assessment(access):
                raise PermissionDenied
            if self_assessment.state == SelfAssessmentState.SUBMITTED:
                raise ValidationError(
                    "This self-assessment is submitted: progress is reported in the next one."
                )
            if not permissions.records_follow_up_in_self_assessment(access):
                raise PermissionDenied
            carried = action_carried_into_self_assessment(
                self_assessment=self_assessment, pk=action.pk
            )
        else:
            review = (
                Review.objects.select_for_update(of=("self",))
                .select_related("host__region")
                .get(pk=review.pk)
            )
            if not permissions.records_follow_up_in_review(review_access(by, review, on=today)):
                raise PermissionDenied
            if review.state not in DESK_ANALYSIS_STATES:
                raise ValidationError(
                    "The visit has started: progress is reported in the desk analysis before it."
                )
            carried = action_carried_into_review(review=review, pk=action.pk)
        if carried is None:
            raise ValidationError("This action is not one carried into this record.")
        status, commentary = _checked(status, commentary)
        return ActionProgress.objects.create(
            action=carried,
            status=status,
            commentary=commentary,
            self_assessment=self_assessment,
            review=review,
            recorded_by=by,
            recorded_at=timezone.now(),
        )
