"""Who may do what with the calendar (R2, R29–R31). Views and templates ask these."""

from emslirp.models import Region, User
from emslirp.permissions import coordinated_regions, coordinates
from reviews.permissions import CalendarScope


def calendar_region(user: User) -> Region | None:
    """The region whose calendar a user works in: the one they coordinate, else their own."""
    coordinated = coordinated_regions(user).order_by("pk").first()
    return coordinated or getattr(user, "region", None)


def can_view_calendar(scope: CalendarScope) -> bool:
    return scope.sees_anything


def can_manage_programmes(user: User, region: Region) -> bool:
    """Planning, adjusting and adopting calendars, and deciding extra PCTR requests, are
    the region's coordinator's."""
    return coordinates(user, region)
