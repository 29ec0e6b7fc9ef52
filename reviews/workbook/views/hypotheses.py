"""Pages of the desk analysis, hypotheses, methods and deployment (R18–R20, R29)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from emslirp.forms import error_links, form_errors_add
from emslirp.models import PostKind, User
from emslirp.selectors import post_holder
from reviews.review import selectors
from reviews.review.models import Review, TeamRole
from reviews.review.teams import ON_SITE_ROLES
from reviews.review.views import _review
from reviews.self_assessment.selectors import self_assessment_for_review
from reviews.workbook import permissions
from reviews.workbook import selectors as workbook_selectors
from reviews.workbook.forms import (
    CommentForm,
    ConferenceCallForm,
    DecisionsForm,
    DeploymentForm,
    DisagreementForm,
    HypothesesForm,
    MethodsForm,
)
from reviews.workbook.models import Deployment
from reviews.workbook.services import deployment as services
from reviews.workbook.services import hypotheses as hypotheses_service


def _desk_analysis(review: Review, today) -> dict:
    """The desk analysis's facts, from the records, never typed again (R18)."""
    lead = review.team.filter(role=TeamRole.LEAD).select_related("person").first()
    # The host's latest submitted self-assessment up to the review's year gives the key
    # lines of enquiry (R17, R18), and the weaknesses and lines a hypothesis rests on (R40).
    self_assessment = self_assessment_for_review(review)
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
    desk = _desk_analysis(review, today)
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
        sa = desk["self_assessment"]
        draft = HypothesesForm(
            bound("draft"),
            initial=initial,
            sources=workbook_selectors.hypothesis_sources(sa),
            source_year=sa.year if sa else None,
            chosen={
                h.number: workbook_selectors.HypothesisSourceChoice(
                    h.source_kind, h.source_number, h.source_text
                )
                for h in items
                if h.source_kind
            },
        )
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
            # A comment's box is drawn by hand beside its hypothesis.
            "error_links": error_links(
                failed,
                anchors={"text": f"comment-{failed.data.get('number')}"}
                if action == "comment"
                else None,
            ),
            "desk": desk,
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


@login_required
def deployment(request, pk):
    """The deployment grid (R20): the lead writes it; the team and the coordinator read."""
    review, access, _ = _review(request, pk)
    if not (access.coordinator or access.team_role):
        raise Http404
    days = services.onsite_days(review)
    members = [m for m in selectors.team_of(review) if m.role in ON_SITE_ROLES[review.kind]]
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
