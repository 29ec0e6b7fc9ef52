"""Every action traced (R40): an agreed action followed back through its findings and their
evidence, the methods and hypotheses behind them, to the key weakness or key line of
enquiry it came from, and forward to its follow-up (R38); each broken link named in
words. Read by exactly those who read the review's letter as it stands (R23, R29, R30):
everyone else, including another LA's DCS, a team member of another review and a SAV's
host before the visit, gets 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Role
from emslirp.models import PostKind
from reviews.intelligence.models import ActionProgress, Progress
from reviews.intelligence.selectors.trace import action_trace, trace_action_get
from reviews.letter import pdf as letter_pdf
from reviews.review import services as review_services
from reviews.review.models import ReviewState, TeamRole
from reviews.workbook.models import AgreedAction, Finding, Hypothesis, Method
from reviews.workbook.services import hypotheses
from tests.calendar_planner.people import review as planned_review
from tests.reviews.letter.test_letters import ACTIONS, EVERYONE, at_state, feedback_given
from tests.reviews.review.test_teams import accredited
from tests.reviews.visited import visited
from tests.reviews.workbook.test_hypotheses import DRAFTS, team_for
from tests.reviews.workbook.test_hypothesis_sources import submitted

D = datetime.date
KLOE = "How well are thresholds understood by partners?"


@pytest.fixture
def pctr(east_midlands, coordinator):
    """The visited PCTR of Rutland with its feedback given (``feedback_given``): action 1
    rests on a finding with evidence on hypothesis 1, action 2 on no finding. Hypothesis 1
    rests on the host's first line of enquiry."""
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people)
    Hypothesis.objects.filter(review=review, number=1).update(
        source_kind="kloe", source_number=1, source_text=KLOE
    )
    return review, people


def action(review, number) -> AgreedAction:
    return AgreedAction.objects.get(review=review, number=number)


def url(a: AgreedAction) -> str:
    return reverse("intelligence:trace", args=[a.pk])


def progress(a, status, *, by, on, commentary=""):
    return ActionProgress.objects.create(
        action=a,
        status=status,
        commentary=commentary,
        recorded_by=by,
        recorded_at=timezone.make_aware(datetime.datetime(on.year, on.month, on.day, 12)),
    )


def test_the_chain_from_the_line_of_enquiry_to_the_action(pctr):
    review, _ = pctr
    first = action(review, 1)
    trace = action_trace(trace_action_get(first.pk))
    [h] = trace.hypotheses
    assert (h.hypothesis.number, h.hypothesis.source_text) == (1, KLOE)
    assert [m.text for m in h.methods] == ["Audit of ten cases for hypothesis 1."]
    assert [(f.text, f.evidence) for f in h.findings] == [
        (
            "Thresholds differ between the two front-door teams.",
            "Twelve of twenty referrals audited were stepped down differently.",
        )
    ]
    assert trace.broken == []
    assert trace.follow_up == []
    assert trace.later == ""


def test_each_broken_link_is_named(pctr):
    review, _ = pctr
    second = action(review, 2)
    assert [b.words for b in action_trace(trace_action_get(second.pk)).broken] == [
        "Action 2 rests on no finding of the review."
    ]
    # Now it answers a finding with no evidence on hypothesis 1, and one on hypothesis 2,
    # which rests on nothing in the self-assessment and has lost its method.
    unevidenced = Finding.objects.get(text__startswith="Managers believe")
    second.findings.add(unevidenced, Finding.objects.get(text__startswith="Supervision records"))
    Method.objects.filter(hypothesis__review=review, hypothesis__number=2).delete()
    trace = action_trace(trace_action_get(second.pk))
    assert [(b.anchor, b.words) for b in trace.broken] == [
        (
            f"finding-{unevidenced.pk}",
            "The finding on hypothesis 1 “Managers believe agency staff are supervised less "
            "often.” has no evidence recorded.",
        ),
        (
            "hypothesis-2-source",
            "Hypothesis 2 is linked to no key weakness or key line of enquiry of the "
            "self-assessment.",
        ),
        ("hypothesis-2-methods", "Hypothesis 2 has no method recorded."),
    ]


