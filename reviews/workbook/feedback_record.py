"""The verbal feedback record (R22), assembled when it is read from what the notebook and
the feedback hold, never copied: the investigated hypotheses with their methods, key
findings and evidence, conclusions, the lead's and the host's comments, and the agreed
actions, each traced to the findings it answers (R23's proofreading).

The verbal feedback page, the letter and its PDF all read it through
``verbal_feedback_record``.
"""

import dataclasses
import datetime

from django.db.models import Prefetch

from reviews.review.models import Review
from reviews.workbook.models import (
    AgreedAction,
    Finding,
    Hypothesis,
    HypothesisReport,
    Proposal,
    VerbalFeedback,
)


@dataclasses.dataclass(frozen=True)
class HypothesisRecord:
    hypothesis: Hypothesis
    methods: list[str]
    findings: list[Finding]
    report: HypothesisReport | None

    @property
    def conclusions(self) -> str:
        return self.report.conclusions if self.report else ""

    @property
    def lead_comments(self) -> str:
        return self.report.lead_comments if self.report else ""

    @property
    def host_comments(self) -> str:
        return self.report.host_comments if self.report else ""


@dataclasses.dataclass(frozen=True)
class ActionRecord:
    action: AgreedAction
    findings: list[Finding]  # the findings it answers, with their evidence

    @property
    def evidenced(self) -> list[Finding]:
        return [f for f in self.findings if f.evidence.strip()]

    @property
    def traced(self) -> bool:
        """It answers at least one finding that has recorded evidence (R23)."""
        return bool(self.evidenced)


@dataclasses.dataclass(frozen=True)
class FeedbackRecord:
    review: Review
    feedback: VerbalFeedback | None
    hypotheses: list[HypothesisRecord]
    actions: list[ActionRecord]

    @property
    def given_on(self) -> datetime.date | None:
        return self.feedback.given_on if self.feedback else None

    @property
    def priority_actions(self) -> list[AgreedAction]:
        return [a.action for a in self.actions if a.action.is_priority]

    @property
    def untraced(self) -> list[AgreedAction]:
        """The actions the QA is shown as resting on no recorded evidence."""
        return [a.action for a in self.actions if not a.traced]


def verbal_feedback_record(review: Review) -> FeedbackRecord:
    """Five queries, however many hypotheses, findings and actions: the feedback, the
    investigated hypotheses with their reports, their methods, their findings, and the
    actions with the findings they answer."""
    feedback = VerbalFeedback.objects.filter(review=review).first()
    hypotheses = list(
        Hypothesis.objects.filter(review=review, decision=Proposal.INVESTIGATE)
        .select_related("report")
        .prefetch_related(
            "methods", Prefetch("findings", queryset=Finding.objects.order_by("written_at", "pk"))
        )
        .order_by("number")
    )
    actions = list(
        AgreedAction.objects.filter(review=review)
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("hypothesis").order_by(
                    "hypothesis__number", "written_at", "pk"
                ),
            )
        )
        .order_by("number")
    )
    return FeedbackRecord(
        review=review,
        feedback=feedback,
        hypotheses=[
            HypothesisRecord(
                hypothesis=h,
                methods=[m.text for m in h.methods.all()],
                findings=list(h.findings.all()),
                report=getattr(h, "report", None),
            )
            for h in hypotheses
        ],
        actions=[ActionRecord(action=a, findings=list(a.findings.all())) for a in actions],
    )
