"""Dates as a form's date input sends them (the GOV.UK date input: day, month, year)."""

import datetime


def date_input(name: str, day: datetime.date | str) -> dict[str, str]:
    """The POST data of the date input ``name`` holding ``day``: a date, or a string
    ``"d m yyyy"`` typed as it stands (the boxes as a person might fill them)."""
    if isinstance(day, datetime.date):
        parts = [str(day.day), str(day.month), str(day.year)]
    else:
        parts = day.split(" ")
    return {f"{name}_{n}": part for n, part in enumerate(parts)}
