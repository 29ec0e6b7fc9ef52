"""The admin of accreditation, for coordinators: their own region only (R2, R31)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from accreditation import selectors, services
from accreditation.models import (
    Accreditation,
    AccreditationStatusChange,
    ConflictDeclaration,
    ExpressionOfInterest,
    RoleRequest,
    TrainingAttendance,
    TrainingSession,
)
from emslirp import permissions
from emslirp.admin import NamedRowsFormSet, RegionScopedAdmin


def _region_ids(request):
    return permissions.manageable_regions(request.user).values("pk")


class HistoryInline(admin.TabularInline):
    """Rows that record what happened: shown under their parent, never edited there."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class RoleRequestInline(HistoryInline):
    model = RoleRequest
    fields = ["role", "decision", "reason", "decided_by", "decided_on"]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(RegionScopedAdmin):
    """Applications, to read: the applicant writes them and their DCS decides (R5, R6)."""

    list_display = ["applicant", "local_authority", "state", "submitted_at"]
    list_filter = ["state", ("local_authority", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["applicant", "local_authority"]
    search_fields = ["applicant__full_name", "applicant__email"]
    inlines = [RoleRequestInline]

    def scope(self, request, queryset):
        return queryset.filter(local_authority__region__in=_region_ids(request))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["specialisms"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PlaceInline(admin.TabularInline):
    """Who is invited; attendance is recorded on the Training attendance page."""

    model = TrainingAttendance
    fk_name = "session"
    extra = 3
    formset = NamedRowsFormSet
    fields = ["person", "attended"]
    readonly_fields = ["attended"]
    autocomplete_fields = ["person"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = permissions.manageable_people(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(TrainingSession)
class TrainingSessionAdmin(RegionScopedAdmin):
    """Regional training sessions (R7): scheduled here, places given inline."""

    list_display = ["held_on", "kind", "venue", "region", "mandatory"]
    list_filter = ["kind", "mandatory"]
    list_select_related = ["region"]
    date_hierarchy = "held_on"
    inlines = [PlaceInline]

    def scope(self, request, queryset):
        return queryset.filter(region__in=_region_ids(request))


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(RegionScopedAdmin):
    """Attendance, recorded for many people at once with the actions (R7, R8)."""

    list_display = ["person", "session", "attended", "recorded_by"]
    list_filter = [("session", admin.RelatedOnlyFieldListFilter), "attended"]
    list_select_related = ["person", "session", "recorded_by"]
    search_fields = ["person__full_name", "person__email"]
    actions = ["record_attended", "record_absent"]

    def scope(self, request, queryset):
        return queryset.filter(session__region__in=_region_ids(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Changes go through the actions, which accredit; a bare edit would not.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if not request.user.has_perm("accreditation.change_trainingattendance"):
            return {}
        return actions

    def _record(self, request, queryset, attended):
        made = 0
        refused = []
        nothing = []
        for place in queryset.select_related("session", "person"):
            try:
                accredited = services.training_attendance_record(
                    place=place, attended=attended, by=request.user
                )
            except ValidationError as error:
                refused.append(f"{place.person}: {' '.join(error.messages)}")
                continue
            made += len(accredited)
            if attended and not accredited:
                # Said, not left silent: attending before the approval accredits nothing.
                why = selectors.training_accredits_nothing_because(
                    session=place.session, person=place.person
                )
                if why:
                    nothing.append(why)
        count = queryset.count() - len(refused)
        verb = "attended" if attended else "did not attend"
        self.message_user(
            request,
            f"Recorded that {count} {'person' if count == 1 else 'people'} {verb}; "
            f"{made} accreditation{'s' if made != 1 else ''} made.",
            messages.SUCCESS,
        )
        for message in refused:
            self.message_user(request, message, messages.ERROR)
        for message in nothing:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Record that they attended (accredits approved roles)")
    def record_attended(self, request, queryset):
        self._record(request, queryset, True)

    @admin.action(description="Record that they did not attend")
    def record_absent(self, request, queryset):
        self._record(request, queryset, False)


class StatusChangeInline(HistoryInline):
    model = AccreditationStatusChange
    fields = ["status", "effective_on", "reason", "changed_by", "recorded_at"]


class AccreditationStatusForm(forms.ModelForm):
    def clean(self):
        # At the field, before the table's constraint would refuse it as a whole.
        data = super().clean()
        if not (data.get("status_reason") or "").strip():
            self.add_error("status_reason", "Say why the status changes.")
        return data


@admin.register(Accreditation)
class AccreditationAdmin(RegionScopedAdmin):
    """Accreditations (R8): the coordinator changes a status with its reason; each change
    is kept below the form and in the audit log."""

    # Who is flagged, suspended or lapsed, and why (R8).
    list_display = [
        "person",
        "role",
        "status",
        "status_reason",
        "accredited_on",
        "status_changed_on",
    ]
    list_filter = ["role", "status"]
    list_select_related = ["person"]
    search_fields = ["person__full_name", "person__email"]
    fields = ["person", "role", "accredited_on", "training", "status", "status_reason"]
    readonly_fields = ["person", "role", "accredited_on", "training"]
    inlines = [StatusChangeInline]

    def scope(self, request, queryset):
        return queryset.filter(person__region__in=_region_ids(request))

    def has_add_permission(self, request):
        # Accreditations come from training attendance (R7).
        return False

    form = AccreditationStatusForm

    def save_model(self, request, obj, form, change):
        if {"status", "status_reason"} & set(form.changed_data):
            services.accreditation_status_set(
                accreditation=obj,
                status=obj.status,
                reason=obj.status_reason,
                by=request.user,
            )


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(RegionScopedAdmin):
    list_display = ["person", "local_authority", "note", "declared_on"]
    list_select_related = ["person", "local_authority"]
    search_fields = ["person__full_name", "local_authority__name"]
    readonly_fields = ["person", "local_authority", "note", "declared_on"]

    def scope(self, request, queryset):
        return queryset.filter(person__region__in=_region_ids(request))

    def has_add_permission(self, request):
        # People declare their own conflicts; the coordinator reads them.
        return False

    def has_change_permission(self, request, obj=None):
        return False
