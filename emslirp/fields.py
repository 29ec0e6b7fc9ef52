"""Form fields shared by the apps."""

import datetime
import re

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError

_NUMBER = re.compile(r"^[0-9]+$")


def date_example(day: datetime.date) -> str:
    """``day`` as the hint of a date input writes it: "For example, 9 2 2027"."""
    return f"For example, {day.day} {day.month} {day.year}"


class DayMonthYearField(DateInputField):
    """A date typed in three boxes, day, month and year: the GOV.UK Design System's date
    input (crispy-forms-gds renders it as a fieldset). Each message names the date asked
    for (``what``, such as "the first on-site day") and says what is missing or wrong, as
    the Design System words them; what was typed is shown again as it was typed."""

    def __init__(self, *, what: str, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        self.what = what
        the_date = what[:1].upper() + what[1:]
        self.error_messages = {
            **self.error_messages,
            "required": f"Enter {what}",
            "incomplete": f"Enter {what}",
            "invalid": f"{the_date} must be a real date",
        }
        for part, field in zip(("day", "month", "year"), self.fields, strict=True):
            field.error_messages["incomplete"] = f"{the_date} must include a {part}"
            field.error_messages["required"] = f"{the_date} must include a {part}"
            # The pack's own check gives a generic message; compress() says it better.
            field.validators = []
        for part, box in zip(("day", "month", "year"), self.widget.widgets, strict=True):
            box.attrs.update(
                {
                    "inputmode": "numeric",
                    "maxlength": 4 if part == "year" else 2,
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            )

    def clean(self, value):
        # The pack's clean() leaves one list per box on each box's widget for the error
        # markup; they would pile up across forms, which share nothing else.
        for field in self.fields:
            field.widget.errors = []
        return super().clean(value)

    def _refuse(self, message: str, *, box: int, code: str) -> ValidationError:
        """The error, listed by the error summary against ``box`` (0 day, 1 month, 2
        year), which its link then leads to."""
        self.fields[box].widget.errors.append(message)
        return ValidationError(message, code=code)

    def compress(self, data_list):
        day, month, year = (str(part or "").strip() for part in data_list)
        if not (day and month and year):
            return None
        if not all(_NUMBER.match(part) for part in (day, month, year)):
            raise self._refuse(self.error_messages["invalid"], box=0, code="invalid")
        if len(year) != 4:
            message = f"The year of {self.what} must include 4 numbers"
            raise self._refuse(message, box=2, code="year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._refuse(self.error_messages["invalid"], box=0, code="invalid") from None
