"""Form fields shared by the apps."""

import datetime
import re

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

_NUMBER = re.compile(r"^[0-9]+$")
# "14:30", "14.30", "9:05"; a 12-hour time with am or pm, "2:30pm", "9am".
_TIME_24 = re.compile(r"^([0-9]{1,2})[:.]([0-9]{2})$")
_TIME_12 = re.compile(r"^([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)$")


def date_example(day: datetime.date) -> str:
    """``day`` as the hint of a date input writes it: "For example, 9 2 2027"."""
    return f"For example, {day.day} {day.month} {day.year}"


class DayMonthYearField(DateInputField):
    """A date typed in three boxes, day, month and year: the GOV.UK Design System's date
    input (crispy-forms-gds renders it as a fieldset). Each message names the date asked
    for (``what``, such as "the first on-site day") and says what is missing or wrong, as
    the Design System words them; what was typed is shown again as it was typed."""

    parts = ("day", "month", "year")

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.what = what
        the_date = what[:1].upper() + what[1:]
        if "time" in self.parts:
            self._add_time_box()
        self.error_messages = {
            **self.error_messages,
            "required": f"Enter {what}",
            "incomplete": f"Enter {what}",
            "invalid": f"{the_date} must be a real date",
        }
        for part, field in zip(self.parts, self.fields, strict=True):
            field.error_messages["incomplete"] = f"{the_date} must include a {part}"
            field.error_messages["required"] = f"{the_date} must include a {part}"
            # The pack's own check gives a generic message; compress() says it better.
            field.validators = []
        for part, box in zip(self.parts, self.widget.widgets, strict=True):
            box.attrs.update(
                {
                    "inputmode": "text" if part == "time" else "numeric",
                    "maxlength": {"year": 4, "time": 10}.get(part, 2),
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            )

    def clean(self, value):
        # The pack's clean() leaves one list per box on each box's widget for the error
        # markup; they would pile up across forms, which share nothing else.
        for field in self.fields:
            field.widget.errors = []
        try:
            return super().clean(value)
        except ValidationError as error:
            # A message no box has taken ("Enter the first on-site day": all of them
            # empty) is the first box's, so that the error summary leads into the date.
            self.errors_to_first_box(error.messages)
            raise

    def errors_to_first_box(self, messages) -> None:
        """Put ``messages`` that no box holds on the first box, where the error summary's
        link then leads (a service's refusal of the whole date, say)."""
        held = [m for field in self.fields for m in getattr(field.widget, "errors", [])]
        first = self.fields[0].widget
        first.errors = [*getattr(first, "errors", []), *(m for m in messages if m not in held)]

    def _refuse(self, message: str, *, box: int, code: str) -> ValidationError:
        """The error, listed by the error summary against ``box`` (0 day, 1 month, 2
        year), which its link then leads to."""
        self.fields[box].widget.errors.append(message)
        return ValidationError(message, code=code)

    def _add_time_box(self):
        self.fields = (*self.fields, forms.CharField(label="Time"))
        self.widget.widgets.append(
            forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-5",
                    "label": "Time",
                }
            )
        )
        self.widget.widgets_names.append(f"_{len(self.widget.widgets) - 1}")

    def compress(self, data_list):
        day, month, year = (str(part or "").strip() for part in data_list[:3])
        if not (day and month and year):
            return None
        if not all(_NUMBER.match(part) for part in (day, month, year)):
            raise self._refuse(self.error_messages["invalid"], box=0, code="invalid")
        if len(year) != 4:
            message = f"The year of {self.what} must include 4 numbers"
            raise self._refuse(message, box=2, code="year")
        if len(day) > 2 or len(month) > 2:  # and no number too large for a date to hold
            raise self._refuse(self.error_messages["invalid"], box=0, code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._refuse(self.error_messages["invalid"], box=0, code="invalid") from None


class MomentWidgetMixin:
    def decompress(self, value):
        if value:
            local = timezone.localtime(value)
            return local.day, local.month, local.year, f"{local:%H:%M}"
        return None, None, None, None


class DayMonthYearTimeField(DayMonthYearField):
    """A moment typed as the date input's day, month and year, then a time ("14:30";
    "2:30pm" is understood too), in the local time zone. ``when`` says what happened
    ("it was identified"): each message names it and the box at fault. A moment still
    to come is refused: the record says when things happened."""

    parts = ("day", "month", "year", "time")

    def __init__(self, *, when: str, **kwargs):
        self.when = when
        super().__init__(what=f"the date and time {when}", **kwargs)
        self.fields[3].error_messages["incomplete"] = f"Enter the time {when}"
        self.fields[3].error_messages["required"] = f"Enter the time {when}"
        # The time goes back into its box as it was read: "14:30".
        self.widget.__class__ = type(
            "DayMonthYearTimeWidget", (MomentWidgetMixin, type(self.widget)), {}
        )

    def compress(self, data_list):
        day = super().compress(data_list)
        typed = " ".join(str(data_list[3] or "").lower().split()) if len(data_list) > 3 else ""
        if day is None or not typed:
            return None
        hour, minute = self._time(typed)
        moment = datetime.datetime.combine(day, datetime.time(hour, minute))
        aware = timezone.make_aware(moment)
        # The hour the clocks skip in spring never happened; zoneinfo would quietly read
        # it an hour off. (The hour they repeat in autumn is read as the first of the two.)
        back = aware.astimezone(datetime.UTC).astimezone(aware.tzinfo)
        if back.replace(tzinfo=None) != moment:
            raise self._refuse(
                f"The time {self.when} must be a time that happened: the clocks went forward "
                f"at 1am on {day.day} {day:%B %Y}",
                box=3,
                code="time",
            )
        return aware

    def _time(self, typed: str) -> tuple[int, int]:
        if found := _TIME_24.match(typed):
            hour, minute = int(found[1]), int(found[2])
        elif found := _TIME_12.match(typed):
            afternoon = found[3].startswith("p")
            hour, minute = int(found[1]) % 12 + (12 if afternoon else 0), int(found[2] or 0)
            if not 1 <= int(found[1]) <= 12:
                hour = 24
        else:
            hour = minute = -1
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise self._refuse(
                f"The time {self.when} must be a real time, for example 14:30", box=3, code="time"
            )
        return hour, minute

    def validate(self, value):
        super().validate(value)
        if value is not None and value > timezone.now():
            raise self._refuse(
                f"The date and time {self.when} must be in the past", box=0, code="future"
            )


def moment_example(day: datetime.date) -> str:
    """The hint of a date and time input: "For example, 17 11 2026 and 14:30"."""
    return f"{date_example(day)} and 14:30. Use the 24-hour clock"
