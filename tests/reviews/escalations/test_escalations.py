"""Escalation (R26, R29): the host raises a concern, the lead answers, the host accepts
the answer or refers it to the QA, who decides; each step e-mails the next person to act,
and at each step everybody else is refused."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.escalations import services as service
from reviews.escalations.models import Escalation
from reviews.review.models import TeamMember
from tests.reviews.visited import visited
from tests.safeguarding.test_incidents import _postgresql_sql

EVERYONE = (
    "lead",
    "qa",
    "data",
    "member",
    "host_dcs",
    "host_ad",
    "host_data",
    "uninvolved",
    "coordinator",
)
CONCERN = "The team interviewed staff without their managers being told."


@pytest.fixture
def pctr(east_midlands, coordinator):
    return visited(east_midlands, coordinator, "pctr")


def _told(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def _refused(step, people, allowed):
    for who in EVERYONE:
        if who in allowed:
            continue
        with pytest.raises(PermissionDenied):
            step(people[who])


def test_raised_answered_and_accepted(pctr, django_capture_on_commit_callbacks):
    review, people = pctr

    def raise_(by):
        return service.escalation_raise(review=review, about="conduct", concern=CONCERN, by=by)

    _refused(raise_, people, {"host_dcs", "host_ad"})
    with django_capture_on_commit_callbacks(execute=True):
        escalation = raise_(people["host_dcs"])
    assert _told(mail.outbox) == [people["lead"].email]
    assert (escalation.state, escalation.raised_by) == ("raised", people["host_dcs"])
    url = reverse("reviews:escalation", args=[review.pk, escalation.pk])
    assert url in mail.outbox[0].body

    with pytest.raises(ValidationError, match="The lead has not answered this concern yet"):
        service.escalation_accept(escalation=escalation, by=people["host_dcs"])
    _refused(
        lambda by: service.escalation_respond(escalation=escalation, response="Sorry.", by=by),
        people,
        {"lead"},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service.escalation_respond(
            escalation=escalation, response="Managers will be told first.", by=people["lead"]
        )
    assert _told(mail.outbox) == sorted([people["host_dcs"].email, people["host_ad"].email])
    with pytest.raises(ValidationError, match="already answered"):
        service.escalation_respond(escalation=escalation, response="Again.", by=people["lead"])

    _refused(
        lambda by: service.escalation_accept(escalation=escalation, by=by),
        people,
        {
            "host_dcs",
            "host_ad",
        },
    )
    _refused(
        lambda by: service.escalation_refer(escalation=escalation, by=by),
        people,
        {
            "host_dcs",
            "host_ad",
        },
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service.escalation_accept(escalation=escalation, by=people["host_ad"])
    assert _told(mail.outbox) == [people["lead"].email]
    escalation.refresh_from_db()
    assert (
        escalation.state,
        escalation.outcome,
        escalation.lead_response,
        escalation.responded_by,
        escalation.referred_at,
        escalation.adjudicated_by,
    ) == ("closed", "resolved", "Managers will be told first.", people["lead"], None, None)
    assert escalation.closed_at is not None
    with pytest.raises(ValidationError, match="closed"):
        service.escalation_refer(escalation=escalation, by=people["host_dcs"])
    with pytest.raises(ValidationError, match="closed"):
        service.escalation_adjudicate(
            escalation=escalation, upheld=True, adjudication="Late.", by=people["qa"]
        )


@pytest.mark.parametrize(("upheld", "outcome"), [(True, "upheld"), (False, "not_upheld")])
def test_referred_to_the_qa_and_adjudicated(
    pctr, django_capture_on_commit_callbacks, upheld, outcome
):
    review, people = pctr
    escalation = service.escalation_raise(
        review=review, about="findings", concern=CONCERN, by=people["host_ad"]
    )
    with pytest.raises(ValidationError, match="The lead has not answered this concern yet"):
        service.escalation_refer(escalation=escalation, by=people["host_ad"])
    service.escalation_respond(
        escalation=escalation, response="The findings stand.", by=people["lead"]
    )
    with pytest.raises(ValidationError, match="The host has not referred this concern"):
        service.escalation_adjudicate(
            escalation=escalation, upheld=True, adjudication="Too soon.", by=people["qa"]
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service.escalation_refer(escalation=escalation, by=people["host_dcs"])
    assert _told(mail.outbox) == [people["qa"].email]
    escalation.refresh_from_db()
    assert escalation.state == "with_qa" and escalation.referred_at is not None
    with pytest.raises(ValidationError, match="already been referred"):
        service.escalation_accept(escalation=escalation, by=people["host_dcs"])

    def adjudicate(by):
        return service.escalation_adjudicate(
            escalation=escalation, upheld=upheld, adjudication="Read the notes.", by=by
        )

    _refused(adjudicate, people, {"qa"})
    with pytest.raises(ValidationError) as caught:
        service.escalation_adjudicate(
            escalation=escalation, upheld=upheld, adjudication=" ", by=people["qa"]
        )
    assert caught.value.message_dict == {"adjudication": ["Give the reasons for your decision."]}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        adjudicate(people["qa"])
    assert _told(mail.outbox) == sorted(people[w].email for w in ("host_dcs", "host_ad", "lead"))
    for message in mail.outbox:
        assert ("the concern is upheld" in message.body) is upheld
    escalation.refresh_from_db()
    assert (
        escalation.state,
        escalation.outcome,
        escalation.adjudication,
        escalation.adjudicated_by,
    ) == ("closed", outcome, "Read the notes.", people["qa"])


def test_a_concern_says_what_it_is_about(pctr):
    review, people = pctr
    with pytest.raises(ValidationError) as caught:
        service.escalation_raise(review=review, about="weather", concern="X", by=people["host_dcs"])
    assert caught.value.message_dict == {"about": ["Choose what the concern is about."]}
    with pytest.raises(ValidationError) as caught:
        service.escalation_raise(
            review=review, about="process", concern="  ", by=people["host_dcs"]
        )
    assert caught.value.message_dict == {"concern": ["Describe the concern."]}
    assert Escalation.objects.count() == 0


# Pages ------------------------------------------------------------------------------


def test_the_host_raises_through_the_page_and_a_bad_form_keeps_what_was_typed(pctr, client):
    review, people = pctr
    client.force_login(people["host_dcs"])
    url = reverse("reviews:escalations", args=[review.pk])
    response = client.post(url, {"concern": CONCERN})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose what the concern is about." in page
    assert CONCERN in page
    response = client.post(url, {"about": "process", "concern": CONCERN})
    escalation = Escalation.objects.get()
    assert response["Location"] == reverse("reviews:escalation", args=[review.pk, escalation.pk])
    page = client.get(url).content.decode()
    assert "The review process" in page and "Awaiting the lead's answer" in page


def _forms(page: str) -> set[str]:
    """The ids of the forms the page offers."""
    return set(re.findall(r'<form method="post"(?: novalidate)? id="([a-z-]+)">', page))


@pytest.mark.parametrize(
    ("who", "status"), [("member", 403), ("data", 403), ("host_data", 403), ("uninvolved", 404)]
)
def test_those_not_party_to_escalations_are_refused(pctr, client, who, status):
    review, people = pctr
    escalation = service.escalation_raise(
        review=review, about="process", concern=CONCERN, by=people["host_dcs"]
    )
    client.force_login(people[who])
    assert client.get(reverse("reviews:escalations", args=[review.pk])).status_code == status
    detail = reverse("reviews:escalation", args=[review.pk, escalation.pk])
    assert client.get(detail).status_code == status
    assert client.post(detail, {"action": "respond", "response": "X"}).status_code == status
    escalation.refresh_from_db()
    assert escalation.state == "raised"


def test_each_step_is_offered_to_whoever_acts_next_through_the_pages(pctr, client):
    review, people = pctr
    client.force_login(people["host_dcs"])
    list_url = reverse("reviews:escalations", args=[review.pk])
    assert _forms(client.get(list_url).content.decode()) == {"raise"}
    client.post(list_url, {"about": "findings", "concern": CONCERN})
    escalation = Escalation.objects.get()
    url = reverse("reviews:escalation", args=[review.pk, escalation.pk])

    def offered(who):
        client.force_login(people[who])
        return _forms(client.get(url).content.decode())

    assert {w: offered(w) for w in ("lead", "qa", "host_dcs", "coordinator")} == {
        "lead": {"respond"},
        "qa": set(),
        "host_dcs": set(),
        "coordinator": set(),
    }
    client.force_login(people["qa"])
    assert client.post(url, {"action": "respond", "response": "Mine."}).status_code == 403
    client.force_login(people["lead"])
    response = client.post(url, {"action": "respond", "response": ""})
    assert response.status_code == 400
    assert "Write your answer to the concern." in response.content.decode()
    client.post(url, {"action": "respond", "response": "The findings stand."})
    assert {w: offered(w) for w in ("lead", "qa", "host_ad")} == {
        "lead": set(),
        "qa": set(),
        "host_ad": {"accept", "refer"},
    }
    client.force_login(people["host_ad"])
    client.post(url, {"action": "refer"})
    assert {w: offered(w) for w in ("lead", "qa", "host_ad")} == {
        "lead": set(),
        "qa": {"adjudicate"},
        "host_ad": set(),
    }
    client.force_login(people["qa"])
    response = client.post(url, {"action": "adjudicate", "adjudication": "Evidence is thin."})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose whether the concern is upheld." in page and "Evidence is thin." in page
    client.post(url, {"action": "adjudicate", "decision": "upheld", "adjudication": "Thin."})
    escalation.refresh_from_db()
    assert (escalation.state, escalation.outcome) == ("closed", "upheld")
    client.force_login(people["coordinator"])
    page = client.get(url).content.decode()
    assert "Upheld by the QA" in page and "Thin." in page
    assert client.post(url, {"action": "accept"}).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_takes_the_same_queries_for_one_or_three(
    pctr, client, count, django_assert_num_queries
):
    review, people = pctr
    for _ in range(count):
        service.escalation_raise(
            review=review, about="process", concern=CONCERN, by=people["host_dcs"]
        )
    client.force_login(people["lead"])
    url = reverse("reviews:escalations", args=[review.pk])
    with django_assert_num_queries(9):
        page = client.get(url).content.decode()
    assert page.count(f'href="/reviews/{review.pk}/escalations/') == count


def _raised_on(review, people, day: datetime.date) -> Escalation:
    escalation = service.escalation_raise(
        review=review, about="process", concern=CONCERN, by=people["host_dcs"]
    )
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0)))
    Escalation.objects.filter(pk=escalation.pk).update(raised_at=moment)
    escalation.refresh_from_db()
    return escalation


def test_an_unanswered_concern_goes_to_the_qa_after_five_working_days(
    pctr, django_capture_on_commit_callbacks
):
    """R26: a silent lead does not keep a concern from the QA. Today is Friday 27 November
    2026; raised on Friday 20th, five working days have passed; raised on Monday 23rd,
    they pass on Monday 30th."""
    review, people = pctr
    assert service.LEAD_ANSWER_WORKING_DAYS == 5
    recent = _raised_on(review, people, datetime.date(2026, 11, 23))
    with pytest.raises(ValidationError) as caught:
        service.escalation_refer(escalation=recent, by=people["host_dcs"])
    assert caught.value.messages == [
        "The lead has not answered this concern yet. If there is still no answer, you can "
        "refer it to the QA from 30 November 2026."
    ]
    recent.refresh_from_db()
    assert recent.state == "raised"

    overdue = _raised_on(review, people, datetime.date(2026, 11, 20))
    _refused(
        lambda by: service.escalation_refer(escalation=overdue, by=by),
        people,
        {"host_dcs", "host_ad"},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service.escalation_refer(escalation=overdue, by=people["host_ad"])
    assert _told(mail.outbox) == [people["qa"].email]
    # The QA is told the lead never answered, not that an answer was turned down.
    assert "had no answer from the lead within 5 working days" in mail.outbox[0].body
    assert "not accepted" not in mail.outbox[0].body
    overdue.refresh_from_db()
    assert (overdue.state, overdue.lead_response) == ("with_qa", "")
    with pytest.raises(ValidationError, match="already been referred"):
        service.escalation_respond(escalation=overdue, response="Late.", by=people["lead"])
    service.escalation_adjudicate(
        escalation=overdue, upheld=True, adjudication="No answer came.", by=people["qa"]
    )
    overdue.refresh_from_db()
    assert (overdue.state, overdue.outcome) == ("closed", "upheld")


def test_a_bank_holiday_is_not_a_working_day_for_the_lead():
    escalation = Escalation(raised_at=timezone.make_aware(datetime.datetime(2026, 12, 22, 9, 0)))
    # 23, 24 December; 25, 26 (Saturday), 28 (Boxing Day moved) are not; 29, 30, 31.
    assert service.escalation_referable_from(escalation) == datetime.date(2026, 12, 31)


def test_the_host_is_offered_the_referral_once_the_lead_is_overdue(pctr, client):
    review, people = pctr
    recent = _raised_on(review, people, datetime.date(2026, 11, 23))
    overdue = _raised_on(review, people, datetime.date(2026, 11, 20))
    client.force_login(people["host_ad"])
    recent_url = reverse("reviews:escalation", args=[review.pk, recent.pk])
    page = client.get(recent_url).content.decode()
    assert _forms(page) == set()
    assert (
        '<p class="govuk-body" id="refer-later">If the lead has not answered by 30 November '
        "2026, you can refer the concern to the QA.</p>" in page
    )
    response = client.post(recent_url, {"action": "refer"})
    assert response.status_code == 409
    assert "refer it to the QA from 30 November 2026." in response.content.decode()
    page = client.get(reverse("reviews:escalation", args=[review.pk, overdue.pk])).content
    assert _forms(page.decode()) == {"refer"}
    assert "The lead has not answered within 5 working days" in page.decode()
    client.force_login(people["lead"])
    assert _forms(client.get(recent_url).content.decode()) == {"respond"}


def test_a_lead_answering_a_concern_referred_meanwhile_keeps_what_they_typed(pctr, client):
    """The host refers an overdue concern while the lead types the answer: the lead's POST
    saves nothing, says why, and shows the answer, escaped, to copy (not a bare 403)."""
    review, people = pctr
    escalation = _raised_on(review, people, datetime.date(2026, 11, 20))
    url = reverse("reviews:escalation", args=[review.pk, escalation.pk])
    client.force_login(people["host_dcs"])
    client.post(url, {"action": "refer"})
    client.force_login(people["lead"])
    typed = "We told the <i>managers</i> on the first day.\nSee the plan."
    response = client.post(url, {"action": "respond", "response": typed})
    page = response.content.decode()
    assert response.status_code == 409
    assert "This concern has already been referred to the QA." in page.split('id="moved-on"')[1]
    unsaved = page.split('<details class="govuk-details" id="unsaved" open>')[1].split(
        "</details>"
    )[0]
    assert "We told the &lt;i&gt;managers&lt;/i&gt; on the first day.<br>See the plan." in unsaved
    assert "<i>managers</i>" not in page
    escalation.refresh_from_db()
    assert (escalation.state, escalation.lead_response) == ("with_qa", "")
    # Someone without the right is still refused outright.
    client.force_login(people["member"])
    assert client.post(url, {"action": "respond", "response": typed}).status_code == 403


def test_no_concern_is_raised_on_a_review_with_no_lead(pctr, client):
    review, people = pctr
    TeamMember.objects.filter(review=review, role="lead").delete()
    with pytest.raises(ValidationError) as caught:
        service.escalation_raise(
            review=review, about="process", concern=CONCERN, by=people["host_dcs"]
        )
    assert caught.value.messages == [service.NO_LEAD]
    assert Escalation.objects.count() == 0
    client.force_login(people["host_dcs"])
    url = reverse("reviews:escalations", args=[review.pk])
    page = client.get(url).content.decode()
    assert _forms(page) == set()
    assert f'<div class="govuk-inset-text" id="no-lead">{service.NO_LEAD}</div>' in page
    # A concern typed before the lead was taken off is refused and kept.
    response = client.post(url, {"about": "process", "concern": CONCERN})
    page = response.content.decode()
    assert response.status_code == 400
    assert "This review has no lead named yet" in page and CONCERN in page
    assert Escalation.objects.count() == 0


def test_escalation_textareas_have_no_maxlength_and_the_limit_is_said_at_the_field(pctr, client):
    review, people = pctr
    client.force_login(people["host_dcs"])
    url = reverse("reviews:escalations", args=[review.pk])
    page = client.get(url).content.decode()
    textareas = [t.split(">")[0] for t in page.split("<textarea")[1:]]
    assert len(textareas) == 1 and "maxlength" not in textareas[0]
    long_text = "y" * 10_001
    response = client.post(url, {"about": "process", "concern": long_text})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Shorten this to 10,000 characters or fewer: it has 10001." in page
    assert long_text in page
    escalation = service.escalation_raise(
        review=review, about="process", concern=CONCERN, by=people["host_dcs"]
    )
    client.force_login(people["lead"])
    page = client.get(reverse("reviews:escalation", args=[review.pk, escalation.pk])).content
    textareas = [t.split(">")[0] for t in page.decode().split("<textarea")[1:]]
    assert len(textareas) == 1 and "maxlength" not in textareas[0]


def test_the_lock_takes_only_the_escalations_row(pctr):
    """A step locks the escalation's row alone, not the review and local authority it reads
    with it; Meta.ordering (by review) adds no join or ORDER BY to the lock."""
    review, people = pctr
    escalation = service.escalation_raise(
        review=review, about="process", concern=CONCERN, by=people["host_dcs"]
    )
    sql = _postgresql_sql(service._lock_query(escalation.pk))
    assert sql.endswith(' FOR UPDATE OF "reviews_escalation"')
    assert "ORDER BY" not in sql
    assert service._locked(escalation) == escalation
