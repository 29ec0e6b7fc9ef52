"""The calendar's rules (R10–R12), checked over plain data so that the planner, the pages,
the import and the command line all ask the same validator.

Hard rules are errors: every active LA hosts, leads and is QA exactly once per round (a
PCTR cycle or a SAV interval), host, lead and QA are three different LAs, nobody is
planned while their LA is in a blackout or does not exist, and no two LAs lead each
other's review (reciprocal leads). Soft rules are warnings with their measure: more than
one activity for an LA in a quarter, an uneven
spread of reviews over the years, SAV visits spaced away from the interval.
"""

import dataclasses
import datetime
import itertools
from collections import Counter, defaultdict

from calendar_planner.periods import (
    PCTR,
    SAV,
    SLOT_MONTHS,
    add_months,
    months_between,
    quarter_label,
    quarters_of,
    slot_end,
    slot_label,
)

ERROR = "error"
WARNING = "warning"
ROUND_RULE = {PCTR: "R10", SAV: "R11"}
NOUN = {PCTR: "PCTR", SAV: "SAV"}
ROUND_NOUN = {PCTR: "cycle", SAV: "interval"}


@dataclasses.dataclass(frozen=True)
class Authority:
    """An LA as the calendar sees it: when it exists and when it cannot take part."""

    name: str
    active_from: datetime.date = datetime.date.min
    active_to: datetime.date | None = None
    # (first day, last day, reason)
    blackouts: tuple[tuple[datetime.date, datetime.date, str], ...] = ()

    def active_throughout(self, first: datetime.date, last: datetime.date) -> bool:
        return self.active_from <= first and (self.active_to is None or self.active_to >= last)

    def active_during(self, first: datetime.date, last: datetime.date) -> bool:
        return self.active_from <= last and (self.active_to is None or self.active_to >= first)

    def blackout_during(self, first: datetime.date, last: datetime.date):
        for starts, ends, reason in self.blackouts:
            if starts <= last and ends >= first:
                return starts, ends, reason
        return None


@dataclasses.dataclass(frozen=True)
class Activity:
    """An LA's part in the other kind's calendar, counted by the one-activity-a-quarter rule."""

    authority: str
    kind: str
    start: datetime.date
    what: str


@dataclasses.dataclass(frozen=True)
class Row:
    """One review in a calendar: its slot, host, and the LAs of its lead and QA."""

    start: datetime.date
    host: str
    lead: str | None = None
    qa: str | None = None
    line: int | None = None


@dataclasses.dataclass(frozen=True)
class Frame:
    """A programme to plan or check: its kind, first slot, length, round and LAs."""

    kind: str
    start: datetime.date
    months: int
    authorities: tuple[Authority, ...]
    interval: int | None = None  # SAV only; a PCTR round is its three-year cycle
    context: tuple[Activity, ...] = ()

    @property
    def round_months(self) -> int:
        return 36 if self.kind == PCTR else self.interval

    @property
    def end(self) -> datetime.date:
        """The first day after the programme."""
        return add_months(self.start, self.months)

    def slots(self) -> list[datetime.date]:
        step = SLOT_MONTHS[self.kind]
        return [add_months(self.start, k) for k in range(0, self.months - step + 1, step)]

    def rounds(self) -> list[tuple[datetime.date, datetime.date, bool]]:
        """(first day, first day after, complete) of each round the programme touches.
        A round running past the programme's end is incomplete: an LA may not yet have
        had its turn in it."""
        out = []
        first = self.start
        while first < self.end:
            after = add_months(first, self.round_months)
            out.append((first, after, after <= self.end))
            first = after
        return out

    def authority(self, name: str) -> Authority | None:
        return next((a for a in self.authorities if a.name == name), None)


