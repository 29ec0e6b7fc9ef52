"""Reminders (R37): each sent exactly once per (deadline, recipient, step).

The sweep (Celery beat, or ``manage.py sweep_reminders``) reads every open deadline, adds
to the outbox a row for each recipient whose step has come, and hands each new row to the
worker. The worker sends a row inside a transaction that holds the row's lock: it skips a
row already sent, cancels one whose work is done, and marks the row sent in the same
transaction as the send. A worker killed mid-send rolls the row back to waiting; the
message is delivered again (late acknowledgement, ``task_reject_on_worker_lost``) and, if
even that is lost, the next sweep hands the row out again after REMINDER_REQUEUE_AFTER.
"""

import dataclasses
import datetime
import json
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.template import loader
from django.utils import timezone

from emslirp import deadlines
from emslirp.models import Reminder, ReminderState, User
from emslirp.notices import notices_are_held
from emslirp.queue import task_enqueue
from emslirp.text import long_date
from emslirp.working_days import working_days_after

logger = logging.getLogger(__name__)

_SWEEP_LOCK = "emslirp:reminders:sweep"
SWEEP_LOCK_SECONDS = 600


class ReminderRefused(Exception):
    """A reminder by hand that cannot be sent; the message says why."""


@dataclasses.dataclass(frozen=True)
class SweepResult:
    open_deadlines: int
    created: int
    handed_out: list[int]


def _reachable(person: User) -> bool:
    return person.is_active and bool(person.email)


def _insert_missing(rows: list[dict], now: datetime.datetime) -> int:
    """Add ``rows`` to the outbox, leaving alone those already there (the unique
    (deadline, recipient, step)), in one statement however many rows there are.
    Returns how many were added."""
    if not rows:
        return 0
    table = connection.ops.quote_name(Reminder._meta.db_table)
    columns = "kind, subject, recipient_id, step, region_id, title, due_on"
    if connection.vendor == "postgresql":
        source = (
            "SELECT x.kind, x.subject, x.recipient_id, x.step, x.region_id, x.title, x.due_on "
            "FROM jsonb_to_recordset(%s::jsonb) AS x(kind text, subject text, "
            "recipient_id bigint, step smallint, region_id bigint, title text, due_on date)"
        )
    else:
        source = (
            "SELECT json_extract(value, '$.kind'), json_extract(value, '$.subject'), "
            "json_extract(value, '$.recipient_id'), json_extract(value, '$.step'), "
            "json_extract(value, '$.region_id'), json_extract(value, '$.title'), "
            "json_extract(value, '$.due_on') FROM json_each(%s) WHERE true"
        )
    sql = (
        f"INSERT INTO {table} ({columns}, state, created_at, sent_to, attempts, failure) "  # noqa: S608 (names are ours)
        f"SELECT s.*, %s, %s, '', 0, '' FROM ({source}) AS s WHERE true ON CONFLICT DO NOTHING"
    )
    created_at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ReminderState.PENDING, created_at, json.dumps(rows)])
        return max(cursor.rowcount, 0)


def _to_hand_out(now: datetime.datetime):
    stale = now - settings.REMINDER_REQUEUE_AFTER
    return Reminder.objects.filter(state=ReminderState.PENDING).filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    )


def _hand_out(pks: list[int]) -> None:
    """Give the rows to the worker. If the broker cannot be reached the rows stay waiting,
    and the next sweep after REMINDER_REQUEUE_AFTER hands them out again."""
    try:
        for pk in pks:
            task_enqueue("emslirp.tasks.task_reminder_send", reminder_id=pk)
    except Exception:
        logger.exception("could not hand %d reminders to the worker; the sweep will", len(pks))


