"""The demo's reviews after their visit (``load_demo``): one with its notebook, verbal
feedback and final letter (its PDF rendered), one whose team and host DCS have all
reflected, and one with a critical incident still open. Made through the services, as
the team and host would make them; loading twice changes nothing."""

import datetime
import uuid

from django.utils import timezone

from emslirp.models import PostKind
from emslirp.selectors import post_holder
from reviews.letter import pdf as letter_pdf
from reviews.letter import services as letters
from reviews.reflections import services as reflections
from reviews.reflections.selectors import reflection_colleagues, reflections_close_on
from reviews.review.models import Review, TeamRole
from reviews.workbook.feedback_record import verbal_feedback_record
from reviews.workbook.models import Hypothesis, Proposal
from reviews.workbook.services import notebook, verbal_feedback
from safeguarding import services as incidents

# Each writer's words, varied so the composite reads as a team's (R27).
STRENGTHS = [
    "Kept the team to the hypotheses and the timetable.",
    "Put staff at ease in the focus groups.",
    "Read the data quickly and saw what it did not show.",
    "Asked the follow-up question that opened up the front door audit.",
    "Wrote clear notes that others could use the same evening.",
    "Brought the partners' view into every discussion.",
    "Challenged firmly and kindly.",
]
DEVELOPMENT = [
    "Could have shared emerging findings with the team earlier in the day.",
    "Spent too long on one case file on the first morning.",
    "Could say more about the evidence behind a judgement.",
    "Should hand over to colleagues more in the feedback session.",
    "Could check the deployment grid before each session.",
    "Needs to keep notes shorter on site.",
    "Might ask open questions before closed ones.",
]


def _lines(texts: list[str], start: int) -> str:
    return texts[start % len(texts)]


def reflections_complete(review: Review, *, today: datetime.date) -> int:
    """Every member on site and the host DCS reflect and submit; returns how many."""
    writers = [
        m.person
        for m in review.team.select_related("person").order_by("pk")
        if m.role in (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER)
    ]
    host = post_holder(kind=PostKind.DCS, local_authority=review.host, on=today)
    if host is not None:
        writers.append(host)
    # The review's visit is long over: its reflections were written by its closing day.
    written_at = timezone.make_aware(
        datetime.datetime.combine(reflections_close_on(review), datetime.time(16, 0))
    )
    for n, writer in enumerate(writers):
        colleagues = [c.person for c in reflection_colleagues(review=review, writer=writer)]
        reflections.reflection_save(
            review=review,
            by=writer,
            answers={
                "self_strengths": _lines(STRENGTHS, n + 3),
                "self_development": _lines(DEVELOPMENT, n + 2),
                "suitability": 3 + n % 3,
                "length_comments": "Three days was about right for two hypotheses.",
                "design_comments": "" if n % 2 else "The desk analysis stage paid off on site.",
                "hypotheses_comments": "They kept the visit focused.",
                "arrangements_comments": "" if n % 3 else "Rooms were booked late.",
                "needs_identification": "Yes, especially at the front door.",
                "local_priorities": "It should shape next year's improvement plan.",
                "main_learning": _lines(
                    [
                        "How much a small audit sample can show.",
                        "To test what the data says against what staff say.",
                        "How another authority runs its front door.",
                    ],
                    n,
                ),
                "leadership_development": 3 + (n + 1) % 3,
                "benefits": "Ideas for our own supervision policy.",
                "other_comments": "",
            },
            peer_feedback={
                c.pk: {
                    "strengths": _lines(STRENGTHS, n + i),
                    "development": _lines(DEVELOPMENT, n + i),
                }
                for i, c in enumerate(colleagues)
            },
            at=written_at,
        )
        reflections.reflection_submit(review=review, by=writer, at=written_at)
    return len(writers)


def incident_open(review: Review) -> int:
    """A critical incident a team member found on the second on-site day; the lead has
    raised it with the host DCS, who has not yet responded (R25). Returns 1, or 0 if the
    review has no member to raise it."""
    member = review.team.filter(role=TeamRole.MEMBER).select_related("person").first()
    lead = review.team.filter(role=TeamRole.LEAD).select_related("person").first()
    if member is None or lead is None or review.onsite_from is None:
        return 0
    second_day = review.onsite_from + datetime.timedelta(days=1)
    found = timezone.make_aware(datetime.datetime.combine(second_day, datetime.time(11, 20)))
    incident = incidents.incident_raise(
        review=review,
        incident="A referral made three weeks ago has had no assessment started.",
        nature=(
            "A contact about a young person at risk of exploitation was logged and passed "
            "to a team that was not told; nobody has seen the young person since."
        ),
        evidence="The case file and the front door's contact log, seen with the team manager.",
        identified_at=found,
        identified_by=member.person,
        initial_action="Told the lead at once; the team manager was asked to allocate today.",
        by=member.person,
    )
    incidents.incident_raised_with_host_record(
        incident=incident, at=found + datetime.timedelta(minutes=40), by=lead.person
    )
    return 1


