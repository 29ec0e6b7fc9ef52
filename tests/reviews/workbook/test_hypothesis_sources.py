"""Where a hypothesis comes from (R18, R40): the lead chooses the key weakness or key line
of enquiry of the host's self-assessment it rests on, or none; its words are copied from
the record, never typed; a choice no longer in the self-assessment is refused at its
field, with everything typed kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.self_assessment.models import SelfAssessment, SelfAssessmentTemplate
from reviews.self_assessment.selectors import self_assessment_for_review
from reviews.workbook.models import Hypothesis
from reviews.workbook.selectors import hypothesis_sources
from reviews.workbook.services import hypotheses as service
from tests.calendar_planner.people import review
from tests.reviews.workbook.test_hypotheses import DRAFTS, team_for

D = datetime.date
WEAKNESSES = [
    {"narrative": "Thresholds are applied unevenly at the front door.", "evidence": "Audit"},
    {"narrative": "", "evidence": ""},
    {"narrative": "Agency staff miss supervision.", "evidence": "HR returns"},
]
KLOES = "How well are thresholds understood by partners?\n\n  Is supervision reflective?  \n"


@pytest.fixture
def pctr(east_midlands, coordinator):
    subject = review(east_midlands, "pctr", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")
    return subject, team_for(east_midlands, subject, coordinator, "pctr")


def submitted(local_authority, year, by, *, weaknesses=WEAKNESSES, kloes=KLOES, at=None):
    """A self-assessment of ``local_authority`` for ``year``, signed off and submitted
    (now, or ``at``)."""
    return SelfAssessment.objects.create(
        local_authority=local_authority,
        year=year,
        template=SelfAssessmentTemplate.objects.order_by("-number").first(),
        state="submitted",
        weaknesses=weaknesses,
        lines_of_enquiry=kloes,
        signed_name=by.full_name,
        signed_position="DCS",
        signed_on=D(year, 3, 1),
        submitted_at=at or timezone.now(),
        submitted_by=by,
        started_by=by,
        updated_by=by,
        updated_at=timezone.now(),
    )


def test_the_sources_are_the_weaknesses_as_numbered_and_the_non_empty_kloe_lines(pctr):
    subject, people = pctr
    assert hypothesis_sources(self_assessment_for_review(subject)) == []
    sa = submitted(subject.host, 2026, people["host_dcs"])
    assert [(s.value, s.text) for s in hypothesis_sources(self_assessment_for_review(subject))] == [
        ("weakness-1", "Thresholds are applied unevenly at the front door."),
        ("weakness-3", "Agency staff miss supervision."),
        ("kloe-1", "How well are thresholds understood by partners?"),
        ("kloe-2", "Is supervision reflective?"),
    ]
    # The review's year's own, else the latest before it; never a later one.
    assert self_assessment_for_review(subject) == sa
    submitted(subject.host, 2028, people["host_dcs"])
    assert self_assessment_for_review(subject) == sa


def test_the_lead_chooses_a_source_and_its_words_come_from_the_record(pctr):
    subject, people = pctr
    submitted(subject.host, 2026, people["host_dcs"])
    drafts = [
        {**DRAFTS[0], "source": "weakness-3"},
        {**DRAFTS[1], "source": "kloe-2"},
        {**DRAFTS[2], "source": ""},
    ]
    service.hypotheses_save(review=subject, drafts=drafts, by=people["lead"])
    assert [
        (h.source_kind, h.source_number, h.source_text, h.linked_to_self_assessment)
        for h in Hypothesis.objects.filter(review=subject)
    ] == [
        ("weakness", 3, "Agency staff miss supervision.", True),
        ("kloe", 2, "Is supervision reflective?", True),
        ("", None, "", False),
    ]


def test_a_source_no_longer_in_the_self_assessment_is_refused_at_its_field(pctr):
    subject, people = pctr
    submitted(subject.host, 2026, people["host_dcs"])
    with pytest.raises(ValidationError) as refused:
        service.hypotheses_save(
            review=subject, drafts=[{**DRAFTS[0], "source": "weakness-2"}], by=people["lead"]
        )
    assert refused.value.message_dict == {"1-source": [service.SOURCE_GONE]}
    assert not Hypothesis.objects.filter(review=subject).exists()


def test_the_page_offers_the_sources_and_refuses_a_gone_one_keeping_the_words(client, pctr):
    subject, people = pctr
    submitted(subject.host, 2026, people["host_dcs"])
    url = reverse("reviews:hypotheses", args=[subject.pk])
    client.force_login(people["lead"])
    page = client.get(url).content.decode()
    assert '<option value="kloe-1">Key line of enquiry 1: How well are thresholds' in page
    assert '<option value="weakness-2"' not in page
    data = {
        "action": "draft",
        "1-text": "Thresholds are inconsistent.",
        "1-proposal": "investigate",
        "1-source": "weakness-2",
        "2-text": "Supervision is thin.",
        "2-proposal": "park",
        "2-source": "kloe-2",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert refused.context["failed"].errors == {"1-source": [service.SOURCE_GONE]}
    page = refused.content.decode()
    assert "Thresholds are inconsistent." in page
    assert '<option value="kloe-2" selected>' in page
    done = client.post(url, {**data, "1-source": "weakness-1"})
    assert done.status_code == 302
    first, second = Hypothesis.objects.filter(review=subject)
    assert (first.source_kind, first.source_number) == ("weakness", 1)
    assert second.source_text == "Is supervision reflective?"
    # Shown again as chosen while it is a draft, and once decided beside the hypothesis.
    assert '<option value="weakness-1" selected>' in client.get(url).content.decode()
    service.hypotheses_save(
        review=subject,
        drafts=[
            {**DRAFTS[0], "source": "weakness-1"},
            {**DRAFTS[1], "source": ""},
            DRAFTS[2],
        ],
        by=people["lead"],
    )
    service.hypotheses_decide(
        review=subject,
        decisions={1: "investigate", 2: "investigate", 3: "park"},
        by=people["host_dcs"],
    )
    client.force_login(people["host_dcs"])
    page = client.get(url).content.decode()
    assert (
        "Key weakness 1 of the self-assessment: Thresholds are applied unevenly at the front "
        "door." in page
    )
    assert "No key weakness or key line of enquiry of the self-assessment" in page


def test_a_saved_source_the_self_assessment_no_longer_holds_is_chosen_again(client, pctr):
    """A later self-assessment for the review's year reworded weakness 1: the draft shows
    the old choice as no longer there and refuses it at its field, rather than dropping
    it unseen or taking the new words for the old (R40)."""
    subject, people = pctr
    submitted(subject.host, 2025, people["host_dcs"])
    service.hypotheses_save(
        review=subject, drafts=[{**DRAFTS[0], "source": "weakness-1"}], by=people["lead"]
    )
    submitted(
        subject.host,
        2026,
        people["host_dcs"],
        weaknesses=[{"narrative": "Too few foster carers.", "evidence": "Sufficiency report"}],
    )
    url = reverse("reviews:hypotheses", args=[subject.pk])
    client.force_login(people["lead"])
    page = client.get(url).content.decode()
    assert (
        '<option value="gone-weakness-1" selected>No longer in the self-assessment: Key '
        "weakness 1: Thresholds are applied unevenly at the front door.</option>" in page
    )
    assert '<option value="weakness-1">Key weakness 1: Too few foster carers.</option>' in page
    data = {
        "action": "draft",
        "1-text": "Thresholds are inconsistent, still.",
        "1-proposal": "investigate",
        "1-source": "gone-weakness-1",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert refused.context["failed"].errors == {"1-source": [service.SOURCE_GONE]}
    assert "Thresholds are inconsistent, still." in refused.content.decode()
    assert Hypothesis.objects.get(review=subject).source_text == (
        "Thresholds are applied unevenly at the front door."
    )
    assert client.post(url, {**data, "1-source": "weakness-1"}).status_code == 302
    assert Hypothesis.objects.get(review=subject).source_text == "Too few foster carers."
