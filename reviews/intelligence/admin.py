"""The region's themes in the admin (R28, R31), beside the coordinator's own pages: scoped
to the regions they coordinate; a theme in use is retired, never deleted. Tags are made
on the tagging page of a final letter only, so they have no admin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from emslirp import permissions as core_permissions
from emslirp.admin import RegionScopedAdmin
from reviews.intelligence.models import Theme
from reviews.intelligence.services.themes import theme_name_check


class ThemeAdminForm(forms.ModelForm):
    # A box rather than the admin's split date and time, whose two boxes have no label
    # of their own; the time of retiring is the time it is saved.
    retired = forms.BooleanField(
        label="Retired",
        required=False,
        help_text="No longer offered when letters are tagged; what was tagged stays.",
    )

    class Meta:
        model = Theme
        fields = ["region", "name", "description", "keywords"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retired"].initial = self.instance.retired_at is not None

    def clean(self):
        data = super().clean()
        region = data.get("region") or (self.instance.region if self.instance.pk else None)
        name = data.get("name")
        if region is not None and name:
            # At the field, before the table's constraint, which has no words for people.
            try:
                data["name"] = theme_name_check(region=region, name=name, theme=self.instance)
            except ValidationError as error:
                self.add_error("name", error.message_dict["name"])
        return data


@admin.register(Theme)
class ThemeAdmin(RegionScopedAdmin):
    form = ThemeAdminForm
    list_display = ["name", "region", "tagged", "retired_at"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region"]
    search_fields = ["name", "keywords"]

    def scope(self, request, queryset):
        return queryset.filter(
            region__in=core_permissions.manageable_regions(request.user)
        ).annotate(tag_count=Count("tags"))

    @admin.display(description="Tagged", ordering="tag_count")
    def tagged(self, theme):
        return theme.tag_count

    def get_readonly_fields(self, request, obj=None):
        # Its tags are on its region's letters: a theme stays in its region.
        return ["region"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        # A theme in use is retired: its tags and their history stay (R28, R33).
        if obj is not None and obj.tags.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Deleting many at once would meet themes in use; each is deleted from its page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        now = timezone.now()
        if not change:
            obj.created_at = now
        if not form.cleaned_data["retired"]:
            obj.retired_at = None
        elif obj.retired_at is None:
            obj.retired_at = now
        super().save_model(request, obj, form, change)
