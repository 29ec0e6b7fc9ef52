"""Who may see which review (R29, R30). Pages, calendars, exports and feeds all ask these
functions; nothing else decides.

The PCTR calendar is the region's shared timeline (it is sent to Ofsted): anyone holding a
post in one of the region's LAs sees it. A SAV is unannounced: of the host LA only its DCS
learns that one is coming, and only its window, never its team, until the window is over;
the LAs whose 2nd-tier lead leads or quality-assures it (their DCS and 2nd-tier lead) see
it with its team; an uninvolved LA sees nothing of it.
"""

import dataclasses
import datetime

# Self-assessments (R17, R29, R32) ------------------------------------------------------
# The LA writes its self-assessment through its DCS and its 2nd-tier safeguarding lead,
# computed from the posts held on the day (R3), and through the colleagues the DCS names
# (an object grant, kept while they hold a post in the LA). The coordinator reads it once
# submitted. Review teams' reading comes with the desk analysis.
from django.db.models import Q, QuerySet
from django.utils import timezone

from emslirp.models import (
    Post,
    PostKind,
    Region,
    User,
)
from emslirp.permissions import (
    coordinates,
)
from reviews.review.models import (
    Review,
    ReviewKind,
    ReviewState,
    TeamMember,
    TeamRole,
)

# The states of a review whose visit its lead has started.
VISIT_STARTED_STATES = (ReviewState.ON_SITE, ReviewState.AFTER_VISIT)

# The posts through which an LA takes on a SAV's lead or QA role.
SAV_TEAM_POSTS = (PostKind.DCS, PostKind.SAFEGUARDING_LEAD)


@dataclasses.dataclass(frozen=True)
class CalendarScope:
    """What a user's posts on a day give them in a region's calendar."""

    coordinator: bool
    post_las: frozenset[int]
    dcs_las: frozenset[int]
    sav_team_las: frozenset[int]

    @property
    def sees_anything(self) -> bool:
        return self.coordinator or bool(self.post_las)


def calendar_scope(user: User, *, region: Region, on: datetime.date) -> CalendarScope:
    """One query for the user's posts (the coordinator check is cached per request)."""
    if not user.is_authenticated or not user.is_active:
        return CalendarScope(False, frozenset(), frozenset(), frozenset())
    posts = list(
        Post.objects.held_on(on)
        .filter(holder=user, local_authority__region=region)
        .values_list("local_authority_id", "kind")
    )
    return CalendarScope(
        coordinator=coordinates(user, region),
        post_las=frozenset(la for la, _ in posts),
        dcs_las=frozenset(la for la, kind in posts if kind == PostKind.DCS),
        sav_team_las=frozenset(la for la, kind in posts if kind in SAV_TEAM_POSTS),
    )


def calendar_reviews(scope: CalendarScope, *, region: Region, on: datetime.date) -> QuerySet:
    """The reviews of ``region`` whose place in the calendar ``scope`` may see."""
    reviews = Review.objects.filter(host__region=region)
    if scope.coordinator:
        return reviews
    if not scope.post_las:
        return reviews.none()
    sav = Q(kind=ReviewKind.SAV) & (
        Q(host__in=scope.dcs_las)
        | Q(lead_local_authority__in=scope.sav_team_las)
        | Q(qa_local_authority__in=scope.sav_team_las)
        | Q(host__in=scope.post_las, ends_on__lt=on)
    )
    return reviews.filter(Q(kind=ReviewKind.PCTR) | sav)


def sees_team(scope: CalendarScope, review: Review) -> bool:
    """Whether ``scope`` may see which LAs lead and quality-assure ``review`` (R30)."""
    if scope.coordinator or review.kind == ReviewKind.PCTR:
        return True
    return (
        review.lead_local_authority_id in scope.sav_team_las
        or review.qa_local_authority_id in scope.sav_team_las
    )


def can_request_extra_review(scope: CalendarScope) -> bool:
    """An LA asks for an extra PCTR through its DCS (R10)."""
    return bool(scope.dcs_las)


