"""Forms of reviews, laid out with the GOV.UK Design System pack."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from emslirp.models import User


def _choice_label(row: dict) -> str:
    label = f"{row['person']}, {row['local_authority']}"
    return f"{label} (accreditation flagged)" if row["flagged"] else label


class TeamPlaceForm(forms.Form):
    """Place a person on the team in one role, chosen from the suggestions (R14)."""

    person = forms.ModelChoiceField(
        label="Who",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose who takes the place."},
    )

    def __init__(self, *args, suggestions: list[dict], role_name: str, region, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone of the region may be sent, not only those suggested (a page opened before
        # a suggestion stopped fitting, say): the service then says at the field why they
        # cannot take the place, rather than "Select a valid choice".
        self.fields["person"].queryset = User.objects.filter(region=region, is_active=True)
        self.fields["person"].label = f"Who becomes {role_name}"
        # The choices in the order of the suggestions, each with their LA, and a flagged
        # accreditation said (R8).
        self.fields["person"].choices = [
            (row["person"].pk, _choice_label(row)) for row in suggestions
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("person"), Button("place", "Add to the team"))


class ReviewFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "PCTRs and SAVs"), ("pctr", "PCTRs"), ("sav", "SAVs")],
    )
    state = forms.ChoiceField(label="State", required=False)

    def __init__(self, *args, **kwargs):
        from reviews.review.models import ReviewState

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Any state"), *ReviewState.choices]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("kind"), Field.select("state"), Button("filter", "Show")
        )
