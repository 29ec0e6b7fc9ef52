"""The regional picture's PDF report (R28): made in the worker with the asker's scope,
handed only to a reader of the same scope, every download recorded (R33)."""

import re

import pytest
from django.urls import reverse

from reviews.intelligence.models import RegionalReport
from tests.factories import PostFactory, UserFactory
from tests.reviews.intelligence import test_regional as regional
from tests.reviews.letter.test_letter_pdf import pdf_text

# The regional picture's records and people, as its page's tests make them.
data, dcs, world = regional.data, regional.dcs, regional.world
OWN = regional.OWN


def ask(client, person, region, django_capture_on_commit_callbacks, year=2025):
    client.force_login(person)
    url = reverse("intelligence:region_report", args=[region.pk]) + f"?year={year}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    return RegionalReport.objects.filter(requested_by=person).latest("requested_at", "pk")


def download(client, person, region, report):
    client.force_login(person)
    return client.get(reverse("intelligence:region_report_download", args=[region.pk, report.pk]))


def test_the_coordinator_asks_for_the_report_and_downloads_it(
    client, coordinator, east_midlands, world, django_capture_on_commit_callbacks
):
    report = ask(client, coordinator, east_midlands, django_capture_on_commit_callbacks)
    assert (report.state, report.scope_key, report.year) == ("ready", "coordinator", 2025)
    page = client.get(reverse("intelligence:region", args=[east_midlands.pk])).content.decode()
    assert (
        reverse("intelligence:region_report_download", args=[east_midlands.pk, report.pk]) in page
    )
    response = download(client, coordinator, east_midlands, report)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.content)
    assert "The regional picture of East Midlands" in text
    assert "Derby City" in text
    assert [(d.by, d.pdf) for d in report.downloads.all()] == [(coordinator, report)]


def test_a_dcs_gets_a_report_of_their_own_scope_and_never_the_coordinators(
    client,
    coordinator,
    dcs,
    east_midlands,
    world,
    django_capture_on_commit_callbacks,
):
    theirs = ask(client, coordinator, east_midlands, django_capture_on_commit_callbacks)
    assert download(client, dcs, east_midlands, theirs).status_code == 404
    page = client.get(reverse("intelligence:region", args=[east_midlands.pk])).content.decode()
    assert f"report-{theirs.pk}" not in page
    mine = ask(client, dcs, east_midlands, django_capture_on_commit_callbacks)
    assert mine.pk != theirs.pk
    assert mine.scope_key.startswith("dcs:")
    response = download(client, dcs, east_midlands, mine)
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    assert OWN in text
    for name in regional.others(east_midlands):
        assert name not in text
    assert "Neglect" not in text
    # What the page says to them, the PDF says: each chart's summary, and each figure of
    # its table (a table's cells wrap, so each figure is looked for on its own).
    charts = regional.page(client, dcs, east_midlands, year=2025).context["picture"].charts
    words = text.split()
    for chart in charts.values():
        assert " ".join(chart.summary.split()) in text, chart.key
        for row in chart.rows:
            for v in row:
                figure = "Not shown" if v is None else str(v)
                assert (figure in words) if " " not in figure else (figure.split()[0] in words), (
                    chart.key,
                    row,
                    figure,
                )
    # Nor does the coordinator get the DCS's.
    assert download(client, coordinator, east_midlands, mine).status_code == 404


@pytest.mark.parametrize("who", ["nobody", "ad"])
def test_no_post_no_report(
    client, la, east_midlands, world, who, coordinator, django_capture_on_commit_callbacks
):
    report = ask(client, coordinator, east_midlands, django_capture_on_commit_callbacks)
    person = UserFactory()
    if who == "ad":
        PostFactory(holder=person, kind="safeguarding_lead", local_authority=la(OWN))
    client.force_login(person)
    assert (
        client.post(reverse("intelligence:region_report", args=[east_midlands.pk])).status_code
        == 404
    )
    assert download(client, person, east_midlands, report).status_code == 404
    assert RegionalReport.objects.count() == 1


def test_a_report_being_made_is_not_asked_for_twice(
    client, coordinator, east_midlands, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    url = reverse("intelligence:region_report", args=[east_midlands.pk]) + "?year=2025"
    # The worker has not started: both asks find the same report waiting.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(url)
        client.post(url)
    assert len(queued) == 1
    assert list(RegionalReport.objects.values_list("state", "year")) == [("pending", 2025)]


def test_the_same_form_sent_twice_asks_once(
    client, coordinator, east_midlands, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    page = client.get(reverse("intelligence:region", args=[east_midlands.pk])).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    url = reverse("intelligence:region_report", args=[east_midlands.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"form_token": token})
        client.post(url, {"form_token": token})
    assert list(RegionalReport.objects.values_list("state", flat=True)) == ["ready"]
