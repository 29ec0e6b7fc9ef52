"""python manage.py calendar_check --region "East Midlands" --kind pctr FILE.csv

Exit status: 0 when the calendar breaks no hard rule, 1 when it breaks one or more, 2 when
the file or the arguments cannot be read."""

import math
import pathlib
from typing import NoReturn

from django.core.management.base import BaseCommand

from calendar_planner.csvio import CalendarFileError, calendar_read
from calendar_planner.management.arguments import (
    arguments_add,
    counted,
    interval_get,
    region_get,
    start_parse,
    years_check,
)
from calendar_planner.periods import (
    PCTR,
    PCTR_CYCLE_MONTHS,
    SLOT_MONTHS,
    add_months,
    months_between,
    slot_label,
)
from calendar_planner.rules import NOUN, validate
from calendar_planner.selectors import frame_for
from calendar_planner.services import programme_months

UNREADABLE = 2


class Command(BaseCommand):
    help = (
        "Check a calendar file against every rule (R1, R10-R12): each finding on a line, "
        "errors then warnings, and a summary on stderr. Exit status 0 without errors, 1 "
        "with errors, 2 when the file cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A CSV file: period,host,lead,qa or window_start,...")
        arguments_add(parser)
        parser.add_argument(
            "--start",
            help="The programme's first month, YYYY-MM (default: the first row's slot).",
        )
        parser.add_argument(
            "--years",
            type=int,
            help="The programme's length, rounded up to whole rounds (default: whole PCTR "
            "cycles covering every row; for SAVs, up to the end of the last window).",
        )

    def handle(self, *args, **options):
        kind = options["kind"]
        path = options["file"]
        region = region_get(options["region"], returncode=UNREADABLE)
        interval = interval_get(kind, options["interval"], returncode=UNREADABLE)
        years_check(options["years"], returncode=UNREADABLE)
        start = (
            start_parse(kind, options["start"], returncode=UNREADABLE) if options["start"] else None
        )
        try:
            text = pathlib.Path(path).read_text(encoding="utf-8-sig")
        except OSError as error:
            self.unreadable(f"{path}: {error.strerror or error}")
        except UnicodeDecodeError:
            self.unreadable(f"{path}: not a UTF-8 text file")
        try:
            rows = calendar_read(kind=kind, text=text, region=region)
        except CalendarFileError as error:
            self.unreadable(f"{path}: {error}")
        if not rows and (start is None or options["years"] is None):
            self.unreadable(f"{path}: no rows; give --start and --years to check an empty calendar")

        start = start or min(r.start for r in rows)
        if options["years"] is not None:
            months = programme_months(kind=kind, years=options["years"], interval=interval)
        elif kind == PCTR:
            # Whole cycles, so that an LA missing from a cycle is reported.
            needed = months_between(start, max(r.start for r in rows)) + SLOT_MONTHS[kind]
            months = PCTR_CYCLE_MONTHS * max(1, math.ceil(needed / PCTR_CYCLE_MONTHS))
        else:
            # Up to the end of the last window: a round running past it is incomplete, and
            # an LA whose turn has not come yet in it is not an error.
            needed = months_between(start, max(r.start for r in rows)) + SLOT_MONTHS[kind]
            months = max(SLOT_MONTHS[kind], needed)
        frame = frame_for(
            region=region, kind=kind, starts_on=start, months=months, interval=interval
        )
        findings = validate(frame, rows)
        for finding in findings:
            self.stdout.write(finding.explained)
        errors = sum(f.is_error for f in findings)
        last = add_months(frame.end, -SLOT_MONTHS[kind])
        self.stderr.write(
            f"{path}: {counted(errors, 'error')}, {counted(len(findings) - errors, 'warning')} "
            f"in {counted(len(rows), NOUN[kind])} of {region.name}, "
            f"{slot_label(kind, start)} to {slot_label(kind, last)}"
            + (f", interval {interval} months" if interval else "")
            + "."
        )
        if errors:
            raise SystemExit(1)

    def unreadable(self, message: str) -> NoReturn:
        self.stderr.write(message)
        raise SystemExit(UNREADABLE)
