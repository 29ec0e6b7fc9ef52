"""Reads of accreditation (R5–R9)."""

import datetime

from django.apps import apps
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from accreditation.deadlines import FLAG_WORKING_DAYS
from accreditation.models import (
    Accreditation,
    AccreditationStatusChange,
    ConflictDeclaration,
    ExpressionOfInterest,
    Role,
    RoleRequest,
    Specialism,
    TrainingSession,
)
from emslirp.models import LocalAuthority, Post, PostKind, Region, User
from emslirp.permissions import coordinated_regions, is_coordinator
from emslirp.selectors import post_holder
from emslirp.text import long_date
from emslirp.working_days import working_days_shift

ACTIVE_STATUSES = (Accreditation.Status.CURRENT, Accreditation.Status.FLAGGED)
# The roles held only while holding a post: a QA AD is an AD (R7).
POST_FOR_ROLE = {
    Role.LEAD_DCS: PostKind.DCS,
    Role.QA_DCS: PostKind.DCS,
    Role.QA_AD: PostKind.SAFEGUARDING_LEAD,
}


def eoi_sponsor(*, application: ExpressionOfInterest, on: datetime.date) -> User | None:
    """The sponsor of ``application`` on ``on``: the DCS of the applicant's LA that day, so
    a successor DCS inherits the applications still waiting (R3, R6)."""
    return post_holder(kind=PostKind.DCS, local_authority=application.local_authority, on=on)


def applicant_local_authorities(*, person: User, on: datetime.date) -> QuerySet[LocalAuthority]:
    """The LAs ``person`` may apply from (R6): those where they hold a post on ``on``;
    someone with no recorded post chooses among their region's LAs of the day."""
    held = LocalAuthority.objects.filter(
        pk__in=Post.objects.held_on(on).filter(holder=person).values("local_authority_id")
    )
    if held.exists():
        return held.order_by("name")
    if person.region_id is None:
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.filter(region_id=person.region_id).active_on(on).order_by("name")


def eoi_open_for(*, person: User) -> ExpressionOfInterest | None:
    """``person``'s application in progress (a draft, or sent and awaiting the sponsor)."""
    return (
        ExpressionOfInterest.objects.filter(
            applicant=person,
            state__in=[ExpressionOfInterest.State.DRAFT, ExpressionOfInterest.State.SUBMITTED],
        )
        .select_related("local_authority")
        .first()
    )


def eoi_latest_for(*, person: User) -> ExpressionOfInterest | None:
    return (
        ExpressionOfInterest.objects.filter(applicant=person)
        .select_related("local_authority")
        .prefetch_related("role_requests")
        .order_by("-created_at", "-pk")
        .first()
    )


def eois_awaiting_sponsor(*, sponsor: User, on: datetime.date) -> QuerySet[ExpressionOfInterest]:
    """The applications waiting for ``sponsor``'s decision: sent from any LA where they are
    DCS on ``on``. One query."""
    las = (
        Post.objects.held_on(on)
        .filter(holder=sponsor, kind=PostKind.DCS)
        .values("local_authority_id")
    )
    return (
        ExpressionOfInterest.objects.filter(
            state=ExpressionOfInterest.State.SUBMITTED, local_authority_id__in=las
        )
        .exclude(applicant=sponsor)
        .select_related("applicant", "local_authority")
        .prefetch_related("role_requests")
        .order_by("submitted_at", "pk")
    )


def is_accredited(*, person: User, role: str, on: datetime.date) -> bool:
    """Whether ``person`` was accredited for ``role`` on ``on``: their latest status from
    that day or before is current or flagged (R7, R8), and for a lead or QA director's
    role, they held the post that day. One query."""
    latest = (
        AccreditationStatusChange.objects.filter(
            accreditation__person=person, accreditation__role=role, effective_on__lte=on
        )
        .order_by("-effective_on", "-pk")
        .values("status")[:1]
    )
    accredited = (
        Accreditation.objects.filter(person=person, role=role, accredited_on__lte=on)
        .annotate(status_on=Subquery(latest))
        .filter(status_on__in=ACTIVE_STATUSES)
    )
    if role in POST_FOR_ROLE:
        # A lead or QA director leads as a director: the role ends with the post.
        held = Post.objects.held_on(on).filter(holder=OuterRef("person"), kind=POST_FOR_ROLE[role])
        accredited = accredited.filter(Exists(held))
    return accredited.exists()


