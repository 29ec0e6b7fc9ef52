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
from django.views.decorators.http import require_http_methods, require_POST

from emslirp.models import PostKind, User
from emslirp.permissions import coordinated_regions
from reviews.review import permissions, selectors, services, states
from reviews.review.forms import ReviewFilterForm
from reviews.review.models import SINGLE_ROLES, Review, ReviewState, TeamMember, TeamRole
from reviews.review.teams import MEMBERS, ROLE_NAMES


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
@require_http_methods(["GET", "POST"])
def team_remove(request, pk, member_pk):
    """Asks first, then takes a member off the team: one click on a review page should not
    take away someone's place and their rights on the review (R14)."""
    review, access, _ = _review(request, pk)
    if not access.sees_team:
        # A SAV's host DCS may not learn who, or how many, are on its team (R30).
        raise Http404
    member = get_object_or_404(
        TeamMember.objects.select_related("person", "local_authority"), pk=member_pk, review=review
    )
    if request.method != "POST":
        if member.role not in permissions.placeable_roles(access):
            raise PermissionDenied
        if review.state in (ReviewState.ON_SITE, ReviewState.AFTER_VISIT):
            return redirect("reviews:review", pk=review.pk)
        return render(
            request,
            "reviews/team_remove.html",
            {
                "review": review,
                "member": member,
                "role_name": ROLE_NAMES[review.kind][member.role],
            },
        )
    try:
        services.team_remove(member=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.person} is off the team.")
    return redirect("reviews:review", pk=review.pk)


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
