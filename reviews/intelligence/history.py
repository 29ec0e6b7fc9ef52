"""A region's past, made in bulk: years of submitted self-assessments, and PCTRs and SAVs
whose visits are long over, each with its desk analysis, findings, agreed actions, final
letter, theme tags, the team's view of the areas it touched and the host's progress on
what was agreed (R17–R23, R28, R38–R40).

One builder, two callers: ``load_demo`` gives the demo region the history its regional
charts need, and ``manage.py intelligence_bench_data`` fills an empty database with a
large region to time them on. Rows are written with ``bulk_create`` with their dates in
the past (the services date everything now); each row keeps the invariants the services
keep: a submitted self-assessment is signed off, a hypothesis names the weakness or line
of enquiry of the self-assessment it came from, a final letter was proofread, shared and
issued, each in turn, within its due days, and says truthfully which actions the host
agreed (checked with the letter's own rule before anything is written).
"""

import dataclasses
import datetime
import random
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils import timezone

from emslirp.models import LocalAuthority, Region, User
from emslirp.queue import task_after_commit
from emslirp.working_days import working_days_from, working_days_shift
from reviews.intelligence.models import ActionProgress, Progress, Theme, ThemeTag
from reviews.intelligence.services.themes import themes_seed
from reviews.letter import selectors as letter_selectors
from reviews.letter.models import Letter, LetterEvent, LetterPdf, LetterState, LetterTemplate
from reviews.letter.pdf import PDF_TEMPLATE
from reviews.letter.placeholders import placeholders_fill
from reviews.review.models import (
    Review,
    ReviewKind,
    ReviewState,
    ReviewStateChange,
    ReviewUserGrant,
    TeamMember,
    TeamRole,
)
from reviews.self_assessment.content import columns, content_of, empty, rating_key
from reviews.self_assessment.models import (
    SelfAssessment,
    SelfAssessmentRevision,
    SelfAssessmentState,
    SelfAssessmentTemplate,
)
from reviews.workbook.feedback_record import ActionRecord, FeedbackRecord
from reviews.workbook.models import (
    AgreedAction,
    ConferenceCall,
    Finding,
    Hypothesis,
    HypothesisReport,
    HypothesisSource,
    Method,
    Proposal,
    TeamAreaView,
    VerbalFeedback,
)


@dataclasses.dataclass(frozen=True)
class Topic:
    """What one weakness of a self-assessment leads to when a review looks at it: the
    hypothesis, its methods, the finding and its evidence, the action, and the theme the
    coordinator tags them with."""

    area: str
    theme: str
    weakness: str
    kloe: str
    hypothesis: str
    methods: tuple[str, ...]
    finding: str
    evidence: str
    action: str


