"""The feedback letter's flow and who may take each step (R23, R29): drafted by the lead
from the region's template and the records, proofread by the QA, shared with the host,
issued final; every step recorded, every refusal as tested as every permission."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.letter import pdf as letter_pdf
from reviews.letter import services as letters
from reviews.letter.models import Letter, LetterState, LetterTemplate, UntracedActionReason
from reviews.letter.placeholders import placeholders_check, placeholders_fill
from reviews.letter.selectors import NO_PRIORITY_ACTIONS
from reviews.review.models import TeamMember, TeamRole
from reviews.workbook.feedback_record import verbal_feedback_record
from reviews.workbook.models import (
    AgreedAction,
    Finding,
    Hypothesis,
    HypothesisReport,
    VerbalFeedback,
)
from tests.reviews.visited import visited

D = datetime.date
EVERYONE = (
    "lead",
    "qa",
    "data",
    "member",
    "host_dcs",
    "host_ad",
    "host_data",
    "uninvolved",
    "coordinator",
)
ACTIONS = [
    # (text, priority, traced to a finding with evidence)
    ("Bring the front door's thresholds into line across the teams.", True, True),
    ("Give agency social workers the same supervision as permanent staff.", True, False),
    ("Share the audit programme's results with partners.", False, True),
]


GIVEN_ON = D(2026, 11, 18)


def feedback_given(review, people, *, actions=ACTIONS, given_on=GIVEN_ON):
    """What the notebook and the verbal feedback hold after the visit, made directly:
    a finding with evidence and one without on hypothesis 1, one on hypothesis 2,
    reports, and the agreed ``actions`` (text, priority, traced)."""
    now = timezone.now()
    h1, h2 = Hypothesis.objects.filter(review=review, number__in=(1, 2)).order_by("number")
    evidenced = Finding.objects.create(
        hypothesis=h1,
        text="Thresholds differ between the two front-door teams.",
        evidence="Twelve of twenty referrals audited were stepped down differently.",
        written_by=people["member"],
        written_at=now,
        updated_at=now,
    )
    Finding.objects.create(
        hypothesis=h1,
        text="Managers believe agency staff are supervised less often.",
        evidence="",
        written_by=people["data"],
        written_at=now,
        updated_at=now,
    )
    Finding.objects.create(
        hypothesis=h2,
        text="Supervision records are up to date for permanent staff.",
        evidence="Supervision log for October.",
        written_by=people["lead"],
        written_at=now,
        updated_at=now,
    )
    for h in (h1, h2):
        HypothesisReport.objects.create(
            hypothesis=h,
            conclusions=f"Conclusions on hypothesis {h.number}.",
            lead_comments="",
            host_comments=f"The host accepted hypothesis {h.number}'s findings.",
            updated_by=people["lead"],
            updated_at=now,
        )
    VerbalFeedback.objects.create(
        review=review, given_on=given_on, recorded_by=people["lead"], recorded_at=now
    )
    made = []
    for n, (text, priority, traced) in enumerate(actions, start=1):
        action = AgreedAction.objects.create(
            review=review, number=n, text=text, host_agrees=True, is_priority=priority
        )
        if traced:
            action.findings.add(evidenced)
        made.append(action)
    return made


@pytest.fixture
def pctr(east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people)
    return review, people


def qa_approves(*, letter, by, comments=""):
    """The QA approves, giving a reason for each action resting on no recorded evidence
    (R23) — in these tests' record, action 2."""
    untraced = verbal_feedback_record(letter.review).untraced
    return letters.letter_proofread(
        letter=letter,
        approve=True,
        comments=comments,
        by=by,
        untraced_reasons={a.number: "The host's own audit, seen on site." for a in untraced},
    )


def at_state(review, people, state):
    """The review's letter taken through the flow to ``state``, the way the lead and the
    QA would."""
    lead, qa = people["lead"], people["qa"]
    letter = letters.letter_draft(review=review, by=lead)
    steps = [
        (LetterState.WITH_QA, lambda x: letters.letter_send_to_qa(letter=x, by=lead)),
        (
            LetterState.APPROVED,
            lambda x: qa_approves(letter=x, by=qa),
        ),
        (LetterState.SHARED, lambda x: letters.letter_share(letter=x, by=lead)),
        (LetterState.FINAL, lambda x: letter_pdf.letter_issue(letter=x, by=lead)),
    ]
    for reached, step in steps:
        if letter.state == state:
            break
        letter = step(letter)
        assert letter.state == reached
    return letter


