"""Who may do what in the region's core (R2, R29, R31).

Views, templates, the admin and services all ask these functions; nothing else decides.
Rights that come from a post are computed from the posts held on the day, never copied.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from emslirp.models import LocalAuthority, Post, PostKind, Region, User

# Model permissions that an SDSA coordinator has while they hold the post. Object scoping
# (their own region only) is applied on top by the admin, which asks the functions below.
_CORE_COORDINATOR_PERMISSIONS = frozenset(
    {
        "emslirp.view_region",
        "emslirp.view_localauthority",
        "emslirp.add_localauthority",
        "emslirp.change_localauthority",
        "emslirp.view_localauthorityalias",
        "emslirp.add_localauthorityalias",
        "emslirp.change_localauthorityalias",
        "emslirp.delete_localauthorityalias",
        "emslirp.view_user",
        "emslirp.add_user",
        "emslirp.change_user",
        "emslirp.view_post",
        "emslirp.add_post",
        "emslirp.change_post",
        "emslirp.view_memorandumofunderstanding",
        "emslirp.add_memorandumofunderstanding",
        "emslirp.change_memorandumofunderstanding",
        "emslirp.view_mousignature",
        "emslirp.add_mousignature",
        "emslirp.change_mousignature",
    }
)
_coordinator_permissions: set[str] = set(_CORE_COORDINATOR_PERMISSIONS)


def coordinator_permissions_add(perms) -> None:
    """Each app adds, when it is ready, the model permissions its coordinator pages and
    admin need; the core does not import the apps built on it."""
    _coordinator_permissions.update(perms)


def _today() -> datetime.date:
    return timezone.localdate()


def coordinated_regions(user: User, *, on: datetime.date | None = None) -> QuerySet[Region]:
    """The regions ``user`` coordinates on ``on`` (today by default)."""
    if not user.is_authenticated or not user.is_active:
        return Region.objects.none()
    day = on or _today()
    return Region.objects.filter(
        pk__in=Post.objects.held_on(day)
        .filter(holder=user, kind=PostKind.COORDINATOR)
        .values("region_id")
    )


def _coordinated_region_ids(user: User) -> frozenset[int]:
    # Asked many times per admin page: computed once per request's user object and day.
    day = _today()
    cached = getattr(user, "_emslirp_coordinated", None)
    if cached is None or cached[0] != day:
        ids = frozenset(coordinated_regions(user, on=day).values_list("pk", flat=True))
        cached = (day, ids)
        user._emslirp_coordinated = cached
    return cached[1]


def is_coordinator(user: User) -> bool:
    """Whether ``user`` holds an SDSA coordinator post today."""
    return bool(user.is_authenticated and _coordinated_region_ids(user))


def coordinates(user: User, region: Region) -> bool:
    """Whether ``user`` is a coordinator of ``region`` today."""
    return bool(user.is_authenticated and region.pk in _coordinated_region_ids(user))


def can_use_admin(user: User) -> bool:
    """The admin is for superusers (technical staff) and current coordinators (R31)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.is_superuser or is_coordinator(user)


def manageable_regions(user: User) -> QuerySet[Region]:
    if user.is_superuser:
        return Region.objects.all()
    return Region.objects.filter(pk__in=_coordinated_region_ids(user))


def manageable_local_authorities(user: User) -> QuerySet[LocalAuthority]:
    """The LAs whose register entries ``user`` may see and edit (R2)."""
    if user.is_superuser:
        return LocalAuthority.objects.all()
    return LocalAuthority.objects.filter(region_id__in=_coordinated_region_ids(user))


def manageable_people(user: User) -> QuerySet[User]:
    """The people a coordinator may see: those on their region's register, and anyone who
    holds or held a post in it (R2)."""
    if user.is_superuser:
        return User.objects.all()
    regions = _coordinated_region_ids(user)
    if not regions:
        return User.objects.none()
    in_region = Post.objects.filter(
        Q(local_authority__region_id__in=regions) | Q(region_id__in=regions)
    ).values("holder_id")
    return User.objects.filter(Q(region_id__in=regions) | Q(pk__in=in_region))


def manageable_posts(user: User) -> QuerySet[Post]:
    if user.is_superuser:
        return Post.objects.all()
    regions = _coordinated_region_ids(user)
    return Post.objects.filter(Q(local_authority__region_id__in=regions) | Q(region_id__in=regions))


def changeable_people(user: User) -> QuerySet[User]:
    """The people whose record a coordinator may change (R2, R31): those on their own
    region's register who hold no admin rights. Someone seen only through a past post in
    the region, another coordinator, or technical staff is shown but not changed: a
    coordinator who could change their sign-in address could take over their account."""
    if user.is_superuser:
        return User.objects.all()
    regions = _coordinated_region_ids(user)
    if not regions:
        return User.objects.none()
    return User.objects.filter(region_id__in=regions, is_staff=False, is_superuser=False)


def can_change_person(user: User, person: User) -> bool:
    return changeable_people(user).filter(pk=person.pk).exists()


def can_change_post(user: User, post: Post) -> bool:
    """Coordinators keep the posts of their region's LAs; coordinator posts, and their
    own, are recorded by technical staff (R31)."""
    if user.is_superuser:
        return True
    return (
        post.kind != PostKind.COORDINATOR
        and post.holder_id != user.pk
        and post.local_authority is not None
        and post.local_authority.region_id in _coordinated_region_ids(user)
        # Reopening a read-only person's old post would give them its rights today.
        and can_change_person(user, post.holder)
    )


def can_grant_superuser(user: User) -> bool:
    """Only a superuser makes another; a coordinator never can (R31)."""
    return bool(user.is_superuser)


class CoordinatorBackend:
    """Gives a current coordinator the model permissions of their post, for as long as
    they hold it; object scoping is the admin's, from the functions above."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or not is_coordinator(user_obj):
            return set()
        return set(_coordinator_permissions)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