def employment_local_authorities(*, person: User) -> QuerySet[LocalAuthority]:
    """The LAs where ``person`` holds or held a post: a conflict without being declared."""
    return LocalAuthority.objects.filter(
        pk__in=Post.objects.filter(holder=person).values("local_authority_id")
    ).order_by("name")


def conflict_local_authorities(*, person: User) -> QuerySet[LocalAuthority]:
    """The LAs ``person`` may not review (R9): those they declared, and their employment.
    (The pool shows the same set from what it prefetched: ``pool_row``.)"""
    declared = ConflictDeclaration.objects.filter(person=person).values("local_authority_id")
    return (
        LocalAuthority.objects.filter(pk__in=declared) | employment_local_authorities(person=person)
    ).order_by("name")


def pool(
    *,
    region: Region,
    on: datetime.date,
    role: str = "",
    specialism: str = "",
    local_authority: LocalAuthority | None = None,
    status: str = "",
    not_deployed_for: int | None = None,
    free_of_conflict_with: LocalAuthority | None = None,
) -> QuerySet[User]:
    """The people of ``region`` with an accreditation (R9), filtered, each with their
    accreditations, specialisms (from their latest decided application), LA, declared and
    employment conflicts, and the last day of their latest team place (``last_deployed``),
    in a fixed number of queries whatever the page size. ``not_deployed_for`` keeps those
    with no team place ending in the last that many months (0: never deployed). ``status``
    "" keeps those who can be placed (current or flagged), "any" everyone.
    ``free_of_conflict_with`` leaves out anyone from that LA, with a declared conflict
    with it, or with a post there, now or before (R9)."""
    accreditations = Accreditation.objects.filter(person=OuterRef("pk"))
    if role:
        accreditations = accreditations.filter(role=role)
    if status == "any":
        pass
    elif status:
        accreditations = accreditations.filter(status=status)
    else:
        accreditations = accreditations.filter(status__in=ACTIVE_STATUSES)
    latest_application = ExpressionOfInterest.objects.filter(
        applicant=OuterRef("pk"), state=ExpressionOfInterest.State.DECIDED
    ).order_by("-submitted_at", "-pk")
    current_post_la = (
        Post.objects.held_on(on)
        .filter(holder=OuterRef("pk"), local_authority__isnull=False)
        .order_by("-started_on")
        .values("local_authority_id")[:1]
    )
    # Team places are the reviews app's, which is built on this one: asked for by name,
    # not imported. Only reviews whose slot is over count: a place on a review still to
    # come is not a deployment, and would tell the pool's readers that a SAV is coming
    # (R30).
    team_places = (
        apps.get_model("reviews", "TeamMember")
        .objects.filter(person=OuterRef("pk"), review__ends_on__lt=on)
        .order_by("-review__ends_on")
        .values("review__ends_on")[:1]
    )
    people = (
        User.objects.filter(Exists(accreditations), region=region, is_active=True)
        .annotate(
            application_la_id=Subquery(latest_application.values("local_authority_id")[:1]),
            post_la_id=Subquery(current_post_la),
            last_deployed=Subquery(team_places),
        )
        .order_by("full_name", "pk")
    )
    if not_deployed_for == 0:
        people = people.filter(last_deployed__isnull=True)
    elif not_deployed_for:
        since = on - datetime.timedelta(days=round(not_deployed_for * 365.25 / 12))
        people = people.filter(Q(last_deployed__isnull=True) | Q(last_deployed__lt=since))
    if local_authority is not None:
        people = people.filter(
            Q(post_la_id=local_authority.pk)
            | Q(post_la_id__isnull=True, application_la_id=local_authority.pk)
        )
    if free_of_conflict_with is not None:
        # Their LA (by post, else by application); SQL's NULL is never "not equal".
        people = (
            people.annotate(own_la_id=Coalesce("post_la_id", "application_la_id"))
            .filter(Q(own_la_id__isnull=True) | ~Q(own_la_id=free_of_conflict_with.pk))
            .exclude(
                Exists(
                    ConflictDeclaration.objects.filter(
                        person=OuterRef("pk"), local_authority=free_of_conflict_with
                    )
                )
            )
            .exclude(
                Exists(
                    Post.objects.filter(
                        holder=OuterRef("pk"), local_authority=free_of_conflict_with
                    )
                )
            )
        )
    if specialism:
        people = people.filter(
            Exists(
                ExpressionOfInterest.objects.filter(
                    applicant=OuterRef("pk"),
                    state=ExpressionOfInterest.State.DECIDED,
                    specialisms__code=specialism,
                )
            )
        )
    return people.prefetch_related(
        Prefetch(
            "accreditations",
            queryset=Accreditation.objects.order_by("role"),
            to_attr="pool_accreditations",
        ),
        Prefetch(
            "applications",
            queryset=ExpressionOfInterest.objects.filter(state=ExpressionOfInterest.State.DECIDED)
            .order_by("-submitted_at", "-pk")
            .prefetch_related(Prefetch("specialisms", queryset=Specialism.objects.all())),
            to_attr="decided_applications",
        ),
        Prefetch(
            "conflicts",
            queryset=ConflictDeclaration.objects.select_related("local_authority"),
            to_attr="declared_conflicts",
        ),
        Prefetch(
            "posts",
            queryset=Post.objects.filter(local_authority__isnull=False).select_related(
                "local_authority"
            ),
            to_attr="all_posts",
        ),
    )


