"""Forms of the calendar, laid out with the GOV.UK Design System pack."""

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms

from calendar_planner.csvio import CalendarFileError, calendar_read
from calendar_planner.periods import (
    PCTR,
    SAV,
    SAV_INTERVAL_DEFAULT,
    add_months,
    quarter_label,
    quarter_start,
    slot_label,
    slot_parse,
    slot_words,
)
from calendar_planner.rules import Row
from emslirp.models import LocalAuthority, Region

MAX_FILE_BYTES = 200_000
# Calendars are planned and imported for the years the programme can span: the
# handbook's 2012 onwards, and no further ahead than anyone plans.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class ProgrammeForm(forms.Form):
    """A new programme: planned by the solver, or read from a CSV file (R10–R12)."""

    kind = forms.ChoiceField(
        label="Which calendar",
        choices=[(PCTR, "PCTR cycle"), (SAV, "SAV programme")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the PCTR cycle or the SAV programme."},
    )
    start = forms.CharField(
        label="First month",
        help_text="For example, 2026-01. A PCTR cycle starts in the first month of a quarter. "
        "For an imported file, leave it empty to start at the file's first review.",
        required=False,
    )
    years = forms.IntegerField(
        label="Years",
        help_text="A PCTR cycle runs three years; a SAV programme whole intervals.",
        min_value=1,
        max_value=12,
        initial=3,
        error_messages={"required": "Enter how many years the calendar covers."},
    )
    interval = forms.IntegerField(
        label="Months between an LA's SAVs",
        help_text="SAV programme only. The handbook uses 18; the MoU once a year (12).",
        min_value=2,
        max_value=36,
        initial=SAV_INTERVAL_DEFAULT,
        required=False,
    )
    seed = forms.IntegerField(
        label="Seed",
        help_text="The same seed gives the same calendar; another seed may give another.",
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        required=False,
    )
    file = forms.FileField(
        label="Or import a calendar (CSV)",
        help_text=(
            "PCTR: period,host,lead,qa with periods such as 2012Q1. "
            "SAV: window_start,host,lead,qa with months such as 2012-03."
        ),
        required=False,
    )

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.rows: list[Row] | None = None
        self.months: int | None = None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.text("start", field_width=5),
            Field.text("years", field_width=2),
            Field.text("interval", field_width=2),
            Field.text("seed", field_width=5),
            Fieldset(Field("file"), legend="Import instead of planning", legend_size=Size.SMALL),
            Button("submit", "Make the calendar"),
        )

    def clean_start(self):
        if not self.cleaned_data["start"].strip():
            return None  # the file's first review, or asked for in clean() if no file
        try:
            start = slot_parse(SAV, self.cleaned_data["start"])
        except ValueError:
            raise forms.ValidationError(
                "Enter the first month as YYYY-MM, for example 2026-01."
            ) from None
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise forms.ValidationError(f"Enter a first month from {FIRST_YEAR} to {LAST_YEAR}.")
        return start

    def clean(self):
        data = super().clean()
        kind, start = data.get("kind"), data.get("start")
        if start is None and not data.get("file") and not self.has_error("start"):
            self.add_error("start", "Enter the first month, for example 2026-01.")
        if kind == PCTR and start and start != quarter_start(start):
            self.add_error("start", "A PCTR cycle starts in January, April, July or October.")
        if kind == SAV:
            interval = data.get("interval")
            if interval is None:
                self.add_error("interval", "Enter the months between an LA's SAVs.")
            elif interval % 2:
                self.add_error("interval", "Enter an even number: SAV windows are two months.")
        upload = data.get("file")
        if upload and kind:
            if upload.size > MAX_FILE_BYTES:
                self.add_error("file", "The file is larger than a calendar can be (200 KB).")
                return data
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", "The file must be CSV text in UTF-8.")
                return data
            try:
                rows = calendar_read(kind=kind, text=text, region=self.region)
            except CalendarFileError as error:
                message = str(error)
                self.add_error("file", message[:1].upper() + message[1:])
                return data
            if not rows:
                self.add_error("file", "The file holds no reviews.")
                return data
            start, years = data.get("start"), data.get("years")
            if start is None and not self.has_error("start"):
                # The file holds its first month: the earliest review's slot.
                first = min(row.start for row in rows)
                start = data["start"] = quarter_start(first) if kind == PCTR else first
            if start and years and not self.has_error("interval"):
                self._rows_place(kind, rows, start, years, data.get("interval"))
        return data

    def _rows_place(self, kind, rows, start, years, interval) -> None:
        """Keep the file's rows only if each falls on a slot of the programme: a row
        outside it would be moved to the first slot the moment the draft is saved."""
        from calendar_planner.services import programme_months

        months = programme_months(kind=kind, years=years, interval=interval)
        step = 3 if kind == PCTR else 2
        slots = {add_months(start, k) for k in range(0, months, step)}
        last = add_months(start, months - step)
        for row in rows:
            if row.start not in slots:
                self.add_error(
                    "file",
                    f"Line {row.line}: {slot_label(kind, row.start)} is not a "
                    f"{'quarter' if kind == PCTR else 'window'} of a calendar from "
                    f"{slot_label(kind, start)} to {slot_label(kind, last)}. Change the "
                    "first month or the years.",
                )
                return
        self.rows, self.months = rows, months


