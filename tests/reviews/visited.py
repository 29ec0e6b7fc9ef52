"""A review whose visit is over, for the tests of what happens on site and after
(R21–R27): its team placed (``team_for``), its on-site days in the week before the
reviews' day (27 November 2026), its hypotheses drafted and agreed (two investigated,
each with a method), and its state "after the visit"."""

import datetime

from reviews.review import states
from reviews.review.models import ReviewKind, ReviewState
from reviews.workbook.models import Hypothesis
from reviews.workbook.services import deployment as services
from reviews.workbook.services import hypotheses
from tests.calendar_planner.people import review
from tests.reviews.workbook.test_hypotheses import DRAFTS, place_member, team_for

D = datetime.date
# Monday 16 November 2026: three PCTR days to the 18th, two SAV days to the 17th.
FIRST_DAY = D(2026, 11, 16)


def visited(region, coordinator, kind: str = ReviewKind.PCTR, *, state=ReviewState.AFTER_VISIT):
    """(review, people): ``people`` as ``team_for`` gives them (lead, qa, data, member,
    host_dcs, host_ad, host_data, uninvolved, coordinator). ``state`` may be ON_SITE for a
    visit still going on."""
    subject = review(region, kind, "Rutland", D(2026, 10, 1), "Derby City", "Lincolnshire")
    people = team_for(region, subject, coordinator, kind)
    hypotheses.hypotheses_save(review=subject, drafts=DRAFTS, by=people["lead"])
    subject = services.review_onsite_set(review=subject, first_day=FIRST_DAY, by=coordinator)
    # The services take decisions by hypothesis number.
    decisions = {1: "investigate", 2: "investigate", 3: "park", 4: "park"}
    if kind == ReviewKind.PCTR:
        hypotheses.hypotheses_decide(
            review=subject,
            decisions=decisions,
            by=people["host_dcs"],
        )
        # A PCTR's core members join once the hypotheses are agreed (R14).
        place_member(subject, people)
    else:
        hypotheses.conference_call_record(
            review=subject,
            held_on=FIRST_DAY - datetime.timedelta(days=3),
            attended_by=[people[r] for r in ("lead", "data", "member", "qa")],
            notes="Agreed the lines of enquiry.",
            decisions=decisions,
            by=people["lead"],
        )
    numbers = {h.number: h for h in Hypothesis.objects.filter(review=subject)}
    for n in (1, 2):
        hypotheses.methods_save(
            hypothesis=numbers[n],
            texts=[f"Audit of ten cases for hypothesis {n}."],
            by=people["lead"],
        )
    subject.refresh_from_db()
    for step in (ReviewState.ON_SITE, ReviewState.AFTER_VISIT):
        if subject.state == state:
            break
        subject = states.review_state_set(review=subject, state=step, by=people["lead"])
    subject.refresh_from_db()
    return subject, people
