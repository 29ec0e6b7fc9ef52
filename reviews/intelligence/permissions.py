"""Who sees regional intelligence, and how much (R28, R29).

The coordinator of a region sees everything for it, LA by LA. A DCS sees their own LA in
full and the rest of their region only in aggregate: never a figure that could point at
what another LA's letter or self-assessment said. A figure resting on fewer than
``MIN_LAS_BEHIND_A_FIGURE`` LAs besides their own is withheld from them, and a total they
see is the sum of the figures they see, so no hidden figure can be worked out by
subtraction.
"""

import dataclasses
import datetime

from emslirp.models import LocalAuthority, Post, PostKind, Region, User
from emslirp.permissions import coordinates
from reviews.review.models import TeamRole

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
        """Whether a figure of the region resting on these LAs may be shown: always to
        the coordinator; to a DCS only when at least three LAs besides their own are
        behind it. Their own LA's figure stands beside the region's, so a figure of their
        own and two others would give the two others' by subtraction; and their own LA
        alone is not enough either, so a gap never tells "no other LA" from "one or
        two"."""
        if self.coordinator:
            return True
        others = frozenset(local_authority_ids) - self.own_local_authority_ids
        return len(others) >= MIN_LAS_BEHIND_A_FIGURE


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


# Follow-up and self-awareness (R38, R39) ----------------------------------------------
# Who sees an LA's agreed actions followed up and its self-ratings beside the teams'
# views: its own leaders and its region's coordinator, never another LA's DCS.

FOLLOW_UP_TEAM_ROLES = (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.QA)


def sees_self_awareness(user: User, local_authority: LocalAuthority, *, on: datetime.date) -> bool:
    """The LA's DCS and 2nd-tier safeguarding lead on ``on``, and its region's
    coordinator (R39). One or two queries."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Post.objects.held_on(on).filter(
        holder=user,
        local_authority=local_authority,
        kind__in=(PostKind.DCS, PostKind.SAFEGUARDING_LEAD),
    ).exists() or coordinates(user, local_authority.region)


def sees_follow_up_in_self_assessment(access) -> bool:
    """Who sees the agreed actions carried into a self-assessment (R38), from its
    ``SelfAssessmentAccess``: the LA's writers and delegates, and the coordinator once it
    is submitted."""
    return access.of_the_la or (access.coordinator and access.submitted)


def records_follow_up_in_self_assessment(access) -> bool:
    """Those who write the self-assessment record progress in it, until it is submitted."""
    return access.can_write


def sees_follow_up_in_review(access) -> bool:
    """Who sees the agreed actions carried into a review's desk analysis (R38), from its
    ``ReviewAccess``: the lead, the data specialist and the QA, who draft and check the
    hypotheses; the coordinator; and the host's DCS and 2nd-tier lead of a PCTR. A SAV's
    desk analysis is never the host's: they report in their self-assessment (R30)."""
    return bool(
        access.team_role in FOLLOW_UP_TEAM_ROLES
        or access.coordinator
        or (access.kind_is_pctr and access.host_decides)
    )


def records_follow_up_in_review(access) -> bool:
    """The host's DCS and 2nd-tier lead of a PCTR record progress in its desk analysis."""
    return bool(access.kind_is_pctr and access.host_decides)
