"""What the home page gathers from the apps.

The core's home page lists a person's posts and the deadlines waiting for them; each app
adds what it knows (its team places, applications, calendar requests) by registering a
part from its ``AppConfig.ready()``, so the core imports no app.
"""

import datetime
from collections.abc import Callable

from emslirp.models import Post, User

# A part: (*, person, on, current_posts) -> dict of the home page's context, whose
# "needs_you" entry (a list of items) joins the other apps' in "what needs you".
HomePart = Callable[..., dict]

_parts: list[tuple[int, HomePart]] = []


def home_part_register(part: HomePart, *, rank: int) -> None:
    """Add an app's part of the home page. ``rank`` orders the parts' items of "what needs
    you" among those due the same day (reviews, then the calendar, then accreditation)."""
    _parts.append((rank, part))


def home_parts_gather(*, person: User, on: datetime.date, current_posts: list[Post]) -> dict:
    """Every registered part's context for ``person``, their "needs you" items joined."""
    context: dict = {"needs_you": []}
    for _, part in sorted(_parts, key=lambda ranked: ranked[0]):
        found = dict(part(person=person, on=on, current_posts=current_posts))
        context["needs_you"] += found.pop("needs_you", [])
        context.update(found)
    return context
