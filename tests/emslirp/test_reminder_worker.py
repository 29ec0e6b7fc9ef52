"""Reminders in production's processes (R37): a real Celery beat and worker, separate
processes on the real Redis and the test's PostgreSQL database, send the due reminders of
a seeded review; and a worker killed with SIGKILL in the middle of a batch, then started
again, ends with every reminder sent exactly once, counted in the outbox and in the mail.

The processes send through ``tests.mailroom``'s backend, which writes each message as a row
in the sending transaction: a message counts only if its transaction committed, as the
reminder's "sent" mark does. These tests need Redis and PostgreSQL (CI's second run); the
in-process tests of the outbox are in ``tests/emslirp/test_reminders.py``."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from emslirp import reminders
from emslirp.celery import app as celery_app
from emslirp.deadlines import open_deadlines, step_reached
from emslirp.models import LocalAuthority, PostKind, Reminder, ReminderState
from emslirp.working_days import working_days_shift
from reviews.review.models import Review, ReviewState, TeamMember, TeamRole
from safeguarding.models import CriticalIncident
from tests.factories import ExpressionOfInterestFactory, PostFactory, UserFactory
from tests.mailroom.models import SentMail

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not (settings.REDIS_URL and connection.vendor == "postgresql"),
        reason="needs the real Redis and PostgreSQL (CI's second run)",
    ),
]

WAIT = 90  # seconds: generous for a loaded CI machine, never reached when all is well


def _env(tmp_path: Path, **extra) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "REDIS_URL": settings.REDIS_URL,
        "EMSLIRP_VAR_DIR": str(tmp_path),
        "EMSLIRP_TEST_EMAIL_BACKEND": "tests.mailroom.backend.DatabaseBackend",
        # A message taken by a worker that died goes back to the queue after 3 s, not 1 h.
        "EMSLIRP_BROKER_VISIBILITY_TIMEOUT": "3",
        "EMSLIRP_BROKER_RESTORE_INTERVAL": "1",
        # The processes share the test's clock, whatever the suite's day.
        "EMSLIRP_TEST_NOW": timezone.now().isoformat(),
        **extra,
    }


def _start(kind: str, tmp_path: Path, env: dict, name: str) -> subprocess.Popen:
    args = [sys.executable, "-m", "celery", "-A", "emslirp", kind, "--loglevel", "INFO"]
    if kind == "worker":
        args += ["--pool", "solo", "--without-gossip", "--without-mingle", "-n", f"{name}@%h"]
    else:
        args += ["--schedule", str(tmp_path / "celerybeat-schedule")]
    with open(tmp_path / f"{name}.log", "ab") as log:  # the child keeps its own copy
        return subprocess.Popen(
            args,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that a kill reaches it all
        )


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for(condition, what: str, logs: Path):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    tails = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs.glob("*.log"))
    pytest.fail(f"waited {WAIT} s for {what}\n{tails}")


@pytest.fixture
def broker():
    """The real broker, emptied before and after: nothing of this test is left queued for
    another, nor anything of another for this one."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    yield
    celery_app.control.purge()
    celery_app.conf.task_always_eager = eager


def expected(today: datetime.date) -> set[tuple[str, str, int]]:
    """(kind, subject, recipient) of every reminder whose step has come today."""
    return {
        (d.kind, d.subject, p.pk)
        for d in open_deadlines(on=today)
        if step_reached(d, today) is not None
        for p in d.recipients
    }


def sent_rows() -> set[tuple[str, str, int]]:
    return set(
        Reminder.objects.filter(state=ReminderState.SENT).values_list(
            "kind", "subject", "recipient_id"
        )
    )


