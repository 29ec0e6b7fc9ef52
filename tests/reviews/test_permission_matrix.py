"""The permission matrix of R29 and R30, from one table: for every role on a review (and
a user of an uninvolved LA, a host-LA user who is neither its DCS nor its 2nd-tier lead,
another region's coordinator and someone with no post), every page and action of a
review before the visit, for a PCTR and for a SAV, the expected answer.

A new page or action is a new column of ``EXPECTED``: a person left out of it fails the
test, so nobody can be forgotten."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Role
from emslirp.object_permissions import object_revoke
from reviews.escalations.models import Escalation
from reviews.letter.models import Letter, LetterPdf, LetterState
from reviews.reflections.models import Reflection
from reviews.review import states
from reviews.review.models import ReviewState
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentTemplate
from reviews.workbook.models import AgreedAction, EmergingIssue, Finding, Note, VerbalFeedback
from reviews.workbook.services import hypotheses as service
from safeguarding.models import CriticalIncident, IncidentPdf
from tests.calendar_planner.people import review
from tests.dates import date_input, moment_input
from tests.factories import UserFactory
from tests.reviews.review.test_teams import accredited
from tests.reviews.visited import visited
from tests.reviews.workbook.test_hypotheses import DRAFTS, place_member, team_for

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
        # A PCTR's core members join once the host has decided (R14): until then they
        # know nothing of it; the columns from "place a team member" on are asked after.
        "member": (N, N, 404, 404, 404, 404, 403, 200, 403, 200),
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
    if kind == "pctr":
        # The host decides, if the person asking could not, and the lead names the core
        # member, who may only join now (R14).
        subject.refresh_from_db()
        if subject.state != ReviewState.AGREED:
            # The drafts as they were, whatever the person's own draft changed.
            service.hypotheses_save(review=subject, drafts=DRAFTS, by=people["lead"])
            service.hypotheses_decide(
                review=subject,
                decisions={1: "investigate", 2: "investigate", 3: "park", 4: "park"},
                by=people["host_dcs"],
            )
        place_member(subject, people)

    # A person the rules accept, so that only the right to place decides the answer.
    extra = accredited(east_midlands, "Nottinghamshire", MEMBER_ROLE[kind], name="Ext Ra")
    placing = reverse("reviews:review", args=[subject.pk])
    assert client.post(placing, {"role": "member", "person": extra.pk}).status_code == place

    assert client.get(reverse("reviews:deployment", args=[subject.pk])).status_code == grid
    first_day = "4 1 2027" if kind == "pctr" else "9 3 2027"
    response = client.post(
        reverse("reviews:onsite", args=[subject.pk]), date_input("first_day", first_day)
    )
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


# On site and after (R21–R27, R29): the same people, on a review whose visit is over, with
# one of every record: a note, a finding, the verbal feedback given, an emerging issue, a
# final letter with a draft PDF and the final PDF, a critical incident raised by the
# member with its PDF, a host's concern, and reflections.
AFTER_PAGES = [
    "notebook",
    "verbal feedback",
    "emerging issues",
    "letter",
    "final letter PDF",
    "draft letter PDF",
    "incidents",
    "incident",
    "incident PDF",
    "escalations",
    "escalation",
    "reflection",
    "reflections composite",
    "reflections completion",
]
_ = 404  # may not know of the review
F = 403  # sees the review, not this
AFTER_EXPECTED = {
    "pctr": {
        "coordinator": (F, F, F, 200, 200, 404, 200, 200, 200, 200, 200, F, F, F),
        "lead": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, F),
        "qa": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, F, F, 200),
        "data": (200, 200, 200, 200, 200, 404, F, 404, 404, F, F, 200, 200, F),
        "member": (200, 200, 200, 200, 200, 404, 200, 200, 200, F, F, 200, 200, F),
        "host_dcs": (F, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, F),
        "host_ad": (F, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, F, F, F),
        "host_data": (F, F, F, F, 404, 404, F, 404, 404, F, F, F, F, F),
        "uninvolved": (_,) * 14,
        "other_region_coordinator": (_,) * 14,
        "nobody": (_,) * 14,
    },
}
# Once a SAV's visit has started its host is no longer kept in the dark (R30): after the
# visit the table is the PCTR's.
AFTER_EXPECTED["sav"] = AFTER_EXPECTED["pctr"]


def test_the_after_table_covers_everyone_and_every_page():
    for kind, rows in AFTER_EXPECTED.items():
        assert list(rows) == PEOPLE, kind
        assert {len(row) for row in rows.values()} == {len(AFTER_PAGES)}, kind


def _after_world(east_midlands, coordinator, kind):
    """The visited review and one of each record, made directly so that only the rights
    decide the answers; returns (review, people, urls by page)."""
    subject, people = visited(east_midlands, coordinator, kind)
    now = timezone.now()
    first = subject.hypotheses.get(number=1)
    Note.objects.create(
        hypothesis=first,
        author=people["member"],
        text="Seen.",
        client_key=uuid.uuid4(),
        written_at=now,
    )
    finding = Finding.objects.create(
        hypothesis=first,
        text="Thresholds vary.",
        evidence="Audit.",
        written_by=people["member"],
        written_at=now,
        updated_at=now,
    )
    VerbalFeedback.objects.create(
        review=subject, given_on=D(2026, 11, 18), recorded_by=people["lead"], recorded_at=now
    )
    action = AgreedAction.objects.create(review=subject, number=1, text="One front door.")
    action.findings.add(finding)
    EmergingIssue.objects.create(
        review=subject, text="Agency supervision.", shared_by=people["lead"], shared_at=now
    )
    letter = Letter.objects.create(
        review=subject,
        state=LetterState.FINAL,
        subject="Rutland",
        body="Dear Hana",
        drafted_by=people["lead"],
        drafted_at=now,
        updated_at=now,
        approved_by=people["qa"],
        approved_at=now,
        shared_at=now,
        issued_by=people["lead"],
        issued_at=now,
    )
    pdf = {
        "state": "ready",
        "requested_by": people["lead"],
        "requested_at": now,
        "content": b"%PDF-1.7 test",
        "sha256": "0" * 64,
        "size": 13,
        "rendered_at": now,
    }
    draft_pdf = LetterPdf.objects.create(letter=letter, letter_revision=1, **pdf)
    final_pdf = LetterPdf.objects.create(letter=letter, letter_revision=1, is_final=True, **pdf)
    incident = CriticalIncident.objects.create(
        review=subject,
        local_authority_name="Rutland",
        host_dcs_name="Hana Host",
        lead_name="Lee Lead",
        review_dates="16 to 18 November 2026",
        incident="A child.",
        nature="Unsafe.",
        evidence="Seen.",
        identified_at=now,
        identified_by=people["member"],
        initial_action="Told the lead.",
        raised_by=people["member"],
        raised_at=now,
    )
    incident_pdf = IncidentPdf.objects.create(incident=incident, **pdf)
    escalation = Escalation.objects.create(
        review=subject,
        about="process",
        concern="Too short.",
        raised_by=people["host_dcs"],
        raised_at=now,
    )
    for who in ("lead", "data", "member"):
        Reflection.objects.create(
            review=subject,
            person=people[who],
            suitability=4,
            leadership_development=4,
            main_learning=f"Learnt by {who}.",
            submitted_at=now,
            updated_at=now,
        )
    pk = subject.pk
    urls = {
        "notebook": reverse("reviews:notebook", args=[pk]),
        "verbal feedback": reverse("reviews:verbal_feedback", args=[pk]),
        "emerging issues": reverse("reviews:emerging_issues", args=[pk]),
        "letter": reverse("reviews:letter", args=[pk]),
        "final letter PDF": reverse("reviews:letter_pdf", args=[pk, final_pdf.pk]),
        "draft letter PDF": reverse("reviews:letter_pdf", args=[pk, draft_pdf.pk]),
        "incidents": reverse("safeguarding:incidents", kwargs={"review_pk": pk}),
        "incident": reverse("safeguarding:incident", args=[incident.pk]),
        "incident PDF": reverse("safeguarding:incident_pdf", args=[incident.pk, incident_pdf.pk]),
        "escalations": reverse("reviews:escalations", args=[pk]),
        "escalation": reverse("reviews:escalation", args=[pk, escalation.pk]),
        "reflection": reverse("reviews:reflection", args=[pk]),
        "reflections composite": reverse("reviews:reflections_composite", args=[pk]),
        "reflections completion": reverse("reviews:reflections_completion", args=[pk]),
    }
    return subject, people, urls


@pytest.mark.parametrize("kind", ["pctr", "sav"])
@pytest.mark.parametrize("who", PEOPLE)
def test_permission_matrix_after_the_visit(client, east_midlands, coordinator, request, kind, who):
    subject, people, urls = _after_world(east_midlands, coordinator, kind)
    people["other_region_coordinator"] = request.getfixturevalue("other_region_coordinator")
    people["nobody"] = UserFactory(region=east_midlands)
    client.force_login(people[who])
    got = tuple(client.get(urls[page]).status_code for page in AFTER_PAGES)
    assert dict(zip(AFTER_PAGES, got, strict=True)) == dict(
        zip(AFTER_PAGES, AFTER_EXPECTED[kind][who], strict=True)
    )
    # The review page links to exactly the pages the person may open.
    page = client.get(reverse("reviews:review", args=[subject.pk]))
    if page.status_code == 200:
        linked = {label for label, url in page.context["visit_links"]}
        opens = {p for p, status in zip(AFTER_PAGES, got, strict=True) if status == 200}
        assert {LINKED_PAGE[label] for label in linked} == opens & set(LINKED_PAGE.values())


# The review page's link labels, and the page each opens.
LINKED_PAGE = {
    "Notebook": "notebook",
    "Emerging issues shared with the host": "emerging issues",
    "Verbal feedback record": "verbal feedback",
    "Feedback letter": "letter",
    "Critical incidents": "incidents",
    "Concerns raised by the host": "escalations",
    "Your reflection": "reflection",
    "The team's reflections": "reflections composite",
    "Who has reflected": "reflections completion",
}


# Writing, after the visit: adding a note, sharing an emerging issue, raising a critical
# incident, raising a concern, saving one's reflection. 302: done; 403: sees the review,
# may not; 404: may not know of it.
AFTER_WRITES = ["add a note", "share an issue", "raise an incident", "raise a concern", "reflect"]
AFTER_WRITES_EXPECTED = {
    "coordinator": (F, F, F, F, F),
    "lead": (302, 302, 302, F, 302),
    "qa": (F, F, F, F, F),
    "data": (302, F, F, F, 302),
    "member": (302, F, 302, F, 302),
    "host_dcs": (F, F, F, 302, 302),
    "host_ad": (F, F, F, 302, F),
    "host_data": (F, F, F, F, F),
    "uninvolved": (_,) * 5,
    "other_region_coordinator": (_,) * 5,
    "nobody": (_,) * 5,
}


@pytest.mark.parametrize("kind", ["pctr", "sav"])
@pytest.mark.parametrize("who", PEOPLE)
def test_permission_matrix_of_writing_after_the_visit(
    client, east_midlands, coordinator, request, kind, who
):
    subject, people = visited(east_midlands, coordinator, kind, state="on_site")
    people["other_region_coordinator"] = request.getfixturevalue("other_region_coordinator")
    people["nobody"] = UserFactory(region=east_midlands)
    first = subject.hypotheses.get(number=1)
    pk = subject.pk
    posts = {
        "add a note": (
            reverse("reviews:notebook_notes", args=[pk, first.pk]),
            {f"note-{first.pk}-text": "Seen.", f"note-{first.pk}-client_key": str(uuid.uuid4())},
        ),
        "share an issue": (reverse("reviews:emerging_issues", args=[pk]), {"text": "Early."}),
        "raise an incident": (
            reverse("safeguarding:incident_raise", kwargs={"review_pk": pk}),
            {
                "incident": "A child unseen.",
                "nature": "Unsafe.",
                "evidence": "File.",
                **moment_input("identified_at", "17 11 2026 10:00"),
                "identified_by": people["member"].pk,
                "initial_action": "Told the lead.",
            },
        ),
        "raise a concern": (
            reverse("reviews:escalations", args=[pk]),
            {"about": "process", "concern": "Too short."},
        ),
        "reflect": (reverse("reviews:reflection", args=[pk]), {"self_strengths": "Listened."}),
    }
    client.force_login(people[who])
    got = {}
    for action in AFTER_WRITES:
        if action == "reflect":
            # Reflections open once the visit is over; the rest happen on site.
            states.review_state_set(review=subject, state="after_visit", by=people["lead"])
        url, data = posts[action]
        got[action] = client.post(url, data).status_code
    assert got == dict(zip(AFTER_WRITES, AFTER_WRITES_EXPECTED[who], strict=True))


def test_a_withdrawn_team_grant_reads_no_self_assessment(client, east_midlands, coordinator):
    # R29: the team reads the host's submitted self-assessment through its place; a place
    # whose grant was withdrawn gives nothing, here as on the review itself.
    subject, people = visited(east_midlands, coordinator, "pctr")
    self_assessment = _submitted_self_assessment(subject.host, people["host_dcs"])
    url = reverse("reviews:self_assessment", args=[self_assessment.pk])
    client.force_login(people["member"])
    assert client.get(url).status_code == 200
    object_revoke(perm="reviews.view_review", person=people["member"], obj=subject)
    assert client.get(url).status_code == 404
    assert client.get(reverse("reviews:review", args=[subject.pk])).status_code == 404