TOPICS = [
    Topic(
        "practice",
        "Front door and referrals",
        "Decisions on contacts are not always made within a working day.",
        "How quickly and consistently are decisions made at the front door?",
        "Contacts wait too long at the front door for a decision.",
        ("Audit of 20 contacts", "Observation of the front door's daily meeting"),
        "Decisions on contacts take up to four days when the duty team is short.",
        "Audit of 20 contacts: 6 took more than one working day to a decision.",
        "Set and monitor a one-working-day standard for decisions on contacts.",
    ),
    Topic(
        "practice",
        "Early help and thresholds",
        "Thresholds are applied differently by different teams.",
        "Is the threshold document understood the same way across teams?",
        "Thresholds between early help and social care are applied unevenly.",
        ("Audit of 15 stepped-down cases", "Focus group with early help workers"),
        "Similar needs lead to different responses depending on the team.",
        "Audit of 15 cases stepped down: 5 should have had an assessment.",
        "Agree one threshold guide and audit its use in three months.",
    ),
    Topic(
        "practice",
        "Quality of assessment",
        "Assessments describe the family's circumstances but say little about risk.",
        "Do assessments analyse risk, or only describe?",
        "Assessments describe more than they analyse.",
        ("Audit of 12 assessments", "Conversations with team managers"),
        "Most assessments sampled lack an analysis of what the child's needs mean.",
        "Audit of 12 assessments: 8 rated as requiring improvement on analysis.",
        "Train social workers in analysis and check it in monthly audits.",
    ),
    Topic(
        "performance",
        "Performance information",
        "Leaders receive data late and it is not used to challenge practice.",
        "How do leaders use performance information to improve practice?",
        "Performance information does not reach frontline managers in time to act on.",
        ("Review of the monthly scorecard", "Interviews with service managers"),
        "The scorecard arrives six weeks after the month it reports.",
        "Scorecards for the last six months; interviews with four service managers.",
        "Produce a weekly team dashboard and review it in supervision.",
    ),
    Topic(
        "resources",
        "Workforce and caseloads",
        "High turnover among social workers and reliance on agency staff.",
        "What does turnover do to children's experience of their social worker?",
        "Children see too many changes of social worker.",
        ("Focus group of social workers", "Analysis of caseload and turnover data"),
        "A third of children sampled had three or more social workers in a year.",
        "Caseload report and audit of 18 case files.",
        "Agree a recruitment and retention plan with caseload targets.",
    ),
    Topic(
        "leadership",
        "Management oversight and supervision",
        "Supervision is not always recorded on the child's file.",
        "Is management oversight visible on children's files?",
        "Managers' decisions are not recorded where the next worker can find them.",
        ("Sample of 20 supervision records", "Case file audit"),
        "Supervision is regular but its decisions rarely reach the child's file.",
        "20 supervision records: 14 had no matching entry on the file.",
        "Record every supervision decision on the child's file within a week.",
    ),
    Topic(
        "participation",
        "Voice of the child",
        "Children's views are not consistently recorded in plans.",
        "Are children's wishes and feelings heard and acted on?",
        "Children's wishes and feelings do not shape their plans.",
        ("Audit of 10 plans", "Meeting with the children in care council"),
        "Plans record children's views but rarely show what changed because of them.",
        "Audit of 10 plans; the children in care council's account.",
        "Show in every plan what was done about the child's wishes.",
    ),
    Topic(
        "partnership",
        "Partnership working",
        "Partners do not hear the outcome of their referrals.",
        "Do partners trust and understand the front door's decisions?",
        "Partners are not told what happened to their referrals.",
        ("Focus group with health and police", "Survey of schools"),
        "Partners could not say what happened to most referrals they made.",
        "Focus group: 4 of 6 partners could name no outcome; schools' survey.",
        "Tell partners the outcome of every referral within five working days.",
    ),
    Topic(
        "outcomes",
        "Care leavers",
        "Pathway plans are often late and not written with the young person.",
        "Are care leavers' pathway plans timely and their own?",
        "Pathway plans are late and written for young people rather than with them.",
        ("Audit of 12 pathway plans", "Meeting with care leavers"),
        "Half the pathway plans sampled were overdue.",
        "Audit of 12 pathway plans; six care leavers met the team.",
        "Bring every pathway plan up to date and review them with the young person.",
    ),
    Topic(
        "outcomes",
        "Exploitation and missing children",
        "Return home interviews are not always offered after a child goes missing.",
        "Is the response to children missing from home timely and joined up?",
        "Return home interviews are offered late, and their learning is lost.",
        ("Audit of 10 missing episodes", "Interview with the exploitation lead"),
        "Return interviews were offered within 72 hours in 4 of 10 episodes.",
        "Audit of 10 missing episodes and the exploitation panel's minutes.",
        "Offer every return home interview within 72 hours and report on it monthly.",
    ),
    Topic(
        "commissioning",
        "Commissioning and sufficiency",
        "Too few local placements for teenagers.",
        "Does the sufficiency strategy meet the needs of older children?",
        "Teenagers are placed far from home for want of local placements.",
        ("Review of the sufficiency strategy", "Placement data for the last year"),
        "Two in five teenagers placed in the year went more than 20 miles away.",
        "Placement data for the last twelve months; the sufficiency strategy.",
        "Commission local placements for teenagers in the sufficiency plan.",
    ),
    Topic(
        "innovation",
        "Quality assurance and audit",
        "Audit findings are not followed through to changes in practice.",
        "Does the audit programme lead to better practice?",
        "Learning from audits does not reach practitioners.",
        ("Review of the audit programme", "Focus group of practitioners"),
        "Audits find the same weaknesses each quarter without a plan to address them.",
        "Four quarters of audit reports; practitioners' focus group.",
        "Give each audit an action plan with an owner and review it quarterly.",
    ),
    Topic(
        "practice",
        "Child protection planning",
        "Core groups do not always meet within timescales.",
        "Are child protection plans driven by regular core groups?",
        "Child protection plans drift when core groups do not meet.",
        ("Audit of 10 child protection plans", "Observation of a core group"),
        "Core groups met late in 4 of 10 plans sampled, and plans drifted.",
        "Audit of 10 plans; one core group observed.",
        "Track core groups weekly and escalate any that are late.",
    ),
]
AREA_NAMES = [
    "outcomes",
    "leadership",
    "partnership",
    "practice",
    "participation",
    "performance",
    "resources",
    "innovation",
    "commissioning",
]
AGREED_COMMENT = "The council had begun this work and will report on it."
NOT_AGREED_COMMENT = "The council sees this as covered by its existing improvement plan."
PROGRESS_COMMENT = {
    Progress.DONE: "Done, and checked in the last audit.",
    Progress.IN_PROGRESS: "Under way; the first changes are in place.",
    Progress.NOT_STARTED: "Not started yet: other priorities came first.",
}
# Where the history's own letter template stands in for a region that has none.
FALLBACK_TEMPLATE = (
    "{kind} of {council}: what the team found",
    "Dear {host_dcs},\n\nThis letter sets out what the team found during the {kind} in "
    "{council} on {review_dates}.\n\n{priority_actions}\n\nYours sincerely,\n\n"
    "{lead_name}\n{lead_title}",
)


