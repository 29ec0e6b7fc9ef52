"""Pages of escalations (R26): a review's concerns with the host's form to raise one, and
each concern with the form for whoever acts next. Each asks
``permissions.escalation_rights``: 404 to anyone who may not see the review, 403 to
someone who sees it but is not party to its escalations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from emslirp.forms import form_errors_add
from reviews.escalations import permissions
from reviews.escalations import services as service
from reviews.escalations.forms import (
    EscalationAdjudicateForm,
    EscalationRaiseForm,
    EscalationResponseForm,
)
from reviews.escalations.models import Escalation, EscalationState
from reviews.review.models import TeamRole
from reviews.review.views import _review


def _rights(request, pk):
    review, access, _ = _review(request, pk)
    rights = permissions.escalation_rights(access)
    if not rights.read:
        raise PermissionDenied
    return review, rights


@login_required
def escalations(request, pk):
    """The review's escalations and where each stands; the host raises one here."""
    review, rights = _rights(request, pk)
    form = None
    if rights.raise_:
        form = EscalationRaiseForm(request.POST if request.method == "POST" else None)
    # A concern needs someone to answer it: with no lead named, the host is told so
    # instead of being offered a form the service would refuse (R26). A form already
    # posted is shown again with the service's refusal, so nothing typed is lost.
    has_lead = rights.raise_ and review.team.filter(role=TeamRole.LEAD).exists()
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                escalation = service.escalation_raise(
                    review=review,
                    about=form.cleaned_data["about"],
                    concern=form.cleaned_data["concern"],
                    by=request.user,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, "Your concern is raised; the lead has been told.")
                return redirect("reviews:escalation", pk=review.pk, escalation_pk=escalation.pk)
    items = list(review.escalations.select_related("raised_by").order_by("-raised_at", "-pk"))
    return render(
        request,
        "reviews/escalations.html",
        {
            "review": review,
            "rights": rights,
            "escalations": items,
            "form": form,
            "show_form": form is not None and (has_lead or form.is_bound),
            "no_lead": service.NO_LEAD if rights.raise_ and not has_lead else "",
        },
        status=400 if form is not None and form.errors else 200,
    )


def _allowed(escalation: Escalation, rights: permissions.EscalationRights) -> dict:
    return {
        "respond": rights.respond and escalation.state == EscalationState.RAISED,
        "accept": rights.raise_ and escalation.state == EscalationState.ANSWERED,
        "refer": rights.raise_ and service.escalation_may_refer(escalation),
        "adjudicate": rights.adjudicate and escalation.state == EscalationState.WITH_QA,
    }


# Which right each action needs, whatever the concern's state: a POST without it is 403.
NEEDS = {"respond": "respond", "accept": "raise_", "refer": "raise_", "adjudicate": "adjudicate"}
# What each action posts that the user typed, shown back to them if it could not be saved.
TYPED = {"respond": ("response", "Your answer"), "adjudicate": ("adjudication", "Your reasons")}


# The state each action is taken from (refer also from RAISED, once the lead is overdue).
FROM = {
    "respond": EscalationState.RAISED,
    "accept": EscalationState.ANSWERED,
    "refer": EscalationState.ANSWERED,
    "adjudicate": EscalationState.WITH_QA,
}


def _moved_on(escalation: Escalation, action: str) -> str:
    """Why ``action``, which the user may take in general, cannot be taken now: the
    concern moved on (or is not there yet) while their page was open."""
    if action == "refer" and escalation.state == EscalationState.RAISED:
        return service.escalation_unanswered_text(escalation)
    if service.ORDER.index(escalation.state) < service.ORDER.index(FROM[action]):
        return service.NOT_YET[FROM[action]]
    return service.ALREADY[escalation.state]


@login_required
def escalation(request, pk, escalation_pk):
    """One concern: what the host raised, the lead's answer, the host's acceptance or
    referral, the QA's decision and reasons; with the form for whoever acts next.

    A POST the user may never make is refused (403). One they could have made a moment ago
    (the host referred the concern while the lead typed an answer) shows the concern as
    it now is, says why nothing was saved and shows what they typed, so it is not lost."""
    review, rights = _rights(request, pk)
    found = get_object_or_404(
        Escalation.objects.select_related("raised_by", "responded_by", "adjudicated_by"),
        pk=escalation_pk,
        review=review,
    )
    allowed = _allowed(found, rights)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    moved_on, unsaved = "", []
    if request.method == "POST" and not allowed.get(action):
        if action not in NEEDS or not getattr(rights, NEEDS[action]):
            raise PermissionDenied
        moved_on = _moved_on(found, action)
        if action in TYPED:
            name, label = TYPED[action]
            typed = request.POST.get(name, "").strip()
            if typed:
                unsaved = [(label, typed)]
        action = ""
    respond = EscalationResponseForm(request.POST if action == "respond" else None)
    adjudicate = EscalationAdjudicateForm(request.POST if action == "adjudicate" else None)
    failed = None
    if action:
        form = {"respond": respond, "adjudicate": adjudicate}.get(action)
        try:
            if form is not None and not form.is_valid():
                failed = form
            else:
                message = _act(action, form, found, request.user)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("reviews:escalation", pk=review.pk, escalation_pk=found.pk)
            form_errors_add(form, error)
            failed = form
        if failed is None:
            messages.success(request, message)
            return redirect("reviews:escalation", pk=review.pk, escalation_pk=found.pk)
    return render(
        request,
        "reviews/escalation.html",
        {
            "review": review,
            "escalation": found,
            "rights": rights,
            "allowed": allowed,
            "respond": respond,
            "adjudicate": adjudicate,
            "failed": failed,
            "moved_on": moved_on,
            "unsaved": unsaved,
            "referable_from": service.escalation_referable_from(found),
            "lead_answer_days": service.LEAD_ANSWER_WORKING_DAYS,
        },
        status=400 if failed is not None else 409 if moved_on else 200,
    )


def _act(action, form, found, by) -> str:
    if action == "respond":
        service.escalation_respond(escalation=found, response=form.cleaned_data["response"], by=by)
        return "Your answer is sent; the host has been told."
    if action == "accept":
        service.escalation_accept(escalation=found, by=by)
        return "You have accepted the answer: the concern is closed as resolved."
    if action == "refer":
        service.escalation_refer(escalation=found, by=by)
        return "The concern is referred to the QA, who has been told."
    service.escalation_adjudicate(
        escalation=found,
        upheld=form.upheld,
        adjudication=form.cleaned_data["adjudication"],
        by=by,
    )
    return "Your decision is recorded and the concern is closed; the host and the lead are told."
