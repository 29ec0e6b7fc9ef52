"""On-site days and the deployment grid (R20, R36): three working days for a PCTR and two
for a SAV, inside the quarter or window; the lead writes who does what each day; a SAV's
host never sees the dates before the visit (R30)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.review import permissions, states
from reviews.review.models import TeamRole
from reviews.workbook.models import Deployment
from reviews.workbook.services import deployment as services
from tests.dates import date_input
from tests.reviews.visited import FIRST_DAY, visited
from tests.reviews.workbook.test_hypotheses import agree_and_place, pctr, sav  # noqa: F401 (fixtures)

D = datetime.date
TODAY = D(2026, 11, 27)


def test_a_pctr_takes_three_working_days_skipping_a_bank_holiday(pctr):  # noqa: F811
    subject, people = pctr
    # New Year's Day 2027 is a Friday: a visit from Thursday 31 December would cross it,
    # but the quarter starts on 1 January; from Monday 4 January it runs to Wednesday.
    services.review_onsite_set(review=subject, first_day=D(2027, 1, 4), by=people["lead"])
    subject.refresh_from_db()
    assert (subject.onsite_from, subject.onsite_to) == (D(2027, 1, 4), D(2027, 1, 6))
    assert services.onsite_days(subject) == [D(2027, 1, 4), D(2027, 1, 5), D(2027, 1, 6)]


def test_a_sav_takes_two_days_that_must_fit_the_window(sav):  # noqa: F811
    subject, people = sav
    with pytest.raises(ValidationError) as caught:
        services.review_onsite_set(review=subject, first_day=D(2027, 4, 30), by=people["lead"])
    assert caught.value.message_dict == {
        "first_day": ["The 2 on-site days must fall between 1 March 2027 and 30 April 2027."]
    }
    with pytest.raises(ValidationError, match="Choose a working day"):
        services.review_onsite_set(review=subject, first_day=D(2027, 3, 29), by=people["lead"])
    services.review_onsite_set(review=subject, first_day=D(2027, 3, 25), by=people["lead"])
    subject.refresh_from_db()
    # Good Friday and Easter Monday fall between: the second day is Tuesday 30 March.
    assert (subject.onsite_from, subject.onsite_to) == (D(2027, 3, 25), D(2027, 3, 30))


@pytest.mark.parametrize("who", ["qa", "member", "host_dcs", "data"])
def test_only_the_lead_or_coordinator_sets_the_days(pctr, who):  # noqa: F811
    subject, people = pctr
    with pytest.raises(PermissionDenied):
        services.review_onsite_set(review=subject, first_day=D(2027, 2, 9), by=people[who])


def test_the_sav_hosts_dcs_never_sees_the_dates_before_the_visit(client, sav):  # noqa: F811
    subject, people = sav
    services.review_onsite_set(review=subject, first_day=D(2027, 3, 9), by=people["lead"])
    client.force_login(people["host_dcs"])
    response = client.get(reverse("reviews:review", args=[subject.pk]))
    page = response.content.decode()
    assert "March 2027 to April 2027" in page  # the window
    for day in ("9 March 2027", "2027-03-09", "10 March 2027", "2027-03-10"):
        assert day not in page, day
    assert response.context["onsite_form"] is None
    assert client.get(reverse("reviews:deployment", args=[subject.pk])).status_code == 404


def test_the_lead_writes_the_grid_and_the_team_reads_it(client, pctr):  # noqa: F811
    subject, people = pctr
    agree_and_place(subject, people)
    services.review_onsite_set(review=subject, first_day=D(2027, 2, 9), by=people["lead"])
    url = reverse("reviews:deployment", args=[subject.pk])
    client.force_login(people["lead"])
    page = client.get(url)
    on_site = [m.person.full_name for _, members in page.context["rows"][:1] for m, _ in members]
    assert on_site == ["Lee Lead", "Dai Ta", "Mo Member"]  # not the QA DCS
    member = subject.team.get(role=TeamRole.MEMBER)
    data = {
        f"{member.pk}-20270209-key_focus": "Front door",
        f"{member.pk}-20270209-morning": "MASH",
    }
    assert client.post(url, data).status_code == 302
    cell = Deployment.objects.get()
    assert (cell.member, cell.day, cell.key_focus, cell.morning) == (
        member,
        D(2027, 2, 9),
        "Front door",
        "MASH",
    )
    client.force_login(people["member"])
    assert "Front door" in client.get(url).content.decode()
    assert client.post(url, data).status_code == 403


def test_moving_the_days_moves_the_grid_with_them_and_drops_nothing(pctr):  # noqa: F811
    # R20: what was planned for day 1 is planned for the new day 1, even when the old and
    # new days overlap (one working day later).
    subject, people = pctr
    agree_and_place(subject, people)
    services.review_onsite_set(review=subject, first_day=D(2027, 2, 9), by=people["lead"])
    lead, member = (subject.team.get(role=r) for r in (TeamRole.LEAD, TeamRole.MEMBER))
    services.deployment_save(
        review=subject,
        grid={
            (member.pk, D(2027, 2, 9)): {"key_focus": "Front door", "morning": "MASH"},
            (member.pk, D(2027, 2, 10)): {"key_focus": "Audits"},
            (lead.pk, D(2027, 2, 11)): {"afternoon": "Feedback"},
        },
        by=people["lead"],
    )
    services.review_onsite_set(review=subject, first_day=D(2027, 2, 10), by=people["lead"])
    cells = Deployment.objects.order_by("day", "member__role")
    assert [(c.member, c.day, c.key_focus, c.morning, c.afternoon) for c in cells] == [
        (member, D(2027, 2, 10), "Front door", "MASH", ""),
        (member, D(2027, 2, 11), "Audits", "", ""),
        (lead, D(2027, 2, 12), "", "", "Feedback"),
    ]


def test_a_first_day_far_outside_the_window_is_refused_at_the_field(pctr):  # noqa: F811
    subject, people = pctr
    with pytest.raises(ValidationError) as caught:
        services.review_onsite_set(review=subject, first_day=D(9999, 12, 31), by=people["lead"])
    assert caught.value.message_dict == {
        "first_day": ["Choose a day between 1 January 2027 and 31 March 2027."]
    }


def test_the_sav_hosts_dcs_learns_nothing_from_the_state_and_team_actions(client, sav):  # noqa: F811
    """R30: the same answer whatever the preparation's stage or the team's size."""
    subject, people = sav
    client.force_login(people["host_dcs"])
    for state in ("after_visit", "on_site", "agreed", "nonsense"):
        response = client.post(reverse("reviews:review_state", args=[subject.pk]), {"state": state})
        assert response.status_code == 403
    member = subject.team.first()
    for pk in (member.pk, member.pk + 1000):
        url = reverse("reviews:team_remove", args=[subject.pk, pk])
        assert client.post(url).status_code == 404


def test_a_refused_first_day_is_shown_at_the_field_with_what_was_typed(client, pctr):  # noqa: F811
    subject, people = pctr
    client.force_login(people["lead"])
    response = client.post(
        reverse("reviews:onsite", args=[subject.pk]), date_input("first_day", "1 6 2027")
    )
    assert response.status_code == 400
    assert response.context["onsite_form"].errors["first_day"] == [
        "Choose a day between 1 January 2027 and 31 March 2027."
    ]
    html = response.content.decode()
    # The GOV.UK date input, day, month and year, with what was typed in each box.
    assert 'name="first_day_0" value="1"' in html
    assert 'name="first_day_1" value="6"' in html
    assert 'name="first_day_2" value="2027"' in html
    subject.refresh_from_db()
    assert subject.onsite_from is None


def test_the_days_stay_as_they_were_once_the_visit_has_started(east_midlands, coordinator):
    # They are on the record and the letter; a SAV's host, told once it started, must not
    # lose sight of it again (R30).
    subject, people = visited(east_midlands, coordinator, "sav", state="on_site")
    for by in (coordinator, people["lead"]):
        with pytest.raises(ValidationError, match="The visit has started"):
            services.review_onsite_set(
                review=subject, first_day=FIRST_DAY + datetime.timedelta(days=7), by=by
            )
    subject.refresh_from_db()
    assert (subject.onsite_from, subject.onsite_to) == (FIRST_DAY, D(2026, 11, 17))


def test_a_sav_whose_first_day_came_but_not_started_stays_unannounced(
    east_midlands, coordinator, client
):
    # R30: the on-site days have come (16 November; today is the 27th) but the lead has
    # not started the visit (postponed that morning): the host's AD and officers see
    # nothing of it, its DCS only the window; once started, the host sees it.
    subject, people = visited(east_midlands, coordinator, "sav", state="agreed")
    assert subject.onsite_from < timezone.localdate()
    page = reverse("reviews:review", args=[subject.pk])
    today = timezone.localdate()
    for who in ("host_ad", "host_data"):
        access = permissions.review_access(people[who], subject, on=today)
        assert (access.sees_review, access.sees_team) == (False, False), who
        client.force_login(people[who])
        assert client.get(page).status_code in (403, 404)
    dcs = permissions.review_access(people["host_dcs"], subject, on=today)
    assert (dcs.sees_review, dcs.sees_team, dcs.host_decides) == (True, False, False)
    states.review_state_set(review=subject, state="on_site", by=people["lead"])
    subject.refresh_from_db()
    access = permissions.review_access(people["host_ad"], subject, on=today)
    assert (access.sees_review, access.sees_team, access.host_decides) == (True, True, True)


def test_the_lead_is_not_asked_to_form_the_team_once_the_visit_is_over(
    east_midlands, coordinator, client
):
    subject, people = visited(east_midlands, coordinator, "pctr")
    assert subject.team.count() < 7  # one member of four: a place still open
    client.force_login(people["lead"])
    titles = [item["title"] for item in client.get(reverse("home")).context["needs_you"]]
    assert not [t for t in titles if t.startswith("Form the team")]


def test_start_the_visit_is_offered_from_its_first_day(east_midlands, coordinator, client, on_day):
    subject, people = visited(east_midlands, coordinator, "pctr", state="agreed")
    client.force_login(people["lead"])
    page = reverse("reviews:review", args=[subject.pk])
    on_day(FIRST_DAY - datetime.timedelta(days=3))
    client.force_login(people["lead"])
    html = client.get(page).content.decode()
    assert "Start the visit</button>" not in html
    assert "You can start the visit on its first on-site day, Monday 16 November 2026." in html
    on_day(FIRST_DAY)
    client.force_login(people["lead"])
    html = client.get(page).content.decode()
    assert "Start the visit</button>" in html
    assert 'id="starts-later"' not in html


def test_the_hosts_leaders_reach_a_sav_of_theirs_from_home_once_it_has_started(
    east_midlands, coordinator, client
):
    subject, people = visited(east_midlands, coordinator, "sav", state="agreed")
    link = f'href="{reverse("reviews:review", args=[subject.pk])}"'
    for who in ("host_dcs", "host_ad"):
        client.force_login(people[who])
        assert link not in client.get(reverse("home")).content.decode(), who  # R30
    states.review_state_set(review=subject, state="on_site", by=people["lead"])
    for who in ("host_dcs", "host_ad"):
        client.force_login(people[who])
        html = client.get(reverse("home")).content.decode()
        assert link in html, who
        assert "Reviews of your authority" in html
    client.force_login(people["host_data"])
    assert link not in client.get(reverse("home")).content.decode()


def test_the_first_day_is_asked_in_day_month_and_year_boxes_with_an_example_in_the_window(
    client,
    pctr,  # noqa: F811
):
    subject, people = pctr
    client.force_login(people["lead"])
    html = " ".join(
        client.get(reverse("reviews:review", args=[subject.pk])).content.decode().split()
    )
    assert '<div class="govuk-date-input" id="id_first_day">' in html
    # The window is January to March 2027: the example is a day in it, as the boxes take it.
    assert "For example, 1 1 2027. The visit takes the working days that follow." in html
    assert "2027-02-09" not in html
    response = client.post(
        reverse("reviews:onsite", args=[subject.pk]), date_input("first_day", "4  2027")
    )
    assert response.status_code == 400
    assert response.context["onsite_form"].errors["first_day"] == [
        "The first on-site day must include a month"
    ]
    page = response.content.decode()
    assert 'href="#id_first_day_1"' in page  # the error summary leads to the month
    assert 'name="first_day_0" value="4"' in page
    subject.refresh_from_db()
    assert subject.onsite_from is None
    assert (
        client.post(
            reverse("reviews:onsite", args=[subject.pk]), date_input("first_day", "4 1 2027")
        ).status_code
        == 302
    )
    subject.refresh_from_db()
    assert subject.onsite_from == datetime.date(2027, 1, 4)
