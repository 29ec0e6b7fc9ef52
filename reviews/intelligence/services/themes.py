"""A region's themes (R28)."""

from django.db import transaction
from django.utils import timezone

from emslirp.models import Region
from reviews.intelligence.models import Theme
from reviews.intelligence.themes import STARTING_THEMES


@transaction.atomic
def themes_seed(region: Region) -> int:
    """Give ``region`` the starting list of themes it does not have yet (by name, whatever
    its case); returns how many were added. A region made after the list was first seeded
    starts from it too."""
    have = {
        name.lower() for name in Theme.objects.filter(region=region).values_list("name", flat=True)
    }
    now = timezone.now()
    added = [
        Theme(region=region, name=name, description=description, keywords=keywords, created_at=now)
        for name, description, keywords in STARTING_THEMES
        if name.lower() not in have
    ]
    Theme.objects.bulk_create(added)
    return len(added)
