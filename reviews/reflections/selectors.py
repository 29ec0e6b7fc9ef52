"""Reads of the reflection and evaluation (R27, handbook section K): what the form asks,
who writes about whom, one's own reflection, the whole team's composite and the QA's
view of who has completed.

Anonymity is kept here, where the answers are read: the composite is built from the
answers' words only (who wrote each row is read only to count writers, and never leaves
this module), and it is not read at all until it can no longer change (reflections have
closed) and enough people other than the viewer have submitted. Each part of it, what is
said of one colleague, of oneself or in answer to one question, is shown only if enough
people other than the viewer wrote it. The QA's completion view reads who submitted and
when, never a word of what they wrote.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from emslirp.models import PostKind, User
from emslirp.selectors import post_holder
from emslirp.working_days import working_days_from
from reviews.reflections.models import PeerFeedback, Reflection
from reviews.reflections.permissions import REFLECTING_ROLES
from reviews.review.models import Review, ReviewState, TeamMember, TeamRole
from reviews.review.teams import ROLE_NAMES

# Below three, an answer can be traced to its writer: with one or two others, a viewer
# who knows what they wrote themselves, and who else has answered, can tell whose words
# are whose. Only once at least three people other than the viewer have submitted does
# the composite appear, and each of its parts only if at least three people other than
# the viewer wrote in it (R27).
MIN_ANSWERS = 3

# Reflections close on the tenth working day after the last on-site day. Two working
# weeks leave time to write after a tiring visit, a week's leave included, and bring the
# composite to the team while the visit is still fresh. The closing day is what keeps the
# composite anonymous: it is shown only once it has passed, when no more answers can come
# (R27), since a reader comparing it before and after one more person submitted would see
# that person's words. Not when everyone asked has submitted: who is asked changes with
# the team, and a member added after such a release would hide it, then bring it back
# with their words in it.
REFLECTION_WORKING_DAYS = 10

SCALE_ENDS = {
    "suitability": ("poor", "excellent"),
    "leadership_development": ("not helpful", "very helpful"),
}
SCALE_VALUES = (1, 2, 3, 4, 5)


@dataclasses.dataclass(frozen=True)
class Question:
    field: str
    label: str
    hint: str = ""

    @property
    def is_scale(self) -> bool:
        return self.field in SCALE_ENDS


# The process evaluation, in the form's order and grouped as the form groups it. The
# wording is the programme's own; the handbook gives the facts asked for.
EVALUATION = (
    (
        "How the review went",
        (
            Question(
                "suitability",
                "How well did the review process serve its immediate purpose?",
                "From 1, poor, to 5, excellent.",
            ),
            Question("length_comments", "Comments on its length and timescales"),
            Question(
                "design_comments",
                "Comments on how it was designed",
                "Its stages, activities and ways of working.",
            ),
            Question("hypotheses_comments", "Comments on how the hypotheses gave it focus"),
            Question("arrangements_comments", "Comments on the practical arrangements"),
        ),
    ),
    (
        "Likely impact on the host authority",
        (
            Question(
                "needs_identification",
                "Will the challenge and review you took part in strengthen how the "
                "authority identifies its local needs?",
            ),
            Question(
                "local_priorities",
                "Will being reviewed by peers help the authority shape its local priorities?",
            ),
        ),
    ),
    (
        "Impact on you",
        (
            Question("main_learning", "What is the main thing you learned by taking part?"),
            Question(
                "leadership_development",
                "How useful was the review to your own development as a leader?",
                "From 1, not helpful, to 5, very helpful.",
            ),
            Question(
                "benefits",
                "Will taking part bring direct benefits to your own organisation and the "
                "partnerships you work in?",
            ),
        ),
    ),
    ("Anything else", (Question("other_comments", "Other comments"),)),
)
QUESTIONS = tuple(q for _title, questions in EVALUATION for q in questions)
SCALE_FIELDS = tuple(q.field for q in QUESTIONS if q.is_scale)
SELF_FIELDS = ("self_strengths", "self_development")
TEXT_FIELDS = SELF_FIELDS + tuple(q.field for q in QUESTIONS if not q.is_scale)
ANSWER_FIELDS = SELF_FIELDS + tuple(q.field for q in QUESTIONS)
PEER_PARTS = ("strengths", "development")


def scale_label(field: str, value: int) -> str:
    """A point of a 1–5 scale as the form shows it: its ends named."""
    low, high = SCALE_ENDS[field]
    return {1: f"1: {low}", 5: f"5: {high}"}.get(value, str(value))


def reflections_open(review: Review) -> bool:
    """Reflections are written once the visit is over (R27), until they close."""
    return review.state == ReviewState.AFTER_VISIT


def reflections_close_on(review: Review) -> datetime.date | None:
    """The last day reflections on ``review`` may be saved and submitted: the
    REFLECTION_WORKING_DAYS-th working day after its last on-site day (R27, R36). None
    while its on-site days are not set. No query."""
    if review.onsite_to is None:
        return None
    after = review.onsite_to + datetime.timedelta(days=1)
    return working_days_from(after, REFLECTION_WORKING_DAYS)[-1]


def reflections_closed(review: Review, *, on: datetime.date) -> bool:
    """Whether the closing day of ``review``'s reflections has passed on ``on``."""
    close_on = reflections_close_on(review)
    return close_on is not None and on > close_on


