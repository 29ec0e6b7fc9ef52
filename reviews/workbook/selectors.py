"""Reads of the notebook, the verbal feedback and the emerging issues (R21, R22, R24).

Each read runs a fixed number of queries however many notes, findings or actions there
are: the pages that show them have their query counts pinned.
"""

import dataclasses
import datetime

from django.db.models import Prefetch

from emslirp.models import User
from reviews.letter.models import Letter, LetterState
from reviews.review import permissions
from reviews.review.models import Review, ReviewState, TeamMember, TeamRole
from reviews.review.selectors import host_leaders
from reviews.self_assessment import content as self_assessment_content
from reviews.self_assessment.models import SelfAssessment
from reviews.self_assessment.selectors import (
    self_assessment_for_review,
    self_assessment_template_of,
)
from reviews.workbook import permissions as workbook_permissions
from reviews.workbook.models import (
    EmergingIssue,
    Finding,
    Hypothesis,
    HypothesisSource,
    Note,
    Notebook,
    Proposal,
    TeamAreaView,
    VerbalFeedback,
)

# Notes, findings and conclusions are written on site and after, until the letter leaves
# draft.
WRITING_STATES = (ReviewState.ON_SITE, ReviewState.AFTER_VISIT)
# The lead's prompts for the team: from the agreement of the hypotheses to the visit's end.
PRE_VISIT_STATES = (ReviewState.AGREED, ReviewState.ON_SITE)

_ROLE_ORDER = {TeamRole.LEAD: 0, TeamRole.DATA_SPECIALIST: 1, TeamRole.MEMBER: 2, TeamRole.QA: 3}


# The letter states in which the record is closed (R23): from the moment the letter goes
# to the QA, whose proofreading traces each action to its evidence, through the host's
# reading of the shared draft, to the final letter. A letter the QA returns to draft opens
# the record again.
CLOSING_LETTER_STATES = (
    LetterState.WITH_QA,
    LetterState.APPROVED,
    LetterState.SHARED,
    LetterState.FINAL,
)
_CLOSED_BY = {
    LetterState.WITH_QA: "The letter has gone to the QA to proofread",
    LetterState.APPROVED: "The QA has approved the letter",
    LetterState.SHARED: "The letter has been shared with the host as a draft",
    LetterState.FINAL: "The letter is final",
}


def letter_state(review: Review) -> str | None:
    """The state of the review's letter, or None before it is drafted. One query."""
    return Letter.objects.filter(review=review).values_list("state", flat=True).first()


def record_closed_message(state: str | None) -> str:
    """Why the notebook and the verbal feedback record are closed while the letter is in
    ``state`` (R23), naming the state; empty while they are open (no letter, or a draft)."""
    if state not in CLOSING_LETTER_STATES:
        return ""
    reopens = (
        " They open again if the QA returns the letter to the lead."
        if state == LetterState.WITH_QA
        else ""
    )
    return (
        f"{_CLOSED_BY[state]}: the notebook and the verbal feedback record are closed and "
        f"kept as they stand.{reopens}"
    )


def notebook_writable(review: Review, *, letter_state: str | None) -> bool:
    """Whether notes, findings, conclusions and the verbal feedback may be written: while
    the team is on site or after the visit, until the letter leaves draft (R21, R23)."""
    return review.state in WRITING_STATES and letter_state not in CLOSING_LETTER_STATES


def pre_visit_writable(review: Review) -> bool:
    return review.state in PRE_VISIT_STATES


@dataclasses.dataclass(frozen=True)
class NotebookHeader:
    """The notebook's header, from the records, never typed again (R21)."""

    review: Review
    lead: User | None
    team: list[TeamMember]

    @property
    def days(self) -> tuple[datetime.date, datetime.date] | None:
        if self.review.onsite_from is None:
            return None
        return self.review.onsite_from, self.review.onsite_to


def notebook_header(review: Review) -> NotebookHeader:
    """One query: the team, lead first, each with their LA."""
    team = sorted(
        review.team.select_related("person", "local_authority"),
        key=lambda m: (_ROLE_ORDER[m.role], m.person.full_name, m.pk),
    )
    lead = next((m.person for m in team if m.role == TeamRole.LEAD), None)
    return NotebookHeader(review=review, lead=lead, team=team)


def notebook_get(review: Review) -> Notebook | None:
    """The notebook's pre-visit notes, or None before the lead first writes them. One
    query."""
    return Notebook.objects.filter(review=review).select_related("updated_by").first()


def _notes() -> Prefetch:
    return Prefetch(
        "notes", queryset=Note.objects.select_related("author").order_by("written_at", "pk")
    )


def notebook_hypotheses(review: Review) -> list[Hypothesis]:
    """The investigated hypotheses, each with its methods, its notes oldest first (with
    their authors), its findings (with their writers) and its report. Four queries."""
    return list(
        Hypothesis.objects.filter(review=review, decision=Proposal.INVESTIGATE)
        .select_related("report__updated_by")
        .prefetch_related(
            "methods",
            _notes(),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("written_by").order_by("written_at", "pk"),
            ),
        )
        .order_by("number")
    )