# What the team wrote on site about each investigated hypothesis: running notes, key
# findings with their evidence, and conclusions (R21).
NOTEBOOK = {
    1: {
        "notes": [
            "Front door manager: thresholds guidance reissued in the spring.",
            "Two of the five contacts sampled this morning were stepped down without a call back.",
            "Health colleagues say they do not hear what happens to their referrals.",
        ],
        "findings": [
            (
                "Thresholds are applied differently by the two duty teams.",
                "Audit of 20 contacts: 7 of 10 in one team and 3 of 10 in the other went on "
                "to assessment for similar presenting needs.",
            ),
            (
                "Partners are not told the outcome of their referrals.",
                "Focus group with health and police; 4 of 6 could not name an outcome.",
            ),
        ],
        "conclusions": "The front door is safe but inconsistent; partners are left unsure.",
    },
    2: {
        "notes": [
            "Agency staff in the east team had no supervision recorded in August.",
            "Supervision policy says monthly; permanent staff mostly monthly.",
        ],
        "findings": [
            (
                "Agency social workers are supervised less often than permanent staff.",
                "Sample of 24 supervision records: monthly for 11 of 12 permanent staff, "
                "for 5 of 12 agency staff.",
            ),
        ],
        "conclusions": "Supervision reaches permanent staff well and agency staff poorly.",
    },
}
ACTIONS = [
    ("Agree one thresholds guide for both duty teams and audit it in three months.", True),
    ("Tell partners the outcome of every referral within five working days.", True),
    ("Bring agency social workers into the monthly supervision schedule.", True),
    ("Refresh the early help offer with schools.", False),  # traced to no finding
]


# Why the QA let the demo's action on early help stand with no finding behind it (R23).
UNTRACED_REASON = (
    "Agreed by the host at the feedback as following from the front door's findings; the "
    "schools' part was not looked at on site, and the letter says so."
)


def letter_final(review: Review, *, today: datetime.date) -> int:
    """The notebook written on site, the verbal feedback given on the last on-site day,
    and the letter drafted, proofread by the QA, shared and issued, its PDF rendered by
    the worker (in-process under ``make run``). Returns 1, or 0 if the team is not whole."""
    team = {m.role: m.person for m in review.team.select_related("person")}
    members = [m.person for m in review.team.filter(role=TeamRole.MEMBER).order_by("pk")]
    lead, qa = team.get(TeamRole.LEAD), team.get(TeamRole.QA)
    writers = [p for p in (lead, team.get(TeamRole.DATA_SPECIALIST), *members) if p]
    if lead is None or qa is None or review.onsite_to is None:
        return 0
    investigated = {
        h.number: h for h in Hypothesis.objects.filter(review=review, decision=Proposal.INVESTIGATE)
    }
    finding_pks = []
    for number, written in NOTEBOOK.items():
        hypothesis = investigated.get(number)
        if hypothesis is None:
            continue
        for n, text in enumerate(written["notes"]):
            notebook.note_add(
                hypothesis=hypothesis,
                text=text,
                client_key=uuid.uuid5(uuid.NAMESPACE_URL, f"demo/{review.pk}/{number}/{n}"),
                by=writers[n % len(writers)],
            )
        for n, (text, evidence) in enumerate(written["findings"]):
            finding = notebook.finding_add(
                hypothesis=hypothesis, text=text, evidence=evidence, by=writers[n % len(writers)]
            )
            finding_pks.append(finding.pk)
        notebook.conclusions_save(
            hypothesis=hypothesis, text=written["conclusions"], revision=0, by=lead
        )
        verbal_feedback.hypothesis_report_save(
            hypothesis=hypothesis,
            lead_comments="The team agreed these findings before the feedback.",
            host_comments="The host recognised the picture and had begun work on it.",
            revision=1,
            by=lead,
        )
    feedback = verbal_feedback.verbal_feedback_save(
        review=review, given_on=review.onsite_to, revision=0, by=lead
    )
    traced = [[finding_pks[0]], finding_pks[1:2], finding_pks[2:3], []]
    verbal_feedback.agreed_actions_save(
        review=review,
        actions=[
            {
                "text": text,
                "host_agrees": True,
                "commentary": "",
                "is_priority": priority,
                "findings": traced[n],
            }
            for n, (text, priority) in enumerate(ACTIONS)
        ],
        revision=feedback.revision,
        by=lead,
    )
    letter = letters.letter_draft(review=review, by=lead)
    letter = letters.letter_send_to_qa(letter=letter, by=lead)
    letter = letters.letter_proofread(
        letter=letter,
        approve=True,
        comments="",
        by=qa,
        untraced_reasons={
            a.number: UNTRACED_REASON for a in verbal_feedback_record(review).untraced
        },
    )
    letter = letters.letter_share(letter=letter, by=lead)
    letter_pdf.letter_issue(letter=letter, by=lead)
    return 1
