"""Used form tokens are not kept for ever (STYLE 13): once a form could no longer be sent
again (signing in again changes the page's CSRF token; a session lasts ten hours), its
token is removed by a daily task, and the ones that could still meet a repeat stay."""

import datetime
import uuid

from django.conf import settings
from django.utils import timezone

from emslirp.idempotency import KEPT, form_tokens_purge
from emslirp.models import FormToken
from emslirp.tasks import task_form_tokens_purge
from tests.factories import UserFactory


def _used(person, ago: datetime.timedelta) -> FormToken:
    return FormToken.objects.create(
        token=uuid.uuid4(),
        user=person,
        used_at=timezone.now() - ago,
        path="/somewhere/",
        location="/somewhere/else/",
    )


def test_tokens_older_than_a_week_are_removed_and_the_rest_kept(db):
    person = UserFactory()
    old = _used(person, KEPT + datetime.timedelta(minutes=1))
    recent = _used(person, KEPT - datetime.timedelta(minutes=1))
    today = _used(person, datetime.timedelta(seconds=5))
    assert form_tokens_purge() == 1
    assert set(FormToken.objects.values_list("token", flat=True)) == {recent.token, today.token}
    assert not FormToken.objects.filter(token=old.token).exists()
    # Kept far longer than any page could still be sent again.
    assert datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE) < KEPT


def test_the_daily_task_purges_them(db):
    person = UserFactory()
    _used(person, KEPT * 2)
    task_form_tokens_purge.delay()
    assert FormToken.objects.count() == 0
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "emslirp.tasks.task_form_tokens_purge" in beat
