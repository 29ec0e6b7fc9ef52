"""The calendar in the admin: LAs' blackout periods, scoped to the coordinator's region
(R2, R31). Programmes and reviews are made on the calendar pages, through the services."""

from django.contrib import admin

from calendar_planner.models import Blackout
from emslirp import permissions
from emslirp.admin import RegionScopedAdmin


@admin.register(Blackout)
class BlackoutAdmin(RegionScopedAdmin):
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
