"""Forms of the feedback letter page (R23), laid out with the GOV.UK Design System pack.
The services check what each step needs; a form repeats a check only to put its message
at the field."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from reviews.letter.services import COMMENT_MAX, SUBJECT_MAX, UNTRACED_REASON_FIELD


class LetterForm(forms.Form):
    """The lead's draft: subject, body and the variation between the team's findings,
    with the revision the page was made from."""

    subject = forms.CharField(
        label="Subject",
        max_length=SUBJECT_MAX,
        error_messages={
            "required": "Write the letter's subject.",
            "max_length": f"The subject can be at most {SUBJECT_MAX} characters.",
        },
    )
    body = forms.CharField(
        label="The letter",
        help_text=(
            "Leave a blank line between paragraphs. The record of the verbal feedback is "
            "attached to the letter's PDF."
        ),
        widget=forms.Textarea(attrs={"rows": 24}),
        strip=False,
        error_messages={"required": "Write the letter."},
    )
    variations = forms.CharField(
        label="Variation between team members' findings",
        help_text="Where members of the team found differently, say so here; leave it empty "
        "if their findings did not vary.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].error_messages["required"] = "Reload the page: it is incomplete."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("subject", field_width=Fluid.FULL),
            Field.textarea("body"),
            Field.textarea("variations"),
            "revision",
        )


PROOFREAD_CHOICES = [
    ("approve", "Approve the draft"),
    ("return", "Return it to the lead to change"),
]


class ProofreadForm(forms.Form):
    """The QA's decision on the draft, with comments, required when it goes back."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=PROOFREAD_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the draft or return it."},
    )
    comments = forms.CharField(
        label="Comments for the lead",
        help_text="Required when you return the draft.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    def __init__(self, *args, untraced=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A reason for each action resting on no recorded evidence, asked only of an
        # approval (R23).
        self.untraced_names = {}
        for action in untraced:
            name = UNTRACED_REASON_FIELD.format(action.number)
            self.untraced_names[action.number] = name
            self.fields[name] = forms.CharField(
                label=f"If you approve: why may action {action.number} stand without "
                "recorded evidence?",
                help_text="The lead sees your reason. Leave it empty if you return the draft.",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("comments"),
            *(Field.textarea(name) for name in self.untraced_names.values()),
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comments", "").strip():
            self.add_error("comments", "Say what the lead should change.")
        return data

    def untraced_reasons(self) -> dict[int, str]:
        return {n: self.cleaned_data.get(name, "") for n, name in self.untraced_names.items()}

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class LetterCommentForm(forms.Form):
    """The host's comment on the draft shared with them (R23, R24)."""

    text = forms.CharField(
        label="Your comment on the draft",
        help_text="Say what is not as you understood the verbal feedback, or wording you "
        "would put differently. The lead reads it and decides.",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": COMMENT_MAX}),
        error_messages={"required": "Write your comment on the draft."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("text"))