# Drafting ----------------------------------------------------------------------------


def test_the_lead_drafts_the_letter_with_the_placeholders_filled_from_the_records(pctr):
    review, people = pctr
    letter = letters.letter_draft(review=review, by=people["lead"])
    template = LetterTemplate.objects.get(region=review.host.region, kind="pctr")
    expected = {
        "host_dcs": "Hana Host",
        "council": "Rutland",
        "review_dates": "16, 17 and 18 November 2026",
        # Only the priority actions, numbered as in the record, under what the host
        # said of them (R22, R23).
        "priority_actions": (
            "Agreed by the council at the verbal feedback:\n"
            "1. Bring the front door's thresholds into line across the teams.\n"
            "2. Give agency social workers the same supervision as permanent staff."
        ),
        "lead_name": "Lee Lead",
        "lead_title": "Director of Children's Services, Derby City",
        "kind": "Peer Challenge Team Review",
    }
    assert letter.body == placeholders_fill(template.body, expected)
    assert letter.subject == "Peer Challenge Team Review of Rutland: what the team found"
    assert letter.body.startswith("Dear Hana Host,\n")
    assert "\n1. Bring the front door's thresholds" in letter.body
    assert "Share the audit programme" not in letter.body  # not a priority
    assert letter.body.endswith("Lee Lead\nDirector of Children's Services, Derby City")
    assert (letter.state, letter.revision, letter.drafted_by) == ("draft", 1, people["lead"])
    assert [(e.before, e.after, e.by) for e in letter.events.all()] == [
        ("draft", "draft", people["lead"])
    ]


def test_the_letter_says_truthfully_which_actions_the_host_agreed(east_midlands, coordinator):
    # R22, R23: the host answered "No" to one priority action and had not said of another;
    # neither is ever listed as agreed, in the letter or in the template's heading.
    review, people = visited(east_midlands, coordinator, "pctr")
    _agreed, refused, unsaid = feedback_given(
        review,
        people,
        actions=[
            ("Bring the thresholds into line.", True, True),
            ("Close the second front door.", True, True),
            ("Review every plan by March.", True, True),
        ],
    )
    AgreedAction.objects.filter(pk=refused.pk).update(
        host_agrees=False, commentary="Two  doors suit the county's\ngeography."
    )
    AgreedAction.objects.filter(pk=unsaid.pk).update(host_agrees=None)
    letter = letters.letter_draft(review=review, by=people["lead"])
    assert "agreed at the verbal feedback:\n\nAgreed by" not in letter.body
    assert (
        "Areas for priority action:\n"
        "\n"
        "Agreed by the council at the verbal feedback:\n"
        "1. Bring the thresholds into line.\n"
        "\n"
        "Not agreed by the council at the verbal feedback:\n"
        "2. Close the second front door. (The council's view: Two doors suit the county's "
        "geography.)\n"
        "\n"
        "Not yet agreed by the council:\n"
        "3. Review every plan by March.\n"
    ) in letter.body


def test_a_letter_listing_a_refused_action_as_agreed_is_neither_shared_nor_issued(pctr):
    # A draft written under the old heading, or retyped by the lead, that lists an action
    # the host refused as agreed: refused at the share and at the issue, nothing moved.
    review, people = pctr
    letter = at_state(review, people, LetterState.APPROVED)
    refused = review.agreed_actions.get(number=2)
    AgreedAction.objects.filter(pk=refused.pk).update(host_agrees=False)
    Letter.objects.filter(pk=letter.pk).update(
        body="Dear Hana Host,\n\nAreas for priority action agreed at the verbal feedback:\n\n"
        f"1. Bring the front door's thresholds into line across the teams.\n2. {refused.text}\n"
    )
    with pytest.raises(ValidationError, match="lists action 2 as agreed, but the council"):
        letters.letter_share(letter=letter, by=people["lead"])
    letter.refresh_from_db()
    assert letter.state == LetterState.APPROVED
    Letter.objects.filter(pk=letter.pk).update(state=LetterState.SHARED, shared_at=timezone.now())
    with pytest.raises(ValidationError, match="lists action 2 as agreed"):
        letter_pdf.letter_issue(letter=letter, by=people["lead"])
    letter.refresh_from_db()
    assert (letter.state, letter.pdfs.count()) == (LetterState.SHARED, 0)


