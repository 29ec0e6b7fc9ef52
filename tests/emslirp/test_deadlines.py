"""Every deadline of R37, computed from the records in working days on London dates
(R36): its due date, whom it waits for, and that it closes when the work is done."""

import datetime

import pytest
from django.utils import timezone

from accreditation.models import Accreditation
from emslirp.deadlines import deadline_get, deadlines_for, open_deadlines, step_reached
from emslirp.models import PostKind
from emslirp.working_days import working_day_on_or_before, working_days_shift
from reviews.letter import services as letters
from reviews.letter.models import Letter, LetterEvent, LetterState
from reviews.self_assessment.deadlines import self_assessment_due_on
from reviews.self_assessment.services import self_assessment_start
from reviews.workbook.deadlines import conference_call_on, information_set_due_on
from reviews.workbook.services import hypotheses
from safeguarding import services as incidents
from tests.calendar_planner.people import holder, review
from tests.emslirp.conftest import TODAY
from tests.factories import AccreditationFactory, ExpressionOfInterestFactory, PostFactory
from tests.reviews.letter.test_letters import at_state, feedback_given
from tests.reviews.reflections.test_reflections import write
from tests.reviews.self_assessment.test_self_assessment import submit
from tests.reviews.visited import visited
from tests.reviews.workbook.test_hypotheses import DRAFTS, team_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reviews_day")]


D = datetime.date
UTC = datetime.UTC


def of_kind(kind, on=TODAY):
    return [d for d in open_deadlines(on=on) if d.kind == kind]


def names(deadline):
    return [p.full_name for p in deadline.recipients]


# Working days (R36) ----------------------------------------------------------------------


