"""Pages of the calendar: programmes (plan, adjust, adopt), the involvement matrix, exports
and extra PCTR requests (R10–R13, R29–R30)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from calendar_planner import permissions, selectors, services
from calendar_planner.csvio import calendar_write
from calendar_planner.exports import items_csv, items_ical
from calendar_planner.forms import (
    EntryFormSet,
    ExtraDeclineForm,
    ExtraRequestForm,
    ExtraScheduleForm,
    MatrixForm,
    ProgrammeForm,
)
from calendar_planner.models import (
    ExtraReviewRequest,
    ExtraReviewState,
    Programme,
    ProgrammeState,
)
from calendar_planner.periods import (
    PCTR,
    SAV,
    add_months,
    quarter_label,
    quarter_start,
    slot_words,
)
from calendar_planner.rules import validate
from emslirp.forms import form_errors_add
from emslirp.models import LocalAuthority
from reviews.review.permissions import calendar_scope, can_request_extra_review


def _calendar(request):
    """The user's region and what they may see in its calendar; 403 if nothing."""
    region = permissions.calendar_region(request.user)
    if region is None:
        raise PermissionDenied
    today = timezone.localdate()
    scope = calendar_scope(request.user, region=region, on=today)
    if not permissions.can_view_calendar(scope):
        raise PermissionDenied
    return region, scope, today


def _programme(request, pk) -> Programme:
    # Looked up among the programmes the user manages: anyone else gets the same 404 for
    # a programme that exists as for one that does not.
    return get_object_or_404(
        Programme.objects.select_related("region").filter(
            region__in=permissions.managed_regions(request.user)
        ),
        pk=pk,
    )


def _index(request, *, region, scope, today, form=None, status=200):
    manages = permissions.can_manage_programmes(request.user, region)
    context = {
        "region": region,
        "manages": manages,
        "can_request": can_request_extra_review(scope),
        "upcoming": selectors.calendar_items(
            scope=scope, region=region, on=today, first=today, after=add_months(today, 12)
        ),
    }
    if manages:
        context["programmes"] = selectors.programmes_of(region=region)
        context["form"] = form or ProgrammeForm(region=region)
        context["requests"] = ExtraReviewRequest.objects.filter(
            local_authority__region=region, state=ExtraReviewState.REQUESTED
        ).select_related("local_authority", "requested_by")
    if context["can_request"]:
        context["own_requests"] = ExtraReviewRequest.objects.filter(
            local_authority__in=scope.dcs_las
        ).select_related("local_authority", "review")
    return render(request, "calendar_planner/index.html", context, status=status)


@login_required
def index(request):
    """The calendar's front page: exports and the matrix for all; programmes and requests
    for the coordinator; the extra-PCTR request for a DCS."""
    region, scope, today = _calendar(request)
    return _index(request, region=region, scope=scope, today=today)


@login_required
@require_POST
def programme_new(request):
    region, scope, today = _calendar(request)
    if not permissions.can_manage_programmes(request.user, region):
        raise PermissionDenied
    form = ProgrammeForm(request.POST, request.FILES, region=region)
    if form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        interval = data.get("interval") if kind == SAV else None
        try:
            if form.rows is not None:
                programme = services.programme_import(
                    region=region,
                    kind=kind,
                    rows=form.rows,
                    starts_on=data["start"],
                    months=form.months,
                    interval=interval,
                    note=f"Imported from {data['file'].name}",
                    by=request.user,
                )
                messages.success(request, "The calendar is imported as a draft.")
            else:
                programme = services.programme_create(
                    region=region,
                    kind=kind,
                    starts_on=data["start"],
                    years=data["years"],
                    interval=interval,
                    seed=data.get("seed") or 0,
                    by=request.user,
                )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            return redirect("calendar_planner:programme", pk=programme.pk)
    return _index(request, region=region, scope=scope, today=today, form=form, status=400)


