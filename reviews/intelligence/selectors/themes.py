"""What the region's themes add up to (R28): reads for the themes page and the regional
page. Counts only; who may see which of them is ``permissions.IntelligenceScope``'s to
say (a DCS sees a count only when ``scope.shows_figure(count.local_authority_ids)``)."""

import dataclasses

from django.db.models import Count
from django.db.models.functions import Coalesce, ExtractYear

from emslirp.models import Region
from reviews.intelligence.models import Theme, ThemeTag
from reviews.letter.models import LetterState


@dataclasses.dataclass(frozen=True)
class ThemeCount:
    """How many tags a theme has in a year and kind of review, and the host LAs they
    rest on."""

    tags: int
    local_authority_ids: frozenset[int]


def theme_counts(region: Region) -> dict[tuple[int, int, str], ThemeCount]:
    """Every tag on the final letters of ``region``'s reviews, counted by (theme id, year,
    review kind), retired themes included (their history stays). The year is the year of
    the review's first on-site day, or of its slot's first day where none was set; the
    kind is ``ReviewKind``'s value ("pctr", "sav"). One query, whatever the number of
    years, LAs and letters; a (theme, year, kind) with no tag is absent."""
    rows = (
        ThemeTag.objects.filter(theme__region=region, review__letter__state=LetterState.FINAL)
        .values_list(
            "theme_id",
            ExtractYear(Coalesce("review__onsite_from", "review__starts_on")),
            "review__kind",
            "review__host_id",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    tags: dict[tuple[int, int, str], int] = {}
    behind: dict[tuple[int, int, str], set[int]] = {}
    for theme_id, year, kind, host_id, n in rows:
        key = (theme_id, year, kind)
        tags[key] = tags.get(key, 0) + n
        behind.setdefault(key, set()).add(host_id)
    return {key: ThemeCount(n, frozenset(behind[key])) for key, n in tags.items()}


def region_themes(region: Region) -> tuple[list[Theme], list[Theme]]:
    """``region``'s active and retired themes, by name, each with ``tag_count``: one
    query."""
    themes = list(Theme.objects.filter(region=region).annotate(tag_count=Count("tags")))
    return (
        [t for t in themes if t.retired_at is None],
        [t for t in themes if t.retired_at is not None],
    )
