"""Reads of the agreed actions followed up (R38) and of an LA's self-awareness (R39).

An agreed action (one the host agreed) of a final letter is carried into the host's
self-assessments started after the letter was issued, and into the desk analysis of its
reviews that start after the letter's review. Each read is a fixed number of queries,
however many actions, reports and reviews there are."""

import dataclasses

from django.db.models import Prefetch

from emslirp.models import LocalAuthority
from reviews.intelligence.models import ActionProgress
from reviews.letter.models import LetterState
from reviews.review.models import Review
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentState
from reviews.self_assessment.selectors import (
    self_assessment_for_review_among,
    self_assessment_template_of,
)
from reviews.workbook.models import AgreedAction, TeamAreaView
from reviews.workbook.selectors import TeamViews, team_views_of


@dataclasses.dataclass(frozen=True)
class FollowedAction:
    """An agreed action of a final letter, with every report of its progress, oldest
    first; the latest is its state."""

    action: AgreedAction
    history: list[ActionProgress]

    @property
    def latest(self) -> ActionProgress | None:
        return self.history[-1] if self.history else None


def _agreed_of_final_letters(*, also_in: SelfAssessment | None = None):
    return (
        AgreedAction.objects.filter(host_agrees=True, review__letter__state=LetterState.FINAL)
        .select_related("review__letter", "review__host")
        .prefetch_related(
            Prefetch(
                "progress",
                queryset=ActionProgress.objects.shared(also_in=also_in)
                .select_related("recorded_by", "self_assessment", "review")
                .order_by("recorded_at", "pk"),
            )
        )
        .order_by("review__starts_on", "review_id", "number")
    )


def _followed(actions) -> list[FollowedAction]:
    return [FollowedAction(action=a, history=list(a.progress.all())) for a in actions]


def actions_carried_into_self_assessment(self_assessment: SelfAssessment) -> list[FollowedAction]:
    """The agreed actions of the LA's final letters issued before the self-assessment was
    started. Two queries."""
    return _followed(
        _agreed_of_final_letters(also_in=self_assessment).filter(
            review__host_id=self_assessment.local_authority_id,
            review__letter__issued_at__lt=self_assessment.started_at,
        )
    )


def actions_carried_into_review(review: Review) -> list[FollowedAction]:
    """The agreed actions of the final letters of the host's reviews that started before
    this one. Two queries."""
    return _followed(
        _agreed_of_final_letters()
        .filter(review__host_id=review.host_id, review__starts_on__lt=review.starts_on)
        .exclude(review_id=review.pk)
    )


def action_carried_into_self_assessment(
    *, self_assessment: SelfAssessment, pk
) -> AgreedAction | None:
    return (
        AgreedAction.objects.filter(
            pk=pk,
            host_agrees=True,
            review__letter__state=LetterState.FINAL,
            review__host_id=self_assessment.local_authority_id,
            review__letter__issued_at__lt=self_assessment.started_at,
        ).first()
        if str(pk).isdigit()
        else None
    )


def action_carried_into_review(*, review: Review, pk) -> AgreedAction | None:
    return (
        AgreedAction.objects.filter(
            pk=pk,
            host_agrees=True,
            review__letter__state=LetterState.FINAL,
            review__host_id=review.host_id,
            review__starts_on__lt=review.starts_on,
        )
        .exclude(review_id=review.pk)
        .first()
        if str(pk).isdigit()
        else None
    )


@dataclasses.dataclass(frozen=True)
class ReviewSelfAwareness:
    review: Review
    views: TeamViews


def self_awareness_of(local_authority: LocalAuthority) -> list[ReviewSelfAwareness]:
    """Review by review, oldest first, the LA's self-rating of each area beside the
    team's view at the verbal feedback (R39), for the reviews whose letter is final: the
    team's view reaches the host with the verbal feedback record, and is settled once the
    letter leaves draft. Four queries, however many reviews."""
    reviews = list(
        Review.objects.filter(host=local_authority, letter__state=LetterState.FINAL).order_by(
            "starts_on", "pk"
        )
    )
    if not reviews:
        return []
    self_assessments = list(
        SelfAssessment.objects.filter(
            local_authority=local_authority, state=SelfAssessmentState.SUBMITTED
        ).select_related("template")
    )
    ratings: dict[int, dict[str, int]] = {r.pk: {} for r in reviews}
    for review_id, area, rating in TeamAreaView.objects.filter(review__in=reviews).values_list(
        "review_id", "area", "rating"
    ):
        ratings[review_id][area] = rating
    latest = None
    shown = []
    for review in reviews:
        self_assessment = self_assessment_for_review_among(self_assessments, review)
        if self_assessment is not None:
            template = self_assessment.template
        else:
            latest = latest or self_assessment_template_of(None)
            template = latest
        shown.append(
            ReviewSelfAwareness(
                review=review,
                views=team_views_of(
                    self_assessment=self_assessment,
                    template=template,
                    ratings=ratings[review.pk],
                ),
            )
        )
    return shown
