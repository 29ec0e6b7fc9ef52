"""The admin site: for superusers and current SDSA coordinators only (R31)."""

from django.contrib import admin

from emslirp import permissions


class EmslirpAdminSite(admin.AdminSite):
    site_header = "EMSLIRP administration"
    site_title = "EMSLIRP admin"
    index_title = "Region register"

    def has_permission(self, request):
        return permissions.can_use_admin(request.user)