@login_required
@require_POST
def programme_delete(request, pk):
    """A draft or a failed plan is thrown away; an adopted calendar stays (its reviews
    exist)."""
    programme = _programme(request, pk)
    try:
        services.programme_delete(programme=programme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("calendar_planner:programme", pk=programme.pk)
    messages.success(request, "The calendar is deleted.")
    return redirect("calendar_planner:index")


def _entry_formset(programme, frame, *, rows=None, data=None):
    initial = None
    if data is None:
        initial = [
            {"slot": r.start.isoformat(), "host": r.host, "lead": r.lead or "", "qa": r.qa or ""}
            for r in rows
        ]
    return EntryFormSet(
        data,
        initial=initial,
        prefix="entry",
        form_kwargs={
            "kind": programme.kind,
            "slots": selectors.slot_choices(programme),
            "names": [a.name for a in frame.authorities],
        },
    )


@login_required
def programme(request, pk):
    """A programme: being planned (the page waits), a draft to adjust and adopt, or the
    adopted calendar."""
    programme = _programme(request, pk)
    if request.method == "GET" and request.headers.get("HX-Request"):
        # Polled while the worker plans: nothing yet, then reload the page once it is done.
        if programme.state == ProgrammeState.PLANNING:
            return HttpResponse(status=204)
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    if programme.state in (ProgrammeState.PLANNING, ProgrammeState.FAILED):
        return render(request, "calendar_planner/programme.html", {"programme": programme})
    frame = selectors.programme_frame(programme)
    rows = selectors.programme_rows(programme)
    formset = None
    if request.method == "POST":
        if not programme.is_editable:
            raise PermissionDenied
        formset = _entry_formset(programme, frame, data=request.POST)
        if formset.is_valid():
            rows = formset.rows()
            try:
                services.programme_entries_set(programme=programme, rows=rows)
                if request.POST.get("action") == "adopt":
                    services.programme_adopt(programme=programme, by=request.user)
                    messages.success(
                        request, f"The calendar is adopted: {len(rows)} reviews are planned."
                    )
                else:
                    messages.success(request, "The calendar is saved.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("calendar_planner:programme", pk=programme.pk)
        rows = formset.rows()
    elif programme.is_editable:
        formset = _entry_formset(programme, frame, rows=rows)
    findings = validate(frame, rows)
    return render(
        request,
        "calendar_planner/programme.html",
        {
            "programme": programme,
            "formset": formset,
            "findings": findings,
            "errors": [f for f in findings if f.is_error],
            "rows": rows,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def programme_check(request, pk):
    """The validator's findings for the rows as they stand on the page, unsaved: the
    draft page asks this as each cell changes."""
    programme = _programme(request, pk)
    if not programme.is_editable:
        raise PermissionDenied
    frame = selectors.programme_frame(programme)
    formset = _entry_formset(programme, frame, data=request.POST)
    formset.is_valid()
    findings = validate(frame, formset.rows())
    return render(
        request,
        "calendar_planner/_findings.html",
        {"findings": findings, "errors": [f for f in findings if f.is_error], "live": True},
    )


@login_required
def programme_csv(request, pk):
    programme = _programme(request, pk)
    text = calendar_write(kind=programme.kind, rows=selectors.programme_rows(programme))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{programme.kind}-{programme.starts_on:%Y-%m}-{programme.pk}.csv"'
    )
    return response


@login_required
def matrix(request):
    """Every LA's involvement per quarter (R13), from the reviews the user may see."""
    region, scope, today = _calendar(request)
    form = MatrixForm(request.GET or None, initial={"start": quarter_label(today), "quarters": 12})
    first, quarters = quarter_start(today), 12
    if request.GET and form.is_valid():
        first, quarters = form.cleaned_data["start"], form.cleaned_data["quarters"]
    elif not request.GET:
        current = (
            Programme.objects.filter(
                region=region, kind=PCTR, state=ProgrammeState.ADOPTED, starts_on__lte=today
            )
            .order_by("-starts_on")
            .first()
        )
        if current is not None and add_months(current.starts_on, current.months) > today:
            first, quarters = current.starts_on, current.months // 3
        form = MatrixForm(initial={"start": quarter_label(first), "quarters": quarters})
    items = selectors.calendar_items(
        scope=scope,
        region=region,
        on=today,
        first=first,
        after=add_months(first, 3 * quarters),
    )
    columns, rows = selectors.involvement_matrix(
        items=items, region=region, first=first, quarters=quarters
    )
    return render(
        request,
        "calendar_planner/matrix.html",
        {
            "region": region,
            "form": form,
            "columns": [(quarter_label(c), slot_words(PCTR, c)) for c in columns],
            "rows": rows,
            "first": first,
            "quarters": quarters,
        },
        status=400 if request.GET and not form.is_valid() else 200,
    )


def _export_items(request):
    region, scope, today = _calendar(request)
    kind = request.GET.get("kind")
    if kind not in (None, "", PCTR, SAV):
        kind = None
    return region, today, selectors.calendar_items(scope=scope, region=region, on=today, kind=kind)


@login_required
def export_csv(request):
    _, today, items = _export_items(request)
    response = HttpResponse(items_csv(items), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="calendar-{today:%Y-%m-%d}.csv"'
    return response


@login_required
def export_ics(request):
    region, today, items = _export_items(request)
    body = items_ical(items, name=f"{region} programme", stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="calendar-{today:%Y-%m-%d}.ics"'
    return response


@login_required
def extra_request(request):
    """An LA's DCS asks for an extra PCTR (R10)."""
    _, scope, today = _calendar(request)
    if not can_request_extra_review(scope):
        raise PermissionDenied
    las = list(LocalAuthority.objects.filter(pk__in=scope.dcs_las).order_by("name"))
    form = ExtraRequestForm(
        request.POST or None,
        today=today,
        local_authorities=las,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.extra_review_request(
                local_authority=form.chosen_local_authority(),
                by=request.user,
                preferred_start=form.cleaned_data["preferred_start"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "Your request is with the coordinator.")
            return redirect("calendar_planner:index")
    return render(
        request,
        "calendar_planner/extra_request.html",
        {"form": form, "local_authorities": las},
        status=400 if form.errors else 200,
    )


@login_required
def extra_decide(request, pk):
    """The coordinator places a requested extra PCTR in a quarter, or declines it."""
    extra = get_object_or_404(
        ExtraReviewRequest.objects.select_related("local_authority__region", "requested_by").filter(
            local_authority__region__in=permissions.managed_regions(request.user)
        ),
        pk=pk,
    )
    region = extra.local_authority.region
    today = timezone.localdate()
    if extra.state != ExtraReviewState.REQUESTED:
        messages.info(request, "This request has already been decided.")
        return redirect("calendar_planner:index")
    authorities = (
        LocalAuthority.objects.filter(region=region)
        .active_on(today)
        .exclude(pk=extra.local_authority_id)
        .order_by("name")
    )
    declining = request.method == "POST" and "decline" in request.POST
    schedule = ExtraScheduleForm(
        request.POST if request.method == "POST" and not declining else None,
        today=today,
        authorities=authorities,
        preferred=extra.preferred_start,
    )
    decline = ExtraDeclineForm(request.POST if declining else None)
    if request.method == "POST":
        form = decline if declining else schedule
        if form.is_valid():
            try:
                if declining:
                    services.extra_review_decline(
                        request=extra, by=request.user, reason=form.cleaned_data["decline_reason"]
                    )
                    messages.success(request, "The request is declined.")
                else:
                    review = services.extra_review_schedule(
                        request=extra,
                        by=request.user,
                        starts_on=form.cleaned_data["starts_on"],
                        lead=form.cleaned_data["lead"],
                        qa=form.cleaned_data["qa"],
                    )
                    messages.success(request, f"{review} is in the calendar.")
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("calendar_planner:index")
    return render(
        request,
        "calendar_planner/extra_decide.html",
        {"extra": extra, "schedule": schedule, "decline": decline},
        status=400 if schedule.errors or decline.errors else 200,
    )


def home_part(*, person, on, current_posts) -> dict:
    """The calendar's part of the home page (``emslirp.home``)."""
    return selectors.home_items(person=person, current_posts=current_posts)
