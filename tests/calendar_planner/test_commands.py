"""calendar_plan and calendar_check (R10–R12): a planned calendar checks clean; a broken
one exits 1 with every finding; a file that cannot be read exits 2 naming the line."""

import datetime
import io
import pathlib

import pytest
from django.core.management import CommandError, call_command

from calendar_planner.models import Blackout
from emslirp.models import LocalAuthority
from tests.region_names import HANDBOOK_NINE

pytestmark = pytest.mark.django_db

DATA = pathlib.Path(__file__).resolve().parents[2] / "calendar_planner" / "data"
REGION = "East Midlands"


def run(command, *args, **options):
    """(stdout, stderr) of a command that ends normally."""
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def exits(command, *args, **options):
    """(exit status, stdout, stderr) of a command that ends with SystemExit."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(command, *args, stdout=out, stderr=err, **options)
    return exited.value.code, out.getvalue(), err.getvalue()


def check(path, kind="pctr", **options):
    """The arguments of calendar_check for ``path``."""
    return ["calendar_check", str(path)], {"region": REGION, "kind": kind, **options}


def written(tmp_path, text, name="calendar.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# calendar_plan


@pytest.mark.parametrize(
    ("kind", "options", "summary", "checked"),
    [
        (
            "pctr",
            {},
            "10 PCTRs for 10 LAs of East Midlands, 2026Q1 to 2028Q4, optimal (penalty 60): "
            "0 errors, 0 warnings.\n",
            "0 errors, 0 warnings in 10 PCTRs of East Midlands, 2026Q1 to 2028Q4.\n",
        ),
        (
            "sav",
            {"interval": 18},
            "20 SAVs for 10 LAs of East Midlands, 2026-01 to 2028-11, optimal (penalty 150): "
            "0 errors, 0 warnings.\n",
            "0 errors, 0 warnings in 20 SAVs of East Midlands, 2026-01 to 2028-11, interval 18 "
            "months.\n",
        ),
    ],
)
def test_planned_calendar_checks_clean(east_midlands, tmp_path, kind, options, summary, checked):
    csv, err = run("calendar_plan", region=REGION, kind=kind, start="2026-01", years=3, **options)
    assert err == summary
    header, *rows = csv.splitlines()
    assert header == ("period,host,lead,qa" if kind == "pctr" else "window_start,host,lead,qa")
    assert len(rows) == (10 if kind == "pctr" else 20)
    path = written(tmp_path, csv)
    args, opts = check(path, kind, **options)
    assert run(*args, **opts, start="2026-01", years=3) == ("", f"{path}: {checked}")
    # With the programme read from the file itself.
    assert run(*args, **opts)[0] == ""


def test_plan_for_2012_has_the_handbook_nine(east_midlands):
    csv, _ = run("calendar_plan", region=REGION, kind="pctr", start="2012-01", years=3)
    hosts = sorted(line.split(",")[1] for line in csv.splitlines()[1:])
    assert hosts == HANDBOOK_NINE


def test_plan_is_the_same_for_the_same_seed(east_midlands):
    options = {"region": REGION, "kind": "sav", "start": "2026-01", "years": 3, "seed": 5}
    assert run("calendar_plan", **options) == run("calendar_plan", **options)


def test_plan_for_an_unknown_region_names_it(east_midlands):
    with pytest.raises(CommandError) as raised:
        run("calendar_plan", region="Wessex", kind="pctr", start="2026-01", years=3)
    assert (
        str(raised.value) == "There is no region called 'Wessex'; the regions are: East Midlands."
    )


def test_pctr_plan_starts_on_a_quarter(east_midlands):
    with pytest.raises(CommandError) as raised:
        run("calendar_plan", region=REGION, kind="pctr", start="2026-02", years=3)
    assert str(raised.value) == (
        "--start 2026-02: a PCTR cycle starts on the first month of a quarter "
        "(January, April, July or October)."
    )


def test_plan_start_must_be_a_month(east_midlands):
    with pytest.raises(CommandError) as raised:
        run("calendar_plan", region=REGION, kind="sav", start="2026-13", years=3)
    assert str(raised.value) == "--start: '2026-13' is not a month such as 2012-03."


@pytest.mark.parametrize(
    ("kind", "interval", "message"),
    [
        ("pctr", 18, "--interval is for SAV programmes; a PCTR round is its three-year cycle."),
        (
            "sav",
            13,
            "--interval 13: SAV windows are two months long, so the interval is an even "
            "number of months, at least 2.",
        ),
    ],
)
def test_plan_interval_is_an_even_number_of_months_for_savs(east_midlands, kind, interval, message):
    with pytest.raises(CommandError) as raised:
        run("calendar_plan", region=REGION, kind=kind, start="2026-01", years=3, interval=interval)
    assert str(raised.value) == message


def test_plan_that_cannot_be_made_says_why(east_midlands):
    Blackout.objects.create(
        local_authority=LocalAuthority.objects.get(name="Rutland"),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
        reason="Ofsted intervention",
    )
    with pytest.raises(CommandError) as raised:
        run("calendar_plan", region=REGION, kind="pctr", start="2026-01", years=3)
    assert str(raised.value) == (
        "Rutland has no usable slot from January 2026: its blackouts cover the whole round."
    )


# calendar_check


def test_check_of_the_handbook_pctr_calendar_exits_0_with_its_warning(east_midlands):
    path = DATA / "handbook_pctr_2012.csv"
    args, opts = check(path)
    out, err = run(*args, **opts)
    assert out.splitlines() == [
        "warning R10 2012Q1: uneven spread of PCTRs over the years (2012Q1 on: 4, 2013Q1 on: "
        "4, 2014Q1 on: 1; about 3 a year is even)",
    ]
    assert err == f"{path}: 0 errors, 1 warning in 9 PCTRs of East Midlands, 2012Q1 to 2014Q4.\n"


def test_check_of_the_handbook_sav_calendar_runs_to_its_last_window(east_midlands):
    path = DATA / "handbook_sav_2012.csv"
    args, opts = check(path, "sav")
    out, err = run(*args, **opts)
    assert out.splitlines() == [
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
    assert err == (
        f"{path}: 0 errors, 5 warnings in 15 SAVs of East Midlands, 2012-01 to 2014-05, "
        "interval 18 months.\n"
    )


def test_check_over_three_whole_years_exits_1_with_errors_first(east_midlands):
    path = DATA / "handbook_sav_2012.csv"
    args, opts = check(path, "sav", start="2012-01", years=3)
    code, out, err = exits(*args, **opts)
    assert code == 1
    # Rutland's missing visit is now an error of the second interval, no longer a warning.
    assert out.splitlines() == [
        "error R11 Nottingham City: hosts no SAV in the interval 2013-07–2014-11",
        "error R11 Nottinghamshire: hosts no SAV in the interval 2013-07–2014-11",
        "error R11 Rutland: hosts no SAV in the interval 2013-07–2014-11",
        "warning R11 2012-01: uneven spread of SAVs over the years (2012-01 on: 6, 2013-01 on: "
        "6, 2014-01 on: 3; about 5 a year is even)",
        "warning R11 line 12 2013-09 Derby City: 14 months between SAVs (2012-07 and 2013-09) "
        "against an interval of 18",
        "warning R11 line 13 2013-11 Leicestershire: 12 months between SAVs (2012-11 and "
        "2013-11) against an interval of 18",
        "warning R11 line 14 2014-01 Northamptonshire: 20 months between SAVs (2012-05 and "
        "2014-01) against an interval of 18",
        "warning R11 line 16 2014-05 Leicester City: 16 months between SAVs (2013-01 and "
        "2014-05) against an interval of 18",
    ]
    assert err == (
        f"{path}: 3 errors, 5 warnings in 15 SAVs of East Midlands, 2012-01 to 2014-11, "
        "interval 18 months.\n"
    )


def test_check_of_a_broken_calendar_exits_1_with_every_finding(east_midlands, tmp_path):
    handbook = (DATA / "handbook_pctr_2012.csv").read_text(encoding="utf-8")
    # Leicestershire's review led by its own DCS instead of Nottinghamshire's.
    broken = handbook.replace(
        "2012Q2,Leicestershire,Nottinghamshire,Derby", "2012Q2,Leicestershire,leicestershire,Derby"
    )
    path = written(tmp_path, broken)
    args, opts = check(path)
    code, out, err = exits(*args, **opts)
    assert code == 1
    assert out.splitlines() == [
        "error R10 Nottinghamshire: leads no PCTR in the cycle 2012Q1–2014Q4",
        "error R12 line 3 2012Q2 Leicestershire: the lead is from the host LA, Leicestershire",
        "error R10 line 6 2013Q1 Leicestershire: leads a second PCTR in the cycle "
        "2012Q1–2014Q4 (also 2012Q2)",
        "warning R10 2012Q1: uneven spread of PCTRs over the years (2012Q1 on: 4, 2013Q1 on: "
        "4, 2014Q1 on: 1; about 3 a year is even)",
        "warning R12 2012Q2 Leicestershire: 2 programme activities in the quarter: hosts a "
        "PCTR (2012Q2); leads the PCTR of Leicestershire (2012Q2) — Leicestershire's own "
        "commitments do not force this: in the cycle 2012Q1–2014Q4 Leicestershire has 3 "
        "parts and 12 of the cycle's 12 quarters are free for it, so each part could have "
        "a quarter of its own",
    ]
    assert err == f"{path}: 3 errors, 2 warnings in 9 PCTRs of East Midlands, 2012Q1 to 2014Q4.\n"


def test_check_defaults_a_pctr_file_to_whole_cycles(east_midlands, tmp_path):
    # One row in 2026Q2: the cycle runs 2026Q2 to 2029Q1, and the ten LAs' 30 duties are
    # due; the row fulfils three of them.
    path = written(tmp_path, "period,host,lead,qa\n2026Q2,Derby,Leicester,Rutland\n")
    args, opts = check(path)
    code, out, err = exits(*args, **opts)
    assert code == 1
    assert out.splitlines()[:3] == [
        "error R10 Derby City: is QA for no PCTR in the cycle 2026Q2–2029Q1",
        "error R10 Derby City: leads no PCTR in the cycle 2026Q2–2029Q1",
        "error R10 Derbyshire: hosts no PCTR in the cycle 2026Q2–2029Q1",
    ]
    assert err == f"{path}: 27 errors, 0 warnings in 1 PCTR of East Midlands, 2026Q2 to 2029Q1.\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "period,host,lead,qa\n2026Q1,Derby,Leicester,Rutland\n2026Q2,Gotham,Derby,Rutland\n",
            "line 3: host 'Gotham' is not an LA of East Midlands",
        ),
        (
            "period,host,lead,qa\n2026-01,Derby,Leicester,Rutland\n",
            "line 2: '2026-01' is not a quarter such as 2012Q1",
        ),
        (
            "host,lead,qa\nDerby,Leicester,Rutland\n",
            "line 1: missing column period; expected period,host,lead,qa",
        ),
        ("period,host,lead,qa\n", "no rows; give --start and --years to check an empty calendar"),
    ],
)
def test_check_of_an_unreadable_file_exits_2_naming_the_line(
    east_midlands, tmp_path, text, message
):
    path = written(tmp_path, text)
    args, opts = check(path)
    code, out, err = exits(*args, **opts)
    assert (code, out, err) == (2, "", f"{path}: {message}\n")


def test_check_of_a_missing_file_exits_2(east_midlands, tmp_path):
    path = tmp_path / "nowhere.csv"
    args, opts = check(path)
    code, out, err = exits(*args, **opts)
    assert (code, out, err) == (2, "", f"{path}: No such file or directory\n")


def test_check_for_an_unknown_region_is_a_usage_error(east_midlands):
    with pytest.raises(CommandError) as raised:
        run("calendar_check", str(DATA / "handbook_pctr_2012.csv"), region="Wessex", kind="pctr")
    assert (str(raised.value), raised.value.returncode) == (
        "There is no region called 'Wessex'; the regions are: East Midlands.",
        2,
    )
