"""The review's workflow walked by random people (STYLE 12): a Hypothesis state machine
takes a PCTR or a SAV from a random stage through random sequences of actions (notes,
findings, emerging issues, the verbal feedback, the letter's flow, escalations, critical
incidents, the visit's start and end, pages opened), each by one of the review's people
chosen at random, and checks after every step:

- who may act is R29's table, not the code's own answer: anyone else is refused with
  PermissionDenied, and whoever the table allows is never refused so;
- a refused action (PermissionDenied, ValidationError, a revision conflict) changes
  nothing: no row, no state, no history entry, no e-mail;
- nothing is shown that R29/R30 forbids: the uninvolved DCS sees nothing of the review, on
  any page; a SAV's host staff other than its DCS see nothing before the visit starts, and
  its DCS sees neither the team nor the dates; nobody outside the review is e-mailed;
- no forbidden state: the review and the letter move only along their flows, a final
  letter never changes, the record stays as it stood while the letter is out of draft,
  no running note is lost, a signed incident is frozen, an escalation only moves on;
- what a shared or final letter says of the agreed actions matches the verbal feedback
  record (R22, R23);
- no page answers anyone with an error.

Bounded, with a fixed seed, in ``make test``; ``EMSLIRP_HYPOTHESIS_SEED=<n>`` runs it with
that seed instead (CI passes a random one and the run prints it).
"""

import datetime
import os
import re
import uuid

from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from reviews.escalations import permissions as escalations_permissions
from reviews.escalations import services as escalations
from reviews.escalations.models import Escalation, EscalationAbout, EscalationState
from reviews.letter import pdf as letter_pdf
from reviews.letter import permissions as letter_permissions
from reviews.letter import services as letters
from reviews.letter.models import Letter, LetterEvent, LetterPdf, LetterState
from reviews.letter.selectors import letter_misstated_actions
from reviews.review import permissions as review_permissions
from reviews.review import states
from reviews.review.models import Review, ReviewKind, ReviewState, ReviewStateChange
from reviews.workbook import permissions
from reviews.workbook.feedback_record import verbal_feedback_record
from reviews.workbook.models import (
    AgreedAction,
    EmergingIssue,
    Finding,
    Hypothesis,
    HypothesisReport,
    Note,
    Proposal,
    VerbalFeedback,
)
from reviews.workbook.services import notebook
from reviews.workbook.services import verbal_feedback as workbook_verbal_feedback
from safeguarding import services as incidents
from safeguarding.models import CriticalIncident, IncidentAddendum
from tests.reviews.letter.test_letters import EVERYONE, at_state, feedback_given, qa_approves
from tests.reviews.visited import FIRST_DAY, visited

D = datetime.date
TODAY = D(2026, 11, 27)
SEED_VARIABLE = "EMSLIRP_HYPOTHESIS_SEED"

TEAM = ("lead", "qa", "data", "member")
HOST_LEADERS = ("host_dcs", "host_ad")
# Where each example starts: a review whose hypotheses are agreed (a SAV's visit still to
# come), on site, after the visit, with its feedback given, or its letter part-way.
STAGES = (
    "agreed",
    "on_site",
    "after_visit",
    "feedback",
    LetterState.DRAFT,
    LetterState.WITH_QA,
    LetterState.APPROVED,
    LetterState.SHARED,
)
# The letter's flow (R23): forward one step at a time, or back to the lead from the QA.
LETTER_MOVES = {
    (None, LetterState.DRAFT),
    (LetterState.DRAFT, LetterState.WITH_QA),
    (LetterState.WITH_QA, LetterState.DRAFT),
    (LetterState.WITH_QA, LetterState.APPROVED),
    (LetterState.APPROVED, LetterState.SHARED),
    (LetterState.SHARED, LetterState.FINAL),
}
# What the lead and the QA may try on the letter.
LETTER_STEPS = (
    "send",
    "approve",
    "approve_giving_reasons",
    "return",
    "return_empty",
    "share",
    "issue",
)
REVIEW_ORDER = [ReviewState.AGREED, ReviewState.ON_SITE, ReviewState.AFTER_VISIT]
ESCALATION_ORDER = list(EscalationState.values)
PAGES = (
    "reviews:review",
    "reviews:notebook",
    "reviews:verbal_feedback",
    "reviews:emerging_issues",
    "reviews:letter",
    "reviews:escalations",
    "safeguarding:incidents",
)
# What the uninvolved DCS is sent to after every step: none of them may open.
KEY_PAGES = ("reviews:review", "reviews:notebook", "reviews:letter")

