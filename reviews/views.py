"""Pages of a review: its place in the calendar and its team (R14–R16, R29, R30)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from emslirp.forms import form_errors_add
from emslirp.models import PostKind, User
from emslirp.permissions import coordinated_regions
from emslirp.selectors import post_holder
from reviews import hypotheses as hypotheses_service
from reviews import permissions, selectors, services, states
from reviews.forms import (
    CommentForm,
    ConferenceCallForm,
    DecisionsForm,
    DeploymentForm,
    DisagreementForm,
    HypothesesForm,
    MethodsForm,
    OnsiteForm,
    ReviewFilterForm,
    TeamPlaceForm,
)
from reviews.models import (
    SINGLE_ROLES,
    Deployment,
    Review,
    ReviewState,
    SelfAssessment,
    SelfAssessmentState,
    TeamMember,
    TeamRole,
)
from reviews.teams import ACCREDITATION_FOR, MEMBERS, ROLE_NAMES


def _review(request, pk):
    """The review and what the user may see of it; 404 for anyone who may see nothing,
    alike for a review that exists and one that does not (R29, R30)."""
    review = get_object_or_404(Review.objects.select_related("host__region"), pk=pk)
    today = timezone.localdate()
    access = permissions.review_access(request.user, review, on=today)
    if not access.sees_review:
        raise Http404
    return review, access, today


@login_required
def _review_page(
    request,
    review,
    access,
    today,
    *,
    role="",
    form=None,
    suggestions=None,
    onsite_form=None,
    status=200,
):
    """The review page: its slot and, for those who may see it, its team with the days each
    role commits, and the forms its coordinator and lead use."""
    team = selectors.team_of(review) if access.sees_team else []
    places = selectors.team_places(review, team) if access.sees_team else []
    allowed = permissions.placeable_roles(access)
    placeable = [
        r
        for r in (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER, TeamRole.QA)
        if r in allowed
        and any(p["role"] == r and p["member"] is None and not p["waits"] for p in places)
    ]
    if role in placeable and form is None:
        suggestions = selectors.team_suggestions(review=review, role=role, on=today)
        form = TeamPlaceForm(
            suggestions=suggestions,
            role_name=ROLE_NAMES[review.kind][role],
            region=review.host.region,
            role_accreditation=ACCREDITATION_FOR[review.kind][role],
        )
    sets_onsite = (
        access.coordinator or access.team_role == TeamRole.LEAD
    ) and review.state not in (ReviewState.ON_SITE, ReviewState.AFTER_VISIT)
    # Made only for those who set the days: the form holds them, which a SAV's host must
    # never see before the visit (R30).
    if sets_onsite and onsite_form is None:
        onsite_form = OnsiteForm(
            initial={"first_day": review.onsite_from}, example=_onsite_example(review, today)
        )
    return render(
        request,
        "reviews/review.html",
        {
            "review": review,
            "access": access,
            "places": places,
            "placeable": [(r, ROLE_NAMES[review.kind][r]) for r in placeable],
            # Why places shown "Not yet" cannot be filled, each said once.
            "places_wait": list(dict.fromkeys(p["waits"] for p in places if p["waits"])),
            "role": role,
            "role_name": ROLE_NAMES[review.kind].get(role, ""),
            "form": form,
            "suggestions": suggestions,
            "no_suggestion": (
                selectors.no_suggestion_reason(review=review, role=role, on=today)
                if form is not None and not suggestions
                else ""
            ),
            # Before the visit starts only: then the team is part of the record.
            "removable": {m.pk for m in team if m.role in allowed}
            if review.state not in (ReviewState.ON_SITE, ReviewState.AFTER_VISIT)
            else set(),
            "can_read_hypotheses": permissions.hypotheses_rights(access).read,
            "visit_links": selectors.visit_links(review, access) if access.sees_team else [],
            # "Start the visit" is offered from its first on-site day, when it can work.
            "next_states": [
                (state, ReviewState(state).label)
                for state, who in states.TRANSITIONS[ReviewState(review.state)].items()
                if who == "lead"
                and access.team_role == TeamRole.LEAD
                and (
                    state != ReviewState.ON_SITE
                    or (review.onsite_from is not None and review.onsite_from <= today)
                )
            ],
            "starts_later": (
                access.team_role == TeamRole.LEAD
                and ReviewState.ON_SITE in states.TRANSITIONS[ReviewState(review.state)]
                and (review.onsite_from is None or review.onsite_from > today)
            ),
            "history": review.state_changes.select_related("by") if access.sees_team else [],
            "sets_onsite": sets_onsite,
            "onsite_form": onsite_form if sets_onsite else None,
        },
        status=status,
    )


@login_required
def review(request, pk):
    """A review's page; a POST places someone on the team, chosen from the suggestions."""
    review, access, today = _review(request, pk)
    role = request.GET.get("role") or request.POST.get("role") or ""
    if request.method != "POST":
        return _review_page(request, review, access, today, role=role)
    if role not in permissions.placeable_roles(access):
        raise PermissionDenied
    suggestions = selectors.team_suggestions(review=review, role=role, on=today)
    form = TeamPlaceForm(
        request.POST,
        suggestions=suggestions,
        role_name=ROLE_NAMES[review.kind][role],
        region=review.host.region,
        role_accreditation=ACCREDITATION_FOR[review.kind][role],
    )
    if form.is_valid():
        try:
            member = services.team_assign(
                review=review, person=form.cleaned_data["person"], role=role, by=request.user
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(
                request, f"{member.person} is on the team as {ROLE_NAMES[review.kind][role]}."
            )
            return redirect("reviews:review", pk=review.pk)
    return _review_page(
        request, review, access, today, role=role, form=form, suggestions=suggestions, status=400
    )


@login_required
@require_POST
def team_remove(request, pk, member_pk):
    review, access, _ = _review(request, pk)
    if not access.sees_team:
        # A SAV's host DCS may not learn who, or how many, are on its team (R30).
        raise Http404
    member = get_object_or_404(
        TeamMember.objects.select_related("person"), pk=member_pk, review=review
    )
    try:
        services.team_remove(member=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.person} is off the team.")
    return redirect("reviews:review", pk=review.pk)


def _desk_analysis(review: Review, today) -> dict:
    """The desk analysis's facts, from the records, never typed again (R18)."""
    lead = review.team.filter(role=TeamRole.LEAD).select_related("person").first()
    # The host's latest submitted self-assessment up to the review's year gives the key
    # lines of enquiry (R17, R18).
    self_assessment = (
        SelfAssessment.objects.filter(
            local_authority=review.host,
            state=SelfAssessmentState.SUBMITTED,
            year__lte=review.starts_on.year,
        )
        .order_by("-year")
        .first()
    )
    return {
        "host_dcs": post_holder(kind=PostKind.DCS, local_authority=review.host, on=today),
        "lead": lead.person if lead else None,
        "self_assessment": self_assessment,
    }


@login_required
def hypotheses(request, pk):
    """The desk analysis and the hypotheses of a review, with what each person may do to
    them: draft (lead, data specialist), decide (a PCTR's host), record the conference
    call (a SAV's lead), disagree (the lead), comment, and add methods (R18–R20, R29)."""
    review, access, today = _review(request, pk)
    rights = permissions.hypotheses_rights(access)
    if not rights.read:
        raise Http404
    items = list(
        review.hypotheses.select_related("decided_by").prefetch_related(
            "comments__author", "methods", "specialisms"
        )
    )
    decided = any(h.decision for h in items)
    is_lead = access.team_role == TeamRole.LEAD
    action = request.POST.get("action", "") if request.method == "POST" else ""
    data = request.POST if request.method == "POST" else None

    def bound(name):
        return data if action == name else None

    forms = {
        "draft": rights.write and not decided,
        "decide": rights.decide and not decided and len(items) >= 2,
        "call": review.kind == "sav" and is_lead and not decided and len(items) >= 2,
        "disagree": is_lead and decided and review.kind == "pctr",
        "comment": rights.comment and bool(items),
        "methods": rights.write and decided,
    }
    if action and not forms.get(action):
        raise PermissionDenied
    draft = decide = call = None
    if forms["draft"]:
        initial = {}
        for h in items:
            initial.update(
                {
                    f"{h.number}-text": h.text,
                    f"{h.number}-linked_to_data": h.linked_to_data,
                    f"{h.number}-linked_to_self_assessment": h.linked_to_self_assessment,
                    f"{h.number}-proposal": h.proposal,
                    f"{h.number}-specialisms": list(h.specialisms.all()),
                }
            )
        draft = HypothesesForm(bound("draft"), initial=initial)
    if forms["decide"]:
        decide = DecisionsForm(bound("decide"), hypotheses=items)
    if forms["call"]:
        team = User.objects.filter(team_places__review=review).order_by("full_name")
        # The call is the day before the visit (R19).
        before = (review.onsite_from or review.starts_on) - datetime.timedelta(days=1)
        call = ConferenceCallForm(bound("call"), hypotheses=items, team=team, example=before)
    small = {
        name: form_class(data) if action == name else None
        for name, form_class in (
            ("disagree", DisagreementForm),
            ("comment", CommentForm),
            ("methods", MethodsForm),
        )
    }
    failed = None
    if action:
        form = {"draft": draft, "decide": decide, "call": call, **small}[action]
        if form.is_valid():
            try:
                message = _hypotheses_act(action, form, review, items, request.user)
            except ValidationError as error:
                form_errors_add(form, error)
                failed = form
            else:
                messages.success(request, message)
                return redirect("reviews:hypotheses", pk=review.pk)
        else:
            failed = form
    return render(
        request,
        "reviews/hypotheses.html",
        {
            "review": review,
            "access": access,
            "rights": rights,
            "hypotheses": items,
            "decided": decided,
            "forms": forms,
            "draft": draft,
            "decide": decide,
            "call": call,
            "failed": failed,
            "failed_number": failed.data.get("number") if failed is not None else None,
            "desk": _desk_analysis(review, today),
        },
        status=400 if failed is not None else 200,
    )


def _hypotheses_act(action, form, review, items, by) -> str:
    by_number = {h.number: h for h in items}
    if action == "draft":
        saved = hypotheses_service.hypotheses_save(review=review, drafts=form.drafts(), by=by)
        return f"{len(saved)} hypothes{'is' if len(saved) == 1 else 'es'} saved."
    if action == "decide":
        hypotheses_service.hypotheses_decide(review=review, decisions=form.decisions(), by=by)
        return "Your decision is recorded; the lead and the QA have been told."
    if action == "call":
        hypotheses_service.conference_call_record(
            review=review,
            held_on=form.cleaned_data["held_on"],
            attended_by=list(form.cleaned_data["attended_by"]),
            notes=form.cleaned_data["notes"],
            decisions=form.decisions(),
            by=by,
        )
        return "The conference call and the team's agreement are recorded."
    hypothesis = by_number.get(form.cleaned_data["number"])
    if hypothesis is None:
        raise ValidationError("There is no such hypothesis.")
    if action == "disagree":
        hypotheses_service.hypothesis_disagree(
            hypothesis=hypothesis, text=form.cleaned_data["disagreement"], by=by
        )
        return "Your disagreement is recorded; the QA has been told."
    if action == "comment":
        hypotheses_service.hypothesis_comment(
            hypothesis=hypothesis, text=form.cleaned_data["text"], by=by
        )
        return "Your comment is added."
    saved = hypotheses_service.methods_save(hypothesis=hypothesis, texts=form.texts(), by=by)
    plural = "s" if len(saved) != 1 else ""
    return f"{len(saved)} method{plural} saved for hypothesis {hypothesis.number}."


def _onsite_example(review, today):
    """A day the visit could start on, for the hint: the window's first day, or today
    once the window has begun."""
    return min(max(review.starts_on, today), review.ends_on)


@login_required
@require_POST
def onsite(request, pk):
    """Set the on-site days (R20): the coordinator or the lead."""
    review, access, today = _review(request, pk)
    if not (access.coordinator or access.team_role == TeamRole.LEAD):
        raise PermissionDenied
    form = OnsiteForm(request.POST, example=_onsite_example(review, today))
    if form.is_valid():
        try:
            services.review_onsite_set(
                review=review, first_day=form.cleaned_data["first_day"], by=request.user
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "The on-site days are set.")
            return redirect("reviews:review", pk=review.pk)
    # The page again, with the date as typed and the message at its field.
    return _review_page(request, review, access, today, onsite_form=form, status=400)


@login_required
def deployment(request, pk):
    """The deployment grid (R20): the lead writes it; the team and the coordinator read."""
    review, access, _ = _review(request, pk)
    if not (access.coordinator or access.team_role):
        raise Http404
    days = services.onsite_days(review)
    members = [
        m for m in selectors.team_of(review) if m.role in services.ON_SITE_ROLES[review.kind]
    ]
    cells = {(d.member_id, d.day): d for d in Deployment.objects.filter(member__review=review)}
    initial = {
        f"{m.pk}-{day:%Y%m%d}-{name}": getattr(cells[(m.pk, day)], name)
        for m in members
        for day in days
        if (m.pk, day) in cells
        for name in services.GRID_FIELDS
    }
    writes = access.team_role == TeamRole.LEAD and bool(days)
    form = DeploymentForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        members=members,
        days=days,
    )
    if request.method == "POST":
        if not writes:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.deployment_save(review=review, grid=form.grid(), by=request.user)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, "The deployment grid is saved.")
                return redirect("reviews:deployment", pk=review.pk)
    rows = [
        (
            day,
            [
                (m, [form[f"{m.pk}-{day:%Y%m%d}-{n}"] for n in services.GRID_FIELDS])
                for m in members
            ],
        )
        for day in days
    ]
    return render(
        request,
        "reviews/deployment.html",
        {"review": review, "rows": rows, "writes": writes, "form": form, "days": days},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def review_state(request, pk):
    """The lead starts and ends the visit; every other change is made by the work that
    completes a stage (R20)."""
    review, _, _ = _review(request, pk)
    try:
        review = states.review_state_set(
            review=review, state=request.POST.get("state", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The review is now: {review.get_state_display().lower()}.")
    return redirect("reviews:review", pk=review.pk)


REVIEWS_PAGE_SIZE = 50


@login_required
def review_list(request):
    """The coordinator's list of their region's reviews with their state and team (R2)."""
    region = coordinated_regions(request.user).order_by("pk").first()
    if region is None:
        raise PermissionDenied
    form = ReviewFilterForm(request.GET or None)
    reviews = (
        Review.objects.filter(host__region=region)
        .select_related("host", "lead_local_authority", "qa_local_authority")
        .annotate(
            team_size=Count("team"),
            members=Count("team", filter=Q(team__role=TeamRole.MEMBER)),
            **{
                f"has_{role}": Exists(TeamMember.objects.filter(review=OuterRef("pk"), role=role))
                for role in SINGLE_ROLES
            },
        )
        .order_by("-starts_on", "host__name", "pk")
    )
    if form.is_bound and form.is_valid():
        if form.cleaned_data["kind"]:
            reviews = reviews.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["state"]:
            reviews = reviews.filter(state=form.cleaned_data["state"])
    page = Paginator(reviews, REVIEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    # The places the handbook requires that are still open, for the coordinator to fill
    # or chase (R14, R15); none is left open once the visit has started.
    for review in page.object_list:
        names = ROLE_NAMES[review.kind]
        review.open_places = [names[r] for r in SINGLE_ROLES if not getattr(review, f"has_{r}")]
        short = MEMBERS[review.kind] - review.members
        if short > 0:
            member = names[TeamRole.MEMBER].lower()
            review.open_places.append(f"{short} {member}{'s' if short > 1 else ''}")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/review_list.html",
        {"region": region, "form": form, "page": page, "query": query.urlencode()},
    )


def home_part(*, person: User, on: datetime.date, current_posts) -> dict:
    """Reviews' part of the home page (``emslirp.home``): the person's team places and
    what needs them, and the reviews of the LAs they lead the host's side of (R29, R30)."""
    items = selectors.home_items(person=person, on=on)
    return {
        "needs_you": items["needs_you"],
        "team_places": items["team_places"],
        "hosted_reviews": selectors.hosted_reviews(
            local_authority_ids=[
                p.local_authority_id
                for p in current_posts
                if p.kind in (PostKind.DCS, PostKind.SAFEGUARDING_LEAD)
            ],
            on=on,
        ),
    }