@dataclasses.dataclass(frozen=True)
class Colleague:
    person: User
    role_name: str


def reflecting_team(review: Review) -> list[TeamMember]:
    """The team on site (lead, data specialist, members), lead first. One query."""
    order = {TeamRole.LEAD: 0, TeamRole.DATA_SPECIALIST: 1, TeamRole.MEMBER: 2}
    members = review.team.filter(role__in=REFLECTING_ROLES).select_related("person")
    return sorted(members, key=lambda m: (order[m.role], m.person.full_name, m.pk))


def reflection_colleagues(
    *, review: Review, writer: User, team: list[TeamMember] | None = None
) -> list[Colleague]:
    """Whom ``writer`` gives feedback on: everyone on site but themselves. The host DCS,
    who is not on the team, writes about the whole on-site team (R27). One query, none
    when given the ``reflecting_team``."""
    names = ROLE_NAMES[review.kind]
    team = reflecting_team(review) if team is None else team
    return [Colleague(m.person, names[m.role]) for m in team if m.person_id != writer.pk]


def reflection_of(*, review: Review, person: User) -> Reflection | None:
    """``person``'s own reflection on ``review``, draft or submitted, with what it says
    of each colleague (``peer_by_colleague``: colleague pk → PeerFeedback). Two queries."""
    reflection = Reflection.objects.filter(review=review, person=person).order_by().first()
    if reflection is not None:
        reflection.peer_by_colleague = {
            f.colleague_id: f for f in PeerFeedback.objects.filter(reflection=reflection).order_by()
        }
    return reflection


# The composite (R27) -------------------------------------------------------------------


def _sorted_texts(texts) -> list[str]:
    """The non-empty texts in an order that says nothing of who wrote them or when."""
    kept = [t.strip() for t in texts if t and t.strip()]
    return sorted(kept, key=lambda t: (t.casefold(), t))


@dataclasses.dataclass(frozen=True)
class ScaleSummary:
    question: Question
    answers: int
    mean: Decimal | None
    distribution: list[tuple[str, int]]  # (point as labelled on the form, how many)


@dataclasses.dataclass(frozen=True)
class AboutColleague:
    """What others wrote about one member on site. ``shown`` is False, and both lists
    None, when fewer than MIN_ANSWERS people other than the viewer wrote about them; a
    list is None when fewer than MIN_ANSWERS others wrote that part (R27)."""

    person: User
    role_name: str
    shown: bool
    strengths: list[str] | None
    development: list[str] | None


