"""Working days exclude weekends and England and Wales bank holidays (R36)."""

import datetime

from emslirp.working_days import is_working_day, working_days_from

D = datetime.date


def test_christmas_and_boxing_day_observed_are_not_working_days():
    # Boxing Day 2026 is a Saturday: the bank holiday moves to Monday 28 December.
    assert [is_working_day(D(2026, 12, d)) for d in (24, 25, 26, 27, 28, 29)] == [
        True,
        False,
        False,
        False,
        False,
        True,
    ]


def test_working_days_skip_easter():
    # Good Friday 26 March and Easter Monday 29 March 2027.
    assert working_days_from(D(2027, 3, 25), 3) == [D(2027, 3, 25), D(2027, 3, 30), D(2027, 3, 31)]


def test_a_start_on_a_weekend_moves_to_the_next_working_day():
    assert working_days_from(D(2027, 1, 2), 2) == [D(2027, 1, 4), D(2027, 1, 5)]
