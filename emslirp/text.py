"""How the product writes dates and other values in messages, the GOV.UK way."""

import datetime


def long_date(day: datetime.date) -> str:
    """``1 April 2026``: no leading zero, month in full."""
    return f"{day.day} {day:%B %Y}"
