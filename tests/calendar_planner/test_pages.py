"""The coordinator's calendar pages: plan, adjust with live findings, import, adopt
(R10–R13), and who may not use them (R2, R31)."""

import datetime
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calendar_planner.models import Programme, ProgrammeState
from emslirp.models import PostKind
from reviews.review.models import Review
from tests.calendar_planner.people import holder, review
from tests.factories import UserFactory

D = datetime.date


def _formset_data(programme, rows):
    """The draft page's form as a browser posts it: one row per (slot, host, lead, qa)."""
    data = {
        "entry-TOTAL_FORMS": str(len(rows)),
        "entry-INITIAL_FORMS": str(len(rows)),
        "entry-MIN_NUM_FORMS": "0",
        "entry-MAX_NUM_FORMS": "500",
    }
    for n, (slot, host, lead, qa) in enumerate(rows):
        data[f"entry-{n}-slot"] = slot.isoformat()
        data[f"entry-{n}-host"] = host.name if host else ""
        data[f"entry-{n}-lead"] = lead.name if lead else ""
        data[f"entry-{n}-qa"] = qa.name if qa else ""
    return data


def _entry_rows(programme):
    return [(e.starts_on, e.host, e.lead, e.qa) for e in programme.entries.all()]


@pytest.fixture
def planned(client, coordinator, django_capture_on_commit_callbacks):
    """A PCTR cycle for the ten LAs of 2026, planned through the page."""
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calendar_planner:programme_new"),
            {"kind": "pctr", "start": "2026-01", "years": "3", "interval": "18", "seed": "0"},
        )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar_planner:programme", args=[programme.pk])
    return programme


def test_plan_makes_a_draft_that_keeps_every_rule(client, planned):
    planned.refresh_from_db()
    assert planned.state == ProgrammeState.DRAFT
    assert planned.months == 36
    assert planned.entries.count() == 10
    page = client.get(reverse("calendar_planner:programme", args=[planned.pk]))
    assert page.status_code == 200
    assert "The calendar keeps every rule." in page.content.decode()
    hosts = sorted(e.host.name for e in planned.entries.all())
    assert len(set(hosts)) == 10
    assert "Northamptonshire" not in hosts


