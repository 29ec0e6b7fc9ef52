"""The PDF renderer (R23, R25): laid out with the project's stylesheet however static files
are stored, and fetching nothing but the project's static files."""

import subprocess

import pytest
from django.test import override_settings

from emslirp.pdf import BASE_URL, FetchRefused, ProjectStaticFetcher, html_to_pdf

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def _text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


@override_settings(DEBUG=False, STORAGES=PRODUCTION_STORAGES)
def test_the_stylesheet_applies_without_a_static_files_manifest():
    # The worker in production has no staticfiles.json: the stylesheet must not depend on
    # it. Its page rules print the marking and "Page 1 of 1" in the footer.
    content = html_to_pdf('<p class="marking">Official</p><h1>Letter</h1>')
    assert _text(content).endswith("Official Page 1 of 1")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/logo.png",
        "data:image/png;base64,iVBORw0KGgo=",
        f"{BASE_URL}static/../../emslirp/settings.py",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}media/private.pdf",
    ],
)
def test_the_fetcher_refuses_anything_but_the_projects_static_files(url):
    fetcher = ProjectStaticFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_a_static_file():
    fetcher = ProjectStaticFetcher()
    response = fetcher.fetch(f"{BASE_URL}static/emslirp/pdf.css")
    assert response.read().startswith(b"/* The printed record")
    assert fetcher.served == [f"{BASE_URL}static/emslirp/pdf.css"]


def test_the_renderer_fetches_through_the_project_fetcher_only():
    # Were WeasyPrint's own fetcher used, it would read the file and the URL.
    fetcher = ProjectStaticFetcher()
    html_to_pdf(
        '<img src="file:///etc/passwd"><img src="http://example.com/x.png">', fetcher=fetcher
    )
    assert fetcher.refused == ["file:///etc/passwd", "http://example.com/x.png"]