@dataclasses.dataclass(frozen=True)
class Composite:
    """What the whole team's reflections say together, with nothing of who said what.
    ``shown`` is False, and the lists are empty, until it can no longer change (the
    closing day has passed) and ``others`` reaches MIN_ANSWERS. Once shown, a list of
    texts is None when fewer than MIN_ANSWERS people other than the viewer wrote in it,
    so that it is withheld rather than traced to its writers (R27)."""

    answered: int  # submitted reflections, the viewer's included
    others: int  # submitted by people other than the viewer
    viewer_submitted: bool
    asked: int  # people asked to reflect (the team on site and the host DCS)
    asked_answered: int  # how many of them have submitted
    closes_on: datetime.date | None  # the last day reflections may be submitted
    closed: bool  # the closing day has passed
    shown: bool = False
    about: list[AboutColleague] = dataclasses.field(default_factory=list)
    self_strengths: list[str] | None = None
    self_development: list[str] | None = None
    scales: list[ScaleSummary] = dataclasses.field(default_factory=list)
    comments: list[tuple[Question, list[str] | None]] = dataclasses.field(default_factory=list)

    @property
    def still_needed(self) -> int:
        """How many more people other than the viewer must submit for it to be shown."""
        return max(MIN_ANSWERS - self.others, 0)

    @property
    def appears_on(self) -> datetime.date | None:
        """The day it appears, the day after the closing day, while it still can: not
        once reflections have closed without it."""
        if self.closed or self.closes_on is None:
            return None
        return self.closes_on + datetime.timedelta(days=1)