def test_live_check_names_the_rule_a_changed_cell_breaks(client, planned, la):
    rows = _entry_rows(planned)
    slot, host, _, qa = rows[0]
    rows[0] = (slot, host, host, qa)  # the host's own DCS as lead (R12)
    response = client.post(
        reverse("calendar_planner:programme_check", args=[planned.pk]),
        _formset_data(planned, rows),
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Error</strong> {slot.year}Q1 {host.name}: the lead is from the host LA" in body
    # Nothing is saved by checking.
    assert _entry_rows(planned)[0][2] != host


def test_saving_an_adjustment_keeps_it_and_adopting_with_an_error_is_refused(client, planned):
    rows = _entry_rows(planned)
    slot, host, _, qa = rows[0]
    rows[0] = (slot, host, qa, qa)
    url = reverse("calendar_planner:programme", args=[planned.pk])
    response = client.post(url, {**_formset_data(planned, rows), "action": "adopt"}, follow=True)
    body = response.content.decode()
    assert "The calendar breaks" in body
    planned.refresh_from_db()
    assert planned.state == ProgrammeState.DRAFT
    assert Review.objects.count() == 0
    assert planned.entries.get(host=host).lead == qa  # the adjustment itself was saved


def test_adopting_creates_one_planned_review_per_row(client, planned, coordinator):
    url = reverse("calendar_planner:programme", args=[planned.pk])
    data = {**_formset_data(planned, _entry_rows(planned)), "action": "adopt"}
    response = client.post(url, data, follow=True)
    assert "The calendar is adopted: 10 reviews are planned." in response.content.decode()
    planned.refresh_from_db()
    assert planned.state == ProgrammeState.ADOPTED
    assert planned.adopted_by == coordinator
    reviews = {
        (r.host.name, r.starts_on, r.lead_local_authority.name, r.qa_local_authority.name)
        for r in Review.objects.all()
    }
    assert reviews == {
        (e.host.name, e.starts_on, e.lead.name, e.qa.name) for e in planned.entries.all()
    }
    # An adopted calendar is read-only.
    assert client.post(url, data).status_code == 403


def test_import_of_the_handbook_calendar_gives_a_draft_with_its_findings(client, coordinator):
    client.force_login(coordinator)
    with open("calendar_planner/data/handbook_pctr_2012.csv", "rb") as f:
        upload = SimpleUploadedFile("handbook.csv", f.read(), content_type="text/csv")
    response = client.post(
        reverse("calendar_planner:programme_new"),
        {"kind": "pctr", "start": "2012-01", "years": "3", "file": upload},
    )
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert programme.state == ProgrammeState.DRAFT
    assert programme.entries.count() == 9
    assert programme.note == "Imported from handbook.csv"
    page = client.get(reverse("calendar_planner:programme", args=[programme.pk])).content.decode()
    assert "0 errors" in page


def test_an_import_takes_its_first_month_from_the_file_when_none_is_typed(client, coordinator):
    client.force_login(coordinator)
    with open("calendar_planner/data/handbook_pctr_2012.csv", "rb") as f:
        upload = SimpleUploadedFile("handbook.csv", f.read(), content_type="text/csv")
    response = client.post(
        reverse("calendar_planner:programme_new"),
        {"kind": "pctr", "start": "", "years": "3", "file": upload},
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert (programme.starts_on, programme.entries.count()) == (datetime.date(2012, 1, 1), 9)
    # Planned, not imported, the first month is asked for at its field.
    response = client.post(
        reverse("calendar_planner:programme_new"), {"kind": "pctr", "start": "", "years": "3"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "start": ["Enter the first month, for example 2026-01."]
    }


def test_a_file_that_cannot_be_read_is_refused_at_the_field_and_keeps_the_form(client, coordinator):
    client.force_login(coordinator)
    upload = SimpleUploadedFile(
        "bad.csv", b"period,host,lead,qa\n2012Q1,Derby,Atlantis,Rutland\n", content_type="text/csv"
    )
    response = client.post(
        reverse("calendar_planner:programme_new"),
        {"kind": "pctr", "start": "2012-01", "years": "3", "file": upload},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Line 2: lead &#x27;Atlantis&#x27; is not an LA of East Midlands" in body
    assert 'value="2012-01"' in body
    assert Programme.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "pctr", "start": "2026-02", "years": "3"}, "start", "A PCTR cycle starts in"),
        ({"kind": "pctr", "start": "Jan 2026", "years": "3"}, "start", "Enter the first month as"),
        (
            {"kind": "sav", "start": "2026-01", "years": "3", "interval": "17"},
            "interval",
            "Enter an even number",
        ),
        ({"start": "2026-01", "years": "3"}, "kind", "Choose the PCTR cycle or the SAV"),
        (
            {"kind": "sav", "start": "9999-01", "years": "3", "interval": "18"},
            "start",
            "Enter a first month from 2000 to 2100.",
        ),
        (
            {"kind": "pctr", "start": "2026-01", "years": "3", "seed": "3000000000"},
            "seed",
            "less than or equal to 2147483647",
        ),
    ],
)
def test_bad_programme_input_is_refused_at_its_field(client, coordinator, data, field, message):
    client.force_login(coordinator)
    response = client.post(reverse("calendar_planner:programme_new"), data)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert Programme.objects.count() == 0


def test_a_planning_programme_is_polled_until_the_worker_is_done(
    client, coordinator, east_midlands
):
    programme = Programme.objects.create(
        region=east_midlands,
        kind="pctr",
        starts_on=D(2026, 1, 1),
        months=36,
        origin="planned",
        state=ProgrammeState.PLANNING,
    )
    client.force_login(coordinator)
    url = reverse("calendar_planner:programme", args=[programme.pk])
    assert "The planner is working on this calendar." in client.get(url).content.decode()
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 204
    Programme.objects.filter(pk=programme.pk).update(state=ProgrammeState.FAILED, note="x")
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