def test_beat_and_a_worker_send_the_due_reminders_of_a_review(
    broker, tmp_path, east_midlands, coordinator
):
    today = timezone.localdate()
    rutland = LocalAuthority.objects.get(region=east_midlands, name="Rutland")
    derby = LocalAuthority.objects.get(region=east_midlands, name="Derby City")
    host_dcs = UserFactory(full_name="Hana Host")
    PostFactory(holder=host_dcs, kind=PostKind.DCS, local_authority=rutland)
    host_ad = UserFactory(full_name="Al Host")
    PostFactory(holder=host_ad, kind=PostKind.SAFEGUARDING_LEAD, local_authority=rutland)
    lead = UserFactory(full_name="Lee Lead")
    # A PCTR whose visit ended four weeks ago: its letter is overdue, and an incident
    # raised with the host waits for their response.
    last_day = today - datetime.timedelta(days=28)
    review = Review.objects.create(
        kind="pctr",
        host=rutland,
        starts_on=last_day - datetime.timedelta(days=10),
        ends_on=last_day + datetime.timedelta(days=10),
        state=ReviewState.AFTER_VISIT,
        onsite_from=last_day - datetime.timedelta(days=2),
        onsite_to=last_day,
    )
    TeamMember.objects.create(
        review=review, person=lead, role=TeamRole.LEAD, local_authority=derby, assigned_by=lead
    )
    # Raised two working days ago (whatever day CI runs on): its response is overdue.
    raised_on = working_days_shift(today, -2)
    moment = timezone.make_aware(datetime.datetime.combine(raised_on, datetime.time(9)))
    CriticalIncident.objects.create(
        review=review,
        local_authority_name="Rutland",
        host_dcs_name="Hana Host",
        lead_name="Lee Lead",
        review_dates="",
        incident="A child seen alone at the front door.",
        nature="Safeguarding.",
        evidence="Observed.",
        identified_at=moment,
        identified_by=lead,
        initial_action="Told the duty manager.",
        raised_by=lead,
        raised_at=moment,
        raised_with_host_at=moment,
    )
    want = expected(today)
    kinds = {(kind, recipient) for kind, _subject, recipient in want}
    assert {("letter_due", lead.pk), ("incident_response", host_dcs.pk)} <= kinds
    assert ("incident_response", host_ad.pk) in kinds

    env = _env(tmp_path, EMSLIRP_REMINDER_SWEEP_SECONDS="1")
    worker = _start("worker", tmp_path, env, "worker")
    beat = _start("beat", tmp_path, env, "beat")
    try:
        _wait_for(lambda: sent_rows() == want, "every due reminder to be sent", tmp_path)
        # Beat goes on sweeping every second: give it three more sweeps to send any twice.
        time.sleep(3.5)
    finally:
        _stop(beat)
        _stop(worker)
    assert sent_rows() == want
    assert Reminder.objects.count() == len(want)
    mails = list(SentMail.objects.values_list("message_id", flat=True))
    assert sorted(mails) == sorted(
        f"<reminder-{pk}@emslirp.localhost>" for pk in Reminder.objects.values_list("pk", flat=True)
    )
    sent_to = set(SentMail.objects.values_list("to", flat=True))
    assert {lead.email, host_dcs.email, host_ad.email} <= sent_to


def test_a_worker_killed_mid_batch_and_restarted_sends_each_reminder_exactly_once(
    broker, tmp_path, east_midlands
):
    rutland = LocalAuthority.objects.get(region=east_midlands, name="Rutland")
    sponsor = UserFactory(full_name="Sue Sponsor")
    PostFactory(holder=sponsor, kind=PostKind.DCS, local_authority=rutland)
    # Twenty applications waiting for their sponsor for four weeks: twenty reminders.
    for _ in range(20):
        ExpressionOfInterestFactory(
            submitted=True,
            local_authority=rutland,
            submitted_at=timezone.now() - datetime.timedelta(days=28),
        )
    result = reminders.reminders_sweep()  # hands the batch to the broker as it commits
    total = Reminder.objects.count()
    assert len(result.handed_out) == total >= 20

    attempts = tmp_path / "attempts.txt"
    attempts.touch()
    env = _env(
        tmp_path,
        EMSLIRP_TEST_MAIL_DELAY="0.4",  # a slow mail server: each send holds 0.4 s
        EMSLIRP_TEST_MAIL_ATTEMPTS=str(attempts),
    )

    def tried() -> list[str]:
        return attempts.read_text().split()

    worker = _start("worker", tmp_path, env, "worker-1")
    try:
        # Kill it while a send is under way: attempted, not yet committed.
        _wait_for(
            lambda: SentMail.objects.count() >= 3 and len(tried()) > SentMail.objects.count(),
            "the worker to be in the middle of a send",
            tmp_path,
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)
    finally:
        _stop(worker, signal.SIGKILL)
    killed_at = SentMail.objects.count()
    in_flight = tried()[-1]
    assert 3 <= killed_at < total
    # The send it was killed in left nothing: its mail and its "sent" rolled back together.
    assert not SentMail.objects.filter(message_id=in_flight).exists()
    assert Reminder.objects.filter(state=ReminderState.SENT).count() == killed_at

    worker = _start("worker", tmp_path, env, "worker-2")
    try:
        _wait_for(
            lambda: Reminder.objects.filter(state=ReminderState.SENT).count() == total,
            "the restarted worker to send the rest",
            tmp_path,
        )
        time.sleep(1)  # anything sent twice would show by now
    finally:
        _stop(worker)
    mails = list(SentMail.objects.values_list("message_id", flat=True))
    ids = {
        f"<reminder-{pk}@emslirp.localhost>" for pk in Reminder.objects.values_list("pk", flat=True)
    }
    assert len(mails) == total
    assert set(mails) == ids  # each reminder's mail once
    assert Reminder.objects.filter(state=ReminderState.SENT).count() == total
    # The one in flight was attempted twice and counted once.
    assert tried().count(in_flight) == 2
    assert mails.count(in_flight) == 1
