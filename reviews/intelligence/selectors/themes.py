"""The region's themes as the coordinator keeps them (R28). What their tags add up to, by
year and kind of review, is the regional picture's (``selectors.regional``)."""

from django.db.models import Count

from emslirp.models import Region
from reviews.intelligence.models import Theme


def region_themes(region: Region) -> tuple[list[Theme], list[Theme]]:
    """``region``'s active and retired themes, by name, each with ``tag_count``: one
    query."""
    themes = list(Theme.objects.filter(region=region).annotate(tag_count=Count("tags")))
    return (
        [t for t in themes if t.retired_at is None],
        [t for t in themes if t.retired_at is not None],
    )
