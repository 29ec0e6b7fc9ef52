"""Forms of the region's themes and of tagging a final letter (R28). They repeat the
services' checks only to put the message at the field; nothing typed is lost."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms

from emslirp.models import Region
from reviews.intelligence.models import Theme
from reviews.intelligence.selectors.tagging import TagItem
from reviews.intelligence.services.themes import theme_name_check

NAME_MAX = Theme._meta.get_field("name").max_length
TEXT_MAX = 5_000


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX,
        error_messages={
            "required": "Enter the theme's name.",
            "max_length": f"Shorten the name to {NAME_MAX} characters or fewer.",
        },
    )
    description = forms.CharField(
        label="What it covers",
        required=False,
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={"max_length": f"Shorten this to {TEXT_MAX:,} characters or fewer."},
    )
    keywords = forms.CharField(
        label="Words that suggest it",
        help_text=(
            "Separated by spaces. A finding or action using one of these words, or the "
            "theme's name, is offered this theme when its letter is tagged."
        ),
        required=False,
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        error_messages={"max_length": f"Shorten this to {TEXT_MAX:,} characters or fewer."},
    )

    def __init__(self, *args, region: Region, theme: Theme | None = None, button: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.region, self.theme = region, theme
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form tag carries the token
        self.helper.layout = Layout(
            Field.text("name", field_width="two-thirds"),
            Field.textarea("description", rows=3),
            Field.textarea("keywords", rows=3),
            Button("save", button, data_prevent_double_click="true"),
        )

    def clean_name(self):
        # At the field, before the table's constraint, which has no words for people.
        try:
            return theme_name_check(
                region=self.region, name=self.cleaned_data["name"], theme=self.theme
            )
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["name"]) from None


CHOOSE_AGAIN = "Choose from the themes listed: one you chose was retired or taken out meanwhile."


class TaggingForm(forms.Form):
    """One set of checkboxes per finding and priority action, named by its ``key``; the
    page draws them by hand, each theme with its suggestion beside it."""

    def __init__(self, *args, items: list[TagItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.key] = forms.TypedMultipleChoiceField(
                label=item.label,
                choices=[(t.pk, t.name) for t in item.choices],
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": CHOOSE_AGAIN},
            )
            self.initial.setdefault(item.key, sorted(item.theme_ids))

    def chosen(self) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
        """(themes by finding id, themes by action id), as ``review_tags_set`` takes them."""
        findings, actions = {}, {}
        for item in self.items:
            ids = set(self.cleaned_data[item.key])
            (findings if item.kind == "finding" else actions)[item.pk] = ids
        return findings, actions

    def checked(self, item: TagItem) -> set[int]:
        """The theme ids ticked for ``item``: as sent, when sent, or as kept."""
        if not self.is_bound:
            return set(item.theme_ids)
        ids = set()
        for value in self.data.getlist(item.key):
            if value.isdigit():
                ids.add(int(value))
        return ids
