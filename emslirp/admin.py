"""The admin for coordinators and technical staff.

A coordinator is never a superuser (R31): every page here is narrowed to their own region
(R2) by the functions in ``emslirp.permissions``; a record outside it is as if it did not
exist, and a foreign key can only point inside it.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst

from emslirp import permissions, services
from emslirp.forms import email_change_notice_send, welcome_send
from emslirp.models import (
    LocalAuthority,
    LocalAuthorityAlias,
    MemorandumOfUnderstanding,
    MouSignature,
    Post,
    PostKind,
    Region,
    User,
)


def checked_by(form_class, check):
    """``form_class``, whose validation ends with ``check(instance)``: the admin refuses
    what the services refuse, with the message at the field."""

    class CheckedForm(form_class):
        def _post_clean(self):
            # Runs once the instance holds the form's values.
            super()._post_clean()
            if not self.errors:
                try:
                    check(self.instance)
                except ValidationError as error:
                    self._update_errors(error)

    return CheckedForm


class NamedRowsFormSet(BaseInlineFormSet):
    """A tabular inline's rows, each field named for its column and its row ("Name, row
    1", "Delete row 1"): the table shows the labels only as column headings, which name no
    field, so a screen reader would announce an unnamed box (WCAG 1.3.1, 4.1.2). The row
    a new one is copied from is "new row"."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            if name == DELETION_FIELD_NAME:
                label = f"Delete {row}"
            else:
                label = f"{capfirst(field.label)}, {row}"
            # The widget that renders the box: a related-object wrapper's own ``attrs`` is
            # the dict of the widget it was first made with, shared by every row.
            widget = field.widget
            while hasattr(widget, "widget"):
                widget = widget.widget
            widget.attrs = {"aria-label": label, **widget.attrs}