@dataclasses.dataclass(frozen=True)
class Cast:
    """Who writes an LA's records: its DCS (the PCTR's host, lead and QA), its 2nd-tier
    safeguarding lead (the SAV's) and its data specialist (on the team its LA leads)."""

    dcs: User
    ad: User
    data: User


@dataclasses.dataclass
class _Plan:
    review: Review
    topics: list[tuple[Topic, str, int, str]]  # topic, source kind, number, words
    self_assessment: SelfAssessment | None
    lead: User
    qa: User
    data: User
    host: User
    hypotheses: list[Hypothesis] = dataclasses.field(default_factory=list)
    actions: list[AgreedAction] = dataclasses.field(default_factory=list)


def _create_dated(model, rows: list, field: str) -> None:
    """``bulk_create`` ``rows``, then put back ``field``, which the model dates itself
    (``auto_now``, ``auto_now_add``) and the insert set to now: history has its own days."""
    wanted = [getattr(row, field) for row in rows]
    model.objects.bulk_create(rows)
    for row, value in zip(rows, wanted, strict=True):
        setattr(row, field, value)
    model.objects.bulk_update(rows, [field])


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _active(las: list[LocalAuthority], day: datetime.date) -> list[LocalAuthority]:
    return [
        la for la in las if la.active_from <= day and (la.active_to is None or la.active_to >= day)
    ]


def _ratings(rng: random.Random, la_count: int, years: list[int]) -> dict:
    """Each LA's self-ratings year by year: a start per area, and a direction the LA is
    going in (a third improve, a third decline, a third hold), with some noise."""
    out = {}
    for i in range(la_count):
        trend = (1, -1, 0)[i % 3]
        start = {a: rng.choice((2, 2, 3, 3, 1, 4) if trend == 0 else (2, 3)) for a in AREA_NAMES}
        if trend < 0:
            start = {a: min(4, r + 1) for a, r in start.items()}
        for n, year in enumerate(years):
            out[i, year] = {
                a: max(1, min(4, r + round(trend * n * 0.45 + rng.choice((0, 0, 0, 1, -1)))))
                for a, r in start.items()
            }
    return out


