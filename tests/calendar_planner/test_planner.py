"""The planner (R10–R12): what it plans keeps every hard rule, as the validator sees it, for
the region's nine LAs of 2012, its ten of today and a region of 33; the same input and
seed give the same calendar. Where a test is about feasibility only, a small effort keeps
the suite fast; the plan must still validate without errors."""

import dataclasses
import datetime

import pytest

from calendar_planner.periods import PCTR, SAV
from calendar_planner.planner import PlanningError, plan
from calendar_planner.rules import Authority, Frame, validate
from calendar_planner.selectors import frame_for
from calendar_planner.services import programme_months
from tests.region_names import HANDBOOK_NINE, TODAYS_TEN

D = datetime.date
QUICK = 2.0
# 33 LAs make a model of some 7,500 variables: feasibility needs far less than QUICK.
QUICKER = 0.5
START = D(2026, 1, 1)


def synthetic(n):
    return tuple(Authority(f"LA {i:02d}") for i in range(1, n + 1))


def frame_of(kind, authorities, *, start=START, years=3):
    interval = 18 if kind == SAV else None
    months = programme_months(kind=kind, years=years, interval=interval)
    return Frame(kind=kind, start=start, months=months, authorities=authorities, interval=interval)


def errors(frame, rows):
    return [str(f) for f in validate(frame, rows) if f.is_error]


def hosts_by_round(frame, rows):
    return [
        sorted(r.host for r in rows if first <= r.start < after)
        for first, after, _ in frame.rounds()
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "start", "count"),
    [
        (PCTR, D(2012, 1, 1), 9),
        (SAV, D(2012, 1, 1), 9),
        (PCTR, D(2026, 1, 1), 10),
        (SAV, D(2026, 1, 1), 10),
    ],
)
def test_plan_for_the_east_midlands_keeps_every_hard_rule(east_midlands, kind, start, count):
    interval = 18 if kind == SAV else None
    frame = frame_for(
        region=east_midlands,
        kind=kind,
        starts_on=start,
        months=programme_months(kind=kind, years=3, interval=interval),
        interval=interval,
    )
    result = plan(frame, effort=QUICK)
    names = sorted(a.name for a in frame.authorities)
    assert len(names) == count
    assert errors(frame, result.rows) == []
    # Every LA hosts once in every round (a PCTR cycle, two SAV intervals).
    assert hosts_by_round(frame, result.rows) == [names] * len(frame.rounds())


@pytest.mark.parametrize("kind", [PCTR, SAV])
def test_plan_for_33_las_keeps_every_hard_rule(kind):
    frame = frame_of(kind, synthetic(33))
    result = plan(frame, effort=QUICKER)
    assert errors(frame, result.rows) == []
    assert hosts_by_round(frame, result.rows) == [[f"LA {i:02d}" for i in range(1, 34)]] * len(
        frame.rounds()
    )


def test_plan_with_the_default_effort_is_optimal_and_breaks_no_soft_rule():
    frame = frame_of(PCTR, synthetic(10))
    result = plan(frame)
    # Ten reviews in twelve quarters put two in the fullest quarter: the least the
    # planner can spend (30 a review in the fullest quarter of a cycle).
    assert (result.optimal, result.penalty) == (True, 60)
    assert validate(frame, result.rows) == []


def test_sav_plan_repeats_each_visit_an_interval_on():
    frame = frame_of(SAV, synthetic(10))
    result = plan(frame)
    assert validate(frame, result.rows) == []
    visits = {}
    for row in result.rows:
        visits.setdefault(row.host, []).append(row.start)
    assert {
        host: (second.year - first.year) * 12 + second.month - first.month
        for host, (first, second) in visits.items()
    } == {f"LA {i:02d}": 18 for i in range(1, 11)}


def test_same_input_and_seed_give_the_same_calendar():
    frame = frame_of(SAV, synthetic(9))
    assert plan(frame, seed=3, effort=QUICK) == plan(frame, seed=3, effort=QUICK)


def test_other_seed_still_keeps_every_hard_rule():
    frame = frame_of(PCTR, synthetic(9))
    assert errors(frame, plan(frame, seed=7, effort=QUICK).rows) == []


