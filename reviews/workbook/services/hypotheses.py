"""The desk analysis and the negotiation of hypotheses (R18–R20).

The lead and the data specialist draft up to four hypotheses. For a PCTR the host DCS (or
2nd-tier lead) decides which two or three are investigated: the final say is theirs, the
lead can only record disagreement, and the QA is told and may comment (R19). A SAV is
unannounced, so nobody at the host is asked: the lead records the team's agreement at the
conference call the day before the visit. Agreed hypotheses get up to three methods.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from emslirp.models import User
from emslirp.notices import email_after_commit
from reviews.review import permissions as review_permissions
from reviews.review import states
from reviews.review.models import Review, ReviewKind, ReviewState, TeamMember, TeamRole
from reviews.review.selectors import team_in
from reviews.self_assessment.selectors import self_assessment_for_review
from reviews.workbook import permissions
from reviews.workbook import selectors as notebook_selectors
from reviews.workbook.models import ConferenceCall, Hypothesis, HypothesisComment, Method, Proposal

MAX_HYPOTHESES = 4
MAX_METHODS = 3
INVESTIGATED = (2, 3)
SOURCE_GONE = "That weakness or line of enquiry is no longer in the self-assessment: choose again."


def _access(user: User, review: Review) -> review_permissions.ReviewAccess:
    return review_permissions.review_access(user, review, on=timezone.localdate())


def _locked(review: Review) -> bool:
    """Hypotheses are fixed once decided: by the host (PCTR) or at the call (SAV)."""
    return review.hypotheses.exclude(decision="").exists()


def _notify(*, review: Review, to: list[User], subject: str, template: str, context: dict):
    """E-mail the people of the review's team or host, once the change commits. A SAV's
    host is never among them before the visit (R30): only team members are passed."""
    email_after_commit(
        template=f"reviews/email/{template}.txt",
        subject=subject,
        to=[p.email for p in to],
        context={
            **context,
            "review": review,
            "url": reverse("reviews:hypotheses", args=[review.pk]),
        },
    )


def _agreed(review: Review, by: User) -> None:
    """The decision, or the SAV team's agreement, closes the preparation's negotiation."""
    if review.state == ReviewState.PREPARING:
        states.review_state_set(review=review, state=ReviewState.AGREED, by=by, system=True)


@transaction.atomic
def hypotheses_save(*, review: Review, drafts: list[dict], by: User) -> list[Hypothesis]:
    """Replace the draft hypotheses with ``drafts`` (each: text, linked_to_data,
    linked_to_self_assessment, proposal, and ``source``: the value of one of
    ``hypothesis_sources`` of the desk analysis's self-assessment, or empty for none),
    numbered in order. The lead and the data specialist write them until they are decided
    (R18, R29). A source's words are copied from the self-assessment, never typed (R18,
    R40); a source no longer in it is refused at its field."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not permissions.hypotheses_rights(_access(by, review)).write:
        raise PermissionDenied
    if _locked(review):
        raise ValidationError("The hypotheses have been decided: they can no longer be changed.")
    drafts = [d for d in drafts if d.get("text", "").strip()]
    if len(drafts) > MAX_HYPOTHESES:
        raise ValidationError(f"Draft up to {MAX_HYPOTHESES} hypotheses.")
    for n, draft in enumerate(drafts, start=1):
        if draft.get("proposal") not in Proposal.values:
            raise ValidationError({f"{n}-proposal": "Propose to investigate or to park it."})
    sources = {
        s.value: s
        for s in notebook_selectors.hypothesis_sources(self_assessment_for_review(review))
    }
    for n, draft in enumerate(drafts, start=1):
        if draft.get("source") and draft["source"] not in sources:
            raise ValidationError({f"{n}-source": SOURCE_GONE})
    # Each hypothesis keeps its row by number, so the comments on it and its history stay
    # with it when the draft is saved again (R19, R33); only numbers no longer drafted go.
    review.hypotheses.filter(number__gt=len(drafts)).delete()
    saved = []
    for n, d in enumerate(drafts, start=1):
        source = sources.get(d.get("source") or "")
        hypothesis, _ = Hypothesis.objects.update_or_create(
            review=review,
            number=n,
            defaults={
                "text": d["text"].strip(),
                "linked_to_data": bool(d.get("linked_to_data")),
                # Resting on a weakness or line of enquiry links it to the self-assessment.
                "linked_to_self_assessment": bool(d.get("linked_to_self_assessment"))
                or source is not None,
                "source_kind": source.kind if source else "",
                "source_number": source.number if source else None,
                "source_text": source.text if source else "",
                "proposal": d["proposal"],
                "written_by": by,
            },
        )
        hypothesis.specialisms.set(d.get("specialisms") or [])
        saved.append(hypothesis)
    return saved


def _decisions_check(hypotheses: list[Hypothesis], decisions: dict[int, str]) -> None:
    missing = [h.number for h in hypotheses if decisions.get(h.number) not in Proposal.values]
    if missing:
        raise ValidationError(
            {f"{n}-decision": "Decide whether to investigate or park it." for n in missing}
        )
    low, high = INVESTIGATED
    if len(hypotheses) < low:
        raise ValidationError(f"At least {low} hypotheses are needed before deciding.")
    investigated = sum(1 for h in hypotheses if decisions[h.number] == Proposal.INVESTIGATE)
    if not low <= investigated <= high:
        raise ValidationError(
            f"Choose two or three hypotheses to investigate: {investigated} chosen."
        )


