"""Safe by default: a Content-Security-Policy with no inline script or style on every
response, and nothing a signed-in person is shown kept by the browser's cache (shared
laptops, safeguarding material)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def directives(response) -> set[str]:
    return {d.strip() for d in response["Content-Security-Policy"].split(";")}


@pytest.mark.parametrize("path", ["/sign-in/", "/", "/no-such-page/", "/admin/login/"])
def test_every_response_carries_the_policy(client, path):
    client.force_login(UserFactory())
    assert directives(client.get(path)) == POLICY


def test_the_policy_is_the_same_signed_out(client):
    assert directives(client.get(reverse("login"))) == POLICY


def test_a_signed_in_page_is_never_stored(client):
    client.force_login(UserFactory())
    cache = client.get(reverse("home"))["Cache-Control"]
    assert set(cache.replace(" ", "").split(",")) == {
        "max-age=0",
        "no-cache",
        "no-store",
        "private",
    }


def test_a_refused_page_for_a_signed_in_person_is_not_stored_either(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accreditation:pool"))
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]


def test_no_template_has_an_inline_script_style_or_handler():
    # E-mail templates are not served to a browser; their inline styles are for mail readers.
    found = []
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        if "email" in path.name or "email" in path.parent.name:
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            found.append(f"{path.name}: inline script")
        if re.search(r'\sstyle="', text) or "<style" in text:
            found.append(f"{path.name}: inline style")
        if re.search(r"\son[a-z]+=\"|\shx-on", text):
            found.append(f"{path.name}: inline handler")
    assert found == []
