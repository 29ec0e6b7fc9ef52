"""Forms of the critical incident record (R25), laid out with the GOV.UK Design System pack.
They repeat the services' checks only to put the message at the field."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.utils import timezone

from emslirp.fields import DayMonthYearTimeField, moment_example
from emslirp.models import User

TEXT_MAX = 10_000


class LongTextField(forms.CharField):
    """Free text with a server-side limit but no HTML ``maxlength``: a browser would cut a
    long paste short without a word, and the writer would not know part was lost. Too
    long a text is refused at the field instead, with all of it kept."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


TOO_LONG = f"Shorten this to {TEXT_MAX:,} characters or fewer: it has %(show_value)s."


def _text(label: str, required: str, help_text: str = "") -> forms.CharField:
    return LongTextField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={"required": required, "max_length": TOO_LONG},
    )


class IncidentRaiseForm(forms.Form):
    """The team's part of the critical incident form (R25). The local authority, host DCS,
    lead and review dates are not asked: they come from the records."""

    incident = _text(
        "What was identified",
        "Describe the incident.",
        "Use no child's name or case reference: describe a child by age or role.",
    )
    nature = _text("Nature of the incident", "Describe the nature of the incident.")
    evidence = _text("Evidence", "Give the evidence.", "What was seen, read or heard, and where.")
    identified_at = DayMonthYearTimeField(
        label="Date and time it was identified", when="it was identified"
    )
    identified_by = forms.ModelChoiceField(
        label="Who identified it",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose who identified it.",
            "invalid_choice": "Choose someone of the team on site.",
        },
    )
    initial_action = _text(
        "Action taken when it was identified", "Say what was done when it was identified."
    )

    def __init__(self, *args, identifiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["identified_by"].queryset = identifiers
        self.fields["identified_at"].help_text = moment_example(timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.textarea("incident", rows=3),
            Field.textarea("nature", rows=4),
            Field.textarea("evidence", rows=4),
            Field("identified_at"),
            Field.select("identified_by"),
            Field.textarea("initial_action", rows=3),
            Button("raise", "Raise the critical incident", data_prevent_double_click="true"),
        )


class RaisedWithHostForm(forms.Form):
    raised_with_host_at = DayMonthYearTimeField(
        label="Date and time you raised it with the host DCS", when="you raised it with the host"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_with_host_at"].help_text = moment_example(timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("raised_with_host_at"),
            Button.secondary("raised_with_host", "Record the time"),
        )


class HostResponseForm(forms.Form):
    host_action = _text(
        "Action the host will take",
        "Say what action the host will take.",
        "You can change it until the lead or the host signs.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.textarea("host_action", rows=4), Button("respond", "Save the host's action")
        )


class AddendumForm(forms.Form):
    text = _text(
        "What is to be added",
        "Write what is to be added to the record.",
        "The signed record stays as it is; this is added after it with your name and the time.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.textarea("text", rows=4), Button("addendum", "Add to the record")
        )
