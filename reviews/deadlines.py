"""The kinds of deadline of reviews and self-assessments (R17, R19, R23, R27, R30, R37),
registered with the core from ``ReviewsConfig.ready()``. Each stage's ``deadlines``
module finds its own."""

from emslirp.deadlines import Kind
from reviews.letter.deadlines import final_letters, proofreading
from reviews.reflections.deadlines import reflections, reflections_reminded_by
from reviews.self_assessment.deadlines import self_assessments
from reviews.workbook.deadlines import conference_calls, hypotheses_decisions, information_sets

# The kinds of deadline of reviews, registered with the core from ``ReviewsConfig.ready()``.
KINDS = {
    "self_assessment": Kind(
        "Annual self-assessment",
        self_assessments,
        "your local authority's self-assessment",
    ),
    "information_set": Kind(
        "SAV information set",
        information_sets,
        "information your local authority is asked for",
    ),
    "hypotheses_decision": Kind(
        "Host's decision on hypotheses",
        hypotheses_decisions,
        "your decision on a review's hypotheses",
    ),
    "conference_call": Kind(
        "Pre-visit conference call",
        conference_calls,
        "a team conference call",
    ),
    "qa_proofread": Kind(
        "QA proofreading",
        proofreading,
        "a draft letter to proofread",
        coordinator_follows=False,
    ),
    "letter_due": Kind("Final feedback letter", final_letters, "a final feedback letter"),
    "reflection": Kind(
        "Reflection",
        reflections,
        "your reflection on a review",
        coordinator_follows=False,
        reminded_by=reflections_reminded_by,
    ),
}
