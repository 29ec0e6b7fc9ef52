"""Every action traced (R40): one agreed action followed back through the findings it
answers and their evidence, the methods and hypotheses behind them, to the key weakness or
key line of enquiry of the host's self-assessment each hypothesis rests on; and forward
to the host's reports of progress on it (R38). Each broken link is named in words.

Who may read a trace is ``reviews.letter.permissions.action_trace_readable``; nothing here
checks it. The reads are a fixed number of queries however many findings, hypotheses,
methods and reports there are (pinned in the tests).
"""

import dataclasses

from django.db.models import Prefetch
from django.utils.text import Truncator

from reviews.intelligence.models import ActionProgress
from reviews.letter.models import Letter, LetterState
from reviews.review.models import Review, ReviewKind, ReviewState
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentState
from reviews.workbook.models import AgreedAction, Finding, Hypothesis, Method

# A later review counts as the moment progress should have been reported once its desk
# analysis is under way. Only a PCTR counts: a SAV is unannounced, and a trace read by
# the team of this review must not tell them that another LA's SAV happened or is coming
# (R30).
LATER_REVIEW_STATES = (
    ReviewState.PREPARING,
    ReviewState.AGREED,
    ReviewState.ON_SITE,
    ReviewState.AFTER_VISIT,
)


@dataclasses.dataclass(frozen=True)
class BrokenLink:
    """A link missing from the chain: where it is on the page, and what is missing."""

    anchor: str
    words: str


@dataclasses.dataclass(frozen=True)
class TracedHypothesis:
    """A hypothesis behind the action: where it came from, its methods, and those of the
    action's findings that were made on it."""

    hypothesis: Hypothesis
    methods: list[Method]
    findings: list[Finding]

    @property
    def anchor(self) -> str:
        return f"hypothesis-{self.hypothesis.number}"


@dataclasses.dataclass(frozen=True)
class ProgressReport:
    """One report of the host's progress on the action, and where it was reported."""

    progress: ActionProgress
    where: str


@dataclasses.dataclass(frozen=True)
class ActionTrace:
    action: AgreedAction
    review: Review
    letter: Letter | None
    hypotheses: list[TracedHypothesis]
    follow_up: list[ProgressReport]  # latest first
    later: str  # what the LA has had since the letter, in words; empty if nothing yet
    broken: list[BrokenLink]

    @property
    def findings(self) -> list[Finding]:
        return [f for h in self.hypotheses for f in h.findings]


def trace_action_get(pk: int) -> AgreedAction | None:
    """The agreed action ``pk`` with its review, the review's host and region, and its
    letter if drafted (``trace_letter``); None if there is no such action. One query."""
    return (
        AgreedAction.objects.select_related("review__host__region", "review__letter")
        .filter(pk=pk)
        .first()
    )


def trace_letter(action: AgreedAction) -> Letter | None:
    """The letter of ``action``'s review, or None before it is drafted. No query after
    ``trace_action_get``."""
    try:
        return action.review.letter
    except Letter.DoesNotExist:
        return None


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(80)


def _where(progress: ActionProgress) -> str:
    """Where a report was made, in words. A report made in the desk analysis of a SAV
    does not name it (R30): the people reading this trace may not know of that visit."""
    if progress.self_assessment is not None:
        return f"In the {progress.self_assessment.year} self-assessment"
    later = progress.review
    if later is not None and later.kind == ReviewKind.PCTR:
        return f"In the desk analysis of the {later.get_kind_display()} of {later.starts_on:%B %Y}"
    return ""


def _later(review: Review, letter: Letter | None) -> str:
    """What the host LA has had since the letter was issued, at which progress on an
    agreed action is reported (R38): a self-assessment submitted since, or a later PCTR
    whose desk analysis is under way; empty if neither, or if the letter is not final.
    Two queries once the letter is final, none before."""
    if letter is None or letter.state != LetterState.FINAL:
        return ""
    self_assessment = (
        SelfAssessment.objects.filter(
            local_authority_id=review.host_id,
            state=SelfAssessmentState.SUBMITTED,
            submitted_at__gt=letter.issued_at,
        )
        .order_by("submitted_at", "pk")
        .values_list("year", flat=True)
        .first()
    )
    later_review = (
        Review.objects.filter(
            host_id=review.host_id,
            kind=ReviewKind.PCTR,
            starts_on__gt=review.starts_on,
            state__in=LATER_REVIEW_STATES,
        )
        .exclude(pk=review.pk)
        .order_by("starts_on", "pk")
        .first()
    )
    if self_assessment is not None:
        return f"its {self_assessment} self-assessment"
    if later_review is not None:
        return f"a {later_review.get_kind_display()} from {later_review.starts_on:%B %Y}"
    return ""


def action_trace(action: AgreedAction) -> ActionTrace:
    """The chain behind and after ``action`` (as ``trace_action_get`` gives it), and
    its broken links in words: an action resting on no finding, a finding with no
    evidence, a hypothesis with no method, a hypothesis linked to no key weakness or key
    line of enquiry, and an agreed action of a final letter with no progress reported
    once the LA has submitted a self-assessment or begun a later PCTR since (R38, R40).
    Three queries (findings with their hypotheses, the methods, the reports) before the
    letter is final, five once it is (a later self-assessment, a later PCTR), after
    ``trace_action_get``'s one."""
    review = action.review
    letter = trace_letter(action)
    findings = list(
        Finding.objects.filter(actions=action)
        .select_related("hypothesis")
        .prefetch_related(
            Prefetch("hypothesis__methods", queryset=Method.objects.order_by("number"))
        )
        .order_by("hypothesis__number", "written_at", "pk")
    )
    follow_up = [
        ProgressReport(progress=p, where=_where(p))
        for p in ActionProgress.objects.shared()
        .filter(action=action)
        .select_related("recorded_by", "self_assessment", "review")
        .order_by("-recorded_at", "-pk")
    ]
    later = _later(review, letter)

    hypotheses: dict[int, TracedHypothesis] = {}
    for finding in findings:
        h = finding.hypothesis
        if h.pk not in hypotheses:
            hypotheses[h.pk] = TracedHypothesis(
                hypothesis=h, methods=list(h.methods.all()), findings=[]
            )
        hypotheses[h.pk].findings.append(finding)
    traced = list(hypotheses.values())

    broken = []
    if not findings:
        broken.append(
            BrokenLink("action", f"Action {action.number} rests on no finding of the review.")
        )
    for t in traced:
        number = t.hypothesis.number
        if not t.hypothesis.source_kind:
            broken.append(
                BrokenLink(
                    f"{t.anchor}-source",
                    f"Hypothesis {number} is linked to no key weakness or key line of "
                    "enquiry of the self-assessment.",
                )
            )
        if not t.methods:
            broken.append(
                BrokenLink(f"{t.anchor}-methods", f"Hypothesis {number} has no method recorded.")
            )
        for finding in t.findings:
            if not finding.evidence.strip():
                broken.append(
                    BrokenLink(
                        f"finding-{finding.pk}",
                        f"The finding on hypothesis {number} “{_short(finding.text)}” has no "
                        "evidence recorded.",
                    )
                )
    if action.host_agrees and later and not follow_up:
        broken.append(
            BrokenLink(
                "follow-up",
                f"The host agreed action {action.number}, and no progress on it has been "
                f"reported, though {review.host} has had {later} since the letter.",
            )
        )
    return ActionTrace(
        action=action,
        review=review,
        letter=letter,
        hypotheses=traced,
        follow_up=follow_up,
        later=later,
        broken=broken,
    )
