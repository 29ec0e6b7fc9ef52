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

from django.db.models import Q, QuerySet
from django.utils import timezone

from emslirp.models import Post, PostKind, Region, User
from emslirp.permissions import coordinates
from reviews.models import (
    Review,
    ReviewKind,
    ReviewState,
    ReviewUserGrant,
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
class HypothesesRights:
    read: bool = False
    write: bool = False
    decide: bool = False
    comment: bool = False


def hypotheses_rights(access: ReviewAccess) -> HypothesesRights:
    """R29's row for draft hypotheses and their negotiation: the coordinator reads; the
    lead and the data specialist write; the QA reads and comments; team members read; the
    host's DCS and 2nd-tier lead read and decide on a PCTR, and of a SAV see nothing
    before the visit. Everyone taking part in the negotiation may comment."""
    role = access.team_role
    if role in (TeamRole.LEAD, TeamRole.DATA_SPECIALIST):
        return HypothesesRights(read=True, write=True, comment=True)
    if role == TeamRole.QA:
        return HypothesesRights(read=True, comment=True)
    if role == TeamRole.MEMBER:
        return HypothesesRights(read=True)
    if access.host_decides:
        return HypothesesRights(read=True, decide=access.kind_is_pctr, comment=access.kind_is_pctr)
    if access.coordinator:
        return HypothesesRights(read=True)
    return HypothesesRights()


# Self-assessments (R17, R29, R32) ------------------------------------------------------
# The LA writes its self-assessment through its DCS and its 2nd-tier safeguarding lead,
# computed from the posts held on the day (R3), and through the colleagues the DCS names
# (an object grant, kept while they hold a post in the LA). The coordinator reads it once
# submitted. Review teams' reading comes with the desk analysis.

from django.db.models import Exists, OuterRef  # noqa: E402

from emslirp.models import LocalAuthority  # noqa: E402
from emslirp.permissions import coordinated_regions  # noqa: E402
from reviews.models import (  # noqa: E402
    SelfAssessment,
    SelfAssessmentState,
    SelfAssessmentUserGrant,
)

SELF_ASSESSMENT_WRITER_POSTS = (PostKind.DCS, PostKind.SAFEGUARDING_LEAD)
# The right a DCS's delegation grants, on one self-assessment (R32).
SELF_ASSESSMENT_DELEGATE_PERM = "reviews.change_selfassessment"
_DELEGATE_CODENAME = "change_selfassessment"


@dataclasses.dataclass(frozen=True)
class SelfAssessmentAccess:
    """What one user may do with one self-assessment, on a day."""

    post_kinds: frozenset[str]  # their posts in the self-assessment's LA that day
    delegate: bool
    coordinator: bool
    submitted: bool
    reviewer: bool = False  # on the team of a review of the LA that it informs

    @property
    def writer_post(self) -> bool:
        return bool(self.post_kinds & set(SELF_ASSESSMENT_WRITER_POSTS))

    @property
    def of_the_la(self) -> bool:
        """A writer through their post or the DCS's delegation, before or after submission."""
        return self.writer_post or self.delegate

    @property
    def can_read(self) -> bool:
        return self.of_the_la or ((self.coordinator or self.reviewer) and self.submitted)

    @property
    def can_write(self) -> bool:
        return self.of_the_la and not self.submitted

    @property
    def can_submit(self) -> bool:
        """Signing off is on behalf of the authority: its DCS or 2nd-tier lead."""
        return self.writer_post and not self.submitted

    @property
    def can_delegate(self) -> bool:
        return PostKind.DCS in self.post_kinds and not self.submitted

    @property
    def can_withdraw_delegation(self) -> bool:
        return PostKind.DCS in self.post_kinds


_NO_SELF_ASSESSMENT_ACCESS = SelfAssessmentAccess(frozenset(), False, False, False)


def self_assessment_access(
    user: User, self_assessment: SelfAssessment, *, on: datetime.date
) -> SelfAssessmentAccess:
    """At most two queries: the user's posts in the LA that day, and, if they hold one, a
    delegation to them; the coordinator check is cached per request. ``self_assessment``
    comes with its ``local_authority`` loaded."""
    if not user.is_authenticated or not user.is_active:
        return _NO_SELF_ASSESSMENT_ACCESS
    kinds = frozenset(
        Post.objects.held_on(on)
        .filter(holder=user, local_authority_id=self_assessment.local_authority_id)
        .values_list("kind", flat=True)
    )
    # A delegation counts while its holder works for the LA: someone who has left keeps
    # nothing of it, and a superuser has no right here that a grant does not give.
    delegate = bool(kinds) and (
        SelfAssessmentUserGrant.objects.filter(
            content_object_id=self_assessment.pk,
            user=user,
            permission__codename=_DELEGATE_CODENAME,
        ).exists()
    )
    submitted = self_assessment.state == SelfAssessmentState.SUBMITTED
    coordinator = (
        not (kinds & set(SELF_ASSESSMENT_WRITER_POSTS) or delegate)
        and submitted
        and coordinates(user, self_assessment.local_authority.region)
    )
    # Every team role reads the submitted self-assessment of the LA it reviews (R29): that
    # of the review's year or the year before.
    year = self_assessment.year
    reviewer = (
        submitted
        and not (kinds or coordinator)
        and TeamMember.objects.filter(
            Exists(
                ReviewUserGrant.objects.filter(
                    content_object=OuterRef("review"),
                    user=user,
                    permission__codename="view_review",
                )
            ),
            person=user,
            review__host_id=self_assessment.local_authority_id,
            review__starts_on__year__in=[year, year + 1],
        ).exists()
    )  # as in review_access: a place whose grant was withdrawn gives nothing
    return SelfAssessmentAccess(kinds, delegate, coordinator, submitted, reviewer)


def can_read_self_assessment(
    user: User, self_assessment: SelfAssessment, on: datetime.date
) -> bool:
    """The LA's writers and the DCS's delegates, before and after submission; the
    coordinator of the LA's region once it is submitted (R29)."""
    return self_assessment_access(user, self_assessment, on=on).can_read


def can_write_self_assessment(
    user: User, self_assessment: SelfAssessment, on: datetime.date
) -> bool:
    return self_assessment_access(user, self_assessment, on=on).can_write


def can_start_self_assessment(
    user: User, local_authority: LocalAuthority, on: datetime.date
) -> bool:
    """The LA's DCS or 2nd-tier lead on the day starts its self-assessment (R17)."""
    if not user.is_authenticated or not user.is_active or not local_authority.is_active_on(on):
        return False
    return (
        Post.objects.held_on(on)
        .filter(
            holder=user,
            local_authority=local_authority,
            kind__in=SELF_ASSESSMENT_WRITER_POSTS,
        )
        .exists()
    )


def self_assessment_local_authorities(user: User, *, on: datetime.date) -> QuerySet:
    """The LAs existing on ``on`` whose self-assessment of ``on``'s year ``user`` may
    write, or start: those where they hold a writer's post that day, and those whose
    self-assessment the DCS delegated to them while they hold a post there. Unevaluated:
    one query when listed, the same rule as ``self_assessment_access``."""
    if not user.is_authenticated or not user.is_active:
        return LocalAuthority.objects.none()
    posts = Post.objects.held_on(on).filter(holder=user, local_authority=OuterRef("pk"))
    delegated = SelfAssessmentUserGrant.objects.filter(
        user=user,
        permission__codename=_DELEGATE_CODENAME,
        content_object__local_authority=OuterRef("pk"),
        content_object__year=on.year,
    )
    return LocalAuthority.objects.active_on(on).filter(
        Exists(posts.filter(kind__in=SELF_ASSESSMENT_WRITER_POSTS))
        | (Exists(posts) & Exists(delegated))
    )


def self_assessments_region(user: User, *, on: datetime.date) -> Region | None:
    """The region whose self-assessments ``user`` follows as its coordinator (R29: each
    read once submitted), or None. One query."""
    if not user.is_authenticated or not user.is_active:
        return None
    return coordinated_regions(user, on=on).order_by("pk").first()


# On site and after (R21–R27, R29) -------------------------------------------------------
# One function per row of R29's table, each answering from a ``ReviewAccess``. The host's
# side is its DCS and 2nd-tier lead (and, for reflections, its DCS alone), and of a SAV
# only once the visit has started (R30): ``ReviewAccess.host_decides``.


@dataclasses.dataclass(frozen=True)
class NotebookRights:
    read: bool = False  # every note, finding and conclusion
    write: bool = False  # add notes and findings, change one's own findings, conclusions
    lead: bool = False  # the pre-visit notes, and any finding
    read_emerging: bool = False
    share_emerging: bool = False


def notebook_rights(access: ReviewAccess) -> NotebookRights:
    """R29's notebook row: the lead, data specialist and team members write (each their
    own, all reading all), the QA reads, the host sees only the emerging issues the lead
    shares (R24); the coordinator sees nothing of it."""
    role = access.team_role
    if role == TeamRole.LEAD:
        return NotebookRights(True, True, True, True, True)
    if role in (TeamRole.DATA_SPECIALIST, TeamRole.MEMBER):
        return NotebookRights(read=True, write=True, read_emerging=True)
    if role == TeamRole.QA:
        return NotebookRights(read=True, read_emerging=True)
    if access.host_decides:
        return NotebookRights(read_emerging=True)
    return NotebookRights()


@dataclasses.dataclass(frozen=True)
class FeedbackRights:
    read: bool = False
    write: bool = False


def verbal_feedback_rights(access: ReviewAccess, *, given: bool) -> FeedbackRights:
    """R29's verbal feedback row: the lead writes, the team reads, the host reads it once
    it has been given; the coordinator sees nothing of it."""
    role = access.team_role
    if role == TeamRole.LEAD:
        return FeedbackRights(read=True, write=True)
    if role in (TeamRole.QA, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER):
        return FeedbackRights(read=True)
    if access.host_decides and given:
        return FeedbackRights(read=True)
    return FeedbackRights()


@dataclasses.dataclass(frozen=True)
class LetterRights:
    read_draft: bool = False
    write: bool = False  # draft, change, send to the QA, share, issue: the lead
    proofread: bool = False  # the QA
    read_final: bool = False
    comment: bool = False  # the host's DCS, on the draft shared with them (R23, R24)


def letter_rights(access: ReviewAccess, *, shared: bool, final: bool) -> LetterRights:
    """R29's letter rows: the lead writes the draft, the QA reads and approves it, the
    host reads it once shared; the final letter (and its PDF) is read by the coordinator
    (the SDSA's reference copy), the host and the whole team."""
    role = access.team_role
    if role == TeamRole.LEAD:
        return LetterRights(read_draft=True, write=True, read_final=final)
    if role == TeamRole.QA:
        return LetterRights(read_draft=True, proofread=True, read_final=final)
    if role in (TeamRole.DATA_SPECIALIST, TeamRole.MEMBER):
        return LetterRights(read_final=final)
    if access.host_decides:
        return LetterRights(
            read_draft=shared,
            read_final=final,
            comment=shared and not final and access.host_dcs,
        )
    if access.coordinator:
        return LetterRights(read_final=final)
    return LetterRights()


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


@dataclasses.dataclass(frozen=True)
class EscalationRights:
    read: bool = False
    raise_: bool = False  # the host
    respond: bool = False  # the lead
    adjudicate: bool = False  # the QA


def escalation_rights(access: ReviewAccess) -> EscalationRights:
    """R26: the host raises a concern, the lead works on it, the QA adjudicates; the
    coordinator reads the outcome. Nobody else on the team is party to it."""
    role = access.team_role
    if role == TeamRole.LEAD:
        return EscalationRights(read=True, respond=True)
    if role == TeamRole.QA:
        return EscalationRights(read=True, adjudicate=True)
    if role is None and access.host_decides:
        return EscalationRights(read=True, raise_=True)
    if access.coordinator:
        return EscalationRights(read=True)
    return EscalationRights()


@dataclasses.dataclass(frozen=True)
class ReflectionRights:
    write_own: bool = False
    read_composite: bool = False
    see_completion: bool = False


# The roles that reflect: those on site (the QA follows the review from outside it).
REFLECTING_ROLES = (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER)


def reflection_rights(access: ReviewAccess) -> ReflectionRights:
    """R27 and R29's last row: each member on site and the host DCS write their own and
    read the whole team's composite; the QA sees who has completed, never what anyone
    wrote; nobody else sees anything of it."""
    role = access.team_role
    if role in REFLECTING_ROLES:
        return ReflectionRights(write_own=True, read_composite=True)
    if role == TeamRole.QA:
        return ReflectionRights(see_completion=True)
    if role is None and access.host_dcs and (access.kind_is_pctr or access.visit_started):
        return ReflectionRights(write_own=True, read_composite=True)
    return ReflectionRights()