class EntryForm(forms.Form):
    """One row of a draft calendar. Rules across rows are the validator's, not the form's."""

    slot = forms.TypedChoiceField(label="Slot", coerce=datetime.date.fromisoformat)
    # LAs by their register names, which are the validator's and the CSV files' keys:
    # the choices come from the programme's frame, read once for the whole page.
    host = forms.ChoiceField(label="Host", required=False)
    lead = forms.ChoiceField(label="Lead's LA", required=False)
    qa = forms.ChoiceField(label="QA's LA", required=False)

    def __init__(self, *args, kind: str, slots, names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [
            (s.isoformat(), f"{slot_label(kind, s)} ({slot_words(kind, s)})") for s, _ in slots
        ]
        for field in ("host", "lead", "qa"):
            empty = "Remove this row" if field == "host" else "None"
            self.fields[field].choices = [("", empty)] + [(n, n) for n in names]
        self.kind = kind

    def row(self) -> Row | None:
        data = self.cleaned_data
        if not data.get("host"):
            return None
        return Row(
            start=data["slot"],
            host=data["host"],
            lead=data.get("lead") or None,
            qa=data.get("qa") or None,
        )


class BaseEntryFormSet(forms.BaseFormSet):
    def rows(self) -> list[Row]:
        return [row for form in self.forms if form.is_valid() and (row := form.row())]


EntryFormSet = forms.formset_factory(EntryForm, formset=BaseEntryFormSet, extra=1, max_num=500)


class MatrixForm(forms.Form):
    start = forms.CharField(label="From quarter", help_text="For example, 2026Q1.", max_length=7)
    quarters = forms.IntegerField(label="Quarters", min_value=1, max_value=40, initial=12)

    def clean_start(self):
        try:
            start = slot_parse(PCTR, self.cleaned_data["start"])
        except ValueError:
            raise forms.ValidationError("Enter a quarter such as 2026Q1.") from None
        if not FIRST_YEAR <= start.year <= LAST_YEAR:
            raise forms.ValidationError(f"Enter a quarter from {FIRST_YEAR} to {LAST_YEAR}.")
        return start


def quarter_choices(today: datetime.date, count: int = 8):
    first = quarter_start(today)
    return [
        (
            add_months(first, 3 * k).isoformat(),
            f"{quarter_label(add_months(first, 3 * k))} "
            f"({slot_words(PCTR, add_months(first, 3 * k))})",
        )
        for k in range(count)
    ]


class ExtraRequestForm(forms.Form):
    local_authority = forms.ModelChoiceField(
        label="Which LA",
        queryset=LocalAuthority.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the LA the review is for."},
    )
    preferred_start = forms.TypedChoiceField(
        label="Preferred quarter", coerce=datetime.date.fromisoformat
    )
    reason = forms.CharField(
        label="Why the extra review is wanted",
        help_text="The coordinator reads this when placing the review.",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Say why the extra review is wanted."},
    )

    def __init__(self, *args, today: datetime.date, local_authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.only = local_authorities[0] if len(local_authorities) == 1 else None
        if self.only is None:
            self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
                pk__in=[la.pk for la in local_authorities]
            ).order_by("name")
        else:
            # A DCS of one LA is not asked which.
            del self.fields["local_authority"]
        self.fields["preferred_start"].choices = quarter_choices(today)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *([] if self.only else [Field.select("local_authority")]),
            Field.select("preferred_start"),
            Field.textarea("reason", rows=4),
            Button("submit", "Ask for an extra PCTR"),
        )

    def chosen_local_authority(self) -> LocalAuthority:
        return self.only or self.cleaned_data["local_authority"]


class ExtraScheduleForm(forms.Form):
    starts_on = forms.TypedChoiceField(label="Quarter", coerce=datetime.date.fromisoformat)
    lead = forms.ModelChoiceField(
        label="Lead DCS's LA",
        queryset=LocalAuthority.objects.none(),
        error_messages={"required": "Choose the LA whose DCS leads."},
    )
    qa = forms.ModelChoiceField(
        label="QA DCS's LA",
        queryset=LocalAuthority.objects.none(),
        error_messages={"required": "Choose the LA whose DCS is QA."},
    )

    def __init__(self, *args, today: datetime.date, authorities, preferred=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = quarter_choices(today)
        if preferred is not None:
            # The LA's preferred quarter is offered, chosen, even beyond the usual eight.
            self.initial.setdefault("starts_on", preferred.isoformat())
            if preferred.isoformat() not in dict(choices) and preferred >= quarter_start(today):
                choices.append(
                    (
                        preferred.isoformat(),
                        f"{quarter_label(preferred)} ({slot_words(PCTR, preferred)})",
                    )
                )
        self.fields["starts_on"].choices = choices
        self.fields["lead"].queryset = authorities
        self.fields["qa"].queryset = authorities
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("starts_on"),
            Field.select("lead"),
            Field.select("qa"),
            Button("schedule", "Schedule the review"),
        )


class ExtraDeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label="Why the request is declined",
        help_text="The LA's DCS sees this.",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Say why the request is declined."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "decline"
        self.helper.layout = Layout(
            Field.textarea("decline_reason", rows=3),
            Button.secondary("decline", "Decline the request"),
        )
