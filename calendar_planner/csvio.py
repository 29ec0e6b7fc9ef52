"""Calendars as CSV files (R12, R13): PCTR ``period,host,lead,qa`` with periods such as
2012Q1; SAV ``window_start,host,lead,qa`` with months such as 2012-03. LA names are matched
as R1 says: ignoring case, with the handbook's short forms accepted."""

import csv
import io

from calendar_planner.periods import PCTR, slot_label, slot_parse
from calendar_planner.rules import Row
from emslirp.models import Region
from emslirp.selectors import local_authority_find

COLUMNS = {PCTR: ("period", "host", "lead", "qa"), "sav": ("window_start", "host", "lead", "qa")}


class CalendarFileError(ValueError):
    """A calendar file that cannot be read; the message names the line."""


def calendar_read(*, kind: str, text: str, region: Region) -> list[Row]:
    """The rows of a calendar file, with each LA under its register name. Raises
    CalendarFileError for a missing column, a bad period or an LA the region does not know."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    wanted = COLUMNS[kind]
    if header is None:
        raise CalendarFileError(
            f"line 1: the file is empty; expected the header {','.join(wanted)}"
        )
    columns = [h.strip().lower() for h in header]
    missing = [c for c in wanted if c not in columns]
    if missing:
        raise CalendarFileError(
            f"line 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
            f"expected {','.join(wanted)}"
        )
    at = {c: columns.index(c) for c in wanted}
    names: dict[str, str | None] = {}

    def la(value: str, line: int, column: str) -> str | None:
        value = " ".join(value.split())
        if not value:
            if column == "host":
                raise CalendarFileError(f"line {line}: the host is empty")
            return None
        key = value.lower()
        if key not in names:
            found = local_authority_find(name=value, region=region)
            names[key] = found.name if found else None
        if names[key] is None:
            raise CalendarFileError(
                f"line {line}: {column} {value!r} is not an LA of {region.name}"
            )
        return names[key]

    rows = []
    # A quoted cell may run over several lines: a record starts on the line after the
    # one the previous record ended on.
    ended = reader.line_num
    for record in reader:
        line, ended = ended + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        record = record + [""] * (len(columns) - len(record))
        try:
            start = slot_parse(kind, record[at[wanted[0]]])
        except ValueError as error:
            raise CalendarFileError(f"line {line}: {error}") from None
        rows.append(
            Row(
                start=start,
                host=la(record[at["host"]], line, "host"),
                lead=la(record[at["lead"]], line, "lead"),
                qa=la(record[at["qa"]], line, "qa"),
                line=line,
            )
        )
    return rows


def calendar_write(*, kind: str, rows: list[Row]) -> str:
    """The calendar as CSV text in the format ``calendar_read`` reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS[kind])
    for row in sorted(rows, key=lambda r: (r.start, r.host)):
        writer.writerow([slot_label(kind, row.start), row.host, row.lead or "", row.qa or ""])
    return out.getvalue()
