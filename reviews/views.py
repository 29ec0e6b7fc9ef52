"""The review page (R14–R16, R20, R29, R30): its slot, its team, its on-site days, and a
link to each later stage the reader may open. It sits above every stage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from emslirp.forms import form_errors_add
from reviews.escalations import permissions as escalations_permissions
from reviews.letter import permissions as letter_permissions
from reviews.letter.models import Letter, LetterState
from reviews.reflections import permissions as reflections_permissions
from reviews.review import permissions, selectors, services, states
from reviews.review.forms import TeamPlaceForm
from reviews.review.models import Review, ReviewState, TeamRole
from reviews.review.teams import ROLE_NAMES
from reviews.review.views import _review
from reviews.workbook import permissions as workbook_permissions
from reviews.workbook.forms import OnsiteForm
from reviews.workbook.models import VerbalFeedback
from reviews.workbook.services import deployment

# The visit and after it (R21–R27): the review page's links ---------------------------

VISIT_STATES = (ReviewState.ON_SITE, ReviewState.AFTER_VISIT)


def visit_links(review: Review, access: permissions.ReviewAccess) -> list[tuple[str, str]]:
    """The records of the visit and after it that ``access`` may open, as (label, URL),
    each asked of its row of R29's table. At most two queries (the letter's state and
    whether the verbal feedback was given), none before the visit."""
    if review.state not in (ReviewState.AGREED, *VISIT_STATES):
        return []
    url = lambda name: reverse(f"reviews:{name}", args=[review.pk])  # noqa: E731
    links = []
    notebook = workbook_permissions.notebook_rights(access)
    if notebook.read:
        links.append(("Notebook", url("notebook")))
    if review.state == ReviewState.AGREED:
        return links
    if notebook.read_emerging:
        links.append(("Emerging issues shared with the host", url("emerging_issues")))
    given = VerbalFeedback.objects.filter(review=review, given_on__isnull=False).exists()
    if workbook_permissions.verbal_feedback_rights(access, given=given).read:
        links.append(("Verbal feedback record", url("verbal_feedback")))
    letter_state = Letter.objects.filter(review=review).values_list("state", flat=True).first()
    letter = letter_permissions.letter_rights(
        access,
        shared=letter_state in (LetterState.SHARED, LetterState.FINAL),
        final=letter_state == LetterState.FINAL,
    )
    if letter.write or letter.read_draft or letter.read_final:
        links.append(("Feedback letter", url("letter")))
    incidents = permissions.incident_rights(access)
    if incidents.read or incidents.raise_ or incidents.read_own:
        links.append(
            (
                "Critical incidents",
                reverse("safeguarding:incidents", kwargs={"review_pk": review.pk}),
            )
        )
    if escalations_permissions.escalation_rights(access).read:
        links.append(("Concerns raised by the host", url("escalations")))
    if review.state == ReviewState.AFTER_VISIT:
        reflection = reflections_permissions.reflection_rights(access)
        if reflection.write_own:
            links.append(("Your reflection", url("reflection")))
        if reflection.read_composite:
            links.append(("The team's reflections", url("reflections_composite")))
        if reflection.see_completion:
            links.append(("Who has reflected", url("reflections_completion")))
    return links


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
            "can_read_hypotheses": workbook_permissions.hypotheses_rights(access).read,
            "visit_links": visit_links(review, access) if access.sees_team else [],
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
            deployment.review_onsite_set(
                review=review, first_day=form.cleaned_data["first_day"], by=request.user
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "The on-site days are set.")
            return redirect("reviews:review", pk=review.pk)
    # The page again, with the date as typed and the message at its field.
    return _review_page(request, review, access, today, onsite_form=form, status=400)