@pytest.mark.parametrize("who", ["dcs", "other_region_coordinator", "nobody"])
def test_programme_pages_are_the_coordinators_alone(client, planned, east_midlands, who, request):
    """Anyone else gets 404, the same as for a programme that does not exist: a draft
    names the LAs of planned SAVs, and even its existence is the coordinator's (R30)."""
    if who == "dcs":
        user = holder(east_midlands, PostKind.DCS, "Derby City")
    elif who == "nobody":
        user = UserFactory(region=east_midlands)
    else:
        user = request.getfixturevalue("other_region_coordinator")
    client.force_login(user)
    rows = _formset_data(planned, _entry_rows(planned))
    for name in ("programme", "programme_csv"):
        assert client.get(reverse(f"calendar_planner:{name}", args=[planned.pk])).status_code == 404
    for name in ("programme", "programme_check", "programme_delete"):
        url = reverse(f"calendar_planner:{name}", args=[planned.pk])
        assert client.post(url, {**rows, "action": "adopt"}).status_code == 404
    planned.refresh_from_db()
    assert planned.state == ProgrammeState.DRAFT
    if who != "other_region_coordinator":  # who plans for their own region
        with open("calendar_planner/data/handbook_pctr_2012.csv", "rb") as f:
            upload = SimpleUploadedFile("handbook.csv", f.read(), content_type="text/csv")
        response = client.post(
            reverse("calendar_planner:programme_new"),
            {"kind": "pctr", "start": "2012-01", "years": "3", "file": upload},
        )
        assert response.status_code == 403
    assert Programme.objects.filter(region=east_midlands).count() == 1


def test_programme_csv_is_the_format_the_check_command_reads(client, planned):
    response = client.get(reverse("calendar_planner:programme_csv", args=[planned.pk]))
    lines = response.content.decode().splitlines()
    assert lines[0] == "period,host,lead,qa"
    assert len(lines) == 11
    assert response["Content-Disposition"].startswith('attachment; filename="pctr-2026-01-')


