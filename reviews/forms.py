"""Forms of reviews, laid out with the GOV.UK Design System pack."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from emslirp.models import User


class TeamPlaceForm(forms.Form):
    """Place a person on the team in one role, chosen from the suggestions (R14)."""

    person = forms.ModelChoiceField(
        label="Who",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose who takes the place."},
    )

    def __init__(self, *args, suggestions: list[dict], role_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(
            pk__in=[row["person"].pk for row in suggestions]
        )
        self.fields["person"].label = f"Who becomes {role_name}"
        # The choices in the order of the suggestions, each with their LA.
        self.fields["person"].choices = [
            (row["person"].pk, f"{row['person']}, {row['local_authority']}") for row in suggestions
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.select("person"), Button("place", "Add to the team"))
