"""An LA busy more than once in a quarter (R12's soft rule, counted over the SAV programme of
R11 and the PCTR cycle of R10): the planner spends as few such activities as any calendar
can, and each warning says why, from the calendar's own numbers, claiming that it cannot be
avoided only where a count shows that no calendar does better. Small frames are checked
against every calendar there is."""

import datetime
import itertools

import numpy as np
import pytest

from calendar_planner.periods import PCTR, SAV, quarter_label, quarters_of
from calendar_planner.planner import plan
from calendar_planner.rules import Activity, Authority, Frame, Row, validate

D = datetime.date
START = D(2029, 1, 1)
QUICK = 2.0


def authorities(n):
    return tuple(Authority(f"LA {i:02d}") for i in range(1, n + 1))


def sav_year(n, context=()):
    """A SAV programme of one twelve-month interval from January 2029."""
    return Frame(
        kind=SAV,
        start=START,
        months=12,
        authorities=authorities(n),
        interval=12,
        context=tuple(context),
    )


def busy(frame, rows):
    return [f for f in validate(frame, rows) if f.rule == "R12" and not f.is_error]


def least_over_every_calendar(frame):
    """The fewest activities beyond one an LA a quarter of any calendar of ``frame``'s one
    round that keeps the hard rules: each LA hosts once, leads once and is QA once; host,
    lead and QA differ; no two LAs lead each other (R11, R12). Every host window is tried,
    for every lead and QA arrangement."""
    names = [a.name for a in frame.authorities]
    n = len(names)
    slots = frame.slots()
    quarters = sorted({q for s in slots for q in quarters_of(frame.kind, s)})
    touches = np.array(
        [[q in quarters_of(frame.kind, s) for q in quarters] for s in slots], dtype=np.int64
    )
    fixed = np.zeros((n, len(quarters)), dtype=np.int64)
    for activity in frame.context:
        for q in quarters_of(activity.kind, activity.start):
            if q in quarters:
                fixed[names.index(activity.authority), quarters.index(q)] += 1
    windows = np.array(list(itertools.product(range(len(slots)), repeat=n)))
    best = None
    for lead in itertools.permutations(range(n)):
        if any(lead[h] == h or lead[lead[h]] == h for h in range(n)):
            continue
        for qa in itertools.permutations(range(n)):
            if any(qa[h] in (h, lead[h]) for h in range(n)):
                continue
            excess = np.zeros(len(windows), dtype=np.int64)
            for la in range(n):
                led, checked = lead.index(la), qa.index(la)
                own = (
                    touches[windows[:, la]]
                    + touches[windows[:, led]]
                    + touches[windows[:, checked]]
                )
                count = own + fixed[la]
                excess += np.where(own > 0, np.clip(count - 1, 0, None), 0).sum(axis=1)
            least = int(excess.min())
            best = least if best is None else min(best, least)
    return best


def excess_of(findings):
    return sum(int(f.message.split()[0]) - 1 for f in findings)


def test_more_sav_than_the_quarters_can_take_cannot_be_avoided_and_says_so():
    """R11, R12: five LAs give room for one SAV a quarter (a host, a lead and a QA from three
    different LAs), four in a year for five SAVs. No calendar of the year has fewer than one
    activity beyond one a quarter; the planner's has exactly that, and says why in the
    region's numbers."""
    frame = sav_year(5)
    least = least_over_every_calendar(frame)
    assert least == 1
    result = plan(frame, effort=QUICK)
    assert (result.overload, result.least_overload) == (least, True)
    findings = busy(frame, result.rows)
    assert excess_of(findings) == least
    rooms = ", ".join(f"{quarter_label(D(2029, m, 1))} 5 (room for 1)" for m in (1, 4, 7, 10))
    assert [f.reason for f in findings] == [
        "this cannot be avoided: the interval 2029-01–2029-11 has 5 SAVs, each needing a "
        "host, a lead and a QA from three different LAs with nothing else in that quarter; "
        f"the LAs free in each quarter are {rooms}, room for 4 in all, so in any calendar at "
        "least 1 part shares a quarter with other programme work"
    ] * len(findings)


