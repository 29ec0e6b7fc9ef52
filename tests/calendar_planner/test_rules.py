"""The validator (R1, R10–R12): each hard rule broken on purpose is an error naming its rule,
each soft rule a warning with its measure. Frames are built by hand: no database, except
where the seeded register is the point."""

import dataclasses
import datetime

import pytest

from calendar_planner.periods import PCTR, SAV, add_months
from calendar_planner.rules import Activity, Authority, Finding, Frame, Row, validate
from calendar_planner.selectors import frame_for

D = datetime.date
DERBY, LEICS, NOTTM, RUTLAND = "Derby City", "Leicestershire", "Nottingham City", "Rutland"
FOUR = tuple(Authority(name) for name in (DERBY, LEICS, NOTTM, RUTLAND))

# A PCTR cycle 2026Q1–2028Q4 that keeps every rule: each LA hosts, leads and is QA once,
# each led by the next LA in turn (no reciprocal leads), one review a quarter at most.
PCTR_FRAME = Frame(kind=PCTR, start=D(2026, 1, 1), months=36, authorities=FOUR)
PCTR_ROWS = [
    Row(D(2026, 1, 1), DERBY, LEICS, NOTTM),
    Row(D(2026, 7, 1), LEICS, NOTTM, RUTLAND),
    Row(D(2027, 4, 1), NOTTM, RUTLAND, DERBY),
    Row(D(2028, 1, 1), RUTLAND, DERBY, LEICS),
]
# A SAV programme of two 18-month intervals, 2026-01 to 2028-12, that keeps every rule:
# the second interval repeats the first 18 months on.
SAV_FRAME = Frame(kind=SAV, start=D(2026, 1, 1), months=36, authorities=FOUR, interval=18)
SAV_ROUND = [
    Row(D(2026, 1, 1), DERBY, LEICS, NOTTM),
    Row(D(2026, 5, 1), LEICS, NOTTM, RUTLAND),
    Row(D(2026, 7, 1), NOTTM, RUTLAND, DERBY),
    Row(D(2027, 1, 1), RUTLAND, DERBY, LEICS),
]
SAV_ROWS = [*SAV_ROUND, *(dataclasses.replace(r, start=add_months(r.start, 18)) for r in SAV_ROUND)]
SAV_ONE_ROUND = dataclasses.replace(SAV_FRAME, months=18)


def lines(frame, rows):
    return [str(finding) for finding in validate(frame, rows)]


def replaced(rows, index, **changes):
    return [dataclasses.replace(r, **changes) if i == index else r for i, r in enumerate(rows)]


def test_valid_pctr_cycle_has_no_findings():
    assert validate(PCTR_FRAME, PCTR_ROWS) == []


def test_valid_sav_programme_has_no_findings():
    assert validate(SAV_FRAME, SAV_ROWS) == []


def test_finding_names_level_rule_line_slot_and_la():
    finding = Finding(
        level="error", rule="R10", message="hosts a second PCTR", slot="2013Q1", authority=DERBY
    )
    assert str(dataclasses.replace(finding, line=5)) == (
        "error R10 line 5 2013Q1 Derby City: hosts a second PCTR"
    )
    assert str(finding) == "error R10 2013Q1 Derby City: hosts a second PCTR"
    assert finding.is_error


# R10: the PCTR cycle


def test_pctr_hosting_twice_is_an_error_and_so_is_the_la_left_without():
    rows = replaced(PCTR_ROWS, 2, host=LEICS)
    assert lines(PCTR_FRAME, rows) == [
        "error R10 Nottingham City: hosts no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 2027Q2 Leicestershire: hosts a second PCTR in the cycle 2026Q1–2028Q4 "
        "(also 2026Q3)",
    ]


def test_pctr_missing_review_leaves_its_host_lead_and_qa_short():
    assert lines(PCTR_FRAME, PCTR_ROWS[:3]) == [
        "error R10 Derby City: leads no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 Leicestershire: is QA for no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 Rutland: hosts no PCTR in the cycle 2026Q1–2028Q4",
        "warning R10 2026Q1: uneven spread of PCTRs over the years (2026Q1 on: 2, 2027Q1 on: "
        "1, 2028Q1 on: 0; about 1 a year is even)",
    ]


