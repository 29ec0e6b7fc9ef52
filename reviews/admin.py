"""The self-assessment template's versions in the admin (R17, R31).

The template is shared by every region. A coordinator reads the versions and publishes a
new one, starting from the latest; a published version is never changed or deleted, as
the self-assessments started on it keep it. Self-assessments themselves are not here:
the coordinator reads them, once submitted, on the region's self-assessment page.
"""

import json

from django import forms
from django.contrib import admin

from reviews import self_assessment_services as services
from reviews.models import SelfAssessmentTemplate


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
