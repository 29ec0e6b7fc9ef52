"""PDFs of review records (R23, R25): HTML from a project template, rendered by
WeasyPrint in the worker and stored with its SHA-256 (``emslirp.models.StoredPdf``).

The renderer fetches nothing but the project's own static files. What a reviewer typed
reaches the HTML escaped, so ``<img src="file:///etc/passwd">`` in a note is printed as
those characters; and should markup ever reach the renderer, ``ProjectStaticFetcher``
refuses every URL that is not one of the project's static files: no ``file:``, no
``http(s):``, no ``data:``.
"""

import hashlib
import logging
import mimetypes
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template import loader
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The stylesheet every PDF is laid out with, read from the source tree by the static
# finders: not through ``{% static %}``, whose production storage names files by their hash
# in a manifest that the worker need not have.
STYLESHEET = "emslirp/pdf.css"

# The address the templates' static URLs are resolved against. It names no real host:
# the fetcher answers it from the static files on disk and never opens a connection.
BASE_URL = "https://pdf.emslirp.invalid/"


class FetchRefused(ValueError):
    """A URL the renderer may not fetch. WeasyPrint logs it and leaves the resource out."""


class ProjectStaticFetcher(URLFetcher):
    """Serves ``BASE_URL`` + ``STATIC_URL`` + path from the static files; refuses the rest.
    ``refused`` lists every URL refused, for the log and the tests."""

    def __init__(self):
        super().__init__(allowed_protocols=())
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if url.startswith(prefix):
            relative = url[len(prefix) :].split("?")[0].split("#")[0]
            try:
                found = finders.find(relative) if ".." not in Path(relative).parts else None
            except SuspiciousFileOperation:  # an absolute path smuggled in after the prefix
                found = None
            if found:
                self.served.append(url)
                kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, body=Path(found).read_bytes(), headers={"Content-Type": kind}
                )
        self.refused.append(url)
        logger.warning("PDF renderer refused to fetch %s", url[:200])
        raise FetchRefused(f"not one of the project's static files: {url[:200]}")


def html_to_pdf(html: str, *, fetcher: ProjectStaticFetcher | None = None) -> bytes:
    """The PDF of ``html`` laid out with ``STYLESHEET``; its relative URLs resolve against
    ``BASE_URL`` and are fetched only by ``ProjectStaticFetcher``."""
    fetcher = fetcher or ProjectStaticFetcher()
    stylesheet = CSS(string=Path(finders.find(STYLESHEET)).read_text(encoding="utf-8"))
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet]
    )


def template_to_pdf(template: str, context: dict) -> tuple[bytes, str, float]:
    """Render ``template`` to a PDF: its bytes, their SHA-256 (hex) and the seconds it took.
    Called from Celery tasks only; a request never renders a PDF."""
    started = time.perf_counter()
    html = loader.render_to_string(template, {**context, "service_name": settings.SERVICE_NAME})
    content = html_to_pdf(html)
    return content, hashlib.sha256(content).hexdigest(), time.perf_counter() - started


def pdf_attachment(content: bytes, *, filename: str) -> HttpResponse:
    """A stored PDF as a download: an attachment, never shown inline, never cached by the
    browser or anything between (R29). The caller has checked the right and logged it."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    return response
