"""Self-awareness and agreed actions followed up, in a real browser (R38, R39): the lead
records the team's view of the areas at the verbal feedback; once the letter is final,
the host's DCS reports progress on its agreed action in their next self-assessment and
sees their self-ratings beside the team's view. Every page is checked with axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.intelligence.models import ActionProgress
from reviews.letter.models import Letter, LetterState
from reviews.workbook.models import TeamAreaView
from reviews.workbook.services import verbal_feedback as feedback
from tests.browser.test_accreditation_journey import sign_in
from tests.reviews.workbook.test_notebook import letter_at
from tests.reviews.workbook.test_notebook import visit as visit  # a fixture
from tests.reviews.workbook.test_team_views import submitted

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TODAY = datetime.date(2026, 11, 27)


def test_the_team_view_and_the_follow_up_reach_the_host(
    page, live_server, visit, on_day, assert_accessible
):
    on_day(TODAY)
    review, people = visit("pctr")
    # Rutland rated itself in 2025, before the visit.
    submitted(
        review,
        people["host_dcs"],
        2025,
        {"practice": 4, "leadership": 2},
        at=timezone.now() - datetime.timedelta(days=300),
    )

    # The lead records the team's view at the verbal feedback.
    sign_in(page, live_server, people["lead"].email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/verbal-feedback/")
    expect(page.locator("#team-views-none")).to_be_visible()
    form = page.locator("#team-views-form")
    form.get_by_role("group", name="Service delivery and effective practice").get_by_label(
        "2: Adequate"
    ).check()
    form.get_by_role("group", name="Vision, strategy and leadership").get_by_label(
        "3: Good"
    ).check()
    assert_accessible(page)
    form.get_by_role("button", name="Save the team's view").click()
    expect(page.get_by_text("The team's view of the areas is saved.")).to_be_visible()
    rows = page.locator("#team-views-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("4: Outstanding")
    expect(rows.nth(1)).to_contain_text("2: Adequate")
    assert_accessible(page)
    assert dict(TeamAreaView.objects.values_list("area", "rating")) == {
        "practice": 2,
        "leadership": 3,
    }

    # The host agreed an action; the letter was issued an hour ago.
    feedback.agreed_actions_save(
        review=review,
        actions=[{"text": "Give the front door one threshold.", "host_agrees": True}],
        revision=0,
        by=people["lead"],
    )
    letter_at(review, people, LetterState.FINAL)
    Letter.objects.filter(review=review).update(
        issued_at=timezone.now() - datetime.timedelta(hours=1)
    )

    # The DCS starts this year's self-assessment and reports on the action in it.
    sign_in(page, live_server, people["host_dcs"].email)
    page.goto(f"{live_server.url}/reviews/self-assessment/")
    page.get_by_role("button", name="Start").first.click()
    section = page.locator("#actions-followed-up")
    expect(section).to_contain_text("Give the front door one threshold.")
    expect(section).to_contain_text("No progress has been reported.")
    assert_accessible(page)
    section.get_by_role("link", name="Report progress on the actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Actions agreed at earlier reviews of Rutland"
    )
    page.get_by_label("Commentary on action 1").fill("Two of the three teams use it.")
    page.get_by_role("button", name="Save the report on action 1").click()
    # Forgot to say how far it got: told at the field, the commentary kept.
    expect(page.get_by_role("link", name="Say whether the action is done")).to_be_visible()
    expect(page.get_by_label("Commentary on action 1")).to_have_value(
        "Two of the three teams use it."
    )
    assert_accessible(page)
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save the report on action 1").click()
    expect(page.get_by_text("Your report on action 1 is saved.")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Two of the three teams use it.")
    assert_accessible(page)
    assert list(ActionProgress.objects.values_list("status", "commentary")) == [
        ("in_progress", "Two of the three teams use it.")
    ]

    # Back in the self-assessment, the way to the self-ratings beside the team's view.
    page.get_by_role("link", name="The self-assessment for 2026").click()
    page.get_by_role("link", name="Self-ratings beside the review teams' views").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Self-ratings beside the review teams' views"
    )
    table = page.locator("table")
    expect(table).to_contain_text("Service delivery and effective practice")
    expect(table).to_contain_text("Rated itself 2 higher")
    expect(table).to_contain_text("Rated itself 1 lower")
    assert_accessible(page)
