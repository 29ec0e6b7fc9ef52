"""E-mail leaves the request through Celery: a real worker, on the configured broker
(the in-memory one locally, Redis when REDIS_URL is set, as in CI), sends it."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.celery_worker]


def wait_for_mail(count, seconds=20):
    deadline = time.monotonic() + seconds
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return mail.outbox


def test_password_reset_mail_is_sent_by_the_worker_after_commit(
    client, real_worker, django_capture_on_commit_callbacks
):
    UserFactory(email="wendy.worker@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("password_reset"), {"email": "wendy.worker@example.org"})
    # Nothing is queued until the transaction commits.
    assert (len(callbacks), mail.outbox) == (1, [])
    callbacks[0]()
    assert [m.to for m in wait_for_mail(1)] == [["wendy.worker@example.org"]]
