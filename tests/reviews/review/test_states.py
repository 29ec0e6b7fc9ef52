"""A review's state changes through one function that checks the change and who makes it,
and records it (R33): naming the lead starts the preparation, the host's decision agrees
the hypotheses, the lead starts the visit on its first day and ends it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reviews.review import services as review_services
from reviews.review import states
from reviews.review.models import ReviewState, TeamMember, TeamRole
from reviews.workbook.services import deployment as services
from reviews.workbook.services import hypotheses
from tests.reviews.workbook.test_hypotheses import DRAFTS, pctr  # noqa: F401 (a fixture)

D = datetime.date
DECISIONS = {1: "investigate", 2: "investigate", 3: "park", 4: "park"}


def history(review):
    return [(c.before, c.after, c.by.full_name) for c in review.state_changes.all()]


def test_a_review_moves_through_its_states_and_each_change_is_kept(client, pctr, on_day):  # noqa: F811
    subject, people = pctr
    subject.refresh_from_db()
    assert subject.state == ReviewState.PREPARING  # the lead was named
    hypotheses.hypotheses_save(review=subject, drafts=DRAFTS, by=people["lead"])
    hypotheses.hypotheses_decide(review=subject, decisions=DECISIONS, by=people["host_dcs"])
    subject.refresh_from_db()
    assert subject.state == ReviewState.AGREED
    services.review_onsite_set(review=subject, first_day=D(2027, 2, 9), by=people["lead"])
    # Not before its first on-site day.
    with pytest.raises(ValidationError, match="starts on its first on-site day"):
        states.review_state_set(review=subject, state=ReviewState.ON_SITE, by=people["lead"])
    on_day(D(2027, 2, 9))
    client.force_login(people["lead"])
    page = client.get(reverse("reviews:review", args=[subject.pk])).content.decode()
    assert "Start the visit</button>" in page
    client.post(reverse("reviews:review_state", args=[subject.pk]), {"state": "on_site"})
    client.post(reverse("reviews:review_state", args=[subject.pk]), {"state": "after_visit"})
    subject.refresh_from_db()
    assert subject.state == ReviewState.AFTER_VISIT
    assert history(subject) == [
        ("planned", "preparing", "Coral Ordinator"),
        ("preparing", "agreed", "Hana Host"),
        ("agreed", "on_site", "Lee Lead"),
        ("on_site", "after_visit", "Lee Lead"),
    ]


@pytest.mark.parametrize("who", ["member", "qa", "host_dcs", "coordinator"])
def test_only_the_lead_starts_the_visit(pctr, who, on_day):  # noqa: F811
    subject, people = pctr
    hypotheses.hypotheses_save(review=subject, drafts=DRAFTS, by=people["lead"])
    hypotheses.hypotheses_decide(review=subject, decisions=DECISIONS, by=people["host_dcs"])
    services.review_onsite_set(review=subject, first_day=D(2027, 2, 9), by=people["lead"])
    on_day(D(2027, 2, 9))
    with pytest.raises(PermissionDenied):
        states.review_state_set(review=subject, state=ReviewState.ON_SITE, by=people[who])


def test_a_change_the_state_does_not_allow_is_refused(pctr):  # noqa: F811
    subject, people = pctr
    with pytest.raises(ValidationError, match="A review that is preparing cannot become on site"):
        states.review_state_set(review=subject, state=ReviewState.ON_SITE, by=people["lead"])
    # Nor may anyone make by hand a change that belongs to a stage's work.
    with pytest.raises(PermissionDenied):
        states.review_state_set(review=subject, state=ReviewState.AGREED, by=people["lead"])


def test_removing_the_lead_returns_the_review_to_planned(pctr, coordinator):  # noqa: F811
    subject, _ = pctr
    for role in (TeamRole.DATA_SPECIALIST, TeamRole.LEAD):
        review_services.team_remove(
            member=TeamMember.objects.get(review=subject, role=role), by=coordinator
        )
    subject.refresh_from_db()
    assert subject.state == ReviewState.PLANNED
