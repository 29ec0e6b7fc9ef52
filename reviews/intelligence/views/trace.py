"""The trace of one agreed action (R40), for those who read its review's letter."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from reviews.intelligence.selectors import trace as selectors
from reviews.letter.permissions import action_trace_readable
from reviews.review.permissions import review_access


@login_required
@require_GET
def trace(request, action_pk):
    """An agreed action's chain, from the self-assessment to its follow-up, with each
    broken link named. 404 for anyone who may not read the review's letter as it stands
    (the final letter's readers once it is final, the lead and the QA before), alike for
    an action that exists and one that does not (R29, R30)."""
    action = selectors.trace_action_get(action_pk)
    if action is None:
        raise Http404
    letter = selectors.trace_letter(action)
    access = review_access(request.user, action.review, on=timezone.localdate())
    if not action_trace_readable(access, letter_state=letter.state if letter else None):
        raise Http404
    return render(
        request,
        "intelligence/trace.html",
        {"trace": selectors.action_trace(action), "review": action.review, "action": action},
    )
