"""The calendar in the admin: LAs' blackout periods, scoped to the coordinator's region
(R2, R31). Programmes and reviews are made on the calendar pages, through the services."""

from django import forms
from django.contrib import admin

from calendar_planner.models import Blackout
from emslirp import permissions
from emslirp.admin import RegionScopedAdmin


class BlackoutForm(forms.ModelForm):
    class Meta:
        model = Blackout
        fields = ["local_authority", "starts_on", "ends_on", "reason"]

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            # The database refuses it too; here the message goes to the field.
            self.add_error("ends_on", "The last day cannot be before the first.")
        return data


@admin.register(Blackout)
class BlackoutAdmin(RegionScopedAdmin):
    form = BlackoutForm
    list_display = ["local_authority", "starts_on", "ends_on", "reason"]
    list_filter = ["local_authority"]
    search_fields = ["local_authority__name", "reason"]
    date_hierarchy = "starts_on"

    def scope(self, request, queryset):
        return queryset.filter(
            local_authority__in=permissions.manageable_local_authorities(request.user)
        ).select_related("local_authority")

    def get_list_filter(self, request):
        return []
