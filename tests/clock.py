"""The suite's one clock (STYLE 11).

Every test runs with the whole clock moved by time-machine — ``timezone.now()``,
``timezone.localdate()``, ``datetime.date.today()`` and ``time.time()`` together — to the
suite's day at ``HOUR`` London time, so nothing depends on the day or the hour the suite is
started. The suite's day is today unless ``EMSLIRP_TEST_DAY`` (``YYYY-MM-DD``) names
another: CI runs the suite a second time on a random day, and printing that day lets a
failure be replayed with ``EMSLIRP_TEST_DAY=… make test``.
"""

import datetime
import os
import zoneinfo

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Mid-morning of a working day: far from midnight either side, in office hours.
HOUR = datetime.time(10, 0)
ENVIRONMENT_VARIABLE = "EMSLIRP_TEST_DAY"


def suite_day() -> datetime.date:
    """The day the suite runs on: ``EMSLIRP_TEST_DAY`` or, unset, today in London."""
    named = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if named:
        return datetime.date.fromisoformat(named)
    return datetime.datetime.now(LONDON).date()


def moment(day: datetime.date, at: datetime.time = HOUR) -> datetime.datetime:
    """``day`` at ``at`` (by default ``HOUR``), London time, as an aware datetime."""
    return datetime.datetime.combine(day, at, tzinfo=LONDON)
