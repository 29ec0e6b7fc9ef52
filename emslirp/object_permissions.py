"""Grants on single objects, kept by django-guardian in direct-foreign-key tables (R29).

Rights that follow a post (the host DCS, the coordinator) are computed from posts by each
app's ``permissions.py`` and never stored. What is stored here is a grant made to a named
person for one object: a team place on a review, a delegated self-assessment. Each
guarded model declares its own pair of grant tables beside it, in its app's ``models.py``::

    class ReviewUserGrant(UserObjectPermissionBase):
        content_object = models.ForeignKey(Review, on_delete=models.CASCADE)

    class ReviewGroupGrant(GroupObjectPermissionBase):
        content_object = models.ForeignKey(Review, on_delete=models.CASCADE)

Guardian's generic tables would also work, slowly, and would keep a grant after its object
is deleted, ready to attach to a new row with the same key. These functions refuse a model
without its own tables, so that cannot happen by omission.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_users_with_perms, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from emslirp.models import User


def grant_tables_check(model: type[Model]) -> None:
    """Raise ImproperlyConfigured unless ``model`` has its own user and group grant tables."""
    for table in (get_user_obj_perms_model(model), get_group_obj_perms_model(model)):
        if table.objects.is_generic():
            raise ImproperlyConfigured(
                f"{model._meta.label} has no direct-foreign-key grant tables: declare them "
                "beside it (see emslirp.object_permissions)."
            )


def _codename(perm: str, obj: Model) -> str:
    # "app.view_thing" and "view_thing" both name a permission of obj's own model.
    app_label, _, codename = perm.rpartition(".")
    if app_label and app_label != obj._meta.app_label:
        raise ValueError(f"{perm} is not a permission of {obj._meta.label}.")
    return codename


def object_grant(*, perm: str, person: User, obj: Model) -> None:
    """Give ``person`` the right ``perm`` on ``obj`` (idempotent)."""
    grant_tables_check(type(obj))
    assign_perm(_codename(perm, obj), person, obj)


def object_revoke(*, perm: str, person: User, obj: Model) -> None:
    """Take the right ``perm`` on ``obj`` from ``person`` (nothing happens if not held)."""
    grant_tables_check(type(obj))
    remove_perm(_codename(perm, obj), person, obj)


def object_grantees(*, perm: str, obj: Model) -> QuerySet[User]:
    """The people granted ``perm`` on ``obj`` by name (not through a group or a post)."""
    grant_tables_check(type(obj))
    codename = _codename(perm, obj)
    return get_users_with_perms(
        obj, only_with_perms_in=[codename], with_superusers=False, with_group_users=False
    ).order_by("full_name", "pk")


def object_checker(*, person: User, objects: QuerySet) -> ObjectPermissionChecker:
    """A checker for ``person`` with their grants on ``objects`` loaded in one query each
    for user and group grants, for list pages: ``checker.has_perm(codename, obj)``."""
    grant_tables_check(objects.model)
    checker = ObjectPermissionChecker(person)
    checker.prefetch_perms(objects)
    return checker