def test_the_sav_letter_uses_the_sav_template_and_the_lead_ads_post(east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator, "sav")
    feedback_given(review, people, actions=[])
    letter = letters.letter_draft(review=review, by=people["lead"])
    assert letter.subject == "Safeguarding Assurance Visit to Rutland: what the team found"
    assert "on 16 and 17 November 2026" in letter.body
    assert f"\n\n{NO_PRIORITY_ACTIONS}\n\n" in letter.body
    assert letter.body.endswith("Lee Lead\n2nd-tier safeguarding lead, Derby City")


def test_a_template_edited_by_the_coordinator_is_what_the_next_letter_is_drafted_from(pctr):
    review, people = pctr
    LetterTemplate.objects.filter(region=review.host.region, kind="pctr").update(
        subject="Review of {council}",
        body="To {host_dcs} of {council}: {{council}} stays as typed.\n{priority_actions}",
    )
    letter = letters.letter_draft(review=review, by=people["lead"])
    assert letter.subject == "Review of Rutland"
    assert letter.body == (
        "To Hana Host of Rutland: {council} stays as typed.\n"
        "Agreed by the council at the verbal feedback:\n"
        "1. Bring the front door's thresholds into line across the teams.\n"
        "2. Give agency social workers the same supervision as permanent staff."
    )


def test_a_value_from_the_records_is_inserted_as_text_never_read_for_placeholders(
    east_midlands, coordinator
):
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(
        review, people, actions=[("Publish {council} and {{ settings.SECRET_KEY }}", True, True)]
    )
    letter = letters.letter_draft(review=review, by=people["lead"])
    assert "1. Publish {council} and {{ settings.SECRET_KEY }}" in letter.body


def test_the_letter_waits_for_the_verbal_feedback(east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator, "pctr")
    with pytest.raises(ValidationError, match="once the verbal feedback has been given"):
        letters.letter_draft(review=review, by=people["lead"])
    feedback_given(review, people, given_on=None)
    with pytest.raises(ValidationError, match="once the verbal feedback has been given"):
        letters.letter_draft(review=review, by=people["lead"])
    assert not Letter.objects.exists()


def test_a_letter_is_drafted_once(pctr):
    review, people = pctr
    letters.letter_draft(review=review, by=people["lead"])
    with pytest.raises(ValidationError, match="drafted already"):
        letters.letter_draft(review=review, by=people["lead"])
    assert Letter.objects.count() == 1


@pytest.mark.parametrize("who", [p for p in EVERYONE if p != "lead"])
def test_nobody_but_the_lead_drafts(pctr, who):
    review, people = pctr
    with pytest.raises(PermissionDenied):
        letters.letter_draft(review=review, by=people[who])
    assert not Letter.objects.exists()


# Placeholders ------------------------------------------------------------------------


def test_placeholders_are_refused_by_name_when_unknown_or_unbalanced():
    with pytest.raises(ValidationError) as refused:
        placeholders_check("Dear {host_dsc}, {0.__class__} of {council}")
    assert refused.value.messages == [
        "Unknown placeholders {host_dsc}, {0.__class__}: use one of {host_dcs}, {council}, "
        "{review_dates}, {priority_actions}, {lead_name}, {lead_title}, {kind}."
    ]
    with pytest.raises(ValidationError) as refused:
        placeholders_check("Dear {host_dcs,\nthe {council} team")
    assert refused.value.messages == [
        'The brace "{" before "host_dcs," has no partner. Write a placeholder as {name}, or '
        "type a brace twice ({{ or }}) to print it."
    ]
    with pytest.raises(ValidationError, match=re.escape('The brace "}" after "Dear council" has')):
        placeholders_check("Dear council}")
    with pytest.raises(ValidationError, match=re.escape('The brace "{" at the end of a line has')):
        placeholders_check("Dear {\ncouncil")
    placeholders_check("{{literal}} and {kind}")  # no error


# The flow ----------------------------------------------------------------------------


