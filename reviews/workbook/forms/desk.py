"""Forms of the desk analysis and the preparation for the visit (R18–R20): the
hypotheses, the host's decisions, the conference call, methods, on-site days and
deployment, rendered with the GOV.UK Design System pack."""

import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.utils.text import Truncator

from accreditation.models import Specialism
from emslirp.fields import DayMonthYearField, date_example
from emslirp.models import User
from reviews.workbook.selectors import HypothesisSourceChoice
from reviews.workbook.services.hypotheses import SOURCE_GONE

PROPOSALS = [("investigate", "Investigate"), ("park", "Park")]
# A hypothesis's saved source that its self-assessment no longer holds (R40).
GONE_PREFIX = "gone-"


class HypothesesForm(forms.Form):
    """Up to four draft hypotheses (R18): the text, whether it is linked to the data and
    to the self-assessment, the key weakness or line of enquiry of the self-assessment it
    rests on (R40), and the lead's proposal. An empty text drops the row."""

    def __init__(
        self,
        *args,
        count: int = 4,
        sources: list[HypothesisSourceChoice] = (),
        source_year: int | None = None,
        chosen: dict[int, HypothesisSourceChoice] | None = None,
        **kwargs,
    ):
        """``sources``: the weaknesses and lines of enquiry of the desk analysis's
        self-assessment (``hypothesis_sources``), of ``source_year``; ``chosen``: the
        source each saved hypothesis rests on, by number. A chosen source no longer among
        ``sources`` (word for word) is shown as it was chosen, and refused when sent, so
        that it is chosen again rather than dropped unseen (R40)."""
        super().__init__(*args, **kwargs)
        chosen = chosen or {}
        source_choices = [
            ("", "None of these"),
            *((s.value, Truncator(s.label).chars(150)) for s in sources),
        ]
        source_hint = (
            f"A key weakness or key line of enquiry of the {source_year} self-assessment."
            if source_year
            else "No self-assessment has been submitted yet."
        )
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
            choices = source_choices
            was = chosen.get(n)
            if was is not None and was not in sources:
                gone = f"{GONE_PREFIX}{was.value}"
                choices = [
                    (gone, Truncator(f"No longer in the self-assessment: {was.label}").chars(150)),
                    *source_choices,
                ]
                self.initial[f"{n}-source"] = gone
            elif was is not None:
                self.initial[f"{n}-source"] = was.value
            self.fields[f"{n}-source"] = forms.ChoiceField(
                label=f"What hypothesis {n} rests on in the self-assessment",
                choices=choices,
                required=False,
                help_text=source_hint,
                error_messages={"invalid_choice": SOURCE_GONE},
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
                Field.select(f"{n}-source"),
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
            if data.get(f"{n}-source", "").startswith(GONE_PREFIX):
                self.add_error(f"{n}-source", SOURCE_GONE)
        return data

    def drafts(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "text": data[f"{n}-text"],
                "linked_to_data": data[f"{n}-linked_to_data"],
                "linked_to_self_assessment": data[f"{n}-linked_to_self_assessment"],
                "specialisms": list(data[f"{n}-specialisms"]),
                "source": data[f"{n}-source"],
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
