"""Forms of escalations (R26), laid out with the GOV.UK Design System pack. They repeat
the services' checks only to put the message at the field."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from reviews.escalations.models import EscalationAbout

TEXT_MAX = 10_000
TOO_LONG = f"Shorten this to {TEXT_MAX:,} characters or fewer: it has %(show_value)s."


class LongTextField(forms.CharField):
    """Free text with a server-side limit but no HTML ``maxlength``: a browser would cut a
    long paste short without a word. Too long a text is refused at the field instead,
    with all of it kept."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _helper(*fields, button: Button) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the page's form tag carries the token
    helper.layout = Layout(*fields, button)
    return helper


class EscalationRaiseForm(forms.Form):
    about = forms.ChoiceField(
        label="What is the concern about?",
        choices=EscalationAbout.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what the concern is about.",
            "invalid_choice": "Choose what the concern is about.",
        },
    )
    concern = LongTextField(
        label="The concern",
        help_text="What happened, and what you would like done about it.",
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={"required": "Describe the concern.", "max_length": TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("about", legend_size="s"),
            Field.textarea("concern", rows=5),
            button=Button("raise", "Raise the concern", data_prevent_double_click="true"),
        )


class EscalationResponseForm(forms.Form):
    response = LongTextField(
        label="Your answer",
        help_text="The host reads it, then accepts it or refers the concern to the QA.",
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={"required": "Write your answer to the concern.", "max_length": TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("response", rows=5), button=Button("respond", "Send the answer")
        )


DECISIONS = [("upheld", "Upheld"), ("not_upheld", "Not upheld")]


class EscalationAdjudicateForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=DECISIONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the concern is upheld.",
            "invalid_choice": "Choose whether the concern is upheld.",
        },
    )
    adjudication = LongTextField(
        label="Your reasons",
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={"required": "Give the reasons for your decision.", "max_length": TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size="s", inline=True),
            Field.textarea("adjudication", rows=5),
            button=Button("adjudicate", "Record the decision"),
        )

    @property
    def upheld(self) -> bool:
        return self.cleaned_data["decision"] == "upheld"