def test_the_flow_from_draft_to_final_records_each_step_and_tells_who_is_next(
    pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    lead, qa = people["lead"], people["qa"]
    with django_capture_on_commit_callbacks(execute=True):
        letter = letters.letter_draft(review=review, by=lead)
        letter = letters.letter_update(
            letter=letter,
            subject="Our findings",
            body="Dear Hana Host,\n\nThank you.",
            variations="Two members read the thresholds differently.",
            revision=1,
            by=lead,
        )
        assert letter.revision == 2
        letter = letters.letter_send_to_qa(letter=letter, by=lead)
        with pytest.raises(ValidationError) as refused:
            letters.letter_proofread(letter=letter, approve=False, comments=" ", by=qa)
        assert refused.value.message_dict == {"comments": ["Say what the lead should change."]}
        letter = letters.letter_proofread(
            letter=letter, approve=False, comments="Name the evidence for action 2.", by=qa
        )
        assert (letter.state, letter.qa_comments) == ("draft", "Name the evidence for action 2.")
        letter = letters.letter_send_to_qa(letter=letter, by=lead)
        letter = qa_approves(letter=letter, by=qa)
        assert (letter.approved_by, letter.state) == (qa, "approved")
        letter = letters.letter_share(letter=letter, by=lead)
        assert letter.shared_at is not None
        letter = letter_pdf.letter_issue(letter=letter, by=lead)
    assert (letter.state, letter.issued_by) == ("final", lead)
    assert [(e.before, e.after, e.by, e.comment) for e in letter.events.all()] == [
        (
            "draft",
            "draft",
            lead,
            "Drafted from the region's Peer Challenge Team Review letter template.",
        ),
        ("draft", "draft", lead, "Changed the draft (revision 2)."),
        ("draft", "with_qa", lead, ""),
        ("with_qa", "draft", qa, "Name the evidence for action 2."),
        ("draft", "with_qa", lead, ""),
        ("with_qa", "approved", qa, ""),
        ("approved", "shared", lead, ""),
        ("shared", "final", lead, ""),
    ]
    sent = [(m.subject, sorted(m.to)) for m in mail.outbox]
    emails = {k: p.email for k, p in people.items()}
    assert sent == [
        ("Please proofread the feedback letter to Rutland", [emails["qa"]]),
        ("The QA returned the feedback letter to Rutland", [emails["lead"]]),
        ("Please proofread the feedback letter to Rutland", [emails["qa"]]),
        ("The QA approved the feedback letter to Rutland", [emails["lead"]]),
        (
            "The draft feedback letter of the Peer Challenge Team Review is ready to read",
            sorted([emails["host_dcs"], emails["host_ad"]]),
        ),
        (
            "The final feedback letter of the Peer Challenge Team Review of Rutland is ready",
            sorted([emails["host_dcs"], emails["host_ad"], emails["qa"], emails["coordinator"]]),
        ),
    ]
    assert "Name the evidence for action 2." in mail.outbox[1].body
    # Issuing asked the worker for the final PDF, which was made once.
    [pdf] = letter.pdfs.all()
    assert (pdf.is_final, pdf.state, pdf.letter_revision) == (True, "ready", 2)


STEPS = {
    # step: (state it needs, who may take it, the call)
    "update": (
        "draft",
        "lead",
        lambda letter, by: letters.letter_update(
            letter=letter, subject="S", body="B", variations="", revision=letter.revision, by=by
        ),
    ),
    "send_to_qa": (
        "draft",
        "lead",
        lambda letter, by: letters.letter_send_to_qa(letter=letter, by=by),
    ),
    "approve": (
        "with_qa",
        "qa",
        lambda letter, by: qa_approves(letter=letter, by=by),
    ),
    "return": (
        "with_qa",
        "qa",
        lambda letter, by: letters.letter_proofread(
            letter=letter, approve=False, comments="Change it.", by=by
        ),
    ),
    "share": ("approved", "lead", lambda letter, by: letters.letter_share(letter=letter, by=by)),
    "issue": ("shared", "lead", lambda letter, by: letter_pdf.letter_issue(letter=letter, by=by)),
}


@pytest.mark.parametrize("step", STEPS)
def test_each_step_is_taken_by_its_one_person_only(pctr, step):
    review, people = pctr
    state, allowed, call = STEPS[step]
    letter = at_state(review, people, state)
    for who in EVERYONE:
        if who == allowed:
            continue
        with pytest.raises(PermissionDenied):
            call(letter, people[who])
    letter.refresh_from_db()
    assert (letter.state, letter.revision) == (state, 1)
    after = call(letter, people[allowed])
    if step == "update":
        assert (after.state, after.revision) == (state, 2)
    else:
        assert after.state != state


@pytest.mark.parametrize(
    ("step", "state"),
    [
        ("send_to_qa", "with_qa"),
        ("approve", "draft"),
        ("share", "with_qa"),
        ("share", "draft"),
        ("issue", "approved"),
        ("update", "with_qa"),
        ("update", "shared"),
    ],
)
def test_a_step_is_refused_out_of_order(pctr, step, state):
    review, people = pctr
    letter = at_state(review, people, state)
    _, who, call = STEPS[step]
    with pytest.raises(ValidationError):
        call(letter, people[who])
    letter.refresh_from_db()
    assert letter.state == state


@pytest.mark.parametrize("step", STEPS)
def test_nothing_changes_a_final_letter(pctr, step, django_capture_on_commit_callbacks):
    review, people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "final")
    before = Letter.objects.values().get(pk=letter.pk)
    _, who, call = STEPS[step]
    with pytest.raises(ValidationError, match="final"):
        call(letter, people[who])
    assert Letter.objects.values().get(pk=letter.pk) == before
    assert letter.events.count() == 5