def test_pctr_leading_twice_is_an_error_and_so_is_the_la_leading_none():
    rows = replaced(PCTR_ROWS, 0, lead=RUTLAND)
    assert lines(PCTR_FRAME, rows) == [
        "error R10 Leicestershire: leads no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 2027Q2 Rutland: leads a second PCTR in the cycle 2026Q1–2028Q4 (also 2026Q1)",
        "error R12 2028Q1 Derby City: reciprocal leads: Derby City leads Rutland's PCTR "
        "(2028Q1) and Rutland leads Derby City's (2026Q1)",
    ]


def test_pctr_without_a_lead_is_an_error():
    rows = replaced(PCTR_ROWS, 0, lead=None)
    assert lines(PCTR_FRAME, rows) == [
        "error R10 Leicestershire: leads no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 2026Q1 Derby City: the PCTR of Derby City has no lead LA",
    ]


def test_pctr_without_a_qa_is_an_error():
    rows = replaced(PCTR_ROWS, 1, qa=None)
    assert lines(PCTR_FRAME, rows) == [
        "error R10 Rutland: is QA for no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 2026Q3 Leicestershire: the PCTR of Leicestershire has no QA LA",
    ]


def test_pctr_qa_twice_is_an_error_and_so_is_the_la_qa_for_none():
    rows = replaced(PCTR_ROWS, 0, qa=RUTLAND)
    assert lines(PCTR_FRAME, rows) == [
        "error R10 Nottingham City: is QA for no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 2026Q3 Rutland: is QA for a second PCTR in the cycle 2026Q1–2028Q4 "
        "(also 2026Q1)",
    ]


def test_pctr_lead_and_qa_from_one_la_is_an_error():
    rows = replaced(PCTR_ROWS, 0, qa=LEICS)
    assert lines(PCTR_FRAME, rows) == [
        "error R10 Nottingham City: is QA for no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 2026Q1 Leicestershire: the lead and the QA are both from Leicestershire: "
        "three different LAs are needed",
        "error R10 2028Q1 Leicestershire: is QA for a second PCTR in the cycle 2026Q1–2028Q4 "
        "(also 2026Q1)",
        "warning R12 2026Q1 Leicestershire: 2 programme activities in the quarter: leads the "
        "PCTR of Derby City (2026Q1); is QA for the PCTR of Derby City (2026Q1)",
    ]


def test_pctr_outside_the_programme_slots_is_an_error():
    rows = replaced(PCTR_ROWS, 3, start=D(2029, 1, 1))
    assert lines(PCTR_FRAME, rows) == [
        "error R10 Derby City: leads no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 Leicestershire: is QA for no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 Rutland: hosts no PCTR in the cycle 2026Q1–2028Q4",
        "error R10 2029Q1 Rutland: 2029Q1 is not a slot of the programme (2026Q1 to 2028Q4)",
        "warning R10 2026Q1: uneven spread of PCTRs over the years (2026Q1 on: 2, 2027Q1 on: "
        "1, 2028Q1 on: 0; about 1 a year is even)",
    ]


def test_pctr_later_cycles_are_checked_on_their_own():
    frame = dataclasses.replace(PCTR_FRAME, months=72)
    later = [
        dataclasses.replace(r, start=r.start.replace(year=r.start.year + 3)) for r in PCTR_ROWS
    ]
    assert lines(frame, PCTR_ROWS + later) == []
    assert lines(frame, PCTR_ROWS + later[1:]) == [
        "error R10 Derby City: hosts no PCTR in the cycle 2029Q1–2031Q4",
        "error R10 Leicestershire: leads no PCTR in the cycle 2029Q1–2031Q4",
        "error R10 Nottingham City: is QA for no PCTR in the cycle 2029Q1–2031Q4",
    ]


# R11: the SAV programme


def test_sav_hosting_twice_in_an_interval_is_an_error():
    rows = replaced(SAV_ROWS, 2, host=LEICS)
    assert lines(SAV_FRAME, rows) == [
        "error R11 Nottingham City: hosts no SAV in the interval 2026-01–2027-05",
        "error R11 2026-07 Leicestershire: hosts a second SAV in the interval 2026-01–2027-05 "
        "(also 2026-05)",
        "warning R11 2026-07 Leicestershire: 2 months between SAVs (2026-05 and 2026-07) "
        "against an interval of 18",
        "warning R11 2027-11 Leicestershire: 16 months between SAVs (2026-07 and 2027-11) "
        "against an interval of 18",
    ]


