"""Hypotheses (R18–R20): the lead drafts, the PCTR host decides and the decision is
theirs (R19); the lead's disagreement is kept; the QA is told and comments; a SAV's host
learns nothing of them before the visit (R30); the team agrees a SAV's at the call."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Role
from emslirp.models import PostKind, User
from emslirp.working_days import working_days_shift
from reviews.letter.models import Letter
from reviews.review import services
from reviews.review.models import ReviewState, TeamRole
from reviews.workbook.models import ConferenceCall, Hypothesis
from reviews.workbook.services import hypotheses as service
from tests.calendar_planner.people import holder, review
from tests.dates import date_input
from tests.reviews.review.test_teams import accredited

D = datetime.date
TODAY = D(2026, 11, 27)
DRAFTS = [
    {
        "text": "Thresholds at the front door are applied inconsistently.",
        "linked_to_data": True,
        "proposal": "investigate",
    },
    {
        "text": "Supervision does not reach agency staff.",
        "linked_to_self_assessment": True,
        "proposal": "investigate",
    },
    {"text": "Care leavers' pathway plans are late.", "proposal": "investigate"},
    {"text": "Early help is not joined up with schools.", "proposal": "park"},
]


def _one(region, kind, la_name, name):
    """The holder of ``kind`` in ``la_name``, made once however many reviews ask."""
    existing = User.objects.filter(full_name=name).first()
    return existing or holder(region, kind, la_name, name=name)


def place_member(subject, people):
    """Place ``people["member"]`` on ``subject``'s team: a SAV's from the start, a PCTR's
    once its hypotheses are agreed (R14)."""
    services.team_assign(
        review=subject, person=people["member"], role=TeamRole.MEMBER, by=people["lead"]
    )


def agree_and_place(subject, people):
    """``subject``, a PCTR, with ``DRAFTS`` drafted by the lead and decided by the host
    (two investigated), then its core member placed (R14)."""
    service.hypotheses_save(review=subject, drafts=DRAFTS, by=people["lead"])
    service.hypotheses_decide(
        review=subject,
        decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
        by=people["host_dcs"],
    )
    place_member(subject, people)
    subject.refresh_from_db()


def team_for(region, subject, coordinator, kind):
    """The team of ``subject``: lead, QA, data specialist and a core member, who joins a
    PCTR only once its hypotheses are agreed (R14) — ``place_member`` then."""
    lead_role, qa_role, post = (
        (Role.SAV_LEAD_AD, Role.QA_AD, PostKind.SAFEGUARDING_LEAD)
        if kind == "sav"
        else (Role.LEAD_DCS, Role.QA_DCS, PostKind.DCS)
    )
    member_role = Role.SAV_MEMBER if kind == "sav" else Role.PCTR_MEMBER
    people = {
        "lead": accredited(region, "Derby City", lead_role, post, "Lee Lead"),
        "qa": accredited(region, "Lincolnshire", qa_role, post, "Quinn Assure"),
        "data": accredited(
            region, "Derby City", Role.DATA_SPECIALIST, PostKind.DATA_SPECIALIST, "Dai Ta"
        ),
        "member": accredited(region, "Leicestershire", member_role, name="Mo Member"),
    }
    services.team_assign(review=subject, person=people["lead"], role=TeamRole.LEAD, by=coordinator)
    services.team_assign(review=subject, person=people["qa"], role=TeamRole.QA, by=coordinator)
    services.team_assign(
        review=subject, person=people["data"], role=TeamRole.DATA_SPECIALIST, by=people["lead"]
    )
    subject.refresh_from_db()
    if kind == "sav" or subject.state not in (ReviewState.PLANNED, ReviewState.PREPARING):
        place_member(subject, people)
    people["host_dcs"] = _one(region, PostKind.DCS, "Rutland", "Hana Host")
    people["host_ad"] = _one(region, PostKind.SAFEGUARDING_LEAD, "Rutland", "Al Host")
    people["host_data"] = _one(region, PostKind.DATA_SPECIALIST, "Rutland", "Dee Host")
    people["uninvolved"] = _one(region, PostKind.DCS, "Nottinghamshire", "Una Involved")
    people["coordinator"] = coordinator
    return people


@pytest.fixture
def pctr(east_midlands, coordinator):
    subject = review(east_midlands, "pctr", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")
    return subject, team_for(east_midlands, subject, coordinator, "pctr")


@pytest.fixture
def sav(east_midlands, coordinator):
    subject = review(east_midlands, "sav", "Rutland", D(2027, 3, 1), "Derby City", "Lincolnshire")
    return subject, team_for(east_midlands, subject, coordinator, "sav")


def drafted(subject, people):
    return service.hypotheses_save(review=subject, drafts=DRAFTS, by=people["lead"])


def test_the_lead_drafts_up_to_four_and_no_more(pctr):
    subject, people = pctr
    saved = drafted(subject, people)
    assert [(h.number, h.proposal, h.linked_to_data) for h in saved] == [
        (1, "investigate", True),
        (2, "investigate", False),
        (3, "investigate", False),
        (4, "park", False),
    ]
    with pytest.raises(ValidationError, match="Draft up to 4 hypotheses"):
        service.hypotheses_save(review=subject, drafts=[*DRAFTS, DRAFTS[0]], by=people["data"])


@pytest.mark.parametrize("who", ["host_dcs", "qa", "member", "coordinator", "host_data"])
def test_only_the_lead_and_data_specialist_draft(pctr, who):
    subject, people = pctr
    with pytest.raises(PermissionDenied):
        service.hypotheses_save(review=subject, drafts=DRAFTS, by=people[who])


def test_the_host_decides_against_the_leads_proposal_and_the_decision_stands(
    pctr, django_capture_on_commit_callbacks
):
    subject, people = pctr
    drafted(subject, people)
    # The lead cannot decide (R19).
    with pytest.raises(PermissionDenied):
        service.hypotheses_decide(review=subject, decisions={1: "investigate"}, by=people["lead"])
    decisions = {1: "investigate", 2: "investigate", 3: "park", 4: "park"}
    with django_capture_on_commit_callbacks(execute=True):
        service.hypotheses_decide(review=subject, decisions=decisions, by=people["host_dcs"])
    third = Hypothesis.objects.get(review=subject, number=3)
    assert (third.proposal, third.decision, third.decided_by) == (
        "investigate",
        "park",
        people["host_dcs"],
    )
    # The lead and the QA are told, naming the one decided against the lead's proposal.
    assert [sorted(m.to) for m in mail.outbox] == [
        sorted([people["lead"].email, people["qa"].email])
    ]
    assert "against the lead's proposal on 1 hypothesis" in mail.outbox[0].body
    # The lead's disagreement is kept; the decision does not change; the QA is told.
    with django_capture_on_commit_callbacks(execute=True):
        service.hypothesis_disagree(
            hypothesis=third, text="Care leavers are the host's weakest area.", by=people["lead"]
        )
    third.refresh_from_db()
    assert (third.decision, third.disagreement) == (
        "park",
        "Care leavers are the host's weakest area.",
    )
    assert mail.outbox[1].to == [people["qa"].email]
    # Once decided, the drafts are fixed, even for the lead.
    with pytest.raises(ValidationError, match="can no longer be changed"):
        drafted(subject, people)


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        ({1: "investigate", 2: "park", 3: "park", 4: "park"}, "1 chosen"),
        ({1: "investigate", 2: "investigate", 3: "investigate", 4: "investigate"}, "4 chosen"),
    ],
)
def test_the_host_chooses_two_or_three(pctr, decisions, message):
    subject, people = pctr
    drafted(subject, people)
    with pytest.raises(ValidationError, match=message):
        service.hypotheses_decide(review=subject, decisions=decisions, by=people["host_ad"])
    assert not Hypothesis.objects.filter(review=subject).exclude(decision="").exists()


def test_the_qa_comments_and_a_team_member_cannot(pctr):
    subject, people = pctr
    first = drafted(subject, people)[0]
    comment = service.hypothesis_comment(hypothesis=first, text="Check the audit.", by=people["qa"])
    assert comment.author == people["qa"]
    with pytest.raises(PermissionDenied):
        service.hypothesis_comment(hypothesis=first, text="Me too.", by=people["member"])


def test_no_host_la_user_learns_of_a_savs_hypotheses_before_the_visit(client, sav):
    subject, people = sav
    drafted(subject, people)
    url = reverse("reviews:hypotheses", args=[subject.pk])
    for who in ("host_dcs", "host_ad", "host_data", "uninvolved"):
        client.force_login(people[who])
        assert client.get(url).status_code == 404
    # Nor can the host decide one.
    with pytest.raises(PermissionDenied):
        service.hypotheses_decide(
            review=subject,
            decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
            by=people["host_dcs"],
        )
    client.force_login(people["member"])
    assert "Thresholds at the front door" in client.get(url).content.decode()


def test_the_sav_team_agrees_the_hypotheses_at_the_conference_call(sav):
    subject, people = sav
    drafted(subject, people)
    team = [people["lead"], people["data"], people["member"], people["qa"]]
    call = service.conference_call_record(
        review=subject,
        held_on=D(2027, 3, 14),
        attended_by=team,
        notes="Front door first; case audits on day two.",
        decisions={1: "investigate", 2: "investigate", 3: "investigate", 4: "park"},
        by=people["lead"],
    )
    assert set(call.attended_by.all()) == set(team)
    assert list(Hypothesis.objects.filter(review=subject).values_list("decision", flat=True)) == [
        "investigate",
        "investigate",
        "investigate",
        "park",
    ]
    with pytest.raises(ValidationError, match="already been recorded"):
        service.conference_call_record(
            review=subject,
            held_on=D(2027, 3, 14),
            attended_by=team,
            notes="",
            decisions={},
            by=people["lead"],
        )
    assert ConferenceCall.objects.count() == 1


def test_methods_are_for_investigated_hypotheses_and_at_most_three(pctr):
    subject, people = pctr
    drafted(subject, people)
    service.hypotheses_decide(
        review=subject,
        decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
        by=people["host_dcs"],
    )
    first, _, third, _ = Hypothesis.objects.filter(review=subject)
    saved = service.methods_save(
        hypothesis=first, texts=["Case audit", "Focus group", ""], by=people["data"]
    )
    assert [m.text for m in saved] == ["Case audit", "Focus group"]
    with pytest.raises(ValidationError, match="Up to 3 methods"):
        service.methods_save(hypothesis=first, texts=["a", "b", "c", "d"], by=people["lead"])
    with pytest.raises(ValidationError, match="to be investigated"):
        service.methods_save(hypothesis=third, texts=["a"], by=people["lead"])


def test_the_pages_draft_and_decide_with_errors_at_the_field(client, pctr):
    subject, people = pctr
    url = reverse("reviews:hypotheses", args=[subject.pk])
    client.force_login(people["lead"])
    data = {
        "action": "draft",
        "1-text": "Thresholds are inconsistent.",
        "2-text": "Supervision is thin.",
    }
    response = client.post(url, {**data, "1-proposal": "investigate"})
    assert response.status_code == 400
    assert response.context["failed"].errors["2-proposal"] == [
        "Propose to investigate or to park it."
    ]
    assert "Supervision is thin." in response.content.decode()
    response = client.post(url, {**data, "1-proposal": "investigate", "2-proposal": "park"})
    assert response.status_code == 302
    client.force_login(people["host_dcs"])
    page = client.get(url)
    assert page.context["forms"]["decide"] is True
    assert page.context["forms"]["draft"] is False
    response = client.post(url, {"action": "decide", "1-decision": "investigate"})
    assert response.context["failed"].errors["2-decision"] == [
        "Decide whether to investigate or park it."
    ]
    response = client.post(
        url, {"action": "decide", "1-decision": "investigate", "2-decision": "investigate"}
    )
    assert response.status_code == 302
    # The lead may not post a decision, whatever the form says.
    client.force_login(people["lead"])
    assert (
        client.post(
            url, {"action": "decide", "1-decision": "park", "2-decision": "park"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("count", [1, 3])
def test_hypotheses_page_query_count_is_pinned(client, pctr, count, django_assert_num_queries):
    subject, people = pctr
    service.hypotheses_save(review=subject, drafts=DRAFTS[:count], by=people["lead"])
    for h in Hypothesis.objects.filter(review=subject):
        service.hypothesis_comment(hypothesis=h, text="Noted.", by=people["qa"])
    client.force_login(people["qa"])
    # With the agreed actions of earlier letters carried into it (R38).
    with django_assert_num_queries(17):
        response = client.get(reverse("reviews:hypotheses", args=[subject.pk]))
    assert len(response.context["hypotheses"]) == count


def test_the_host_is_asked_on_the_home_page_until_they_decide(client, pctr, sav):
    subject, people = pctr
    drafted(subject, people)
    sav_review, sav_people = sav
    drafted(sav_review, sav_people)
    title = "Decide which hypotheses the PCTR of Rutland investigates"
    client.force_login(people["host_dcs"])
    page = client.get(reverse("home")).content.decode()
    assert page.count(title) == 1  # the PCTR; never the unannounced SAV
    assert "SAV" not in page
    service.hypotheses_decide(
        review=subject,
        decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
        by=people["host_dcs"],
    )
    assert title not in client.get(reverse("home")).content.decode()


def test_the_desk_analysis_takes_the_kloes_from_the_submitted_self_assessment(client, pctr):
    """R18: never typed again. R29: every team role reads the host's self-assessment once
    submitted; a draft is the LA's alone."""
    from django.utils import timezone

    from reviews.self_assessment.models import SelfAssessment, SelfAssessmentTemplate

    subject, people = pctr
    self_assessment = SelfAssessment.objects.create(
        local_authority=subject.host,
        year=2026,
        template=SelfAssessmentTemplate.objects.order_by("-number").first(),
        state="draft",
        lines_of_enquiry="How well are thresholds understood by partners?",
        started_by=people["host_dcs"],
        updated_by=people["host_dcs"],
        updated_at=timezone.now(),
    )
    url = reverse("reviews:self_assessment", args=[self_assessment.pk])
    client.force_login(people["data"])
    page = client.get(reverse("reviews:hypotheses", args=[subject.pk])).content.decode()
    assert "No self-assessment has been submitted yet" in page
    assert client.get(url).status_code == 404
    SelfAssessment.objects.filter(pk=self_assessment.pk).update(
        state="submitted",
        signed_name="Hana Host",
        signed_position="DCS",
        signed_on=D(2026, 11, 1),
        submitted_at=timezone.now(),
        submitted_by=people["host_dcs"],
    )
    page = client.get(reverse("reviews:hypotheses", args=[subject.pk])).content.decode()
    assert "How well are thresholds understood by partners?" in page
    read = client.get(url)
    assert read.status_code == 200
    # The team reads it through its place: no link to the region's list, which is the
    # coordinator's alone and would be a 404 to them.
    assert reverse("reviews:self_assessments_of_region") not in read.content.decode()
    client.force_login(people["coordinator"])
    assert reverse("reviews:self_assessments_of_region") in client.get(url).content.decode()
    client.force_login(people["data"])
    # Someone on no team of Rutland's reviews reads nothing of it.
    client.force_login(people["uninvolved"])
    assert client.get(url).status_code == 404


