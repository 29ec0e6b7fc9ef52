"""The critical incident pages (R25, R29): the list shows each person what they may read,
the raise form keeps what was typed and says at the field what is wrong with a date and
time, the record page offers each person only the forms they may use, and anyone who may
not see the review or the incident gets a 404."""

import pytest
from django.core import mail
from django.urls import reverse

from safeguarding.models import CriticalIncident
from tests.dates import moment_input
from tests.reviews.visited import visited
from tests.safeguarding.test_incidents import RAISED_WITH_HOST, TEXTS, raise_one, signed


@pytest.fixture
def pctr(east_midlands, coordinator):
    return visited(east_midlands, coordinator, "pctr")


def _field_error(page: str, field: str) -> str:
    """The message shown at ``field``, by the GOV.UK pack's error markup."""
    return page.split(f'id="id_{field}_1_error" class="govuk-error-message">')[1].split("</span>")[
        1
    ]


def _get(client, person, name, *args):
    client.force_login(person)
    return client.get(reverse(name, args=args))


def test_the_list_shows_all_to_readers_and_their_own_to_a_member(pctr, client):
    review, people = pctr
    by_lead = raise_one(review, people, "lead", incident="Found by the lead.")
    by_member = raise_one(review, people, "member", incident="Found by the member.")
    mine = reverse("safeguarding:incident", args=[by_member.pk])
    theirs = reverse("safeguarding:incident", args=[by_lead.pk])
    for who in ("lead", "qa", "host_dcs", "host_ad", "coordinator"):
        page = _get(client, people[who], "safeguarding:incidents", review.pk).content.decode()
        assert (mine in page, theirs in page) == (True, True), who
        assert "2 critical incidents" in page
    page = _get(client, people["member"], "safeguarding:incidents", review.pk).content.decode()
    assert (mine in page, theirs in page) == (True, False)
    assert "1 critical incident" in page
    # Raising is for the lead and the team members only.
    raise_url = reverse("safeguarding:incident_raise", args=[review.pk])
    assert raise_url in page
    page = _get(client, people["qa"], "safeguarding:incidents", review.pk).content.decode()
    assert raise_url not in page


@pytest.mark.parametrize(
    ("who", "status"), [("data", 403), ("host_data", 403), ("uninvolved", 404)]
)
def test_the_list_is_refused_to_those_with_no_part_in_incidents(pctr, client, who, status):
    review, people = pctr
    raise_one(review, people, "member")
    assert _get(client, people[who], "safeguarding:incidents", review.pk).status_code == status


@pytest.mark.parametrize("who", ["data", "host_data", "uninvolved"])
def test_the_record_is_a_404_to_those_who_may_not_read_it(pctr, client, who):
    review, people = pctr
    incident = raise_one(review, people, "lead")
    assert _get(client, people[who], "safeguarding:incident", incident.pk).status_code == 404


def test_a_member_cannot_open_an_incident_someone_else_raised(pctr, client):
    review, people = pctr
    by_lead = raise_one(review, people, "lead")
    assert _get(client, people["member"], "safeguarding:incident", by_lead.pk).status_code == 404
    # Nor raise one through the page for someone who may not.
    client.force_login(people["data"])
    url = reverse("safeguarding:incident_raise", args=[review.pk])
    assert client.post(url, {**TEXTS}).status_code == 403