def reminders_sweep(*, now: datetime.datetime | None = None, hand_out: bool = True) -> SweepResult:
    """One sweep: the outbox gains a row for each recipient of each open deadline whose
    latest step has come (``deadlines.step_reached``) and who has none for that step;
    every row waiting (new, or handed out more than REMINDER_REQUEUE_AFTER ago) is handed
    to the worker once the sweep commits. Running it twice adds and sends nothing new.
    A fixed number of queries, however many reviews there are."""
    on = timezone.localdate() if now is None else timezone.localtime(now).date()
    now = now or timezone.now()
    token = secrets.token_hex(8)
    if not cache.add(_SWEEP_LOCK, token, timeout=SWEEP_LOCK_SECONDS):
        logger.info("a reminder sweep is already running; this one stops")
        return SweepResult(0, 0, [])
    try:
        found = deadlines.open_deadlines(on=on)
        rows = []
        for deadline in found:
            step = deadlines.step_reached(deadline, on)
            if step is None:
                continue
            rows += [
                {
                    "kind": deadline.kind,
                    "subject": deadline.subject,
                    "recipient_id": person.pk,
                    "step": step,
                    "region_id": deadline.region_id,
                    "title": deadline.title[:300],
                    "due_on": deadline.due_on.isoformat(),
                }
                for person in deadline.recipients
                if _reachable(person)
            ]
        with transaction.atomic():
            created = _insert_missing(rows, now)
            waiting = _to_hand_out(now)
            pks = list(waiting.order_by("pk").values_list("pk", flat=True))
            if pks and hand_out:
                waiting.update(enqueued_at=now)
                transaction.on_commit(lambda: _hand_out(pks))
    finally:
        # Only this sweep's own lock: one that outlived its timeout may be another's now.
        if cache.get(_SWEEP_LOCK) == token:
            cache.delete(_SWEEP_LOCK)
    logger.info(
        "reminder sweep: %d open deadlines, %d reminders added, %d handed out",
        len(found),
        created,
        len(pks) if hand_out else 0,
    )
    return SweepResult(len(found), created, pks if hand_out else [])


def reminder_message(
    reminder: Reminder, deadline: deadlines.Deadline, *, on: datetime.date
) -> EmailMultiAlternatives:
    """The e-mail of ``reminder``: what is due, by when, how late if it is, and a link;
    in plain text and HTML. Only what the deadline's title says of the review is in it
    (R30: a SAV's host DCS reads the window, never the dates or the team)."""
    late = working_days_after(deadline.due_on, on)
    context = {
        "recipient": reminder.recipient,
        "title": deadline.title,
        "kind": deadlines.kind_label(deadline.kind),
        "due_on": deadline.due_on,
        "late": late,
        "by_hand": reminder.requested_by,
        "url": settings.BASE_URL + deadline.url,
        "site_name": settings.SERVICE_NAME,
    }
    # The subject says what it is about and by when, never the detail (the body has it).
    about = deadlines.KINDS[deadline.kind].subject
    subject = (
        f"Overdue: {about}, due {long_date(deadline.due_on)}"
        if late
        else f"Reminder: {about}, due by {long_date(deadline.due_on)}"
    )
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">") or "emslirp.localhost"
    message = EmailMultiAlternatives(
        subject=subject,
        body=loader.render_to_string("emslirp/email/reminder.txt", context),
        to=[reminder.recipient.email],
        # The same reminder always carries the same Message-ID, so that a mail system that
        # sees it twice (the one case no transaction can close: killed between the mail
        # server's acceptance and the commit) can tell it is one message.
        headers={"Message-ID": f"<reminder-{reminder.pk}@{domain}>"},
    )
    message.attach_alternative(
        loader.render_to_string("emslirp/email/reminder.html", context), "text/html"
    )
    return message