def test_a_save_overtaken_by_another_is_refused_and_its_words_kept(pctr):
    review, people = pctr
    letter = letters.letter_draft(review=review, by=people["lead"])
    letters.letter_update(
        letter=letter,
        subject="From the laptop",
        body="Laptop",
        variations="",
        revision=1,
        by=people["lead"],
    )
    with pytest.raises(letters.LetterConflict) as conflict:
        letters.letter_update(
            letter=letter,
            subject="From the phone",
            body="Phone",
            variations="V",
            revision=1,
            by=people["lead"],
        )
    assert conflict.value.content == {
        "subject": "From the phone",
        "body": "Phone",
        "variations": "V",
    }
    letter.refresh_from_db()
    assert (letter.subject, letter.body, letter.revision) == ("From the laptop", "Laptop", 2)


# The page ------------------------------------------------------------------------------


def _get(client, person, review):
    client.force_login(person)
    return client.get(reverse("reviews:letter", args=[review.pk]))


@pytest.mark.parametrize(
    ("state", "who", "status"),
    [
        # Before the letter is drafted: the lead and the QA only.
        (None, "lead", 200),
        (None, "qa", 200),
        (None, "host_dcs", 403),
        (None, "data", 403),
        (None, "coordinator", 403),
        (None, "uninvolved", 404),
        # A draft: the lead and the QA; not the host until it is shared (R29).
        ("with_qa", "host_dcs", 403),
        ("with_qa", "host_ad", 403),
        ("approved", "host_dcs", 403),
        ("approved", "data", 403),
        ("approved", "member", 403),
        ("approved", "coordinator", 403),
        ("approved", "host_data", 403),
        ("approved", "uninvolved", 404),
        ("shared", "host_dcs", 200),
        ("shared", "host_ad", 200),
        ("shared", "host_data", 403),
        ("shared", "data", 403),
        ("shared", "member", 403),
        ("shared", "coordinator", 403),
        ("shared", "uninvolved", 404),
        # Final: the host, the whole team and the coordinator's reference copy.
        ("final", "data", 200),
        ("final", "member", 200),
        ("final", "coordinator", 200),
        ("final", "host_dcs", 200),
        ("final", "host_data", 403),
        ("final", "uninvolved", 404),
    ],
)
def test_who_sees_the_letter_page(
    client, pctr, state, who, status, django_capture_on_commit_callbacks
):
    review, people = pctr
    if state:
        with django_capture_on_commit_callbacks(execute=True):
            at_state(review, people, state)
    response = _get(client, people[who], review)
    assert response.status_code == status
    if status == 200 and state:
        assert "Dear Hana Host," in response.content.decode()


def test_readers_of_the_final_letter_see_no_draft_and_no_buttons(
    client, pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "shared")
        letter_pdf.letter_pdf_request(letter=letter, by=people["lead"])
        at_state_final = letter_pdf.letter_issue(letter=letter, by=people["lead"])
    assert at_state_final.state == "final"
    for who in ("data", "coordinator"):
        page = _get(client, people[who], review).content.decode()
        assert "The final letter" in page
        assert "Draft, revision" not in page  # the draft PDF is not theirs to see
        assert 'name="action"' not in page
        assert "History" not in page
    lead_page = _get(client, people["lead"], review).content.decode()
    assert "Draft, revision 1" in lead_page
    assert 'name="action"' not in lead_page  # nothing left to do to a final letter


