"""Every deadline of the programme (R37), in one place.

Each app says, in its own ``deadlines.py``, which of its records are waiting for someone
and by when, and registers those kinds here from its ``AppConfig.ready()``; this module
gathers them. A deadline is open while the work is not done: the
collectors read the records afresh each time, so a deadline whose work is done is simply
no longer among them, and its reminders stop (``emslirp.reminders``).

Due dates are computed from the records in working days (R36), on Europe/London dates.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.conf import settings

from emslirp.models import User
from emslirp.working_days import working_days_shift


@dataclasses.dataclass(frozen=True)
class Deadline:
    """One piece of work waiting for ``recipients`` by ``due_on``. ``kind`` and ``subject``
    name it for good: the same work gives the same pair on every sweep."""

    kind: str
    subject: str
    title: str  # what is to be done, as an instruction: "Issue the final feedback letter…"
    due_on: datetime.date
    url: str  # a path on this site
    region_id: int
    recipients: tuple[User, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.subject)

    def overdue(self, on: datetime.date) -> bool:
        return on > self.due_on


@dataclasses.dataclass(frozen=True)
class Kind:
    label: str  # what the coordinator's page calls it
    # The function that finds them: (*, on, subject=None, person=None) -> list[Deadline].
    collector: Callable[..., list[Deadline]]
    # What an e-mail's subject line says: enough to know what it is about, nothing that a
    # glance at a phone or a shared inbox should not see (R30: not a SAV's window).
    subject: str
    # Whether the coordinator follows it on their page and may remind by hand. Not the
    # reflections, of which R29 gives the coordinator nothing (the QA sees completion),
    # nor the QA's proofreading of a draft letter, which R29 keeps from the coordinator.
    coordinator_follows: bool = True
    # Who else may send a reminder of it by hand: (person, deadline, on) -> bool; the QA
    # for reflections (R27: they see who has completed).
    reminded_by: Callable[[User, Deadline, datetime.date], bool] | None = None


# Every kind of deadline, by name. Filled by the apps from their ``AppConfig.ready()``
# (``deadline_kinds_register``): the core knows what a deadline is, the apps know which
# of their records are waiting, and the core imports no app.
KINDS: dict[str, Kind] = {}


def deadline_kinds_register(kinds: dict[str, Kind]) -> None:
    """Add an app's kinds of deadline. A name is registered once: two apps claiming the
    same name would send each other's reminders."""
    for name, kind in kinds.items():
        if KINDS.get(name, kind) != kind:
            raise ValueError(f"deadline kind {name!r} is registered twice")
        KINDS[name] = kind


def coordinator_kinds() -> frozenset[str]:
    """The kinds on the coordinator's page."""
    return frozenset(k for k, kind in KINDS.items() if kind.coordinator_follows)


def subject_pk(subject: str) -> int:
    """The record a deadline's subject names first ("42" or "42/2026-11-27"): its pk, or
    -1, which names nothing, for a subject that is not one of ours."""
    head = subject.split("/", 1)[0]
    return int(head) if head.isdigit() else -1


def kind_label(kind: str) -> str:
    return KINDS[kind].label


def _collector(kind: str):
    return KINDS[kind].collector


def may_remind_by_hand(*, person: User, deadline: Deadline, on: datetime.date) -> bool:
    """Whether ``person`` may send a reminder of ``deadline`` by hand: a coordinator of its
    region for the kinds they follow; for the others, whom the kind names (or nobody)."""
    kind = KINDS[deadline.kind]
    if kind.coordinator_follows:
        from emslirp.permissions import coordinated_regions

        return coordinated_regions(person, on=on).filter(pk=deadline.region_id).exists()
    return kind.reminded_by is not None and kind.reminded_by(person, deadline, on)


def open_deadlines(*, on: datetime.date, person: User | None = None) -> list[Deadline]:
    """Every open deadline on ``on``, soonest due first. A fixed number of queries, however
    many reviews, letters or applications there are (about two per kind). Given a
    ``person``, each kind reads only the records that person could be asked about (their
    posts, team places, applications to sponsor): a narrowing only, whose deadlines are
    those of the whole list that name them."""
    found = [d for kind in KINDS for d in _collector(kind)(on=on, person=person)]
    return sorted(found, key=lambda d: (d.due_on, d.kind, d.subject))


def deadline_get(*, kind: str, subject: str, on: datetime.date) -> Deadline | None:
    """The one deadline ``kind``/``subject`` if it is still open on ``on``, with its
    recipients of that day; None once its work is done."""
    if kind not in KINDS:
        return None
    found = _collector(kind)(on=on, subject=subject)
    return found[0] if found else None


def deadlines_for(*, person: User, on: datetime.date) -> list[Deadline]:
    """The open deadlines waiting for ``person``, soonest due first (the home page's
    "what needs you")."""
    mine = open_deadlines(on=on, person=person)
    return [d for d in mine if any(r.pk == person.pk for r in d.recipients)]


def steps(kind: str) -> tuple[int, ...]:
    """When reminders of ``kind`` go: working days relative to the due date, negative
    before it, 0 on it, positive after it (overdue). A setting (REMINDER_STEPS)."""
    return tuple(sorted(settings.REMINDER_STEPS[kind]))


def step_day(due_on: datetime.date, step: int) -> datetime.date:
    return working_days_shift(due_on, step)


def step_reached(deadline: Deadline, on: datetime.date) -> int | None:
    """The latest step of ``deadline`` whose day has come by ``on``, or None before the
    first. Only that step is sent: a deadline found late, or a sweep that did not run for a
    while, never sends the steps it missed in a burst."""
    reached = [s for s in steps(deadline.kind) if step_day(deadline.due_on, s) <= on]
    return reached[-1] if reached else None
