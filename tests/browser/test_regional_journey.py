"""The regional picture in a real browser (R28): the coordinator opens it from the home
page, switches year, downloads a chart's Excel workbook, asks for the report and
downloads its PDF; a DCS opens it and sees their own LA and the region's aggregates only.
axe-core checks the page each time."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from emslirp.models import LocalAuthority, PostKind
from tests.browser.test_accreditation_journey import sign_in
from tests.factories import PostFactory, UserFactory
from tests.reviews.intelligence import test_regional as regional

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

data, world = regional.data, regional.world


@pytest.fixture
def people(east_midlands):
    coordinator = UserFactory(
        email="coordinator@sdsa.example.org",
        full_name="Coral Ordinator",
        is_staff=True,
        region=east_midlands,
    )
    PostFactory(holder=coordinator, coordinator=True, region=east_midlands)
    dcs = UserFactory(email="dcs@rutland.example.org", full_name="Dana Director")
    PostFactory(
        holder=dcs,
        kind=PostKind.DCS,
        local_authority=LocalAuthority.objects.get(region=east_midlands, name=regional.OWN),
    )
    return {"coordinator": coordinator, "dcs": dcs}


def test_the_coordinator_and_a_dcs_read_the_regional_picture(
    page, live_server, east_midlands, people, world, data, assert_accessible
):
    data.self_assessment("Rutland", 2024, [1] * 9)
    sign_in(page, live_server, "coordinator@sdsa.example.org")
    page.get_by_role("link", name="The regional picture of East Midlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The regional picture")
    expect(page.locator("#table-ratings")).to_contain_text("Derby City")
    assert_accessible(page)

    page.get_by_label("Year of the self-assessment ratings").select_option("2024")
    page.get_by_role("button", name="Show this year").click()
    expect(
        page.get_by_role("heading", name="Self-assessment ratings by area, 2024")
    ).to_be_visible()
    expect(page.locator("#table-ratings tbody tr")).to_have_count(2)  # Rutland, the mean
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel of self-assessment ratings by area, 2024").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert [row[0] for row in book.active.iter_rows(values_only=True)][:3] == [
        "Local authority",
        "Rutland",
        "Region mean",
    ]

    page.get_by_role("button", name="Make a report with the ratings of 2024").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report with the ratings of 2024").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    assert_accessible(page)

    sign_in(page, live_server, "dcs@rutland.example.org")
    page.get_by_role("link", name="The regional picture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The regional picture")
    expect(page.locator("#table-ratings")).to_contain_text("Rutland")
    expect(page.locator("#table-ratings")).to_contain_text("Region mean")
    text = page.locator("main").inner_text()
    for name in regional.others(east_midlands):
        assert name not in text
    # The coordinator's report is not theirs to see.
    expect(page.locator("#reports")).to_contain_text("No report has been made yet.")
    assert_accessible(page)