@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    level: str
    rule: str
    message: str
    slot: str | None = None
    authority: str | None = None
    line: int | None = None
    # Why a soft rule gives way here, worked out from the calendar's own numbers.
    reason: str = ""

    def __str__(self) -> str:
        where = " ".join(
            part
            for part in (
                f"line {self.line}" if self.line else "",
                self.slot or "",
                self.authority or "",
            )
            if part
        )
        return f"{self.level} {self.rule}{' ' + where if where else ''}: {self.message}"

    @property
    def explained(self) -> str:
        """The finding as a line, with why a soft rule gives way where that is known."""
        return f"{self} — {self.reason}" if self.reason else str(self)

    @property
    def sentence(self) -> str:
        """What a person reads on a page: where, and what is wrong, with no rule number."""
        where = " ".join(part for part in (self.slot or "", self.authority or "") if part)
        message = f"{self.message[:1].upper()}{self.message[1:]}."
        if self.reason:
            message += f" {self.reason[:1].upper()}{self.reason[1:]}."
        return f"{where}: {message}" if where else message

    @property
    def is_error(self) -> bool:
        return self.level == ERROR


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%b %Y}"


def round_words(kind: str, first: datetime.date, after: datetime.date) -> str:
    last_slot = add_months(after, -SLOT_MONTHS[kind])
    return f"{ROUND_NOUN[kind]} {slot_label(kind, first)}–{slot_label(kind, last_slot)}"


def validate(frame: Frame, rows: list[Row]) -> list[Finding]:
    """Every rule ``rows`` break in ``frame``: errors for hard rules, warnings for soft
    ones, each naming its rule number, the LA and the slot. Errors come first."""
    findings: list[Finding] = []
    kind = frame.kind
    slots = set(frame.slots())
    known = {a.name for a in frame.authorities}
    rows = sorted(rows, key=lambda r: (r.start, r.line or 0, r.host))

    def add(level, rule, message, row=None, authority=None, slot=None, reason=""):
        findings.append(
            Finding(
                level=level,
                rule=rule,
                message=message,
                slot=slot or (slot_label(kind, row.start) if row else None),
                authority=authority,
                line=row.line if row else None,
                reason=reason,
            )
        )

    placed = []
    for row in rows:
        label = slot_label(kind, row.start)
        first, last = row.start, slot_end(kind, row.start)
        if row.start not in slots:
            add(
                ERROR,
                ROUND_RULE[kind],
                f"{label} is not a slot of the programme "
                f"({slot_label(kind, frame.start)} to "
                f"{slot_label(kind, add_months(frame.end, -SLOT_MONTHS[kind]))}"
                + (", windows every two months" if kind == SAV else "")
                + ")",
                row,
                row.host,
            )
            continue
        placed.append(row)
        parts = [("host", row.host), ("lead", row.lead), ("QA", row.qa)]
        for role, name in parts:
            if name is None:
                continue
            if name not in known:
                # The frame holds the region's LAs that exist at some point of the
                # programme: a name outside it is unknown or gone before (or not yet
                # formed by) the programme's months.
                add(
                    ERROR,
                    "R1",
                    f"{name} ({role}) is not an LA of the region at any time in the programme",
                    row,
                    name,
                )
                continue
            authority = frame.authority(name)
            if not authority.active_during(first, last):
                add(ERROR, "R1", f"{name} ({role}) does not exist in {label}", row, name)
            blackout = authority.blackout_during(first, last)
            if blackout:
                starts, ends, reason = blackout
                add(
                    ERROR,
                    "R12",
                    f"{name} ({role}) has a blackout from {_day(starts)} to {_day(ends)}"
                    + (f": {reason}" if reason else ""),
                    row,
                    name,
                )
        if row.lead and row.lead == row.host:
            add(ERROR, "R12", f"the lead is from the host LA, {row.host}", row, row.host)
        if row.qa and row.qa == row.host:
            add(ERROR, "R12", f"the QA is from the host LA, {row.host}", row, row.host)
        if row.lead and row.lead == row.qa:
            add(
                ERROR,
                ROUND_RULE[kind],
                f"the lead and the QA are both from {row.lead}: three different LAs are needed",
                row,
                row.lead,
            )

    _check_rounds(frame, placed, add)
    _check_quarters(frame, placed, add)
    if kind == SAV:
        _check_spacing(frame, placed, add)
    _check_spread(frame, placed, add)
    order = {ERROR: 0, WARNING: 1}
    return sorted(
        findings,
        key=lambda f: (order[f.level], f.slot or "", f.authority or "", f.rule, f.message),
    )


