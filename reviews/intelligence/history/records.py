"""Writing the history's records in bulk, stage by stage: reviews and their teams, desk
analyses, verbal feedback, final letters, theme tags and progress (R18–R23, R28, R38)."""

import random
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils import timezone

from emslirp.models import Region, User
from emslirp.queue import task_after_commit
from emslirp.working_days import working_days_from
from reviews.intelligence.history.content import (
    AGREED_COMMENT,
    FALLBACK_TEMPLATE,
    NOT_AGREED_COMMENT,
    PROGRESS_COMMENT,
)
from reviews.intelligence.history.plan import (
    _agreed,
    _at,
    _create_dated,
    _days,
    _due_days,
    _Plan,
    _prepared,
)
from reviews.intelligence.models import ActionProgress, Progress, ThemeTag
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
from reviews.workbook.feedback_record import ActionRecord, FeedbackRecord
from reviews.workbook.models import (
    AgreedAction,
    ConferenceCall,
    Finding,
    Hypothesis,
    HypothesisReport,
    Method,
    Proposal,
    TeamAreaView,
    VerbalFeedback,
)


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