# People are drawn half the time from those who act on a review's letter and records, so
# that examples reach the later steps; the other half from everyone.
anyone = st.sampled_from(EVERYONE)
someone = st.one_of(st.sampled_from(("lead", "qa", "host_dcs")), anyone)
texts = st.sampled_from(
    ["Audited twelve referrals at the front door.", "  ", "Supervision notes seen.", "x" * 4001]
)
agreement = st.sampled_from([True, False, None])
# A date the lead might record the feedback as given on: none, before the visit, during
# it, today, tomorrow.
feedback_days = st.sampled_from(
    [
        None,
        FIRST_DAY - datetime.timedelta(days=1),
        FIRST_DAY + datetime.timedelta(days=2),
        TODAY,
        TODAY + datetime.timedelta(days=1),
    ]
)
# What the lead types into the draft: it kept, it changed a little, or the old template's
# heading that lists every priority action, or every action, as agreed.
BODIES = ("kept", "postscript", "priority_as_agreed", "all_as_agreed", "empty")

# A heading that presents the lines under it as agreed, as letter_selectors reads one.
_AGREED = re.compile(r"\bagreed\b[^\n]*:\s*$", re.IGNORECASE)
_NOT_AGREED = re.compile(r"\bnot\s+(yet\s+)?agreed\b", re.IGNORECASE)


def _presented_as_agreed(body: str, actions) -> list[int]:
    """The numbers of ``actions`` (any, priority or not) the host did not agree whose text
    ``body`` lists under a heading that calls what follows agreed: R23, "an action the
    host did not agree is never presented as agreed", read for each action of the record."""
    heading, under = "", []
    for line in body.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if line.endswith(":"):
            heading = line
            continue
        under.append((line, heading))
    return [
        a.number
        for a in actions
        if a.host_agrees is not True
        and any(
            " ".join(a.text.split()) in line
            and _AGREED.search(heading)
            and not _NOT_AGREED.search(heading)
            for line, heading in under
        )
    ]


def machine_settings() -> settings:
    """Bounded, derandomised in ``make test``; with ``EMSLIRP_HYPOTHESIS_SEED`` random from
    that seed (the seed is applied to the machine by ``machine_seeded``)."""
    return settings(
        max_examples=25,
        stateful_step_count=12,
        deadline=None,
        database=None,
        derandomize=not os.environ.get(SEED_VARIABLE, "").strip(),
        print_blob=False,
    )


def machine_seeded(machine: type) -> type:
    named = os.environ.get(SEED_VARIABLE, "").strip()
    if not named:
        return machine
    print(f"\nworkflow machine: {SEED_VARIABLE}={int(named)}")
    return seed(int(named))(machine)