def test_shifting_by_working_days_steps_over_christmas_both_ways():
    # 25 and 28 December 2026 are bank holidays (Boxing Day falls on a Saturday).
    assert working_days_shift(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert working_days_shift(D(2026, 12, 29), -1) == D(2026, 12, 24)
    assert working_days_shift(D(2027, 1, 4), -4) == D(2026, 12, 24)
    assert working_days_shift(D(2026, 12, 26), 0) == D(2026, 12, 26)


def test_the_working_day_on_or_before_steps_back_over_easter():
    # Good Friday 30 March 2029, Saturday 31 March.
    assert working_day_on_or_before(D(2029, 3, 31)) == D(2029, 3, 29)
    assert working_day_on_or_before(D(2029, 3, 29)) == D(2029, 3, 29)


# Self-assessments and the SAV information set (R17, R30) -------------------------------


def test_the_self_assessment_is_due_on_the_set_day_or_the_working_day_before(settings):
    assert self_assessment_due_on(2026) == D(2026, 3, 31)  # a Tuesday
    assert self_assessment_due_on(2029) == D(2029, 3, 29)  # Saturday, after Good Friday
    settings.SELF_ASSESSMENT_DUE = (12, 26)
    assert self_assessment_due_on(2026) == D(2026, 12, 24)


def test_the_self_assessment_waits_for_the_writers_until_submitted(east_midlands, la):
    dcs = holder(east_midlands, PostKind.DCS, "Rutland", name="Ruth Dcs")
    ad = holder(east_midlands, PostKind.SAFEGUARDING_LEAD, "Rutland", name="Adam Ad")
    holder(east_midlands, PostKind.DATA_SPECIALIST, "Rutland", name="Dora Data")
    rutland = [d for d in of_kind("self_assessment") if d.subject == f"{la('Rutland').pk}/2026"]
    assert [names(d) for d in rutland] == [["Adam Ad", "Ruth Dcs"]]
    assert rutland[0].due_on == D(2026, 3, 31)
    # Every LA of the region existing today has one, whoever holds its posts.
    assert len(of_kind("self_assessment")) == 10
    submit(self_assessment_start(local_authority=la("Rutland"), by=dcs, on=TODAY), dcs)
    assert deadline_get(kind="self_assessment", subject=rutland[0].subject, on=TODAY) is None
    assert [d.kind for d in deadlines_for(person=ad, on=TODAY)] == []


@pytest.mark.parametrize(
    ("window", "due"),
    [
        (D(2027, 1, 1), D(2026, 12, 1)),
        # One month before 1 February 2027 is New Year's Day: the working day before.
        (D(2027, 2, 1), D(2026, 12, 31)),
    ],
)
def test_the_information_set_is_due_a_month_before_the_window(east_midlands, window, due):
    sav = review(east_midlands, "sav", "Rutland", window, "Derby City", "Lincolnshire")
    assert information_set_due_on(sav) == due


def test_only_the_host_dcs_is_asked_for_the_information_set_and_told_the_window_only(
    east_midlands, coordinator, la
):
    """R30: of the host LA only its DCS knows a SAV is coming, and only its window."""
    sav = review(east_midlands, "sav", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")
    people = team_for(east_midlands, sav, coordinator, "sav")
    [deadline] = of_kind("information_set")
    assert names(deadline) == ["Hana Host"]
    assert deadline.due_on == D(2026, 12, 1)
    assert "Jan–Feb 2027" in deadline.title
    for who in ("host_ad", "host_data", "lead", "member", "uninvolved"):
        assert all(d.kind != "information_set" for d in deadlines_for(person=people[who], on=TODAY))
    # Submitting the self-assessment of the year it is due in closes it.
    dcs = people["host_dcs"]
    submit(self_assessment_start(local_authority=la("Rutland"), by=dcs, on=TODAY), dcs)
    assert of_kind("information_set") == []


def test_a_sav_whose_window_has_opened_asks_for_no_information_set(east_midlands, coordinator):
    sav = review(east_midlands, "sav", "Rutland", D(2026, 11, 1), "Derby City", "Lincolnshire")
    team_for(east_midlands, sav, coordinator, "sav")
    assert of_kind("information_set") == []


# Before the visit (R19) -------------------------------------------------------------------


def test_the_host_decides_on_hypotheses_ten_working_days_before_the_quarter(
    east_midlands, coordinator
):
    pctr = review(east_midlands, "pctr", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")
    people = team_for(east_midlands, pctr, coordinator, "pctr")
    assert of_kind("hypotheses_decision") == []  # nothing drafted yet
    hypotheses.hypotheses_save(review=pctr, drafts=DRAFTS, by=people["lead"])
    pctr.refresh_from_db()
    [deadline] = of_kind("hypotheses_decision")
    # Ten working days before Friday 1 January 2027, over Christmas and New Year.
    assert deadline.due_on == D(2026, 12, 16)
    assert names(deadline) == ["Al Host", "Hana Host"]
    # Setting the visit's days moves the due date, and makes it a new deadline: the
    # reminders of the old date do not stand in for those of the new one.
    from reviews.workbook.services import deployment as services

    pctr = services.review_onsite_set(review=pctr, first_day=D(2027, 2, 15), by=coordinator)
    [moved] = of_kind("hypotheses_decision")
    assert moved.due_on == D(2027, 2, 1)
    assert moved.subject != deadline.subject
    assert deadline_get(kind="hypotheses_decision", subject=deadline.subject, on=TODAY) is None
    hypotheses.hypotheses_decide(
        review=pctr,
        decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
        by=people["host_dcs"],
    )
    assert of_kind("hypotheses_decision") == []


def test_a_sav_has_no_host_decision(east_midlands, coordinator):
    sav = review(east_midlands, "sav", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")
    people = team_for(east_midlands, sav, coordinator, "sav")
    hypotheses.hypotheses_save(review=sav, drafts=DRAFTS, by=people["lead"])
    assert of_kind("hypotheses_decision") == []


def test_the_conference_call_is_the_working_day_before_the_visit_and_for_the_team_only(
    east_midlands, coordinator
):
    from reviews.workbook.services import deployment as services

    sav = review(east_midlands, "sav", "Rutland", D(2027, 3, 1), "Derby City", "Lincolnshire")
    people = team_for(east_midlands, sav, coordinator, "sav")
    hypotheses.hypotheses_save(review=sav, drafts=DRAFTS, by=people["lead"])
    # Tuesday 30 March 2027: Easter Monday and Good Friday before it.
    sav = services.review_onsite_set(review=sav, first_day=D(2027, 3, 30), by=coordinator)
    assert conference_call_on(sav) == D(2027, 3, 25)
    [deadline] = of_kind("conference_call")
    assert deadline.due_on == D(2027, 3, 25)
    assert names(deadline) == ["Dai Ta", "Lee Lead", "Mo Member", "Quinn Assure"]
    for who in ("host_dcs", "host_ad", "host_data"):
        assert all(d.kind != "conference_call" for d in deadlines_for(person=people[who], on=TODAY))
    hypotheses.conference_call_record(
        review=sav,
        held_on=D(2027, 3, 25),
        attended_by=[people[r] for r in ("lead", "data", "member", "qa")],
        notes="Agreed.",
        decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
        by=people["lead"],
    )
    assert of_kind("conference_call") == []


# After the visit (R23, R25, R27) ----------------------------------------------------------


def test_the_final_letter_is_due_ten_working_days_after_the_visit_until_issued(pctr):
    subject, people = pctr
    [deadline] = of_kind("letter_due")
    assert deadline.due_on == D(2026, 12, 2)
    assert names(deadline) == ["Lee Lead"]
    assert step_reached(deadline, TODAY) == -3  # Friday 27 November
    assert step_reached(deadline, D(2026, 12, 3)) == 1
    assert step_reached(deadline, D(2026, 11, 26)) is None
    at_state(subject, people, LetterState.FINAL)
    assert of_kind("letter_due") == []


def test_the_letter_is_chased_from_the_last_on_site_day_though_the_visit_is_not_marked_over(
    east_midlands, coordinator
):
    _subject, _people = visited(east_midlands, coordinator, "pctr", state="on_site")
    [deadline] = of_kind("letter_due")
    assert deadline.due_on == D(2026, 12, 2)
    # Not while the team is still on site.
    assert of_kind("letter_due", on=D(2026, 11, 18)) == []


def test_the_steps_are_settings(pctr, settings):
    [deadline] = of_kind("letter_due")  # due Wednesday 2 December
    settings.REMINDER_STEPS = {**settings.REMINDER_STEPS, "letter_due": (-10, -6, 3)}
    # Ten working days before is 18 November, six before is 24 November.
    assert step_reached(deadline, TODAY) == -6
    assert step_reached(deadline, D(2026, 11, 23)) == -10
    assert step_reached(deadline, D(2026, 12, 7)) == 3
    settings.REMINDER_STEPS = {**settings.REMINDER_STEPS, "letter_due": (0,)}
    assert step_reached(deadline, TODAY) is None


def test_a_sav_letter_is_due_five_working_days_after_over_a_bank_holiday(
    east_midlands, coordinator
):
    sav = review(east_midlands, "sav", "Rutland", D(2026, 11, 1), "Derby City", "Lincolnshire")
    team_for(east_midlands, sav, coordinator, "sav")
    # Last on-site day Wednesday 23 December 2026: 24, 29, 30, 31 December, 4 January.
    sav.onsite_from, sav.onsite_to, sav.state = D(2026, 12, 22), D(2026, 12, 23), "after_visit"
    sav.save()
    [deadline] = of_kind("letter_due", on=D(2026, 12, 24))
    assert deadline.due_on == D(2027, 1, 4)


def test_proofreading_is_due_two_working_days_after_it_reached_the_qa_in_london_time(pctr):
    subject, people = pctr
    letter = at_state(subject, people, LetterState.WITH_QA)
    # Sent at 00:30 on Monday 30 March 2026 in London (BST began the day before), which is
    # still Sunday in UTC: counted from the Monday, it is due on Wednesday 1 April.
    LetterEvent.objects.filter(letter=letter, after=LetterState.WITH_QA).update(
        at=datetime.datetime(2026, 3, 29, 23, 30, tzinfo=UTC)
    )
    [deadline] = of_kind("qa_proofread")
    assert deadline.due_on == D(2026, 4, 1)
    assert names(deadline) == ["Quinn Assure"]
    letter = letters.letter_proofread(
        letter=Letter.objects.get(pk=letter.pk), approve=False, comments="Tighten.", by=people["qa"]
    )
    assert of_kind("qa_proofread") == []
    # Sent again: a new deadline, so that its reminders are not taken for the first's.
    letters.letter_send_to_qa(letter=Letter.objects.get(pk=letter.pk), by=people["lead"])
    [again] = of_kind("qa_proofread")
    assert again.subject != deadline.subject
    # Counted from the day it reached the QA again, in London.
    assert again.due_on == working_days_shift(timezone.localtime().date(), 2)


def raised(subject, people):
    """A critical incident a team member raised two hours ago, not yet raised with the host."""
    return incidents.incident_raise(
        review=subject,
        incident="A child seen alone at the front door.",
        nature="Safeguarding.",
        evidence="Observed.",
        identified_at=timezone.now() - datetime.timedelta(hours=2),
        identified_by=people["member"],
        initial_action="Told the duty manager.",
        by=people["member"],
    )


def test_an_incident_waits_for_the_hosts_response_a_working_day_in_london_time(pctr):
    subject, people = pctr
    incident = raised(subject, people)
    assert of_kind("incident_response") == []  # not yet raised with the host
    incident.raised_with_host_at = timezone.now() - datetime.timedelta(hours=1)
    incident.save(update_fields=["raised_with_host_at"])
    [deadline] = of_kind("incident_response")
    assert names(deadline) == ["Al Host", "Hana Host"]
    # 00:30 on Friday 23 October 2026 in London (BST) is Thursday in UTC: due Monday 26.
    incident.raised_with_host_at = datetime.datetime(2026, 10, 22, 23, 30, tzinfo=UTC)
    incident.save(update_fields=["raised_with_host_at"])
    assert of_kind("incident_response")[0].due_on == D(2026, 10, 26)
    incidents.incident_respond(
        incident=incident, host_action="A social worker visits today.", by=people["host_dcs"]
    )
    assert of_kind("incident_response") == []


def test_reflections_wait_for_each_person_asked_until_they_submit(pctr):
    subject, people = pctr
    [deadline] = of_kind("reflection")
    assert deadline.due_on == D(2026, 12, 2)
    assert names(deadline) == ["Dai Ta", "Hana Host", "Lee Lead", "Mo Member"]
    write(subject, people["member"], "member")
    assert names(of_kind("reflection")[0]) == ["Dai Ta", "Hana Host", "Lee Lead"]
    for who in ("lead", "data", "host_dcs"):
        write(subject, people[who], who)
    assert of_kind("reflection") == []


def test_reflections_are_asked_for_from_the_day_the_visit_is_marked_over(pctr):
    # The lead marks the visit over on its last day, 18 November: the form is open, and
    # so is the deadline (and the QA's "remind" with it).
    assert [d.kind for d in of_kind("reflection", on=D(2026, 11, 18))] == ["reflection"]


def test_reflections_are_not_asked_for_once_closed(pctr):
    assert of_kind("reflection", on=D(2026, 12, 2))
    assert of_kind("reflection", on=D(2026, 12, 3)) == []


# Accreditation (R6, R8) --------------------------------------------------------------------


def test_an_application_waits_for_its_sponsor_ten_working_days_from_its_london_date(
    east_midlands, la
):
    holder(east_midlands, PostKind.DCS, "Rutland", name="Sue Sponsor")
    application = ExpressionOfInterestFactory(
        submitted=True,
        local_authority=la("Rutland"),
        # 00:30 on Monday 30 March 2026 in London, Sunday in UTC: Good Friday and Easter
        # Monday fall in the ten days.
        submitted_at=datetime.datetime(2026, 3, 29, 23, 30, tzinfo=UTC),
    )
    [deadline] = of_kind("eoi_sponsor")
    assert deadline.due_on == D(2026, 4, 15)
    assert names(deadline) == ["Sue Sponsor"]
    assert all(
        d.kind != "eoi_sponsor" for d in deadlines_for(person=application.applicant, on=TODAY)
    )
    application.state = "decided"
    application.save(update_fields=["state"])
    assert of_kind("eoi_sponsor") == []


def test_a_flagged_accreditation_is_for_its_holder_until_the_flag_is_lifted(east_midlands):
    accreditation = AccreditationFactory(
        status=Accreditation.Status.FLAGGED,
        status_reason="Missed the mandatory training of 14 October 2026.",
        status_changed_on=D(2026, 12, 1),
    )
    [deadline] = of_kind("accreditation_lapsing")
    # Twenty working days after Tuesday 1 December 2026, over Christmas and New Year.
    assert deadline.due_on == D(2026, 12, 31)
    assert deadline.recipients == (accreditation.person,)
    assert "Missed the mandatory training" in deadline.title
    accreditation.status, accreditation.status_reason = "current", ""
    accreditation.save()
    assert of_kind("accreditation_lapsing") == []


def test_each_flag_of_an_accreditation_is_its_own_deadline_even_on_one_day(coordinator):
    from accreditation import services

    accreditation = AccreditationFactory()
    day = D(2026, 11, 27)

    def flag():
        services.accreditation_status_set(
            accreditation=accreditation,
            status=Accreditation.Status.FLAGGED,
            reason="Reflection not completed.",
            on=day,
            by=coordinator,
        )
        return of_kind("accreditation_lapsing")[0].subject

    first = flag()
    services.accreditation_status_set(
        accreditation=accreditation,
        status=Accreditation.Status.CURRENT,
        reason="Completed.",
        on=day,
        by=coordinator,
    )
    assert of_kind("accreditation_lapsing") == []
    assert flag() != first


def test_a_deadline_of_another_kind_or_a_made_up_subject_is_none(pctr):
    assert deadline_get(kind="no_such_kind", subject="1", on=TODAY) is None
    assert deadline_get(kind="letter_due", subject="not-a-number", on=TODAY) is None
    assert deadline_get(kind="accreditation_lapsing", subject="1/not-a-date", on=TODAY) is None
    assert deadline_get(kind="self_assessment", subject="1/2019", on=TODAY) is None


def test_open_deadlines_come_soonest_due_first(pctr):
    found = open_deadlines(on=TODAY)
    assert {d.kind for d in found} >= {"letter_due", "reflection", "self_assessment"}
    assert [d.due_on for d in found] == sorted(d.due_on for d in found)


def test_each_persons_deadlines_are_those_of_the_whole_list_that_name_them(
    east_midlands, coordinator, la
):
    """The home page reads only what could concern its reader; that narrowing must find
    exactly what the whole list holds for them, for everyone in a busy region."""
    from reviews.review import services as review_services

    subject, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(subject, people)
    at_state(subject, people, LetterState.WITH_QA)
    incident = raised(subject, people)
    incident.raised_with_host_at = timezone.now()
    incident.save(update_fields=["raised_with_host_at"])
    # A SAV coming to Leicestershire (its DCS asked for the information set), and a PCTR
    # of Nottinghamshire led by the same lead, its hypotheses waiting for its DCS (the
    # "uninvolved" of the first review).
    review(east_midlands, "sav", "Leicestershire", D(2027, 1, 1), "Rutland", "Derbyshire")
    others = {
        "leicestershire": holder(east_midlands, PostKind.DCS, "Leicestershire", name="Lei Dcs"),
    }
    pctr2 = review(
        east_midlands, "pctr", "Nottinghamshire", D(2027, 1, 1), "Derby City", "Lincolnshire"
    )
    review_services.team_assign(review=pctr2, person=people["lead"], role="lead", by=coordinator)
    review_services.team_assign(review=pctr2, person=people["qa"], role="qa", by=coordinator)
    hypotheses.hypotheses_save(review=pctr2, drafts=DRAFTS, by=people["lead"])
    ExpressionOfInterestFactory(submitted=True, local_authority=la("Rutland"))
    Accreditation.objects.filter(person=people["member"]).update(
        status=Accreditation.Status.FLAGGED, status_reason="Missed training."
    )
    everyone = [*people.values(), *others.values()]
    whole = open_deadlines(on=TODAY)
    assert {d.kind for d in whole} >= {
        "letter_due",
        "reflection",
        "qa_proofread",
        "incident_response",
        "information_set",
        "eoi_sponsor",
        "accreditation_lapsing",
        "self_assessment",
        "hypotheses_decision",
    }
    for person in everyone:
        theirs = [d for d in whole if any(r.pk == person.pk for r in d.recipients)]
        assert deadlines_for(person=person, on=TODAY) == theirs, person.full_name


def test_each_persons_deadlines_before_a_sav_and_across_posts_and_delegates(
    east_midlands, coordinator, la
):
    """The same for a SAV's team before its visit (the conference call), a delegate of a
    self-assessment, someone holding posts in two LAs, and a post ending today."""
    from reviews.self_assessment.services import self_assessment_delegate

    sav = review(east_midlands, "sav", "Rutland", D(2027, 1, 1), "Derby City", "Lincolnshire")
    people = team_for(east_midlands, sav, coordinator, "sav")
    hypotheses.hypotheses_save(review=sav, drafts=DRAFTS, by=people["lead"])
    sav.onsite_from, sav.onsite_to = D(2027, 1, 12), D(2027, 1, 13)
    sav.save(update_fields=["onsite_from", "onsite_to"])
    delegate = holder(east_midlands, PostKind.SENIOR_OFFICER, "Rutland", name="Del Egate")
    sa = self_assessment_start(local_authority=la("Rutland"), by=people["host_dcs"], on=TODAY)
    self_assessment_delegate(self_assessment=sa, person=delegate, by=people["host_dcs"], on=TODAY)
    both = holder(east_midlands, PostKind.DCS, "Derbyshire", name="Bo Th")
    PostFactory(holder=both, kind=PostKind.SAFEGUARDING_LEAD, local_authority=la("Leicestershire"))
    leaving = holder(east_midlands, PostKind.DCS, "Leicester City", name="Lea Ving")
    leaving.posts.update(ended_on=TODAY)
    whole = open_deadlines(on=TODAY)
    assert {d.kind for d in whole} >= {"conference_call", "information_set", "self_assessment"}
    kinds = {}
    for person in [*people.values(), delegate, both, leaving]:
        theirs = [d for d in whole if any(r.pk == person.pk for r in d.recipients)]
        assert deadlines_for(person=person, on=TODAY) == theirs, person.full_name
        kinds[person.full_name] = sorted(d.kind for d in theirs)
    assert kinds["Mo Member"] == ["conference_call"]
    assert kinds["Quinn Assure"] == ["conference_call", "self_assessment"]
    assert kinds["Hana Host"] == ["information_set", "self_assessment"]
    assert kinds["Del Egate"] == ["self_assessment"]
    assert kinds["Bo Th"] == ["self_assessment", "self_assessment"]
    assert kinds["Lea Ving"] == ["self_assessment"]