def _check_rounds(frame: Frame, rows: list[Row], add) -> None:
    kind, noun, rule = frame.kind, NOUN[frame.kind], ROUND_RULE[frame.kind]
    for first, after, complete in frame.rounds():
        in_round = [r for r in rows if first <= r.start < after]
        words = round_words(kind, first, after)
        last_day = after - datetime.timedelta(days=1)
        required = [a.name for a in frame.authorities if a.active_throughout(first, last_day)]
        # A SAV round may be planned as windows only; then leads and QAs are not yet due.
        with_team = kind == PCTR or any(r.lead or r.qa for r in in_round)
        if with_team:
            for row in in_round:
                if not row.lead:
                    add(ERROR, rule, f"the {noun} of {row.host} has no lead LA", row, row.host)
                if not row.qa:
                    add(ERROR, rule, f"the {noun} of {row.host} has no QA LA", row, row.host)
        duties = [("hosts", "host")] + (
            [("leads", "lead"), ("is QA for", "qa")] if with_team else []
        )
        for verb, field in duties:
            seen: dict[str, Row] = {}
            for row in in_round:
                name = getattr(row, field)
                if not name:
                    continue
                if name in seen:
                    add(
                        ERROR,
                        rule,
                        f"{verb} a second {noun} in the {words} "
                        f"(also {slot_label(kind, seen[name].start)})",
                        row,
                        name,
                    )
                else:
                    seen[name] = row
            if complete:
                for name in required:
                    if name not in seen:
                        what = (
                            f"{verb} no {noun}" if verb != "is QA for" else f"is QA for no {noun}"
                        )
                        add(ERROR, rule, f"{what} in the {words}", None, name)
        leads = {(r.lead, r.host): r for r in in_round if r.lead}
        for (lead, host), row in leads.items():
            back = leads.get((host, lead))
            if back is not None and lead < host:
                # The rule is absolute (R12): no calendar with a reciprocal lead is adopted.
                add(
                    ERROR,
                    "R12",
                    f"reciprocal leads: {lead} leads {host}'s {noun} "
                    f"({slot_label(kind, row.start)}) and {host} leads {lead}'s "
                    f"({slot_label(kind, back.start)})",
                    row,
                    lead,
                )


def activities(kind: str, rows: list[Row]) -> list[Activity]:
    """What each LA does in a calendar: hosts, leads, is QA, by slot."""
    noun = NOUN[kind]
    out = []
    for row in rows:
        out.append(Activity(row.host, kind, row.start, f"hosts a {noun}"))
        if row.lead:
            out.append(Activity(row.lead, kind, row.start, f"leads the {noun} of {row.host}"))
        if row.qa:
            out.append(Activity(row.qa, kind, row.start, f"is QA for the {noun} of {row.host}"))
    return out