@pytest.mark.parametrize("count", [1, 3])
def test_calendar_index_query_count_is_pinned(
    client, coordinator, east_midlands, count, django_assert_num_queries
):
    for n in range(count):
        Programme.objects.create(
            region=east_midlands,
            kind="sav",
            interval_months=18,
            starts_on=D(2026 + n, 1, 1),
            months=36,
            origin="planned",
            state=ProgrammeState.FAILED,
        )
        review(
            east_midlands, "pctr", "Rutland", D(2027, 1 + 3 * n, 1), "Derby City", "Lincolnshire"
        )
    client.force_login(coordinator)
    with django_assert_num_queries(8):
        response = client.get(reverse("calendar_planner:index"))
    assert len(response.context["programmes"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_draft_page_query_count_is_pinned(
    client, coordinator, east_midlands, la, count, django_assert_num_queries
):
    from calendar_planner.models import ProgrammeEntry

    programme = Programme.objects.create(
        region=east_midlands,
        kind="pctr",
        starts_on=D(2026, 1, 1),
        months=36,
        origin="imported",
        state=ProgrammeState.DRAFT,
    )
    hosts = ["Rutland", "Derbyshire", "Lincolnshire"]
    for n in range(count):
        ProgrammeEntry.objects.create(
            programme=programme,
            starts_on=D(2026, 1 + 3 * n, 1),
            host=la(hosts[n]),
            lead=la("Derby City"),
            qa=la("Leicester City"),
        )
    client.force_login(coordinator)
    # session, user, programme, coordinator check, the frame (LAs, blackouts, the other
    # kind's reviews), the entries
    with django_assert_num_queries(8):
        response = client.get(reverse("calendar_planner:programme", args=[programme.pk]))
    assert len(response.context["formset"].forms) == count + 1  # and an empty row to add
    assert len(response.context["rows"]) == count


def test_an_import_whose_rows_fall_outside_the_calendar_is_refused_at_the_field(
    client, coordinator
):
    """Rows outside the programme's slots would be moved to its first slot when the draft
    is saved: the file is refused instead, saying which line and what to change."""
    client.force_login(coordinator)
    with open("calendar_planner/data/handbook_pctr_2012.csv", "rb") as f:
        upload = SimpleUploadedFile("handbook.csv", f.read(), content_type="text/csv")
    response = client.post(
        reverse("calendar_planner:programme_new"),
        {"kind": "pctr", "start": "2026-01", "years": "3", "file": upload},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Line 2: 2012Q1 is not a quarter of a calendar from 2026Q1 to 2028Q4. Change the "
        "first month or the years."
    ]
    assert Programme.objects.count() == 0


def test_the_matrix_refuses_a_quarter_out_of_range_at_the_field(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("calendar_planner:matrix"), {"start": "9999Q4", "quarters": "40"})
    assert response.status_code == 400
    assert response.context["form"].errors["start"] == ["Enter a quarter from 2000 to 2100."]


def test_a_draft_or_failed_calendar_can_be_deleted_and_an_adopted_one_cannot(
    client, planned, coordinator
):
    url = reverse("calendar_planner:programme_delete", args=[planned.pk])
    data = {**_formset_data(planned, _entry_rows(planned)), "action": "adopt"}
    client.post(reverse("calendar_planner:programme", args=[planned.pk]), data)
    response = client.post(url, follow=True)
    assert "Only a draft or a calendar that could not be planned can be deleted." in (
        response.content.decode()
    )
    assert Programme.objects.filter(pk=planned.pk).exists()
    Programme.objects.filter(pk=planned.pk).update(state=ProgrammeState.FAILED, adopted_at=None)
    Review.objects.all().delete()
    response = client.post(url)
    assert response.status_code == 302
    assert not Programme.objects.filter(pk=planned.pk).exists()


def test_a_planner_that_stops_with_an_error_leaves_the_page_saying_so(
    client, coordinator, east_midlands
):
    """Whatever goes wrong in the worker, the programme does not wait for ever. Here a
    programme made past the form's checks runs beyond the last date Python knows."""
    from calendar_planner.tasks import task_programme_plan

    programme = Programme.objects.create(
        region=east_midlands,
        kind="pctr",
        starts_on=D(9999, 1, 1),
        months=36,
        origin="planned",
        state=ProgrammeState.PLANNING,
    )
    with pytest.raises(ValueError, match="year 10002 is out of range"):
        task_programme_plan(programme_id=programme.pk)
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.FAILED
    client.force_login(coordinator)
    page = client.get(reverse("calendar_planner:programme", args=[programme.pk])).content.decode()
    assert "The planner stopped with an error. Delete this calendar and try again" in page
    assert "Delete this calendar</button>" in page


def test_a_busy_quarter_the_sav_plan_cannot_avoid_says_why_on_the_draft_page(
    client, coordinator, east_midlands, django_capture_on_commit_callbacks
):
    """R10–R12: Lincolnshire hosts a PCTR in 2029Q1 and leads one in 2029Q2, so a one-year
    SAV interval from January 2029 leaves it two free quarters for three parts. The draft
    has that one busy quarter and no other, and the page says why in the calendar's
    numbers, with no rule number."""
    review(east_midlands, "pctr", "Lincolnshire", D(2029, 1, 1), "Rutland", "Derby City")
    review(east_midlands, "pctr", "Leicestershire", D(2029, 4, 1), "Lincolnshire", "Derbyshire")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("calendar_planner:programme_new"),
            {"kind": "sav", "start": "2029-01", "years": "1", "interval": "12", "seed": "0"},
        )
    programme = Programme.objects.get()
    assert programme.state == ProgrammeState.DRAFT
    page = client.get(reverse("calendar_planner:programme", args=[programme.pk]))
    findings = html.unescape(page.content.decode()).split('id="findings"')[1]
    warnings = [
        " ".join(item.split(">Warning</strong>")[1].split("</li>")[0].split())
        for item in findings.split('<li class="app-finding app-finding--warning">')[1:]
    ]
    assert len(warnings) == 1
    where, what = warnings[0].split(": ", 1)
    assert where in {f"2029Q{n} Lincolnshire" for n in range(1, 5)}
    assert what.startswith("2 programme activities in the quarter: ")
    assert warnings[0].endswith(
        '<br><span class="app-finding__reason">Why: This cannot be avoided: in the interval '
        "2029-01–2029-11 Lincolnshire must host, lead and be QA for a SAV, 3 parts, but only 2 "
        "of the interval's 4 quarters are free for it (2029Q1 and 2029Q2 already hold its "
        "PCTR work), so in any calendar at least 1 of its parts shares a quarter with other "
        "programme work.</span>"
    )
    assert "R12" not in findings
