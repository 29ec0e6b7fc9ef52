"""The host's report on an agreed action (R38)."""

from django import forms

from reviews.intelligence.models import Progress
from reviews.intelligence.services.follow_up import COMMENTARY_MAX


class ActionProgressForm(forms.Form):
    """One report on one action: how far it has got, and what lies behind that."""

    def __init__(self, *args, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"] = forms.ChoiceField(
            label=f"How far has action {number} got?",
            choices=Progress.choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": "Say whether the action is done, in progress or not started.",
                "invalid_choice": "Say whether the action is done, in progress or not started.",
            },
        )
        self.fields["commentary"] = forms.CharField(
            label=f"Commentary on action {number}",
            help_text="What has been done, and what stands in the way.",
            widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENTARY_MAX}),
            strip=True,
            error_messages={"required": "Say what has been done, or what stands in the way."},
        )
