"""What the calendar commands share: reading the region, the kind, the first slot and the
interval from the command line, with a message that says what was expected."""

import datetime

from django.core.management.base import CommandError, CommandParser

from calendar_planner.periods import KINDS, PCTR, SAV_INTERVAL_DEFAULT, SLOT_MONTHS, month_parse
from emslirp.models import Region


def arguments_add(parser: CommandParser) -> None:
    parser.add_argument("--region", required=True, help='The region, e.g. "East Midlands".')
    parser.add_argument("--kind", required=True, choices=KINDS, help="pctr or sav.")
    parser.add_argument(
        "--interval",
        type=int,
        help=f"SAV only: months between an LA's visits (default {SAV_INTERVAL_DEFAULT}).",
    )


def region_get(name: str, *, returncode: int = 1) -> Region:
    region = Region.objects.filter(name__iexact=" ".join(name.split())).first()
    if region is None:
        known = ", ".join(Region.objects.order_by("name").values_list("name", flat=True))
        raise CommandError(
            f"There is no region called {name!r}; the regions are: {known or 'none'}.",
            returncode=returncode,
        )
    return region


def start_parse(kind: str, text: str, *, returncode: int = 1) -> datetime.date:
    """The first day of the month ``text`` names; for a PCTR, the first month of a quarter."""
    try:
        start = month_parse(text)
    except ValueError as error:
        raise CommandError(f"--start: {error}.", returncode=returncode) from None
    if kind == PCTR and (start.month - 1) % SLOT_MONTHS[PCTR]:
        raise CommandError(
            f"--start {text}: a PCTR cycle starts on the first month of a quarter "
            "(January, April, July or October).",
            returncode=returncode,
        )
    return start


def interval_get(kind: str, interval: int | None, *, returncode: int = 1) -> int | None:
    """The SAV interval, default 18 months (R11); None for a PCTR, whose round is its cycle."""
    if kind == PCTR:
        if interval is not None:
            raise CommandError(
                "--interval is for SAV programmes; a PCTR round is its three-year cycle.",
                returncode=returncode,
            )
        return None
    if interval is None:
        return SAV_INTERVAL_DEFAULT
    # SAV windows are two months long and follow one another, so an LA's visits can only
    # be an even number of months apart.
    if interval < SLOT_MONTHS[kind] or interval % SLOT_MONTHS[kind]:
        raise CommandError(
            f"--interval {interval}: SAV windows are two months long, so the interval is an "
            "even number of months, at least 2.",
            returncode=returncode,
        )
    return interval


def years_check(years: int | None, *, returncode: int = 1) -> None:
    if years is not None and years < 1:
        raise CommandError(f"--years {years}: at least one year.", returncode=returncode)


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
