"""Pages of the verbal feedback record and the emerging issues (R22, R24, R29)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from emslirp.forms import form_errors_add
from reviews.review.models import TeamRole
from reviews.review.views import _review
from reviews.workbook import permissions, selectors
from reviews.workbook.feedback_record import verbal_feedback_record
from reviews.workbook.forms import (
    AGREES_VALUE,
    NOT_LOOKED_AT,
    AgreedActionsForm,
    EmergingIssueForm,
    GivenOnForm,
    ReportCommentsForm,
    TeamViewsForm,
)
from reviews.workbook.services import notebook as workbook_notebook
from reviews.workbook.services import verbal_feedback as services
from reviews.workbook.views.notebook import _failed, _pk, _revised_save, _who

# The verbal feedback record (R22) -----------------------------------------------------------


def _finding_label(hypothesis, finding) -> str:
    return f"Hypothesis {hypothesis.number}: {truncatechars(finding.text, 140)}"


@login_required
@require_http_methods(["GET", "POST"])
def verbal_feedback(request, pk):
    """The verbal feedback record (R22): assembled from the notebook, never retyped,
    with what the lead adds: comments per hypothesis (theirs and the host's), the agreed
    actions traced to the findings they answer, and the date it was given. The lead
    writes; the team and the QA read; the host's DCS and 2nd-tier lead read once given."""
    review, access, _ = _review(request, pk)
    given = selectors.verbal_feedback_given(review)
    rights = permissions.verbal_feedback_rights(access, given=given)
    if not rights.read:
        raise PermissionDenied
    record = verbal_feedback_record(review)
    letter_state = selectors.letter_state(review)
    writes = rights.write and selectors.notebook_writable(review, letter_state=letter_state)
    findings = [
        (f.pk, _finding_label(h.hypothesis, f)) for h in record.hypotheses for f in h.findings
    ]
    revision = record.feedback.revision if record.feedback else 0

    def actions_form(data=None):
        return AgreedActionsForm(
            data,
            prefix="actions",
            findings=findings,
            actions=[a.action for a in record.actions],
            initial={"revision": revision},
        )

    views = selectors.team_views(review)

    def views_form(data=None):
        return TeamViewsForm(
            data,
            prefix="views",
            areas=[{"key": a.key, "name": a.name} for a in views.areas],
            scale=views.scale,
            initial={
                a.key: str(a.team_rating) if a.team_rating else NOT_LOOKED_AT for a in views.areas
            },
        )

    bound, status, theirs_actions = {}, 400, None
    if request.method == "POST":
        # The lead's save once the record has closed goes on to the service, which says
        # why it refuses: what they typed is then shown, not lost to a 403.
        if not rights.write:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action == "report":
            hypothesis = selectors.investigated_hypothesis(
                review, _pk(request.POST.get("hypothesis"))
            )
            if hypothesis is None:
                raise Http404
            prefix = f"report-{hypothesis.pk}"
            form, status = _revised_save(
                request,
                ReportCommentsForm(request.POST, prefix=prefix, number=hypothesis.number),
                lambda data: services.hypothesis_report_save(
                    hypothesis=hypothesis,
                    lead_comments=data["lead_comments"],
                    host_comments=data["host_comments"],
                    revision=data["revision"],
                    by=request.user,
                ),
                prefix=prefix,
                number=hypothesis.number,
            )
            if form is None:
                messages.success(
                    request, f"The comments on hypothesis {hypothesis.number} are saved."
                )
                return _feedback_back(review, f"hypothesis-{hypothesis.number}")
            bound[("report", hypothesis.pk)] = form
        elif action == "actions":
            form = actions_form(request.POST)
            if form.is_valid():
                try:
                    saved = services.agreed_actions_save(
                        review=review,
                        actions=form.actions(),
                        revision=form.cleaned_data["revision"],
                        by=request.user,
                    )
                except workbook_notebook.RevisionConflict as conflict:
                    data = request.POST.copy()
                    data["actions-revision"] = str(conflict.revision)
                    form = actions_form(data)
                    form.is_valid()
                    form.add_error(
                        None,
                        f"{_who(conflict)} saved the actions while you were writing: their "
                        "version is shown above yours. Keep what is right, then save again.",
                    )
                    theirs_actions, status = conflict.theirs["actions"], 409
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        error = ValidationError(
                            {form.row_of_field(k): v for k, v in error.message_dict.items()}
                        )
                    form_errors_add(form, error)
                else:
                    count = len(saved)
                    messages.success(
                        request, f"{count} agreed action{'s' if count != 1 else ''} saved."
                    )
                    return _feedback_back(review, "actions")
            bound[("actions", None)] = form
        elif action == "views":
            form = views_form(request.POST)
            if form.is_valid():
                try:
                    services.team_views_save(review=review, ratings=form.ratings(), by=request.user)
                except ValidationError as error:
                    form_errors_add(form, error)
                else:
                    messages.success(request, "The team's view of the areas is saved.")
                    return _feedback_back(review, "team-views")
            bound[("views", None)] = form
        elif action == "given":
            form, status = _revised_save(
                request,
                GivenOnForm(request.POST, prefix="given"),
                lambda data: services.verbal_feedback_save(
                    review=review,
                    given_on=data["given_on"],
                    revision=data["revision"],
                    by=request.user,
                ),
                prefix="given",
            )
            if form is None:
                messages.success(request, "The date of the verbal feedback is saved.")
                return _feedback_back(review, "given")
            bound[("given", None)] = form
        else:
            return HttpResponseBadRequest("Unknown action.")
    hypotheses = []
    for h in record.hypotheses:
        form = None
        if writes:
            form = bound.get(("report", h.hypothesis.pk)) or ReportCommentsForm(
                prefix=f"report-{h.hypothesis.pk}",
                number=h.hypothesis.number,
                initial={
                    "lead_comments": h.lead_comments,
                    "host_comments": h.host_comments,
                    "revision": h.report.revision if h.report else 0,
                },
            )
        hypotheses.append((h, form))
    labels = dict(findings)
    actions_shown = (bound.get(("actions", None)) or actions_form()) if writes else None
    views_shown = (bound.get(("views", None)) or views_form()) if writes else None
    given_form = (
        (
            bound.get(("given", None))
            or GivenOnForm(
                prefix="given", initial={"given_on": record.given_on, "revision": revision}
            )
        )
        if writes
        else None
    )
    return render(
        request,
        "reviews/verbal_feedback.html",
        {
            "review": review,
            "record": record,
            "hypotheses": hypotheses,
            "writes": writes,
            "closed": selectors.record_closed_message(letter_state),
            # Whether each action links to its trace (R40): asked of the letter's
            # permissions by the template, as this stage may not import them.
            "access": access,
            "letter_state": letter_state,
            "shows_tracing": access.team_role is not None,
            "lead": next(
                (
                    m.person
                    for m in selectors.notebook_header(review).team
                    if m.role == TeamRole.LEAD
                ),
                None,
            ),
            "actions_form": actions_shown,
            "given_form": given_form,
            "views": views,
            "views_form": views_shown,
            "theirs_actions": [
                {
                    **a,
                    "agrees": AGREES_VALUE[a["host_agrees"]],
                    "finding_labels": [labels.get(pk, "") for pk in a["findings"]],
                }
                for a in theirs_actions or []
            ],
            **_failed(
                bound,
                [form for _, form in hypotheses] + [actions_shown, views_shown, given_form],
            ),
        },
        status=status if bound else 200,
    )


def _feedback_back(review, anchor: str):
    return redirect(f"{reverse('reviews:verbal_feedback', args=[review.pk])}#{anchor}")


# Emerging issues (R24) ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def emerging_issues(request, pk):
    """The issues the lead shares with the host before the verbal feedback (R24): read by
    the host's DCS and 2nd-tier lead (a SAV's once the visit has started) and by the team;
    shared by the lead, who is shown the form."""
    review, access, _ = _review(request, pk)
    rights = permissions.notebook_rights(access)
    if not rights.read_emerging:
        raise PermissionDenied
    shares = (
        rights.share_emerging
        and review.state in selectors.WRITING_STATES
        and not selectors.verbal_feedback_given(review)
    )
    form = None
    status = 200
    if request.method == "POST":
        # The lead's issue typed while the feedback was being given goes on to the service,
        # which says why it refuses: the words are then shown, not lost to a 403.
        if not rights.share_emerging:
            raise PermissionDenied
        form = EmergingIssueForm(request.POST)
        if form.is_valid():
            try:
                services.emerging_issue_share(
                    review=review, text=form.cleaned_data["text"], by=request.user
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    request, "The issue is shared: the host's DCS and 2nd-tier lead are told."
                )
                return redirect("reviews:emerging_issues", pk=review.pk)
        status = 400
    elif shares:
        form = EmergingIssueForm()
    return render(
        request,
        "reviews/emerging_issues.html",
        {
            "review": review,
            "issues": selectors.emerging_issues(review),
            "form": form if shares else None,
            "is_team": access.team_role is not None,
            **_failed(
                {"issue": form} if form is not None and form.is_bound else {},
                [form] if shares else [],
            ),
        },
        status=status,
    )