@dataclasses.dataclass(frozen=True)
class ReviewAccess:
    """What one user may see of one review, on a day (R29, R30)."""

    coordinator: bool
    team_role: str | None  # their place on the team, granted when they were placed
    host_dcs: bool
    host_post: bool
    visit_started: bool
    kind_is_pctr: bool = False
    host_leader: bool = False  # the host's DCS or 2nd-tier safeguarding lead

    @property
    def sees_review(self) -> bool:
        # A SAV is the host DCS's to know of (as a window); the host's other staff learn
        # of it once the visit has started (R30).
        return bool(
            self.coordinator
            or self.team_role
            or self.host_dcs
            or (self.host_post and (self.kind_is_pctr or self.visit_started))
        )

    @property
    def host_decides(self) -> bool:
        """The host's DCS or 2nd-tier lead, on a PCTR; on a SAV, once the visit started."""
        return self.host_leader and (self.kind_is_pctr or self.visit_started)

    @property
    def sees_team(self) -> bool:
        """The team's names and the visit's dates: never to the host of a SAV before the
        visit starts (R30)."""
        if self.coordinator or self.team_role:
            return True
        return (self.host_dcs or self.host_post) and (self.kind_is_pctr or self.visit_started)


def review_access(user: User, review: Review, *, on: datetime.date) -> ReviewAccess:
    """Two queries: the user's posts in the host LA that day, and their team place (whose
    rights are the guardian grant their placing made)."""
    if not user.is_authenticated or not user.is_active:
        return ReviewAccess(False, None, False, False, False)
    kinds = set(
        Post.objects.held_on(on)
        .filter(holder=user, local_authority_id=review.host_id)
        .values_list("kind", flat=True)
    )
    place = (
        TeamMember.objects.filter(review=review, person=user).values_list("role", flat=True).first()
    )
    if place is not None and not user.has_perm("reviews.view_review", review):
        place = None  # a place whose grant was withdrawn gives nothing
    return ReviewAccess(
        coordinator=coordinates(user, review.host.region),
        team_role=place,
        host_dcs=PostKind.DCS in kinds,
        host_post=bool(kinds),
        # The visit's recorded start, not its planned first day: a visit postponed that
        # morning stays unannounced (R30).
        visit_started=review.state in VISIT_STARTED_STATES,
        kind_is_pctr=review.kind == ReviewKind.PCTR,
        host_leader=bool(kinds & {PostKind.DCS, PostKind.SAFEGUARDING_LEAD}),
    )


def placeable_roles(access: ReviewAccess) -> frozenset[str]:
    """The team places ``access`` may fill or empty: the coordinator names anyone; the lead
    forms the team, naming the data specialist and the team members (R14)."""
    if access.coordinator:
        return frozenset(TeamRole.values)
    if access.team_role == TeamRole.LEAD:
        return frozenset({TeamRole.DATA_SPECIALIST, TeamRole.MEMBER})
    return frozenset()


def can_place(user: User, review: Review, role: str) -> bool:
    return role in placeable_roles(review_access(user, review, on=timezone.localdate()))


@dataclasses.dataclass(frozen=True)
class IncidentRights:
    read: bool = False  # every incident of the review
    raise_: bool = False
    read_own: bool = False  # the incidents one raised
    sign_as_lead: bool = False
    respond_as_host: bool = False


def incident_rights(access: ReviewAccess) -> IncidentRights:
    """R29's critical incident row: the coordinator and the QA read, the host reads,
    responds and signs, the lead writes and signs, a team member raises one (and reads
    what they raised); the data specialist has no part in it."""
    role = access.team_role
    if role == TeamRole.LEAD:
        return IncidentRights(read=True, raise_=True, read_own=True, sign_as_lead=True)
    if role == TeamRole.MEMBER:
        return IncidentRights(raise_=True, read_own=True)
    if role == TeamRole.QA:
        return IncidentRights(read=True)
    if role is None and access.host_decides:
        return IncidentRights(read=True, respond_as_host=True)
    if access.coordinator:
        return IncidentRights(read=True)
    return IncidentRights()
