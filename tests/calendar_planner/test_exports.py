"""Who sees what of the calendar (R29, R30): the matrix, the upcoming list, and the CSV
and iCalendar exports all come from one permission function, so each is tested for the
people who must see a review and for those who must not."""

import datetime
import re

import pytest
from django.urls import reverse

from emslirp.models import LocalAuthority, PostKind
from tests.calendar_planner.people import holder, review
from tests.factories import PostFactory, UserFactory

D = datetime.date
TODAY = D(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(on_day):
    on_day(TODAY)


@pytest.fixture
def calendar(east_midlands):
    """A PCTR of Rutland and an unannounced SAV of Derby City, both to come, and a SAV of
    Lincolnshire whose window is over."""
    return {
        "pctr": review(
            east_midlands, "pctr", "Rutland", D(2027, 1, 1), "Leicestershire", "Derbyshire"
        ),
        "sav": review(
            east_midlands, "sav", "Derby City", D(2027, 3, 1), "Nottinghamshire", "Leicester City"
        ),
        "past_sav": review(
            east_midlands, "sav", "Lincolnshire", D(2026, 5, 1), "Rutland", "Derby City"
        ),
    }


def _people(region):
    return {
        "coordinator": None,
        "host_dcs": holder(region, PostKind.DCS, "Derby City"),
        "host_ad": holder(region, PostKind.SAFEGUARDING_LEAD, "Derby City"),
        "host_data": holder(region, PostKind.DATA_SPECIALIST, "Derby City"),
        "lead_ad": holder(region, PostKind.SAFEGUARDING_LEAD, "Nottinghamshire"),
        "qa_dcs": holder(region, PostKind.DCS, "Leicester City"),
        "uninvolved_dcs": holder(region, PostKind.DCS, "North Northamptonshire"),
        "lincs_data": holder(region, PostKind.DATA_SPECIALIST, "Lincolnshire"),
        # The lead LA's other staff are not on the SAV: only its DCS and 2nd-tier lead.
        "lead_data": holder(region, PostKind.DATA_SPECIALIST, "Nottinghamshire"),
        "former_host_dcs": _former(region, PostKind.DCS, "Derby City"),
    }


def _former(region, kind, la_name):
    """Held ``kind`` in ``la_name`` until last year: their rights went with the post (R3)."""
    person = UserFactory(region=region)
    PostFactory(
        holder=person,
        kind=kind,
        local_authority=LocalAuthority.objects.get(region=region, name=la_name),
        started_on=D(2016, 1, 1),
        ended_on=D(2019, 12, 31),
    )
    return person


# What each person's CSV export holds: (kind, host, lead, qa) per row, in date order.
PCTR_ROW = ("pctr", "Rutland", "Leicestershire", "Derbyshire")
SAV_WITH_TEAM = ("sav", "Derby City", "Nottinghamshire", "Leicester City")
SAV_WINDOW_ONLY = ("sav", "Derby City", "", "")
PAST_WITH_TEAM = ("sav", "Lincolnshire", "Rutland", "Derby City")
PAST_WINDOW_ONLY = ("sav", "Lincolnshire", "", "")
EXPECTED = {
    "coordinator": [PAST_WITH_TEAM, PCTR_ROW, SAV_WITH_TEAM],
    # The host's DCS learns of the window, never the team (R30).
    "host_dcs": [PAST_WITH_TEAM, PCTR_ROW, SAV_WINDOW_ONLY],
    # Nobody else at the host learns a SAV is coming.
    "host_ad": [PAST_WITH_TEAM, PCTR_ROW],
    "host_data": [PCTR_ROW],
    "lead_ad": [PCTR_ROW, SAV_WITH_TEAM],
    "qa_dcs": [PCTR_ROW, SAV_WITH_TEAM],
    # An uninvolved LA sees the PCTR timeline and nothing of any SAV (R29).
    "uninvolved_dcs": [PCTR_ROW],
    # At the host of a SAV that is over: its window, not its team.
    "lincs_data": [PAST_WINDOW_ONLY, PCTR_ROW],
    "lead_data": [PCTR_ROW],
}


def _csv_rows(client):
    lines = client.get(reverse("calendar_planner:export_csv")).content.decode().splitlines()
    assert lines[0] == "kind,slot,first_day,last_day,host,lead,qa,extra"
    return [tuple(line.split(",")[i] for i in (0, 4, 5, 6)) for line in lines[1:]]


@pytest.mark.parametrize("who", list(EXPECTED))
def test_csv_export_holds_what_the_reader_may_see(
    client, calendar, east_midlands, coordinator, who
):
    people = _people(east_midlands)
    people["coordinator"] = coordinator
    client.force_login(people[who])
    assert _csv_rows(client) == EXPECTED[who]


@pytest.mark.parametrize("who", list(EXPECTED))
def test_icalendar_and_matrix_agree_with_the_csv(client, calendar, east_midlands, coordinator, who):
    people = _people(east_midlands)
    people["coordinator"] = coordinator
    client.force_login(people[who])
    ics = client.get(reverse("calendar_planner:export_ics")).content.decode()
    ics = ics.replace("\r\n ", "").replace("\\,", ",")  # unfolded and unescaped (RFC 5545)
    matrix = client.get(reverse("calendar_planner:matrix"), {"start": "2026Q1", "quarters": "8"})
    cells = " ".join(i.text for _, row in matrix.context["rows"] for cell in row for i in cell)
    sees_sav = SAV_WITH_TEAM in EXPECTED[who] or SAV_WINDOW_ONLY in EXPECTED[who]
    sees_team = SAV_WITH_TEAM in EXPECTED[who]
    assert ("SAV window for Derby City" in ics) is sees_sav
    assert ("SAV window Mar–Apr 2027" in cells) is sees_sav
    assert ("Nottinghamshire" in ics) is sees_team
    assert ("Leads the SAV of Derby City" in cells) is sees_team
    assert ("QA AD for the SAV of Derby City" in cells) is sees_team
    assert "PCTR of Rutland (lead: Leicestershire, QA: Derbyshire)" in ics
    assert "Leads the PCTR of Rutland" in cells


def test_icalendar_event_spans_the_window_as_all_day_dates(client, calendar, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("calendar_planner:export_ics"))
    ics = response.content.decode().replace("\r\n ", "")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    event = ics.split("BEGIN:VEVENT")[3].split("END:VEVENT")[0]
    assert "DTSTART;VALUE=DATE:20270301" in event
    assert "DTEND;VALUE=DATE:20270501" in event
    # The UID is stable from one download to the next, and is no counter of reviews.
    uids = re.findall(r"UID:([0-9a-f]{32})@emslirp", ics)
    again = client.get(reverse("calendar_planner:export_ics")).content.decode()
    assert re.findall(r"UID:([0-9a-f]{32})@emslirp", again.replace("\r\n ", "")) == uids
    assert len(set(uids)) == 3


@pytest.mark.parametrize("who", ["no post", "former_host_dcs"])
def test_someone_with_no_post_in_the_region_sees_no_calendar(client, calendar, east_midlands, who):
    people = _people(east_midlands)
    user = UserFactory(region=east_midlands) if who == "no post" else people[who]
    client.force_login(user)
    for name in ("index", "matrix", "export_csv", "export_ics"):
        assert client.get(reverse(f"calendar_planner:{name}")).status_code == 403


@pytest.mark.parametrize(
    ("day", "sees"),
    [(D(2027, 4, 30), []), (D(2027, 5, 1), [SAV_WINDOW_ONLY])],
)
def test_the_host_lead_learns_of_the_sav_only_once_its_window_is_over(
    client, calendar, east_midlands, on_day, day, sees
):
    """On the window's last day the visit may still be coming; the day after, it is over
    and the host's staff may see that it happened, but not who came (R30)."""
    on_day(day)
    client.force_login(_people(east_midlands)["host_ad"])
    rows = [r for r in _csv_rows(client) if r[1] == "Derby City"]
    assert rows == sees


def test_another_regions_coordinator_sees_none_of_this_region(
    client, calendar, other_region_coordinator
):
    client.force_login(other_region_coordinator)
    assert _csv_rows(client) == []
    ics = client.get(reverse("calendar_planner:export_ics")).content.decode()
    assert "BEGIN:VEVENT" not in ics
    matrix = client.get(reverse("calendar_planner:matrix"), {"start": "2026Q1", "quarters": "8"})
    assert matrix.context["rows"] == []
    index = client.get(reverse("calendar_planner:index"))
    assert index.context["upcoming"] == []


def test_the_upcoming_list_hides_a_sav_from_the_host_lead_as_the_exports_do(
    client, calendar, east_midlands
):
    people = _people(east_midlands)
    client.force_login(people["host_ad"])
    page = client.get(reverse("calendar_planner:index")).content.decode()
    assert "Rutland" in page
    assert "SAV window" not in page
    client.force_login(people["host_dcs"])
    page = client.get(reverse("calendar_planner:index")).content.decode()
    assert "SAV window" in page
    assert "Nottinghamshire" not in page


@pytest.mark.parametrize("count", [1, 3])
def test_matrix_and_export_query_counts_are_pinned(
    client, east_midlands, count, django_assert_num_queries
):
    for n in range(count):
        review(
            east_midlands, "pctr", "Rutland", D(2027, 1 + 3 * n, 1), "Derby City", "Lincolnshire"
        )
        review(east_midlands, "sav", "Derby City", D(2027, 1 + 2 * n, 1), "Rutland", "Lincolnshire")
    client.force_login(holder(east_midlands, PostKind.DCS, "Derby City"))
    with django_assert_num_queries(8):
        response = client.get(
            reverse("calendar_planner:matrix"), {"start": "2027Q1", "quarters": "4"}
        )
    # Each PCTR fills three cells (host, lead, QA); each SAV, seen by its host's DCS, only
    # its window: one cell, or two for the Mar–Apr window that spans two quarters.
    assert sum(len(c) for _, row in response.context["rows"] for c in row) == {1: 4, 3: 13}[count]
    with django_assert_num_queries(7):
        lines = client.get(reverse("calendar_planner:export_csv")).content.decode().splitlines()
    assert len(lines) == 1 + 2 * count


def test_the_calendar_follows_the_post_not_the_registers_region(client, calendar, east_midlands):
    """A DCS whose register entry names no region still holds a post in one (R3)."""
    dcs = holder(east_midlands, PostKind.DCS, "Rutland")
    dcs.region = None
    dcs.save(update_fields=["region"])
    client.force_login(dcs)
    assert (
        "Reviews and visits planned in your region" in client.get(reverse("home")).content.decode()
    )
    # Rutland's DCS: its PCTR, and the past SAV of Lincolnshire that Rutland led.
    assert _csv_rows(client) == [PAST_WITH_TEAM, PCTR_ROW]
