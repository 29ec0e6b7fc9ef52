"""Forms of the critical incident record (R25), laid out with the GOV.UK Design System pack.
They repeat the services' checks only to put the message at the field."""

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.utils import timezone

from emslirp.models import User
from safeguarding.services import moment_now

TEXT_MAX = 10_000
MOMENT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
MOMENT_EXAMPLE = "2026-11-17 14:30"


class MomentField(forms.Field):
    """A date and a time typed as text (``2026-11-17 14:30``, or ``17/11/2026 14:30``),
    in the local time zone. A date without a time is refused rather than taken for
    midnight, and a moment still to come is refused: the record says when things
    happened."""

    widget = forms.TextInput

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("help_text", f"Date and 24-hour time, for example {MOMENT_EXAMPLE}.")
        kwargs.setdefault("error_messages", {"required": f"Enter the date and time {what}."})
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "maxlength": 40})

    def to_python(self, value):
        text = " ".join(str(value or "").split())
        if not text:
            return None
        for pattern in MOMENT_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, pattern)
            except ValueError:
                continue
            return timezone.make_aware(moment)
        for pattern in DATE_FORMATS:
            try:
                datetime.datetime.strptime(text, pattern)
            except ValueError:
                continue
            raise forms.ValidationError(
                f"Add the time {self.what}, for example {text} 14:30.", code="no_time"
            )
        raise forms.ValidationError(
            f"Enter a real date and 24-hour time {self.what}, for example {MOMENT_EXAMPLE}.",
            code="invalid",
        )

    def validate(self, value):
        super().validate(value)
        if value is not None and value > moment_now():
            raise forms.ValidationError(
                f"The date and time {self.what} cannot be in the future.", code="future"
            )


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
    identified_at = MomentField(label="Date and time it was identified", what="it was identified")
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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.textarea("incident", rows=3),
            Field.textarea("nature", rows=4),
            Field.textarea("evidence", rows=4),
            Field.text("identified_at", field_width=20),
            Field.select("identified_by"),
            Field.textarea("initial_action", rows=3),
            Button("raise", "Raise the critical incident", data_prevent_double_click="true"),
        )


class RaisedWithHostForm(forms.Form):
    raised_with_host_at = MomentField(
        label="Date and time you raised it with the host DCS", what="you raised it with the host"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("raised_with_host_at", field_width=20),
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
