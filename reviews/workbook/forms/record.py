"""Forms of the notebook, the verbal feedback record and the emerging issues (R21, R22,
R24), rendered with the GOV.UK Design System pack.

Several of these forms sit on one page, so each is made with a prefix naming what it
belongs to (``note-<hypothesis>``, ``finding-<finding>``…): ids and names never clash.
The pack prints labels and hints as given, so anything made from what people typed is
escaped here.
"""

import datetime
import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe

from emslirp.fields import DayMonthYearField, date_example
from reviews.workbook.services import notebook as services

YES_NO = [("yes", "Yes"), ("no", "No"), ("", "Not yet")]
AGREES = {"yes": True, "no": False, "": None}
AGREES_VALUE = {True: "yes", False: "no", None: ""}


def _text(label: str, *, limit: int, rows: int = 4, hint: str = "", required: str = ""):
    # The browser stops typing at ``limit``; the service says so at the field when a
    # longer text comes anyway (pasted by a script, say), with the words kept.
    return forms.CharField(
        label=label,
        help_text=hint,
        required=bool(required),
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
        error_messages={"required": required},
    )


def _revision():
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": "Reload the page: it is incomplete."},
    )


class NumberedForm(forms.Form):
    """A form shown once per hypothesis: its labels name the hypothesis, so that each
    field on the page has a label of its own."""

    LABELS: dict[str, str] = {}

    def __init__(self, *args, number: int | str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if number is not None:
            for name, label in self.LABELS.items():
                self.fields[name].label = label.format(n=number)


class RevisedForm(NumberedForm):
    """A form that saves on the revision its page was made from."""

    revision = _revision()

    def show_conflict(self, conflict: services.RevisionConflict, *, who: str) -> None:
        """Mark each field that ``conflict`` says was changed both ways: the other
        version beside it and a message at it. What the person typed stays in the box."""
        for name, theirs in conflict.theirs.items():
            if name not in self.fields or theirs == conflict.mine.get(name):
                continue
            if isinstance(theirs, datetime.date):
                shown = date_format(theirs, "j F Y")
            else:
                shown = theirs if isinstance(theirs, str) else str(theirs or "")
            self.fields[name].help_text = format_html(
                '{}<div class="govuk-inset-text govuk-!-margin-top-2 govuk-!-margin-bottom-0">'
                '<p class="govuk-body-s govuk-!-margin-bottom-1">The version saved by {}:</p>{}'
                "</div>",
                self.fields[name].help_text,
                who,
                mark_safe(linebreaks(shown or "(empty)", autoescape=True)),  # noqa: S308
            )
        self.is_valid()  # after the hints: a bound field copies its hint when first made
        for name, theirs in conflict.theirs.items():
            if name in self.fields and theirs != conflict.mine.get(name):
                self.add_error(
                    name,
                    f"{who[:1].upper()}{who[1:]} saved this while you were writing: their "
                    "version is shown with it. Keep what is right, then save again.",
                )


class PreVisitNotesForm(RevisedForm):
    pre_visit_notes = _text(
        "Pre-visit notes",
        limit=services.PRE_VISIT_MAX,
        rows=8,
        hint="Prompts for the team while on site: what to look for, whom to see, what to ask.",
    )


class NoteForm(NumberedForm):
    """A running note; ``client_key`` is made when the note is started, so the same note
    sent twice is stored once (R21)."""

    LABELS = {"text": "Add a note on hypothesis {n}"}

    text = _text(
        "Add a note",
        limit=services.NOTE_MAX,
        hint="Saved with your name and the time. Notes are never overwritten.",
        required="Write your note before saving it.",
    )
    client_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "Reload the page: it is incomplete.",
            "invalid": "Reload the page: it is incomplete.",
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"client_key": uuid.uuid4()})
        super().__init__(*args, **kwargs)


class FindingForm(NumberedForm):
    LABELS = {
        "text": "New key finding on hypothesis {n}",
        "evidence": "Evidence for the new finding on hypothesis {n}",
    }

    text = _text("Key finding", limit=services.FINDING_MAX, rows=3, required="Write the finding.")
    evidence = _text(
        "Evidence",
        limit=services.EVIDENCE_MAX,
        rows=3,
        required=services.EVIDENCE_REQUIRED,
        hint="Where it was seen or heard: cases, meetings, documents. An agreed action "
        "rests on findings with evidence.",
    )


class FindingEditForm(FindingForm, RevisedForm):
    LABELS = {"text": "Finding {n}", "evidence": "Evidence for finding {n}"}


class ConclusionsForm(RevisedForm):
    LABELS = {"conclusions": "Conclusions on hypothesis {n} for reporting back"}

    conclusions = _text("Conclusions for reporting back", limit=services.REPORT_MAX, rows=5)


class ReportCommentsForm(RevisedForm):
    LABELS = {
        "lead_comments": "The lead's comments on hypothesis {n}",
        "host_comments": "The host's comments on hypothesis {n} at the feedback",
    }

    lead_comments = _text(
        "The lead's comments on this part of the review", limit=services.REPORT_MAX, rows=3
    )
    host_comments = _text(
        "Comments from the host at the feedback", limit=services.REPORT_MAX, rows=3
    )


class GivenOnForm(RevisedForm):
    given_on = DayMonthYearField(
        label="Date the verbal feedback was given", what="the date the feedback was given"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].help_text = (
            f"{date_example(timezone.localdate())}. From then the host's DCS and 2nd-tier "
            "lead read this record."
        )