def reminder_send(*, pk: int, now: datetime.datetime | None = None) -> str:
    """Send outbox row ``pk`` once: "sent"; "skipped" if it was sent, cancelled, given up
    or is gone; "cancelled" if its work is done, its recipient no longer among the
    deadline's, or a later step of it (for the same due date) is in the outbox; "failed"
    if the mail server refused it (counted; given up after REMINDER_MAX_ATTEMPTS). The
    row is locked for the whole send, so two deliveries of one row never both send."""
    on = timezone.localdate() if now is None else timezone.localtime(now).date()
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("recipient", "requested_by")
            .filter(pk=pk)
            .first()
        )
        if reminder is None or reminder.state != ReminderState.PENDING:
            return "skipped"
        if notices_are_held():
            # The demo's records are loading: nothing goes, and the row waits for a sweep.
            return "held"
        deadline = deadlines.deadline_get(kind=reminder.kind, subject=reminder.subject, on=on)
        superseded = (
            reminder.step is not None
            and Reminder.objects.filter(
                kind=reminder.kind,
                subject=reminder.subject,
                recipient=reminder.recipient_id,
                due_on=reminder.due_on,
                step__gt=reminder.step,
            ).exists()
        )
        if (
            deadline is None
            or superseded
            or not _reachable(reminder.recipient)
            or all(p.pk != reminder.recipient_id for p in deadline.recipients)
        ):
            reminder.state = ReminderState.CANCELLED
            reminder.save(update_fields=["state"])
            return "cancelled"
        try:
            reminder_message(reminder, deadline, on=on).send()
        except DatabaseError:
            raise
        except Exception as error:
            # The mail server refused it: counted, tried again by a later sweep, and given
            # up after REMINDER_MAX_ATTEMPTS, so that one bad address blocks nothing.
            logger.exception("reminder %d could not be sent", pk)
            reminder.attempts += 1
            reminder.failure = f"{type(error).__name__}: {error}"[:1000]
            if reminder.attempts >= settings.REMINDER_MAX_ATTEMPTS:
                reminder.state = ReminderState.FAILED
            reminder.save(update_fields=["attempts", "failure", "state"])
            return "failed"
        reminder.state = ReminderState.SENT
        reminder.sent_at = now
        reminder.sent_to = reminder.recipient.email
        reminder.save(update_fields=["state", "sent_at", "sent_to"])
    logger.info("sent reminder %d (%s)", pk, reminder.kind)
    return "sent"


def reminders_send_now(
    *, kind: str, subject: str, by: User, now: datetime.datetime | None = None
) -> int:
    """A reminder sent by hand ("remind now"): one to each of the deadline's recipients of
    the day, whatever the steps, at most once a day each. Returns how many go. Refused
    (ReminderRefused, one answer for all, so that trying tells nothing of what exists
    elsewhere, R2, R30) if the work is done, the deadline never was, or ``by`` may not
    remind of it (``deadlines.may_remind_by_hand``: the coordinator of its region, or for
    reflections the QA); and if everyone was reminded of it by hand today."""
    on = timezone.localdate() if now is None else timezone.localtime(now).date()
    now = now or timezone.now()
    deadline = (
        deadlines.deadline_get(kind=kind, subject=subject, on=on)
        if kind in deadlines.KINDS
        else None
    )
    if (
        deadline is None
        or deadline.subject != subject
        or not deadlines.may_remind_by_hand(person=by, deadline=deadline, on=on)
    ):
        raise ReminderRefused(
            "Nothing waits for that any more that you can remind of: it may have been done "
            "since the page was loaded."
        )
    people = [p for p in deadline.recipients if _reachable(p)]
    if not people:
        raise ReminderRefused(
            "Nobody can be reminded: nobody it waits for has an open account with an e-mail "
            "address."
        )
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    kind=kind,
                    subject=subject,
                    recipient=person,
                    requested_by=by,
                    requested_on=on,
                    region_id=deadline.region_id,
                    title=deadline.title[:300],
                    due_on=deadline.due_on,
                    created_at=now,
                    enqueued_at=now,
                )
                for person in people
            ],
            ignore_conflicts=True,
        )
        pks = list(
            Reminder.objects.filter(
                kind=kind,
                subject=subject,
                requested_on=on,
                requested_by=by,
                step__isnull=True,
                created_at=now,
                state=ReminderState.PENDING,
            ).values_list("pk", flat=True)
        )
        if not pks:
            raise ReminderRefused("Everyone was already reminded of it by hand today.")
        transaction.on_commit(lambda: _hand_out(pks))
    return len(pks)
