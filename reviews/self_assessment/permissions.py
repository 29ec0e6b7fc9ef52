"""Who may read, write and start a self-assessment, and delegate it (R17, R29, R32)."""

import dataclasses
import datetime

# Self-assessments (R17, R29, R32) ------------------------------------------------------
# The LA writes its self-assessment through its DCS and its 2nd-tier safeguarding lead,
# computed from the posts held on the day (R3), and through the colleagues the DCS names
# (an object grant, kept while they hold a post in the LA). The coordinator reads it once
# submitted. Review teams' reading comes with the desk analysis.
from django.db.models import Exists, OuterRef, QuerySet

from emslirp.models import (
    LocalAuthority,
    Post,
    PostKind,
    Region,
    User,
)
from emslirp.permissions import (
    coordinated_regions,
    coordinates,
)
from reviews.review.models import (
    ReviewUserGrant,
    TeamMember,
)
from reviews.self_assessment.models import (
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
