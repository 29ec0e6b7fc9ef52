"""Forms of the self-assessment (R17, R32), laid out with the GOV.UK Design System pack.

The self-assessment form is built from the template version the self-assessment was
started on. Nothing is required to save a draft, and nothing is cut short in the browser:
what a save or a submission needs is checked by the services and shown at each field.
Labels made from the template's data are escaped here, as the pack prints labels as given.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from emslirp.models import User
from reviews.self_assessment import content as fields
from reviews.self_assessment.models import SelfAssessmentScope, SelfAssessmentTemplate


class Markup:
    """HTML given ready-made: unlike crispy's ``HTML``, never run as a template, because
    the template version's words are data a coordinator typed."""

    def __init__(self, html: SafeString):
        self.html = html

    def render(self, form, context, template_pack=None, **kwargs):
        return self.html


# One answer's length at most: long enough for any answer the template asks for, and the
# whole form well under the request size limit (DATA_UPLOAD_MAX_MEMORY_SIZE), so a long
# answer is told at its field with every word kept, never refused whole.
ANSWER_MAX = 20_000


class AnswerField(forms.CharField):
    """A self-assessment's written answer, at most ANSWER_MAX characters, said at the
    field with the counts as people write numbers."""

    def validate(self, value):
        super().validate(value)
        if len(value) > ANSWER_MAX:
            raise ValidationError(
                f"This answer can be at most {ANSWER_MAX:,} characters; it has "
                f"{len(value):,}. Shorten it, or move detail to where the evidence is kept."
            )


def _text(label: str, *, hint: str = "", rows: int | None = None, **attrs) -> forms.CharField:
    attrs = {"maxlength": ANSWER_MAX, **attrs}
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs)
    return AnswerField(label=label, help_text=hint, required=False, widget=widget)


