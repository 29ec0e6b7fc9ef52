"""Who sees regional intelligence, and how much (R28, R29).

The coordinator of a region sees everything for it, LA by LA. A DCS sees their own LA in
full and the rest of their region only in aggregate: never a figure that could point at
what another LA's letter or self-assessment said. A figure resting on fewer than
``MIN_LAS_BEHIND_A_FIGURE`` LAs is withheld from them, and a total they see is the sum of
the figures they see, so no hidden figure can be worked out by subtraction.
"""

import dataclasses
import datetime

from emslirp.models import LocalAuthority, Post, PostKind, Region, User
from emslirp.permissions import coordinates

MIN_LAS_BEHIND_A_FIGURE = 3


@dataclasses.dataclass(frozen=True)
class IntelligenceScope:
    """What one user may see of one region's intelligence, on a day."""

    region: Region
    coordinator: bool
    own_local_authority_ids: frozenset[int]

    def sees_local_authority(self, local_authority_id: int) -> bool:
        """Whether every figure of this LA, named, is theirs to see."""
        return self.coordinator or local_authority_id in self.own_local_authority_ids

    def shows_figure(self, local_authority_ids) -> bool:
        """Whether an aggregate resting on these LAs may be shown: always to the
        coordinator; to a DCS only when at least three LAs are behind it, or when it
        rests on their own LA alone."""
        behind = frozenset(local_authority_ids)
        if self.coordinator:
            return True
        if behind and behind <= self.own_local_authority_ids:
            return True
        return len(behind) >= MIN_LAS_BEHIND_A_FIGURE


def intelligence_scope(
    user: User, region: Region, *, on: datetime.date
) -> IntelligenceScope | None:
    """The user's scope of ``region``'s intelligence, or None if they have none: the
    region's coordinator, or a DCS of one of its LAs on ``on``."""
    if not user.is_authenticated or not user.is_active:
        return None
    if coordinates(user, region):
        return IntelligenceScope(region, True, frozenset())
    own = frozenset(
        Post.objects.held_on(on)
        .filter(holder=user, kind=PostKind.DCS, local_authority__region=region)
        .values_list("local_authority_id", flat=True)
    )
    if not own:
        return None
    return IntelligenceScope(region, False, own)


def intelligence_regions(user: User, *, on: datetime.date) -> list[Region]:
    """The regions whose intelligence ``user`` may open: those they coordinate and those
    where they are a DCS."""
    if not user.is_authenticated or not user.is_active:
        return []
    region_ids = set(
        Post.objects.held_on(on)
        .filter(holder=user, kind=PostKind.COORDINATOR)
        .values_list("region_id", flat=True)
    ) | set(
        LocalAuthority.objects.filter(
            pk__in=Post.objects.held_on(on)
            .filter(holder=user, kind=PostKind.DCS)
            .values("local_authority_id")
        ).values_list("region_id", flat=True)
    )
    return list(Region.objects.filter(pk__in=region_ids).order_by("name"))


def can_keep_themes(user: User, region: Region) -> bool:
    """Only the region's coordinator keeps its themes and tags its letters (R28)."""
    return bool(user.is_authenticated and user.is_active and coordinates(user, region))