def test_the_lead_and_data_specialist_are_asked_to_draft_until_they_have(client, pctr):
    subject, people = pctr
    title = "Draft the hypotheses for the Peer Challenge Team Review of Rutland"
    for who in ("lead", "data"):
        client.force_login(people[who])
        assert title in client.get(reverse("home")).content.decode()
    client.force_login(people["member"])
    assert title not in client.get(reverse("home")).content.decode()
    drafted(subject, people)
    client.force_login(people["data"])
    assert title not in client.get(reverse("home")).content.decode()


def test_methods_are_fixed_once_the_letter_goes_to_the_qa(east_midlands, coordinator):
    # From then on they are part of the record the QA proofreads against (R23).
    from tests.reviews.visited import visited  # it builds on this module's drafts and team

    subject, people = visited(east_midlands, coordinator, "pctr")
    first = subject.hypotheses.get(number=1)
    now = timezone.now()
    letter = Letter.objects.create(
        review=subject,
        subject="S",
        body="B",
        drafted_by=people["lead"],
        drafted_at=now,
        updated_at=now,
    )
    service.methods_save(hypothesis=first, texts=["Audit of twelve cases."], by=people["lead"])
    Letter.objects.filter(pk=letter.pk).update(state="with_qa")
    with pytest.raises(ValidationError, match="The letter has gone to the QA"):
        service.methods_save(hypothesis=first, texts=["Rewritten."], by=people["lead"])
    assert [m.text for m in first.methods.all()] == ["Audit of twelve cases."]