class SelfAssessmentForm(forms.Form):
    """Every field of a self-assessment on one template version, and the revision the
    page was made from (R17)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, template: SelfAssessmentTemplate, can_submit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        structure = template.structure
        self.plain_labels = {}  # labels made from the template's words, unescaped
        self.fields["revision"].error_messages["required"] = "Reload the page: it is incomplete."
        f = self.fields
        f["contact_name"] = _text(
            "Contact's name",
            hint="The DCS for a PCTR, or the 2nd-tier safeguarding lead for a SAV.",
            autocomplete="off",
        )
        f["contact_address"] = _text("Contact's address", rows=3)
        f["contact_telephone"] = _text("Contact's telephone number", autocomplete="off")
        f["contact_email"] = _text("Contact's e-mail address", spellcheck="false")
        f["scope"] = forms.ChoiceField(
            label="What does it look at?",
            choices=SelfAssessmentScope.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose what the self-assessment looks at."},
        )
        f["period_covered"] = _text("Period covered", hint="For example, April 2025 to March 2026.")
        f["narrative"] = _text(
            "How the self-assessment was completed",
            hint="Who took part, what evidence was used and how the ratings were agreed.",
            rows=6,
        )
        scale = [(p["value"], f"{p['value']}: {p['label']}") for p in structure["scale"]]
        area_layout = []
        for area in structure["areas"]:
            name = area["name"]
            rating, commentary = fields.rating_key(area["key"]), fields.commentary_key(area["key"])
            f[rating] = forms.TypedChoiceField(
                label=escape(f"Rating for {name}"),
                choices=scale,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f"Rate {name} from 1 to 4."},
            )
            f[commentary] = _text(
                escape(f"Commentary on {name}"), hint=escape(area.get("hint", "")), rows=4
            )
            self.plain_labels |= {rating: f"Rating for {name}", commentary: f"Commentary on {name}"}
            area_layout += [
                Markup(format_html('<h3 class="govuk-heading-m">{}</h3>', name)),
                Field.radios(rating, legend_size=Size.SMALL, small=True),
                Field.textarea(commentary, rows=4),
            ]
        list_layout = []
        for list_name in fields.LISTS:
            label = structure[list_name]["label"]
            rows = []
            for n in range(1, fields.list_max(structure, list_name) + 1):
                narrative = fields.row_key(list_name, n, "narrative")
                evidence = fields.row_key(list_name, n, "evidence")
                self.plain_labels |= {
                    narrative: f"{label}: number {n}",
                    evidence: f"{label}: where the evidence for number {n} is",
                }
                f[narrative] = _text(escape(self.plain_labels[narrative]), rows=3)
                f[evidence] = _text(escape(self.plain_labels[evidence]), rows=2)
                rows += [Field.textarea(narrative, rows=3), Field.textarea(evidence, rows=2)]
            list_layout.append(
                Fieldset(
                    *rows,
                    legend=escape(f"{label} (up to {fields.list_max(structure, list_name)})"),
                    legend_size=Size.MEDIUM,
                    legend_tag="h3",
                )
            )
        f["enablers"] = _text("What helps progress (enablers)", rows=5)
        f["blockers"] = _text("What holds improvement back (blockers)", rows=5)
        f["lines_of_enquiry"] = _text(
            "Key lines of enquiry you suggest to the review team",
            hint="The lead reviewer turns them into hypotheses to investigate.",
            rows=6,
        )
        f["signed_name"] = _text("Name of who signs it off", autocomplete="off")
        f["signed_position"] = _text("Their position", autocomplete="off")
        guidance = structure.get("guidance", "")
        scale_text = ", ".join(f"{p['value']} {p['label'].lower()}" for p in structure["scale"])
        buttons = [Button.secondary("save", "Save")] if can_submit else [Button("save", "Save")]
        if can_submit:
            buttons.append(Button("submit", "Sign off and submit"))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "revision",
            Fieldset(
                Field.text("contact_name", field_width=Fluid.TWO_THIRDS),
                Field.textarea("contact_address", rows=3),
                Field.text("contact_telephone", field_width=Fluid.ONE_THIRD),
                Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
                Field.radios("scope", legend_size=Size.SMALL, small=True),
                Field.text("period_covered", field_width=Fluid.TWO_THIRDS),
                Field.textarea("narrative", rows=6),
                legend="Part A: about this self-assessment",
                legend_size=Size.LARGE,
                legend_tag="h2",
            ),
            Fieldset(
                Markup(format_html('<p class="govuk-body">{}</p>', guidance))
                if guidance
                else Markup(SafeString("")),
                Markup(
                    format_html(
                        '<p class="govuk-body">Rate each area from 1 to 4: {}.</p>', scale_text
                    )
                ),
                *area_layout,
                legend="Part B, element 1: each area rated",
                legend_size=Size.LARGE,
                legend_tag="h2",
            ),
            Fieldset(
                *list_layout,
                Field.textarea("enablers", rows=5),
                Field.textarea("blockers", rows=5),
                Field.textarea("lines_of_enquiry", rows=6),
                legend="Part B, element 2: strengths, weaknesses and lines of enquiry",
                legend_size=Size.LARGE,
                legend_tag="h2",
            ),
            Fieldset(
                Markup(
                    SafeString(
                        '<p class="govuk-body">Signed on behalf of the children\'s services '
                        "authority. The sign-off is dated the day it is submitted.</p>"
                    )
                ),
                Field.text("signed_name", field_width=Fluid.TWO_THIRDS),
                Field.text("signed_position", field_width=Fluid.TWO_THIRDS),
                legend="Sign-off",
                legend_size=Size.LARGE,
                legend_tag="h2",
            ),
            Div(*buttons, css_class="govuk-button-group"),
        )

    def label_text(self, name: str) -> str:
        """A field's label as plain text, for messages (which are escaped as shown)."""
        return self.plain_labels.get(name) or str(self.fields[name].label)

    def content(self) -> dict:
        """The answers as the services take them (after ``is_valid``)."""
        return {key: self.cleaned_data[key] for key in fields.keys(self.template.structure)}


def self_assessment_form_data(content: dict, *, revision: int) -> dict:
    """``content`` as a page would post it, to show answers that are not saved."""
    data = {k: "" if v is None else str(v) for k, v in content.items()}
    data["revision"] = str(revision)
    return data


class DelegateForm(forms.Form):
    """Name a colleague of the LA who may write its self-assessment (R32)."""

    person = forms.ModelChoiceField(
        label="Colleague",
        queryset=User.objects.none(),
        empty_label="Choose a colleague",
        error_messages={
            "required": "Choose the colleague who may write the self-assessment.",
            "invalid_choice": "Choose a colleague who holds a post in the authority today.",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.select("person"), Button("delegate", "Let them write it"))
