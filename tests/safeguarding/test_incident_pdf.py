"""The PDF of a critical incident record (R25, R33, R35): asked for on the page and made by
the worker, never by the request; stored with the SHA-256 of its bytes, shown on the
page; downloaded only by those who read the incident, each download logged, never cached."""

import hashlib
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from emslirp.models import PdfState
from safeguarding import services
from safeguarding.models import IncidentPdf, IncidentPdfDownload
from tests.reviews.visited import visited
from tests.safeguarding.test_incidents import TEXTS, raise_one, signed


@pytest.fixture
def pctr(east_midlands, coordinator):
    return visited(east_midlands, coordinator, "pctr")


def _text_of(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


def test_the_request_never_renders_the_worker_does(pctr, django_capture_on_commit_callbacks):
    review, people = pctr
    incident = signed(review, people)
    services.incident_addendum_add(
        incident=incident, text="The child was seen on 18 November.", by=people["lead"]
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pdf = services.incident_pdf_request(incident=incident, by=people["qa"])
    pdf.refresh_from_db()
    assert (pdf.state, bytes(pdf.content), pdf.sha256) == (PdfState.PENDING, b"", "")
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (in-process in tests)
    pdf.refresh_from_db()
    content = bytes(pdf.content)
    assert pdf.state == PdfState.READY
    assert content.startswith(b"%PDF")
    assert pdf.sha256 == hashlib.sha256(content).hexdigest()
    assert pdf.size == len(content)
    assert pdf.rendered_at is not None and pdf.render_seconds > 0
    text = _text_of(content)
    for expected in (
        "Critical incident record",
        "Rutland",
        "Hana Host",
        "Lee Lead",
        "16 November 2026 to 18 November 2026",
        TEXTS["incident"],
        "17 November 2026, 10:30",
        "17 November 2026, 11:15",
        "A manager reviews every open plan by Friday.",
        "The child was seen on 18 November.",
    ):
        assert expected in text, expected


def test_a_pdf_being_made_is_not_asked_for_twice(pctr, django_capture_on_commit_callbacks):
    review, people = pctr
    incident = raise_one(review, people, "member")
    with django_capture_on_commit_callbacks(execute=False):
        first = services.incident_pdf_request(incident=incident, by=people["member"])
        second = services.incident_pdf_request(incident=incident, by=people["lead"])
    assert first.pk == second.pk
    assert IncidentPdf.objects.count() == 1


@pytest.mark.parametrize("who", ["data", "host_data", "uninvolved"])
def test_only_readers_ask_for_a_pdf(pctr, who):
    review, people = pctr
    incident = raise_one(review, people, "lead")
    with pytest.raises(PermissionDenied):
        services.incident_pdf_request(incident=incident, by=people[who])
    with pytest.raises(PermissionDenied):
        # A member reads only what they raised: not the lead's incident.
        services.incident_pdf_request(incident=incident, by=people["member"])
    assert IncidentPdf.objects.count() == 0


def test_the_page_asks_for_it_shows_its_digest_and_the_download_is_logged(
    pctr, client, django_capture_on_commit_callbacks
):
    review, people = pctr
    incident = raise_one(review, people, "member")
    url = reverse("safeguarding:incident", args=[incident.pk])
    client.force_login(people["host_dcs"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "pdf"}).status_code == 302
    pdf = IncidentPdf.objects.get()
    page = client.get(url).content.decode()
    assert pdf.sha256 in page
    download = reverse("safeguarding:incident_pdf", args=[incident.pk, pdf.pk])
    assert download in page

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="critical-incident-{incident.pk}-{pdf.pk}.pdf"'
    )
    # Kept by no cache, the browser's included (shared laptops).
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {
        "private",
        "no-store",
        "no-cache",
        "max-age=0",
    }
    assert hashlib.sha256(response.content).hexdigest() == pdf.sha256
    assert list(IncidentPdfDownload.objects.values_list("pdf", "by")) == [
        (pdf.pk, people["host_dcs"].pk)
    ]

    client.force_login(people["member"])  # raised it: reads it
    assert client.get(download).status_code == 200
    assert IncidentPdfDownload.objects.count() == 2
    # Those who read every incident, the host and the QA among them, see who downloaded
    # it (R35); the member who raised it does not.
    for who in ("host_dcs", "qa", "lead", "coordinator"):
        client.force_login(people[who])
        assert people["member"].full_name in _downloads_cell(client.get(url)), who
    client.force_login(people["member"])
    assert _downloads_cell(client.get(url)) == ""


def _downloads_cell(page) -> str:
    """The text of the PDF table's "Downloaded by" column, empty if it is not shown."""
    html = page.content.decode()
    if "Downloaded by</th>" not in html:
        return ""
    return html.split('id="pdfs"', 1)[1].split("</table>", 1)[0]


@pytest.mark.parametrize("who", ["data", "host_data", "uninvolved", "member"])
def test_the_download_is_refused_and_not_logged_for_those_without_rights(
    pctr, client, who, django_capture_on_commit_callbacks
):
    review, people = pctr
    incident = raise_one(review, people, "lead")  # not the member's own
    with django_capture_on_commit_callbacks(execute=True):
        pdf = services.incident_pdf_request(incident=incident, by=people["lead"])
    client.force_login(people[who])
    assert (
        client.get(reverse("safeguarding:incident_pdf", args=[incident.pk, pdf.pk])).status_code
        == 404
    )
    assert IncidentPdfDownload.objects.count() == 0
    client.logout()
    response = client.get(reverse("safeguarding:incident_pdf", args=[incident.pk, pdf.pk]))
    assert response.status_code == 302  # to sign in
    assert IncidentPdfDownload.objects.count() == 0


def test_a_pdf_of_another_incident_is_not_served_through_this_one(
    pctr, client, django_capture_on_commit_callbacks
):
    review, people = pctr
    own = raise_one(review, people, "member")
    other = raise_one(review, people, "lead")
    with django_capture_on_commit_callbacks(execute=True):
        pdf = services.incident_pdf_request(incident=other, by=people["lead"])
    client.force_login(people["member"])
    assert (
        client.get(reverse("safeguarding:incident_pdf", args=[own.pk, pdf.pk])).status_code == 404
    )


def test_a_task_delivered_twice_leaves_the_first_rendering(
    pctr, django_capture_on_commit_callbacks
):
    # acks_late: a worker that dies after rendering may have the task run again, by a
    # worker that loaded the row while it was still pending.
    review, people = pctr
    incident = raise_one(review, people, "member")
    with django_capture_on_commit_callbacks(execute=False):
        pdf = services.incident_pdf_request(incident=incident, by=people["lead"])
    first, second = IncidentPdf.objects.get(pk=pdf.pk), IncidentPdf.objects.get(pk=pdf.pk)
    services.incident_pdf_render(pdf=first)
    made = IncidentPdf.objects.get(pk=pdf.pk)
    services.incident_respond(
        incident=incident, host_action="A manager reviews the plan.", by=people["host_dcs"]
    )
    services.incident_pdf_render(pdf=second)
    again = IncidentPdf.objects.get(pk=pdf.pk)
    assert (bytes(again.content), again.sha256, again.rendered_at) == (
        bytes(made.content),
        made.sha256,
        made.rendered_at,
    )
    assert "A manager reviews the plan." not in _text_of(bytes(again.content))
