"""The notebook (R21, R29): the header from the records, the lead's pre-visit notes, and per
investigated hypothesis the running notes any team member adds (each tagged with its
author and time), the key findings with their evidence, and the conclusions. Several
reviewers write at once: no one's note is lost or overwritten by another's save."""

import datetime
import threading
import uuid

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models.query import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.letter import services as letters
from reviews.letter.models import Letter, LetterState
from reviews.review.models import Review, ReviewState
from reviews.workbook.models import Finding, Hypothesis, HypothesisReport, Note, Notebook
from reviews.workbook.services import hypotheses as hypotheses_service
from reviews.workbook.services import notebook
from reviews.workbook.services import verbal_feedback as workbook_verbal_feedback
from tests.reviews.visited import visited
from tests.reviews.workbook.test_hypotheses import DRAFTS, place_member
from tests.reviews.workbook.test_hypotheses import pctr as pctr  # a fixture
from tests.reviews.workbook.test_hypotheses import sav as sav  # a fixture

D = datetime.date
TEAM = ("lead", "data", "member")
HOST = ("host_dcs", "host_ad", "host_data")


@pytest.fixture
def visit(east_midlands, coordinator):
    """``visit(kind, state=...)`` gives ``visited(...)``'s (review, people)."""

    def make(kind="pctr", **kwargs):
        return visited(east_midlands, coordinator, kind, **kwargs)

    return make


def hypothesis(review, number=1) -> Hypothesis:
    return review.hypotheses.get(number=number)


def note(review, who, text, *, number=1, key=None):
    return notebook.note_add(
        hypothesis=hypothesis(review, number), text=text, client_key=key or uuid.uuid4(), by=who
    )


def finding(review, who, text, evidence="Seen in case files.", *, number=1):
    return notebook.finding_add(
        hypothesis=hypothesis(review, number), text=text, evidence=evidence, by=who
    )


def final_letter(review, people):
    return letter_at(review, people, LetterState.FINAL)


def letter_at(review, people, state):
    """The review's letter, made directly in ``state`` with what that state needs."""
    now = timezone.now()
    return Letter.objects.create(
        review=review,
        state=state,
        subject="Rutland",
        body="Dear Hana",
        drafted_by=people["lead"],
        drafted_at=now,
        updated_at=now,
        approved_by=people["qa"],
        approved_at=now,
        shared_at=now,
        issued_by=people["lead"],
        issued_at=now,
    )


def url(review, name="notebook"):
    return reverse(f"reviews:{name}", args=[review.pk])


def notes_url(review, number=1):
    return reverse("reviews:notebook_notes", args=[review.pk, hypothesis(review, number).pk])


# The page ------------------------------------------------------------------------------


def test_the_header_and_the_hypotheses_come_from_the_records(visit, client):
    review, people = visit("pctr")
    note(review, people["member"], "Met the MASH manager.")
    client.force_login(people["qa"])
    page = client.get(url(review))
    header = page.context["header"]
    assert (header.lead, header.days) == (people["lead"], (D(2026, 11, 16), D(2026, 11, 18)))
    assert [m.person for m in header.team] == [
        people["lead"],
        people["data"],
        people["member"],
        people["qa"],
    ]
    sections = page.context["sections"]
    assert [s["hypothesis"].number for s in sections] == [1, 2]  # the parked two are not here
    assert [m.text for m in sections[0]["methods"]] == ["Audit of ten cases for hypothesis 1."]
    assert [(n.author, n.text) for n in sections[0]["notes"]] == [
        (people["member"], "Met the MASH manager.")
    ]
    html = page.content.decode()
    assert "Thresholds at the front door" in html
    assert "Care leavers" not in html  # hypothesis 3 was parked
    assert "Mo Member" in html and "Met the MASH manager." in html
    # The QA reads: no form to write with.
    assert page.context["writes"] is False
    assert 'name="note-' not in html


def test_notes_are_listed_oldest_first_with_author_and_time(visit, client):
    review, people = visit("pctr")
    first = note(review, people["member"], "First.")
    second = note(review, people["lead"], "Second.")
    Note.objects.filter(pk=first.pk).update(
        written_at=second.written_at - datetime.timedelta(minutes=5)
    )
    client.force_login(people["data"])
    listed = client.get(notes_url(review))
    assert [(n.author, n.text) for n in listed.context["notes"]] == [
        (people["member"], "First."),
        (people["lead"], "Second."),
    ]
    local = timezone.localtime(second.written_at)
    assert f"{local:%-d %B %Y} at {local:%H:%M}" in listed.content.decode()


