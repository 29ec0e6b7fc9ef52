"""A chart's numbers as a CSV file or an Excel workbook (R28): the rows the page shows,
nothing more, with every cell a spreadsheet would run as a formula made plain text."""

import csv
import io

from openpyxl import Workbook

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BLANK = "Not shown"


def cell_safe(value):
    """``value`` for a spreadsheet cell: numbers as they are, an empty figure as "Not
    shown", and text starting like a formula with a leading apostrophe."""
    if value is None:
        return _BLANK
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def chart_csv(chart) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell_safe(h) for h in chart.header])
    for row in chart.rows:
        writer.writerow([cell_safe(v) for v in row])
    # A byte-order mark so that Excel opens the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def chart_xlsx(chart) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = chart.key
    sheet.append([cell_safe(h) for h in chart.header])
    for row in chart.rows:
        sheet.append([cell_safe(v) for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            # Text is stored as text: openpyxl would otherwise store "=…" as a formula.
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.append([])
    sheet.append([cell_safe(chart.summary)])
    if chart.note:
        sheet.append([cell_safe(chart.note)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