def test_raising_through_the_page(pctr, client, django_capture_on_commit_callbacks):
    review, people = pctr
    client.force_login(people["member"])
    url = reverse("safeguarding:incident_raise", args=[review.pk])
    form = client.get(url).content.decode()
    assert "Lee Lead" in form and "Mo Member" in form
    assert "Quinn Assure" not in form  # the QA is not on site
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                **TEXTS,
                **moment_input("identified_at", "17 11 2026 10:30"),
                "identified_by": people["member"].pk,
            },
        )
    incident = CriticalIncident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("safeguarding:incident", args=[incident.pk])
    assert (incident.incident, incident.raised_by, incident.identified_at.isoformat()) == (
        TEXTS["incident"],
        people["member"],
        "2026-11-17T10:30:00+00:00",
    )
    assert len(mail.outbox) == 4


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("17 Nov 2026 10:30", "The date and time it was identified must be a real date"),
        ("31 11 2026 10:30", "The date and time it was identified must be a real date"),
        ("17  2026 10:30", "The date and time it was identified must include a month"),
        ("17 11 2026 ", "Enter the time it was identified"),
        (
            "17 11 2026 half ten",
            "The time it was identified must be a real time, for example 14:30",
        ),
        ("17 11 2026 25:00", "The time it was identified must be a real time, for example 14:30"),
        ("1 12 2026 09:00", "The date and time it was identified must be in the past"),
        ("   ", "Enter the date and time it was identified"),
    ],
)
def test_a_bad_date_and_time_is_named_at_its_field_and_nothing_typed_is_lost(
    pctr, client, typed, message
):
    review, people = pctr
    client.force_login(people["member"])
    response = client.post(
        reverse("safeguarding:incident_raise", args=[review.pk]),
        {**TEXTS, **moment_input("identified_at", typed), "identified_by": people["member"].pk},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert CriticalIncident.objects.count() == 0
    assert message in _field_error(page, "identified_at")
    assert "There is a problem" in page
    for text in TEXTS.values():
        assert text in page
    for box in typed.split(" ", 3):
        assert not box or f'value="{box}"' in page
    # Each message of the summary leads into a box of the date, never to the group.
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert 'href="#id_identified_at"' not in summary


def test_a_time_is_read_as_people_write_it(pctr, client):
    """A 12-hour time with am or pm, or a full stop for the colon, is the same moment."""
    review, people = pctr
    client.force_login(people["member"])
    url = reverse("safeguarding:incident_raise", args=[review.pk])
    for typed in ("17 11 2026 2:30pm", "17 11 2026 14.30", "17 11 2026 2:30 p.m."):
        response = client.post(
            url,
            {
                **TEXTS,
                **moment_input("identified_at", typed),
                "identified_by": people["member"].pk,
            },
        )
        assert response.status_code == 302, response.content.decode()
    assert [i.identified_at.isoformat() for i in CriticalIncident.objects.order_by("pk")] == [
        "2026-11-17T14:30:00+00:00",
    ] * 3


def test_a_time_before_the_visit_is_explained_at_its_field(pctr, client):
    review, people = pctr
    client.force_login(people["member"])
    response = client.post(
        reverse("safeguarding:incident_raise", args=[review.pk]),
        {
            **TEXTS,
            **moment_input("identified_at", "2 11 2026 10:30"),
            "identified_by": people["member"].pk,
        },
    )
    error = _field_error(response.content.decode(), "identified_at")
    assert "must be on or after the first on-site day, 16 November 2026" in error
    # The error summary leads into the date's first box, not to the group around it.
    summary = response.content.decode().split('govuk-error-summary__list">')[1]
    assert 'href="#id_identified_at_0">The date and time it was identified must be on' in summary
    page = response.content.decode()
    assert all(f'value="{box}"' in page for box in ("2", "11", "2026", "10:30"))


def _forms(page: str) -> set[str]:
    return {
        name
        for name in ("raised-with-host", "respond", "sign", "addendum", "pdf")
        if f'<form method="post" novalidate id="{name}">' in page
    }


def test_each_person_is_offered_only_what_they_may_do(pctr, client):
    review, people = pctr
    incident = raise_one(review, people, "member")
    url = ("safeguarding:incident", incident.pk)
    expected = {
        "lead": {"raised-with-host", "pdf"},
        "host_dcs": {"respond", "pdf"},
        "host_ad": {"respond", "pdf"},
        "qa": {"pdf"},
        "coordinator": {"pdf"},
        "member": {"pdf"},
    }
    for who, forms in expected.items():
        page = _get(client, people[who], *url).content.decode()
        assert _forms(page) == forms, who
        assert TEXTS["evidence"] in page
    for who in ("qa", "coordinator", "member"):
        client.force_login(people[who])
        for action in ("sign", "respond", "raised_with_host", "addendum"):
            response = client.post(
                reverse(*url[:1], args=url[1:]),
                {
                    "action": action,
                    "host_action": "X",
                    **moment_input("raised_with_host_at", "17 11 2026 12:00"),
                },
            )
            assert response.status_code == 403, (who, action)
    incident.refresh_from_db()
    assert (incident.host_action, incident.raised_with_host_at) == ("", None)


def test_the_lead_and_host_complete_and_sign_through_the_page(pctr, client):
    review, people = pctr
    incident = raise_one(review, people, "member")
    url = reverse("safeguarding:incident", args=[incident.pk])
    client.force_login(people["lead"])
    response = client.post(
        url,
        {"action": "raised_with_host", **moment_input("raised_with_host_at", "17 11 2026 noon")},
    )
    assert response.status_code == 400
    assert 'value="noon"' in response.content.decode()
    client.post(
        url,
        {"action": "raised_with_host", **moment_input("raised_with_host_at", "17 11 2026 11:15")},
    )
    page = client.get(url).content.decode()
    assert "17 November 2026, 11:15" in page
    # No signature before the host's action is there to be signed (R25).
    assert _forms(page) == {"raised-with-host", "pdf"}
    assert (
        '<p class="govuk-body" id="sign">The record cannot be signed yet: the host has not '
        "recorded the action they will take." in page
    )
    response = client.post(url, {"action": "sign"})
    assert response.status_code == 409
    assert "The record cannot be signed yet" in response.content.decode()

    client.force_login(people["host_dcs"])
    response = client.post(url, {"action": "respond", "host_action": "  "})
    assert response.status_code == 400
    assert "Say what action the host will take." in response.content.decode()
    client.post(url, {"action": "respond", "host_action": "Every plan reviewed."})
    assert _forms(client.get(url).content.decode()) == {"respond", "sign", "pdf"}
    client.post(url, {"action": "sign"})

    # Once the host has signed, the lead signs what the host signed and can change nothing.
    client.force_login(people["lead"])
    assert _forms(client.get(url).content.decode()) == {"sign", "pdf"}
    client.post(url, {"action": "sign"})
    page = client.get(url).content.decode()
    assert 'id="frozen"' in page
    assert _forms(page) == {"addendum", "pdf"}
    client.post(url, {"action": "addendum", "text": "The child was seen."})
    incident.refresh_from_db()
    assert incident.is_frozen
    assert [a.text for a in incident.addenda.all()] == ["The child was seen."]
    # A sign sent again after freezing is refused with the reason.
    response = client.post(url, {"action": "sign"})
    assert response.status_code == 409
    assert "it can no longer be changed" in response.content.decode()


def test_a_frozen_record_offers_no_changes(pctr, client):
    review, people = pctr
    incident = signed(review, people)
    assert incident.raised_with_host_at == RAISED_WITH_HOST
    url = reverse("safeguarding:incident", args=[incident.pk])
    # What each may do in general is refused for the record's state (409, with the
    # reason); what they may never do is refused outright (403).
    statuses = {
        "lead": {"sign": 409, "raised_with_host": 409, "respond": 403},
        "host_dcs": {"sign": 409, "respond": 409, "raised_with_host": 403},
    }
    for who, expected in statuses.items():
        page = _get(client, people[who], "safeguarding:incident", incident.pk).content.decode()
        assert _forms(page) == {"addendum", "pdf"}
        for action, status in expected.items():
            response = client.post(
                url,
                {
                    "action": action,
                    "host_action": "Other.",
                    **moment_input("raised_with_host_at", "17 11 2026 9:00"),
                },
            )
            assert response.status_code == status, (who, action)
    incident.refresh_from_db()
    assert (incident.host_action, incident.raised_with_host_at) == (
        "A manager reviews every open plan by Friday.",
        RAISED_WITH_HOST,
    )


def test_a_host_leader_whose_colleague_signed_meanwhile_keeps_what_they_typed(pctr, client):
    """Two host leaders at once: the AD signs while the DCS is rewriting the action. The
    DCS's POST saves nothing, says why, and shows what they typed, escaped, to copy."""
    review, people = pctr
    incident = raise_one(review, people, "member")
    url = reverse("safeguarding:incident", args=[incident.pk])
    client.force_login(people["lead"])
    client.post(
        url,
        {"action": "raised_with_host", **moment_input("raised_with_host_at", "17 11 2026 11:15")},
    )
    client.force_login(people["host_ad"])
    client.post(url, {"action": "respond", "host_action": "A manager reviews every plan."})
    client.post(url, {"action": "sign"})

    client.force_login(people["host_dcs"])
    typed = "Every plan <b>audited</b> by Friday,\nand a report to the board."
    response = client.post(url, {"action": "respond", "host_action": typed})
    page = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error:" in page
    moved_on = page.split('id="moved-on"')[1].split("</div>\n</div>")[0]
    assert "The record has been signed: the host&#x27;s action is part of it." in moved_on
    assert "What you typed is kept below" in moved_on
    unsaved = page.split('<details class="govuk-details" id="unsaved" open>')[1].split(
        "</details>"
    )[0]
    assert "Every plan &lt;b&gt;audited&lt;/b&gt; by Friday,<br>and a report to the board." in (
        unsaved
    )
    assert "<b>audited</b>" not in page
    assert "<textarea" not in unsaved  # shown read-only
    incident.refresh_from_db()
    assert (incident.host_action, incident.host_signed_by) == (
        "A manager reviews every plan.",
        people["host_ad"],
    )
    # A sign of their own, with nothing typed, is told the AD signed: no details shown.
    response = client.post(url, {"action": "sign"})
    page = response.content.decode()
    assert response.status_code == 409
    assert f"{people['host_ad'].full_name} has already signed this record for the host." in page
    assert 'id="unsaved"' not in page


def test_textareas_take_a_long_paste_and_the_server_says_when_it_is_too_long(pctr, client):
    """No HTML maxlength: a browser would cut a paste short without a word; the limit is
    kept on the server, said at the field, with all that was typed kept."""
    review, people = pctr
    client.force_login(people["member"])
    url = reverse("safeguarding:incident_raise", args=[review.pk])
    textareas = client.get(url).content.decode().split("<textarea")[1:]
    assert len(textareas) == 4
    assert [t.split(">")[0] for t in textareas if "maxlength" in t.split(">")[0]] == []
    long_text = "x" * 10_001
    response = client.post(
        url,
        {
            **TEXTS,
            "evidence": long_text,
            **moment_input("identified_at", "17 11 2026 10:30"),
            "identified_by": people["member"].pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Shorten this to 10,000 characters or fewer: it has 10001." in _field_error(
        page, "evidence"
    )
    assert long_text in page
    assert CriticalIncident.objects.count() == 0

    incident = raise_one(review, people, "member")
    client.force_login(people["host_dcs"])
    page = client.get(reverse("safeguarding:incident", args=[incident.pk])).content.decode()
    textareas = page.split("<textarea")[1:]
    assert len(textareas) == 1
    assert "maxlength" not in textareas[0].split(">")[0]
    assert 'name="host_action"' in textareas[0]


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_takes_the_same_queries_for_one_or_three(
    pctr, client, count, django_assert_num_queries
):
    review, people = pctr
    for _ in range(count):
        raise_one(review, people, "member")
    client.force_login(people["qa"])
    url = reverse("safeguarding:incidents", args=[review.pk])
    with django_assert_num_queries(9):
        page = client.get(url).content.decode()
    assert page.count('href="/safeguarding/incident/') == count


def test_the_raise_buttons_ignore_a_double_click(pctr, client):
    # GOV.UK Frontend's button module drops a second click within a second: one click,
    # one incident, one round of e-mails to the host and the QA (R25). The same for the
    # host's concern (R26) and the lead's emerging issue (R24).
    review, people = pctr
    pages = [
        (people["member"], reverse("safeguarding:incident_raise", args=[review.pk]), "raise"),
        (people["host_dcs"], reverse("reviews:escalations", args=[review.pk]), "raise"),
    ]
    for person, url, name in pages:
        client.force_login(person)
        html = client.get(url).content.decode()
        button = html.split(f'<button name="{name}"', 1)[1].split(">", 1)[0]
        assert 'data-module="govuk-button" data-prevent-double-click="true"' in button, url
    client.force_login(people["lead"])
    html = client.get(reverse("reviews:emerging_issues", args=[review.pk])).content.decode()
    assert 'data-prevent-double-click="true">Share with the host</button>' in html
