"""The verbal feedback record (R22, R29): assembled from the notebook, never retyped, plus
what the lead adds (comments, the host's comments, agreed actions traced to findings, the
date it was given); the host reads it only once it has been given."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.letter.models import LetterState
from reviews.review.models import ReviewState
from reviews.workbook.feedback_record import verbal_feedback_record
from reviews.workbook.models import AgreedAction, Finding, HypothesisReport, VerbalFeedback
from reviews.workbook.services import notebook as workbook_notebook
from reviews.workbook.services import verbal_feedback as notebook
from tests.dates import date_input
from tests.reviews.workbook.test_notebook import (  # noqa: F401
    CLOSED_BY,
    finding,
    hypothesis,
    letter_at,
    visit,
)

D = datetime.date
GIVEN_ON = D(2026, 11, 18)  # the last on-site day of visited()'s PCTR


def url(review):
    return reverse("reviews:verbal_feedback", args=[review.pk])


def given(review, people, on=GIVEN_ON):
    current = VerbalFeedback.objects.filter(review=review).first()
    return notebook.verbal_feedback_save(
        review=review,
        given_on=on,
        revision=current.revision if current else 0,
        by=people["lead"],
    )


def actions_data(rows, revision=0):
    data = {"action": "actions", "actions-revision": revision}
    for n, row in enumerate(rows, start=1):
        for name, value in row.items():
            data[f"actions-{n}-{name}"] = value
    return data


def test_the_record_is_filled_from_the_notebook(visit, client):  # noqa: F811
    review, people = visit("pctr")
    finding(review, people["member"], "Thresholds vary by team.", "Ten case audits.")
    workbook_notebook.conclusions_save(
        hypothesis=hypothesis(review),
        text="Thresholds need one owner.",
        revision=0,
        by=people["data"],
    )
    client.force_login(people["lead"])
    page = client.get(url(review))
    html = page.content.decode()
    for words in (
        "Thresholds at the front door are applied inconsistently.",
        "Audit of ten cases for hypothesis 1.",
        "Thresholds vary by team.",
        "Ten case audits.",
        "Thresholds need one owner.",
    ):
        assert words in html
    assert [h.hypothesis.number for h, _ in page.context["hypotheses"]] == [1, 2]
    # The lead adds comments; the notebook's words are not fields to retype.
    form = page.context["hypotheses"][0][1]
    assert list(form.fields) == ["revision", "lead_comments", "host_comments"]


def test_the_lead_records_comments_actions_and_the_date(visit, client):  # noqa: F811
    review, people = visit("pctr")
    first = hypothesis(review)
    evidenced = finding(review, people["member"], "Thresholds vary.", "Ten case audits.")
    # A finding saved before evidence was required: no action can trace to it.
    now = timezone.now()
    bare = Finding.objects.create(
        hypothesis=hypothesis(review, 2),
        text="Re-referrals rise.",
        evidence="",
        written_by=people["data"],
        written_at=now,
        updated_at=now,
    )
    client.force_login(people["lead"])
    saved = client.post(
        url(review),
        {
            "action": "report",
            "hypothesis": first.pk,
            f"report-{first.pk}-lead_comments": "Well evidenced.",
            f"report-{first.pk}-host_comments": "The DCS accepts this.",
            f"report-{first.pk}-revision": 0,
        },
    )
    assert saved.status_code == 302
    report = HypothesisReport.objects.get(hypothesis=first)
    assert (report.lead_comments, report.host_comments) == (
        "Well evidenced.",
        "The DCS accepts this.",
    )
    rows = [
        {
            "text": "One threshold document.",
            "host_agrees": "yes",
            "commentary": "By March.",
            "is_priority": "on",
            "findings": [str(evidenced.pk)],
        },
        {"text": "", "commentary": ""},  # an empty row is dropped
        {"text": "Track re-referrals.", "host_agrees": "", "findings": [str(bare.pk)]},
    ]
    assert client.post(url(review), actions_data(rows)).status_code == 302
    actions = list(AgreedAction.objects.filter(review=review).order_by("number"))
    assert [(a.number, a.text, a.host_agrees, a.commentary, a.is_priority) for a in actions] == [
        (1, "One threshold document.", True, "By March.", True),
        (2, "Track re-referrals.", None, "", False),
    ]
    assert [list(a.findings.all()) for a in actions] == [[evidenced], [bare]]
    # The record traces each action to its findings: the second rests on no evidence (R23).
    record = verbal_feedback_record(review)
    assert record.untraced == [actions[1]]
    page = client.get(url(review))
    assert "Resting on no finding with recorded evidence: action 2." in " ".join(
        page.content.decode().split()
    )
    assert client.post(
        url(review),
        {"action": "given", **date_input("given-given_on", D(2026, 11, 18)), "given-revision": 1},
    ).status_code == (302)
    assert VerbalFeedback.objects.get(review=review).given_on == D(2026, 11, 18)


def test_the_leads_comments_and_the_teams_conclusions_do_not_overwrite_each_other(visit):  # noqa: F811
    review, people = visit("pctr")
    first = hypothesis(review)
    # Both pages were opened before the report existed (revision 0).
    workbook_notebook.conclusions_save(
        hypothesis=first, text="One owner needed.", revision=0, by=people["member"]
    )
    report = notebook.hypothesis_report_save(
        hypothesis=first,
        lead_comments="Strong evidence.",
        host_comments="Accepted.",
        revision=0,
        by=people["lead"],
    )
    assert (report.conclusions, report.lead_comments, report.host_comments, report.revision) == (
        "One owner needed.",
        "Strong evidence.",
        "Accepted.",
        2,
    )
    # Comments written meanwhile by another save are not overwritten unseen.
    with pytest.raises(workbook_notebook.RevisionConflict) as caught:
        notebook.hypothesis_report_save(
            hypothesis=first,
            lead_comments="Other.",
            host_comments="",
            revision=1,
            by=people["lead"],
        )
    assert caught.value.theirs == {
        "lead_comments": "Strong evidence.",
        "host_comments": "Accepted.",
    }
    assert HypothesisReport.objects.get(hypothesis=first).lead_comments == "Strong evidence."


def test_an_action_needs_its_words_and_keeps_what_was_typed(visit, client):  # noqa: F811
    review, people = visit("pctr")
    client.force_login(people["lead"])
    page = client.post(url(review), actions_data([{"text": "", "commentary": "Only this."}]))
    assert page.status_code == 400
    form = page.context["actions_form"]
    assert form.errors == {"1-text": ["Write the action, or clear its row."]}
    assert "Only this." in page.content.decode()
    assert AgreedAction.objects.count() == 0


def test_an_overtaken_actions_save_is_refused_showing_both(visit, client):  # noqa: F811
    review, people = visit("pctr")
    other = Client()
    client.force_login(people["lead"])
    other.force_login(people["lead"])  # the lead's second laptop
    assert client.post(url(review), actions_data([{"text": "First laptop."}])).status_code == 302
    page = other.post(url(review), actions_data([{"text": "Second laptop."}]))
    assert page.status_code == 409
    assert list(AgreedAction.objects.values_list("text", flat=True)) == ["First laptop."]
    html = page.content.decode()
    assert "First laptop." in html and "Second laptop." in html
    assert page.context["actions_form"]["revision"].value() == "1"


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (D(2026, 11, 28), "The feedback cannot be given in the future."),
        (D(2026, 11, 13), "The feedback is given on or after the first on-site day"),
    ],
)
def test_the_date_given_is_neither_future_nor_before_the_visit(visit, client, on, message):  # noqa: F811
    review, people = visit("pctr")
    with pytest.raises(ValidationError, match=message):
        given(review, people, on)
    client.force_login(people["lead"])
    page = client.post(
        url(review), {"action": "given", **date_input("given-given_on", on), "given-revision": 0}
    )
    assert page.status_code == 400
    assert message in page.context["given_form"].errors["given_on"][0]
    assert page.context["given_form"]["given_on"].value() == [
        str(on.day),
        str(on.month),
        str(on.year),
    ]
    assert not VerbalFeedback.objects.filter(given_on__isnull=False).exists()


@pytest.mark.parametrize("state", list(CLOSED_BY))
def test_the_record_closes_as_soon_as_the_letter_leaves_draft(visit, client, state):  # noqa: F811
    review, people = visit("pctr")
    traced = finding(review, people["member"], "Thresholds vary.", "Audits.")
    notebook.agreed_actions_save(
        review=review,
        actions=[{"text": "One threshold.", "host_agrees": True, "findings": [traced.pk]}],
        revision=0,
        by=people["lead"],
    )
    given(review, people)
    letter_at(review, people, state)
    closed = f"{CLOSED_BY[state]}: the notebook and the verbal feedback record are closed"
    for write in (
        # Neither the tracing the QA checked nor the host's agreement changes now.
        lambda: notebook.agreed_actions_save(
            review=review,
            actions=[{"text": "One threshold.", "host_agrees": False, "findings": []}],
            revision=2,
            by=people["lead"],
        ),
        lambda: notebook.hypothesis_report_save(
            hypothesis=hypothesis(review),
            lead_comments="Late.",
            host_comments="Late.",
            revision=0,
            by=people["lead"],
        ),
        lambda: notebook.verbal_feedback_save(
            review=review, given_on=D(2026, 11, 17), revision=2, by=people["lead"]
        ),
    ):
        with pytest.raises(ValidationError, match=closed):
            write()
    action = AgreedAction.objects.get()
    assert (action.host_agrees, list(action.findings.all())) == (True, [traced])
    assert VerbalFeedback.objects.get().given_on == GIVEN_ON
    assert not HypothesisReport.objects.exists()
    # The page is read-only, and says why.
    client.force_login(people["lead"])
    page = client.get(url(review))
    html = page.content.decode()
    assert closed in html
    assert page.context["writes"] is False
    assert page.context["actions_form"] is None and page.context["given_form"] is None
    assert [form for _, form in page.context["hypotheses"]] == [None, None]
    assert 'name="action"' not in html


@pytest.mark.parametrize(
    ("data", "typed"),
    [
        (
            {
                "action": "report",
                "hypothesis": "{h}",
                "report-{h}-lead_comments": "<i>Well</i> evidenced.",
                "report-{h}-host_comments": "",
                "report-{h}-revision": 0,
            },
            [("The lead's comments on hypothesis 1", "<i>Well</i> evidenced.")],
        ),
        (
            {**actions_data([{"text": "<i>One</i> threshold.", "commentary": "By March."}], 1)},
            [
                ("What is to be done (action 1)", "<i>One</i> threshold."),
                ("Commentary on action 1", "By March."),
            ],
        ),
        (
            {"action": "given", **date_input("given-given_on", "17 11 2026"), "given-revision": 1},
            [("Date the verbal feedback was given", "17 11 2026")],
        ),
    ],
)
def test_words_typed_as_the_record_closed_are_shown_to_be_copied(visit, client, data, typed):  # noqa: F811
    review, people = visit("pctr")
    given(review, people)
    letter_at(review, people, LetterState.SHARED)
    client.force_login(people["lead"])
    first = hypothesis(review)
    page = client.post(
        url(review),
        {
            k.format(h=first.pk): v.format(h=first.pk) if isinstance(v, str) else v
            for k, v in data.items()
        },
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert page.context["unsaved"] == typed
    assert "What you typed, not saved" in html
    assert "The letter has been shared with the host as a draft: the notebook" in html
    assert "<i>" not in html
    assert 'name="action"' not in html
    assert not AgreedAction.objects.exists() and not HypothesisReport.objects.exists()


@pytest.mark.parametrize("sent", [["12x"], "7", [None], [True], [1.5]])
def test_finding_ids_that_are_not_ids_are_refused_at_the_field(visit, sent):  # noqa: F811
    review, people = visit("pctr")
    with pytest.raises(ValidationError) as caught:
        notebook.agreed_actions_save(
            review=review,
            actions=[{"text": "Act.", "findings": sent}],
            revision=0,
            by=people["lead"],
        )
    assert caught.value.message_dict == {
        "1-findings": ["Choose findings of this review's hypotheses."]
    }
    assert not AgreedAction.objects.exists()


# Who may read and write (R29) ----------------------------------------------------------

BEFORE = {
    "lead": 200,
    "qa": 200,
    "data": 200,
    "member": 200,
    "host_dcs": 403,
    "host_ad": 403,
    "host_data": 403,
    "coordinator": 403,
    "uninvolved": 404,
}
ONCE_GIVEN = {**BEFORE, "host_dcs": 200, "host_ad": 200}


@pytest.mark.parametrize("kind", ["pctr", "sav"])
def test_the_host_reads_the_record_only_once_it_is_given(visit, client, kind):  # noqa: F811
    review, people = visit(kind)
    finding(review, people["member"], "Thresholds vary.", "Audits.")

    def statuses():
        got = {}
        for who in BEFORE:
            client.force_login(people[who])
            got[who] = client.get(url(review)).status_code
        return got

    assert statuses() == BEFORE
    given(review, people)
    assert statuses() == ONCE_GIVEN
    client.force_login(people["host_dcs"])
    page = client.get(url(review))
    assert "Thresholds vary." in page.content.decode()
    assert page.context["actions_form"] is None and page.context["given_form"] is None


@pytest.mark.parametrize("kind", ["pctr", "sav"])
@pytest.mark.parametrize(
    "who", ["qa", "data", "member", "host_dcs", "host_ad", "host_data", "coordinator", "uninvolved"]
)
def test_only_the_lead_writes_the_record(visit, client, kind, who):  # noqa: F811
    review, people = visit(kind)
    given(review, people)
    first = hypothesis(review)
    for attempt in (
        lambda: notebook.agreed_actions_save(
            review=review, actions=[{"text": "x"}], revision=1, by=people[who]
        ),
        lambda: notebook.verbal_feedback_save(
            review=review, given_on=D(2026, 11, 17), revision=1, by=people[who]
        ),
        lambda: notebook.hypothesis_report_save(
            hypothesis=first, lead_comments="x", host_comments="x", revision=0, by=people[who]
        ),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    client.force_login(people[who])
    answer = client.post(url(review), actions_data([{"text": "x"}], revision=1))
    assert answer.status_code == (404 if who == "uninvolved" else 403)
    assert AgreedAction.objects.count() == 0
    assert VerbalFeedback.objects.get(review=review).given_on == D(2026, 11, 18)


def test_the_lead_writes_while_on_site_too(visit):  # noqa: F811
    review, people = visit("sav", state=ReviewState.ON_SITE)
    saved = notebook.agreed_actions_save(
        review=review, actions=[{"text": "Audit strategy meetings."}], revision=0, by=people["lead"]
    )
    assert [a.text for a in saved] == ["Audit strategy meetings."]


# Pinned query counts -------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_the_record_runs_the_same_queries_however_many_actions(
    visit,  # noqa: F811
    client,
    django_assert_num_queries,
    count,
):
    review, people = visit("pctr")
    findings = [finding(review, people["member"], f"Finding {n}.", "E") for n in range(count)]
    findings += [
        finding(review, people["data"], f"Other {n}.", "E", number=2) for n in range(count)
    ]
    notebook.agreed_actions_save(
        review=review,
        actions=[
            {"text": f"Action {n}.", "findings": [findings[n].pk, findings[-1].pk]}
            for n in range(count)
        ],
        revision=0,
        by=people["lead"],
    )
    client.force_login(people["lead"])
    # With the team's view of the areas (R39): the self-assessment, its template, the views.
    with django_assert_num_queries(20):
        page = client.get(url(review))
    assert len(page.context["record"].actions) == count