def test_la_with_too_few_free_quarters_cannot_avoid_a_busy_one_and_says_so():
    """R10, R11, R12: LA 01 has its PCTR work in 2029Q1 and Q2, so only two of the year's
    four quarters are free for its three SAV parts. Every calendar gives it one activity
    beyond one a quarter; the planner gives nobody more, and the warning names LA 01's
    quarters and parts."""
    context = (
        Activity("LA 01", PCTR, D(2029, 1, 1), "hosts a PCTR"),
        Activity("LA 01", PCTR, D(2029, 4, 1), "leads the PCTR of LA 02"),
    )
    frame = sav_year(4, context)
    least = least_over_every_calendar(frame)
    assert least == 1
    result = plan(frame, effort=QUICK)
    assert (result.overload, result.least_overload) == (least, True)
    findings = busy(frame, result.rows)
    assert [(f.authority, f.reason) for f in findings] == [
        (
            "LA 01",
            "this cannot be avoided: in the interval 2029-01–2029-11 LA 01 must host, lead "
            "and be QA for a SAV, 3 parts, but only 2 of the interval's 4 quarters are free "
            "for it (2029Q1 and 2029Q2 already hold its PCTR work), so in any calendar at "
            "least 1 of its parts shares a quarter with other programme work",
        )
    ]
    assert excess_of(findings) == least


def test_busy_quarter_a_calendar_could_avoid_is_not_called_unavoidable_nor_planned():
    """R11, R12: four LAs and four quarters leave room for every part; a calendar typed with
    two of LA 02's parts in one quarter is warned that nothing forces it, and the planner's
    calendar for the same year has no busy quarter at all."""
    frame = sav_year(4)
    assert least_over_every_calendar(frame) == 0
    rows = [
        Row(D(2029, 1, 1), "LA 01", "LA 02", "LA 03"),
        Row(D(2029, 1, 1), "LA 02", "LA 03", "LA 04"),
        Row(D(2029, 7, 1), "LA 03", "LA 04", "LA 01"),
        Row(D(2029, 11, 1), "LA 04", "LA 01", "LA 02"),
    ]
    assert [f for f in validate(frame, rows) if f.is_error] == []
    assert [(f.slot, f.authority, f.reason) for f in busy(frame, rows)] == [
        (
            "2029Q1",
            name,
            f"{name}'s own commitments do not force this: in the interval 2029-01–2029-11 "
            f"{name} has 3 parts and 4 of the interval's 4 quarters are free for it, so each "
            "part could have a quarter of its own",
        )
        for name in ("LA 02", "LA 03")
    ]
    result = plan(frame, effort=QUICK)
    assert (result.overload, result.least_overload) == (0, True)
    assert validate(frame, result.rows) == []


@pytest.mark.parametrize("n", [4, 5])
def test_sav_in_two_quarters_each_la_is_busy_once_at_least(n):
    """R11, R12: a six-month interval has two quarters for an LA's three parts, so every LA
    has one activity beyond one in any calendar, and no more in the planner's."""
    frame = Frame(kind=SAV, start=START, months=6, authorities=authorities(n), interval=6)
    assert least_over_every_calendar(frame) == n
    result = plan(frame, effort=QUICK)
    findings = busy(frame, result.rows)
    assert excess_of(findings) == n
    assert sorted(f.authority for f in findings) == [a.name for a in frame.authorities]
    assert [f.reason.split(":")[0] for f in findings] == ["this cannot be avoided"] * n


def test_busy_quarters_beyond_what_an_la_must_have_are_called_lighter_not_unavoidable():
    """R10, R12: LA 01's PCTR work in 2029Q1 and Q2 forces one of its SAV parts to share a
    quarter; a calendar typed with two sharing is told that one would do, and the planner
    shares one."""
    context = (
        Activity("LA 01", PCTR, D(2029, 1, 1), "hosts a PCTR"),
        Activity("LA 01", PCTR, D(2029, 4, 1), "leads the PCTR of LA 02"),
    )
    frame = sav_year(4, context)
    rows = [
        Row(D(2029, 1, 1), "LA 01", "LA 02", "LA 03"),
        Row(D(2029, 5, 1), "LA 04", "LA 01", "LA 02"),
        Row(D(2029, 7, 1), "LA 03", "LA 04", "LA 01"),
        Row(D(2029, 11, 1), "LA 02", "LA 03", "LA 04"),
    ]
    assert [f for f in validate(frame, rows) if f.is_error] == []
    assert [(f.slot, f.authority, f.reason) for f in busy(frame, rows)] == [
        (
            quarter,
            "LA 01",
            "this could be lighter: in the interval 2029-01–2029-11 LA 01 has 3 parts and "
            "only 2 of the interval's 4 quarters are free for it (2029Q1 and 2029Q2 already "
            "hold its PCTR work), so 1 of its parts must share a quarter, but here 2 do",
        )
        for quarter in ("2029Q1", "2029Q2")
    ]
    assert excess_of(busy(frame, plan(frame, effort=QUICK).rows)) == 1
