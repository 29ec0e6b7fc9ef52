"""The permission matrix of R29 and R30, from one table: for every role on a review (and
a user of an uninvolved LA, a host-LA user who is neither its DCS nor its 2nd-tier lead,
another region's coordinator and someone with no post), every page and action of a
review before the visit, for a PCTR and for a SAV, the expected answer.

A new page or action is a new column of ``EXPECTED``: a person left out of it fails the
test, so nobody can be forgotten."""

import datetime

import pytest
from django.urls import reverse

from accreditation.models import Role
from reviews import hypotheses as service
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
# read the hypotheses, draft them, decide them, comment on them, place a team member).
# 200/302: allowed; 403: may see the review but not do this; 404: may not know of it.
Y, N = True, False
EXPECTED = {
    "pctr": {
        "coordinator": (Y, Y, 200, 403, 403, 403, 302),
        "lead": (Y, Y, 200, 302, 403, 302, 302),
        "qa": (Y, Y, 200, 403, 403, 302, 403),
        "data": (Y, Y, 200, 302, 403, 302, 403),
        "member": (Y, Y, 200, 403, 403, 403, 403),
        "host_dcs": (Y, Y, 200, 403, 302, 302, 403),
        "host_ad": (Y, Y, 200, 403, 302, 302, 403),
        "host_data": (Y, Y, 404, 404, 404, 404, 403),
        "uninvolved": (N, N, 404, 404, 404, 404, 404),
        "other_region_coordinator": (N, N, 404, 404, 404, 404, 404),
        "nobody": (N, N, 404, 404, 404, 404, 404),
    },
    "sav": {
        "coordinator": (Y, Y, 200, 403, 403, 403, 302),
        "lead": (Y, Y, 200, 302, 403, 302, 302),
        "qa": (Y, Y, 200, 403, 403, 302, 403),
        "data": (Y, Y, 200, 302, 403, 302, 403),
        "member": (Y, Y, 200, 403, 403, 403, 403),
        # Unannounced (R30): the host's DCS knows of the window, nothing more.
        "host_dcs": (Y, N, 404, 404, 404, 404, 403),
        "host_ad": (N, N, 404, 404, 404, 404, 404),
        "host_data": (N, N, 404, 404, 404, 404, 404),
        "uninvolved": (N, N, 404, 404, 404, 404, 404),
        "other_region_coordinator": (N, N, 404, 404, 404, 404, 404),
        "nobody": (N, N, 404, 404, 404, 404, 404),
    },
}


MEMBER_ROLE = {"pctr": Role.PCTR_MEMBER, "sav": Role.SAV_MEMBER}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


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
    sees, sees_team, read, draft, decide, comment, place = EXPECTED[kind][who]
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
