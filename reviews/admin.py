"""The self-assessment template's versions in the admin (R17, R31).

The template is shared by every region. A coordinator reads the versions and publishes a
new one, starting from the latest; a published version is never changed or deleted, as
the self-assessments started on it keep it. Self-assessments themselves are not here:
the coordinator reads them, once submitted, on the region's self-assessment page.
"""

import json

from django import forms
from django.contrib import admin

from emslirp import permissions as core_permissions
from emslirp.admin import RegionScopedAdmin
from reviews.intelligence import admin as intelligence_admin  # noqa: F401 (the themes)
from reviews.letter.models import LetterTemplate
from reviews.letter.placeholders import placeholders_help, placeholders_problems
from reviews.self_assessment import services
from reviews.self_assessment.models import SelfAssessmentTemplate


class StructureField(forms.JSONField):
    """The structure as indented JSON, one part a line, rather than one long line."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)


class TemplateVersionForm(forms.ModelForm):
    structure = StructureField(
        label="Structure",
        widget=forms.Textarea(attrs={"rows": 40, "cols": 90, "spellcheck": "false"}),
        help_text=(
            'JSON: "guidance" (optional text), "scale" (points 1 to 4, each with a "label"), '
            '"areas" (each with a "key" that never changes meaning, a "name" and an optional '
            '"hint"), "strengths" and "weaknesses" (each with a "label" and a "max" number '
            "of rows). Self-assessments already started keep the version they started on."
        ),
    )

    class Meta:
        model = SelfAssessmentTemplate
        fields = ["structure", "note"]

    def clean_structure(self):
        structure = self.cleaned_data["structure"]
        services.self_assessment_template_check(structure=structure)
        return structure


@admin.register(SelfAssessmentTemplate)
class SelfAssessmentTemplateAdmin(admin.ModelAdmin):
    form = TemplateVersionForm
    list_display = ["number", "published_at", "published_by", "note"]
    list_select_related = ["published_by"]
    ordering = ["-number"]

    def get_changeform_initial_data(self, request):
        latest = SelfAssessmentTemplate.objects.order_by("-number").first()
        return {"structure": latest.structure} if latest else {}

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["number", "published_at", "published_by", "note", "structure"]
        return []

    def has_change_permission(self, request, obj=None):
        # A version is read, never changed: the forms filled in on it depend on it.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.self_assessment_template_publish(template=obj, by=request.user)


# The feedback letter's template (R23) -----------------------------------------------------
# Letters themselves have no admin at all: a final letter never changes (R23), and the
# coordinator reads the final letter on the review's letter page, as R29 gives it.


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["region", "kind", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 90})}
        help_texts = {
            "body": (
                "Placeholders are filled in from the records when the lead drafts a letter: "
                f"{placeholders_help()}. To print a brace itself, type it twice: {{{{ or }}}}. "
                "Letters drafted already keep their words."
            ),
            "subject": "Placeholders may be used here too.",
        }

    def _placeholders_clean(self, name: str) -> str:
        text = self.cleaned_data[name]
        problems = placeholders_problems(text)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean_subject(self):
        return self._placeholders_clean("subject")

    def clean_body(self):
        return self._placeholders_clean("body")


@admin.register(LetterTemplate)
class LetterTemplateAdmin(RegionScopedAdmin):
    form = LetterTemplateForm
    list_display = ["kind", "region", "subject", "updated_at", "updated_by"]
    list_select_related = ["region", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def scope(self, request, queryset):
        return queryset.filter(region__in=core_permissions.manageable_regions(request.user))

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
