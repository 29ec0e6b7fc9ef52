"""Forms of reviews, laid out with the GOV.UK Design System pack."""

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from accreditation.models import Specialism
from emslirp.fields import DayMonthYearField, date_example
from emslirp.models import User


def _choice_label(row: dict, role_accreditation: str) -> str:
    label = f"{row['person']}, {row['local_authority']}"
    flagged = any(
        a.role == role_accreditation and a.status == "flagged" for a in row["accreditations"]
    )
    return f"{label} (accreditation flagged)" if flagged else label


class TeamPlaceForm(forms.Form):
    """Place a person on the team in one role, chosen from the suggestions (R14)."""

    person = forms.ModelChoiceField(
        label="Who",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose who takes the place."},
    )

    def __init__(
        self, *args, suggestions: list[dict], role_name: str, region, role_accreditation, **kwargs
    ):
        super().__init__(*args, **kwargs)
        # Anyone of the region may be sent, not only those suggested (a page opened before
        # a suggestion stopped fitting, say): the service then says at the field why they
        # cannot take the place, rather than "Select a valid choice".
        self.fields["person"].queryset = User.objects.filter(region=region, is_active=True)
        self.fields["person"].label = f"Who becomes {role_name}"
        # The choices in the order of the suggestions, each with their LA, and a flagged
        # accreditation said (R8).
        self.fields["person"].choices = [
            (row["person"].pk, _choice_label(row, role_accreditation)) for row in suggestions
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("person"), Button("place", "Add to the team"))


PROPOSALS = [("investigate", "Investigate"), ("park", "Park")]


class HypothesesForm(forms.Form):
    """Up to four draft hypotheses (R18): the text, whether it is linked to the data and
    to the self-assessment, and the lead's proposal. An empty text drops the row."""

    def __init__(self, *args, count: int = 4, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for n in range(1, count + 1):
            self.fields[f"{n}-text"] = forms.CharField(
                label=f"Hypothesis {n}",
                required=False,
                widget=forms.Textarea,
                help_text="Leave it empty to draft fewer than four.",
                max_length=4000,
            )
            self.fields[f"{n}-linked_to_data"] = forms.BooleanField(
                label=f"Hypothesis {n} is linked to the data", required=False
            )
            self.fields[f"{n}-linked_to_self_assessment"] = forms.BooleanField(
                label=f"Hypothesis {n} is linked to the self-assessment", required=False
            )
            self.fields[f"{n}-specialisms"] = forms.ModelMultipleChoiceField(
                label=f"Expertise hypothesis {n} needs",
                queryset=Specialism.objects.all(),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text="Team suggestions put first those who have it.",
            )
            self.fields[f"{n}-proposal"] = forms.ChoiceField(
                label=f"Proposal for hypothesis {n}",
                choices=PROPOSALS,
                widget=forms.RadioSelect,
                required=False,
            )
            layout += [
                Field.textarea(f"{n}-text", rows=3),
                Field.checkbox(f"{n}-linked_to_data"),
                Field.checkbox(f"{n}-linked_to_self_assessment"),
                Field.checkboxes(f"{n}-specialisms", legend_size="s", small=True),
                Field.radios(f"{n}-proposal", inline=True, legend_size="s"),
            ]
        self.count = count
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout, Button("save", "Save the hypotheses"))

    def clean(self):
        data = super().clean()
        for n in range(1, self.count + 1):
            if data.get(f"{n}-text", "").strip() and not data.get(f"{n}-proposal"):
                self.add_error(f"{n}-proposal", "Propose to investigate or to park it.")
        return data

    def drafts(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "text": data[f"{n}-text"],
                "linked_to_data": data[f"{n}-linked_to_data"],
                "linked_to_self_assessment": data[f"{n}-linked_to_self_assessment"],
                "specialisms": list(data[f"{n}-specialisms"]),
                "proposal": data[f"{n}-proposal"],
            }
            for n in range(1, self.count + 1)
        ]


