"""R33: every change to the core models is kept, with who made it."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from emslirp import services
from emslirp.models import LocalAuthority, Post, PostKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp")


def test_a_change_in_the_admin_is_logged_with_the_coordinator(client, coordinator):
    rutland = LocalAuthority.objects.get(name="Rutland")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:emslirp_localauthority_change", args=[rutland.pk]),
        {
            "name": "Rutland",
            "region": rutland.region_id,
            "active_from": "1997-04-01",
            "active_to": "2099-03-31",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    entry = entries_for(rutland).last()
    assert entry.actor == coordinator
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["active_to"] == ["None", "2099-03-31"]


def test_a_new_post_is_logged(la):
    person = UserFactory()
    post = services.post_assign(
        holder=person,
        kind=PostKind.DCS,
        local_authority=la("Rutland"),
        started_on=datetime.date(2026, 1, 1),
    )
    [entry] = entries_for(post)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes_dict["holder"][1] == str(person.pk)


def test_a_password_change_is_logged_without_the_hash():
    person = UserFactory()
    person.full_name = "Renamed Person"
    person.set_password("another-long-passphrase")
    person.save()
    changes = entries_for(person).last().changes_dict
    assert changes["full_name"][1] == "Renamed Person"
    assert "password" not in changes


def test_ending_a_post_is_logged(la):
    post = services.post_assign(
        holder=UserFactory(),
        kind=PostKind.DCS,
        local_authority=la("Rutland"),
        started_on=datetime.date(2026, 1, 1),
    )
    services.post_end(post=Post.objects.get(pk=post.pk), last_day=datetime.date(2026, 6, 30))
    assert entries_for(post).last().changes_dict == {"ended_on": ["None", "2026-06-30"]}