def test_an_agreed_action_with_no_progress_once_the_la_has_a_later_self_assessment(pctr, on_day):
    review, people = pctr
    letter = at_state(review, people, "final")
    first = action(review, 1)
    assert action_trace(trace_action_get(first.pk)).broken == []
    # A self-assessment submitted before the letter was issued does not count.
    submitted(
        review.host,
        2026,
        people["host_dcs"],
        at=letter.issued_at - datetime.timedelta(minutes=1),
    )
    assert action_trace(trace_action_get(first.pk)).broken == []
    on_day(D(2027, 3, 20))
    submitted(review.host, 2027, people["host_dcs"])
    trace = action_trace(trace_action_get(first.pk))
    assert [(b.anchor, b.words) for b in trace.broken] == [
        (
            "follow-up",
            "The host agreed action 1, and no progress on it has been reported, though "
            "Rutland has had its 2027 self-assessment since the letter.",
        )
    ]
    # An action the host did not agree is not expected to be followed up.
    AgreedAction.objects.filter(pk=first.pk).update(host_agrees=False)
    assert action_trace(trace_action_get(first.pk)).broken == []
    AgreedAction.objects.filter(pk=first.pk).update(host_agrees=True)
    # Once reported, latest first.
    progress(first, Progress.NOT_STARTED, by=people["host_dcs"], on=D(2027, 3, 1))
    progress(first, Progress.IN_PROGRESS, by=people["host_ad"], on=D(2027, 3, 15))
    trace = action_trace(trace_action_get(first.pk))
    assert trace.broken == []
    assert [r.progress.status for r in trace.follow_up] == ["in_progress", "not_started"]


def test_a_later_pctr_counts_and_a_later_sav_is_never_told(pctr, on_day, east_midlands):
    review, people = pctr
    at_state(review, people, "final")
    first = action(review, 1)
    sav = planned_review(
        east_midlands, "sav", "Rutland", D(2027, 5, 1), "Derby City", "Lincolnshire"
    )
    sav.state = ReviewState.ON_SITE
    sav.save(update_fields=["state"])
    # A SAV is unannounced: the trace's readers may not learn of it (R30).
    assert action_trace(trace_action_get(first.pk)).broken == []
    later = planned_review(
        east_midlands, "pctr", "Rutland", D(2028, 1, 1), "Lincolnshire", "Derby City"
    )
    assert action_trace(trace_action_get(first.pk)).broken == []  # only planned so far
    later.state = ReviewState.PREPARING
    later.save(update_fields=["state"])
    assert [b.words for b in action_trace(trace_action_get(first.pk)).broken] == [
        "The host agreed action 1, and no progress on it has been reported, though Rutland "
        "has had a Peer Challenge Team Review from January 2028 since the letter."
    ]