def test_sav_without_a_visit_in_a_complete_interval_is_an_error():
    rows = [r for r in SAV_ROWS if r.start != D(2028, 7, 1)]
    assert lines(SAV_FRAME, rows) == [
        "error R11 Derby City: leads no SAV in the interval 2027-07–2028-11",
        "error R11 Leicestershire: is QA for no SAV in the interval 2027-07–2028-11",
        "error R11 Rutland: hosts no SAV in the interval 2027-07–2028-11",
        "warning R11 2026-01: uneven spread of SAVs over the years (2026-01 on: 3, 2027-01 on: "
        "3, 2028-01 on: 1; about 2 a year is even)",
    ]


def test_sav_interval_running_past_the_calendar_does_not_require_every_la():
    frame = dataclasses.replace(SAV_FRAME, months=26)
    rows = [r for r in SAV_ROWS if r.start < D(2028, 3, 1)]
    assert lines(frame, rows) == []


def test_sav_leading_twice_is_an_error():
    rows = replaced(SAV_ROUND, 0, lead=RUTLAND)
    assert lines(SAV_ONE_ROUND, rows) == [
        "error R11 Leicestershire: leads no SAV in the interval 2026-01–2027-05",
        "error R11 2026-07 Rutland: leads a second SAV in the interval 2026-01–2027-05 "
        "(also 2026-01)",
        "error R12 2027-01 Derby City: reciprocal leads: Derby City leads Rutland's SAV "
        "(2027-01) and Rutland leads Derby City's (2026-01)",
    ]


def test_sav_without_a_lead_or_qa_is_an_error_once_the_interval_has_teams():
    rows = replaced(replaced(SAV_ROUND, 0, lead=None), 3, qa=None)
    assert lines(SAV_ONE_ROUND, rows) == [
        "error R11 Leicestershire: is QA for no SAV in the interval 2026-01–2027-05",
        "error R11 Leicestershire: leads no SAV in the interval 2026-01–2027-05",
        "error R11 2026-01 Derby City: the SAV of Derby City has no lead LA",
        "error R11 2027-01 Rutland: the SAV of Rutland has no QA LA",
    ]


def test_sav_interval_planned_as_windows_only_needs_no_teams_yet():
    rows = [dataclasses.replace(r, lead=None, qa=None) for r in SAV_ROUND]
    assert lines(SAV_ONE_ROUND, rows) == []


def test_sav_qa_twice_is_an_error():
    rows = replaced(SAV_ROUND, 0, qa=RUTLAND)
    assert lines(SAV_ONE_ROUND, rows) == [
        "error R11 Nottingham City: is QA for no SAV in the interval 2026-01–2027-05",
        "error R11 2026-05 Rutland: is QA for a second SAV in the interval 2026-01–2027-05 "
        "(also 2026-01)",
    ]


def test_sav_lead_and_qa_from_one_la_is_an_error():
    rows = replaced(SAV_ROUND, 2, lead=DERBY)
    assert lines(SAV_ONE_ROUND, rows) == [
        "error R11 Rutland: leads no SAV in the interval 2026-01–2027-05",
        "error R11 2026-07 Derby City: the lead and the QA are both from Derby City: three "
        "different LAs are needed",
        "error R11 2027-01 Derby City: leads a second SAV in the interval 2026-01–2027-05 "
        "(also 2026-07)",
        "warning R12 2026Q3 Derby City: 2 programme activities in the quarter: leads the SAV of "
        "Nottingham City (2026-07); is QA for the SAV of Nottingham City (2026-07)",
    ]


def test_sav_window_off_the_two_month_grid_is_an_error():
    rows = replaced(SAV_ROUND, 1, start=D(2026, 4, 1))
    assert lines(SAV_ONE_ROUND, rows) == [
        "error R11 Leicestershire: hosts no SAV in the interval 2026-01–2027-05",
        "error R11 Nottingham City: leads no SAV in the interval 2026-01–2027-05",
        "error R11 Rutland: is QA for no SAV in the interval 2026-01–2027-05",
        "error R11 2026-04 Leicestershire: 2026-04 is not a slot of the programme (2026-01 to "
        "2027-05, windows every two months)",
    ]


