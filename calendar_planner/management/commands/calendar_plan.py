"""python manage.py calendar_plan --region "East Midlands" --kind pctr --start 2026-01 --years 3"""

from django.core.management.base import BaseCommand, CommandError

from calendar_planner.csvio import calendar_write
from calendar_planner.management.arguments import (
    arguments_add,
    counted,
    interval_get,
    region_get,
    start_parse,
    years_check,
)
from calendar_planner.periods import SLOT_MONTHS, add_months, slot_label
from calendar_planner.planner import DEFAULT_EFFORT, PlanningError, plan
from calendar_planner.rules import NOUN, validate
from calendar_planner.selectors import frame_for
from calendar_planner.services import programme_months


class Command(BaseCommand):
    help = (
        "Plan a PCTR cycle or a SAV programme for the LAs of a region that exist in its "
        "months, keeping every hard rule (R10-R12), and print it as CSV in the format "
        "calendar_check reads. The same arguments and seed give the same calendar."
    )

    def add_arguments(self, parser):
        arguments_add(parser)
        parser.add_argument(
            "--start",
            required=True,
            help="The first month, YYYY-MM; for a PCTR the first month of a quarter.",
        )
        parser.add_argument(
            "--years",
            required=True,
            type=int,
            help="How long, rounded up to whole rounds (three-year PCTR cycles, SAV intervals).",
        )
        parser.add_argument("--seed", type=int, default=0, help="The solver's seed (default 0).")
        parser.add_argument(
            "--effort",
            type=float,
            default=DEFAULT_EFFORT,
            help=f"The solver's budget in deterministic seconds (default {DEFAULT_EFFORT:g}).",
        )

    def handle(self, *args, **options):
        kind = options["kind"]
        region = region_get(options["region"])
        start = start_parse(kind, options["start"])
        interval = interval_get(kind, options["interval"])
        years_check(options["years"])
        months = programme_months(kind=kind, years=options["years"], interval=interval)
        frame = frame_for(
            region=region, kind=kind, starts_on=start, months=months, interval=interval
        )
        try:
            result = plan(frame, seed=options["seed"], effort=options["effort"])
        except PlanningError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(calendar_write(kind=kind, rows=result.rows), ending="")
        findings = validate(frame, result.rows)
        errors = sum(f.is_error for f in findings)
        last = add_months(frame.end, -SLOT_MONTHS[kind])
        self.stderr.write(
            f"{len(result.rows)} {NOUN[kind]}s for {len({r.host for r in result.rows})} LAs "
            f"of {region.name}, {slot_label(kind, start)} to {slot_label(kind, last)}, "
            + ("optimal" if result.optimal else "the best found within the budget")
            + f" (penalty {result.penalty}): {counted(errors, 'error')}, "
            f"{counted(len(findings) - errors, 'warning')}."
        )