def test_the_host_dcs_reads_the_chain_once_the_letter_is_final(client, pctr, on_day):
    review, people = pctr
    at_state(review, people, "final")
    on_day(D(2027, 3, 20))
    submitted(review.host, 2027, people["host_dcs"])
    client.force_login(people["host_dcs"])
    response = client.get(url(action(review, 2)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Broken links in the chain" in page
    assert "Action 2 rests on no finding of the review." in page
    assert (
        "The host agreed action 2, and no progress on it has been reported, though Rutland "
        "has had its 2027 self-assessment since the letter." in page
    )
    page = client.get(url(action(review, 1))).content.decode()
    assert f"Key line of enquiry 1: {KLOE}" in page
    assert "Audit of ten cases for hypothesis 1." in page
    assert "Twelve of twenty referrals audited were stepped down differently." in page
    assert "Bring the front door&#x27;s thresholds into line across the teams." in page
    progress(
        action(review, 1),
        Progress.DONE,
        by=people["host_dcs"],
        on=D(2027, 3, 19),
        commentary="One threshold document for both teams.",
    )
    page = client.get(url(action(review, 1))).content.decode()
    assert "Done, 19 March 2027 (the latest)" in page
    assert "One threshold document for both teams." in page
    assert "Every link in the chain is recorded." in page
    # An action the host refused is never said to be waiting for the host's report (R38).
    AgreedAction.objects.filter(pk=action(review, 2).pk).update(host_agrees=False)
    page = client.get(url(action(review, 2))).content.decode()
    assert "No progress has been reported yet" not in page
    assert "The host did not agree this action at the verbal feedback" in page


# The final letter's readers who also read the verbal feedback record: the coordinator
# reads the letter but no finding (R29), so not the trace.
FINAL_READERS = {"lead", "qa", "data", "member", "host_dcs", "host_ad"}


@pytest.mark.parametrize("state", ["draft", "shared", "final"])
def test_who_may_open_a_trace(client, pctr, state):
    """Once final, the final letter's readers; before, the lead and the QA. Nobody else:
    not the host's other staff, not another LA's DCS."""
    review, people = pctr
    at_state(review, people, state)
    readers = FINAL_READERS if state == "final" else {"lead", "qa"}
    target = url(action(review, 1))
    for who in EVERYONE:
        client.force_login(people[who])
        response = client.get(target)
        assert response.status_code == (200 if who in readers else 404), (who, state)
        if who not in readers:
            assert "Thresholds differ" not in response.content.decode()


def test_before_the_letter_the_lead_and_the_qa_trace_and_the_host_does_not(client, pctr):
    review, people = pctr
    target = url(action(review, 1))
    for who, status in (("lead", 200), ("qa", 200), ("host_dcs", 404), ("member", 404)):
        client.force_login(people[who])
        assert client.get(target).status_code == status, who


def test_a_team_member_of_another_review_and_another_regions_coordinator_get_404(
    client, pctr, east_midlands, other_region_coordinator
):
    review, people = pctr
    at_state(review, people, "final")
    other = planned_review(
        east_midlands, "pctr", "Leicester City", D(2027, 1, 1), "Derbyshire", "Rutland"
    )
    elsewhere = accredited(
        east_midlands, "Derbyshire", Role.LEAD_DCS, PostKind.DCS, name="Elsie Where"
    )
    review_services.team_assign(
        review=other, person=elsewhere, role=TeamRole.LEAD, by=people["coordinator"]
    )
    target = url(action(review, 1))
    for person in (elsewhere, other_region_coordinator):
        client.force_login(person)
        assert client.get(target).status_code == 404
    # As for an action that does not exist.
    client.force_login(people["lead"])
    assert client.get(reverse("intelligence:trace", args=[10**6])).status_code == 404


def test_the_host_of_a_sav_learns_nothing_before_the_visit(client, east_midlands, coordinator):
    sav = planned_review(
        east_midlands, "sav", "Rutland", D(2027, 3, 1), "Derby City", "Lincolnshire"
    )
    people = team_for(east_midlands, sav, coordinator, "sav")
    hypotheses.hypotheses_save(review=sav, drafts=DRAFTS, by=people["lead"])
    a = AgreedAction.objects.create(review=sav, number=1, text="Audit the front door.")
    for who in ("host_dcs", "host_ad", "host_data", "uninvolved"):
        client.force_login(people[who])
        response = client.get(url(a))
        assert response.status_code == 404, who
        assert "Audit the front door" not in response.content.decode()
    client.force_login(people["lead"])
    assert client.get(url(a)).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_the_trace_page_query_count_is_pinned(
    client, pctr, count, on_day, django_assert_num_queries
):
    review, people = pctr
    at_state(review, people, "final")
    first = action(review, 1)
    findings = list(Finding.objects.filter(hypothesis__review=review).order_by("pk"))
    first.findings.set(findings[:count])
    on_day(D(2027, 3, 20))
    for n in range(count):
        progress(first, Progress.IN_PROGRESS, by=people["host_dcs"], on=D(2027, 3, 1 + n))
    client.force_login(people["host_dcs"])
    with django_assert_num_queries(11):
        response = client.get(url(first))
    assert len(response.context["trace"].findings) == count
    assert len(response.context["trace"].follow_up) == count


def test_the_letter_and_the_verbal_feedback_record_link_each_action_to_its_trace(client, pctr):
    """The links are shown to exactly those who may follow them."""
    review, people = pctr
    letter_url = reverse("reviews:letter", args=[review.pk])
    feedback_url = reverse("reviews:verbal_feedback", args=[review.pk])
    links = [url(action(review, n)) for n in (1, 2, 3)]
    shared = at_state(review, people, "shared")
    # Before the letter is final: the lead and the QA, from the tracing and the record.
    for who in ("lead", "qa"):
        client.force_login(people[who])
        for page_url in (letter_url, feedback_url):
            page = client.get(page_url).content.decode()
            assert [link in page for link in links] == [True, True, True], (who, page_url)
    for who in ("member", "host_dcs"):
        client.force_login(people[who])
        page = client.get(feedback_url).content.decode()
        assert "Trace action" not in page
        assert not any(link in page for link in links)
    client.force_login(people["host_dcs"])
    assert "Trace action" not in client.get(letter_url).content.decode()
    assert letter_pdf.letter_issue(letter=shared, by=people["lead"]).state == "final"
    for who in FINAL_READERS:
        client.force_login(people[who])
        page = client.get(letter_url).content.decode()
        assert [link in page for link in links] == [True, True, True], who
    for who in ("member", "host_dcs", "lead"):
        client.force_login(people[who])
        page = client.get(feedback_url).content.decode()
        assert [link in page for link in links] == [True, True, True], who
    # The coordinator reads the final letter, not its findings: no link to follow (R29).
    client.force_login(people["coordinator"])
    page = client.get(letter_url).content.decode()
    assert "Trace action" not in page
    assert not any(link in page for link in links)


@pytest.mark.parametrize("count", [1, 3])
def test_the_final_letter_page_with_its_trace_links_has_its_query_count_pinned(
    client, east_midlands, coordinator, count, django_assert_num_queries
):
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people, actions=ACTIONS[:count])
    at_state(review, people, "final")
    client.force_login(people["host_dcs"])
    with django_assert_num_queries(11):
        response = client.get(reverse("reviews:letter", args=[review.pk]))
    assert [a.number for a in response.context["traceable_actions"]] == list(range(1, count + 1))


def test_a_report_in_a_self_assessment_still_in_draft_is_not_traced_until_submitted(
    client, pctr, on_day
):
    """R29, R38: a draft self-assessment is the LA's own; so are the reports typed into it."""
    from reviews.self_assessment.models import SelfAssessment

    review, people = pctr
    at_state(review, people, "final")
    on_day(D(2027, 3, 20))
    sa = submitted(review.host, 2027, people["host_dcs"])
    SelfAssessment.objects.filter(pk=sa.pk).update(
        state="draft", signed_on=None, submitted_at=None, submitted_by=None
    )
    first = action(review, 1)
    ActionProgress.objects.create(
        action=first,
        status=Progress.IN_PROGRESS,
        commentary="Words still in draft.",
        self_assessment=sa,
        recorded_by=people["host_dcs"],
        recorded_at=timezone.now(),
    )
    client.force_login(people["lead"])
    assert "Words still in draft." not in client.get(url(first)).content.decode()
    assert action_trace(trace_action_get(first.pk)).follow_up == []
    SelfAssessment.objects.filter(pk=sa.pk).update(
        state="submitted",
        signed_on=sa.signed_on,
        submitted_at=sa.submitted_at,
        submitted_by=sa.submitted_by,
    )
    assert "Words still in draft." in client.get(url(first)).content.decode()