def _check_quarters(frame: Frame, rows: list[Row], add) -> None:
    by_quarter = defaultdict(list)
    for activity in activities(frame.kind, rows) + list(frame.context):
        for quarter in quarters_of(activity.kind, activity.start):
            if quarter < frame.end and slot_end(PCTR, quarter) >= frame.start:
                by_quarter[(activity.authority, quarter)].append(activity)
    rounds = frame.rounds()
    rooms: dict[tuple[str, datetime.date], QuarterRoom] = {}
    regions: dict[datetime.date, RoundRoom] = {}
    own_activities = activities(frame.kind, rows)
    for (name, quarter), items in sorted(by_quarter.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        own = [a for a in items if a.kind == frame.kind]
        if len(items) > 1 and own:
            first = next((f for f, after, _ in rounds if f <= own[0].start < after), None)
            reason = ""
            if first is not None and frame.authority(name) is not None:
                after = add_months(first, frame.round_months)
                if (name, first) not in rooms:
                    had = sum(
                        1
                        for a in own_activities
                        if a.authority == name and first <= a.start < after
                    )
                    rooms[(name, first)] = quarter_room(frame, name, first, had=had)
                if first not in regions:
                    regions[first] = round_room(frame, first)
                reason = _quarter_reason(rooms[(name, first)], regions[first], by_quarter)
            add(
                WARNING,
                "R12",
                f"{len(items)} programme activities in the quarter: "
                + "; ".join(f"{a.what} ({slot_label(a.kind, a.start)})" for a in items),
                None,
                name,
                slot=quarter_label(quarter),
                reason=reason,
            )


def _quarter_reason(room: "QuarterRoom", region: "RoundRoom", by_quarter) -> str:
    """Why an LA has more than one activity in a quarter: the LA's own room when that
    forces it, else the round's room over all LAs, else what would let it be avoided."""
    if room.least and room.excess(by_quarter) <= room.least:
        return room.reason(by_quarter)
    if region.least and region.excess(by_quarter) <= region.least:
        return region.reason()
    return room.reason(by_quarter)


@dataclasses.dataclass(frozen=True)
class RoundRoom:
    """The room all LAs together leave in one round for its reviews, one activity an LA a
    quarter: a review needs three different LAs free in a quarter it touches, so a quarter
    with ``f`` free LAs takes ``f // 3`` reviews before some LA must do two. A quarter
    touched by ``v`` reviews holds ``3 v`` of their parts, so its LAs have at least
    ``3 v - f`` activities beyond one there; ``least`` is the smallest sum of that over
    the quarters, for the round's reviews placed as well as they can be."""

    frame: Frame
    first: datetime.date
    quarters: tuple[datetime.date, ...]
    free: dict  # quarter -> how many LAs can take part in it and have nothing else there
    reviews: int

    @property
    def least(self) -> int:
        # Each quarter's extra cost per review only grows (0 while there is room, then
        # the remainder, then 3), so taking the cheapest review each time is the least.
        placed = dict.fromkeys(self.quarters, 0)

        def cost(q, v):
            return max(0, 3 * v - self.free[q])

        total = 0
        for _ in range(self.reviews):
            if not self.quarters:
                break
            q = min(self.quarters, key=lambda q: cost(q, placed[q] + 1) - cost(q, placed[q]))
            total += cost(q, placed[q] + 1) - cost(q, placed[q])
            placed[q] += 1
        return total

    def excess(self, by_quarter) -> int:
        kind = self.frame.kind
        return sum(
            len(items) - 1
            for (name, q), items in by_quarter.items()
            if q in self.quarters and any(a.kind == kind for a in items)
        )

    def reason(self) -> str:
        kind = self.frame.kind
        after = add_months(self.first, self.frame.round_months)
        words = round_words(kind, self.first, after)
        rooms = ", ".join(
            f"{quarter_label(q)} {self.free[q]} (room for {self.free[q] // 3})"
            for q in self.quarters
        )
        room = sum(self.free[q] // 3 for q in self.quarters)
        least = self.least
        return (
            f"this cannot be avoided: the {words} has {_counted(self.reviews, NOUN[kind])}, "
            "each needing a host, a lead and a QA from three different LAs with nothing "
            f"else in that quarter; the LAs free in each quarter are {rooms}, room for "
            f"{room} in all, so in any calendar at least {least} "
            f"{'part shares' if least == 1 else 'parts share'} a quarter with other "
            "programme work"
        )


def round_room(frame: Frame, first: datetime.date) -> RoundRoom:
    """The room the round of ``frame`` from ``first`` leaves for its reviews."""
    kind = frame.kind
    after = add_months(first, frame.round_months)
    last_day = after - datetime.timedelta(days=1)
    in_round = [s for s in frame.slots() if first <= s < after]
    quarters = sorted({q for s in in_round for q in quarters_of(kind, s)})
    taken = {(a.authority, q) for a in frame.context for q in quarters_of(a.kind, a.start)}
    free = {}
    for quarter in quarters:
        free[quarter] = sum(
            1
            for authority in frame.authorities
            if (authority.name, quarter) not in taken
            and any(
                quarter in quarters_of(kind, s)
                and authority.active_during(s, slot_end(kind, s))
                and not authority.blackout_during(s, slot_end(kind, s))
                for s in in_round
            )
        )
    return RoundRoom(
        frame=frame,
        first=first,
        quarters=tuple(quarters),
        free=free,
        reviews=sum(1 for a in frame.authorities if a.active_throughout(first, last_day)),
    )


@dataclasses.dataclass(frozen=True)
class QuarterRoom:
    """The room an LA has in one round of a calendar for one activity a quarter: the
    round's quarters, those closed to it (a blackout, not yet or no longer an LA), those
    already holding its part in the other kind's calendar, and how many parts it must
    take in the round (host, lead and QA: three, when it is there for the whole round).

    Whatever the calendar, at least ``parts - len(free)`` of those parts share a quarter
    with another activity of the LA: each part touches a quarter open to it, and a part
    in a quarter that is not free, or a second part in a free one, is one activity more
    than one in its quarter."""

    frame: Frame
    authority: str
    first: datetime.date
    quarters: tuple[datetime.date, ...]
    closed: dict
    taken: dict
    parts: int
    required: bool

    @property
    def free(self) -> list[datetime.date]:
        return [q for q in self.quarters if q not in self.closed and q not in self.taken]

    @property
    def least(self) -> int:
        """The fewest activities beyond one a quarter any calendar gives the LA here."""
        return max(0, self.parts - len(self.free)) if self.required else 0

    def excess(self, by_quarter) -> int:
        """Activities beyond one a quarter the LA has in the round's quarters that hold
        one of its parts in this calendar."""
        kind = self.frame.kind
        return sum(
            len(by_quarter[(self.authority, q)]) - 1
            for q in self.quarters
            if any(a.kind == kind for a in by_quarter.get((self.authority, q), ()))
        )

    def reason(self, by_quarter) -> str:
        kind = self.frame.kind
        after = add_months(self.first, self.frame.round_months)
        words = round_words(kind, self.first, after)
        noun = ROUND_NOUN[kind]
        free, least, excess = self.free, self.least, self.excess(by_quarter)
        room = (
            f"{'only ' if len(free) < self.parts else ''}{len(free)} of the {noun}'s "
            f"{_counted(len(self.quarters), 'quarter')} {'is' if len(free) == 1 else 'are'} "
            "free for it"
        )
        details = self._details()
        if details:
            room += f" ({details})"
        name = self.authority
        if least and excess <= least:
            return (
                f"this cannot be avoided: in the {words} {name} must host, lead and be QA "
                f"for a {NOUN[kind]}, 3 parts, but {room}, so in any calendar at least "
                f"{least} of its parts {'shares' if least == 1 else 'share'} a quarter with "
                "other programme work"
            )
        if self.required:
            parts = f"in the {words} {name} has 3 parts and {room}"
        else:
            parts = (
                f"{name}, not an LA for the whole {words}, has "
                f"{_counted(self.parts, 'part')} in it and {room}"
            )
        if least:
            return (
                f"this could be lighter: {parts}, so {least} of its parts must share a "
                f"quarter, but here {excess} do"
            )
        return (
            f"{name}'s own commitments do not force this: {parts}, so each part could "
            "have a quarter of its own"
        )

    def _details(self) -> str:
        taken = [q for q in self.quarters if q in self.taken and q not in self.closed]
        other = NOUN[PCTR if self.frame.kind == SAV else SAV]
        out = []
        if taken:
            out.append(
                f"{_listed([quarter_label(q) for q in taken])} already "
                f"{'holds' if len(taken) == 1 else 'hold'} its {other} work"
            )
        by_why = defaultdict(list)
        for quarter in self.quarters:
            if quarter in self.closed:
                by_why[self.closed[quarter]].append(quarter_label(quarter))
        for why, labels in by_why.items():
            out.append(f"{_listed(labels)} {'is' if len(labels) == 1 else 'are'} {why}")
        return "; ".join(out)


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def quarter_room(frame: Frame, name: str, first: datetime.date, *, had: int = 0) -> QuarterRoom:
    """The room ``name`` has for its parts in the round of ``frame`` from ``first``: three
    parts when it is an LA for the whole round, else the ``had`` it has in the calendar."""
    kind = frame.kind
    after = add_months(first, frame.round_months)
    authority = frame.authority(name)
    in_round = [s for s in frame.slots() if first <= s < after]
    quarters = sorted({q for s in in_round for q in quarters_of(kind, s)})
    usable = set()
    for s in in_round:
        last = slot_end(kind, s)
        if authority.active_during(s, last) and not authority.blackout_during(s, last):
            usable.update(quarters_of(kind, s))
    closed = {}
    for quarter in quarters:
        if quarter in usable:
            continue
        blackout = authority.blackout_during(quarter, slot_end(PCTR, quarter))
        closed[quarter] = (
            f"in its blackout, {blackout[2]}"
            if blackout and blackout[2]
            else "in its blackout"
            if blackout
            else "outside the time it is an LA"
        )
    taken = defaultdict(list)
    for activity in frame.context:
        if activity.authority == name:
            for quarter in quarters_of(activity.kind, activity.start):
                if quarter in quarters:
                    taken[quarter].append(activity)
    last_day = after - datetime.timedelta(days=1)
    required = authority.active_throughout(first, last_day)
    return QuarterRoom(
        frame=frame,
        authority=name,
        first=first,
        quarters=tuple(quarters),
        closed=closed,
        taken=dict(taken),
        parts=3 if required else had,
        required=required,
    )


def _check_spacing(frame: Frame, rows: list[Row], add) -> None:
    incomplete = next((first for first, _, complete in frame.rounds() if not complete), None)
    visits = defaultdict(list)
    for row in rows:
        visits[row.host].append(row)
    for name, items in sorted(visits.items()):
        for before, after in itertools.pairwise(items):
            gap = months_between(before.start, after.start)
            if gap != frame.interval:
                add(
                    WARNING,
                    "R11",
                    f"{gap} months between SAVs ({slot_label(SAV, before.start)} and "
                    f"{slot_label(SAV, after.start)}) against an interval of {frame.interval}",
                    after,
                    name,
                )
        # A round running past the calendar's end does not require a visit (a complete
        # one does, and says so). An LA whose next visit fell due inside such a round and
        # is not there has still gone longer than the interval without one.
        last = items[-1]
        due = add_months(last.start, frame.interval)
        authority = frame.authority(name)
        if (
            authority is not None
            and incomplete is not None
            and incomplete <= due
            and add_months(due, SLOT_MONTHS[SAV]) <= frame.end
            and (authority.active_to is None or authority.active_to >= due)
        ):
            final = add_months(frame.end, -SLOT_MONTHS[SAV])
            add(
                WARNING,
                "R11",
                f"no SAV after {slot_label(SAV, last.start)} up to the calendar's last "
                f"window ({slot_label(SAV, final)}): at least "
                f"{months_between(last.start, frame.end)} months against an interval of "
                f"{frame.interval}",
                last,
                name,
            )


def _check_spread(frame: Frame, rows: list[Row], add) -> None:
    years = frame.months // 12
    if years < 2:
        return
    counts = Counter(months_between(frame.start, r.start) // 12 for r in rows)
    per_year = [counts.get(y, 0) for y in range(years)]
    if max(per_year) - min(per_year) > 1:
        noun = NOUN[frame.kind]
        listed = ", ".join(
            f"{slot_label(frame.kind, add_months(frame.start, 12 * y))} on: {n}"
            for y, n in enumerate(per_year)
        )
        add(
            WARNING,
            ROUND_RULE[frame.kind],
            f"uneven spread of {noun}s over the years ({listed}; "
            f"about {round(len(rows) / years)} a year is even)",
            None,
            None,
            slot=slot_label(frame.kind, frame.start),
        )