def history_build(
    *,
    region: Region,
    cast: dict[int, Cast],
    coordinator: User,
    years: list[int],
    before: datetime.date,
    seed: int = 0,
    pdfs: bool = True,
) -> dict[str, int]:
    """Write ``region``'s history for ``years`` (calendar years, oldest first): a submitted
    self-assessment of every LA active in each year, two SAVs of every LA in three years
    and a PCTR once in three, all whose letter was issued before ``before``, with
    everything that follows a visit. ``cast`` gives, per LA id, who writes its records.
    The region gets its starting themes if it lacks them. With ``pdfs``, each final
    letter's PDF HTML is kept at its issue and the worker is asked, on commit, to make it
    (as an issue does); without, no PDF is asked for. Returns what was made."""
    rng = random.Random(seed)  # noqa: S311 (repeatable made-up history, not for secrets)
    made: dict[str, int] = defaultdict(int)
    themes_seed(region)
    themes = {t.name.lower(): t for t in Theme.objects.filter(region=region, retired_at=None)}
    las = sorted(LocalAuthority.objects.filter(region=region, pk__in=cast), key=lambda la: la.name)
    index = {la.pk: n for n, la in enumerate(las)}
    ratings = _ratings(rng, len(las), years)
    template = SelfAssessmentTemplate.objects.latest()

    # Self-assessments, submitted in March of their year (R17).
    assessments: dict[tuple[int, int], SelfAssessment] = {}
    chosen: dict[tuple[int, int], list[Topic]] = {}
    revisions = []
    for year in years:
        for la in _active(las, datetime.date(year, 3, 31)):
            i, people = index[la.pk], cast[la.pk]
            picks = rng.sample(TOPICS, 4)
            chosen[la.pk, year] = picks
            content = empty(template.structure)
            rated = ratings[i, year]
            for area in template.structure["areas"]:
                content[rating_key(area["key"])] = rated.get(area["key"], 2)
                content[f"commentary_{area['key']}"] = (
                    f"Rated {rated.get(area['key'], 2)} on the evidence of this year's audits."
                )
            for n, topic in enumerate(picks[:3], start=1):
                content[f"weakness_{n}_narrative"] = topic.weakness
                content[f"weakness_{n}_evidence"] = "Quarterly audit report; performance data."
            content["strength_1_narrative"] = "Stable senior leadership with a clear plan."
            content["strength_1_evidence"] = "Improvement plan and its quarterly reviews."
            content["lines_of_enquiry"] = "\n".join(t.kloe for t in picks)
            content["period_covered"] = f"April {year - 1} to March {year}"
            content["contact_name"] = people.dcs.full_name
            content["contact_email"] = people.dcs.email
            content["signed_name"] = people.dcs.full_name
            content["signed_position"] = "Director of Children's Services"
            content["narrative"] = "Completed by the senior leadership team with partners."
            signed_on = working_days_from(datetime.date(year, 3, 10) + _days(i % 10), 1)[0]
            submitted_at = _at(signed_on, 15)
            assessment = SelfAssessment(
                local_authority=la,
                year=year,
                template=template,
                state=SelfAssessmentState.SUBMITTED,
                revision=2,
                signed_on=signed_on,
                submitted_by=people.dcs,
                submitted_at=submitted_at,
                started_by=people.dcs,
                started_at=submitted_at - datetime.timedelta(days=30),
                updated_by=people.dcs,
                updated_at=submitted_at,
                **columns(template.structure, content),
            )
            assessments[la.pk, year] = assessment
    _create_dated(SelfAssessment, list(assessments.values()), "started_at")
    # Its revisions as the services keep them: started, then submitted as it stood (R33).
    for assessment in assessments.values():
        started = empty(template.structure)
        started["contact_name"] = assessment.started_by.full_name
        started["contact_email"] = assessment.started_by.email
        revisions += [
            SelfAssessmentRevision(
                self_assessment=assessment,
                number=1,
                saved_by=assessment.started_by,
                saved_at=assessment.started_at,
                content=started,
            ),
            SelfAssessmentRevision(
                self_assessment=assessment,
                number=2,
                saved_by=assessment.submitted_by,
                saved_at=assessment.submitted_at,
                content=content_of(assessment),
            ),
        ]
    SelfAssessmentRevision.objects.bulk_create(revisions)
    made["self-assessments"] = len(assessments)

    # Reviews: two SAVs of every LA in three years, a PCTR once in three (R10, R11).
    plans: list[_Plan] = []
    for year in years:
        active = _active(las, datetime.date(year, 7, 1))
        count = len(active)
        if count < 3:
            continue
        for n, la in enumerate(active):
            i = index[la.pk]
            # Two SAVs in three years (the 18-month interval) and one PCTR (R10, R11).
            kinds = [ReviewKind.SAV] if (year + i) % 3 != 2 else []
            kinds += [ReviewKind.PCTR] if (year + i) % 3 == 0 else []
            for kind in kinds:
                pctr = kind == ReviewKind.PCTR
                lead_la = active[(n + (1 if pctr else 2)) % count]
                qa_la = active[(n + (2 if pctr else 1)) % count]
                plan = _review_plan(
                    rng=rng,
                    kind=kind,
                    year=year,
                    slot=(i + (0 if pctr else 2)) % 4,
                    host=la,
                    lead_la=lead_la,
                    qa_la=qa_la,
                    cast=cast,
                    assessments=assessments,
                    chosen=chosen,
                )
                if plan is not None and _issue_day(plan.review) < before:
                    plans.append(plan)
    _reviews_write(plans, made, coordinator=coordinator)
    _desk_analysis_write(plans, made)
    finding_of = _feedback_write(rng, plans, made, ratings=ratings, index=index)
    _letters_write(plans, made, region=region, pdfs=pdfs, finding_of=finding_of)
    _tags_write(plans, made, themes=themes, coordinator=coordinator, finding_of=finding_of)
    _progress_write(rng, plans, made, assessments=assessments, cast=cast)
    return dict(made)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _review_plan(
    *, rng, kind, year, slot, host, lead_la, qa_la, cast, assessments, chosen
) -> _Plan | None:
    """The review's slot (a PCTR's quarter, a SAV's two months in it), its on-site days
    (3 or 2 working days), and the weaknesses and lines of enquiry of the host's latest
    submitted self-assessment that its hypotheses come from (R18, R40)."""
    pctr = kind == ReviewKind.PCTR
    starts_on = datetime.date(year, 1 + 3 * slot, 1)
    months = 3 if pctr else 2
    end_month = starts_on.month + months
    ends_on = (
        datetime.date(year + end_month // 13, (end_month - 1) % 12 + 1, 1) - _days(1)
        if end_month <= 12
        else datetime.date(year, 12, 31)
    )
    onsite = working_days_from(starts_on + _days(21 + (host.pk % 7)), 3 if pctr else 2)
    if onsite[-1] > ends_on:
        return None
    source_year = year if starts_on.month > 3 else year - 1
    assessment = assessments.get((host.pk, source_year))
    topics = []
    if assessment is not None:
        picks = chosen[host.pk, source_year]
        # Hypotheses from the first weaknesses and, for a PCTR, a line of enquiry.
        for number, topic in enumerate(picks[:2], start=1):
            topics.append((topic, HypothesisSource.WEAKNESS, number, topic.weakness))
        extra = 4 if pctr else 3
        topics.append((picks[extra - 1], HypothesisSource.KLOE, extra, picks[extra - 1].kloe))
        if pctr:
            topics.append((picks[2], HypothesisSource.WEAKNESS, 3, picks[2].weakness))
    else:
        # Nothing submitted to start from: drafted from the data alone, linked to nothing.
        topics = [(t, "", 0, "") for t in rng.sample(TOPICS, 3)]
    role_person = (lambda la: cast[la.pk].dcs) if pctr else (lambda la: cast[la.pk].ad)
    review = Review(
        kind=kind,
        host=host,
        starts_on=starts_on,
        ends_on=ends_on,
        lead_local_authority=lead_la,
        qa_local_authority=qa_la,
        state=ReviewState.AFTER_VISIT,
        onsite_from=onsite[0],
        onsite_to=onsite[-1],
    )
    return _Plan(
        review=review,
        topics=topics,
        self_assessment=assessment,
        lead=role_person(lead_la),
        qa=role_person(qa_la),
        data=cast[lead_la.pk].data,
        host=cast[host.pk].dcs,
    )


def _due_days(review: Review) -> int:
    return 10 if review.kind == ReviewKind.PCTR else 5


def _issue_day(review: Review) -> datetime.date:
    """Issued on the due day's eve: within 10 (PCTR) or 5 (SAV) working days (R23)."""
    return working_days_from(review.onsite_to + _days(1), _due_days(review) - 1)[-1]


def _reviews_write(plans: list[_Plan], made, *, coordinator: User) -> None:
    for plan in plans:
        plan.review.created_at = _at(plan.review.starts_on - _days(300), 9)
    _create_dated(Review, [p.review for p in plans], "created_at")
    made["reviews"] = len(plans)
    made["PCTRs"] = sum(p.review.kind == ReviewKind.PCTR for p in plans)
    # The lead, the QA and the data specialist, each placed with their grant on the
    # review (R14, R15, R29): the places a visit cannot start without. The history names
    # no other members.
    view = Permission.objects.get(codename="view_review", content_type__app_label="reviews")
    members, grants, changes = [], [], []
    for plan in plans:
        review = plan.review
        prepared = _prepared(review)
        for person, role, la, by in (
            # The coordinator names the lead and the QA; the lead, the data specialist
            # from their own LA (R14, R15).
            (plan.lead, TeamRole.LEAD, review.lead_local_authority, coordinator),
            (plan.qa, TeamRole.QA, review.qa_local_authority, coordinator),
            (plan.data, TeamRole.DATA_SPECIALIST, review.lead_local_authority, plan.lead),
        ):
            members.append(
                TeamMember(
                    review=review,
                    person=person,
                    role=role,
                    local_authority=la,
                    assigned_by=by,
                    assigned_at=prepared,
                )
            )
            grants.append(ReviewUserGrant(content_object=review, user=person, permission=view))
        steps = [
            (ReviewState.PLANNED, ReviewState.PREPARING, prepared),
            (ReviewState.PREPARING, ReviewState.AGREED, _agreed(review)),
            (ReviewState.AGREED, ReviewState.ON_SITE, _at(review.onsite_from, 9)),
            (ReviewState.ON_SITE, ReviewState.AFTER_VISIT, _at(review.onsite_to, 17)),
        ]
        changes += [
            ReviewStateChange(review=review, before=b, after=a, by=plan.lead, at=at)
            for b, a, at in steps
        ]
    _create_dated(TeamMember, members, "assigned_at")
    ReviewUserGrant.objects.bulk_create(grants)
    _create_dated(ReviewStateChange, changes, "at")
    made["team places"] = len(members)
    # A SAV's hypotheses are agreed by its team at the conference call (R19).
    calls = [
        ConferenceCall(
            review=plan.review,
            held_on=_agreed(plan.review).date(),
            notes="Hypotheses, lines of enquiry and deployment agreed.",
            recorded_by=plan.lead,
            recorded_at=_agreed(plan.review),
        )
        for plan in plans
        if plan.review.kind == ReviewKind.SAV
    ]
    _create_dated(ConferenceCall, calls, "recorded_at")
    ConferenceCall.attended_by.through.objects.bulk_create(
        [
            ConferenceCall.attended_by.through(conferencecall=call, user=person)
            for call, plan in zip(
                calls, [p for p in plans if p.review.kind == ReviewKind.SAV], strict=True
            )
            for person in (plan.lead, plan.qa, plan.data)
        ]
    )


def _prepared(review: Review) -> datetime.datetime:
    return _at(working_days_from(review.onsite_from - _days(45), 1)[0], 10)


def _agreed(review: Review) -> datetime.datetime:
    """When the hypotheses were agreed: the host's decision two weeks into a PCTR's
    preparation; a SAV's conference call on the working day before its visit (R19)."""
    if review.kind == ReviewKind.PCTR:
        return _prepared(review) + _days(14)
    return _at(working_days_shift(review.onsite_from, -1), 16)


def _desk_analysis_write(plans: list[_Plan], made) -> None:
    """Up to four hypotheses each, from the self-assessment's weaknesses and lines of
    enquiry (R18, R40); the last parked, the rest investigated, decided by the host's DCS
    for a PCTR and agreed by the team for a SAV (R19); two methods each (R20)."""
    hypotheses = []
    for plan in plans:
        review = plan.review
        decided_at = _agreed(review)
        decider = plan.host if review.kind == ReviewKind.PCTR else plan.lead
        for number, (topic, kind, source, words) in enumerate(plan.topics, start=1):
            proposal = Proposal.PARK if number == len(plan.topics) else Proposal.INVESTIGATE
            hypothesis = Hypothesis(
                review=review,
                number=number,
                text=topic.hypothesis,
                linked_to_data=True,
                linked_to_self_assessment=bool(kind),
                source_kind=kind,
                source_number=source or None,
                source_text=words,
                proposal=proposal,
                decision=proposal,
                decided_by=decider,
                decided_at=decided_at,
                written_by=plan.lead,
                updated_at=decided_at,
            )
            plan.hypotheses.append(hypothesis)
            hypotheses.append(hypothesis)
    _create_dated(Hypothesis, hypotheses, "updated_at")
    methods = [
        Method(hypothesis=h, number=n, text=text)
        for plan in plans
        for h, (topic, *_) in zip(plan.hypotheses, plan.topics, strict=True)
        if h.decision == Proposal.INVESTIGATE
        for n, text in enumerate(topic.methods, start=1)
    ]
    Method.objects.bulk_create(methods)
    made["hypotheses"] = len(hypotheses)
    made["methods"] = len(methods)


def _investigated(plan: _Plan):
    return [
        (h, topic)
        for h, (topic, *_) in zip(plan.hypotheses, plan.topics, strict=True)
        if h.decision == Proposal.INVESTIGATE
    ]


def _feedback_write(
    rng: random.Random, plans: list[_Plan], made, *, ratings, index
) -> dict[int, Finding]:
    """On site, a key finding with its evidence per investigated hypothesis and the
    team's conclusions (R21); at the verbal feedback on the last day, an action per
    finding with what the host said of it (mostly agreed, some not, a few not yet said),
    and the team's 1–4 view of each area its hypotheses touched, set against the host's
    own rating: some LAs rate themselves higher than their peers find, some lower (R22,
    R39)."""
    findings, reports, feedbacks, actions, views = [], [], [], [], []
    links = []
    for plan in plans:
        review = plan.review
        found_at = _at(review.onsite_to, 12)
        given_at = _at(review.onsite_to, 16)
        feedbacks.append(
            VerbalFeedback(
                review=review,
                given_on=review.onsite_to,
                recorded_by=plan.lead,
                recorded_at=given_at,
                revision=2,
            )
        )
        for number, (hypothesis, topic) in enumerate(_investigated(plan), start=1):
            finding = Finding(
                hypothesis=hypothesis,
                text=topic.finding,
                evidence=topic.evidence,
                written_by=plan.lead,
                written_at=found_at,
                updated_at=found_at,
            )
            findings.append(finding)
            reports.append(
                HypothesisReport(
                    hypothesis=hypothesis,
                    conclusions=topic.finding,
                    lead_comments="The team agreed this finding before the feedback.",
                    host_comments="The council recognised the picture.",
                    updated_by=plan.lead,
                    updated_at=given_at,
                )
            )
            says = rng.choices((True, False, None), weights=(75, 15, 10))[0]
            action = AgreedAction(
                review=review,
                number=number,
                text=topic.action,
                host_agrees=says,
                commentary={True: AGREED_COMMENT, False: NOT_AGREED_COMMENT, None: ""}[says],
                is_priority=True,
            )
            plan.actions.append(action)
            actions.append(action)
            links.append((action, finding))
        i = index[review.host_id]
        year = plan.self_assessment.year if plan.self_assessment else review.onsite_from.year
        rated = ratings.get((i, year), {})
        # Over-raters, honest raters and under-raters, by turns.
        bias = (1, 0, -1, 0)[i % 4]
        for area in sorted({topic.area for _, topic in _investigated(plan)}):
            own = rated.get(area, 2)
            views.append(
                TeamAreaView(
                    review=review,
                    area=area,
                    rating=max(1, min(4, own - bias + rng.choice((0, 0, 0, 1, -1)))),
                    recorded_by=plan.lead,
                    recorded_at=given_at,
                )
            )
    Finding.objects.bulk_create(findings)
    HypothesisReport.objects.bulk_create(reports)
    VerbalFeedback.objects.bulk_create(feedbacks)
    AgreedAction.objects.bulk_create(actions)
    AgreedAction.findings.through.objects.bulk_create(
        [AgreedAction.findings.through(agreedaction=a, finding=f) for a, f in links]
    )
    TeamAreaView.objects.bulk_create(views)
    made["findings"] = len(findings)
    made["agreed actions"] = len(actions)
    made["team views of areas"] = len(views)
    return {a.pk: f for a, f in links}


def _letters_write(
    plans: list[_Plan], made, *, region: Region, pdfs: bool, finding_of: dict
) -> None:
    """The final letter of each review, filled from the region's template with the
    product's own placeholders (each action under what the host said of it), proofread,
    shared and issued within its due days (R23); refused here, before anything is
    written, if one would call an action agreed that the host did not agree."""
    templates = {t.kind: (t.subject, t.body) for t in LetterTemplate.objects.filter(region=region)}
    letters, events = [], []
    for plan in plans:
        review = plan.review
        days = working_days_from(review.onsite_to + _days(1), _due_days(review) - 1)
        drafted, approved, shared, issued = (
            _at(days[0], 10),
            _at(days[1], 11),
            _at(days[2], 12),
            _at(days[-1], 14),
        )
        record = FeedbackRecord(
            review=review,
            feedback=None,
            hypotheses=[],
            actions=[ActionRecord(action=a, findings=[finding_of[a.pk]]) for a in plan.actions],
        )
        values = letter_selectors.letter_placeholder_values(
            review=review, record=record, on=days[0]
        )
        subject, body = templates.get(review.kind, FALLBACK_TEMPLATE)
        letter = Letter(
            review=review,
            state=LetterState.FINAL,
            subject=placeholders_fill(subject, values)[:200],
            body=placeholders_fill(body, values),
            revision=1,
            drafted_by=plan.lead,
            drafted_at=drafted,
            updated_at=issued,
            approved_by=plan.qa,
            approved_at=approved,
            shared_at=shared,
            issued_by=plan.lead,
            issued_at=issued,
        )
        if letter_selectors.letter_misstated_actions(body=letter.body, record=record):
            raise ValidationError(f"The history's letter of {review} would misstate an action.")
        letters.append(letter)
        steps = [
            (LetterState.DRAFT, LetterState.DRAFT, plan.lead, drafted),
            (LetterState.DRAFT, LetterState.WITH_QA, plan.lead, drafted + _days(0.25)),
            (LetterState.WITH_QA, LetterState.APPROVED, plan.qa, approved),
            (LetterState.APPROVED, LetterState.SHARED, plan.lead, shared),
            (LetterState.SHARED, LetterState.FINAL, plan.lead, issued),
        ]
        events += [
            LetterEvent(letter=letter, before=b, after=a, by=by, at=at) for b, a, by, at in steps
        ]
    Letter.objects.bulk_create(letters)
    LetterEvent.objects.bulk_create(events)
    made["final letters"] = len(letters)
    if not pdfs:
        return
    stored = []
    for letter in letters:
        pdf = LetterPdf(
            letter=letter,
            is_final=True,
            letter_revision=letter.revision,
            requested_by=letter.issued_by,
            requested_at=letter.issued_at,
        )
        # As an issue does: the HTML fixed now, the PDF made of it by the worker (R23).
        pdf.html = loader.render_to_string(
            PDF_TEMPLATE,
            {
                **letter_selectors.letter_pdf_context(pdf=pdf),
                "service_name": settings.SERVICE_NAME,
            },
        )
        stored.append(pdf)
    LetterPdf.objects.bulk_create(stored)
    for pdf in stored:
        task_after_commit("reviews.tasks.task_letter_pdf_render", pdf_id=pdf.pk)
    made["final letter PDFs asked of the worker"] = len(stored)


def _tags_write(
    plans: list[_Plan], made, *, themes: dict, coordinator: User, finding_of: dict
) -> None:
    """The coordinator's themes on each final letter's findings and priority actions, a
    week after the letter came in (R28)."""
    now = timezone.now()
    tags = []
    for plan in plans:
        tagged_at = min(plan.review.letter.issued_at + _days(7), now)
        for action, (_, topic) in zip(plan.actions, _investigated(plan), strict=True):
            theme = themes.get(topic.theme.lower())
            if theme is None:
                continue  # renamed or retired by the region's coordinator
            review = plan.review
            tags.append(
                ThemeTag(
                    theme=theme,
                    finding=finding_of[action.pk],
                    review=review,
                    tagged_by=coordinator,
                    tagged_at=tagged_at,
                )
            )
            if action.is_priority:
                tags.append(
                    ThemeTag(
                        theme=theme,
                        action=action,
                        review=review,
                        tagged_by=coordinator,
                        tagged_at=tagged_at,
                    )
                )
    ThemeTag.objects.bulk_create(tags)
    made["theme tags"] = len(tags)


NEXT_STEP = {
    Progress.NOT_STARTED: Progress.IN_PROGRESS,
    Progress.IN_PROGRESS: Progress.DONE,
    Progress.DONE: Progress.DONE,
}


def _progress_write(rng: random.Random, plans: list[_Plan], made, *, assessments, cast) -> None:
    """What the host reported of each action it agreed: in the LA's next self-assessment
    and in the desk analysis of its next review, moving on (or not) from one report to the
    next (R38). The latest actions, and some others, have no report yet."""
    by_host = defaultdict(list)
    for plan in plans:
        by_host[plan.review.host_id].append(plan)
    rows = []
    for host_id, hosted in by_host.items():
        hosted.sort(key=lambda p: p.review.onsite_from)
        reporter = cast[host_id].dcs
        for n, plan in enumerate(hosted):
            issued = plan.review.letter.issued_at
            later = []
            assessment = assessments.get((host_id, issued.year + 1))
            if assessment is not None:
                later.append((assessment.submitted_at, assessment, None))
            # The host reports in a later review's desk analysis only on a PCTR: a SAV's
            # desk analysis is never the host's to see (R30).
            following = next((p for p in hosted[n + 1 :] if p.review.kind == ReviewKind.PCTR), None)
            if following is not None:
                later.append((_prepared(following.review) + _days(7), None, following.review))
            later.sort(key=lambda row: row[0])
            for action in plan.actions:
                if action.host_agrees is not True or rng.random() < 0.15:
                    continue
                status = rng.choices(
                    (Progress.DONE, Progress.IN_PROGRESS, Progress.NOT_STARTED),
                    weights=(30, 50, 20),
                )[0]
                for at, assessment, review in later:
                    rows.append(
                        ActionProgress(
                            action=action,
                            status=status,
                            commentary=PROGRESS_COMMENT[status],
                            self_assessment=assessment,
                            review=review,
                            recorded_by=reporter,
                            recorded_at=at,
                        )
                    )
                    status = NEXT_STEP[status] if rng.random() < 0.7 else status
    ActionProgress.objects.bulk_create(rows)
    made["action progress reports"] = len(rows)
