"""The letter's PDFs (R23, R29, R33): made by the worker, never by the request; the final
one made once and never changed; what reviewers typed printed as text, and nothing
fetched but the project's static files; every download permission-checked and logged."""

import hashlib
import subprocess

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from emslirp import pdf as pdf_module
from emslirp.pdf import BASE_URL, FetchRefused, ProjectStaticFetcher
from reviews import letters
from reviews.models import AgreedAction, Finding, LetterPdf, LetterPdfDownload
from reviews.tasks import task_letter_pdf_render
from tests.reviews.test_letters import at_state, feedback_given
from tests.reviews.visited import visited

PASSWD = '<img src="file:///etc/passwd">'
REMOTE = '<img src="http://example.com/x.png">'


def pdf_text(content: bytes) -> str:
    """pdftotext's reading of ``content`` (poppler-utils)."""
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


@pytest.fixture
def pctr(east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people)
    return review, people


@pytest.fixture
def issued(pctr, django_capture_on_commit_callbacks):
    review, people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "final")
    return review, people, letter, LetterPdf.objects.get(letter=letter, is_final=True)


def test_a_request_never_renders_it_asks_the_worker_after_commit(
    pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    letter = at_state(review, people, "draft")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pdf = letters.letter_pdf_request(letter=letter, by=people["lead"])
    pdf.refresh_from_db()
    assert (pdf.state, bytes(pdf.content), pdf.sha256, pdf.letter_revision) == (
        "pending",
        b"",
        "",
        1,
    )
    assert len(callbacks) == 1
    callbacks[0]()  # the worker, in-process
    pdf.refresh_from_db()
    content = bytes(pdf.content)
    assert pdf.state == "ready"
    assert content.startswith(b"%PDF-")
    assert pdf.sha256 == hashlib.sha256(content).hexdigest()
    assert pdf.size == len(content)
    assert pdf.render_seconds > 0
    text = pdf_text(content)
    assert "Draft, revision 1" in text
    assert "Attached: record of the verbal feedback" in text
    assert "Twelve of twenty referrals audited" in text


def test_the_final_pdf_never_changes_after_it_is_made(client, issued):
    review, people, letter, final = issued
    lead = people["lead"]
    content, digest = bytes(final.content), final.sha256
    assert final.state == "ready"
    assert digest == hashlib.sha256(content).hexdigest()
    text = pdf_text(content)
    assert f"PCTR/RUTLAND/2026/{letter.pk}" in text
    assert f"{timezone.localdate():%-d %B %Y}, by Lee Lead" in text  # issued, by whom
    assert "Draft" not in text

    with pytest.raises(ValidationError, match="final"):
        letters.letter_update(
            letter=letter,
            subject="New",
            body="New",
            variations="",
            revision=letter.revision,
            by=lead,
        )
    with pytest.raises(ValidationError, match="made once"):
        letters.letter_pdf_request(letter=letter, by=lead)
    with pytest.raises(ValidationError, match="never replaced"):
        letters.letter_pdf_render(pdf=final)
    task_letter_pdf_render.delay(pdf_id=final.pk)  # a task delivered twice
    client.force_login(lead)
    response = client.post(
        reverse("reviews:letter", args=[review.pk]),
        {"action": "save", "subject": "New", "body": "New", "variations": "", "revision": 2},
    )
    assert response.status_code == 400
    assert "never changes once issued" in response.content.decode()
    response = client.post(reverse("reviews:letter", args=[review.pk]), {"action": "pdf"})
    assert response.status_code == 400
    with pytest.raises(IntegrityError), transaction.atomic():
        LetterPdf.objects.create(
            letter=letter,
            is_final=True,
            letter_revision=letter.revision,
            requested_by=lead,
            requested_at=timezone.now(),
        )

    final.refresh_from_db()
    assert bytes(final.content) == content
    assert final.sha256 == digest == hashlib.sha256(bytes(final.content)).hexdigest()
    assert LetterPdf.objects.filter(letter=letter).count() == 1


def test_typed_markup_is_printed_as_text_and_nothing_is_fetched_but_static(
    east_midlands, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    review, people = visited(east_midlands, coordinator, "pctr")
    [action] = feedback_given(review, people, actions=[(f"Act on {REMOTE} now", True, True)])
    finding = action.findings.get()
    Finding.objects.filter(pk=finding.pk).update(text=f"Seen {PASSWD} here", evidence=REMOTE)
    AgreedAction.objects.filter(pk=action.pk).update(commentary=PASSWD)
    fetchers = []

    class Recording(ProjectStaticFetcher):
        def __init__(self):
            super().__init__()
            fetchers.append(self)

    monkeypatch.setattr(pdf_module, "ProjectStaticFetcher", Recording)
    letter = at_state(review, people, "draft")
    with django_capture_on_commit_callbacks(execute=True):
        pdf = letters.letter_pdf_request(letter=letter, by=people["lead"])
    pdf.refresh_from_db()
    assert pdf.state == "ready", pdf.failure
    text = pdf_text(bytes(pdf.content))
    assert f"Seen {PASSWD} here" in text
    assert REMOTE in text
    assert f"1. Act on {REMOTE} now" in text  # the priority action, in the letter's body
    [fetcher] = fetchers
    assert fetcher.refused == []
    static = BASE_URL.rstrip("/") + settings.STATIC_URL
    assert fetcher.served == [static + "emslirp/pdf.css"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "https://pdf.emslirp.invalid/etc/passwd",
        BASE_URL.rstrip("/") + settings.STATIC_URL + "../../etc/passwd",
        BASE_URL.rstrip("/") + settings.STATIC_URL + "emslirp/missing.css",
    ],
)
def test_the_fetcher_refuses_everything_but_the_projects_static_files(url):
    fetcher = ProjectStaticFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert (fetcher.refused, fetcher.served) == ([url], [])


def test_the_fetcher_serves_the_pdf_stylesheet():
    fetcher = ProjectStaticFetcher()
    url = BASE_URL.rstrip("/") + settings.STATIC_URL + "emslirp/pdf.css"
    response = fetcher.fetch(url)
    assert b"@page" in response.read()
    assert (fetcher.served, fetcher.refused) == ([url], [])


def test_a_render_that_fails_is_kept_as_failed_and_the_lead_may_retry_the_final_one(
    pctr, monkeypatch, django_capture_on_commit_callbacks
):
    review, people = pctr

    def broken(template, context):
        raise OSError("no fonts")

    monkeypatch.setattr(letters, "template_to_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "final")
    final = LetterPdf.objects.get(letter=letter)
    assert (final.state, final.failure, final.sha256) == ("failed", "OSError: no fonts", "")
    with pytest.raises(ValidationError, match="made once"):
        letters.letter_pdf_request(letter=letter, by=people["coordinator"])
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = letters.letter_pdf_request(letter=letter, by=people["lead"])
    final.refresh_from_db()
    assert again.pk == final.pk
    assert final.state == "ready"
    assert final.sha256 == hashlib.sha256(bytes(final.content)).hexdigest()


def test_the_task_for_a_pdf_that_is_gone_does_nothing(pctr):
    review, people = pctr
    letter = at_state(review, people, "draft")
    pdf = letters.letter_pdf_request(letter=letter, by=people["lead"])
    pdf_id = pdf.pk
    pdf.delete()
    task_letter_pdf_render.delay(pdf_id=pdf_id)
    assert not LetterPdf.objects.exists()


# Downloads -----------------------------------------------------------------------------


def _download(client, person, review, pdf):
    client.force_login(person)
    return client.get(reverse("reviews:letter_pdf", args=[review.pk, pdf.pk]))


def test_a_download_is_an_uncached_attachment_and_is_logged(client, issued):
    review, people, _, final = issued
    response = _download(client, people["coordinator"], review, final)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="feedback-letter-rutland-final.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == bytes(LetterPdf.objects.get(pk=final.pk).content)
    [logged] = LetterPdfDownload.objects.all()
    assert (logged.pdf, logged.by) == (final, people["coordinator"])
    # The lead and the coordinator see who downloaded it, and when.
    for who in ("lead", "coordinator"):
        client.force_login(people[who])
        page = client.get(reverse("reviews:letter", args=[review.pk])).content.decode()
        assert "Downloaded by Coral Ordinator on" in page
        assert final.sha256 in page
    client.force_login(people["host_dcs"])
    page = client.get(reverse("reviews:letter", args=[review.pk])).content.decode()
    assert "Downloaded by" not in page
    assert final.sha256 in page


@pytest.mark.parametrize(
    ("who", "final_status", "draft_status"),
    [
        ("lead", 200, 200),
        ("qa", 200, 200),
        ("host_dcs", 200, 200),
        ("host_ad", 200, 200),
        ("data", 200, 404),
        ("member", 200, 404),
        ("coordinator", 200, 404),
        ("host_data", 404, 404),
        ("uninvolved", 404, 404),
    ],
)
def test_who_downloads_which_pdf(
    client, pctr, who, final_status, draft_status, django_capture_on_commit_callbacks
):
    review, people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "shared")
        draft = letters.letter_pdf_request(letter=letter, by=people["lead"])
        letters.letter_issue(letter=letter, by=people["lead"])
    final = LetterPdf.objects.get(letter=letter, is_final=True)
    assert _download(client, people[who], review, final).status_code == final_status
    assert _download(client, people[who], review, draft).status_code == draft_status
    expected = [final_status, draft_status].count(200)
    assert LetterPdfDownload.objects.filter(by=people[who]).count() == expected


@pytest.mark.parametrize("who", ["host_dcs", "data", "coordinator", "member", "uninvolved"])
def test_a_draft_pdf_before_sharing_is_the_lead_and_the_qas_only(
    client, pctr, who, django_capture_on_commit_callbacks
):
    review, people = pctr
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "with_qa")
        draft = letters.letter_pdf_request(letter=letter, by=people["qa"])
    assert _download(client, people[who], review, draft).status_code == 404
    with pytest.raises(PermissionDenied):
        letters.letter_pdf_request(letter=letter, by=people[who])
    with pytest.raises(PermissionDenied):
        letters.letter_pdf_download(pdf=draft, by=people[who])
    assert not LetterPdfDownload.objects.exists()
    assert _download(client, people["qa"], review, draft).status_code == 200


def test_a_pdf_of_another_review_or_not_ready_is_not_found(client, pctr):
    review, people = pctr
    letter = at_state(review, people, "draft")
    pending = letters.letter_pdf_request(letter=letter, by=people["lead"])
    LetterPdf.objects.filter(pk=pending.pk).update(state="pending")
    assert _download(client, people["lead"], review, pending).status_code == 404
    client.force_login(people["lead"])
    other = reverse("reviews:letter_pdf", args=[review.pk + 1000, pending.pk])
    assert client.get(other).status_code == 404


def test_the_pdf_list_polls_while_a_pdf_is_being_made(
    client, pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    letter = at_state(review, people, "draft")
    client.force_login(people["lead"])
    url = reverse("reviews:letter_pdfs", args=[review.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letters.letter_pdf_request(letter=letter, by=people["lead"])
    waiting = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting
    assert "Being made" in waiting
    callbacks[0]()
    ready = client.get(url).content.decode()
    assert "hx-trigger" not in ready
    assert "Download the draft of revision 1" in ready
    client.force_login(people["host_dcs"])
    assert client.get(url).status_code == 403