def pool_row(
    person: User, *, local_authorities: dict[int, LocalAuthority], on: datetime.date | None = None
) -> dict:
    """What the pool shows for one person, from what ``pool`` prefetched (no query). On
    ``on``, a director's accreditation whose post they no longer hold is marked
    ``ended_with_post``: it is shown so, never as current (R7)."""
    la_id = person.post_la_id or person.application_la_id
    if on is not None:
        held = {
            p.kind
            for p in person.all_posts
            if p.started_on <= on and (p.ended_on is None or p.ended_on >= on)
        }
        for accreditation in person.pool_accreditations:
            post = POST_FOR_ROLE.get(accreditation.role)
            accreditation.ended_with_post = post is not None and post not in held
    application = person.decided_applications[0] if person.decided_applications else None
    employment = {p.local_authority for p in person.all_posts}
    declared = {c.local_authority for c in person.declared_conflicts}
    return {
        "person": person,
        "local_authority": local_authorities.get(la_id),
        "accreditations": person.pool_accreditations,
        "specialisms": list(application.specialisms.all()) if application else [],
        "other_specialism": application.other_specialism if application else "",
        "conflicts": sorted(declared | employment, key=lambda la: la.name),
        "last_deployed": person.last_deployed,
    }


def home_items(*, person: User, on: datetime.date) -> dict:
    """What the home page shows of accreditation: their own application and their
    accreditations. Applications waiting for them as sponsor are deadlines
    (``accreditation.deadlines``), listed with the others."""
    accreditations = list(person.accreditations.order_by("role"))
    if any(a.role in POST_FOR_ROLE for a in accreditations):
        held = set(Post.objects.held_on(on).filter(holder=person).values_list("kind", flat=True))
        for accreditation in accreditations:
            post = POST_FOR_ROLE.get(accreditation.role)
            accreditation.ended_with_post = post is not None and post not in held
    return {"application": eoi_latest_for(person=person), "accreditations": accreditations}


def coordinator_decisions(*, person: User, on: datetime.date) -> list[dict]:
    """For a coordinator: the flagged accreditations of their regions whose time to be
    put right has passed (R8), theirs to decide — lapse, suspend or restore — as one item
    of "what needs you". One query (none for anyone else, who coordinates nothing)."""
    if not is_coordinator(person):  # asked once a request: the home page asks it too
        return []
    flagged = Accreditation.objects.filter(
        status=Accreditation.Status.FLAGGED,
        person__region__in=coordinated_regions(person, on=on),
    ).values_list("status_changed_on", flat=True)
    overdue = sorted(
        due for due in (working_days_shift(day, FLAG_WORKING_DAYS) for day in flagged) if due < on
    )
    if not overdue:
        return []
    n = len(overdue)
    return [
        {
            "title": f"Decide on {n} flagged accreditation{'s' if n != 1 else ''} not put "
            "right in time",
            "url": reverse("admin:accreditation_accreditation_changelist")
            + "?status__exact=flagged",
            "due": overdue[0],
        }
    ]


def training_accredits_nothing_because(*, session, person: User) -> str:
    """Why attending the one-day ``session`` accredits ``person`` for nothing, when the
    reason is that their sponsor approved their roles only after it (R6, R7); "" else.
    One query."""
    if session.kind != TrainingSession.Kind.TEAM_DAY:
        return ""
    later = (
        RoleRequest.objects.filter(
            application__applicant=person,
            decision=RoleRequest.Decision.APPROVED,
            decided_on__gt=session.held_on,
        )
        .order_by("decided_on")
        .first()
    )
    if later is None:
        return ""
    return (
        f"{person}'s roles were approved on {long_date(later.decided_on)}, after this "
        f"session on {long_date(session.held_on)}: attending it accredits nothing. Invite "
        "them to a later session."
    )
