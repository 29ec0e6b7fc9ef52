"""Reads of reviews and their teams (R14–R16)."""

import datetime

from django.db.models import Q
from django.urls import reverse

from accreditation.models import Accreditation, ExpressionOfInterest, Role
from accreditation.selectors import pool, pool_row
from emslirp.models import LocalAuthority, Post, PostKind, User
from reviews.review import permissions
from reviews.review.deadlines import hypotheses_draft_due_on
from reviews.review.models import (
    SINGLE_ROLES,
    Review,
    ReviewKind,
    ReviewState,
    TeamMember,
    TeamRole,
)
from reviews.review.teams import (
    ACCREDITATION_FOR,
    DAYS,
    MEMBERS,
    ROLE_NAMES,
    days_total,
    place_waits,
)


def person_local_authority(*, person: User, on: datetime.date) -> LocalAuthority | None:
    """The LA a person comes from on ``on``: where they hold a post that day, else the LA
    of their latest decided application. One or two queries."""
    post = (
        Post.objects.held_on(on)
        .filter(holder=person, local_authority__isnull=False)
        .select_related("local_authority")
        .order_by("-started_on", "pk")
        .first()
    )
    if post is not None:
        return post.local_authority
    application = (
        ExpressionOfInterest.objects.filter(
            applicant=person, state=ExpressionOfInterest.State.DECIDED
        )
        .select_related("local_authority")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    return application.local_authority if application else None


def team_of(review: Review) -> list[TeamMember]:
    """The review's team, lead first. One query."""
    order = {TeamRole.LEAD: 0, TeamRole.DATA_SPECIALIST: 1, TeamRole.MEMBER: 2, TeamRole.QA: 3}
    members = list(review.team.select_related("person", "local_authority"))
    return sorted(members, key=lambda m: (order[m.role], m.person.full_name, m.pk))


def team_places(review: Review, team: list[TeamMember]) -> list[dict]:
    """Each place of the team with who fills it and the days it commits (R16): one row per
    single role and one per team member's place, filled or open."""
    rows = []
    for role in (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER, TeamRole.QA):
        holders = [m for m in team if m.role == role]
        places = 1 if role in SINGLE_ROLES else MEMBERS[review.kind]
        for n in range(places):
            rows.append(
                {
                    "role": role,
                    "name": ROLE_NAMES[review.kind][role],
                    "member": holders[n] if n < len(holders) else None,
                    "days": days_total(review.kind, role),
                    "parts": DAYS[review.kind][role],
                    "waits": place_waits(review, role, team),
                }
            )
    return rows


def team_suggestions(*, review: Review, role: str, on: datetime.date, limit: int = 10) -> list:
    """Accredited people who may take ``role`` on ``review``, best first: those whose
    specialisms cover most of the expertise the hypotheses to be investigated need, then
    those deployed least recently (never first), then by name (R14). Those the rules would
    refuse (from the host LA, in conflict with it, from an LA already on the team as a
    member, already on the team) are left out. A fixed number of queries."""
    accreditation = ACCREDITATION_FOR[review.kind][role]
    people = list(
        pool(region=review.host.region, on=on, role=accreditation).filter(
            Q(accreditations__role=accreditation)
            & Q(
                accreditations__status__in=[
                    Accreditation.Status.CURRENT,
                    Accreditation.Status.FLAGGED,
                ]
            )
        )
    )
    las = {la.pk: la for la in LocalAuthority.objects.filter(region=review.host.region)}
    team = list(review.team.all())
    on_team = {m.person_id for m in team}
    member_las = {m.local_authority_id for m in team if m.role == TeamRole.MEMBER}
    lead_la = next((m.local_authority_id for m in team if m.role == TeamRole.LEAD), None)
    # The expertise the hypotheses to be investigated need: as decided, or as proposed
    # while the decision is awaited.
    needed = set(
        review.hypotheses.filter(
            Q(decision="investigate") | Q(decision="", proposal="investigate")
        ).values_list("specialisms", flat=True)
    ) - {None}
    out = []
    for person in people:
        row = pool_row(person, local_authorities=las)
        la = row["local_authority"]
        if person.pk in on_team or la is None or la.pk == review.host_id:
            continue
        if review.host in row["conflicts"]:
            continue
        if role == TeamRole.MEMBER and la.pk in member_las:
            continue
        if role == TeamRole.DATA_SPECIALIST and lead_la is not None and la.pk != lead_la:
            continue
        planned = {
            TeamRole.LEAD: review.lead_local_authority_id,
            TeamRole.QA: review.qa_local_authority_id,
        }.get(role)
        if planned is not None and la.pk != planned:
            continue
        row["covers"] = len({s.pk for s in row["specialisms"]} & needed)
        # A flagged accreditation still places, but the coordinator or lead is told (R8).
        row["flagged"] = any(
            a.role == accreditation and a.status == Accreditation.Status.FLAGGED
            for a in row["accreditations"]
        )
        out.append(row)
    out.sort(
        key=lambda r: (
            -r["covers"],
            r["last_deployed"] or datetime.date.min,
            r["person"].full_name,
            r["person"].pk,
        )
    )
    return out[:limit]


def home_items(*, person: User, on: datetime.date) -> dict:
    """What the home page shows of reviews: the person's team places on reviews not long
    over; in "what needs you", the lead's and data specialist's hypotheses to draft and
    a lead's team with open places. The host's decision on hypotheses is a deadline
    (``reviews.deadlines``), listed with the others. One query."""
    from django.db.models import Count

    places = list(
        TeamMember.objects.filter(
            person=person, review__ends_on__gte=on - datetime.timedelta(days=366)
        )
        .select_related("review__host")
        .annotate(
            data_placed=Count(
                "review__team",
                filter=Q(review__team__role=TeamRole.DATA_SPECIALIST),
                distinct=True,
            ),
            members_placed=Count(
                "review__team", filter=Q(review__team__role=TeamRole.MEMBER), distinct=True
            ),
            drafted=Count("review__hypotheses", distinct=True),
        )
        .order_by("review__starts_on", "pk")
    )
    needs_you = []
    for place in places:
        review = place.review
        place.role_name = ROLE_NAMES[review.kind][place.role]
        if (
            place.role in (TeamRole.LEAD, TeamRole.DATA_SPECIALIST)
            and review.state == ReviewState.PREPARING
            and not place.drafted
        ):
            needs_you.append(
                {
                    "title": f"Draft the hypotheses for the {review.get_kind_display()} "
                    f"of {review.host}",
                    "url": reverse("reviews:hypotheses", args=[review.pk]),
                    "due": hypotheses_draft_due_on(review),
                }
            )
        # Asked while a place the lead names is open and can be filled now: the data
        # specialist, and the members once they may join (R14).
        lead_can_fill = not place.data_placed or (
            place.members_placed < MEMBERS[review.kind] and not place_waits(review, TeamRole.MEMBER)
        )
        if (
            place.role == TeamRole.LEAD
            and lead_can_fill
            and review.state != ReviewState.AFTER_VISIT
            and review.ends_on >= on
        ):
            needs_you.append(
                {
                    "title": f"Form the team for the {review.get_kind_display()} of {review.host}",
                    "url": reverse("reviews:review", args=[review.pk]),
                    "due": review.starts_on,
                }
            )
    return {"needs_you": needs_you, "team_places": places}


# Who is told, and who acts: the review's people by their place ------------------------

# The host's side of a review: its DCS and its 2nd-tier safeguarding lead (R19, R25, R26).
HOST_LEADER_POSTS = (PostKind.DCS, PostKind.SAFEGUARDING_LEAD)


def team_in(review: Review, *roles: str) -> list[User]:
    """The people holding ``roles`` on the review's team. One query."""
    return [
        m.person
        for m in TeamMember.objects.filter(review=review, role__in=roles).select_related("person")
    ]


def lead_of(review: Review) -> User | None:
    people = team_in(review, TeamRole.LEAD)
    return people[0] if people else None


def host_leaders(review: Review, *, on: datetime.date) -> list[User]:
    """The host's DCS and 2nd-tier safeguarding lead on ``on``: rights and notices follow
    the post holders of the day (R3). One query."""
    posts = (
        Post.objects.held_on(on)
        .filter(local_authority_id=review.host_id, kind__in=HOST_LEADER_POSTS)
        .select_related("holder")
    )
    holders = {post.holder_id: post.holder for post in posts}
    return sorted(holders.values(), key=lambda p: (p.full_name, p.pk))


def no_suggestion_reason(*, review: Review, role: str, on: datetime.date) -> str:
    """Why nobody is suggested for ``role``, naming the real reason where it is the LA the
    place must come from (R14, R15): the data specialist from the lead's LA, the lead and
    the QA from the LAs the calendar planned. Two queries at most."""
    names = ROLE_NAMES[review.kind]
    accreditation = ACCREDITATION_FOR[review.kind][role]
    if role == TeamRole.DATA_SPECIALIST:
        lead = review.team.filter(role=TeamRole.LEAD).select_related("local_authority").first()
        source = lead.local_authority if lead is not None else None
        why = "the data specialist comes from the lead's LA"
    else:
        source = {
            TeamRole.LEAD: review.lead_local_authority,
            TeamRole.QA: review.qa_local_authority,
        }.get(role)
        why = f"the calendar gives the {names[role]} place to {source}"
    if source is not None:
        accredited = [
            row
            for row in pool(region=review.host.region, on=on, role=accreditation)
            if (row.post_la_id or row.application_la_id) == source.pk
        ]
        if not accredited:
            return (
                f"Nobody from {source} is accredited as {Role(accreditation).label}, and "
                f"{why}. {source}'s DCS sponsors someone's application, and the coordinator "
                "records their training."
            )
    return (
        f"Nobody in the pool can take this place: they are all from {review.host}, in "
        "conflict with it, already on the team or not accredited for it."
    )


def hosted_reviews(*, local_authority_ids: list[int], on: datetime.date) -> list[Review]:
    """The reviews of the LAs whose DCS or 2nd-tier lead the person is, for their home
    page: a PCTR from its planning, a SAV only once its visit has started (R30); those
    not long over. One query; none when they lead no LA."""
    if not local_authority_ids:
        return []
    return list(
        Review.objects.filter(
            host_id__in=local_authority_ids, ends_on__gte=on - datetime.timedelta(days=366)
        )
        .filter(
            Q(kind=ReviewKind.PCTR)
            | Q(kind=ReviewKind.SAV, state__in=permissions.VISIT_STARTED_STATES)
        )
        .select_related("host")
        .order_by("starts_on", "pk")
    )
