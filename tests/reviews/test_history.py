"""Every change to a review's records keeps who, what and when (R33): team places,
hypotheses and their decisions are in the audit log."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from reviews.escalations import services as escalations
from reviews.escalations.models import Escalation
from reviews.reflections import services as reflections
from reviews.reflections.models import Reflection
from reviews.review.models import TeamMember
from reviews.workbook.models import AgreedAction, Finding, Hypothesis
from reviews.workbook.services import hypotheses
from tests.reviews.visited import visited
from tests.reviews.workbook.test_hypotheses import DRAFTS, pctr, place_member  # noqa: F401 (a fixture)


def test_team_places_and_hypotheses_are_in_the_audit_log(pctr):  # noqa: F811
    subject, people = pctr
    hypotheses.hypotheses_save(review=subject, drafts=DRAFTS, by=people["lead"])
    hypotheses.hypotheses_decide(
        review=subject,
        decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
        by=people["host_dcs"],
    )
    place_member(subject, people)
    places = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(TeamMember))
    assert places.filter(action=LogEntry.Action.CREATE).count() == 4
    third = Hypothesis.objects.get(review=subject, number=3)
    entries = LogEntry.objects.get_for_object(third).order_by("timestamp", "pk")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries.last().changes_dict["decision"] == ["", "park"]


def test_which_findings_an_action_answers_is_in_the_audit_log(east_midlands, coordinator):
    # The QA's proofreading traces actions to findings (R23): a change of that tie is kept.
    subject, people = visited(east_midlands, coordinator, "pctr")
    now = timezone.now()
    finding = Finding.objects.create(
        hypothesis=subject.hypotheses.get(number=1),
        text="Thresholds vary.",
        evidence="Audit.",
        written_by=people["member"],
        written_at=now,
        updated_at=now,
    )
    action = AgreedAction.objects.create(review=subject, number=1, text="One front door.")
    action.findings.add(finding)
    entries = LogEntry.objects.get_for_object(action).order_by("timestamp", "pk")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries.last().changes_dict["findings"]["objects"] == [str(finding)]


def test_reflections_stay_out_of_the_audit_log_and_concerns_go_in(east_midlands, coordinator):
    # R27: a log entry would tie each answer to its writer. R33: a concern's steps are kept.
    subject, people = visited(east_midlands, coordinator, "pctr")
    reflections.reflection_save(
        review=subject, by=people["member"], answers={"main_learning": "Mine."}, peer_feedback={}
    )
    reflection_type = ContentType.objects.get_for_model(Reflection)
    assert not LogEntry.objects.filter(content_type=reflection_type).exists()
    concern = escalations.escalation_raise(
        review=subject, about="process", concern="Too short.", by=people["host_dcs"]
    )
    escalations.escalation_respond(escalation=concern, response="Agreed.", by=people["lead"])
    entries = LogEntry.objects.get_for_object(Escalation.objects.get(pk=concern.pk))
    assert entries.filter(action=LogEntry.Action.UPDATE).exists()