# R12: planning rules


def test_lead_from_the_host_la_is_an_error():
    rows = replaced(PCTR_ROWS, 0, lead=DERBY)
    assert lines(PCTR_FRAME, rows) == [
        "error R10 Leicestershire: leads no PCTR in the cycle 2026Q1–2028Q4",
        "error R12 2026Q1 Derby City: the lead is from the host LA, Derby City",
        "error R10 2028Q1 Derby City: leads a second PCTR in the cycle 2026Q1–2028Q4 (also 2026Q1)",
        "warning R12 2026Q1 Derby City: 2 programme activities in the quarter: hosts a PCTR "
        "(2026Q1); leads the PCTR of Derby City (2026Q1)",
    ]


def test_qa_from_the_host_la_is_an_error():
    rows = replaced(SAV_ROUND, 1, qa=LEICS)
    assert lines(SAV_ONE_ROUND, rows) == [
        "error R11 Rutland: is QA for no SAV in the interval 2026-01–2027-05",
        "error R12 2026-05 Leicestershire: the QA is from the host LA, Leicestershire",
        "error R11 2027-01 Leicestershire: is QA for a second SAV in the interval "
        "2026-01–2027-05 (also 2026-05)",
        "warning R12 2026Q2 Leicestershire: 2 programme activities in the quarter: hosts a SAV "
        "(2026-05); is QA for the SAV of Leicestershire (2026-05)",
    ]


def test_la_in_a_blackout_is_an_error_whatever_its_role():
    blackout = (D(2026, 2, 1), D(2026, 2, 28), "Ofsted inspection expected")
    authorities = (FOUR[0], dataclasses.replace(FOUR[1], blackouts=(blackout,)), *FOUR[2:])
    frame = dataclasses.replace(PCTR_FRAME, authorities=authorities)
    assert lines(frame, PCTR_ROWS) == [
        "error R12 2026Q1 Leicestershire: Leicestershire (lead) has a blackout from "
        "1 Feb 2026 to 28 Feb 2026: Ofsted inspection expected",
    ]
    # Moved a quarter on, the review keeps clear of the blackout.
    assert lines(frame, replaced(PCTR_ROWS, 0, start=D(2026, 4, 1))) == []


def test_reciprocal_leads_are_an_error_the_rule_being_absolute():
    rows = [
        Row(D(2026, 1, 1), DERBY, LEICS, NOTTM),
        Row(D(2026, 7, 1), LEICS, DERBY, RUTLAND),
        Row(D(2027, 4, 1), NOTTM, RUTLAND, DERBY),
        Row(D(2028, 1, 1), RUTLAND, NOTTM, LEICS),
    ]
    assert lines(PCTR_FRAME, rows) == [
        "error R12 2026Q3 Derby City: reciprocal leads: Derby City leads Leicestershire's "
        "PCTR (2026Q3) and Leicestershire leads Derby City's (2026Q1)",
        "error R12 2028Q1 Nottingham City: reciprocal leads: Nottingham City leads "
        "Rutland's PCTR (2028Q1) and Rutland leads Nottingham City's (2027Q2)",
    ]


def test_two_activities_of_an_la_in_a_quarter_are_a_warning():
    rows = replaced(PCTR_ROWS, 1, start=D(2026, 1, 1))
    assert lines(PCTR_FRAME, rows) == [
        "warning R12 2026Q1 Leicestershire: 2 programme activities in the quarter: leads the "
        "PCTR of Derby City (2026Q1); hosts a PCTR (2026Q1)",
        "warning R12 2026Q1 Nottingham City: 2 programme activities in the quarter: is QA for "
        "the PCTR of Derby City (2026Q1); leads the PCTR of Leicestershire (2026Q1)",
    ]


def test_the_other_kinds_calendar_counts_in_the_quarter():
    sav = Activity(DERBY, SAV, D(2026, 3, 1), "hosts a SAV")
    frame = dataclasses.replace(PCTR_FRAME, context=(sav,))
    # A March–April window touches the first and the second quarter.
    assert lines(frame, PCTR_ROWS) == [
        "warning R12 2026Q1 Derby City: 2 programme activities in the quarter: hosts a PCTR "
        "(2026Q1); hosts a SAV (2026-03)",
    ]


