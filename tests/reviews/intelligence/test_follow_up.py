"""Agreed actions followed up (R38) and the LA's self-awareness (R39).

Every action the host agreed in a final letter is carried into the LA's next
self-assessment and the desk analysis of its next review; the host reports progress on
each (every report kept, the latest its state); the next team's lead, data specialist and
QA read the history before drafting. The LA's DCS and 2nd-tier lead, and the coordinator,
see its self-ratings beside the teams' views. Nobody else sees any of it: another LA's
DCS, a team member of another review, a SAV's host in the desk analysis (R29, R30)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Role
from emslirp.models import PostKind
from reviews.intelligence.models import ActionProgress
from reviews.intelligence.services.follow_up import action_progress_record
from reviews.letter.models import Letter, LetterState
from reviews.review.models import TeamRole
from reviews.review.services import team_assign
from reviews.self_assessment import services as sa_services
from reviews.self_assessment.models import SelfAssessment
from reviews.workbook.models import AgreedAction
from reviews.workbook.services import verbal_feedback as feedback
from tests.calendar_planner.people import holder, review
from tests.reviews.review.test_teams import accredited
from tests.reviews.workbook.test_notebook import letter_at, visit  # noqa: F401
from tests.reviews.workbook.test_team_views import submitted

D = datetime.date
TODAY = D(2026, 11, 27)


def agreed(review_, people, count=1):
    """``count`` actions the host agreed, one it did not and one not yet decided."""
    rows = [
        {"text": f"Give the front door one threshold ({n}).", "host_agrees": True}
        for n in range(1, count + 1)
    ]
    rows += [
        {"text": "Close the Saturday duty desk.", "host_agrees": False},
        {"text": "Publish a new strategy.", "host_agrees": None},
    ]
    feedback.agreed_actions_save(review=review_, actions=rows, revision=0, by=people["lead"])
    return list(AgreedAction.objects.filter(review=review_, host_agrees=True).order_by("number"))


def issued(review_, people, *, days_ago=30):
    """The review's letter, final, issued ``days_ago`` days ago."""
    letter = letter_at(review_, people, LetterState.FINAL)
    Letter.objects.filter(pk=letter.pk).update(
        issued_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return letter


@pytest.fixture
def earlier(visit):  # noqa: F811
    """(review, people, actions): Rutland's PCTR of October 2026, its letter final a month
    ago, with one action the host agreed."""
    review_, people = visit("pctr")
    actions = agreed(review_, people)
    issued(review_, people)
    return review_, people, actions


@pytest.fixture
def draft(earlier):
    """Rutland's self-assessment for 2026, started today, after the letter."""
    review_, people, _ = earlier
    return sa_services.self_assessment_start(
        local_authority=review_.host, by=people["host_dcs"], on=TODAY
    )


def submit(self_assessment, by):
    """The LA submits ``self_assessment``: its reports are then read by others (R29, R38)."""
    SelfAssessment.objects.filter(pk=self_assessment.pk).update(
        state="submitted",
        signed_name="Hana Host",
        signed_position="DCS",
        signed_on=TODAY,
        submitted_at=timezone.now(),
        submitted_by=by,
    )


def next_review(region, coordinator, kind="pctr"):
    """Rutland's next review, in 2027, and its team: lead, data specialist, QA, member."""
    subject = review(region, kind, "Rutland", D(2027, 1, 1), "Leicester City", "Derbyshire")
    lead_role, qa_role, post = (
        (Role.SAV_LEAD_AD, Role.QA_AD, PostKind.SAFEGUARDING_LEAD)
        if kind == "sav"
        else (Role.LEAD_DCS, Role.QA_DCS, PostKind.DCS)
    )
    team = {
        "lead": accredited(region, "Leicester City", lead_role, post, "Nia Next"),
        "qa": accredited(region, "Derbyshire", qa_role, post, "Quentin Next"),
        "data": accredited(
            region, "Leicester City", Role.DATA_SPECIALIST, PostKind.DATA_SPECIALIST, "Dana Next"
        ),
        "member": accredited(
            region,
            "Leicestershire",
            Role.SAV_MEMBER if kind == "sav" else Role.PCTR_MEMBER,
            name="Mel Next",
        ),
    }
    team_assign(review=subject, person=team["lead"], role=TeamRole.LEAD, by=coordinator)
    team_assign(review=subject, person=team["qa"], role=TeamRole.QA, by=coordinator)
    team_assign(review=subject, person=team["data"], role=TeamRole.DATA_SPECIALIST, by=team["lead"])
    if kind == "sav":
        team_assign(review=subject, person=team["member"], role=TeamRole.MEMBER, by=team["lead"])
    subject.refresh_from_db()
    return subject, team


def sa_url(sa):
    return reverse("intelligence:self_assessment_actions", args=[sa.pk])


def review_url(subject):
    return reverse("intelligence:review_actions", args=[subject.pk])


def awareness_url(la):
    return reverse("intelligence:self_awareness", args=[la.pk])


def report(action, status="in_progress", commentary="Half the teams use it."):
    return {
        "action": str(action.pk),
        f"action-{action.pk}-status": status,
        f"action-{action.pk}-commentary": commentary,
    }


# Carried into the next self-assessment ---------------------------------------------------


def test_the_host_reports_progress_in_the_next_self_assessment(earlier, draft, client):
    _review, people, (action,) = earlier
    client.force_login(people["host_dcs"])
    page = client.get(reverse("reviews:self_assessment", args=[draft.pk]))
    html = page.content.decode()
    assert "Give the front door one threshold (1)." in html
    assert "Close the Saturday duty desk." not in html  # not agreed by the host
    assert "Publish a new strategy." not in html  # not yet agreed
    assert sa_url(draft) in html
    response = client.post(sa_url(draft), report(action))
    assert response.status_code == 302
    assert response["Location"] == f"{sa_url(draft)}#action-{action.pk}"
    client.force_login(people["host_ad"])
    client.post(sa_url(draft), report(action, "done", "Every team uses it now."))
    rows = list(
        ActionProgress.objects.filter(action=action).values_list(
            "status", "commentary", "self_assessment", "review", "recorded_by"
        )
    )
    assert rows == [
        ("in_progress", "Half the teams use it.", draft.pk, None, people["host_dcs"].pk),
        ("done", "Every team uses it now.", draft.pk, None, people["host_ad"].pk),
    ]
    assert ActionProgress.objects.filter(action=action).latest().status == "done"
    page = client.get(sa_url(draft))
    ((item, _form),) = page.context["rows"]
    assert [p.status for p in item.history] == ["in_progress", "done"]
    assert item.latest.get_status_display() == "Done"


def test_a_delegate_reports_too_and_a_double_send_reports_once(
    earlier, draft, client, east_midlands
):
    _review, people, (action,) = earlier
    colleague = holder(east_midlands, PostKind.SENIOR_OFFICER, "Rutland", name="Cole League")
    data = report(action) | {"form_token": "3f1f0e52-61a2-4d1e-93cb-0f5b0c2f7a10"}
    client.force_login(colleague)
    assert client.get(sa_url(draft)).status_code == 404  # not named yet
    assert client.post(sa_url(draft), data).status_code == 404
    sa_services.self_assessment_delegate(
        self_assessment=draft, person=colleague, by=people["host_dcs"], on=TODAY
    )
    assert client.post(sa_url(draft), data).status_code == 302
    assert client.post(sa_url(draft), data).status_code == 302
    assert ActionProgress.objects.filter(action=action).count() == 1


def test_bad_reports_are_refused_at_the_field_with_the_words_kept(earlier, draft, client):
    _review, people, (action,) = earlier
    client.force_login(people["host_dcs"])
    page = client.post(sa_url(draft), report(action, status="", commentary="Begun."))
    assert page.status_code == 400
    form = page.context["failed"]
    assert form.errors == {
        "status": ["Say whether the action is done, in progress or not started."]
    }
    assert form["commentary"].value() == "Begun."
    page = client.post(sa_url(draft), report(action, status="done", commentary="  "))
    assert page.context["failed"].errors == {
        "commentary": ["Say what has been done, or what stands in the way."]
    }
    page = client.post(sa_url(draft), report(action, commentary="x" * 4001))
    assert page.context["failed"].errors == {
        "commentary": ["Keep the commentary to 4000 characters: it has 4001."]
    }
    assert page.context["failed"]["commentary"].value() == "x" * 4001
    assert ActionProgress.objects.count() == 0


def test_a_report_is_refused_on_a_submitted_self_assessment(earlier, client):
    review_, people, (action,) = earlier
    sa = submitted(review_, people["host_dcs"], 2026, {})
    client.force_login(people["host_dcs"])
    page = client.post(sa_url(sa), report(action))
    assert page.status_code == 400
    assert page.context["failed"].non_field_errors() == [
        "This self-assessment is submitted: progress is reported in the next one."
    ]
    assert page.context["failed"]["commentary"].value() == "Half the teams use it."
    with pytest.raises(ValidationError):
        action_progress_record(
            action=action,
            status="done",
            commentary="Done.",
            self_assessment=sa,
            by=people["host_dcs"],
        )
    page = client.get(sa_url(sa))
    assert [form for _, form in page.context["rows"]] == [None]
    assert ActionProgress.objects.count() == 0


def test_only_final_letters_actions_started_after_them_are_carried(visit, client):  # noqa: F811
    review_, people = visit("pctr")
    (action,) = agreed(review_, people)
    letter_at(review_, people, LetterState.SHARED)  # not final
    sa = sa_services.self_assessment_start(
        local_authority=review_.host, by=people["host_dcs"], on=TODAY
    )
    client.force_login(people["host_dcs"])
    assert client.get(sa_url(sa)).context["rows"] == []
    assert client.post(sa_url(sa), report(action)).status_code == 404
    # Final, but issued after the self-assessment was started: the next one carries it.
    Letter.objects.filter(review=review_).update(
        state=LetterState.FINAL, issued_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert client.get(sa_url(sa)).context["rows"] == []
    with pytest.raises(ValidationError):
        action_progress_record(
            action=action,
            status="done",
            commentary="Done.",
            self_assessment=sa,
            by=people["host_dcs"],
        )


def test_nobody_else_sees_the_self_assessments_actions(earlier, draft, client, coordinator):
    _review, people, (action,) = earlier
    for name in ("uninvolved", "lead", "qa", "member", "host_data"):
        client.force_login(people[name])
        assert client.get(sa_url(draft)).status_code == 404, name
        assert client.post(sa_url(draft), report(action)).status_code == 404, name
        with pytest.raises(PermissionDenied):
            action_progress_record(
                action=action,
                status="done",
                commentary="Done.",
                self_assessment=draft,
                by=people[name],
            )
    # The coordinator reads the reports once it is submitted, never before, never writes.
    client.force_login(coordinator)
    assert client.get(sa_url(draft)).status_code == 404
    assert ActionProgress.objects.count() == 0


# Carried into the desk analysis of the next review ----------------------------------------


def test_the_next_team_sees_the_history_before_drafting(
    earlier, draft, client, east_midlands, coordinator
):
    _review, people, (action,) = earlier
    action_progress_record(
        action=action,
        status="not_started",
        commentary="Waiting for the new system.",
        self_assessment=draft,
        by=people["host_dcs"],
    )
    subject, team = next_review(east_midlands, coordinator)
    hypotheses = reverse("reviews:hypotheses", args=[subject.pk])
    # A report in a self-assessment still in draft is the LA's own (R29): the next team and
    # the coordinator see the action, not the words, until it is submitted.
    for person in (team["lead"], coordinator):
        client.force_login(person)
        html = client.get(review_url(subject)).content.decode()
        assert "Give the front door one threshold (1)." in html
        assert "Waiting for the new system." not in html
    client.force_login(team["lead"])
    assert "Waiting for the new system." not in client.get(hypotheses).content.decode()
    submit(draft, people["host_dcs"])
    for name in ("lead", "data", "qa"):
        client.force_login(team[name])
        html = client.get(hypotheses).content.decode()
        assert "Actions agreed at earlier reviews" in html, name
        assert "Give the front door one threshold (1)." in html, name
        assert "Waiting for the new system." in html, name
        assert client.get(review_url(subject)).status_code == 200, name
        assert client.post(review_url(subject), report(action)).status_code == 404, name
    client.force_login(coordinator)
    assert "Waiting for the new system." in client.get(review_url(subject)).content.decode()
    # The earlier review's team, and another LA's DCS, see nothing of it.
    for person in (people["lead"], people["member"], people["uninvolved"]):
        client.force_login(person)
        assert client.get(review_url(subject)).status_code == 404
        response = client.get(hypotheses)
        assert response.status_code in (403, 404)
    assert ActionProgress.objects.count() == 1


def test_a_pctr_host_reports_in_the_desk_analysis(earlier, client, east_midlands, coordinator):
    review_, people, (action,) = earlier
    subject, _team = next_review(east_midlands, coordinator)
    client.force_login(people["host_ad"])
    assert (
        "Report progress on the actions"
        in client.get(reverse("reviews:hypotheses", args=[subject.pk])).content.decode()
    )
    assert (
        client.post(review_url(subject), report(action, "done", "Done in May.")).status_code == 302
    )
    assert list(
        ActionProgress.objects.values_list("status", "self_assessment", "review", "recorded_by")
    ) == [("done", None, subject.pk, people["host_ad"].pk)]
    # An action of the review itself, or a later one, is not carried into it.
    assert client.post(review_url(review_), report(action)).status_code == 404


def test_a_savs_host_sees_nothing_of_its_desk_analysis(
    earlier, draft, client, east_midlands, coordinator
):
    _review, people, (action,) = earlier
    action_progress_record(
        action=action,
        status="in_progress",
        commentary="Begun in two teams.",
        self_assessment=draft,
        by=people["host_dcs"],
    )
    subject, team = next_review(east_midlands, coordinator, kind="sav")
    for name in ("host_dcs", "host_ad", "host_data"):
        client.force_login(people[name])
        assert client.get(review_url(subject)).status_code == 404, name
        assert client.post(review_url(subject), report(action)).status_code == 404, name
        with pytest.raises(PermissionDenied):
            action_progress_record(
                action=action,
                status="done",
                commentary="Done.",
                review=subject,
                by=people[name],
            )
    # The team reads the host's report from the self-assessment once submitted; a SAV's
    # core member not.
    submit(draft, people["host_dcs"])
    client.force_login(team["lead"])
    assert (
        "Begun in two teams."
        in client.get(reverse("reviews:hypotheses", args=[subject.pk])).content.decode()
    )
    client.force_login(team["member"])
    assert client.get(review_url(subject)).status_code == 404
    assert (
        "Actions agreed at earlier reviews"
        not in client.get(reverse("reviews:hypotheses", args=[subject.pk])).content.decode()
    )


# Self-awareness (R39) ---------------------------------------------------------------------


def test_the_las_leaders_see_self_ratings_beside_the_teams_view(
    visit,  # noqa: F811
    client,
    coordinator,
    other_region_coordinator,
):
    review_, people = visit("pctr")
    submitted(review_, people["host_dcs"], 2026, {"practice": 4, "outcomes": 2})
    feedback.team_views_save(
        review=review_,
        ratings={"practice": 2, "outcomes": 3, "leadership": None},
        by=people["lead"],
    )
    url = awareness_url(review_.host)
    # Before the letter is final nothing is shown, even to the host.
    client.force_login(people["host_dcs"])
    assert client.get(url).context["reviews"] == []
    issued(review_, people)
    for person in (people["host_dcs"], people["host_ad"], coordinator):
        client.force_login(person)
        page = client.get(url)
        assert page.status_code == 200
        (shown,) = page.context["reviews"]
        assert shown.review == review_
        assert [
            (a.key, a.self_rating, a.team_rating, a.difference) for a in shown.views.looked_at
        ] == [("outcomes", 2, 3, -1), ("practice", 4, 2, 2)]
        html = page.content.decode()
        assert "Rated itself 2 higher" in html and "Rated itself 1 lower" in html
    for person in (
        people["uninvolved"],
        people["host_data"],
        people["lead"],
        people["qa"],
        people["member"],
        other_region_coordinator,
    ):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(people["host_dcs"])
    assert (
        client.get(awareness_url(people["uninvolved"].posts.first().local_authority)).status_code
        == 404
    )


# Pinned query counts ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_the_actions_pages_run_the_same_queries_however_many(
    visit,  # noqa: F811
    client,
    east_midlands,
    coordinator,
    count,
    django_assert_num_queries,
):
    review_, people = visit("pctr")
    actions = agreed(review_, people, count)
    issued(review_, people)
    sa = sa_services.self_assessment_start(
        local_authority=review_.host, by=people["host_dcs"], on=TODAY
    )
    for action in actions:
        for status in ("not_started", "in_progress"):
            action_progress_record(
                action=action,
                status=status,
                commentary="So far.",
                self_assessment=sa,
                by=people["host_dcs"],
            )
    subject, _team = next_review(east_midlands, coordinator)
    client.force_login(people["host_dcs"])
    with django_assert_num_queries(7):
        page = client.get(sa_url(sa))
    assert len(page.context["rows"]) == count
    with django_assert_num_queries(8):
        page = client.get(review_url(subject))
    assert len(page.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_self_awareness_page_runs_the_same_queries_however_many_reviews(
    visit,  # noqa: F811
    client,
    east_midlands,
    count,
    django_assert_num_queries,
):
    review_, people = visit("pctr")
    feedback.team_views_save(review=review_, ratings={"practice": 2}, by=people["lead"])
    issued(review_, people)
    for year in range(2020, 2020 + count - 1):
        extra = review(
            east_midlands, "pctr", "Rutland", D(year, 1, 1), "Derby City", "Lincolnshire"
        )
        letter_at(extra, people, LetterState.FINAL)
    client.force_login(people["host_dcs"])
    with django_assert_num_queries(8):
        page = client.get(awareness_url(review_.host))
    assert len(page.context["reviews"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_hypotheses_page_shows_the_actions_in_the_same_queries_however_many(
    visit,  # noqa: F811
    client,
    east_midlands,
    coordinator,
    count,
    django_assert_num_queries,
):
    review_, people = visit("pctr")
    actions = agreed(review_, people, count)
    issued(review_, people)
    sa = sa_services.self_assessment_start(
        local_authority=review_.host, by=people["host_dcs"], on=TODAY
    )
    for action in actions:
        action_progress_record(
            action=action,
            status="in_progress",
            commentary=f"Report on {action.number}.",
            self_assessment=sa,
            by=people["host_dcs"],
        )
    submit(sa, people["host_dcs"])
    subject, team = next_review(east_midlands, coordinator)
    client.force_login(team["lead"])
    with django_assert_num_queries(22):
        page = client.get(reverse("reviews:hypotheses", args=[subject.pk]))
    html = page.content.decode()
    assert [n for n in range(1, count + 1) if f"Report on {n}." in html] == list(
        range(1, count + 1)
    )