class RegionScopedAdmin(admin.ModelAdmin):
    """Narrows the list, the objects and the choices of foreign keys to what the signed-in
    person may manage."""

    def scope(self, request, queryset):
        raise NotImplementedError

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.related_model is Region:
            kwargs["queryset"] = permissions.manageable_regions(user)
        elif db_field.related_model is LocalAuthority:
            kwargs["queryset"] = permissions.manageable_local_authorities(user)
        elif db_field.related_model is User:
            kwargs["queryset"] = permissions.manageable_people(user)
        elif db_field.related_model is MemorandumOfUnderstanding:
            kwargs["queryset"] = MemorandumOfUnderstanding.objects.filter(
                local_authority__in=permissions.manageable_local_authorities(user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is LocalAuthority:
            kwargs["queryset"] = permissions.manageable_local_authorities(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Region)
class RegionAdmin(RegionScopedAdmin):
    list_display = ["name"]
    search_fields = ["name"]

    def scope(self, request, queryset):
        return queryset.filter(pk__in=permissions.manageable_regions(request.user))


class AliasForm(forms.ModelForm):
    def clean_name(self):
        # At the field, and before the table's constraint, which has no words for people.
        name = " ".join(self.cleaned_data["name"].split())
        alias = LocalAuthorityAlias(
            pk=self.instance.pk, name=name, local_authority_id=self.instance.local_authority_id
        )
        try:
            services.local_authority_alias_check(alias=alias)
        except ValidationError as error:
            raise ValidationError(error.message_dict["name"]) from None
        return name


class AliasInline(admin.TabularInline):
    model = LocalAuthorityAlias
    extra = 0
    form = AliasForm
    formset = NamedRowsFormSet


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(RegionScopedAdmin):
    list_display = ["name", "region", "active_from", "active_to"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "aliases__name"]
    inlines = [AliasInline]
    list_select_related = ["region"]

    def scope(self, request, queryset):
        return queryset.filter(pk__in=permissions.manageable_local_authorities(request.user))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "successors":
            # A region's few LAs as checkboxes, each labelled: the admin's two-box filter
            # names its search boxes with an ARIA label on an element that may have none.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = checked_by(
            super().get_form(request, obj, change, **kwargs),
            lambda la: services.local_authority_check(local_authority=la),
        )
        if obj is not None and "successors" in form.base_fields:
            # An LA is never its own successor (R1). (Set on the final class: a ModelForm
            # subclass rebuilds its fields.)
            field = form.base_fields["successors"]
            field.queryset = field.queryset.exclude(pk=obj.pk)
        return form

    def save_related(self, request, form, formsets, change):
        # The successors field offers only the coordinator's own LAs; a successor in
        # another region, which they cannot see, must survive their saving the page.
        unseen = []
        if change:
            unseen = list(
                form.instance.successors.exclude(
                    pk__in=permissions.manageable_local_authorities(request.user)
                )
            )
        super().save_related(request, form, formsets, change)
        if unseen:
            form.instance.successors.add(*unseen)


class PostInline(admin.TabularInline):
    """A person's posts, to read; posts are recorded on the Posts page, which checks them."""

    model = Post
    fk_name = "holder"
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["kind", "local_authority", "region", "tier", "started_on", "ended_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=permissions.manageable_posts(request.user))
            .select_related("local_authority", "region")
        )


class PersonCreationForm(forms.ModelForm):
    """A new person's record. Nobody sets another person's password: the new account has
    none until its owner chooses one through the link they are sent."""

    class Meta:
        model = User
        fields = ["email", "full_name", "region"]

    def save(self, commit=True):
        person = super().save(commit=False)
        person.set_unusable_password()
        if commit:
            person.save()
        return person


@admin.register(User)
class UserAdmin(RegionScopedAdmin, DjangoUserAdmin):
    add_form = PersonCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "region", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", ("region", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["region"]
    search_fields = ["full_name", "email"]
    inlines = [PostInline]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "region"]})]

    def scope(self, request, queryset):
        return queryset.filter(pk__in=permissions.manageable_people(request.user))

    def get_readonly_fields(self, request, obj=None):
        readonly = ["last_login", "date_joined"]
        if obj is not None and not request.user.is_superuser:
            # Whoever sets the sign-in address can reset the password sent to it: only
            # technical staff change it, never a coordinator (R31).
            readonly.append("email")
        return readonly

    def get_inline_instances(self, request, obj=None):
        # A new person has no posts yet: they are recorded on the Posts page.
        return super().get_inline_instances(request, obj) if obj is not None else []

    def has_change_permission(self, request, obj=None):
        # Someone the coordinator may see but not change gets the read-only page.
        if obj is not None and not permissions.can_change_person(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if permissions.can_grant_superuser(request.user):
            return [
                (None, {"fields": ["email", "full_name", "region", "password"]}),
                (
                    "Access",
                    {
                        "fields": [
                            "is_active",
                            "is_staff",
                            "is_superuser",
                            "groups",
                            "user_permissions",
                        ]
                    },
                ),
                ("Dates", {"fields": ["last_login", "date_joined"]}),
            ]
        # A coordinator manages a person's record and posts, never their privileges or
        # password: people set their own password by e-mail.
        return [
            (None, {"fields": ["email", "full_name", "region"]}),
            ("Access", {"fields": ["is_active"]}),
            ("Dates", {"fields": ["last_login", "date_joined"]}),
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = checked_by(
            super().get_form(request, obj, **kwargs),
            lambda person: services.person_check(person=person),
        )
        if not request.user.is_superuser and "region" in form.base_fields:
            # A coordinator's people are on their region's register (R2): never on none.
            # (Set on the final class: a ModelForm subclass rebuilds its fields.)
            form.base_fields["region"].required = True
            form.base_fields["region"].empty_label = None
        return form

    def save_model(self, request, obj, form, change):
        old_email = form.initial.get("email") if change else None
        super().save_model(request, obj, form, change)
        if not change:
            welcome_send(person=obj, request=request)
        elif old_email and old_email.lower() != obj.email:
            email_change_notice_send(person=obj, old_email=old_email)

    def user_change_password(self, request, id, form_url=""):
        if not permissions.can_grant_superuser(request.user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


class SignatureInline(admin.TabularInline):
    """Signatures, checked as ``services.mou_sign`` checks them: only the holder of the
    signing post on the day, on or after commencement (R4)."""

    model = MouSignature
    extra = 0
    formset = NamedRowsFormSet
    form = checked_by(
        forms.ModelForm, lambda signature: services.mou_signature_check(signature=signature)
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is User:
            kwargs["queryset"] = permissions.manageable_people(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(MemorandumOfUnderstanding)
class MemorandumAdmin(RegionScopedAdmin):
    list_display = ["local_authority", "commenced_on", "review_on"]
    list_select_related = ["local_authority"]
    inlines = [SignatureInline]

    def scope(self, request, queryset):
        return queryset.filter(
            local_authority__in=permissions.manageable_local_authorities(request.user)
        )

    def get_readonly_fields(self, request, obj=None):
        # The signatures were checked against this LA and commencement (R4): once anyone
        # has signed, they stay as signed. A new memorandum is a new record.
        if obj is not None and obj.signatures.exists():
            return ["local_authority", "commenced_on"]
        return []


@admin.register(Post)
class PostAdmin(RegionScopedAdmin):
    list_display = ["holder", "kind", "local_authority", "region", "started_on", "ended_on"]
    # Filters offer only what the scoped list holds: another region's names never show.
    list_filter = ["kind", ("local_authority", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["holder", "local_authority", "region"]
    search_fields = ["holder__full_name", "holder__email", "local_authority__name"]
    date_hierarchy = "started_on"

    def scope(self, request, queryset):
        return queryset.filter(pk__in=permissions.manageable_posts(request.user))

    def has_change_permission(self, request, obj=None):
        if obj is not None and not permissions.can_change_post(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        fields = ["holder", "kind", "local_authority", "region", "tier", "started_on", "ended_on"]
        if not request.user.is_superuser:
            # Coordinator posts are recorded by technical staff; the region is theirs only.
            fields.remove("region")
        return fields

    def get_readonly_fields(self, request, obj=None):
        # A post changes its dates or tier; a new holder is a hand-over, a new post.
        return ["holder", "kind", "local_authority", "region"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "holder":
            kwargs["queryset"] = permissions.changeable_people(request.user)
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind" and not request.user.is_superuser:
            kwargs["choices"] = [
                (value, label)
                for value, label in db_field.get_choices(include_blank=True)
                if value != PostKind.COORDINATOR
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return checked_by(form, lambda post: services.post_check(post=post))

    def save_model(self, request, obj, form, change):
        services.post_record(post=obj)
