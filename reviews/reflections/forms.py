"""The reflection form (R27, handbook section K), laid out with the GOV.UK Design System
pack: oneself, each colleague on site by name, then the process evaluation with its two
1–5 scales as radios labelled with their ends.

Nothing is required to save a draft, and nothing is cut short in the browser: what
submitting needs is checked by the services and shown at each field. Colleagues' names
are escaped here, as the pack prints labels and legends as given.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import escape, format_html

from reviews.reflections.selectors import (
    EVALUATION,
    PEER_PARTS,
    QUESTIONS,
    SCALE_VALUES,
    SELF_FIELDS,
    Colleague,
    scale_label,
)
from reviews.reflections.services import peer_key


class _Markup:
    """HTML given ready-made, never run as a template."""

    def __init__(self, html):
        self.html = html

    def render(self, form, context, template_pack=None, **kwargs):
        return self.html


def _text(label: str, *, hint: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        strip=False,  # the services strip, and count what was typed
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReflectionForm(forms.Form):
    """One person's reflection: every answer, and strengths and areas for development
    for each colleague in ``colleagues`` (R27)."""

    def __init__(self, *args, colleagues: list[Colleague], **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = colleagues
        f = self.fields
        f["self_strengths"] = _text("Your strengths in this review")
        f["self_development"] = _text("Your areas for development")
        peer_layout = []
        for colleague in colleagues:
            pk, name = colleague.person.pk, colleague.person.full_name
            strengths, development = peer_key(pk, "strengths"), peer_key(pk, "development")
            f[strengths] = _text(escape(f"Strengths of {name}"), rows=3)
            f[development] = _text(escape(f"Areas for development of {name}"), rows=3)
            peer_layout.append(
                Fieldset(
                    Field.textarea(strengths, rows=3),
                    Field.textarea(development, rows=3),
                    legend=format_html("{} ({})", name, colleague.role_name),
                    legend_size=Size.SMALL,
                    legend_tag="h3",
                )
            )
        evaluation_layout = []
        for title, questions in EVALUATION:
            items = []
            for q in questions:
                if q.is_scale:
                    f[q.field] = forms.TypedChoiceField(
                        label=q.label,
                        help_text=q.hint,
                        choices=[(n, scale_label(q.field, n)) for n in SCALE_VALUES],
                        coerce=int,
                        empty_value=None,
                        required=False,
                        widget=forms.RadioSelect,
                        error_messages={"invalid_choice": "Choose a number from 1 to 5."},
                    )
                    items.append(Field.radios(q.field, legend_size=Size.SMALL, small=True))
                else:
                    f[q.field] = _text(q.label, hint=q.hint)
                    items.append(Field.textarea(q.field, rows=4))
            evaluation_layout.append(
                Fieldset(
                    *items,
                    legend=title,
                    legend_size=Size.MEDIUM,
                    legend_tag="h3",
                )
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's form holds the token
        self.helper.layout = Layout(
            Fieldset(
                Field.textarea("self_strengths", rows=4),
                Field.textarea("self_development", rows=4),
                legend="Yourself",
                legend_size=Size.LARGE,
                legend_tag="h2",
            ),
            Fieldset(
                _Markup(
                    format_html(
                        '<p class="govuk-body">{}</p>',
                        "Be honest and constructive. Nobody is shown what you wrote as "
                        "yours: each person sees only what the whole team wrote, together.",
                    )
                ),
                *peer_layout,
                legend="Your colleagues on site",
                legend_size=Size.LARGE,
                legend_tag="h2",
            )
            if colleagues
            else _Markup(""),
            Fieldset(
                *evaluation_layout,
                legend="The review process",
                legend_size=Size.LARGE,
                legend_tag="h2",
            ),
            Div(
                Button.secondary("save", "Save as draft"),
                Button("submit", "Submit"),
                css_class="govuk-button-group",
            ),
        )

    def answers(self) -> dict:
        """The answers as the services take them (after ``is_valid``)."""
        return {
            name: value for name, value in self.cleaned_data.items() if not name.startswith("peer_")
        }

    def peer_feedback(self) -> dict[int, dict]:
        return {
            c.person.pk: {
                part: self.cleaned_data[peer_key(c.person.pk, part)] for part in PEER_PARTS
            }
            for c in self.colleagues
        }


def reflection_initial(reflection) -> dict:
    """A saved reflection as the form's starting values."""
    if reflection is None:
        return {}
    initial = {name: getattr(reflection, name) for name in SELF_FIELDS}
    for q in QUESTIONS:
        initial[q.field] = getattr(reflection, q.field)
    for pk, feedback in reflection.peer_by_colleague.items():
        for part in PEER_PARTS:
            initial[peer_key(pk, part)] = getattr(feedback, part)
    return initial
