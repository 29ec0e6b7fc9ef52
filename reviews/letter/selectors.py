"""Reads of the feedback letter (R23, R36): its due date, the values its template's
placeholders are filled with, its history and PDFs, and what its PDF prints."""

import dataclasses
import datetime
import re

from django.db.models import Prefetch, Q
from django.utils import timezone

from emslirp.models import Post, PostKind, User
from emslirp.selectors import post_holder, post_holders
from emslirp.working_days import working_days_after, working_days_from
from reviews.letter.models import (
    Letter,
    LetterEvent,
    LetterPdf,
    LetterPdfDownload,
    LetterState,
    LetterTemplate,
)
from reviews.letter.permissions import LetterRights
from reviews.review.models import Review, ReviewKind, TeamRole
from reviews.review.selectors import lead_of
from reviews.review.teams import ROLE_NAMES
from reviews.workbook.feedback_record import FeedbackRecord, verbal_feedback_record
from reviews.workbook.models import AgreedAction
from reviews.workbook.services.deployment import onsite_days

# The final letter is due this many working days after the last on-site day (R23).
LETTER_DUE_WORKING_DAYS = {ReviewKind.PCTR: 10, ReviewKind.SAV: 5}

# The post through which the lead leads, for the title under their name.
LEAD_POST = {ReviewKind.PCTR: PostKind.DCS, ReviewKind.SAV: PostKind.SAFEGUARDING_LEAD}


def letter_due_on(review: Review) -> datetime.date | None:
    """The day the final letter is due: the 10th (PCTR) or 5th (SAV) working day after the
    last on-site day, weekends and England and Wales bank holidays counted out (R23,
    R36). None while the on-site days are not set."""
    if review.onsite_to is None:
        return None
    count = LETTER_DUE_WORKING_DAYS[ReviewKind(review.kind)]
    return working_days_from(review.onsite_to + datetime.timedelta(days=1), count)[-1]


@dataclasses.dataclass(frozen=True)
class LetterDue:
    due_on: datetime.date | None
    issued_on: datetime.date | None
    today: datetime.date

    @property
    def overdue(self) -> bool:
        """Past the due date and not yet issued."""
        return bool(self.due_on and self.issued_on is None and self.today > self.due_on)

    @property
    def issued_late(self) -> bool:
        return bool(self.due_on and self.issued_on and self.issued_on > self.due_on)

    @property
    def working_days_late(self) -> int:
        """Working days from the due date to today (or to the issue), the due day not
        counted."""
        if not self.due_on:
            return 0
        return working_days_after(self.due_on, self.issued_on or self.today)


def letter_due(review: Review, letter: Letter | None, *, today: datetime.date) -> LetterDue:
    issued = (
        timezone.localtime(letter.issued_at).date()
        if letter is not None and letter.issued_at
        else None
    )
    return LetterDue(due_on=letter_due_on(review), issued_on=issued, today=today)


def letter_of(review: Review) -> Letter | None:
    """The review's letter with who drafted, approved and issued it, or None. One query."""
    return (
        Letter.objects.filter(review=review)
        .select_related("drafted_by", "approved_by", "issued_by")
        .first()
    )


def letter_template_of(review: Review) -> LetterTemplate | None:
    """The region's template for the review's kind. One query."""
    return LetterTemplate.objects.filter(region_id=review.host.region_id, kind=review.kind).first()


# What each step of the flow is called in the letter's history (R23, R33).
STEP_NAMES = {
    (LetterState.DRAFT, LetterState.DRAFT): "Draft written",
    (LetterState.DRAFT, LetterState.WITH_QA): "Sent to the QA",
    (LetterState.WITH_QA, LetterState.DRAFT): "Returned by the QA",
    (LetterState.WITH_QA, LetterState.APPROVED): "Approved by the QA",
    (LetterState.APPROVED, LetterState.SHARED): "Shared with the host",
    (LetterState.SHARED, LetterState.FINAL): "Issued final",
}


def letter_events(letter: Letter) -> list[tuple[LetterEvent, str]]:
    """The letter's history, oldest first, each step with its name. One query."""
    events = letter.events.select_related("by").order_by("at", "pk")
    return [(e, STEP_NAMES.get((e.before, e.after), e.get_after_display())) for e in events]


