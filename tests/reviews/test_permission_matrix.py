"""The permission matrix of R29 and R30, from one table: for every role on a review (and
a user of an uninvolved LA, a host-LA user who is neither its DCS nor its 2nd-tier lead,
another region's coordinator and someone with no post), every page and action of a
review before the visit, for a PCTR and for a SAV, the expected answer.

A new page or action is a new column of ``EXPECTED``: a person left out of it fails the
test, so nobody can be forgotten."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Role
from reviews import hypotheses as service
from reviews.models import SelfAssessment, SelfAssessmentTemplate
from tests.calendar_planner.people import review
from tests.factories import UserFactory
from tests.reviews.test_hypotheses import DRAFTS, team_for
from tests.reviews.test_teams import accredited

D = datetime.date
TODAY = D(2026, 11, 27)

PEOPLE = [
    "coordinator",
    "lead",
    "qa",
    "data",
    "member",
    "host_dcs",
    "host_ad",
    "host_data",
    "uninvolved",
    "other_region_coordinator",
    "nobody",
]
# What each person gets, per kind of review: (see the review page, see its team,
# read the hypotheses, draft them, decide them, comment on them, place a team member,
# read the deployment grid, set the on-site days, read the host's submitted
# self-assessment).
# 200/302: allowed; 403: may see the review but not do this; 404: may not know of it.
Y, N = True, False
EXPECTED = {
    "pctr": {
        "coordinator": (Y, Y, 200, 403, 403, 403, 302, 200, 302, 200),
        "lead": (Y, Y, 200, 302, 403, 302, 302, 200, 302, 200),
        "qa": (Y, Y, 200, 403, 403, 302, 403, 200, 403, 200),
        "data": (Y, Y, 200, 302, 403, 302, 403, 200, 403, 200),
        "member": (Y, Y, 200, 403, 403, 403, 403, 200, 403, 200),
        "host_dcs": (Y, Y, 200, 403, 302, 302, 403, 404, 403, 200),
        "host_ad": (Y, Y, 200, 403, 302, 302, 403, 404, 403, 200),
        "host_data": (Y, Y, 404, 404, 404, 404, 403, 404, 403, 404),
        "uninvolved": (N, N, 404, 404, 404, 404, 404, 404, 404, 404),
        "other_region_coordinator": (N, N, 404, 404, 404, 404, 404, 404, 404, 404),
        "nobody": (N, N, 404, 404, 404, 404, 404, 404, 404, 404),
    },
    "sav": {
        "coordinator": (Y, Y, 200, 403, 403, 403, 302, 200, 302, 200),
        "lead": (Y, Y, 200, 302, 403, 302, 302, 200, 302, 200),
        "qa": (Y, Y, 200, 403, 403, 302, 403, 200, 403, 200),
        "data": (Y, Y, 200, 302, 403, 302, 403, 200, 403, 200),
        "member": (Y, Y, 200, 403, 403, 403, 403, 200, 403, 200),
        # Unannounced (R30): the host's DCS knows of the window, nothing more; the host's
        # staff read their own self-assessment, which says nothing of the visit.
        "host_dcs": (Y, N, 404, 404, 404, 404, 403, 404, 403, 200),
        "host_ad": (N, N, 404, 404, 404, 404, 404, 404, 404, 200),
        "host_data": (N, N, 404, 404, 404, 404, 404, 404, 404, 404),
        "uninvolved": (N, N, 404, 404, 404, 404, 404, 404, 404, 404),
        "other_region_coordinator": (N, N, 404, 404, 404, 404, 404, 404, 404, 404),
        "nobody": (N, N, 404, 404, 404, 404, 404, 404, 404, 404),
    },
}


MEMBER_ROLE = {"pctr": Role.PCTR_MEMBER, "sav": Role.SAV_MEMBER}


def test_the_table_covers_everyone():
    for kind, rows in EXPECTED.items():
        assert list(rows) == PEOPLE, kind


@pytest.mark.parametrize("kind", ["pctr", "sav"])
@pytest.mark.parametrize("who", PEOPLE)
def test_permission_matrix(client, east_midlands, coordinator, request, kind, who):
    start = D(2027, 1, 1) if kind == "pctr" else D(2027, 3, 1)
    subject = review(east_midlands, kind, "Rutland", start, "Derby City", "Lincolnshire")
    people = team_for(east_midlands, subject, coordinator, kind)
    people["other_region_coordinator"] = request.getfixturevalue("other_region_coordinator")
    people["nobody"] = UserFactory(region=east_midlands)
    service.hypotheses_save(review=subject, drafts=DRAFTS, by=people["lead"])
    sees, sees_team, read, draft, decide, comment, place, grid, onsite, sa = EXPECTED[kind][who]
    self_assessment = _submitted_self_assessment(subject.host, people["host_dcs"])
    client.force_login(people[who])

    page = client.get(reverse("reviews:review", args=[subject.pk]))
    assert page.status_code == (200 if sees else 404)
    if sees:
        assert ("Lee Lead" in page.content.decode()) is sees_team

    url = reverse("reviews:hypotheses", args=[subject.pk])
    assert client.get(url).status_code == read
    drafts = {"action": "draft", "1-text": "A new one.", "1-proposal": "park"}
    assert client.post(url, drafts).status_code == draft
    comments = {"action": "comment", "number": "1", "text": "Noted."}
    assert client.post(url, comments).status_code == comment
    # Deciding last: once decided, the drafts are fixed.
    decisions = {"action": "decide", **{f"{n}-decision": "investigate" for n in (1, 2)}}
    decisions.update({f"{n}-decision": "park" for n in (3, 4)})
    assert client.post(url, decisions).status_code == decide

    # A person the rules accept, so that only the right to place decides the answer.
    extra = accredited(east_midlands, "Nottinghamshire", MEMBER_ROLE[kind], name="Ext Ra")
    placing = reverse("reviews:review", args=[subject.pk])
    assert client.post(placing, {"role": "member", "person": extra.pk}).status_code == place

    assert client.get(reverse("reviews:deployment", args=[subject.pk])).status_code == grid
    first_day = "2027-01-04" if kind == "pctr" else "2027-03-09"
    response = client.post(reverse("reviews:onsite", args=[subject.pk]), {"first_day": first_day})
    assert response.status_code == onsite
    reading = client.get(reverse("reviews:self_assessment", args=[self_assessment.pk]))
    assert reading.status_code == sa


def _submitted_self_assessment(la, dcs):
    return SelfAssessment.objects.create(
        local_authority=la,
        year=2026,
        template=SelfAssessmentTemplate.objects.order_by("-number").first(),
        state="submitted",
        signed_name=dcs.full_name,
        signed_position="DCS",
        signed_on=D(2026, 11, 1),
        submitted_at=timezone.now(),
        submitted_by=dcs,
        started_by=dcs,
        updated_by=dcs,
        updated_at=timezone.now(),
    )