class DecisionsForm(forms.Form):
    """Investigate or park each hypothesis: the host's decision on a PCTR, the team's at a
    SAV's conference call (R19)."""

    def __init__(self, *args, hypotheses, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = [h.number for h in hypotheses]
        for h in hypotheses:
            proposed = h.get_proposal_display().lower()
            self.fields[f"{h.number}-decision"] = forms.ChoiceField(
                label=f"Hypothesis {h.number} (the lead proposes: {proposed})",
                choices=PROPOSALS,
                widget=forms.RadioSelect,
                error_messages={"required": "Decide whether to investigate or park it."},
            )

    def decisions(self) -> dict[int, str]:
        return {n: self.cleaned_data[f"{n}-decision"] for n in self.numbers}


class ConferenceCallForm(DecisionsForm):
    held_on = DayMonthYearField(label="Date of the call", what="the date of the call")
    attended_by = forms.ModelMultipleChoiceField(
        label="Who took part",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick who took part."},
    )
    notes = forms.CharField(
        label="What was agreed",
        help_text="Key lines of enquiry, deployment and on-site protocols.",
        widget=forms.Textarea,
        required=False,
        max_length=10000,
    )

    def __init__(self, *args, team, example: datetime.date, **kwargs):
        """``example``: a day the hint gives as an example, one the call could be on."""
        super().__init__(*args, **kwargs)
        self.fields["attended_by"].queryset = team
        self.fields["held_on"].help_text = date_example(example)


class DisagreementForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    disagreement = forms.CharField(
        label="What you disagree with",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Say what you disagree with."},
    )


class CommentForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea,
        max_length=4000,
        error_messages={"required": "Write your comment."},
    )


class MethodsForm(forms.Form):
    """Up to three methods for an agreed hypothesis (R20)."""

    number = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, 4):
            self.fields[f"method-{n}"] = forms.CharField(
                label=f"Method {n}", required=False, max_length=1000
            )

    def texts(self) -> list[str]:
        return [self.cleaned_data[f"method-{n}"] for n in range(1, 4)]


class OnsiteForm(forms.Form):
    first_day = DayMonthYearField(label="First on-site day", what="the first on-site day")

    def __init__(self, *args, example: datetime.date, **kwargs):
        """``example``: a day the hint gives as an example, one the visit could start on."""
        super().__init__(*args, **kwargs)
        self.fields[
            "first_day"
        ].help_text = f"{date_example(example)}. The visit takes the working days that follow."
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("first_day"), Button("onsite", "Set the on-site days"))


class DeploymentForm(forms.Form):
    """The deployment grid: four texts per member on site per on-site day (R20)."""

    def __init__(self, *args, members, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = []
        for day in days:
            for member in members:
                key = f"{member.pk}-{day:%Y%m%d}"
                for name, label, widget in (
                    ("key_focus", "Key focus", forms.TextInput),
                    ("morning", "Morning", forms.Textarea),
                    ("afternoon", "Afternoon", forms.Textarea),
                    ("comments", "Comments", forms.Textarea),
                ):
                    self.fields[f"{key}-{name}"] = forms.CharField(
                        label=f"{label}, {member.person}, {day:%-d %B}",
                        required=False,
                        max_length=4000,
                        widget=widget(attrs={"rows": 2}) if widget is forms.Textarea else widget,
                    )
                self.cells.append((member, day, key))

    def grid(self) -> dict:
        return {
            (member.pk, day): {
                name: self.cleaned_data[f"{key}-{name}"]
                for name in ("key_focus", "morning", "afternoon", "comments")
            }
            for member, day, key in self.cells
        }


class ReviewFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "PCTRs and SAVs"), ("pctr", "PCTRs"), ("sav", "SAVs")],
    )
    state = forms.ChoiceField(label="State", required=False)

    def __init__(self, *args, **kwargs):
        from reviews.models import ReviewState

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Any state"), *ReviewState.choices]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("kind"), Field.select("state"), Button("filter", "Show")
        )