def _scale_summary(question: Question, values: list[int]) -> ScaleSummary:
    answered = [v for v in values if v is not None]
    mean = None
    if answered:
        mean = (Decimal(sum(answered)) / len(answered)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return ScaleSummary(
        question=question,
        answers=len(answered),
        mean=mean,
        distribution=[(scale_label(question.field, n), answered.count(n)) for n in SCALE_VALUES],
    )


def _enough(texts_by_writer: list[tuple[int, str]], viewer: User) -> list[str] | None:
    """The texts, in ``_sorted_texts`` order, if at least MIN_ANSWERS writers other than
    ``viewer`` wrote one (non-empty); None otherwise. Fewer, and a viewer who knows who
    else submitted could narrow each text down to one or two writers (R27). The viewer's
    own text, if any, is among them: they know it already."""
    others = {writer for writer, text in texts_by_writer if writer != viewer.pk and text.strip()}
    if len(others) < MIN_ANSWERS:
        return None
    return _sorted_texts(text for _writer, text in texts_by_writer)


def reflections_composite(
    *, review: Review, viewer: User, on: datetime.date, team: list[TeamMember] | None = None
) -> Composite:
    """The composite of the team's submitted reflections as ``viewer`` may see it on
    ``on`` (R27): for each member on site, everything others wrote about them; everyone's
    own strengths and areas for development; and the process evaluation (how many
    answered, the mean and spread of each scale, and each question's comments). Every
    list is in the order of its words, never of its writers, and nothing carries a
    writer.

    It is read only once it can no longer change, so that nobody can compare it before
    and after one more person's answers: once the closing day has passed, when nothing
    more can be saved or submitted. Never earlier, even when everyone asked has
    submitted: who is asked changes with the team. Even then, only if at least
    MIN_ANSWERS people other than ``viewer`` have submitted. Before that, only the
    counts are read.

    Once shown, each list of texts (what was said of one colleague, strengths or areas
    for development; of oneself; each question's comments) is given only if at least
    MIN_ANSWERS people other than ``viewer`` wrote in it, and a colleague's block only
    if at least MIN_ANSWERS others wrote anything about them: the writers about a
    colleague never include the colleague, so the whole composite's count does not
    protect them. Otherwise None, withheld. The scales need no such check: a submitted
    reflection has both (a constraint in the database), so ``others`` answered each.

    Drafts are never read. Two queries while it is not shown, four when it is (one more
    each without the ``reflecting_team``)."""
    team = reflecting_team(review) if team is None else team
    # Unordered: the model's ordering would join the review for nothing.
    submitted = Reflection.objects.filter(review=review, submitted_at__isnull=False).order_by()
    writers = set(submitted.values_list("person_id", flat=True))
    asked = {person.pk for person, _role in reflections_asked(review=review, on=on, team=team)}
    closes_on = reflections_close_on(review)
    base = {
        "answered": len(writers),
        "others": len(writers - {viewer.pk}),
        "viewer_submitted": viewer.pk in writers,
        "asked": len(asked),
        "asked_answered": len(asked & writers),
        "closes_on": closes_on,
        "closed": reflections_closed(review, on=on),
    }
    counts = Composite(**base)
    if not counts.closed or counts.others < MIN_ANSWERS:
        return counts
    # The answers' words and scales, and the writer only to count writers: it is dropped
    # here and never reaches the page. Only the writers counted above.
    submitted = submitted.filter(person_id__in=writers)
    answers = list(submitted.values_list("person_id", *ANSWER_FIELDS))
    columns = {
        field: [(row[0], row[n] or "") for row in answers]
        for n, field in enumerate(ANSWER_FIELDS, start=1)
        if field not in SCALE_FIELDS
    }
    scales = {field: [row[n] for row in answers] for n, field in enumerate(ANSWER_FIELDS, start=1)}
    about_rows = list(
        PeerFeedback.objects.filter(reflection__in=submitted)
        .order_by()
        .values_list("colleague_id", "reflection__person_id", "strengths", "development")
    )
    names = ROLE_NAMES[review.kind]
    about = []
    for member in team:
        rows = [r for r in about_rows if r[0] == member.person_id]
        # A row is kept only with something in it (reflection_save), so each row's
        # writer wrote about this member.
        shown = len({r[1] for r in rows} - {viewer.pk}) >= MIN_ANSWERS
        about.append(
            AboutColleague(
                person=member.person,
                role_name=names[member.role],
                shown=shown,
                strengths=_enough([(r[1], r[2]) for r in rows], viewer) if shown else None,
                development=_enough([(r[1], r[3]) for r in rows], viewer) if shown else None,
            )
        )
    return Composite(
        **base,
        shown=True,
        about=about,
        self_strengths=_enough(columns["self_strengths"], viewer),
        self_development=_enough(columns["self_development"], viewer),
        scales=[_scale_summary(q, scales[q.field]) for q in QUESTIONS if q.is_scale],
        comments=[(q, _enough(columns[q.field], viewer)) for q in QUESTIONS if not q.is_scale],
    )


# Completion, for the QA (R27) ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Completion:
    name: str
    role_name: str
    submitted_at: datetime.datetime | None
    expected: bool = True  # on the team on site, or the host's DCS, today


def reflections_asked(
    *, review: Review, on: datetime.date, team: list[TeamMember] | None = None
) -> list[tuple[User, str]]:
    """Everyone asked to reflect on ``review`` on ``on``, with their part in it: the team
    on site, lead first, then the host's DCS that day (R27). One query when given the
    ``reflecting_team``, two without."""
    names = ROLE_NAMES[review.kind]
    team = reflecting_team(review) if team is None else team
    asked = [(m.person, names[m.role]) for m in team]
    host_dcs = post_holder(kind=PostKind.DCS, local_authority=review.host, on=on)
    if host_dcs is not None and all(p.pk != host_dcs.pk for p, _role in asked):
        asked.append((host_dcs, "Host DCS"))
    return asked


def reflections_completion(*, review: Review, on: datetime.date) -> list[Completion]:
    """Everyone asked to reflect (``reflections_asked``), with whether and when they
    submitted; then anyone who submitted one and is no longer asked (they left the team,
    or the DCS post changed hands). Names and times only: the reflections' contents are
    never read. Three queries."""
    submitted = {
        person_id: (name, submitted_at)
        for person_id, name, submitted_at in Reflection.objects.filter(
            review=review, submitted_at__isnull=False
        )
        .order_by()
        .values_list("person_id", "person__full_name", "submitted_at")
    }
    asked = reflections_asked(review=review, on=on)
    rows = [
        Completion(person.full_name, role_name, submitted.get(person.pk, (None, None))[1])
        for person, role_name in asked
    ]
    asked_pks = {person.pk for person, _role in asked}
    rows += sorted(
        (
            Completion(name, "No longer asked", submitted_at, expected=False)
            for pk, (name, submitted_at) in submitted.items()
            if pk not in asked_pks
        ),
        key=lambda c: (c.name, c.submitted_at),
    )
    return rows
