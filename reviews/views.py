"""Pages of a review: its place in the calendar and its team (R14–R16, R29, R30)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from emslirp.forms import form_errors_add
from reviews import permissions, selectors, services
from reviews.forms import TeamPlaceForm
from reviews.models import Review, TeamMember, TeamRole
from reviews.teams import ROLE_NAMES


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
def review(request, pk):
    """A review: its slot and, for those who may see it, its team with the days each role
    commits; for the coordinator and the lead, suggestions for the open places."""
    review, access, today = _review(request, pk)
    team = selectors.team_of(review) if access.sees_team else []
    places = selectors.team_places(review, team) if access.sees_team else []
    role = request.GET.get("role") or request.POST.get("role") or ""
    allowed = permissions.placeable_roles(access)
    placeable = [
        r
        for r in (TeamRole.LEAD, TeamRole.DATA_SPECIALIST, TeamRole.MEMBER, TeamRole.QA)
        if r in allowed and any(p["role"] == r and p["member"] is None for p in places)
    ]
    form = suggestions = None
    if role in placeable:
        suggestions = selectors.team_suggestions(review=review, role=role, on=today)
        form = TeamPlaceForm(
            request.POST if request.method == "POST" else None,
            suggestions=suggestions,
            role_name=ROLE_NAMES[review.kind][role],
        )
        if request.method == "POST" and form.is_valid():
            try:
                member = services.team_assign(
                    review=review, person=form.cleaned_data["person"], role=role, by=request.user
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    request,
                    f"{member.person} is on the team as {member.get_role_display().lower()}.",
                )
                return redirect("reviews:review", pk=review.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "reviews/review.html",
        {
            "review": review,
            "access": access,
            "places": places,
            "placeable": [(r, ROLE_NAMES[review.kind][r]) for r in placeable],
            "role": role,
            "role_name": ROLE_NAMES[review.kind].get(role, ""),
            "form": form,
            "suggestions": suggestions,
            "removable": {m.pk for m in team if m.role in allowed},
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def team_remove(request, pk, member_pk):
    review, _, _ = _review(request, pk)
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