# Concurrent notes (R21) ------------------------------------------------------------------


def _at_once(*jobs):
    """Run ``jobs`` in threads released together; each thread closes its connection."""
    barrier = threading.Barrier(len(jobs))
    failures = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            job()
        except Exception as error:  # reported below, in the test thread
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert failures == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_saving_notes_at_once_both_keep_their_words(visit):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    first = hypothesis(review)
    _at_once(
        lambda: notebook.note_add(
            hypothesis=first,
            text="Lead: front door rota.",
            client_key=uuid.uuid4(),
            by=people["lead"],
        ),
        lambda: notebook.note_add(
            hypothesis=first,
            text="Member: MASH audit.",
            client_key=uuid.uuid4(),
            by=people["member"],
        ),
    )
    assert sorted(Note.objects.filter(hypothesis=first).values_list("author", "text")) == sorted(
        [
            (people["lead"].pk, "Lead: front door rota."),
            (people["member"].pk, "Member: MASH audit."),
        ]
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_posting_notes_at_once_through_the_page_both_keep_them(visit):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    first = hypothesis(review)
    clients = {}
    for who in ("lead", "member"):
        clients[who] = Client()
        clients[who].force_login(people[who])
        assert clients[who].get(url(review)).status_code == 200
    responses = {}

    def post(who, text):
        def send():
            responses[who] = clients[who].post(
                notes_url(review),
                {f"note-{first.pk}-text": text, f"note-{first.pk}-client_key": str(uuid.uuid4())},
                headers={"X-Requested-With": "XMLHttpRequest"},
            )

        return send

    _at_once(post("lead", "Lead's words."), post("member", "Member's words."))
    assert {who: r.status_code for who, r in responses.items()} == {"lead": 200, "member": 200}
    assert sorted(Note.objects.filter(hypothesis=first).values_list("text", flat=True)) == [
        "Lead's words.",
        "Member's words.",
    ]
    # Each then sees both notes in the list the page refreshes.
    for who in ("lead", "member"):
        listed = clients[who].get(notes_url(review)).content.decode()
        assert "Lead&#x27;s words." in listed and "Member&#x27;s words." in listed


def test_two_reviewers_on_open_pages_both_keep_their_notes(visit, client):
    review, people = visit("pctr")
    first = hypothesis(review)
    other = Client()
    client.force_login(people["lead"])
    other.force_login(people["member"])
    # Both pages are open before either saves; without script, each form posts and returns.
    lead_form = client.get(url(review)).context["sections"][0]["note_form"]
    member_form = other.get(url(review)).context["sections"][0]["note_form"]
    for c, form, text in ((client, lead_form, "From the lead."), (other, member_form, "From Mo.")):
        sent = c.post(
            notes_url(review),
            {
                form.add_prefix("text"): text,
                form.add_prefix("client_key"): form.initial["client_key"],
            },
        )
        assert sent.status_code == 302
        assert sent["Location"] == f"{url(review)}#hypothesis-1"
    assert list(
        Note.objects.filter(hypothesis=first).order_by("pk").values_list("author", "text")
    ) == [(people["lead"].pk, "From the lead."), (people["member"].pk, "From Mo.")]


# Resends and bad input ---------------------------------------------------------------


def test_a_note_sent_twice_is_stored_once(visit, client):
    review, people = visit("pctr")
    key = uuid.uuid4()
    once = note(review, people["member"], "Visited the MASH.", key=key)
    again = note(review, people["member"], "Visited the MASH.", key=key)
    assert once.pk == again.pk
    # The same through the page, as the script resends after a dropped connection.
    client.force_login(people["data"])
    first = hypothesis(review)
    data = {f"note-{first.pk}-text": "Data pack checked.", f"note-{first.pk}-client_key": str(key)}
    for _ in range(2):
        answer = client.post(
            notes_url(review), data, headers={"X-Requested-With": "XMLHttpRequest"}
        )
        assert answer.status_code == 200
        assert answer["X-Notebook-Notes"] == str(first.pk)
    assert sorted(Note.objects.filter(hypothesis=first).values_list("author", "text")) == [
        (people["data"].pk, "Data pack checked."),
        (people["member"].pk, "Visited the MASH."),
    ]
    # The same key of another person is another note.
    note(review, people["lead"], "Lead's own.", key=key)
    assert Note.objects.filter(client_key=key).count() == 3


def test_an_empty_note_is_refused_at_the_field(visit, client):
    review, people = visit("pctr")
    with pytest.raises(ValidationError) as caught:
        note(review, people["member"], "   ")
    assert caught.value.message_dict == {"text": ["Write your note before saving it."]}
    client.force_login(people["member"])
    first = hypothesis(review)
    key = str(uuid.uuid4())
    page = client.post(
        notes_url(review), {f"note-{first.pk}-text": "", f"note-{first.pk}-client_key": key}
    )
    assert page.status_code == 400
    form = page.context["sections"][0]["note_form"]
    assert form.errors == {"text": ["Write your note before saving it."]}
    assert Note.objects.count() == 0
    # From the script: the message only, for it to show at the note.
    answer = client.post(
        notes_url(review),
        {f"note-{first.pk}-text": "", f"note-{first.pk}-client_key": key},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert (answer.status_code, answer.content.decode()) == (
        400,
        "Write your note before saving it.",
    )


def test_a_note_too_long_is_refused_keeping_what_was_typed(visit, client):
    review, people = visit("pctr")
    client.force_login(people["member"])
    first = hypothesis(review)
    typed = "x" * (notebook.NOTE_MAX + 1)
    page = client.post(
        notes_url(review),
        {f"note-{first.pk}-text": typed, f"note-{first.pk}-client_key": str(uuid.uuid4())},
    )
    assert page.status_code == 400
    form = page.context["sections"][0]["note_form"]
    assert form.errors == {"text": ["This can be at most 10,000 characters; it has 10,001."]}
    assert typed in page.content.decode()


def test_notes_go_only_on_investigated_hypotheses_of_the_review(visit, client):
    review, people = visit("pctr")
    parked = hypothesis(review, 3)
    with pytest.raises(ValidationError, match="not one the review investigates"):
        notebook.note_add(hypothesis=parked, text="x", client_key=uuid.uuid4(), by=people["lead"])
    client.force_login(people["lead"])
    assert client.get(notes_url(review, 3)).status_code == 404
    other, _ = visit("sav")
    elsewhere = reverse("reviews:notebook_notes", args=[review.pk, hypothesis(other).pk])
    assert client.post(elsewhere, {}).status_code == 404
    assert Note.objects.count() == 0


def test_notes_are_written_on_site_and_after_until_the_letter_is_final(visit):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    note(review, people["member"], "On site.")
    review.state = ReviewState.AFTER_VISIT
    review.save(update_fields=["state"])
    note(review, people["member"], "After.")
    final_letter(review, people)
    with pytest.raises(ValidationError, match="The letter is final"):
        note(review, people["member"], "Too late.")
    with pytest.raises(ValidationError, match="The letter is final"):
        finding(review, people["lead"], "Too late.")
    assert list(Note.objects.order_by("pk").values_list("text", flat=True)) == [
        "On site.",
        "After.",
    ]


# The record closes when the letter leaves draft (R23) -----------------------------------

# What each closed state's refusal names.
CLOSED_BY = {
    LetterState.WITH_QA: "The letter has gone to the QA to proofread",
    LetterState.APPROVED: "The QA has approved the letter",
    LetterState.SHARED: "The letter has been shared with the host as a draft",
    LetterState.FINAL: "The letter is final",
}


@pytest.mark.parametrize("state", list(CLOSED_BY))
def test_the_notebook_closes_as_soon_as_the_letter_leaves_draft(visit, client, state):
    review, people = visit("pctr")
    traced = finding(review, people["member"], "Thresholds vary.", "Ten case audits.")
    notebook.conclusions_save(
        hypothesis=hypothesis(review), text="One owner.", revision=0, by=people["member"]
    )
    letter_at(review, people, state)
    closed = f"{CLOSED_BY[state]}: the notebook and the verbal feedback record are closed"
    for write in (
        lambda: note(review, people["member"], "Late note."),
        lambda: finding(review, people["member"], "Late finding."),
        # The lead cannot clear the evidence the QA traced an action to.
        lambda: notebook.finding_save(
            finding=traced, text="Thresholds vary.", evidence="", revision=1, by=people["lead"]
        ),
        lambda: notebook.conclusions_save(
            hypothesis=hypothesis(review), text="Changed.", revision=1, by=people["lead"]
        ),
    ):
        with pytest.raises(ValidationError, match=closed):
            write()
    traced.refresh_from_db()
    assert (traced.evidence, traced.revision) == ("Ten case audits.", 1)
    assert Note.objects.count() == 0 and Finding.objects.count() == 1
    assert HypothesisReport.objects.get().conclusions == "One owner."
    # The page is read-only, and says why.
    client.force_login(people["lead"])
    page = client.get(url(review))
    html = page.content.decode()
    assert page.context["writes"] is False
    assert closed in html
    assert 'name="action"' not in html
    assert "One owner." in html and "Ten case audits." in html


def test_the_notebook_opens_again_when_the_qa_returns_the_letter(visit):
    from tests.reviews.letter.test_letters import at_state, feedback_given

    review, people = visit("pctr")
    feedback_given(review, people)
    letter = at_state(review, people, LetterState.WITH_QA)
    traced = Finding.objects.filter(hypothesis__review=review).exclude(evidence="").first()
    with pytest.raises(ValidationError, match="gone to the QA"):
        notebook.finding_save(
            finding=traced, text=traced.text, evidence="", revision=1, by=people["lead"]
        )
    letters.letter_proofread(
        letter=letter, approve=False, comments="Trace action 2.", by=people["qa"]
    )
    saved = notebook.finding_save(
        finding=traced, text=traced.text, evidence="Twelve audits.", revision=1, by=people["lead"]
    )
    assert saved.evidence == "Twelve audits."


def test_a_note_resent_after_the_record_closed_is_the_note_stored(visit):
    review, people = visit("pctr")
    key = uuid.uuid4()
    stored = note(review, people["member"], "Sent before.", key=key)
    letter_at(review, people, LetterState.WITH_QA)
    # Its answer was lost on the way; the resend confirms it rather than refusing it.
    assert note(review, people["member"], "Sent before.", key=key).pk == stored.pk
    with pytest.raises(ValidationError, match="gone to the QA"):
        note(review, people["member"], "A new one.")


TYPED = "<b>Words & more</b> typed while the letter went to the QA."


def _closed_posts(review, people):
    """Each notebook form as its writer sends it, with words in it (kind, who, url, data)."""
    first = hypothesis(review)
    own = finding(review, people["member"], "Thresholds vary.", "Audits.")
    typed = TYPED
    return [
        (
            "finding_add",
            "member",
            url(review),
            {
                "action": "finding_add",
                "hypothesis": first.pk,
                f"finding-new-{first.pk}-text": typed,
                f"finding-new-{first.pk}-evidence": "Seen in the rota.",
            },
        ),
        (
            "finding_edit",
            "member",
            url(review),
            {
                "action": "finding_edit",
                "finding": own.pk,
                f"finding-{own.pk}-text": typed,
                f"finding-{own.pk}-evidence": "Audits.",
                f"finding-{own.pk}-revision": 1,
            },
        ),
        (
            "conclusions",
            "data",
            url(review),
            {
                "action": "conclusions",
                "hypothesis": first.pk,
                f"conclusions-{first.pk}-conclusions": typed,
                f"conclusions-{first.pk}-revision": 0,
            },
        ),
        (
            "note",
            "lead",
            notes_url(review),
            {f"note-{first.pk}-text": typed, f"note-{first.pk}-client_key": str(uuid.uuid4())},
        ),
    ]


@pytest.mark.parametrize("kind", ["finding_add", "finding_edit", "conclusions", "note"])
def test_words_typed_as_the_record_closed_are_shown_to_be_copied(visit, client, kind):
    review, people = visit("pctr")
    _, who, target, data = next(p for p in _closed_posts(review, people) if p[0] == kind)
    letter_at(review, people, LetterState.WITH_QA)
    client.force_login(people[who])
    page = client.post(target, data)
    assert page.status_code == 400
    html = page.content.decode()
    closed = "The letter has gone to the QA to proofread: the notebook and the verbal"
    assert page.context["error_links"][0] == ("unsaved", page.context["error_links"][0][1])
    assert closed in page.context["error_links"][0][1]
    # No form to hold the words: they are shown read-only, escaped, to be copied.
    assert 'name="action"' not in html
    assert "What you typed, not saved" in html
    assert "&lt;b&gt;Words &amp; more&lt;/b&gt; typed while the letter went to the QA." in html
    assert "<b>Words" not in html
    assert TYPED in [text for _, text in page.context["unsaved"]]
    assert not Note.objects.exists()
    assert not Finding.objects.filter(text__startswith="<b>").exists()


def test_the_pre_visit_notes_typed_as_the_visit_ended_are_shown_to_be_copied(visit, client):
    review, people = visit("pctr")  # after the visit: the pre-visit notes are closed
    client.force_login(people["lead"])
    page = client.post(
        url(review),
        {
            "action": "pre_visit",
            "pre-visit-pre_visit_notes": "Ask for the rota.",
            "pre-visit-revision": 0,
        },
    )
    assert page.status_code == 400
    assert page.context["pre_visit_form"] is None
    assert page.context["unsaved"] == [("Pre-visit notes", "Ask for the rota.")]
    assert "until the visit ends" in page.content.decode()


WRITES = {
    "note_add": lambda review, people: note(review, people["member"], "Note."),
    "finding_add": lambda review, people: finding(review, people["member"], "Finding."),
    "finding_save": lambda review, people: notebook.finding_save(
        finding=finding(review, people["member"], "Finding."),
        text="Changed.",
        evidence="",
        revision=1,
        by=people["lead"],
    ),
    "conclusions_save": lambda review, people: notebook.conclusions_save(
        hypothesis=hypothesis(review), text="C.", revision=0, by=people["data"]
    ),
    "notebook_pre_visit_save": lambda review, people: notebook.notebook_pre_visit_save(
        review=review, text="Ask.", revision=0, by=people["lead"]
    ),
    "hypothesis_report_save": lambda review, people: (
        workbook_verbal_feedback.hypothesis_report_save(
            hypothesis=hypothesis(review),
            lead_comments="L.",
            host_comments="H.",
            revision=0,
            by=people["lead"],
        )
    ),
    "verbal_feedback_save": lambda review, people: workbook_verbal_feedback.verbal_feedback_save(
        review=review, given_on=D(2026, 11, 17), revision=0, by=people["lead"]
    ),
    "agreed_actions_save": lambda review, people: workbook_verbal_feedback.agreed_actions_save(
        review=review, actions=[{"text": "Act."}], revision=0, by=people["lead"]
    ),
    "emerging_issue_share": lambda review, people: workbook_verbal_feedback.emerging_issue_share(
        review=review, text="Issue.", by=people["lead"]
    ),
}


@pytest.mark.parametrize("service", list(WRITES))
def test_every_write_locks_the_review_before_it_reads_the_letter(visit, monkeypatch, service):
    """The letter's moves lock the review's row too, so a write and the letter leaving
    draft never overlap (R23). SQLite takes no row locks: what is checked here is that
    the lock is asked for first, in the write's own transaction, and the letter read
    after it, in the same transaction."""
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    base = len(connection.atomic_blocks)
    events = []
    lock = QuerySet.select_for_update

    def locking(queryset, *args, **kwargs):
        events.append(("lock", queryset.model, len(connection.atomic_blocks) > base))
        return lock(queryset, *args, **kwargs)

    def reads(execute, sql, params, many, context):
        if 'FROM "reviews_letter"' in sql:
            events.append(("letter", None, len(connection.atomic_blocks) > base))
        return execute(sql, params, many, context)

    # Made before the watch begins: only the service's own queries are watched.
    write = WRITES[service]
    if service == "finding_save":
        made = finding(review, people["member"], "Finding.")
        write = lambda review, people: notebook.finding_save(  # noqa: E731
            finding=made, text="Changed.", evidence="Seen.", revision=1, by=people["lead"]
        )
    monkeypatch.setattr(QuerySet, "select_for_update", locking)
    with connection.execute_wrapper(reads):
        write(review, people)
    assert events[0] == ("lock", Review, True)
    if service != "emerging_issue_share":  # closed by the feedback, not by the letter
        assert ("letter", None, True) in events[1:]


# Findings (R21, R29) -------------------------------------------------------------------


def test_a_member_cannot_change_anothers_finding_but_the_lead_can(visit, client):
    review, people = visit("pctr")
    theirs = finding(review, people["data"], "Thresholds vary.", "Ten case audits.")
    with pytest.raises(PermissionDenied):
        notebook.finding_save(
            finding=theirs, text="Mine now.", evidence="", revision=1, by=people["member"]
        )
    saved = notebook.finding_save(
        finding=theirs,
        text="Thresholds vary by team.",
        evidence="Ten case audits.",
        revision=1,
        by=people["lead"],
    )
    assert (saved.text, saved.revision, saved.written_by) == (
        "Thresholds vary by team.",
        2,
        people["data"],
    )
    # The writer changes their own.
    own = notebook.finding_save(
        finding=theirs,
        text="Thresholds vary by team.",
        evidence="Twelve.",
        revision=2,
        by=people["data"],
    )
    assert own.evidence == "Twelve."
    # The page offers the member no form for it, and refuses their post.
    client.force_login(people["member"])
    page = client.get(url(review))
    assert page.context["sections"][0]["findings"] == [(theirs, None)]
    refused = client.post(
        url(review),
        {
            "action": "finding_edit",
            "finding": theirs.pk,
            f"finding-{theirs.pk}-text": "Mine.",
            f"finding-{theirs.pk}-evidence": "",
            f"finding-{theirs.pk}-revision": "3",
        },
    )
    assert refused.status_code == 403
    assert Finding.objects.get().text == "Thresholds vary by team."
    # The change is in the history (R33).
    changes = [e.changes_dict.get("text") for e in LogEntry.objects.get_for_object(theirs)]
    assert ["Thresholds vary.", "Thresholds vary by team."] in changes


def test_a_finding_is_added_through_the_page_and_refused_without_text(visit, client):
    review, people = visit("pctr")
    first = hypothesis(review)
    client.force_login(people["member"])
    prefix = f"finding-new-{first.pk}"
    refused = client.post(
        url(review),
        {
            "action": "finding_add",
            "hypothesis": first.pk,
            f"{prefix}-text": "",
            f"{prefix}-evidence": "Kept evidence.",
        },
    )
    assert refused.status_code == 400
    form = refused.context["sections"][0]["finding_form"]
    assert form.errors == {"text": ["Write the finding."]}
    assert "Kept evidence." in refused.content.decode()
    added = client.post(
        url(review),
        {
            "action": "finding_add",
            "hypothesis": first.pk,
            f"{prefix}-text": "Agency staff miss supervision.",
            f"{prefix}-evidence": "Rota, interviews.",
        },
    )
    assert added.status_code == 302
    assert list(Finding.objects.values_list("text", "evidence", "written_by")) == [
        ("Agency staff miss supervision.", "Rota, interviews.", people["member"].pk)
    ]


def test_an_overtaken_finding_save_is_refused_with_both_versions(visit):
    review, people = visit("pctr")
    theirs = finding(review, people["member"], "Thresholds vary.")
    notebook.finding_save(
        finding=theirs, text="Lead's wording.", evidence="A", revision=1, by=people["lead"]
    )
    with pytest.raises(notebook.RevisionConflict) as caught:
        notebook.finding_save(
            finding=theirs, text="Member's wording.", evidence="A", revision=1, by=people["member"]
        )
    assert (caught.value.mine["text"], caught.value.theirs["text"], caught.value.revision) == (
        "Member's wording.",
        "Lead's wording.",
        2,
    )
    assert Finding.objects.get().text == "Lead's wording."


# Conclusions (R21) ---------------------------------------------------------------------


def test_an_overtaken_conclusions_save_is_refused_keeping_both_versions(visit, client):
    review, people = visit("pctr")
    first = hypothesis(review)
    prefix = f"conclusions-{first.pk}"
    member, data = client, Client()
    member.force_login(people["member"])
    data.force_login(people["data"])
    # Both open the page before either saves.
    for c in (member, data):
        assert c.get(url(review)).context["sections"][0]["conclusions_form"].initial == {
            "conclusions": "",
            "revision": 0,
        }

    def save(c, text, revision):
        return c.post(
            url(review),
            {
                "action": "conclusions",
                "hypothesis": first.pk,
                f"{prefix}-conclusions": text,
                f"{prefix}-revision": revision,
            },
        )

    assert save(member, "Thresholds are not shared.", 0).status_code == 302
    overtaken = save(data, "The data shows re-referrals rising.", 0)
    assert overtaken.status_code == 409
    # Nothing of the first is lost; the second is kept on the page, with the first beside it.
    assert HypothesisReport.objects.get(hypothesis=first).conclusions == (
        "Thresholds are not shared."
    )
    form = overtaken.context["sections"][0]["conclusions_form"]
    assert form["conclusions"].value() == "The data shows re-referrals rising."
    assert form["revision"].value() == "1"
    assert form.errors["conclusions"] == [
        f"Mo Member at {timezone.localtime():%H:%M} saved this while you were writing: their "
        "version is shown with it. Keep what is right, then save again."
    ]
    html = overtaken.content.decode()
    assert "Thresholds are not shared." in html and "The data shows re-referrals rising." in html
    # Merged and saved again on the revision now shown, it goes through.
    merged = "Thresholds are not shared. The data shows re-referrals rising."
    assert save(data, merged, 1).status_code == 302
    report = HypothesisReport.objects.get(hypothesis=first)
    assert (report.conclusions, report.revision, report.updated_by) == (merged, 2, people["data"])


def test_a_save_overtaken_between_its_read_and_its_write_is_refused(visit, monkeypatch):
    review, people = visit("pctr")
    first = hypothesis(review)
    notebook.conclusions_save(hypothesis=first, text="Base.", revision=0, by=people["member"])
    write = notebook._update_on_revision

    def overtaken(instance, **kwargs):
        # Another reviewer's save lands after this one read revision 1 and before it
        # writes: the conditional UPDATE must find the revision moved on.
        monkeypatch.setattr(notebook, "_update_on_revision", write)
        notebook.conclusions_save(hypothesis=first, text="Theirs.", revision=1, by=people["data"])
        return write(instance, **kwargs)

    monkeypatch.setattr(notebook, "_update_on_revision", overtaken)
    with pytest.raises(notebook.RevisionConflict) as caught:
        notebook.conclusions_save(hypothesis=first, text="Mine.", revision=1, by=people["lead"])
    assert (caught.value.mine, caught.value.theirs, caught.value.revision) == (
        {"conclusions": "Mine."},
        {"conclusions": "Theirs."},
        2,
    )
    # Nothing of "Mine." is stored. (The other save ran here on the test's one connection,
    # inside the refused save's transaction, so it is undone with it; on a server it is
    # another request's, committed on its own.)
    report = HypothesisReport.objects.get(hypothesis=first)
    assert (report.conclusions, report.revision) == ("Base.", 1)


def test_saving_the_same_conclusions_twice_is_not_a_conflict(visit):
    review, people = visit("pctr")
    first = hypothesis(review)
    notebook.conclusions_save(hypothesis=first, text="Agreed.", revision=0, by=people["member"])
    again = notebook.conclusions_save(
        hypothesis=first, text="Agreed.", revision=0, by=people["data"]
    )
    assert (again.conclusions, again.revision) == ("Agreed.", 1)


# Pre-visit notes (R21) -----------------------------------------------------------------


def test_only_the_lead_writes_the_pre_visit_notes_until_the_visit_ends(visit, client):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    saved = notebook.notebook_pre_visit_save(
        review=review, text="Ask about agency rota.", revision=0, by=people["lead"]
    )
    assert (saved.pre_visit_notes, saved.revision) == ("Ask about agency rota.", 1)
    for who in ("data", "member", "qa"):
        with pytest.raises(PermissionDenied):
            notebook.notebook_pre_visit_save(review=review, text="x", revision=1, by=people[who])
    # Overtaken by another save (the lead's other laptop): refused, both texts kept.
    notebook.notebook_pre_visit_save(
        review=review, text="Version A.", revision=1, by=people["lead"]
    )
    client.force_login(people["lead"])
    page = client.post(
        url(review),
        {"action": "pre_visit", "pre-visit-pre_visit_notes": "Version B.", "pre-visit-revision": 1},
    )
    assert page.status_code == 409
    assert page.context["pre_visit_form"]["pre_visit_notes"].value() == "Version B."
    assert "Version A." in page.content.decode()
    assert Notebook.objects.get(review=review).pre_visit_notes == "Version A."
    # Once the visit is over they are read, not written.
    review.state = ReviewState.AFTER_VISIT
    review.save(update_fields=["state"])
    with pytest.raises(ValidationError, match="until the visit ends"):
        notebook.notebook_pre_visit_save(review=review, text="x", revision=2, by=people["lead"])
    page = client.get(url(review))
    assert page.context["pre_visit_form"] is None
    assert "Version A." in page.content.decode()


def test_pre_visit_notes_are_written_once_the_hypotheses_are_agreed(pctr, client):
    review, people = pctr
    hypotheses_service.hypotheses_save(review=review, drafts=DRAFTS, by=people["lead"])
    client.force_login(people["lead"])
    # Before the host's decision there is nothing to prompt about.
    assert client.get(url(review)).context["pre_visit_form"] is None
    hypotheses_service.hypotheses_decide(
        review=review,
        decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
        by=people["host_dcs"],
    )
    review.refresh_from_db()
    assert review.state == ReviewState.AGREED
    place_member(review, people)  # the core member joins now (R14)
    saved = client.post(
        url(review),
        {
            "action": "pre_visit",
            "pre-visit-pre_visit_notes": "Ask for the rota.",
            "pre-visit-revision": 0,
        },
    )
    assert saved.status_code == 302
    assert Notebook.objects.get(review=review).pre_visit_notes == "Ask for the rota."
    # The team reads them; notes wait for the visit.
    client.force_login(people["member"])
    page = client.get(url(review))
    assert "Ask for the rota." in page.content.decode()
    assert page.context["writes"] is False
    with pytest.raises(ValidationError, match="once the visit has started"):
        note(review, people["member"], "Too soon.")


def test_a_savs_host_sees_no_notebook_before_the_visit(sav, client):
    review, people = sav
    expected = {"lead": 200, "member": 200, "host_dcs": 403, "host_ad": 404, "host_data": 404}
    got = {}
    for who in expected:
        client.force_login(people[who])
        got[who] = client.get(url(review)).status_code
    assert got == expected


# Who may read and write (R29) ----------------------------------------------------------

NOTEBOOK_STATUS = {
    "lead": 200,
    "data": 200,
    "member": 200,
    "qa": 200,
    "host_dcs": 403,
    "host_ad": 403,
    "host_data": 403,
    "coordinator": 403,
    "uninvolved": 404,
}


@pytest.mark.parametrize("kind", ["pctr", "sav"])
def test_who_may_read_and_write_the_notebook(visit, client, kind):
    review, people = visit(kind)
    note(review, people["member"], "Seen.")
    first = hypothesis(review)
    got_page, got_notes, wrote = {}, {}, {}
    for who in NOTEBOOK_STATUS:
        client.force_login(people[who])
        got_page[who] = client.get(url(review)).status_code
        got_notes[who] = client.get(notes_url(review)).status_code
        wrote[who] = client.post(
            notes_url(review),
            {
                f"note-{first.pk}-text": f"By {who}.",
                f"note-{first.pk}-client_key": str(uuid.uuid4()),
            },
        ).status_code
    assert got_page == NOTEBOOK_STATUS
    assert got_notes == NOTEBOOK_STATUS
    assert wrote == {
        "lead": 302,
        "data": 302,
        "member": 302,
        "qa": 403,
        "host_dcs": 403,
        "host_ad": 403,
        "host_data": 403,
        "coordinator": 403,
        "uninvolved": 404,
    }
    assert sorted(Note.objects.values_list("text", flat=True)) == [
        "By data.",
        "By lead.",
        "By member.",
        "Seen.",
    ]
    for who in ("qa", *HOST, "coordinator", "uninvolved"):
        with pytest.raises(PermissionDenied):
            note(review, people[who], "Not theirs.")
        with pytest.raises(PermissionDenied):
            finding(review, people[who], "Not theirs.")
        with pytest.raises(PermissionDenied):
            notebook.conclusions_save(
                hypothesis=first, text="Not theirs.", revision=0, by=people[who]
            )


def test_anonymous_visitors_are_sent_to_sign_in(visit, client):
    review, _ = visit("pctr")
    answer = client.get(url(review))
    assert answer.status_code == 302 and "/sign-in/" in answer["Location"]


# Pinned query counts -------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_the_notebook_page_runs_the_same_queries_however_many_notes(
    visit, client, django_assert_num_queries, count
):
    review, people = visit("pctr")
    for n in range(count):
        for number in (1, 2):
            note(review, people["member"], f"Note {n}.", number=number)
            f = finding(review, people["data"], f"Finding {n}.", number=number)
            notebook.finding_save(
                finding=f, text=f"Finding {n}!", evidence="E", revision=1, by=people["lead"]
            )
        notebook.conclusions_save(
            hypothesis=hypothesis(review), text=f"Conclusions {n}.", revision=n, by=people["lead"]
        )
    client.force_login(people["lead"])
    with django_assert_num_queries(15):
        page = client.get(url(review))
    assert len(page.context["sections"][0]["notes"]) == count
    assert len(page.context["sections"][1]["findings"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_notes_list_runs_the_same_queries_however_many_notes(
    visit, client, django_assert_num_queries, count
):
    review, people = visit("pctr")
    for n in range(count):
        note(review, people[TEAM[n]], f"Note {n}.")
    client.force_login(people["member"])
    with django_assert_num_queries(11):
        listed = client.get(notes_url(review))
    assert len(listed.context["notes"]) == count


def test_a_finding_without_evidence_is_refused_at_the_field_keeping_its_words(visit, client):
    # R21: a key finding rests on evidence; the words typed stay on the page.
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    first = hypothesis(review)
    client.force_login(people["member"])
    page = client.post(
        url(review),
        {
            "action": "finding_add",
            "hypothesis": first.pk,
            f"finding-new-{first.pk}-text": "Thresholds vary between the teams.",
            f"finding-new-{first.pk}-evidence": "   ",
        },
    )
    assert page.status_code == 400
    assert Finding.objects.count() == 0
    html = page.content.decode()
    assert "Say what the finding rests on" in html
    assert "Thresholds vary between the teams." in html
    with pytest.raises(ValidationError) as refused:
        notebook.finding_add(hypothesis=first, text="Seen.", evidence="", by=people["lead"])
    assert list(refused.value.message_dict) == ["evidence"]
