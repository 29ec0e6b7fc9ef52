"""Reads of self-assessments (R17, R32)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from emslirp.models import LocalAuthority, Post, Region, User
from emslirp.object_permissions import object_grantees
from reviews.self_assessment import content as fields
from reviews.self_assessment import permissions
from reviews.self_assessment.models import (
    SelfAssessment,
    SelfAssessmentRevision,
    SelfAssessmentState,
    SelfAssessmentTemplate,
)


def self_assessment_get(*, pk: int) -> SelfAssessment:
    """One self-assessment with what its pages show of it. One query; DoesNotExist."""
    return SelfAssessment.objects.select_related(
        "template", "local_authority__region", "updated_by", "submitted_by"
    ).get(pk=pk)


def self_assessment_places(*, person: User, on: datetime.date) -> list[dict]:
    """The LAs whose self-assessment for ``on``'s year ``person`` may write or start (one,
    nearly always), each with that self-assessment or None. Two queries."""
    las = list(permissions.self_assessment_local_authorities(person, on=on).order_by("name"))
    found = {
        sa.local_authority_id: sa
        for sa in SelfAssessment.objects.filter(
            local_authority__in=las, year=on.year
        ).select_related("updated_by", "submitted_by")
    }
    return [{"local_authority": la, "self_assessment": found.get(la.pk)} for la in las]


def self_assessment_merge(
    *, self_assessment: SelfAssessment, base_revision: int, mine: dict
) -> dict:
    """What a refused save meets: ``values``, the person's answers with the others'
    changes to the fields they left alone; ``conflicts``, the fields both changed, with
    the others' text (``theirs``); who saved since (``savers``, latest first) and the
    ``revision`` a new save is based on. One query."""
    revisions = list(
        SelfAssessmentRevision.objects.filter(
            self_assessment=self_assessment, number__gte=base_revision
        )
        .select_related("saved_by")
        .order_by("number")
    )
    current = fields.content_of(self_assessment)
    base = revisions[0].content if revisions and revisions[0].number == base_revision else {}
    values, conflicts = fields.three_way_merge(base=base, mine=mine, theirs=current)
    savers = []
    for revision in reversed(revisions[1:]):
        if all(s["person"] != revision.saved_by for s in savers):
            savers.append({"person": revision.saved_by, "at": revision.saved_at})
    return {
        "values": values,
        "conflicts": conflicts,
        "theirs": {key: current[key] for key in conflicts},
        "savers": savers,
        "revision": self_assessment.revision,
    }


def self_assessment_delegates(*, self_assessment: SelfAssessment) -> QuerySet[User]:
    """The colleagues the DCS named (R32), whether or not they still work for the LA."""
    return object_grantees(perm=permissions.SELF_ASSESSMENT_DELEGATE_PERM, obj=self_assessment)


def self_assessment_delegate_candidates(
    *, self_assessment: SelfAssessment, on: datetime.date
) -> QuerySet[User]:
    """Whom the DCS may name: the people holding a post in the LA on ``on``, other than
    its DCS and 2nd-tier lead (who write already) and those named. One query."""
    posts = Post.objects.held_on(on).filter(local_authority_id=self_assessment.local_authority_id)
    writers = posts.filter(kind__in=permissions.SELF_ASSESSMENT_WRITER_POSTS).values("holder_id")
    named = self_assessment_delegates(self_assessment=self_assessment).values("pk")
    return (
        User.objects.filter(pk__in=posts.values("holder_id"), is_active=True)
        .exclude(Q(pk__in=writers) | Q(pk__in=named))
        .order_by("full_name", "pk")
    )


def self_assessments_of_region(*, region: Region, year: int) -> list[dict]:
    """Each LA of ``region`` that existed in ``year``, with its self-assessment for that
    year or None, by name. Two queries."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    las = list(
        LocalAuthority.objects.filter(region=region, active_from__lte=last)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=first))
        .order_by("name")
    )
    found = {
        sa.local_authority_id: sa
        for sa in SelfAssessment.objects.filter(local_authority__in=las, year=year).select_related(
            "submitted_by"
        )
    }
    return [{"local_authority": la, "self_assessment": found.get(la.pk)} for la in las]


def self_assessment_for_review_among(self_assessments, review) -> SelfAssessment | None:
    """Of ``self_assessments`` (its host's, any order), the one a review reads (R18) and
    its ratings are set against (R39): of the review's year or an earlier one, the latest
    the host submitted before the visit's first on-site day (any, while the days are not
    set: the visit is still to come). Never one given after the visit: a rating given after
    hearing the team says nothing of self-awareness. No query: pages listing many reviews
    load the LA's self-assessments once."""
    visit = review.onsite_from
    before = [
        sa
        for sa in self_assessments
        if sa.local_authority_id == review.host_id
        and sa.state == SelfAssessmentState.SUBMITTED
        and sa.year <= review.starts_on.year
        and sa.submitted_at is not None
        and (visit is None or timezone.localdate(sa.submitted_at) < visit)
    ]
    return max(before, key=lambda sa: (sa.year, sa.submitted_at), default=None)


def self_assessment_for_review(review) -> SelfAssessment | None:
    """The host's self-assessment a review's ratings are set against (R39), with its
    template: see ``self_assessment_for_review_among``. One query."""
    return self_assessment_for_review_among(
        SelfAssessment.objects.filter(
            local_authority_id=review.host_id, state=SelfAssessmentState.SUBMITTED
        ).select_related("template"),
        review,
    )


def self_assessment_template_of(self_assessment: SelfAssessment | None) -> SelfAssessmentTemplate:
    """The template whose areas and scale a review's ratings are read on: that of the
    self-assessment they are set against, else the latest version. At most one query."""
    if self_assessment is not None:
        return self_assessment.template
    return SelfAssessmentTemplate.objects.latest()
