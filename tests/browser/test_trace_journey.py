"""Every action traced, in a real browser (R40): the lead chooses the line of enquiry of
the host's self-assessment a hypothesis rests on; after the visit and the final letter,
the host's DCS follows an action from the letter to its trace, sees the chain from that
line of enquiry to the action, and, for another action, its broken link named. Each page
is checked with axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from reviews.review import states
from reviews.review.models import ReviewState
from reviews.workbook.models import Hypothesis
from reviews.workbook.services import deployment
from reviews.workbook.services import hypotheses as service
from tests.browser.test_accreditation_journey import sign_in
from tests.calendar_planner.people import review as planned_review
from tests.reviews.letter.test_letters import at_state, feedback_given
from tests.reviews.visited import FIRST_DAY
from tests.reviews.workbook.test_hypotheses import DRAFTS, place_member, team_for
from tests.reviews.workbook.test_hypothesis_sources import submitted

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
D = datetime.date
KLOE = "How well are thresholds understood by partners?"


def test_the_host_follows_an_action_back_to_the_line_of_enquiry(
    page, live_server, east_midlands, coordinator, on_day, assert_accessible
):
    on_day(D(2026, 11, 27))
    review = planned_review(
        east_midlands, "pctr", "Rutland", D(2026, 10, 1), "Derby City", "Lincolnshire"
    )
    people = team_for(east_midlands, review, coordinator, "pctr")
    submitted(review.host, 2026, people["host_dcs"])

    # The lead drafts the hypotheses, choosing what the first rests on.
    sign_in(page, live_server, people["lead"].email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/hypotheses/")
    assert_accessible(page)
    for n, draft in enumerate(DRAFTS, start=1):
        page.get_by_label(f"Hypothesis {n}", exact=True).fill(draft["text"])
        page.get_by_role("group", name=f"Proposal for hypothesis {n}").get_by_label(
            draft["proposal"].capitalize()
        ).check()
    page.get_by_label("What hypothesis 1 rests on in the self-assessment").select_option(
        label=f"Key line of enquiry 1: {KLOE}"
    )
    page.get_by_role("button", name="Save the hypotheses").click()
    expect(page.get_by_text("4 hypotheses saved.")).to_be_visible()
    expect(page.get_by_label("What hypothesis 1 rests on in the self-assessment")).to_have_value(
        "kloe-1"
    )
    first = Hypothesis.objects.get(review=review, number=1)
    assert (first.source_kind, first.source_number, first.source_text) == ("kloe", 1, KLOE)

    # The host decides, the team visits, the feedback is given and the letter issued.
    review = deployment.review_onsite_set(review=review, first_day=FIRST_DAY, by=coordinator)
    service.hypotheses_decide(
        review=review,
        decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
        by=people["host_dcs"],
    )
    place_member(review, people)
    for h in Hypothesis.objects.filter(review=review, number__in=(1, 2)):
        service.methods_save(
            hypothesis=h,
            texts=[f"Audit of ten cases for hypothesis {h.number}."],
            by=people["lead"],
        )
    review.refresh_from_db()
    for step in (ReviewState.ON_SITE, ReviewState.AFTER_VISIT):
        review = states.review_state_set(review=review, state=step, by=people["lead"])
    feedback_given(review, people)
    at_state(review, people, "final")

    # The host's DCS follows action 1 from the final letter to its trace.
    sign_in(page, live_server, people["host_dcs"].email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/letter/")
    page.get_by_role("link", name="Trace action 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Where action 1 comes from, and what became of it"
    )
    chain = page.locator("#hypothesis-1")
    expect(chain.locator("#hypothesis-1-source")).to_contain_text(f"Key line of enquiry 1: {KLOE}")
    expect(chain).to_contain_text("Thresholds at the front door are applied inconsistently.")
    expect(chain.locator("#hypothesis-1-methods")).to_contain_text(
        "Audit of ten cases for hypothesis 1."
    )
    expect(chain).to_contain_text(
        "Twelve of twenty referrals audited were stepped down differently."
    )
    expect(page.locator("#host-agrees")).to_contain_text("Yes")
    expect(page.locator("#follow-up")).to_contain_text("No progress has been reported yet")
    expect(page.locator("#broken")).to_have_text("Every link in the chain is recorded.")
    assert_accessible(page)

    # Action 2 rests on no finding: the broken link is named, and leads to its place.
    page.get_by_role("link", name="The feedback letter").click()
    page.get_by_role("link", name="Trace action 2", exact=True).click()
    broken = page.locator("#broken")
    expect(broken).to_contain_text("Broken links in the chain")
    expect(broken.get_by_role("link")).to_have_text(["Action 2 rests on no finding of the review."])
    expect(page.locator("#action")).to_contain_text(
        "Give agency social workers the same supervision as permanent staff."
    )
    assert_accessible(page)