def investigated_hypothesis(review: Review, pk: int) -> Hypothesis | None:
    """The review's investigated hypothesis ``pk``, or None. One query."""
    return Hypothesis.objects.filter(review=review, pk=pk, decision=Proposal.INVESTIGATE).first()


def hypothesis_notes(hypothesis: Hypothesis) -> list[Note]:
    """The hypothesis's running notes, oldest first, with their authors. One query."""
    return list(
        Note.objects.filter(hypothesis=hypothesis)
        .select_related("author")
        .order_by("written_at", "pk")
    )


def verbal_feedback_given(review: Review) -> bool:
    """Whether the date of the verbal feedback is recorded: the host reads it from then
    (R22, R29). One query."""
    return VerbalFeedback.objects.filter(review=review, given_on__isnull=False).exists()


def emerging_issues(review: Review) -> list[EmergingIssue]:
    """The issues the lead has shared with the host, oldest first. One query."""
    return list(
        EmergingIssue.objects.filter(review=review)
        .select_related("shared_by")
        .order_by("shared_at", "pk")
    )


def emerging_issue_recipients(review: Review, *, on: datetime.date) -> list[User]:
    """The people an emerging issue is e-mailed to: the host's DCS and 2nd-tier
    safeguarding lead on ``on``, each only if the notebook's rights let them read the
    emerging issues (for a SAV, once the visit has started: R30). Nobody else (R24)."""
    recipients = []
    for person in host_leaders(review, on=on):
        access = permissions.review_access(person, review, on=on)
        if access.team_role is None and workbook_permissions.notebook_rights(access).read_emerging:
            recipients.append(person)
    return recipients


# Where a hypothesis comes from (R18, R40) ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class HypothesisSourceChoice:
    """A key weakness or key line of enquiry of a self-assessment that a hypothesis may
    rest on (R40): its kind, its number there and its words."""

    kind: str
    number: int
    text: str

    @property
    def value(self) -> str:
        return f"{self.kind}-{self.number}"

    @property
    def label(self) -> str:
        return f"{HypothesisSource(self.kind).label} {self.number}: {self.text}"


def hypothesis_sources(self_assessment: SelfAssessment | None) -> list[HypothesisSourceChoice]:
    """The key weaknesses (numbered as the LA typed them, empty rows skipped) and then the
    key lines of enquiry (each non-empty line, numbered in order) of ``self_assessment``.
    No query."""
    if self_assessment is None:
        return []
    sources = [
        HypothesisSourceChoice(HypothesisSource.WEAKNESS, row["number"], row["narrative"].strip())
        for row in self_assessment_content.rows_filled(self_assessment, "weaknesses")
        if row.get("narrative", "").strip()
    ]
    lines = [line.strip() for line in self_assessment.lines_of_enquiry.splitlines()]
    sources += [
        HypothesisSourceChoice(HypothesisSource.KLOE, n, line)
        for n, line in enumerate((line for line in lines if line), start=1)
    ]
    return sources


# The team's view of the areas (R39) ---------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AreaView:
    """One area of the self-assessment: the LA's self-rating and the team's view, each a
    value on the template's 1–4 scale (None: not rated, or not looked at)."""

    key: str
    name: str
    self_rating: int | None
    self_label: str
    team_rating: int | None
    team_label: str

    @property
    def difference(self) -> int | None:
        """How much higher the LA rated itself than the team found (negative: lower)."""
        if self.self_rating is None or self.team_rating is None:
            return None
        return self.self_rating - self.team_rating

    @property
    def gap(self) -> int | None:
        return abs(self.difference) if self.difference is not None else None


@dataclasses.dataclass(frozen=True)
class TeamViews:
    self_assessment: SelfAssessment | None  # the one the ratings are set against
    scale: list[dict]  # the template's scale: value and label
    areas: list[AreaView]

    @property
    def looked_at(self) -> list[AreaView]:
        return [a for a in self.areas if a.team_rating is not None]


def team_views_of(
    *, self_assessment: SelfAssessment | None, template, ratings: dict[str, int]
) -> TeamViews:
    """The areas of ``template`` with the LA's self-rating in ``self_assessment`` and the
    team's ``ratings`` (area key → 1–4) beside it. No query."""
    scale = {p["value"]: p["label"] for p in template.scale}
    held = self_assessment.areas if self_assessment is not None else {}
    areas = []
    for area in template.areas:
        own = (held.get(area["key"]) or {}).get("rating")
        own = own if own in scale else None
        team = ratings.get(area["key"])
        areas.append(
            AreaView(
                key=area["key"],
                name=area["name"],
                self_rating=own,
                self_label=scale.get(own, ""),
                team_rating=team,
                team_label=scale.get(team, ""),
            )
        )
    return TeamViews(self_assessment=self_assessment, scale=template.scale, areas=areas)


def team_views(review: Review) -> TeamViews:
    """The team's view of each area of the self-assessment beside the LA's self-rating
    (R39), set against ``self_assessment_for_review``. Two or three queries."""
    self_assessment = self_assessment_for_review(review)
    return team_views_of(
        self_assessment=self_assessment,
        template=self_assessment_template_of(self_assessment),
        ratings=dict(TeamAreaView.objects.filter(review=review).values_list("area", "rating")),
    )
