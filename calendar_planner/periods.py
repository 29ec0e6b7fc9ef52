"""Slots of the programme calendar (R10, R11): PCTR quarters and SAV two-month windows.

A slot is identified by the first day of its first month. PCTR slots are written
``2012Q1``; SAV windows ``2012-03`` (the window's first month).
"""

import datetime
import re

PCTR = "pctr"
SAV = "sav"
KINDS = (PCTR, SAV)
# Months in one slot of each kind, and in one round: a PCTR cycle is three years; a SAV
# round is the programme's interval, a setting (18 months in the handbook).
SLOT_MONTHS = {PCTR: 3, SAV: 2}
PCTR_CYCLE_MONTHS = 36
SAV_INTERVAL_DEFAULT = 18

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_MONTH_NAMES = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, second: datetime.date) -> int:
    """Whole months from ``first``'s month to ``second``'s month."""
    return (second.year - first.year) * 12 + second.month - first.month


def slot_end(kind: str, start: datetime.date) -> datetime.date:
    """The last day of the slot that starts on ``start``."""
    return add_months(start, SLOT_MONTHS[kind]) - datetime.timedelta(days=1)


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_label(day: datetime.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarters_of(kind: str, start: datetime.date) -> list[datetime.date]:
    """The quarters a slot touches: one for a PCTR, one or two for a SAV window."""
    first = quarter_start(start)
    last = quarter_start(slot_end(kind, start))
    return [first] if first == last else [first, last]


def slot_label(kind: str, start: datetime.date) -> str:
    """How files and the command line write a slot: ``2012Q1`` or ``2012-03``."""
    return quarter_label(start) if kind == PCTR else f"{start:%Y-%m}"


def slot_words(kind: str, start: datetime.date) -> str:
    """How pages say a slot: "Jan–Mar 2012", "Mar–Apr 2012", "Nov 2012–Jan 2013"."""
    end = slot_end(kind, start)
    first, last = _MONTH_NAMES[start.month - 1], _MONTH_NAMES[end.month - 1]
    if start.year == end.year:
        return f"{first}–{last} {end.year}"
    return f"{first} {start.year}–{last} {end.year}"


def slot_parse(kind: str, text: str) -> datetime.date:
    """The first day of the slot ``text`` names; ValueError with the expected form if not."""
    if kind == PCTR:
        match = _QUARTER.match(text)
        if not match:
            raise ValueError(f"{text.strip()!r} is not a quarter such as 2012Q1")
        return datetime.date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1)
    match = _MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"{text.strip()!r} is not a month such as 2012-03")
    return datetime.date(int(match[1]), int(match[2]), 1)


def month_parse(text: str) -> datetime.date:
    """``YYYY-MM`` to the first day of that month."""
    return slot_parse(SAV, text)
