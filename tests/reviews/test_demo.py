"""The demo's teams: the next PCTR of the current cycle has its whole team, placed
through the services, each member holding their grant on the review (R14, R29).

These tests run on the suite's day, not the reviews' fixed one: the demo is laid out from
the day it is loaded, and must mean the same on any day."""

import hashlib
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from emslirp.demo import DemoDays, quarter_start
from emslirp.object_permissions import object_grantees
from reviews.letter.models import LetterPdf
from reviews.reflections.selectors import reflecting_team
from reviews.review.models import Review, TeamMember, TeamRole
from reviews.workbook.models import ConferenceCall
from safeguarding.models import CriticalIncident


@pytest.fixture(autouse=True)
def _today():
    """Overrides the reviews' fixed day (tests/reviews/conftest.py): the suite's day."""


def test_the_demo_forms_the_next_pctrs_team(east_midlands, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()
    cycle_from = DemoDays(today).cycle_from

    def quarter(n):
        return quarter_start(cycle_from, shift=n)

    review = (
        Review.objects.filter(kind="pctr", starts_on__gt=today).order_by("starts_on", "host__name")
    ).first()
    team = list(TeamMember.objects.filter(review=review))
    assert sorted(m.role for m in team) == sorted(
        [TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.QA] + [TeamRole.MEMBER] * 4
    )
    assert {m.person for m in team} == set(object_grantees(perm="reviews.view_review", obj=review))
    lead = next(m for m in team if m.role == TeamRole.LEAD)
    assert lead.local_authority == review.lead_local_authority
    assert next(m for m in team if m.role == TeamRole.DATA_SPECIALIST).local_authority == (
        lead.local_authority
    )
    members = [m.local_authority_id for m in team if m.role == TeamRole.MEMBER]
    assert len(set(members)) == 4
    assert review.host_id not in {m.local_authority_id for m in team}
    assert review.starts_on == quarter_start(today, shift=1) == quarter(4)

    # Its desk analysis: the host parked one the lead proposed to investigate, and the
    # lead's disagreement is kept; no e-mail went out for demo records.
    assert [(h.number, h.proposal, h.decision) for h in review.hypotheses.all()] == [
        (1, "investigate", "investigate"),
        (2, "investigate", "investigate"),
        (3, "investigate", "park"),
        (4, "park", "park"),
    ]
    assert review.hypotheses.get(number=3).disagreement.startswith("The data on pathway plans")
    # Through the services, the reviews reached each state before and around the visit:
    # a PCTR and a SAV agreed (the SAV at its conference call), a PCTR preparing, one over
    # (its visit started and ended by its lead), the rest planned.
    # (The years before the cycle are the demo's history: tests/reviews/test_demo_history.py.)
    led = Review.objects.filter(
        team__role=TeamRole.LEAD, kind="pctr", starts_on__gte=cycle_from
    ).order_by("starts_on")
    assert [(r.kind, r.starts_on, r.state) for r in led] == [
        ("pctr", quarter(0), "after_visit"),
        ("pctr", quarter(1), "after_visit"),
        ("pctr", quarter(2), "after_visit"),
        ("pctr", quarter(4), "agreed"),
        ("pctr", quarter(6), "preparing"),
    ]
    # The first coming SAV whose lead LA has an accredited lead AD.
    sav = Review.objects.get(team__role=TeamRole.LEAD, kind="sav", starts_on__gte=cycle_from)
    assert (sav.state, sav.starts_on > today) == ("agreed", True)
    assert ConferenceCall.objects.get(review__starts_on__gte=cycle_from).review == sav
    assert set(Review.objects.filter(team__isnull=True).values_list("state", flat=True)) == {
        "planned"
    }
    # After the visit (R21–R27): the latest has its final letter, rendered by the worker
    # and kept with its digest; the one before, every reflection in; the first, a
    # critical incident the host has yet to answer.
    final = LetterPdf.objects.get(
        is_final=True, state="ready", letter__review__starts_on__gte=cycle_from
    )
    assert final.letter.review.starts_on == quarter(2)
    assert final.letter.state == "final"
    assert final.sha256 == hashlib.sha256(bytes(final.content)).hexdigest()
    assert [a.text for a in final.letter.review.agreed_actions.filter(findings__isnull=True)] == [
        "Refresh the early help offer with schools."
    ]
    reflected = Review.objects.get(kind="pctr", starts_on=quarter(1))
    assert (
        reflected.reflections.count()
        == reflected.reflections.exclude(submitted_at=None).count()
        == len(reflecting_team(reflected)) + 1
    )  # and the host DCS
    incident = CriticalIncident.objects.get()
    assert incident.review.starts_on == quarter(0)
    assert (incident.raised_with_host_at is not None, incident.host_action) == (True, "")
    assert not incident.is_frozen
    # The demo's people are fictional: nobody was e-mailed of any of it.
    assert mail.outbox == []

    places = TeamMember.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    assert TeamMember.objects.count() == places


def test_every_review_the_demo_has_visited_had_its_data_specialist(
    east_midlands, django_capture_on_commit_callbacks
):
    # R14, R15: the visit does not start with the place open; the demo's LAs each have an
    # accredited data specialist for the reviews they lead.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    visited = Review.objects.filter(state__in=["on_site", "after_visit"])
    assert visited.exists()
    for review in visited:
        assert set(review.team.values_list("role", flat=True)) >= {
            TeamRole.LEAD,
            TeamRole.DATA_SPECIALIST,
            TeamRole.QA,
        }, review


def test_the_demo_dates_a_visited_reviews_history_on_its_own_days(
    east_midlands, django_capture_on_commit_callbacks
):
    """R33: the history says when each change happened; the demo's past visits did not
    start on the day the demo was loaded."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    visited = Review.objects.filter(state="after_visit", onsite_from__isnull=False)
    assert visited.exists()
    for review in visited:
        days = {c.after: timezone.localtime(c.at).date() for c in review.state_changes.all()}
        assert days["on_site"] == review.onsite_from, review
        assert days["after_visit"] == review.onsite_to, review
        assert days["preparing"] < days["agreed"] < days["on_site"], review
        decided = {timezone.localtime(h.decided_at).date() for h in review.hypotheses.all()}
        assert decided == {days["agreed"]}, review