def test_saving_the_draft_again_keeps_the_comments_on_it(pctr):
    # R19, R33: the QA's comment stays with its hypothesis when the lead corrects a typo.
    subject, people = pctr
    first = drafted(subject, people)[0]
    service.hypothesis_comment(hypothesis=first, text="Which teams?", by=people["qa"])
    corrected = [{**DRAFTS[0], "text": "Thresholds at the front door vary."}, *DRAFTS[1:3]]
    again = service.hypotheses_save(review=subject, drafts=corrected, by=people["lead"])
    assert again[0].pk == first.pk
    assert [c.text for c in again[0].comments.all()] == ["Which teams?"]
    assert [h.number for h in Hypothesis.objects.filter(review=subject)] == [1, 2, 3]


def test_the_conference_call_is_recorded_from_its_page_with_its_date_in_three_boxes(sav, client):
    subject, people = sav
    drafted(subject, people)
    client.force_login(people["lead"])
    url = reverse("reviews:hypotheses", args=[subject.pk])
    # The window opens on 1 March 2027, the visit's days not yet set: the day before.
    assert "For example, 28 2 2027" in client.get(url).content.decode()
    team = [people["lead"], people["data"], people["member"], people["qa"]]
    data = {
        "action": "call",
        "attended_by": [p.pk for p in team],
        "notes": "Front door first.",
        **{f"{n}-decision": "investigate" for n in (1, 2, 3)},
        "4-decision": "park",
    }
    refused = client.post(url, {**data, **date_input("held_on", "14 3 27")})
    assert refused.status_code == 400
    assert "The year of the date of the call must include 4 numbers" in refused.content.decode()
    assert not ConferenceCall.objects.exists()
    done = client.post(url, {**data, **date_input("held_on", "28 2 2027")})
    assert done.status_code == 302, done.context["failed"].errors
    assert ConferenceCall.objects.get(review=subject).held_on == D(2027, 2, 28)


