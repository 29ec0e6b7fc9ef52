"""Critical incidents (R25, R29): raised on site by the lead or a team member, the host and
the QA told at once by e-mail with no case detail in it (R35); the lead records when it
was raised with the host DCS, the host records the action; both sign, and the signed
record is frozen, with addenda for what is learnt later. Who may NOT act is tested as
carefully as who may."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from emslirp.models import Post, PostKind
from reviews.review import permissions
from reviews.review.models import Review, ReviewState
from safeguarding import selectors, services
from safeguarding.models import CriticalIncident, IncidentAddendum
from tests.calendar_planner.people import holder
from tests.reviews.visited import visited
from tests.safeguarding.conftest import TODAY

IDENTIFIED = timezone.make_aware(datetime.datetime(2026, 11, 17, 10, 30))
RAISED_WITH_HOST = timezone.make_aware(datetime.datetime(2026, 11, 17, 11, 15))
TEXTS = {
    "incident": "A child at risk was left without a visit for six weeks.",
    "nature": "Drift in a child protection plan; no manager oversight recorded.",
    "evidence": "Case file audit, supervision notes of October.",
    "initial_action": "Told the team manager on the spot; the duty manager is visiting today.",
}
EVERYONE = ("lead", "qa", "data", "member", "host_dcs", "host_ad", "host_data", "uninvolved")


@pytest.fixture
def pctr(east_midlands, coordinator):
    return visited(east_midlands, coordinator, "pctr")


def raise_one(review, people, who="member", **changes):
    values = {
        **TEXTS,
        "identified_at": IDENTIFIED,
        "identified_by": people[who],
        "by": people[who],
        **changes,
    }
    return services.incident_raise(review=review, **values)


def signed(review, people, who="member"):
    """An incident raised by ``who``, raised with the host, answered and signed by both."""
    incident = raise_one(review, people, who)
    services.incident_raised_with_host_record(
        incident=incident, at=RAISED_WITH_HOST, by=people["lead"]
    )
    services.incident_respond(
        incident=incident,
        host_action="A manager reviews every open plan by Friday.",
        by=people["host_dcs"],
    )
    services.incident_sign(incident=incident, by=people["lead"])
    return services.incident_sign(incident=incident, by=people["host_dcs"])


def test_raising_emails_the_host_leaders_the_qa_and_the_lead_at_once_one_each(
    pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        incident = raise_one(review, people, "member")
        assert mail.outbox == []  # nothing leaves before the record is committed
    # One task per e-mail, dispatched by the raise itself, never left for a digest (R25).
    assert len(callbacks) == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        people[w].email for w in ("host_dcs", "host_ad", "qa", "lead")
    )
    assert all(len(m.to) == 1 for m in mail.outbox)
    told = {m.to[0] for m in mail.outbox}
    for who in ("data", "member", "host_data", "uninvolved", "coordinator"):
        assert people[who].email not in told
    url = reverse("safeguarding:incident", args=[incident.pk])
    for message in mail.outbox:
        assert url in message.body
        assert message.subject == (
            "A critical incident was raised on the Peer Challenge Team Review of Rutland"
        )
        # Minimum identifiable information (R35): none of the record is in the e-mail.
        for text in TEXTS.values():
            assert text not in message.body
            assert text not in message.subject
        assert "six weeks" not in message.body


def test_a_refused_raise_sends_nothing(pctr, django_capture_on_commit_callbacks):
    review, people = pctr
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        raise_one(review, people, evidence="  ")
    assert callbacks == []
    assert mail.outbox == []
    assert CriticalIncident.objects.count() == 0


def test_the_names_and_dates_are_copied_from_the_records(pctr):
    review, people = pctr
    incident = raise_one(review, people, "lead")
    assert (
        incident.local_authority_name,
        incident.host_dcs_name,
        incident.lead_name,
        incident.review_dates,
        incident.raised_by,
        incident.identified_by,
    ) == (
        "Rutland",
        "Hana Host",
        "Lee Lead",
        "16 November 2026 to 18 November 2026",
        people["lead"],
        people["lead"],
    )


@pytest.mark.parametrize("who", ["lead", "member"])
def test_the_lead_and_a_team_member_raise_one(pctr, who):
    review, people = pctr
    assert raise_one(review, people, who).raised_by == people[who]


@pytest.mark.parametrize(
    "who", ["qa", "data", "host_dcs", "host_ad", "host_data", "uninvolved", "coordinator"]
)
def test_nobody_else_raises_one(pctr, who):
    review, people = pctr
    with pytest.raises(PermissionDenied):
        raise_one(review, people, "member", by=people[who])
    assert CriticalIncident.objects.count() == 0


@pytest.mark.parametrize("state", [ReviewState.PREPARING, ReviewState.AGREED])
def test_an_incident_is_raised_only_once_the_visit_has_started(pctr, state):
    review, people = pctr
    Review.objects.filter(pk=review.pk).update(state=state)
    with pytest.raises(ValidationError, match="while the team is on site or after the visit"):
        raise_one(review, people, "member")
    assert CriticalIncident.objects.count() == 0


def test_a_sav_incident_is_raised_on_site(east_midlands, coordinator):
    review, people = visited(east_midlands, coordinator, "sav", state=ReviewState.ON_SITE)
    assert review.state == ReviewState.ON_SITE
    assert raise_one(review, people, "member").review_dates == (
        "16 November 2026 to 17 November 2026"
    )


@pytest.mark.parametrize("who", ["host_dcs", "qa", "uninvolved"])
def test_the_identifying_person_is_on_the_team_on_site(pctr, who):
    review, people = pctr
    with pytest.raises(ValidationError) as caught:
        raise_one(review, people, "member", identified_by=people[who])
    assert caught.value.message_dict == {"identified_by": ["Choose someone of the team on site."]}


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (
            datetime.datetime(2026, 11, 28, 9, 0),
            "Enter a date and time that has already passed.",
        ),
        (
            datetime.datetime(2026, 11, 13, 16, 0),
            "The date and time it was identified must be on or after the first on-site day, "
            "16 November 2026",
        ),
    ],
)
def test_the_time_identified_is_from_the_first_on_site_day_and_not_to_come(pctr, moment, message):
    review, people = pctr
    with pytest.raises(ValidationError) as caught:
        raise_one(review, people, "member", identified_at=timezone.make_aware(moment))
    assert caught.value.message_dict == {"identified_at": [message]}


def test_a_member_reads_only_what_they_raised_and_the_data_specialist_nothing(pctr):
    review, people = pctr
    by_lead = raise_one(review, people, "lead")
    by_member = raise_one(review, people, "member")

    def visible(who):
        access = permissions.review_access(people[who], review, on=TODAY)
        rights = permissions.incident_rights(access)
        return set(selectors.incidents_visible(review=review, user=people[who], rights=rights))

    both = {by_lead, by_member}
    assert visible("member") == {by_member}
    for who in ("lead", "qa", "host_dcs", "host_ad", "coordinator"):
        assert visible(who) == both, who
    for who in ("data", "host_data", "uninvolved"):
        assert visible(who) == set(), who


def test_the_full_record_then_frozen_and_addenda_instead(pctr, django_capture_on_commit_callbacks):
    review, people = pctr
    incident = raise_one(review, people, "member")
    both_missing = (
        "The record cannot be signed yet: the lead has not recorded when it was raised with "
        "the host DCS and the host has not recorded the action they will take."
    )
    for who in ("lead", "host_ad"):
        with pytest.raises(ValidationError) as caught:
            services.incident_sign(incident=incident, by=people[who])
        assert caught.value.messages == [both_missing]
    with pytest.raises(ValidationError, match="until both have signed"):
        services.incident_addendum_add(incident=incident, text="Later news.", by=people["lead"])

    services.incident_raised_with_host_record(
        incident=incident, at=RAISED_WITH_HOST, by=people["lead"]
    )
    # The lead's half alone is not enough for either side to sign (R25).
    for who in ("lead", "host_ad"):
        with pytest.raises(ValidationError) as caught:
            services.incident_sign(incident=incident, by=people[who])
        assert caught.value.messages == [
            "The record cannot be signed yet: the host has not recorded the action they will take."
        ]
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_respond(
            incident=incident,
            host_action="Every open plan reviewed by Friday.",
            by=people["host_ad"],
        )
    assert [m.to for m in mail.outbox] == [[people["lead"].email]]
    services.incident_sign(incident=incident, by=people["host_ad"])
    with pytest.raises(ValidationError, match="The host has already signed"):
        services.incident_sign(incident=incident, by=people["host_dcs"])
    with pytest.raises(ValidationError) as caught:
        services.incident_respond(incident=incident, host_action="Other.", by=people["host_dcs"])
    assert caught.value.message_dict == {
        "host_action": ["The record has been signed: the host's action is part of it."]
    }
    # Nor may the lead move the time the host signed under (R25).
    with pytest.raises(ValidationError) as caught:
        services.incident_raised_with_host_record(
            incident=incident, at=IDENTIFIED, by=people["lead"]
        )
    assert caught.value.message_dict == {
        "raised_with_host_at": [
            "The record has been signed: the time it was raised with the host is part of it."
        ]
    }
    incident = services.incident_sign(incident=incident, by=people["lead"])

    incident.refresh_from_db()
    assert incident.is_frozen
    assert (incident.lead_signed_by, incident.host_signed_by, incident.host_responded_by) == (
        people["lead"],
        people["host_ad"],
        people["host_ad"],
    )
    assert incident.lead_signed_at >= incident.host_signed_at
    assert incident.host_action == "Every open plan reviewed by Friday."
    assert incident.raised_with_host_at == RAISED_WITH_HOST

    # Frozen: every change is refused, whoever asks (R25).
    refused = [
        lambda: services.incident_raised_with_host_record(
            incident=incident, at=IDENTIFIED, by=people["lead"]
        ),
        lambda: services.incident_respond(
            incident=incident, host_action="Changed.", by=people["host_dcs"]
        ),
        lambda: services.incident_sign(incident=incident, by=people["lead"]),
        lambda: services.incident_sign(incident=incident, by=people["host_dcs"]),
    ]
    for attempt in refused:
        with pytest.raises(ValidationError, match="can no longer be changed"):
            attempt()
    incident.refresh_from_db()
    assert incident.host_action == "Every open plan reviewed by Friday."
    assert incident.raised_with_host_at == RAISED_WITH_HOST

    services.incident_addendum_add(
        incident=incident, text="The child was seen on 18 November.", by=people["lead"]
    )
    services.incident_addendum_add(
        incident=incident, text="Audit of open plans done.", by=people["host_dcs"]
    )
    assert list(
        IncidentAddendum.objects.filter(incident=incident).values_list("text", "written_by")
    ) == [
        ("The child was seen on 18 November.", people["lead"].pk),
        ("Audit of open plans done.", people["host_dcs"].pk),
    ]
    with pytest.raises(ValidationError) as caught:
        services.incident_addendum_add(incident=incident, text=" ", by=people["lead"])
    assert caught.value.message_dict == {"text": ["Write what is to be added to the record."]}


@pytest.mark.parametrize("who", ["qa", "coordinator", "member", "data", "host_data", "uninvolved"])
def test_those_who_read_or_raise_neither_answer_nor_sign(pctr, who):
    review, people = pctr
    incident = raise_one(review, people, "member")
    services.incident_raised_with_host_record(
        incident=incident, at=RAISED_WITH_HOST, by=people["lead"]
    )
    services.incident_respond(incident=incident, host_action="Action.", by=people["host_dcs"])
    for attempt in (
        lambda: services.incident_respond(incident=incident, host_action="X.", by=people[who]),
        lambda: services.incident_sign(incident=incident, by=people[who]),
        lambda: services.incident_raised_with_host_record(
            incident=incident, at=RAISED_WITH_HOST, by=people[who]
        ),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    incident = signed_now(incident, people)
    with pytest.raises(PermissionDenied):
        services.incident_addendum_add(incident=incident, text="Later.", by=people[who])


def signed_now(incident, people):
    services.incident_sign(incident=incident, by=people["lead"])
    return services.incident_sign(incident=incident, by=people["host_dcs"])


def test_the_lead_does_not_answer_for_the_host_nor_the_host_record_the_leads_time(pctr):
    review, people = pctr
    incident = raise_one(review, people, "member")
    with pytest.raises(PermissionDenied):
        services.incident_respond(incident=incident, host_action="X.", by=people["lead"])
    with pytest.raises(PermissionDenied):
        services.incident_raised_with_host_record(
            incident=incident, at=RAISED_WITH_HOST, by=people["host_dcs"]
        )


def test_the_time_raised_with_the_host_follows_the_identification_and_has_passed(pctr):
    review, people = pctr
    incident = raise_one(review, people, "member")
    with pytest.raises(ValidationError) as caught:
        services.incident_raised_with_host_record(
            incident=incident, at=IDENTIFIED - datetime.timedelta(minutes=5), by=people["lead"]
        )
    assert caught.value.message_dict == {
        "raised_with_host_at": [
            "The date and time you raised it with the host must be on or after the time it "
            "was identified, 17 November 2026 at 10:30"
        ]
    }
    with pytest.raises(ValidationError) as caught:
        services.incident_raised_with_host_record(
            incident=incident,
            at=timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 0)),
            by=people["lead"],
        )
    assert caught.value.message_dict == {
        "raised_with_host_at": ["Enter a date and time that has already passed."]
    }


def test_the_signed_record_keeps_the_names_it_was_raised_under(pctr, client, east_midlands):
    """R3 and R25: the host's rights follow the DCS post to a successor the day they
    start, but the signed record keeps the names copied when it was raised."""
    review, people = pctr
    incident = signed(review, people)
    Post.objects.filter(holder=people["host_dcs"], kind=PostKind.DCS).update(
        ended_on=datetime.date(2026, 11, 26)
    )
    successor = holder(east_midlands, PostKind.DCS, "Rutland", name="Nia Newcomer")
    Post.objects.filter(holder=successor).update(started_on=datetime.date(2026, 11, 27))

    services.incident_addendum_add(
        incident=incident, text="Handed over to the new DCS.", by=successor
    )
    with pytest.raises(PermissionDenied):
        services.incident_addendum_add(incident=incident, text="Me too.", by=people["host_dcs"])
    incident.refresh_from_db()
    assert (incident.host_dcs_name, incident.host_signed_by) == ("Hana Host", people["host_dcs"])

    client.force_login(successor)
    page = client.get(reverse("safeguarding:incident", args=[incident.pk])).content.decode()
    the_review, signatures = page.split('id="review"')[1], page.split('id="signatures"')[1]
    assert '<dt class="govuk-summary-list__key">Host DCS</dt>' in the_review
    assert the_review.split("Host DCS</dt>")[1].startswith(
        '<dd class="govuk-summary-list__value">Hana Host</dd>'
    )
    assert 'For the host</dt><dd class="govuk-summary-list__value">Hana Host, ' in signatures
    # The successor appears only as the writer of the addendum.
    assert page.count("Nia Newcomer") == 1
    assert "Handed over to the new DCS." in page
    client.force_login(people["host_dcs"])
    assert client.get(reverse("safeguarding:incident", args=[incident.pk])).status_code == 404


def test_once_the_lead_has_signed_the_host_action_and_the_time_are_fixed(
    pctr, django_capture_on_commit_callbacks
):
    """R25: the lead signs only a complete record, and the host cannot then rewrite the
    action the lead signed, nor the lead move the time, before the host signs it too."""
    review, people = pctr
    incident = raise_one(review, people, "member")
    services.incident_raised_with_host_record(
        incident=incident, at=RAISED_WITH_HOST, by=people["lead"]
    )
    services.incident_respond(
        incident=incident, host_action="Every plan reviewed.", by=people["host_ad"]
    )
    services.incident_sign(incident=incident, by=people["lead"])
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as caught,
    ):
        services.incident_respond(
            incident=incident, host_action="Nothing needs doing.", by=people["host_dcs"]
        )
    assert caught.value.message_dict == {
        "host_action": ["The record has been signed: the host's action is part of it."]
    }
    assert mail.outbox == []  # nobody is asked to sign a text that was not saved
    with pytest.raises(ValidationError) as caught:
        services.incident_raised_with_host_record(
            incident=incident, at=RAISED_WITH_HOST + datetime.timedelta(hours=1), by=people["lead"]
        )
    assert caught.value.message_dict == {
        "raised_with_host_at": [
            "The record has been signed: the time it was raised with the host is part of it."
        ]
    }
    incident = services.incident_sign(incident=incident, by=people["host_dcs"])
    incident.refresh_from_db()
    assert incident.is_frozen
    assert (incident.host_action, incident.raised_with_host_at) == (
        "Every plan reviewed.",
        RAISED_WITH_HOST,
    )


def test_the_responded_email_asks_the_lead_to_sign_only_once_they_can(
    pctr, django_capture_on_commit_callbacks
):
    review, people = pctr
    incident = raise_one(review, people, "member")
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_respond(incident=incident, host_action="First.", by=people["host_dcs"])
    assert [m.to for m in mail.outbox] == [[people["lead"].email]]
    assert (
        "Read it, record when you raised the incident with the host DCS, and then sign the "
        "record:" in mail.outbox[0].body
    )
    services.incident_raised_with_host_record(
        incident=incident, at=RAISED_WITH_HOST, by=people["lead"]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_respond(incident=incident, host_action="Second.", by=people["host_dcs"])
    assert "Read it, and sign the record if it is right:" in mail.outbox[0].body
    assert "record when you raised" not in mail.outbox[0].body
    assert "First." not in mail.outbox[0].body and "Second." not in mail.outbox[0].body  # R35


def test_the_same_action_sent_again_changes_nothing_and_tells_nobody(
    pctr, django_capture_on_commit_callbacks
):
    # STYLE 13: a host re-posting the action they already recorded (a retry, a reload)
    # does not e-mail the lead again, nor move the time they responded.
    review, people = pctr
    incident = raise_one(review, people, "member")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.incident_respond(
            incident=incident, host_action="Every plan reviewed.", by=people["host_dcs"]
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.incident_respond(
            incident=incident, host_action="  Every plan reviewed. ", by=people["host_ad"]
        )
    assert mail.outbox == []
    again.refresh_from_db()
    assert (again.host_responded_by, again.host_responded_at) == (
        people["host_dcs"],
        first.host_responded_at,
    )


def _postgresql_sql(queryset) -> str:
    """The SQL ``queryset`` would send to PostgreSQL: the tests run on SQLite, which has no
    row locks, so the lock clause is read from the PostgreSQL compiler without connecting."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings = {
        **dict.fromkeys(("NAME", "USER", "PASSWORD", "HOST", "PORT"), ""),
        "OPTIONS": {},
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": False,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
    }
    postgresql = DatabaseWrapper(settings, alias="postgresql")
    postgresql.get_autocommit = lambda: False  # as inside the service's transaction
    return queryset.query.get_compiler(connection=postgresql).as_sql()[0]


def test_the_lock_takes_only_the_incidents_row(pctr):
    """A change locks the incident's row alone, not the review and local authority it reads
    with it, which other people are changing at the same time."""
    review, people = pctr
    incident = raise_one(review, people, "member")
    sql = _postgresql_sql(services._lock_query(incident.pk))
    assert sql.endswith(' FOR UPDATE OF "safeguarding_criticalincident"')
    assert "ORDER BY" not in sql
    assert services._locked(incident) == incident
