"""Working days (R36): Monday to Friday, less England and Wales bank holidays (the
``holidays`` package's England list, which Wales shares)."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_from(first: datetime.date, count: int) -> list[datetime.date]:
    """``count`` consecutive working days, starting on ``first`` or the next working day."""
    days, day = [], first
    while len(days) < count:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def working_days_shift(day: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``day`` (before it when ``count`` is negative);
    ``day`` itself when ``count`` is 0, working day or not."""
    step = 1 if count > 0 else -1
    left = abs(count)
    while left:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            left -= 1
    return day


def working_day_on_or_before(day: datetime.date) -> datetime.date:
    """``day`` if it is a working day, else the working day before it."""
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def working_days_after(first: datetime.date, last: datetime.date) -> int:
    """How many working days fall after ``first``, up to and including ``last`` (0 when
    ``last`` is not after ``first``): how late something due on ``first`` is on ``last``."""
    days, day = 0, first
    while day < last:
        day += datetime.timedelta(days=1)
        days += is_working_day(day)
    return days
