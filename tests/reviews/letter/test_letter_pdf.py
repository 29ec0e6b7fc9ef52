"""The letter's PDFs (R23, R29, R33): made by the worker, never by the request; the final
one made once and never changed; what reviewers typed printed as text, and nothing
fetched but the project's static files; every download permission-checked and logged."""

import hashlib
import subprocess

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from emslirp import pdf as pdf_module
from emslirp.pdf import BASE_URL, FetchRefused, ProjectStaticFetcher
from reviews.letter import pdf as letters
from reviews.letter import services as letter_services
from reviews.letter.models import LetterPdf, LetterPdfDownload
from reviews.review.models import Review
from reviews.tasks import task_letter_pdf_render
from reviews.workbook.models import AgreedAction, Finding, HypothesisReport, Method
from tests.reviews.letter.test_letters import at_state, feedback_given, qa_approves
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
        letter_services.letter_update(
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
    # The stylesheet is handed to the renderer, not linked: nothing else is ever fetched.
    static = BASE_URL.rstrip("/") + settings.STATIC_URL
    assert set(fetcher.served) <= {static + "emslirp/pdf.css"}
    assert "Page 1 of" in text  # laid out with the stylesheet's page rules all the same


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

    def broken(html):
        raise OSError("no fonts")

    monkeypatch.setattr(letters, "html_to_pdf", broken)
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


ISSUED = (  # what the final PDF prints, each on one line of its text
    "Audit of ten cases for hypothesis 1.",
    "Twelve of twenty referrals audited were",
    "Supervision log for October.",
    "Conclusions on hypothesis 1.",
    "1. Bring the front door's thresholds into line across the teams.",
)


def _change_the_records(review):
    """What the notebook and the verbal feedback could still be changed to after the
    issue, through the ORM: methods, findings' evidence, conclusions, actions."""
    Method.objects.filter(hypothesis__review=review).update(text="CHANGED METHOD")
    Finding.objects.filter(hypothesis__review=review).update(evidence="CHANGED EVIDENCE")
    HypothesisReport.objects.filter(hypothesis__review=review).update(
        conclusions="CHANGED CONCLUSIONS"
    )
    AgreedAction.objects.filter(review=review).update(commentary="CHANGED COMMENTARY")


def _prints_what_was_issued(pdf):
    text = " ".join(pdf_text(bytes(pdf.content)).split())
    for issued in ISSUED:
        assert issued in text
    assert "CHANGED" not in text


def test_the_final_pdf_prints_the_records_as_issued_however_late_the_worker_runs(
    pctr, django_capture_on_commit_callbacks
):
    # R23: the HTML is rendered in the issue's own transaction and kept; the worker, later,
    # converts exactly that, whatever the notebook says by then.
    review, people = pctr
    letter = at_state(review, people, "shared")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letters.letter_issue(letter=letter, by=people["lead"])
    final = LetterPdf.objects.get(letter=letter, is_final=True)
    assert final.state == "pending"
    for issued in ISSUED:
        assert escape(issued) in final.html
    _change_the_records(review)
    for callback in callbacks:
        callback()  # the worker, after the records changed
    final.refresh_from_db()
    assert final.state == "ready", final.failure
    assert final.sha256 == hashlib.sha256(bytes(final.content)).hexdigest()
    _prints_what_was_issued(final)


def test_a_retry_of_the_final_pdf_prints_what_was_issued_not_the_days_records(
    pctr, monkeypatch, django_capture_on_commit_callbacks
):
    review, people = pctr

    def broken(html):
        raise OSError("no fonts")

    monkeypatch.setattr(letters, "html_to_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "final")
    final = LetterPdf.objects.get(letter=letter)
    assert final.state == "failed"
    kept = final.html
    _change_the_records(review)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        letters.letter_pdf_request(letter=letter, by=people["lead"])
    final.refresh_from_db()
    assert final.state == "ready", final.failure
    assert final.html == kept
    _prints_what_was_issued(final)


def test_a_final_pdf_issued_without_its_html_has_it_fixed_at_its_first_try(
    pctr, monkeypatch, django_capture_on_commit_callbacks
):
    # A final PDF still to be made from before the HTML was kept at the issue: its first
    # try fixes the HTML, and a retry prints that, not the records of the retry's day.
    review, people = pctr
    letter = at_state(review, people, "shared")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letters.letter_issue(letter=letter, by=people["lead"])
    final = LetterPdf.objects.get(letter=letter)
    LetterPdf.objects.filter(pk=final.pk).update(html="")

    def broken(html):
        raise OSError("no fonts")

    monkeypatch.setattr(letters, "html_to_pdf", broken)
    for callback in callbacks:
        callback()
    final.refresh_from_db()
    assert final.state == "failed"
    assert escape(ISSUED[1]) in final.html
    _change_the_records(review)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        letters.letter_pdf_request(letter=letter, by=people["lead"])
    final.refresh_from_db()
    _prints_what_was_issued(final)


def test_issuing_locks_the_review_row_before_the_letter(pctr, monkeypatch):
    # A notebook write takes the same lock, so it lands wholly before the issue (and is
    # printed) or after it (and is not): never half-way through the issue's render.
    review, people = pctr
    letter = at_state(review, people, "shared")
    locked = []
    select_for_update = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return select_for_update(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    letters.letter_issue(letter=letter, by=people["lead"])
    assert locked[0] is Review
    assert locked.count(Review) == 1


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
    # Kept by no cache, the browser's included (shared laptops).
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {
        "private",
        "no-store",
        "no-cache",
        "max-age=0",
    }
    assert response.content == bytes(LetterPdf.objects.get(pk=final.pk).content)
    [logged] = LetterPdfDownload.objects.all()
    assert (logged.pdf, logged.by) == (final, people["coordinator"])
    # The lead, the coordinator, and the host and the QA (who read the review's access
    # log, R35) see who downloaded it, and when; the rest of the team does not.
    for who in ("lead", "coordinator", "host_dcs", "host_ad", "qa"):
        client.force_login(people[who])
        page = client.get(reverse("reviews:letter", args=[review.pk])).content.decode()
        assert "Downloaded by Coral Ordinator on" in page, who
        assert final.sha256 in page
    for who in ("data", "member"):
        client.force_login(people[who])
        page = client.get(reverse("reviews:letter", args=[review.pk])).content.decode()
        assert "Downloaded by" not in page, who
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


def test_the_host_reads_only_the_draft_pdfs_asked_for_since_the_sharing(
    client, pctr, django_capture_on_commit_callbacks
):
    # R23, R29: a draft's PDF made while the letter was the team's own (with the QA, or
    # returned by the QA) may print wording the host was never to read. The host's DCS and
    # 2nd-tier lead see, list and download only those asked for at or after the sharing,
    # and the final one; the lead and the QA see every one.
    review, people = pctr
    lead, qa = people["lead"], people["qa"]
    letter = at_state(review, people, "draft")
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_services.letter_update(
            letter=letter,
            subject=letter.subject,
            body=letter.body + "\n\nTEAM-ONLY WORDING",
            variations="",
            revision=letter.revision,
            by=lead,
        )
        drafted = letters.letter_pdf_request(letter=letter, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_services.letter_send_to_qa(letter=letter, by=lead)
        with_qa = letters.letter_pdf_request(letter=letter, by=qa)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_services.letter_proofread(
            letter=letter, approve=False, comments="Cut the team-only words.", by=qa
        )
        returned = letters.letter_pdf_request(letter=letter, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_services.letter_update(
            letter=letter,
            subject=letter.subject,
            body=letter.body.replace("\n\nTEAM-ONLY WORDING", ""),
            variations="",
            revision=letter.revision,
            by=lead,
        )
        letter = letter_services.letter_send_to_qa(letter=letter, by=lead)
        letter = qa_approves(letter=letter, by=qa)
        approved = letters.letter_pdf_request(letter=letter, by=lead)
        letter = letter_services.letter_share(letter=letter, by=lead)
        shared = letters.letter_pdf_request(letter=letter, by=lead)
    team_only = [drafted, with_qa, returned, approved]
    for pdf in (*team_only, shared):
        pdf.refresh_from_db()
        assert pdf.state == "ready", pdf.failure
    for pdf in (drafted, with_qa, returned):
        assert "TEAM-ONLY WORDING" in pdf_text(bytes(pdf.content))
    assert "TEAM-ONLY WORDING" not in pdf_text(bytes(shared.content))

    page_url = reverse("reviews:letter", args=[review.pk])
    list_url = reverse("reviews:letter_pdfs", args=[review.pk])
    for who in ("host_dcs", "host_ad"):
        host = people[who]
        client.force_login(host)
        assert [p.pk for p in client.get(page_url).context["pdfs"]] == [shared.pk]
        assert [p.pk for p in client.get(list_url).context["pdfs"]] == [shared.pk]
        page = client.get(page_url).content.decode()
        for pdf in team_only:
            assert f'id="pdf-{pdf.pk}"' not in page
            assert not letters.letter_pdf_may_download(pdf=pdf, by=host)
            assert _download(client, host, review, pdf).status_code == 404
            with pytest.raises(PermissionDenied):
                letters.letter_pdf_download(pdf=pdf, by=host)
        assert _download(client, host, review, shared).status_code == 200
    for who in ("lead", "qa"):
        client.force_login(people[who])
        listed = [p.pk for p in client.get(page_url).context["pdfs"]]
        assert listed == [shared.pk, approved.pk, returned.pk, with_qa.pk, drafted.pk]
        for pdf in (*team_only, shared):
            assert _download(client, people[who], review, pdf).status_code == 200
    assert not LetterPdfDownload.objects.filter(
        pdf__in=team_only, by__in=[people["host_dcs"], people["host_ad"]]
    ).exists()

    # Once final: the final PDF and the drafts since the sharing.
    with django_capture_on_commit_callbacks(execute=True):
        letters.letter_issue(letter=letter, by=lead)
    final = LetterPdf.objects.get(letter=letter, is_final=True)
    client.force_login(people["host_dcs"])
    assert [p.pk for p in client.get(page_url).context["pdfs"]] == [final.pk, shared.pk]
    assert _download(client, people["host_dcs"], review, drafted).status_code == 404


def test_a_pdf_of_the_draft_as_it_stands_is_asked_of_the_worker_once(
    pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    lead, qa = people["lead"], people["qa"]
    letter = at_state(review, people, "draft")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = letters.letter_pdf_request(letter=letter, by=lead)
        # Being made: asked again, by anyone who may read it, it is the same one.
        assert letters.letter_pdf_request(letter=letter, by=lead).pk == first.pk
        assert letters.letter_pdf_request(letter=letter, by=qa).pk == first.pk
    assert len(callbacks) == 1
    callbacks[0]()
    # Made, and the draft has not changed since it was asked for: the same one again.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = letters.letter_pdf_request(letter=letter, by=qa)
    assert (again.pk, again.state, callbacks) == (first.pk, "ready", [])
    # A change of the text makes a new one.
    letter = letter_services.letter_update(
        letter=letter,
        subject=letter.subject,
        body=letter.body + "\n\nOne more paragraph.",
        variations="",
        revision=letter.revision,
        by=lead,
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = letters.letter_pdf_request(letter=letter, by=lead)
    assert second.pk != first.pk
    assert second.letter_revision == 2
    # So does a change of state alone: the PDF prints where the letter is.
    letter = letter_services.letter_send_to_qa(letter=letter, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        third = letters.letter_pdf_request(letter=letter, by=qa)
    assert third.pk not in (first.pk, second.pk)
    # One that could not be made is not handed out again: a new one is asked for.
    LetterPdf.objects.filter(pk=third.pk).update(state="failed", failure="OSError: x")
    with django_capture_on_commit_callbacks(execute=True):
        fourth = letters.letter_pdf_request(letter=letter, by=qa)
    assert fourth.pk not in (first.pk, second.pk, third.pk)
    assert LetterPdf.objects.count() == 4


def test_the_host_is_never_handed_a_pdf_asked_for_before_the_sharing(
    pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    letter = at_state(review, people, "approved")
    with django_capture_on_commit_callbacks(execute=False):
        early = letters.letter_pdf_request(letter=letter, by=people["lead"])
    letter = letter_services.letter_share(letter=letter, by=people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        theirs = letters.letter_pdf_request(letter=letter, by=people["host_dcs"])
        assert letters.letter_pdf_request(letter=letter, by=people["host_ad"]).pk == theirs.pk
    assert theirs.pk != early.pk
    assert letters.letter_pdf_may_download(
        pdf=LetterPdf.objects.get(pk=theirs.pk), by=people["host_dcs"]
    )


def test_asking_again_on_the_page_points_to_the_pdf_already_made(
    client, pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    at_state(review, people, "draft")
    client.force_login(people["lead"])
    url = reverse("reviews:letter", args=[review.pk])
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(url, {"action": "pdf"}, follow=True).content.decode()
    assert "The PDF is being made" in made
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"action": "pdf"}, follow=True).content.decode()
    assert "The draft has not changed since its last PDF was made" in again
    assert "Download the draft of revision 1" in again
    assert LetterPdf.objects.count() == 1


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
