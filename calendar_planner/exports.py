"""The calendar as files (R13): CSV and iCalendar, made from what the reader may see
(``selectors.calendar_items``), so that a SAV's team never leaves in a file its reader
could not see on a page (R30)."""

import csv
import datetime
import io

import icalendar
from django.utils.crypto import salted_hmac

from calendar_planner.periods import slot_label, slot_words
from calendar_planner.selectors import CalendarItem

CSV_COLUMNS = ("kind", "slot", "first_day", "last_day", "host", "lead", "qa", "extra")


def items_csv(items: list[CalendarItem]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in items:
        review = item.review
        writer.writerow(
            [
                review.kind,
                slot_label(review.kind, review.starts_on),
                review.starts_on.isoformat(),
                review.ends_on.isoformat(),
                review.host.name,
                item.lead.name if item.lead else "",
                item.qa.name if item.qa else "",
                "yes" if review.is_extra else "",
            ]
        )
    return out.getvalue()


def _summary(item: CalendarItem) -> str:
    review = item.review
    text = f"PCTR of {review.host}" if review.kind == "pctr" else f"SAV window for {review.host}"
    team = [f"lead: {item.lead}" if item.lead else "", f"QA: {item.qa}" if item.qa else ""]
    team = [t for t in team if t]
    return text + (f" ({', '.join(team)})" if team else "")


def items_ical(items: list[CalendarItem], *, name: str, stamp: datetime.datetime) -> bytes:
    """An iCalendar file with one all-day event per review spanning its quarter or window."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//EMSLIRP//Programme calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for item in items:
        review = item.review
        event = icalendar.Event()
        # Stable for the calendar program, and says nothing of how many reviews there are.
        event.add("uid", f"{salted_hmac('calendar-uid', str(review.pk)).hexdigest()[:32]}@emslirp")
        event.add("dtstamp", stamp)
        event.add("dtstart", review.starts_on)
        event.add("dtend", review.ends_on + datetime.timedelta(days=1))
        event.add("summary", _summary(item))
        event.add("description", f"{slot_words(review.kind, review.starts_on)}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
