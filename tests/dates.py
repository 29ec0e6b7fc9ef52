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


def moment_input(name: str, moment: datetime.datetime | str) -> dict[str, str]:
    """The POST data of the date and time input ``name``: a datetime (in local time), or
    a string ``"d m yyyy time"`` typed as it stands, such as ``"17 11 2026 14:30"``."""
    if isinstance(moment, datetime.datetime):
        parts = [str(moment.day), str(moment.month), str(moment.year), f"{moment:%H:%M}"]
    else:
        parts = moment.split(" ", 3)
    return {f"{name}_{n}": part for n, part in enumerate(parts)}