def test_plan_keeps_clear_of_blackouts():
    # Each of four LAs is out for a different year: their reviews, and their parts in
    # others' reviews, must fall in the two other years.
    blackouts = {
        "LA 01": (D(2026, 1, 1), D(2026, 12, 31), "Ofsted inspection expected"),
        "LA 02": (D(2027, 1, 1), D(2027, 12, 31), "Restructure"),
        "LA 03": (D(2028, 1, 1), D(2028, 12, 31), "Ofsted inspection expected"),
        "LA 04": (D(2026, 4, 1), D(2028, 9, 30), "Intervention"),
    }
    authorities = tuple(
        dataclasses.replace(a, blackouts=(blackouts[a.name],)) if a.name in blackouts else a
        for a in synthetic(6)
    )
    frame = frame_of(PCTR, authorities)
    result = plan(frame, effort=QUICK)
    assert errors(frame, result.rows) == []
    # LA 04 is free only in 2026Q1 and 2028Q4: its three parts fit nowhere else.
    la04 = [r.start for r in result.rows if "LA 04" in (r.host, r.lead, r.qa)]
    assert len(la04) == 3
    assert [s for s in la04 if s not in (D(2026, 1, 1), D(2028, 10, 1))] == []


def test_la_active_for_part_of_a_round_is_not_required_in_it():
    # A cycle from April 2019: Northamptonshire ends on 31 March 2021 and its successors
    # begin the next day, so none of the three is there for the whole cycle.
    authorities = (
        *synthetic(4),
        Authority("Northamptonshire", active_to=D(2021, 3, 31)),
        Authority("North Northamptonshire", active_from=D(2021, 4, 1)),
        Authority("West Northamptonshire", active_from=D(2021, 4, 1)),
    )
    frame = frame_of(PCTR, authorities, start=D(2019, 4, 1))
    result = plan(frame, effort=QUICK)
    assert errors(frame, result.rows) == []
    assert sorted({n for r in result.rows for n in (r.host, r.lead, r.qa)}) == [
        "LA 01",
        "LA 02",
        "LA 03",
        "LA 04",
    ]


@pytest.mark.django_db
def test_plan_across_the_northamptonshire_split_uses_the_las_of_each_cycle(east_midlands):
    frame = frame_for(region=east_midlands, kind=PCTR, starts_on=D(2019, 4, 1), months=72)
    result = plan(frame, effort=QUICK)
    assert errors(frame, result.rows) == []
    assert hosts_by_round(frame, result.rows) == [
        [n for n in HANDBOOK_NINE if n != "Northamptonshire"],
        TODAYS_TEN,
    ]


def test_fewer_than_three_las_cannot_be_planned():
    with pytest.raises(PlanningError) as raised:
        plan(frame_of(PCTR, synthetic(2)))
    assert str(raised.value) == (
        "A round needs at least three LAs (host, lead and QA differ); 2 are active from "
        "January 2026."
    )


def test_blackout_over_the_whole_round_cannot_be_planned():
    out = (D(2025, 12, 1), D(2029, 1, 31), "Ofsted intervention")
    authorities = (dataclasses.replace(synthetic(1)[0], blackouts=(out,)), *synthetic(4)[1:])
    with pytest.raises(PlanningError) as raised:
        plan(frame_of(PCTR, authorities))
    assert str(raised.value) == (
        "LA 01 has no usable slot from January 2026: its blackouts cover the whole round."
    )


def test_blackouts_leaving_no_common_quarter_cannot_be_planned():
    # Three LAs, each free in a different single quarter: a review needs all three at once.
    busy = "Ofsted inspection expected"
    blackouts = {
        "LA 01": ((D(2026, 4, 1), D(2028, 12, 31), busy),),
        "LA 02": ((D(2026, 1, 1), D(2026, 3, 31), busy), (D(2026, 7, 1), D(2028, 12, 31), busy)),
        "LA 03": ((D(2026, 1, 1), D(2026, 6, 30), busy), (D(2026, 10, 1), D(2028, 12, 31), busy)),
    }
    authorities = tuple(dataclasses.replace(a, blackouts=blackouts[a.name]) for a in synthetic(3))
    with pytest.raises(PlanningError) as raised:
        plan(frame_of(PCTR, authorities))
    assert str(raised.value) == (
        "No calendar keeps every hard rule: the blackouts or the LAs' active dates leave "
        "some LA without a slot it can host, lead or QA in."
    )


@pytest.mark.parametrize("kind", [PCTR, SAV])
def test_tiny_effort_still_gives_a_calendar_that_keeps_every_hard_rule(kind):
    # Too small a budget for the solver to get past its presolve: the planner falls back on
    # the rotation it started from.
    frame = frame_of(kind, synthetic(33))
    assert errors(frame, plan(frame, effort=0.001).rows) == []