def _summary(page: str) -> list[tuple[str, str]]:
    """The error summary's links: (the id it leads to, the message)."""
    assert "There is a problem" in page
    body = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', body)


def test_a_refused_decision_or_empty_comment_is_listed_in_the_error_summary(client, pctr):
    """Each message the hypotheses page gives is in the error summary, leading to a box
    that is on the page: the decision's first choice, the comment's own box."""
    subject, people = pctr
    drafted(subject, people)
    url = reverse("reviews:hypotheses", args=[subject.pk])
    client.force_login(people["host_dcs"])
    decisions = {"action": "decide", "1-decision": "investigate"}
    decisions.update({f"{n}-decision": "park" for n in (2, 3, 4)})
    response = client.post(url, decisions)
    page = response.content.decode()
    assert response.status_code == 400
    links = _summary(page)
    assert links == [
        ("id_1-decision_1", "Choose two or three hypotheses to investigate: 1 chosen.")
    ]
    assert f'id="{links[0][0]}"' in page
    client.force_login(people["qa"])
    response = client.post(url, {"action": "comment", "number": "2", "text": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert _summary(page) == [("comment-2", "Write your comment.")]
    assert 'id="comment-2"' in page


def test_the_draft_is_due_before_the_host_must_decide_on_it(client, pctr):
    """R18, R19: the lead's draft is asked for by a day that leaves the host time to
    decide before their own due date, not after it."""
    subject, people = pctr
    draft_title = "Draft the hypotheses for the Peer Challenge Team Review of Rutland"
    client.force_login(people["lead"])
    items = client.get(reverse("home")).context["needs_you"]
    draft_due = next(i["due"] for i in items if i["title"] == draft_title)
    drafted(subject, people)
    client.force_login(people["host_dcs"])
    items = client.get(reverse("home")).context["needs_you"]
    decide_due = next(i["due"] for i in items if i["title"].startswith("Decide which hypotheses"))
    assert draft_due < decide_due
    assert working_days_shift(draft_due, 5) == decide_due
