"""The region's themes in a real browser (R28): the coordinator opens the themes page from
the list of reviews, adds a theme (a name the region has, whatever its case, refused at
the field with what was typed kept), then tags a final letter's finding with the theme
suggested beside it, saves, and finds it kept. Each page is checked with axe-core."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from reviews.intelligence.models import Theme, ThemeTag
from reviews.workbook.models import Finding
from tests.browser.test_accreditation_journey import sign_in
from tests.browser.test_admin_journey import (  # noqa: F401 (an autouse fixture: axe reads admin CSS)
    forms_css_with_its_import_inlined,
)
from tests.reviews.letter.test_letters import at_state, feedback_given
from tests.reviews.visited import visited

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_coordinator_keeps_the_themes_and_tags_a_final_letter(
    page, live_server, east_midlands, coordinator, on_day, assert_accessible
):
    on_day(datetime.date(2026, 11, 27))
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people)
    at_state(review, people, "final")

    sign_in(page, live_server, coordinator.email)
    page.goto(f"{live_server.url}/reviews/")
    page.get_by_role("link", name="The region's themes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes")
    expect(page.locator("#active-themes")).to_contain_text("Workforce and caseloads")
    assert_accessible(page)

    # A name the region has, in other letters: refused at the field, nothing typed lost.
    page.get_by_role("button", name="Add a theme").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a theme")
    assert_accessible(page)
    page.get_by_label("Name").fill("NEGLECT")
    page.get_by_label("Words that suggest it").fill("youth offending custody")
    page.get_by_role("button", name="Add the theme").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a theme"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("East Midlands already has a theme called “Neglect”")
    expect(page.locator(".govuk-form-group--error .govuk-error-message")).to_have_text(
        "Error: East Midlands already has a theme called “Neglect”: give this one another name."
    )
    expect(page.get_by_label("Words that suggest it")).to_have_value("youth offending custody")
    assert_accessible(page)
    page.get_by_label("Name").fill("Youth justice")
    page.get_by_role("button", name="Add the theme").click()
    expect(page.get_by_text("“Youth justice” is added to the region's themes.")).to_be_visible()
    expect(page.locator("#active-themes")).to_contain_text("Youth justice")
    assert Theme.objects.filter(region=east_midlands, name="Youth justice").count() == 1

    # The final letter's page leads the coordinator to its tagging.
    page.goto(f"{live_server.url}/reviews/{review.pk}/letter/")
    page.get_by_role("link", name="Tag the letter's findings and priority actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes of the letter")
    assert_accessible(page)
    finding = Finding.objects.get(hypothesis__review=review, text__startswith="Managers believe")
    workforce = Theme.objects.get(region=east_midlands, name="Workforce and caseloads")
    item = page.get_by_role("group", name="Hypothesis 1, finding 2")
    expect(item).to_contain_text("Managers believe agency staff are supervised less often.")
    box = item.get_by_label("Workforce and caseloads")
    hint = page.locator(f"#finding-{finding.pk}-{workforce.pk}-hint")
    expect(hint).to_contain_text("Suggested")
    expect(hint).to_contain_text("words: agency, staff")
    expect(box).not_to_be_checked()
    box.check()
    page.get_by_role("button", name="Save the themes").click()
    expect(page.get_by_text("The themes are saved.")).to_be_visible()
    expect(
        page.get_by_role("group", name="Hypothesis 1, finding 2").get_by_label(
            "Workforce and caseloads"
        )
    ).to_be_checked()
    assert_accessible(page)
    tags = ThemeTag.objects.filter(review=review)
    assert [(t.finding_id, t.theme_id, t.tagged_by_id) for t in tags] == [
        (finding.pk, workforce.pk, coordinator.pk)
    ]

    # The same themes in the admin, to the same standard.
    page.goto(f"{live_server.url}/admin/reviews/theme/")
    expect(page.locator("#result_list")).to_contain_text("Youth justice")
    assert_accessible(page)
    page.goto(f"{live_server.url}/admin/reviews/theme/{workforce.pk}/change/")
    expect(page.get_by_label("Name:")).to_have_value("Workforce and caseloads")
    assert_accessible(page)
