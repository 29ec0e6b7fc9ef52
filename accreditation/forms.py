"""Forms of accreditation, laid out with the GOV.UK Design System pack."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.utils import timezone

from accreditation.models import (
    APPLICATION_ROLES,
    SKILL_FIELDS,
    Accreditation,
    ExpressionOfInterest,
    Role,
    Specialism,
)
from accreditation.selectors import applicant_local_authorities
from accreditation.services import WORD_LIMIT, WORD_LIMITED_FIELDS
from emslirp.models import LocalAuthority
from emslirp.selectors import local_authorities_active

SKILLS = list(SKILL_FIELDS)


class ApplicationForm(forms.ModelForm):
    """The expression of interest (R5). Nothing is required to save a draft; what sending
    needs is checked by ``services.eoi_check_sendable`` and shown at each field."""

    roles = forms.MultipleChoiceField(
        label="Roles you are applying for",
        choices=[(r.value, r.label) for r in APPLICATION_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    specialisms = forms.ModelMultipleChoiceField(
        label="Areas where you can offer specialist expertise",
        queryset=Specialism.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ExpressionOfInterest
        fields = [
            "local_authority",
            "current_position",
            "telephone",
            "experience",
            "specialisms",
            "other_specialism",
            "previous_roles",
            *SKILLS,
            "signed_name",
        ]
        labels = {
            "local_authority": "Your local authority",
            "current_position": "Your current position",
            "telephone": "Telephone number",
            "experience": "Your experience and specialist expertise",
            "other_specialism": "If other, what is it?",
            "previous_roles": "Your roles and organisations in the last five years, with dates",
            "signed_name": "Type your full name to sign the application",
        }
        help_texts = {
            "local_authority": "Its DCS sponsors your application.",
            "signed_name": "Your application is dated the day you send it.",
        }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        # The LA of the applicant's post, where they hold one: its DCS sponsors them (R6).
        allowed = applicant_local_authorities(person=person, on=timezone.localdate())
        self.fields["local_authority"].queryset = allowed
        if not self.initial.get("local_authority"):
            first_two = list(allowed[:2])
            if len(first_two) == 1:
                self.initial["local_authority"] = first_two[0].pk
        self.fields["local_authority"].empty_label = "Choose your local authority"
        self.fields["local_authority"].error_messages["required"] = (
            "Choose your local authority: its DCS sponsors you."
        )
        self.fields["local_authority"].error_messages["invalid_choice"] = (
            "Choose the authority you work for: its DCS sponsors you."
        )
        if self.instance.pk:
            self.initial.setdefault(
                "roles", list(self.instance.role_requests.values_list("role", flat=True))
            )
        skill_fieldsets = [Field.textarea(name, rows=6, max_words=WORD_LIMIT) for name in SKILLS]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            # Enter in a text box presses a form's first button: here, saving the draft,
            # never sending the application, which only its own button does.
            HTML(
                '<button type="submit" name="save" class="app-enter-default" tabindex="-1" '
                'aria-hidden="true">Save and come back later</button>'
            ),
            Fieldset(
                Field.select("local_authority"),
                Field.text("current_position", field_width=Fluid.TWO_THIRDS),
                Field.text("telephone", field_width=Fluid.ONE_THIRD),
                legend="About you",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("experience", rows=8, max_words=WORD_LIMIT),
                Field.checkboxes("specialisms", small=True),
                Field.text("other_specialism", field_width=Fluid.TWO_THIRDS),
                Field.textarea("previous_roles", rows=8, max_words=WORD_LIMIT),
                legend="Experience",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                *skill_fieldsets,
                legend="An example of each skill",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkboxes("roles"),
                Field.text("signed_name", field_width=Fluid.TWO_THIRDS),
                legend="Your application",
                legend_size=Size.MEDIUM,
            ),
            Button("send", "Send to my DCS"),
            Button.secondary("save", "Save and come back later"),
        )
        for name in SKILLS:
            verbose = ExpressionOfInterest._meta.get_field(name).verbose_name
            self.fields[name].label = f"Give an example of {verbose}"
        for name in WORD_LIMITED_FIELDS:
            # A hint for every counted answer; crispy-forms-gds also needs one to link the
            # word count to the box (it fails on a character count with no hint).
            self.fields[name].help_text = f"Up to {WORD_LIMIT} words."


DECISIONS = [("approve", "Approve"), ("decline", "Decline")]


class SponsorDecisionForm(forms.Form):
    """The sponsor's decision on each role applied for (R6)."""

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        layout = []
        for role in roles:
            label = Role(role).label
            self.fields[f"{role}-decision"] = forms.ChoiceField(
                label=label,
                choices=DECISIONS,
                widget=forms.RadioSelect,
                error_messages={"required": f"Approve or decline {label}."},
            )
            self.fields[f"{role}-reason"] = forms.CharField(
                label=f"If you decline {label}, say why",
                help_text="The applicant is told.",
                required=False,
                widget=forms.Textarea,
            )
            layout += [
                Field.radios(f"{role}-decision", legend_size=Size.MEDIUM, inline=True),
                Field.textarea(f"{role}-reason", rows=3),
            ]
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout, Button("submit", "Record my decision"))

    def decisions(self) -> dict[str, tuple[bool, str]]:
        return {
            role: (
                self.cleaned_data[f"{role}-decision"] == "approve",
                self.cleaned_data.get(f"{role}-reason", ""),
            )
            for role in self.roles
        }


ANY_STATUS = "any"


class PoolFilterForm(forms.Form):
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices]
    )
    specialism = forms.ModelChoiceField(
        label="Specialism",
        required=False,
        queryset=Specialism.objects.all(),
        to_field_name="code",
        empty_label="Any specialism",
    )
    local_authority = forms.ModelChoiceField(
        label="Local authority",
        required=False,
        queryset=LocalAuthority.objects.none(),
        empty_label="Any local authority",
    )
    # By default the pool is who can be placed on a team: current or flagged (R7, R8).
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Current or flagged"),
            (ANY_STATUS, "Any status"),
            *Accreditation.Status.choices,
        ],
    )
    free_of_conflict_with = forms.ModelChoiceField(
        label="No conflict of interest with",
        help_text="Leaves out anyone from it, who declared a conflict with it, or who has "
        "held a post there.",
        required=False,
        queryset=LocalAuthority.objects.none(),
        empty_label="Any local authority",
    )

    not_deployed_for = forms.TypedChoiceField(
        label="Last deployment",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "Any time"),
            ("0", "Never deployed"),
            ("12", "Not in the last 12 months"),
            ("24", "Not in the last 24 months"),
        ],
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = local_authorities_active(
            region=region, on=timezone.localdate()
        )
        self.fields["free_of_conflict_with"].queryset = self.fields["local_authority"].queryset
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("role"),
            Field.select("specialism"),
            Field.select("local_authority"),
            Field.select("status"),
            Field.select("free_of_conflict_with"),
            Field.select("not_deployed_for"),
            Button("filter", "Filter the pool"),
        )


class ConflictForm(forms.Form):
    local_authority = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.none(),
        empty_label="Choose one",
        error_messages={"required": "Choose the local authority."},
    )
    note = forms.CharField(
        label="What the relationship is (optional)", required=False, max_length=300
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = local_authorities_active(
            region=person.region, on=timezone.localdate()
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("local_authority"),
            Field.text("note", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Declare it"),
        )
