"""Fixtures for the browser tests: the system Chromium driven by Playwright, and axe-core.

Nothing is downloaded: Playwright drives Debian's ``/usr/bin/chromium`` and axe-core comes
from ``node_modules`` (``make install``). A browser test module marks its tests::

    pytestmark = [
        pytest.mark.browser,
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
    ]

and asks for ``live_server`` (pytest-django's, which serves the built CSS and JS in
``var/assets`` through the staticfiles finders) and ``page``. ``serialized_rollback``
matters: a transactional test ends by emptying every table, and without it the next test
would find no East Midlands and none of its LAs, which only the seed migration creates.
"""

import os
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
# A load cancelled because the page moved on (a form sent, a link followed) before it
# finished. On a suite day in the past, the server's dated responses are stale at once
# to Chromium's cache, which keeps the real clock, so scripts are fetched afresh on every
# page and a quick journey cancels some; a script that failed to load for any other reason
# still counts, and one the page needed fails the journey's own steps.
ABORTED_BY_NAVIGATION = "net::ERR_ABORTED"
# Generous for a page served by the test process itself, short enough to fail fast.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[Browser]:
    """One headless system Chromium for the whole run.

    While Playwright's sync API runs, its asyncio loop is the *running* loop of the main
    thread (it lives in a greenlet of that thread). That has two effects on Django, both
    handled here for as long as Playwright runs, and undone afterwards:

    - Django takes every ORM call of the test for one made from async code and raises
      SynchronousOnlyOperation. The test code is plain synchronous code that merely waits
      on the browser, so DJANGO_ALLOW_ASYNC_UNSAFE is set.
    - Django keeps its connections in an ``asgiref.local.Local``, which in a thread with
      a running loop is a separate, context-local store: the ORM gets a second set of
      connection objects. The test database is therefore set up first (``django_db_setup``)
      and the snapshot that ``serialized_rollback`` restores, which Django keeps on the
      first set, is handed to the second; without it every browser test after the first
      would find the seeded tables empty. The second set is closed before Playwright
      stops, so that no connection outlives the test database.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests drive the system Chromium at {CHROMIUM}, which is missing. "
            "Install it with `apt-get install chromium` (Playwright's own browser downloads "
            "are not used).",
            pytrace=False,
        )
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            for alias, snapshot in snapshots.items():
                connections[alias]._test_serialized_contents = snapshot
            try:
                chromium = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                try:
                    yield chromium
                finally:
                    chromium.close()
            finally:
                connections.close_all()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) and a page in it, closed after the test.

    The test fails if the page threw a JavaScript error or a stylesheet, script, image or
    font could not be loaded: an unstyled page would make the accessibility check
    meaningless.
    """
    context = browser.new_context(
        locale="en-GB",
        timezone_id=settings.TIME_ZONE,
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    context.on(
        "response",
        lambda r: (
            problems.append(f"HTTP {r.status} for {r.request.resource_type} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    context.on(
        "requestfailed",
        lambda r: (
            problems.append(f"{r.failure} for {r.resource_type} {r.url}")
            if r.failure != ABORTED_BY_NAVIGATION
            else None
        ),
    )
    tab = context.new_page()
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    tab.on("console", lambda message: policy_refusal(message, problems))
    try:
        yield tab
    finally:
        tab.close()
        context.close()
    if problems:
        pytest.fail("The browser ran into problems:\n" + "\n".join(problems), pytrace=False)


def policy_refusal(message, problems: list[str]) -> None:
    """Chromium reports what the Content-Security-Policy refused on the console: an inline
    script or style left in a template counts as a problem of the page."""
    if "Content Security Policy" in message.text:
        problems.append(f"Refused by the Content-Security-Policy: {message.text}")


@pytest.fixture(scope="session")
def axe_script() -> str:
    if not AXE_JS.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE_JS}). Run `make install` to install the npm packages.",
            pytrace=False,
        )
    return AXE_JS.read_text()


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    target {node['target']}: {node['html']}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible(axe_script: str) -> Callable[[Page], None]:
    """``assert_accessible(page)`` runs axe-core on the page as it is now and asserts that
    it finds no violation of WCAG 2.2 AA or of axe's best practices."""

    def check(page: Page) -> None:
        # Evaluated by the browser's tools, not added as a script element, which the
        # page's Content-Security-Policy (no inline script) rightly refuses.
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.evaluate(axe_script)
        results = page.evaluate(
            "options => axe.run(document, options)",
            {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        violations = results["violations"]
        assert violations == [], (
            f"axe-core found accessibility problems on {page.url}:\n{_describe(violations)}"
        )

    return check