def letter_pdfs_readable(letter: Letter, rights: LetterRights) -> Q:
    """The one rule of which of ``letter``'s PDFs someone with ``rights`` reads (R23, R29),
    for the list, the page and the download alike. The final PDF: whoever reads the final
    letter. The drafts: all of them to the lead and the QA; to the host, who reads the
    draft once it is shared, only those asked for at or after the sharing. An earlier one
    was made while the draft was the team's own (with the QA, or returned with its
    comments) and may print wording the host was never meant to read; from the sharing
    on, the letter only moves forward, so every later draft prints the shared text."""
    readable = Q(pk__in=[])
    if rights.read_final:
        readable |= Q(is_final=True)
    if rights.write or rights.proofread:
        readable |= Q(is_final=False)
    elif rights.read_draft and letter.shared_at is not None:
        readable |= Q(is_final=False, requested_at__gte=letter.shared_at)
    return readable


def letter_pdfs(letter: Letter, *, rights: LetterRights) -> list[LetterPdf]:
    """The letter's PDFs ``rights`` reads (``letter_pdfs_readable``), newest first, with
    their download logs; their content and HTML are left in the database. Two queries
    (none when nothing is readable)."""
    return list(
        LetterPdf.objects.filter(letter_pdfs_readable(letter, rights), letter=letter)
        .defer("content", "html")
        .select_related("requested_by")
        .prefetch_related(
            Prefetch("downloads", queryset=LetterPdfDownload.objects.select_related("by"))
        )
        .order_by("-is_final", "-requested_at", "-pk")
    )


def letter_lead_title(review: Review, lead: User | None, *, on: datetime.date) -> str:
    """The lead's post and LA on ``on`` (their DCS post for a PCTR, 2nd-tier lead for a
    SAV), else their place on the team."""
    kind = ReviewKind(review.kind)
    post = None
    if lead is not None:
        post = (
            Post.objects.held_on(on)
            .filter(holder=lead, kind=LEAD_POST[kind], local_authority__isnull=False)
            .select_related("local_authority")
            .order_by("-started_on", "pk")
            .first()
        )
    if post is not None:
        return f"{post.get_kind_display()}, {post.local_authority}"
    role = ROLE_NAMES[kind][TeamRole.LEAD]
    la = review.lead_local_authority
    return f"{role}, {la}" if la else role


def days_text(days: list[datetime.date]) -> str:
    """16, 17 and 18 November 2026; 30 November and 1 December 2026; across a year's end,
    every day with its year."""
    if not days:
        return ""
    if len({d.year for d in days}) > 1:
        parts = [f"{d:%-d %B %Y}" for d in days]
    elif len({d.month for d in days}) > 1:
        parts = [f"{d:%-d %B}" for d in days]
        parts[-1] += f" {days[-1]:%Y}"
    else:
        parts = [str(d.day) for d in days]
        parts[-1] += f" {days[-1]:%B %Y}"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


NO_PRIORITY_ACTIONS = "No area for priority action was recorded at the verbal feedback."
# Each priority action is listed under what the host said of it at the verbal feedback
# (R22, R23): an action the host did not agree is never presented as agreed.
AGREEMENT_HEADINGS = {
    True: "Agreed by the council at the verbal feedback:",
    False: "Not agreed by the council at the verbal feedback:",
    None: "Not yet agreed by the council:",
}


def _action_line(action: AgreedAction) -> str:
    line = f"{action.number}. {' '.join(action.text.split())}"
    commentary = " ".join(action.commentary.split())
    if action.host_agrees is not True and commentary:
        line += f" (The council's view: {commentary})"
    return line


def priority_actions_text(record: FeedbackRecord) -> str:
    """The verbal feedback's priority actions, each under what the host said of it —
    agreed, not agreed (with the host's commentary), or not yet said — and numbered as in
    the verbal feedback record attached to the letter (R22, R23)."""
    actions = record.priority_actions
    if not actions:
        return NO_PRIORITY_ACTIONS
    groups = []
    for agrees, heading in AGREEMENT_HEADINGS.items():
        lines = [_action_line(a) for a in actions if a.host_agrees is agrees]
        if lines:
            groups.append("\n".join([heading, *lines]))
    return "\n\n".join(groups)


