"""The deadline of the annual self-assessment (R17, R37)."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse

from emslirp.deadlines import Deadline
from emslirp.models import LocalAuthority, Post, User
from emslirp.selectors import local_authorities_held, post_holders_by_local_authority
from emslirp.working_days import working_day_on_or_before
from reviews.self_assessment.models import (
    SelfAssessment,
    SelfAssessmentState,
    SelfAssessmentUserGrant,
)
from reviews.self_assessment.permissions import _DELEGATE_CODENAME, SELF_ASSESSMENT_WRITER_POSTS

# Self-assessments (R17) -----------------------------------------------------------------


def self_assessment_due_on(year: int) -> datetime.date:
    """The day each LA's self-assessment of ``year`` is due: the setting's day
    (SELF_ASSESSMENT_DUE, month and day), or the working day before it (R17, R36)."""
    month, day = settings.SELF_ASSESSMENT_DUE
    return working_day_on_or_before(datetime.date(year, month, day))


def self_assessments(
    *, on: datetime.date, subject: str | None = None, person: User | None = None
) -> list[Deadline]:
    """Every LA existing on ``on`` whose self-assessment of ``on``'s year is not yet
    submitted: for its DCS, 2nd-tier lead and the colleagues the DCS delegated it to who
    still hold a post there (as ``permissions.self_assessment_local_authorities``).
    Three queries."""
    year = on.year
    this_year = SelfAssessment.objects.filter(local_authority=OuterRef("pk"), year=year).order_by()
    las = (
        LocalAuthority.objects.active_on(on)
        .annotate(
            sa_pk=Subquery(this_year.values("pk")[:1]),
            sa_state=Subquery(this_year.values("state")[:1]),
        )
        .filter(Q(sa_state__isnull=True) | ~Q(sa_state=SelfAssessmentState.SUBMITTED))
        .order_by("name")
    )
    if subject is not None:
        la_pk, _, sa_year = subject.partition("/")
        if sa_year != str(year) or not la_pk.isdigit():
            return []
        las = las.filter(pk=int(la_pk))
    if person is not None:
        las = las.filter(pk__in=local_authorities_held(person=person, on=on))
    las = list(las)
    if not las:
        return []
    writers = post_holders_by_local_authority(
        kinds=SELF_ASSESSMENT_WRITER_POSTS, local_authority_ids=[la.pk for la in las], on=on
    )
    grants = (
        SelfAssessmentUserGrant.objects.filter(
            permission__codename=_DELEGATE_CODENAME,
            content_object__year=year,
            content_object__local_authority__in=[la.pk for la in las],
        )
        .filter(
            Exists(
                Post.objects.held_on(on).filter(
                    holder=OuterRef("user"),
                    local_authority=OuterRef("content_object__local_authority"),
                )
            )
        )
        .select_related("user", "content_object")
    )
    delegates: dict[int, list] = {}
    for grant in grants:
        delegates.setdefault(grant.content_object.local_authority_id, []).append(grant.user)
    due = self_assessment_due_on(year)
    out = []
    for la in las:
        people = {p.pk: p for p in writers.get(la.pk, []) + delegates.get(la.pk, [])}
        if la.sa_pk is None:
            title = f"Start the self-assessment of {la} for {year}"
            url = reverse("reviews:self_assessment_index")
        else:
            title = f"Carry on with the self-assessment of {la} for {year}"
            url = reverse("reviews:self_assessment", args=[la.sa_pk])
        out.append(
            Deadline(
                kind="self_assessment",
                subject=f"{la.pk}/{year}",
                title=title,
                due_on=due,
                url=url,
                region_id=la.region_id,
                recipients=tuple(sorted(people.values(), key=lambda p: (p.full_name, p.pk))),
            )
        )
    return out