class AgreedActionsForm(RevisedForm):
    """The agreed actions, one row each, plus empty rows to add more (R22). A row left
    empty is dropped; the rest are numbered in order."""

    BLANK_ROWS = 3
    MAX_ROWS = 20

    def __init__(self, *args, findings, actions=(), **kwargs):
        """``findings``: the review's findings as (pk, label); ``actions``: the saved
        actions (AgreedAction, with ``findings`` prefetched)."""
        initial = kwargs.pop("initial", {})
        rows = min(len(actions) + self.BLANK_ROWS, self.MAX_ROWS)
        if args and args[0] is not None:
            rows = max(rows, self._rows_in(args[0], kwargs.get("prefix")))
        for n, action in enumerate(actions, start=1):
            initial.update(
                {
                    f"{n}-text": action.text,
                    f"{n}-host_agrees": AGREES_VALUE[action.host_agrees],
                    f"{n}-commentary": action.commentary,
                    f"{n}-is_priority": action.is_priority,
                    f"{n}-findings": [str(f.pk) for f in action.findings.all()],
                }
            )
        for n in range(len(actions) + 1, rows + 1):
            initial.setdefault(f"{n}-is_priority", True)
            initial.setdefault(f"{n}-host_agrees", "")
        super().__init__(*args, initial=initial, **kwargs)
        self.rows = rows
        choices = [(str(pk), label) for pk, label in findings]
        for n in range(1, rows + 1):
            self.fields[f"{n}-text"] = _text(
                f"What is to be done (action {n})", limit=services.ACTION_MAX, rows=2
            )
            self.fields[f"{n}-host_agrees"] = forms.ChoiceField(
                label=f"Does the host agree action {n}?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{n}-commentary"] = _text(
                f"Commentary on action {n}", limit=services.COMMENTARY_MAX, rows=2
            )
            self.fields[f"{n}-is_priority"] = forms.BooleanField(
                label=f"Action {n} is an area for priority action", required=False
            )
            self.fields[f"{n}-findings"] = forms.MultipleChoiceField(
                label=f"Findings action {n} answers",
                help_text="The QA checks that every action rests on a finding with evidence.",
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def _rows_in(self, data, prefix) -> int:
        """How many rows the sent form had, so that none of what was typed is dropped."""
        start = f"{prefix}-" if prefix else ""
        numbers = [
            int(key[len(start) :].split("-", 1)[0])
            for key in data
            if key.startswith(start) and key[len(start) :].split("-", 1)[0].isdigit()
        ]
        return min(max(numbers, default=0), self.MAX_ROWS)

    def row_fields(self):
        """The bound fields of each row, in order."""
        return [
            [
                self[f"{n}-{name}"]
                for name in ("text", "host_agrees", "commentary", "is_priority", "findings")
            ]
            for n in range(1, self.rows + 1)
        ]

    def clean(self):
        data = super().clean()
        for n in range(1, self.rows + 1):
            typed = data.get(f"{n}-commentary") or data.get(f"{n}-findings")
            if typed and not data.get(f"{n}-text"):
                self.add_error(f"{n}-text", "Write the action, or clear its row.")
        return data

    def actions(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "text": data[f"{n}-text"],
                "host_agrees": AGREES[data[f"{n}-host_agrees"]],
                "commentary": data[f"{n}-commentary"],
                "is_priority": data[f"{n}-is_priority"],
                "findings": [int(pk) for pk in data[f"{n}-findings"]],
            }
            for n in range(1, self.rows + 1)
            if data[f"{n}-text"]
        ]

    def row_of_field(self, key: str) -> str:
        """The form's field for a service's error key on the ``n``-th saved action: rows
        left empty are dropped before numbering, so ``n`` counts the filled rows."""
        number, _, name = key.partition("-")
        if not number.isdigit():
            return key
        filled = [n for n in range(1, self.rows + 1) if self.cleaned_data.get(f"{n}-text")]
        index = int(number) - 1
        return f"{filled[index]}-{name}" if index < len(filled) else key


NOT_LOOKED_AT = "none"


class TeamViewsForm(forms.Form):
    """The team's 1–4 view of each area of the self-assessment (R39): one choice per area,
    "Not looked at" or a value of the template's scale, labelled as the LA's own."""

    def __init__(self, *args, areas, scale, **kwargs):
        """``areas``: the template's areas (key, name); ``scale``: its values and labels."""
        super().__init__(*args, **kwargs)
        self.keys = [a["key"] for a in areas]
        choices = [(NOT_LOOKED_AT, "Not looked at")] + [
            (str(p["value"]), f"{p['value']}: {p['label']}") for p in scale
        ]
        for area in areas:
            self.fields[area["key"]] = forms.ChoiceField(
                label=area["name"],
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose the team's view of {area['name']}, or Not looked at.",
                    "invalid_choice": "Choose a rating from 1 to 4, or Not looked at.",
                },
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[Field.radios(key, inline=True, legend_size="s", small=True) for key in self.keys]
        )

    def ratings(self) -> dict[str, int | None]:
        return {
            key: None if self.cleaned_data[key] == NOT_LOOKED_AT else int(self.cleaned_data[key])
            for key in self.keys
        }


class EmergingIssueForm(forms.Form):
    text = _text(
        "The issue to share with the host",
        limit=services.EMERGING_MAX,
        rows=5,
        hint="The host's DCS and 2nd-tier safeguarding lead are e-mailed that an issue was "
        "shared, and read it here.",
        required="Write the issue you are sharing.",
    )
