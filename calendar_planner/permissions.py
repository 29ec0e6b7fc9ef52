"""Who may do what with the calendar (R2, R29–R31). Views and templates ask these."""

from django.db.models import QuerySet
from django.utils import timezone

from emslirp.models import Post, Region, User
from emslirp.permissions import coordinated_regions, coordinates
from reviews.review.permissions import CalendarScope


def calendar_region(user: User) -> Region | None:
    """The region whose calendar a user works in: the one they coordinate, else the region
    of the LAs where they hold a post today (not the register's note of their region,
    which may be empty or out of date)."""
    coordinated = coordinated_regions(user).order_by("pk").first()
    if coordinated is not None:
        return coordinated
    post = (
        Post.objects.held_on(timezone.localdate())
        .filter(holder=user, local_authority__isnull=False)
        .select_related("local_authority__region")
        .order_by("pk")
        .first()
    )
    return post.local_authority.region if post else None


def can_view_calendar(scope: CalendarScope) -> bool:
    return scope.sees_anything


def managed_regions(user: User) -> QuerySet[Region]:
    """The regions whose programmes and extra-PCTR requests ``user`` manages."""
    return coordinated_regions(user)


def can_manage_programmes(user: User, region: Region) -> bool:
    """Planning, adjusting and adopting calendars, and deciding extra PCTR requests, are
    the region's coordinator's."""
    return coordinates(user, region)