def workflow_machine(region, coordinator, capture):
    """The machine's class for this test's region and coordinator; ``capture`` is
    pytest-django's ``django_capture_on_commit_callbacks``."""

    class Workflow(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            # Each example starts from the test's database and leaves nothing behind.
            self._example = transaction.atomic()
            self._example.__enter__()
            mail.outbox.clear()
            self.clients = {}
            self.client_keys = []
            self.letter_seen = None
            self.final = None
            self.closed_record = None
            self.notes_seen = {}
            self.review_state = None
            self.escalations_seen = {}
            self.frozen_incidents = {}

        def teardown(self):
            transaction.set_rollback(True)
            self._example.__exit__(None, None, None)

        # Where the example starts ---------------------------------------------------

        @initialize(
            kind=st.sampled_from([ReviewKind.PCTR, ReviewKind.SAV]),
            stage=st.sampled_from(STAGES),
            agreed=st.tuples(agreement, agreement, agreement),
            wording=st.sampled_from(("kept", "priority_as_agreed", "all_as_agreed")),
        )
        def start(self, kind, stage, agreed, wording):
            state = {
                "agreed": ReviewState.AGREED,
                "on_site": ReviewState.ON_SITE,
            }.get(stage, ReviewState.AFTER_VISIT)
            self.review, self.people = visited(region, coordinator, kind, state=state)
            assert self.review.state == state
            if stage not in ("agreed", "on_site", "after_visit"):
                made = feedback_given(self.review, self.people)
                # The host's answer to each action at the verbal feedback (R22).
                for action, agrees in zip(made, agreed, strict=True):
                    AgreedAction.objects.filter(pk=action.pk).update(host_agrees=agrees)
                if stage != "feedback":
                    at_state(self.review, self.people, stage)
                    if wording != "kept" and stage != LetterState.SHARED:
                        # A draft written before the letter told agreed from not agreed:
                        # the old template's heading over every priority action, or every
                        # action, whatever the host answered.
                        Letter.objects.filter(review=self.review).update(
                            body=self._misworded(wording)
                        )
            self.review_state = state
            letter = self._letter()
            self.letter_seen = letter.state if letter else None
            self._observe()

        # Helpers ------------------------------------------------------------------------

        def _fresh(self) -> Review:
            return Review.objects.select_related("host__region").get(pk=self.review.pk)

        def _kind_pctr(self) -> bool:
            return self.review.kind == ReviewKind.PCTR

        def _started(self) -> bool:
            return self._fresh().state in (ReviewState.ON_SITE, ReviewState.AFTER_VISIT)

        def _host_decides(self) -> set[str]:
            """R29's host side: the host's DCS and 2nd-tier lead, of a SAV only once the
            visit has started (R30)."""
            return set(HOST_LEADERS) if self._kind_pctr() or self._started() else set()

        def _letter(self) -> Letter | None:
            return Letter.objects.filter(review=self.review).first()

        def _given(self) -> bool:
            return VerbalFeedback.objects.filter(
                review=self.review, given_on__isnull=False
            ).exists()

        def _record(self) -> tuple:
            """What the letter rests on: the notebook and the verbal feedback record."""
            review = self.review
            return (
                sorted(Note.objects.filter(hypothesis__review=review).values_list("pk", "text")),
                sorted(
                    Finding.objects.filter(hypothesis__review=review).values_list(
                        "pk", "text", "evidence", "revision"
                    )
                ),
                sorted(
                    HypothesisReport.objects.filter(hypothesis__review=review).values_list(
                        "pk", "conclusions", "lead_comments", "host_comments", "revision"
                    )
                ),
                list(
                    VerbalFeedback.objects.filter(review=review).values_list("given_on", "revision")
                ),
                [
                    (
                        a.number,
                        a.text,
                        a.host_agrees,
                        a.commentary,
                        a.is_priority,
                        sorted(f.pk for f in a.findings.all()),
                    )
                    for a in AgreedAction.objects.filter(review=review)
                    .prefetch_related("findings")
                    .order_by("number")
                ],
            )

        def _snapshot(self) -> tuple:
            """Everything a step could change."""
            review = self._fresh()
            return (
                review.state,
                ReviewStateChange.objects.filter(review=review).count(),
                self._record(),
                EmergingIssue.objects.filter(review=review).count(),
                list(
                    Letter.objects.filter(review=review).values_list(
                        "state",
                        "subject",
                        "body",
                        "variations",
                        "revision",
                        "qa_comments",
                        "shared_at",
                        "issued_at",
                    )
                ),
                LetterEvent.objects.filter(letter__review=review).count(),
                LetterPdf.objects.filter(letter__review=review).count(),
                sorted(
                    Escalation.objects.filter(review=review).values_list(
                        "pk", "state", "outcome", "lead_response", "adjudication"
                    )
                ),
                sorted(
                    CriticalIncident.objects.filter(review=review).values_list(
                        "pk",
                        "raised_with_host_at",
                        "host_action",
                        "lead_signed_at",
                        "host_signed_at",
                    )
                ),
                IncidentAddendum.objects.filter(incident__review=review).count(),
                LogEntry.objects.count(),
                len(mail.outbox),
            )

        def _attempt(self, allowed: bool, call, *, what: str, who: str):
            """Run ``call`` for ``who``, its e-mails sent as on commit. R29 allows it or
            not (``allowed``): if not, it is refused with PermissionDenied; if so, never.
            A refusal of any kind leaves everything as it was."""
            before = self._snapshot()
            refusal = None
            with capture(execute=True):
                try:
                    call()
                except PermissionDenied as error:
                    refusal = error
                except (
                    ValidationError,
                    letters.LetterConflict,
                    notebook.RevisionConflict,
                ) as error:
                    refusal = error
            denied = isinstance(refusal, PermissionDenied)
            if not allowed:
                assert denied, f"{who} may not {what} (R29), but got {refusal!r}"
            else:
                assert not denied, f"{who} may {what} (R29), but was denied"
            if refusal is not None:
                assert self._snapshot() == before, f"{what} by {who} was refused but changed"
            self._observe()

        def _misworded(self, wording: str) -> str:
            """A body listing the priority actions (``priority_as_agreed``), or every
            action (``all_as_agreed``), under the heading that calls them agreed."""
            record = verbal_feedback_record(self.review)
            listed = {
                "priority_as_agreed": record.priority_actions,
                "all_as_agreed": [a.action for a in record.actions],
            }[wording]
            lines = [f"{a.number}. {a.text}" for a in listed]
            return (
                "Dear Hana Host,\n\nAreas for priority action agreed at the verbal "
                "feedback:\n\n" + "\n".join(lines) + "\n"
            )

        def _hypothesis(self, number: int) -> Hypothesis:
            return Hypothesis.objects.get(review=self.review, number=number)

        def _client(self, who: str) -> Client:
            if who not in self.clients:
                client = Client()
                client.force_login(self.people[who])
                self.clients[who] = client
            return self.clients[who]

        def _get(self, who: str, page: str):
            key = "review_pk" if page.startswith("safeguarding:") else "pk"
            return self._client(who).get(reverse(page, kwargs={key: self.review.pk}))

        def _page_allowed(self, who: str, page: str) -> bool:
            """R29's table, R30 for a SAV: whether ``who`` may open ``page`` now."""
            if who == "uninvolved":
                return False
            sav_hidden = not (self._kind_pctr() or self._started())
            sees = who in (*TEAM, "coordinator", "host_dcs") or not sav_hidden
            host = who in self._host_decides()
            letter = self._letter()
            state = letter.state if letter else None
            final = state == LetterState.FINAL
            allowed = {
                "reviews:review": sees,
                "reviews:notebook": who in TEAM,
                "reviews:verbal_feedback": who in TEAM or (host and self._given()),
                "reviews:emerging_issues": who in TEAM or host,
                "reviews:letter": who in ("lead", "qa")
                or (host and state in (LetterState.SHARED, LetterState.FINAL))
                or (final and who in ("data", "member", "coordinator")),
                "reviews:escalations": who in ("lead", "qa", "coordinator") or host,
                "safeguarding:incidents": who in ("lead", "qa", "member", "coordinator") or host,
            }
            return sees and allowed[page]

        def _observe(self):
            """Remember what the checks compare the next step with."""
            letter = self._letter()
            if letter is not None and letter.state != LetterState.DRAFT:
                if self.closed_record is None:
                    self.closed_record = self._record()
            else:
                self.closed_record = None

        # The visit (R14–R20) --------------------------------------------------------

        @rule(who=someone, state=st.sampled_from([ReviewState.ON_SITE, ReviewState.AFTER_VISIT]))
        def visit_moves(self, who, state):
            self._attempt(
                who == "lead",
                lambda: states.review_state_set(
                    review=self.review, state=state, by=self.people[who]
                ),
                what=f"move the review to {state}",
                who=who,
            )

        # The notebook (R21, R24) ----------------------------------------------------

        @rule(who=anyone, number=st.integers(1, 4), text=texts, again=st.booleans())
        def note_add(self, who, number, text, again):
            key = self.client_keys[-1] if again and self.client_keys else uuid.uuid4()
            self.client_keys.append(key)
            self._attempt(
                who in ("lead", "data", "member"),
                lambda: notebook.note_add(
                    hypothesis=self._hypothesis(number),
                    text=text,
                    client_key=key,
                    by=self.people[who],
                ),
                what="add a note",
                who=who,
            )

        @rule(who=anyone, number=st.integers(1, 4), text=texts, evidence=texts)
        def finding_add(self, who, number, text, evidence):
            self._attempt(
                who in ("lead", "data", "member"),
                lambda: notebook.finding_add(
                    hypothesis=self._hypothesis(number),
                    text=text,
                    evidence=evidence,
                    by=self.people[who],
                ),
                what="add a finding",
                who=who,
            )

        @rule(who=someone, text=texts)
        def emerging_issue_share(self, who, text):
            self._attempt(
                who == "lead",
                lambda: workbook_verbal_feedback.emerging_issue_share(
                    review=self.review, text=text, by=self.people[who]
                ),
                what="share an emerging issue",
                who=who,
            )

        # The verbal feedback (R22) --------------------------------------------------

        @rule(who=someone, given_on=feedback_days)
        def feedback_record(self, who, given_on):
            current = VerbalFeedback.objects.filter(review=self.review).first()
            self._attempt(
                who == "lead",
                lambda: workbook_verbal_feedback.verbal_feedback_save(
                    review=self.review,
                    given_on=given_on,
                    revision=current.revision if current else 0,
                    by=self.people[who],
                ),
                what="record the verbal feedback",
                who=who,
            )

        @rule(
            who=someone,
            actions=st.lists(
                st.tuples(agreement, st.booleans(), st.booleans(), st.integers(0, 2)),
                max_size=3,
            ),
        )
        def actions_save(self, who, actions):
            evidenced = list(
                Finding.objects.filter(
                    hypothesis__review=self.review, hypothesis__decision=Proposal.INVESTIGATE
                )
                .exclude(evidence="")
                .values_list("pk", flat=True)
            )
            wording = [
                "Bring the front door's thresholds into line across the teams.",
                "Give agency social workers the same supervision as permanent staff.",
                "Close the second front door.",
            ]
            sent = [
                {
                    "text": wording[n],
                    "host_agrees": agrees,
                    "commentary": "" if agrees else "The council sees it differently.",
                    "is_priority": priority,
                    "findings": evidenced[:1] if traced else [],
                }
                for agrees, priority, traced, n in actions
            ]
            current = VerbalFeedback.objects.filter(review=self.review).first()
            self._attempt(
                who == "lead",
                lambda: workbook_verbal_feedback.agreed_actions_save(
                    review=self.review,
                    actions=sent,
                    revision=current.revision if current else 0,
                    by=self.people[who],
                ),
                what="save the agreed actions",
                who=who,
            )

        # The letter (R23) -----------------------------------------------------------

        @rule(who=someone)
        def letter_draft(self, who):
            self._attempt(
                who == "lead",
                lambda: letters.letter_draft(review=self.review, by=self.people[who]),
                what="draft the letter",
                who=who,
            )

        @precondition(lambda self: self._letter() is not None)
        @rule(who=someone, body=st.sampled_from(BODIES), stale=st.booleans())
        def letter_update(self, who, body, stale):
            letter = self._letter()
            if body in ("priority_as_agreed", "all_as_agreed"):
                text = self._misworded(body)
            else:
                text = {
                    "kept": letter.body,
                    "postscript": letter.body + "\n\nWith thanks to every team we met.",
                    "empty": " ",
                }[body]
            self._attempt(
                who == "lead",
                lambda: letters.letter_update(
                    letter=letter,
                    subject=letter.subject,
                    body=text,
                    variations="",
                    revision=letter.revision - 1 if stale else letter.revision,
                    by=self.people[who],
                ),
                what="change the letter",
                who=who,
            )

        @precondition(lambda self: self._letter() is not None)
        @rule(
            who=someone,
            step=st.sampled_from(LETTER_STEPS),
        )
        def letter_step(self, who, step):
            self._letter_step(who, step)

        @precondition(
            lambda self: self._letter() is not None and self._letter().state != LetterState.FINAL
        )
        @rule(data=st.data())
        def letter_onward(self, data):
            """The letter's next step forward, most often by the one whose step it is:
            the flow reaches sharing and issuing far more often than random steps would."""
            step, role = {
                LetterState.DRAFT: ("send", "lead"),
                LetterState.WITH_QA: ("approve_giving_reasons", "qa"),
                LetterState.APPROVED: ("share", "lead"),
                LetterState.SHARED: ("issue", "lead"),
            }[self._letter().state]
            who = data.draw(st.one_of(st.just(role), someone), label="who")
            self._letter_step(who, step)

        def _letter_step(self, who, step):
            letter, by = self._letter(), self.people[who]
            calls = {
                "send": ("lead", lambda: letters.letter_send_to_qa(letter=letter, by=by)),
                "approve": (
                    "qa",
                    lambda: letters.letter_proofread(
                        letter=letter, approve=True, comments="", by=by
                    ),
                ),
                # With a reason for each action resting on no recorded evidence (R23).
                "approve_giving_reasons": (
                    "qa",
                    lambda: qa_approves(letter=letter, by=by),
                ),
                "return": (
                    "qa",
                    lambda: letters.letter_proofread(
                        letter=letter, approve=False, comments="Trace action 2.", by=by
                    ),
                ),
                "return_empty": (
                    "qa",
                    lambda: letters.letter_proofread(
                        letter=letter, approve=False, comments=" ", by=by
                    ),
                ),
                "share": ("lead", lambda: letters.letter_share(letter=letter, by=by)),
                "issue": ("lead", lambda: letter_pdf.letter_issue(letter=letter, by=by)),
            }
            role, call = calls[step]
            self._attempt(who == role, call, what=f"{step} the letter", who=who)

        # Escalations (R26) ----------------------------------------------------------

        @rule(who=someone, about=st.sampled_from(EscalationAbout.values), concern=texts)
        def escalation_raise(self, who, about, concern):
            self._attempt(
                who in self._host_decides(),
                lambda: escalations.escalation_raise(
                    review=self.review, about=about, concern=concern, by=self.people[who]
                ),
                what="raise a concern",
                who=who,
            )

        @precondition(lambda self: Escalation.objects.filter(review=self.review).exists())
        @rule(
            who=someone,
            step=st.sampled_from(["respond", "accept", "refer", "uphold", "dismiss"]),
        )
        def escalation_step(self, who, step):
            escalation = Escalation.objects.filter(review=self.review).order_by("-pk").first()
            by = self.people[who]
            host = self._host_decides()
            calls = {
                "respond": (
                    {"lead"},
                    lambda: escalations.escalation_respond(
                        escalation=escalation, response="We looked again.", by=by
                    ),
                ),
                "accept": (
                    host,
                    lambda: escalations.escalation_accept(escalation=escalation, by=by),
                ),
                "refer": (host, lambda: escalations.escalation_refer(escalation=escalation, by=by)),
                "uphold": (
                    {"qa"},
                    lambda: escalations.escalation_adjudicate(
                        escalation=escalation, upheld=True, adjudication="Fair.", by=by
                    ),
                ),
                "dismiss": (
                    {"qa"},
                    lambda: escalations.escalation_adjudicate(
                        escalation=escalation, upheld=False, adjudication="", by=by
                    ),
                ),
            }
            allowed, call = calls[step]
            self._attempt(who in allowed, call, what=f"{step} a concern", who=who)

        # Critical incidents (R25) ---------------------------------------------------

        @rule(who=someone, identified_by=st.sampled_from(TEAM), text=texts)
        def incident_raise(self, who, identified_by, text):
            self._attempt(
                who in ("lead", "member"),
                lambda: incidents.incident_raise(
                    review=self.review,
                    incident=text,
                    nature="Drift in a child protection plan.",
                    evidence="Case file audit.",
                    identified_at=timezone.now() - datetime.timedelta(hours=2),
                    identified_by=self.people[identified_by],
                    initial_action="Told the team manager.",
                    by=self.people[who],
                ),
                what="raise a critical incident",
                who=who,
            )

        @precondition(lambda self: CriticalIncident.objects.filter(review=self.review).exists())
        @rule(who=someone, step=st.sampled_from(["raised_with_host", "respond", "sign"]))
        def incident_step(self, who, step):
            incident = CriticalIncident.objects.filter(review=self.review).order_by("-pk").first()
            by = self.people[who]
            host = self._host_decides()
            calls = {
                "raised_with_host": (
                    {"lead"},
                    lambda: incidents.incident_raised_with_host_record(
                        incident=incident, at=timezone.now() - datetime.timedelta(hours=1), by=by
                    ),
                ),
                "respond": (
                    host,
                    lambda: incidents.incident_respond(
                        incident=incident, host_action="A manager visits today.", by=by
                    ),
                ),
                "sign": (
                    host | {"lead"},
                    lambda: incidents.incident_sign(incident=incident, by=by),
                ),
            }
            allowed, call = calls[step]
            self._attempt(who in allowed, call, what=f"{step} an incident", who=who)

        # Pages (R29, R30) -----------------------------------------------------------

        @rule(who=anyone, page=st.sampled_from(PAGES))
        def page_open(self, who, page):
            response = self._get(who, page)
            allowed = self._page_allowed(who, page)
            status = response.status_code
            assert status < 500, f"{page} answered {who} {status}"
            if allowed:
                assert status == 200, f"{who} may open {page} (R29) but got {status}"
            else:
                assert status in (403, 404), f"{who} may not open {page} (R29, R30): {status}"
            if status == 200 and who == "host_dcs" and not (self._kind_pctr() or self._started()):
                # R30: of a SAV still to come its host DCS learns the window, never the
                # dates of the visit nor its team.
                html = response.content.decode()
                for name in ("Lee Lead", "Quinn Assure", "Dai Ta", "Mo Member"):
                    assert name not in html, f"{name} shown on {page}"
                assert "16 November" not in html, f"dates shown on {page}"

        # Invariants, after every step -----------------------------------------------

        @invariant()
        def the_uninvolved_see_nothing(self):
            uninvolved = self.people["uninvolved"]
            review = self._fresh()
            access = review_permissions.review_access(uninvolved, review, on=timezone.localdate())
            assert not access.sees_review
            assert permissions.notebook_rights(access) == permissions.NotebookRights()
            assert permissions.hypotheses_rights(access) == permissions.HypothesesRights()
            assert review_permissions.incident_rights(access) == review_permissions.IncidentRights()
            assert (
                escalations_permissions.escalation_rights(access)
                == escalations_permissions.EscalationRights()
            )
            for shared, final in ((False, False), (True, False), (True, True)):
                assert letter_permissions.letter_rights(access, shared=shared, final=final) == (
                    letter_permissions.LetterRights()
                )
            for page in KEY_PAGES:
                status = self._get("uninvolved", page).status_code
                assert status in (403, 404), f"{page} answered the uninvolved DCS {status}"

        @invariant()
        def a_sav_to_come_is_the_host_dcss_window_only(self):
            review = self._fresh()
            if self._kind_pctr() or self._started():
                return
            today = timezone.localdate()
            for who in ("host_ad", "host_data"):
                assert not review_permissions.review_access(
                    self.people[who], review, on=today
                ).sees_review
            host_dcs = review_permissions.review_access(self.people["host_dcs"], review, on=today)
            assert host_dcs.sees_review and not host_dcs.sees_team
            assert permissions.hypotheses_rights(host_dcs) == permissions.HypothesesRights()
            assert permissions.notebook_rights(host_dcs) == permissions.NotebookRights()
            for page in KEY_PAGES:
                status = self._get("host_data", page).status_code
                assert status in (403, 404), f"{page} answered the SAV host's staff {status}"

        @invariant()
        def nobody_outside_is_emailed(self):
            hidden = {self.people["uninvolved"].email, self.people["host_data"].email}
            if not (self._kind_pctr() or self._started()):
                hidden |= {self.people[who].email for who in HOST_LEADERS}
            sent_to = {address for message in mail.outbox for address in message.to}
            assert not sent_to & hidden, f"e-mailed {sorted(sent_to & hidden)}"

        @invariant()
        def the_review_only_moves_on(self):
            state = self._fresh().state
            if self.review_state is not None:
                assert REVIEW_ORDER.index(state) >= REVIEW_ORDER.index(self.review_state)
            self.review_state = state

        @invariant()
        def the_letter_keeps_to_its_flow(self):
            assert Letter.objects.filter(review=self.review).count() <= 1
            letter = self._letter()
            state = letter.state if letter else None
            if state != self.letter_seen:
                assert (self.letter_seen, state) in LETTER_MOVES, (
                    f"the letter moved from {self.letter_seen} to {state}"
                )
            self.letter_seen = state
            if letter is None:
                return
            last = letter.events.order_by("at", "pk").last()
            assert last is not None and last.after == letter.state
            if state == LetterState.FINAL:
                kept = (letter.subject, letter.body, letter.revision, letter.issued_at)
                if self.final is None:
                    self.final = kept
                assert kept == self.final, "the final letter changed"
                assert letter.pdfs.filter(is_final=True).count() == 1

        @invariant()
        def the_record_stands_while_the_letter_is_out_of_draft(self):
            if self.closed_record is not None:
                assert self._record() == self.closed_record

        @invariant()
        def the_letter_says_truthfully_what_the_host_agreed(self):
            letter = self._letter()
            if letter is None or letter.state not in (LetterState.SHARED, LetterState.FINAL):
                return
            record = verbal_feedback_record(self.review)
            assert letter_misstated_actions(body=letter.body, record=record) == []
            # R23 for each action, priority or not.
            actions = [a.action for a in record.actions]
            assert _presented_as_agreed(letter.body, actions) == []

        @invariant()
        def no_note_is_lost(self):
            notes = dict(
                Note.objects.filter(hypothesis__review=self.review).values_list("pk", "text")
            )
            assert all(notes.get(pk) == text for pk, text in self.notes_seen.items())
            self.notes_seen = notes

        @invariant()
        def escalations_move_on_and_incidents_freeze(self):
            for pk, state, outcome in Escalation.objects.filter(review=self.review).values_list(
                "pk", "state", "outcome"
            ):
                before = self.escalations_seen.get(pk, EscalationState.RAISED)
                assert ESCALATION_ORDER.index(state) >= ESCALATION_ORDER.index(before)
                assert (state == EscalationState.CLOSED) == bool(outcome)
                self.escalations_seen[pk] = state
            for incident in CriticalIncident.objects.filter(review=self.review):
                kept = (
                    incident.raised_with_host_at,
                    incident.host_action,
                    incident.lead_signed_at,
                    incident.host_signed_at,
                )
                if incident.pk in self.frozen_incidents:
                    assert kept == self.frozen_incidents[incident.pk], "a signed incident changed"
                elif incident.is_frozen:
                    self.frozen_incidents[incident.pk] = kept

    return Workflow


def test_the_workflow_keeps_its_rules_whoever_does_whatever(
    east_midlands, coordinator, django_capture_on_commit_callbacks
):
    machine = workflow_machine(east_midlands, coordinator, django_capture_on_commit_callbacks)
    run_state_machine_as_test(machine_seeded(machine), settings=machine_settings())