def test_uneven_spread_over_the_years_is_a_warning():
    rows = [dataclasses.replace(r, start=D(2026, 1 + 3 * i, 1)) for i, r in enumerate(PCTR_ROWS)]
    assert lines(PCTR_FRAME, rows) == [
        "warning R10 2026Q1: uneven spread of PCTRs over the years (2026Q1 on: 4, 2027Q1 on: "
        "0, 2028Q1 on: 0; about 1 a year is even)",
    ]


def test_sav_spacing_away_from_the_interval_is_a_warning():
    rows = replaced(SAV_ROWS, 7, start=D(2028, 5, 1))
    assert lines(SAV_FRAME, rows) == [
        "warning R11 2028-05 Rutland: 16 months between SAVs (2027-01 and 2028-05) against an "
        "interval of 18",
    ]


def test_sav_overdue_in_an_interval_past_the_calendar_end_is_a_warning():
    # Derby City's next visit was due in 2027-07, inside the calendar, and is not there.
    frame = dataclasses.replace(SAV_FRAME, months=26)
    rows = [r for r in SAV_ROWS if r.start < D(2028, 3, 1) and r.start != D(2027, 7, 1)]
    assert lines(frame, rows) == [
        "warning R11 2026-01 Derby City: no SAV after 2026-01 up to the calendar's last window "
        "(2028-01): at least 26 months against an interval of 18",
    ]


# R1: LAs that do not exist in the slot


def test_la_not_yet_formed_is_an_error():
    north = Authority("North Northamptonshire", active_from=D(2021, 4, 1))
    frame = Frame(kind=PCTR, start=D(2012, 1, 1), months=36, authorities=(*FOUR, north))
    rows = replaced(PCTR_ROWS, 0, qa="North Northamptonshire")
    rows = [dataclasses.replace(r, start=r.start.replace(year=r.start.year - 14)) for r in rows]
    assert lines(frame, rows) == [
        "error R10 Nottingham City: is QA for no PCTR in the cycle 2012Q1–2014Q4",
        "error R1 2012Q1 North Northamptonshire: North Northamptonshire (QA) does not exist "
        "in 2012Q1",
    ]


def test_la_not_of_the_region_is_an_error():
    rows = replaced(PCTR_ROWS, 3, host="Gotham")
    assert lines(PCTR_FRAME, rows) == [
        "error R10 Rutland: hosts no PCTR in the cycle 2026Q1–2028Q4",
        "error R1 2028Q1 Gotham: Gotham (host) is not an LA of the region at any time in the "
        "programme",
    ]


@pytest.mark.django_db
def test_seeded_las_exist_only_in_their_own_years(east_midlands):
    """Northamptonshire ends on 31 March 2021, North and West Northamptonshire begin the next
    day: in the cycle 2020–2022 each is an error outside its own quarters."""
    frame = frame_for(region=east_midlands, kind=PCTR, starts_on=D(2020, 1, 1), months=36)
    rows = [
        Row(D(2020, 1, 1), "North Northamptonshire", DERBY, LEICS),
        Row(D(2021, 1, 1), "Northamptonshire", LEICS, NOTTM),
        Row(D(2022, 1, 1), "Northamptonshire", NOTTM, "West Northamptonshire"),
    ]
    assert [f for f in validate(frame, rows) if f.rule == "R1"] == [
        Finding(
            "error",
            "R1",
            "North Northamptonshire (host) does not exist in 2020Q1",
            "2020Q1",
            "North Northamptonshire",
        ),
        Finding(
            "error",
            "R1",
            "Northamptonshire (host) does not exist in 2022Q1",
            "2022Q1",
            "Northamptonshire",
        ),
    ]


@pytest.mark.django_db
def test_seeded_la_outside_the_programme_is_not_in_its_frame(east_midlands):
    frame = frame_for(region=east_midlands, kind=PCTR, starts_on=D(2012, 1, 1), months=36)
    rows = [Row(D(2012, 1, 1), "North Northamptonshire", DERBY, LEICS)]
    assert [str(f) for f in validate(frame, rows) if f.rule == "R1"] == [
        "error R1 2012Q1 North Northamptonshire: North Northamptonshire (host) is not an LA of "
        "the region at any time in the programme",
    ]
