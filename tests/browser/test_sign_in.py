"""Signing in, in a real browser: a director reaches their home page (R3).

Each page on the way is checked with axe-core against WCAG 2.2 AA and axe's best practices.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from emslirp import services
from emslirp.models import PostKind
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FULL_NAME = "Dana Whitcombe"
EMAIL = "dana.whitcombe@example.org"


@pytest.fixture
def derby_dcs(la):
    """The Director of Children's Services of Derby City since April 2024."""
    person = UserFactory(full_name=FULL_NAME, email=EMAIL)
    services.post_assign(
        holder=person,
        kind=PostKind.DCS,
        local_authority=la("Derby City"),
        started_on=datetime.date(2020, 4, 1),
    )
    return person


@pytest.fixture
def sign_in_page(page, live_server, assert_accessible):
    page.goto(f"{live_server.url}/sign-in/")
    expect(page).to_have_title(re.compile(r"^Sign in – "))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    return page


def test_director_signs_in_with_their_address_in_capitals_and_sees_their_home_page(
    sign_in_page, live_server, derby_dcs, assert_accessible
):
    page = sign_in_page
    assert_accessible(page)

    page.get_by_label("E-mail address", exact=True).fill(EMAIL.upper())
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page).to_have_title(re.compile(r"^Home – "))
    expect(page.get_by_role("heading", level=1)).to_have_text(FULL_NAME)
    expect(page.get_by_role("heading", name="What needs you", level=2)).to_be_visible()
    dcs_row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Director of Children's Services", exact=True)
    )
    expect(dcs_row).to_have_count(1)
    expect(dcs_row.get_by_role("cell").first).to_have_text("Derby City")
    assert_accessible(page)


def test_wrong_password_shows_the_problem_and_keeps_the_address_typed(
    sign_in_page, derby_dcs, assert_accessible
):
    page = sign_in_page
    typed = EMAIL.upper()

    page.get_by_label("E-mail address", exact=True).fill(typed)
    page.get_by_label("Password", exact=True).fill("not-" + TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page).to_have_title(re.compile(r"^Error: Sign in – "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text("Enter the e-mail address and password of your account.")
    expect(page.get_by_label("E-mail address", exact=True)).to_have_value(typed)
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    assert_accessible(page)
