"""Calendars as CSV (R12, R13): what is written reads back the same; LA names match as R1
says; a file that cannot be read says which line."""

import datetime

import pytest

from calendar_planner.csvio import CalendarFileError, calendar_read, calendar_write
from calendar_planner.periods import PCTR, SAV
from calendar_planner.rules import Row
from tests.factories import LocalAuthorityFactory, RegionFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def read_error(region, text, kind=PCTR):
    with pytest.raises(CalendarFileError) as raised:
        calendar_read(kind=kind, text=text, region=region)
    return str(raised.value)


def test_pctr_calendar_written_reads_back_the_same(east_midlands):
    rows = [
        Row(D(2026, 4, 1), "Rutland", "Derby City", "Leicester City"),
        Row(D(2026, 1, 1), "Derby City", "Leicester City", "Rutland"),
        Row(D(2026, 7, 1), "Leicester City", "Rutland", "Derby City"),
    ]
    text = calendar_write(kind=PCTR, rows=rows)
    assert text == (
        "period,host,lead,qa\n"
        "2026Q1,Derby City,Leicester City,Rutland\n"
        "2026Q2,Rutland,Derby City,Leicester City\n"
        "2026Q3,Leicester City,Rutland,Derby City\n"
    )
    assert calendar_read(kind=PCTR, text=text, region=east_midlands) == [
        Row(D(2026, 1, 1), "Derby City", "Leicester City", "Rutland", line=2),
        Row(D(2026, 4, 1), "Rutland", "Derby City", "Leicester City", line=3),
        Row(D(2026, 7, 1), "Leicester City", "Rutland", "Derby City", line=4),
    ]


def test_sav_windows_without_teams_read_back_the_same(east_midlands):
    rows = [
        Row(D(2026, 3, 1), "West Northamptonshire"),
        Row(D(2026, 1, 1), "North Northamptonshire", "Rutland", "Derbyshire"),
    ]
    text = calendar_write(kind=SAV, rows=rows)
    assert text == (
        "window_start,host,lead,qa\n"
        "2026-01,North Northamptonshire,Rutland,Derbyshire\n"
        "2026-03,West Northamptonshire,,\n"
    )
    assert calendar_read(kind=SAV, text=text, region=east_midlands) == [
        Row(D(2026, 1, 1), "North Northamptonshire", "Rutland", "Derbyshire", line=2),
        Row(D(2026, 3, 1), "West Northamptonshire", None, None, line=3),
    ]


def test_names_match_ignoring_case_spacing_and_handbook_short_forms(east_midlands):
    text = (
        "period,host,lead,qa\n"
        "2012q1,derby,NOTTINGHAM,  leicester   city \n"
        "2012-Q2,Northants,DERBYSHIRE,Nottinghamshire\n"
    )
    assert calendar_read(kind=PCTR, text=text, region=east_midlands) == [
        Row(D(2012, 1, 1), "Derby City", "Nottingham City", "Leicester City", line=2),
        Row(D(2012, 4, 1), "Northamptonshire", "Derbyshire", "Nottinghamshire", line=3),
    ]


def test_header_in_any_order_and_case_with_a_byte_order_mark(east_midlands):
    text = "\ufeffQA, Host ,Period,Lead,notes\nRutland,Derby,2026Q1,Leicester,first\n"
    assert calendar_read(kind=PCTR, text=text, region=east_midlands) == [
        Row(D(2026, 1, 1), "Derby City", "Leicester City", "Rutland", line=2)
    ]


def test_blank_lines_are_skipped_and_lines_keep_their_numbers(east_midlands):
    text = "period,host,lead,qa\n\n2026Q1,Rutland,Derby,Leicester\n,,,\n2026Q2,Derby,,\n"
    assert [r.line for r in calendar_read(kind=PCTR, text=text, region=east_midlands)] == [3, 5]


def test_unknown_la_names_its_line_and_column(east_midlands):
    text = "period,host,lead,qa\n2026Q1,Rutland,Derby,Leicester\n2026Q2,Derby,Atlantis,Rutland\n"
    assert (
        read_error(east_midlands, text) == "line 3: lead 'Atlantis' is not an LA of East Midlands"
    )


def test_la_of_another_region_is_unknown(east_midlands):
    LocalAuthorityFactory(region=RegionFactory(name="North West"), name="Wigan")
    text = "period,host,lead,qa\n2026Q1,Rutland,Derby,wigan\n"
    assert read_error(east_midlands, text) == "line 2: qa 'wigan' is not an LA of East Midlands"


def test_empty_host_names_its_line(east_midlands):
    text = "window_start,host,lead,qa\n2026-01,Rutland,,\n2026-03, ,,\n"
    assert read_error(east_midlands, text, SAV) == "line 3: the host is empty"


def test_bad_quarter_names_its_line(east_midlands):
    text = "period,host,lead,qa\n2026Q1,Rutland,Derby,Leicester\n2026Q5,Derby,Rutland,Leicester\n"
    assert read_error(east_midlands, text) == "line 3: '2026Q5' is not a quarter such as 2012Q1"


def test_bad_month_names_its_line(east_midlands):
    text = "window_start,host,lead,qa\n2026-13,Rutland,,\n"
    assert (
        read_error(east_midlands, text, SAV) == "line 2: '2026-13' is not a month such as 2012-03"
    )


def test_quarter_in_a_sav_file_is_a_bad_month(east_midlands):
    text = "window_start,host,lead,qa\n2026Q1,Rutland,,\n"
    assert read_error(east_midlands, text, SAV) == "line 2: '2026Q1' is not a month such as 2012-03"


def test_missing_column_is_line_1(east_midlands):
    assert read_error(east_midlands, "period,host,lead\n2026Q1,Rutland,Derby\n") == (
        "line 1: missing column qa; expected period,host,lead,qa"
    )
    assert read_error(east_midlands, "period,host\n") == (
        "line 1: missing columns lead, qa; expected period,host,lead,qa"
    )


def test_pctr_file_read_as_sav_misses_its_window_column(east_midlands):
    assert read_error(east_midlands, "period,host,lead,qa\n", SAV) == (
        "line 1: missing column window_start; expected window_start,host,lead,qa"
    )


def test_empty_file_is_line_1(east_midlands):
    assert read_error(east_midlands, "") == (
        "line 1: the file is empty; expected the header period,host,lead,qa"
    )


def test_quoted_name_over_two_lines_keeps_the_line_numbers_after_it(east_midlands):
    text = (
        'period,host,lead,qa\n2026Q1,"Derby\nCity",Leicester,Rutland\n'
        "2026Q2,Rutland,Atlantis,Derby\n"
    )
    assert (
        read_error(east_midlands, text) == "line 4: lead 'Atlantis' is not an LA of East Midlands"
    )
