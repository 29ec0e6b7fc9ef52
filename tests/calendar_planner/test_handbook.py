"""The handbook's 2012–2014 calendars are real data (R12): they import against the seeded
East Midlands, and the validator reports honestly what they break."""

import dataclasses
import datetime
import pathlib

import pytest

from calendar_planner.csvio import calendar_read
from calendar_planner.periods import PCTR, SAV, slot_label
from calendar_planner.rules import activities, validate
from calendar_planner.selectors import frame_for

pytestmark = pytest.mark.django_db

DATA = pathlib.Path(__file__).resolve().parents[2] / "calendar_planner" / "data"
START = datetime.date(2012, 1, 1)


@pytest.fixture
def pctr_rows(east_midlands):
    text = (DATA / "handbook_pctr_2012.csv").read_text(encoding="utf-8")
    return calendar_read(kind=PCTR, text=text, region=east_midlands)


@pytest.fixture
def sav_rows(east_midlands):
    text = (DATA / "handbook_sav_2012.csv").read_text(encoding="utf-8")
    return calendar_read(kind=SAV, text=text, region=east_midlands)


@pytest.fixture
def pctr_frame(east_midlands):
    return frame_for(region=east_midlands, kind=PCTR, starts_on=START, months=36)


@pytest.fixture
def sav_frame(east_midlands):
    """Up to the end of the last window, June 2014: the interval from July 2013 runs past
    it, as the handbook's table does ("next three to receive SAVs in new calendar")."""
    return frame_for(region=east_midlands, kind=SAV, starts_on=START, months=30, interval=18)


def table(kind, rows):
    return [(slot_label(kind, r.start), r.host, r.lead, r.qa) for r in rows]


def lines(frame, rows):
    return [str(f) for f in validate(frame, rows)]


def test_handbook_pctr_calendar_imports_with_register_names(pctr_rows):
    # The handbook names the lead and QA DCS by initials; its "total involvement" table
    # gives their LAs: AB Derby, IT Derbyshire, RD Leicester, GW Leicestershire, PD
    # Lincolnshire, CM Northamptonshire, IC Nottingham, AM Nottinghamshire, CC Rutland.
    assert table(PCTR, pctr_rows) == [
        ("2012Q1", "Nottinghamshire", "Rutland", "Leicestershire"),
        ("2012Q2", "Leicestershire", "Nottinghamshire", "Derby City"),
        ("2012Q3", "Nottingham City", "Northamptonshire", "Derbyshire"),
        ("2012Q4", "Northamptonshire", "Derbyshire", "Leicester City"),
        ("2013Q1", "Derby City", "Leicestershire", "Rutland"),
        ("2013Q2", "Leicester City", "Lincolnshire", "Nottingham City"),
        ("2013Q3", "Lincolnshire", "Nottingham City", "Nottinghamshire"),
        ("2013Q4", "Rutland", "Derby City", "Northamptonshire"),
        ("2014Q1", "Derbyshire", "Leicester City", "Lincolnshire"),
    ]
    assert [r.line for r in pctr_rows] == list(range(2, 11))


def test_handbook_pctr_calendar_keeps_every_hard_rule(pctr_frame, pctr_rows):
    """Nine reviews in nine consecutive quarters: every LA hosts, leads and is QA once,
    nobody leads the LA that leads them. What it breaks is the spread: four reviews in
    2012, four in 2013 and one in 2014, where R10 asks for about three a year."""
    assert lines(pctr_frame, pctr_rows) == [
        "warning R10 2012Q1: uneven spread of PCTRs over the years (2012Q1 on: 4, 2013Q1 on: "
        "4, 2014Q1 on: 1; about 3 a year is even)",
    ]


def test_handbook_sav_calendar_imports_as_windows_only(sav_rows):
    assert table(SAV, sav_rows) == [
        ("2012-01", "Derbyshire", None, None),
        ("2012-03", "Rutland", None, None),
        ("2012-05", "Northamptonshire", None, None),
        ("2012-07", "Derby City", None, None),
        ("2012-09", "Lincolnshire", None, None),
        ("2012-11", "Leicestershire", None, None),
        ("2013-01", "Leicester City", None, None),
        ("2013-03", "Nottingham City", None, None),
        ("2013-05", "Nottinghamshire", None, None),
        ("2013-07", "Derbyshire", None, None),
        ("2013-09", "Derby City", None, None),
        ("2013-11", "Leicestershire", None, None),
        ("2014-01", "Northamptonshire", None, None),
        ("2014-03", "Lincolnshire", None, None),
        ("2014-05", "Leicester City", None, None),
    ]


def test_handbook_sav_calendar_spaces_visits_away_from_its_interval(sav_frame, sav_rows):
    """Every LA has its SAV in the first 18 months, and the table names no teams yet, so no
    hard rule breaks. Four second visits come 12 to 20 months after the first, and Rutland,
    visited in March 2012, is not visited again by June 2014."""
    assert lines(sav_frame, sav_rows) == [
        "warning R11 line 3 2012-03 Rutland: no SAV after 2012-03 up to the calendar's last "
        "window (2014-05): at least 28 months against an interval of 18",
        "warning R11 line 12 2013-09 Derby City: 14 months between SAVs (2012-07 and 2013-09) "
        "against an interval of 18",
        "warning R11 line 13 2013-11 Leicestershire: 12 months between SAVs (2012-11 and "
        "2013-11) against an interval of 18",
        "warning R11 line 14 2014-01 Northamptonshire: 20 months between SAVs (2012-05 and "
        "2014-01) against an interval of 18",
        "warning R11 line 16 2014-05 Leicester City: 16 months between SAVs (2013-01 and "
        "2014-05) against an interval of 18",
    ]


def test_handbook_sav_calendar_over_three_whole_years_misses_three_visits(east_midlands, sav_rows):
    frame = frame_for(region=east_midlands, kind=SAV, starts_on=START, months=36, interval=18)
    assert [str(f) for f in validate(frame, sav_rows) if f.is_error] == [
        "error R11 Nottingham City: hosts no SAV in the interval 2013-07–2014-11",
        "error R11 Nottinghamshire: hosts no SAV in the interval 2013-07–2014-11",
        "error R11 Rutland: hosts no SAV in the interval 2013-07–2014-11",
    ]


def test_handbook_calendars_together_give_four_busy_quarters(
    pctr_frame, pctr_rows, sav_frame, sav_rows
):
    """The handbook's "total involvement" page puts each of these SAVs in the quarter next
    to the PCTR role; the SAV table's two-month windows reach into the same quarter."""
    frame = dataclasses.replace(pctr_frame, context=tuple(activities(SAV, sav_rows)))
    assert lines(frame, pctr_rows) == [
        "warning R10 2012Q1: uneven spread of PCTRs over the years (2012Q1 on: 4, 2013Q1 on: "
        "4, 2014Q1 on: 1; about 3 a year is even)",
        "warning R12 2012Q1 Rutland: 2 programme activities in the quarter: leads the PCTR of "
        "Nottinghamshire (2012Q1); hosts a SAV (2012-03)",
        "warning R12 2013Q2 Nottingham City: 2 programme activities in the quarter: is QA for "
        "the PCTR of Leicester City (2013Q2); hosts a SAV (2013-03)",
        "warning R12 2013Q4 Derby City: 2 programme activities in the quarter: leads the PCTR "
        "of Rutland (2013Q4); hosts a SAV (2013-09)",
        "warning R12 2014Q1 Lincolnshire: 2 programme activities in the quarter: is QA for the "
        "PCTR of Derbyshire (2014Q1); hosts a SAV (2014-03)",
    ]
