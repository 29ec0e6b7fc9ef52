"""Pages of the agreed actions followed up (R38) and of an LA's self-awareness (R39).

The host reports progress on each agreed action of its final letters in its next
self-assessment, or in the desk analysis of its next PCTR. Every page asks
``reviews.intelligence.permissions``; a person with no right gets 404, alike for a record
that exists and one that does not."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from emslirp.forms import error_links, form_errors_add
from emslirp.models import LocalAuthority
from reviews.intelligence import permissions
from reviews.intelligence.forms.follow_up import ActionProgressForm
from reviews.intelligence.selectors import follow_up as selectors
from reviews.intelligence.services.follow_up import DESK_ANALYSIS_STATES, action_progress_record
from reviews.review.models import Review
from reviews.review.permissions import review_access
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentState
from reviews.self_assessment.permissions import self_assessment_access
from reviews.self_assessment.selectors import self_assessment_get


def _actions_page(request, *, followed, records: bool, record, carried, back: str, context):
    """The actions with their history, and a report form for each while ``records``.
    ``record(action, data)`` saves a report; ``carried(pk)`` finds an action by its key."""
    failed, status = None, 200
    if request.method == "POST":
        action = carried(request.POST.get("action", ""))
        if action is None:
            raise Http404
        form = ActionProgressForm(request.POST, prefix=f"action-{action.pk}", number=action.number)
        if form.is_valid():
            try:
                record(action, form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, f"Your report on action {action.number} is saved.")
                return redirect(f"{back}#action-{action.pk}")
        failed, status = form, 400
    rows = []
    for item in followed:
        form = None
        if failed is not None and failed.prefix == f"action-{item.action.pk}":
            form = failed
        elif records:
            form = ActionProgressForm(prefix=f"action-{item.action.pk}", number=item.action.number)
        rows.append((item, form))
    return render(
        request,
        "intelligence/actions_followed_up.html",
        {
            **context,
            "rows": rows,
            "records": records,
            "failed": failed,
            "error_links": error_links(failed),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment_actions(request, pk):
    """The agreed actions carried into a self-assessment (R38): its writers report on
    each until it is submitted; after that, and to the coordinator, the reports are read."""
    today = timezone.localdate()
    try:
        self_assessment = self_assessment_get(pk=pk)
    except SelfAssessment.DoesNotExist:
        raise Http404 from None
    access = self_assessment_access(request.user, self_assessment, on=today)
    if not permissions.sees_follow_up_in_self_assessment(access):
        raise Http404
    submitted = self_assessment.state == SelfAssessmentState.SUBMITTED
    if request.method == "POST" and not access.of_the_la:
        raise Http404  # the LA's own report a submitted one refuses at the form, kept

    def record(action, data):
        action_progress_record(
            action=action,
            status=data["status"],
            commentary=data["commentary"],
            self_assessment=self_assessment,
            by=request.user,
        )

    return _actions_page(
        request,
        followed=selectors.actions_carried_into_self_assessment(self_assessment),
        records=permissions.records_follow_up_in_self_assessment(access),
        record=record,
        carried=lambda key: selectors.action_carried_into_self_assessment(
            self_assessment=self_assessment, pk=key
        ),
        back=reverse("intelligence:self_assessment_actions", args=[self_assessment.pk]),
        context={
            "self_assessment": self_assessment,
            "local_authority": self_assessment.local_authority,
            "closed": (
                "This self-assessment is submitted: progress is reported in the next one."
                if submitted
                else ""
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_actions(request, pk):
    """The agreed actions carried into the desk analysis of a review (R38): the lead, the
    data specialist, the QA and the coordinator read their history; a PCTR host's DCS and
    2nd-tier lead report on each until the visit starts. A SAV's host sees nothing here
    (R30): they report in their self-assessment."""
    today = timezone.localdate()
    review = get_object_or_404(Review.objects.select_related("host__region"), pk=pk)
    access = review_access(request.user, review, on=today)
    if not permissions.sees_follow_up_in_review(access):
        raise Http404
    records = permissions.records_follow_up_in_review(access)
    if request.method == "POST" and not records:
        raise Http404

    def record(action, data):
        action_progress_record(
            action=action,
            status=data["status"],
            commentary=data["commentary"],
            review=review,
            by=request.user,
        )

    return _actions_page(
        request,
        followed=selectors.actions_carried_into_review(review),
        records=records and review.state in DESK_ANALYSIS_STATES,
        record=record,
        carried=lambda key: selectors.action_carried_into_review(review=review, pk=key),
        back=reverse("intelligence:review_actions", args=[review.pk]),
        context={
            "review": review,
            "local_authority": review.host,
            "closed": (
                ""
                if review.state in DESK_ANALYSIS_STATES
                else "The visit has started: progress was reported in the desk analysis before it."
            ),
        },
    )


@login_required
def self_awareness(request, la_pk):
    """The LA's self-rating of each area beside the team's view, review by review, for its
    reviews with a final letter (R39): its DCS and 2nd-tier lead and the region's
    coordinator see it; nobody else learns it exists."""
    local_authority = get_object_or_404(LocalAuthority.objects.select_related("region"), pk=la_pk)
    if not permissions.sees_self_awareness(request.user, local_authority, on=timezone.localdate()):
        raise Http404
    return render(
        request,
        "intelligence/self_awareness.html",
        {
            "local_authority": local_authority,
            "reviews": selectors.self_awareness_of(local_authority),
        },
    )