def test_the_lead_drafts_edits_and_sends_from_the_page(client, pctr):
    review, people = pctr
    client.force_login(people["lead"])
    url = reverse("reviews:letter", args=[review.pk])
    assert "Draft the letter" in client.get(url).content.decode()
    response = client.post(url, {"action": "draft"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Save and send to the QA" in page
    # A missing body is refused at its field, the rest kept as typed.
    response = client.post(
        url,
        {"action": "save", "subject": "Kept subject", "body": "", "variations": "", "revision": 1},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"body": ["Write the letter."]}
    assert 'value="Kept subject"' in response.content.decode()
    response = client.post(
        url,
        {
            "action": "send_to_qa",
            "subject": "Findings",
            "body": "Dear Hana Host,\r\n\r\nThe letter.",
            "variations": "",
            "revision": 1,
        },
    )
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert (letter.state, letter.body, letter.revision) == (
        "with_qa",
        "Dear Hana Host,\n\nThe letter.",
        2,
    )


def test_an_overtaken_save_on_the_page_keeps_what_was_typed(client, pctr):
    review, people = pctr
    letter = letters.letter_draft(review=review, by=people["lead"])
    letters.letter_update(
        letter=letter,
        subject="Saved elsewhere",
        body="Other tab",
        variations="",
        revision=1,
        by=people["lead"],
    )
    client.force_login(people["lead"])
    response = client.post(
        reverse("reviews:letter", args=[review.pk]),
        {"action": "save", "subject": "Mine", "body": "My words", "variations": "", "revision": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "My words</textarea>" in page
    assert "Other tab" in page  # the saved version beside it
    assert response.context["form"]["revision"].value() == 2
    letter.refresh_from_db()
    assert letter.body == "Other tab"


@pytest.mark.parametrize("moved_to", ["with_qa", "final"])
def test_a_save_from_a_stale_tab_is_refused_and_shows_what_was_typed(
    client, pctr, moved_to, django_capture_on_commit_callbacks
):
    # R23: the letter moved on from another tab; the words typed on the old page are not
    # saved, and not lost either: they come back read-only, escaped, with the reason.
    review, people = pctr
    lead = people["lead"]
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "draft")
        opened_at = letter.revision  # the old tab's page
        letter = letters.letter_send_to_qa(letter=letter, by=lead)
        if moved_to == "final":
            letter = qa_approves(letter=letter, by=people["qa"])
            letter = letters.letter_share(letter=letter, by=lead)
            letter = letter_pdf.letter_issue(letter=letter, by=lead)
    assert letter.state == moved_to
    before = Letter.objects.values().get(pk=letter.pk)
    client.force_login(people["lead"])
    response = client.post(
        reverse("reviews:letter", args=[review.pk]),
        {
            "action": "save",
            "subject": "My new subject",
            "body": "MY-LONG-UNSAVED-PARAGRAPH\r\n\r\nAnd <b>a second</b> one.",
            "variations": "Members <i>differed</i> on thresholds.",
            "revision": str(opened_at),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your changes were not saved: the letter moved on" in page
    assert (
        "with the QA to proofread: only a draft is changed" in page
        if moved_to == "with_qa"
        else "never changes once issued" in page
    )
    unsaved = page[
        page.index('id="unsaved"') : page.index("</details>", page.index('id="unsaved"'))
    ]
    assert "Your unsaved text" in unsaved
    assert "My new subject" in unsaved
    assert "MY-LONG-UNSAVED-PARAGRAPH<br><br>And &lt;b&gt;a second&lt;/b&gt; one." in unsaved
    assert "Members &lt;i&gt;differed&lt;/i&gt; on thresholds." in unsaved
    assert "<textarea" not in unsaved  # shown to copy, not a form to post again
    assert Letter.objects.values().get(pk=letter.pk) == before


def test_a_page_that_saves_normally_shows_no_unsaved_text(client, pctr):
    review, people = pctr
    at_state(review, people, "draft")
    page = _get(client, people["lead"], review).content.decode()
    assert "Your unsaved text" not in page


def test_the_qa_sees_untraced_actions_first_and_approves_them_only_with_a_reason(client, pctr):
    review, people = pctr
    at_state(review, people, "with_qa")
    page = _get(client, people["qa"], review).content.decode()
    untraced = page.index('id="action-2"')
    assert untraced < page.index('id="action-1"') < page.index('id="action-3"')
    flagged = page[untraced : page.index('id="action-1"')]
    assert "No recorded evidence" in flagged
    assert "Managers believe agency staff" not in flagged  # not linked to it
    assert page.count("No recorded evidence") == 1
    assert "Twelve of twenty referrals audited" in page  # action 1's evidence
    response = client.post(
        reverse("reviews:letter", args=[review.pk]), {"action": "proofread", "decision": "return"}
    )
    assert response.status_code == 400
    assert response.context["proofread_form"].errors == {
        "comments": ["Say what the lead should change."]
    }
    # R23: approving with action 2 untraced needs the QA's reason for it, at its field.
    response = client.post(
        reverse("reviews:letter", args=[review.pk]),
        {"action": "proofread", "decision": "approve", "comments": "Fine otherwise."},
    )
    assert response.status_code == 400
    assert response.context["proofread_form"].errors == {
        "untraced_2": ["Say why action 2 may stand without recorded evidence, or return the draft."]
    }
    assert "Fine otherwise." in response.content.decode()  # nothing typed is lost
    assert Letter.objects.get().state == "with_qa"
    response = client.post(
        reverse("reviews:letter", args=[review.pk]),
        {
            "action": "proofread",
            "decision": "approve",
            "untraced_2": "The host's own supervision audit,  seen on site.",
        },
    )
    assert response.status_code == 302
    assert Letter.objects.get().state == "approved"
    [reason] = UntracedActionReason.objects.all()
    assert (reason.action.number, reason.reason, reason.given_by) == (
        2,
        "The host's own supervision audit, seen on site.",
        people["qa"],
    )
    # The lead reads why, beside the action.
    page = _get(client, people["lead"], review).content.decode()
    action_2 = page[page.index('id="action-2"') : page.index('id="action-1"')]
    assert "Why the QA let it stand" in action_2
    assert "The host&#x27;s own supervision audit, seen on site." in action_2


@pytest.mark.parametrize(
    ("who", "action", "state"),
    [
        ("qa", "share", "approved"),
        ("host_dcs", "issue", "shared"),
        ("lead", "proofread", "with_qa"),
        ("coordinator", "pdf", "final"),
        ("data", "pdf", "final"),
    ],
)
def test_a_button_posted_by_someone_else_is_refused(
    client, pctr, who, action, state, django_capture_on_commit_callbacks
):
    review, people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, state)
    client.force_login(people[who])
    response = client.post(
        reverse("reviews:letter", args=[review.pk]), {"action": action, "decision": "approve"}
    )
    assert response.status_code in (400, 403)
    assert Letter.objects.get(pk=letter.pk).state == state
    assert letter.pdfs.filter(is_final=False).count() == 0


@pytest.mark.parametrize("actions", [1, 3])
def test_the_letter_page_query_count_is_pinned(
    client, east_midlands, coordinator, actions, django_assert_num_queries
):
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people, actions=ACTIONS[:actions])
    letter = at_state(review, people, "draft")
    for n in range(actions):
        # One PDF per revision of the draft: a second request of the same one returns it.
        letter_pdf.letter_pdf_request(letter=letter, by=people["lead"])
        letter = letters.letter_update(
            letter=letter,
            subject=letter.subject,
            body=f"{letter.body}\n\nChange {n}.",
            variations="",
            revision=letter.revision,
            by=people["lead"],
        )
    letters.letter_send_to_qa(letter=letter, by=people["lead"])
    client.force_login(people["qa"])
    with django_assert_num_queries(18):
        response = client.get(reverse("reviews:letter", args=[review.pk]))
    assert len(response.context["untraced"]) + len(response.context["traced"]) == actions
    assert len(response.context["pdfs"]) == actions


def test_proofreading_from_a_stale_tab_shows_the_comments_back(client, pctr):
    # The QA approved the letter in another tab, then sent comments from the first: they
    # are not recorded, and not lost either, but shown back to be copied (R23).
    review, people = pctr
    letter = at_state(review, people, "with_qa")
    qa_approves(letter=letter, by=people["qa"])
    client.force_login(people["qa"])
    response = client.post(
        reverse("reviews:letter", args=[review.pk]),
        {
            "action": "proofread",
            "decision": "return",
            "comments": "Action 4 rests on <no> evidence.\r\nPlease cut it.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your proofreading was not recorded: the letter moved on" in page
    unsaved = page[page.index('id="unsaved-comments"') :].split("</p>", 1)[0]
    assert "Action 4 rests on &lt;no&gt; evidence.<br>Please cut it." in unsaved
    assert Letter.objects.get(pk=letter.pk).state == "approved"
    assert Letter.objects.get(pk=letter.pk).qa_comments == ""


def test_a_refused_send_leaves_the_draft_as_it_was(client, pctr):
    # Saved and sent together or not at all: no half step whose saved revision would make
    # the lead's next save look overtaken (R23).
    review, people = pctr
    letter = letters.letter_draft(review=review, by=people["lead"])
    TeamMember.objects.filter(review=review, role=TeamRole.QA).delete()
    client.force_login(people["lead"])
    url = reverse("reviews:letter", args=[review.pk])
    sent = {"subject": "Findings", "body": "New words.", "variations": "", "revision": 1}
    response = client.post(url, {"action": "send_to_qa", **sent})
    assert response.status_code == 400
    assert "The review has no QA to proofread the letter." in response.content.decode()
    assert response.context["form"]["body"].value() == "New words."
    stored = Letter.objects.get(pk=letter.pk)
    assert (stored.state, stored.revision, stored.body) == ("draft", 1, letter.body)
    assert client.post(url, {"action": "save", **sent}).status_code == 302
    assert Letter.objects.get(pk=letter.pk).body == "New words."


# The host's comments on the shared draft (R23, R24) ------------------------------------


def test_the_host_dcs_comments_on_the_shared_draft_and_the_lead_reads_it_and_decides(
    client, pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    letter = at_state(review, people, "shared")
    client.force_login(people["host_dcs"])
    url = reverse("reviews:letter", args=[review.pk])
    assert "Your comment on the draft" in client.get(url).content.decode()
    refused = client.post(url, {"action": "comment", "text": "  "})
    assert refused.status_code == 400
    assert refused.context["comment_form"].errors == {"text": ["Write your comment on the draft."]}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            url, {"action": "comment", "text": "Action 2: the audit was of <twelve> cases."}
        )
    assert sent.status_code == 302
    [comment] = letter.comments.all()
    assert (comment.by, comment.letter_revision, comment.text) == (
        people["host_dcs"],
        letter.revision,
        "Action 2: the audit was of <twelve> cases.",
    )
    assert [m.to for m in mail.outbox] == [[people["lead"].email]]
    assert "twelve" not in mail.outbox[0].body  # where to read it, not what it says
    # The lead and the QA read it, escaped; the lead takes the draft back to change it.
    for who in ("lead", "qa"):
        client.force_login(people[who])
        assert (
            "Action 2: the audit was of &lt;twelve&gt; cases." in client.get(url).content.decode()
        )
    client.force_login(people["lead"])
    assert client.post(url, {"action": "reopen"}).status_code == 302
    letter.refresh_from_db()
    assert letter.state == "draft"
    # The host no longer reads the draft, nor comments, until it is shared again.
    client.force_login(people["host_dcs"])
    assert client.post(url, {"action": "comment", "text": "Again."}).status_code == 403
    assert letter.comments.count() == 1


@pytest.mark.parametrize("who", ["host_ad", "host_data", "lead", "qa", "member", "coordinator"])
def test_only_the_host_dcs_comments_on_the_draft(client, pctr, who):
    review, people = pctr
    letter = at_state(review, people, "shared")
    with pytest.raises(PermissionDenied):
        letters.letter_comment(letter=letter, text="A comment.", by=people[who])
    client.force_login(people[who])
    response = client.post(
        reverse("reviews:letter", args=[review.pk]), {"action": "comment", "text": "A comment."}
    )
    assert response.status_code in (403, 404)
    assert letter.comments.count() == 0


def test_a_final_letter_takes_no_comment(pctr):
    review, people = pctr
    letter = at_state(review, people, "final")
    with pytest.raises(PermissionDenied):
        letters.letter_comment(letter=letter, text="Too late.", by=people["host_dcs"])