# A heading that presents what follows it as agreed: "… agreed at the verbal feedback:".
_AGREED_HEADING = re.compile(r"\bagreed\b[^\n]*:\s*$", re.IGNORECASE)
_NOT_AGREED = re.compile(r"\bnot\s+(yet\s+)?agreed\b", re.IGNORECASE)


def letter_misstated_actions(*, body: str, record: FeedbackRecord) -> list[AgreedAction]:
    """The priority actions the host did not agree (or has not yet) whose text the body
    lists under a heading that calls them agreed — say the template's old "Areas for
    priority action agreed at the verbal feedback:" kept from a draft made before the
    actions were corrected. A letter saying so is never shared or issued (R23)."""
    heading = ""
    listed_under: dict[str, str] = {}
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.endswith(":"):
            heading = stripped
            continue
        listed_under.setdefault(" ".join(stripped.split()), heading)
    misstated = []
    for action in record.priority_actions:
        if action.host_agrees is True:
            continue
        text = " ".join(action.text.split())
        for line, under in listed_under.items():
            if text in line and _AGREED_HEADING.search(under) and not _NOT_AGREED.search(under):
                misstated.append(action)
                break
    return misstated


def letter_placeholder_values(
    *, review: Review, record: FeedbackRecord, on: datetime.date
) -> dict[str, str]:
    """What each placeholder of the letter template stands for, from the records on
    ``on`` (R3, R23): the host's DCS then in post, the host LA, the on-site days, the
    verbal feedback's priority actions, and the lead."""
    host_dcs = post_holder(kind=PostKind.DCS, local_authority=review.host, on=on)
    lead = lead_of(review)
    return {
        "host_dcs": host_dcs.full_name if host_dcs else PostKind.DCS.label,
        "council": review.host.name,
        "review_dates": days_text(onsite_days(review)),
        "priority_actions": priority_actions_text(record),
        "lead_name": lead.full_name if lead else ROLE_NAMES[review.kind][TeamRole.LEAD],
        "lead_title": letter_lead_title(review, lead, on=on),
        "kind": review.get_kind_display(),
    }


def letter_reference(letter: Letter) -> str:
    """The reference printed on the letter: kind, host, year of the visit, letter number."""
    review = letter.review
    year = (review.onsite_from or review.starts_on).year
    host = "".join(c for c in review.host.name.upper() if c.isalnum())
    return f"{review.kind.upper()}/{host}/{year}/{letter.pk}"


def letter_recipients_host(review: Review, *, on: datetime.date) -> list[User]:
    """The host's DCS and 2nd-tier safeguarding lead on ``on``: who the letter is for."""
    return [
        *post_holders(kind=PostKind.DCS, local_authority=review.host, on=on),
        *post_holders(kind=PostKind.SAFEGUARDING_LEAD, local_authority=review.host, on=on),
    ]


def letter_coordinators(review: Review, *, on: datetime.date) -> list[User]:
    return list(post_holders(kind=PostKind.COORDINATOR, region=review.host.region, on=on))


def letter_paragraphs(body: str) -> list[str]:
    """The body's paragraphs, split at blank lines; line breaks within one are kept."""
    return [p.strip("\n") for p in re.split(r"\n[ \t]*\n", body) if p.strip()]


def letter_pdf_context(*, pdf: LetterPdf, record: FeedbackRecord | None = None) -> dict:
    """What the PDF template prints: the letter, its reference and date (the date it was
    issued for the final one), and the verbal feedback record attached (R22, R23)."""
    letter = pdf.letter
    review = letter.review
    record = record or verbal_feedback_record(review)
    final = pdf.is_final
    return {
        "letter": letter,
        "paragraphs": letter_paragraphs(letter.body),
        "review": review,
        "record": record,
        "final": final,
        "reference": letter_reference(letter),
        "issued_on": timezone.localtime(letter.issued_at).date()
        if final and letter.issued_at
        else None,
        "issued_by": letter.issued_by if final else None,
        "revision": letter.revision,
        "review_dates": days_text(onsite_days(review)),
        "state_label": LetterState(letter.state).label,
    }


def letter_actions(review: Review) -> list[AgreedAction]:
    """The review's agreed actions in order, for the final letter's links to each one's
    trace (R40). One query."""
    return list(AgreedAction.objects.filter(review=review).order_by("number"))