@transaction.atomic
def hypotheses_decide(
    *, review: Review, decisions: dict[int, str], by: User, notify: bool = True
) -> None:
    """The host's decision on a PCTR's hypotheses: which two or three are investigated
    (R19). Only the host DCS or 2nd-tier lead decides; the lead and the QA are told."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if (
        review.kind != ReviewKind.PCTR
        or not permissions.hypotheses_rights(_access(by, review)).decide
    ):
        raise PermissionDenied
    if _locked(review):
        raise ValidationError("The hypotheses have already been decided.")
    hypotheses = list(review.hypotheses.select_for_update())
    _decisions_check(hypotheses, decisions)
    now = timezone.now()
    against = []
    for h in hypotheses:
        h.decision, h.decided_by, h.decided_at = decisions[h.number], by, now
        h.save(update_fields=["decision", "decided_by", "decided_at"])
        if h.decision != h.proposal:
            against.append(h)
    _agreed(review, by)
    if not notify:
        return
    _notify(
        review=review,
        to=team_in(review, TeamRole.LEAD, TeamRole.QA),
        subject=f"The host has decided on the hypotheses for {review.host}",
        template="hypotheses_decided",
        context={"hypotheses": hypotheses, "against": against, "by": by},
    )


@transaction.atomic
def hypothesis_disagree(
    *, hypothesis: Hypothesis, text: str, by: User, notify: bool = True
) -> Hypothesis:
    """The lead records disagreement with the host's decision; the decision stands and the
    QA is brought in (R19)."""
    review = Review.objects.select_for_update().get(pk=hypothesis.review_id)
    if _access(by, review).team_role != TeamRole.LEAD:
        raise PermissionDenied
    hypothesis = Hypothesis.objects.select_for_update().get(pk=hypothesis.pk)
    if not hypothesis.decision:
        raise ValidationError("Disagreement is recorded once the host has decided.")
    if not text.strip():
        raise ValidationError({"disagreement": "Say what you disagree with."})
    hypothesis.disagreement = text.strip()
    hypothesis.save(update_fields=["disagreement", "updated_at"])
    if not notify:
        return hypothesis
    _notify(
        review=review,
        to=team_in(review, TeamRole.QA),
        subject=f"The lead disagrees with a decision on the hypotheses for {review.host}",
        template="hypothesis_disagreement",
        context={"hypothesis": hypothesis, "by": by},
    )
    return hypothesis


@transaction.atomic
def hypothesis_comment(*, hypothesis: Hypothesis, text: str, by: User) -> HypothesisComment:
    """A comment in the negotiation, from the QA, the lead, the data specialist or (PCTR)
    the host (R19, R29)."""
    review = hypothesis.review
    if not permissions.hypotheses_rights(_access(by, review)).comment:
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": "Write your comment."})
    return HypothesisComment.objects.create(hypothesis=hypothesis, author=by, text=text.strip())


@transaction.atomic
def conference_call_record(
    *,
    review: Review,
    held_on: datetime.date,
    attended_by: list[User],
    notes: str,
    decisions: dict[int, str],
    by: User,
) -> ConferenceCall:
    """The SAV team's agreement at the call the day before the visit (R19): who took part,
    what was agreed, and each hypothesis investigated or parked. Recorded by the lead."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.kind != ReviewKind.SAV or _access(by, review).team_role != TeamRole.LEAD:
        raise PermissionDenied
    if ConferenceCall.objects.filter(review=review).exists():
        raise ValidationError("The conference call has already been recorded.")
    latest = review.onsite_from or review.ends_on
    if not review.starts_on - datetime.timedelta(days=90) <= held_on <= latest:
        raise ValidationError(
            {"held_on": "The call is held before the visit, in the weeks before its window."}
        )
    team = set(TeamMember.objects.filter(review=review).values_list("person_id", flat=True))
    if any(p.pk not in team for p in attended_by):
        raise ValidationError({"attended_by": "Only the team takes part in the call."})
    hypotheses = list(review.hypotheses.select_for_update())
    _decisions_check(hypotheses, decisions)
    now = timezone.now()
    for h in hypotheses:
        h.decision, h.decided_by, h.decided_at = decisions[h.number], by, now
        h.save(update_fields=["decision", "decided_by", "decided_at"])
    call = ConferenceCall.objects.create(
        review=review, held_on=held_on, notes=notes.strip(), recorded_by=by
    )
    call.attended_by.set(attended_by)
    _agreed(review, by)
    return call


@transaction.atomic
def methods_save(*, hypothesis: Hypothesis, texts: list[str], by: User) -> list[Method]:
    """Up to three methods for an agreed hypothesis, written by the lead or the data
    specialist (R20), until the letter goes to the QA: from then on they are part of the
    record it was proofread against (R23)."""
    review = Review.objects.select_for_update().get(pk=hypothesis.review_id)
    if not permissions.hypotheses_rights(_access(by, review)).write:
        raise PermissionDenied
    if notebook_selectors.letter_state(review) in notebook_selectors.CLOSING_LETTER_STATES:
        raise ValidationError(
            "The letter has gone to the QA: the methods are part of the record it reads."
        )
    if hypothesis.decision != Proposal.INVESTIGATE:
        raise ValidationError("Methods are for a hypothesis that is to be investigated.")
    texts = [t.strip() for t in texts if t.strip()]
    if len(texts) > MAX_METHODS:
        raise ValidationError(f"Up to {MAX_METHODS} methods for each hypothesis.")
    hypothesis.methods.all().delete()
    return [
        Method.objects.create(hypothesis=hypothesis, number=n, text=t)
        for n, t in enumerate(texts, start=1)
    ]
