"""Pages of accreditation: the application, the sponsor's decision, conflicts, the pool."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accreditation import permissions, selectors, services
from accreditation.forms import ApplicationForm, ConflictForm, PoolFilterForm, SponsorDecisionForm
from accreditation.models import ConflictDeclaration, ExpressionOfInterest
from emslirp.forms import form_errors_add
from emslirp.models import LocalAuthority, Region

POOL_PAGE_SIZE = 25


@login_required
def application(request):
    """The person's expression of interest: a draft they come back to, then sent (R5)."""
    if not permissions.can_apply(request.user):
        raise PermissionDenied("Ask your coordinator to put you on your region's register.")
    current = selectors.eoi_open_for(person=request.user)
    if current is not None and current.state != ExpressionOfInterest.State.DRAFT:
        return redirect("accreditation:application_sent")
    instance = current or ExpressionOfInterest(applicant=request.user)
    if request.method == "POST":
        form = ApplicationForm(request.POST, instance=instance, person=request.user)
        if form.is_valid():
            draft = form.save(commit=False)
            roles = form.cleaned_data["roles"]
            codes = [s.code for s in form.cleaned_data["specialisms"]]
            if "send" in request.POST:
                try:
                    services.eoi_submit(application=draft, roles=roles, specialism_codes=codes)
                except ValidationError as error:
                    # Keep every word: the draft is saved, and each problem shown at its field.
                    form_errors_add(form, error)
                    try:
                        services.eoi_save(application=draft, roles=roles, specialism_codes=codes)
                    except ValidationError as refused:
                        form_errors_add(form, refused)
                else:
                    messages.success(request, "Your application has been sent to your DCS.")
                    return redirect("accreditation:application_sent")
            else:
                try:
                    services.eoi_save(application=draft, roles=roles, specialism_codes=codes)
                except ValidationError as refused:
                    messages.info(request, " ".join(refused.messages))
                    return redirect("accreditation:application_sent")
                over = services.eoi_word_limit_errors(application=draft)
                if over:
                    for field, message in over.items():
                        form.add_error(field, message)
                    messages.info(
                        request,
                        "Your draft is saved. Shorten the answers marked before you send it.",
                    )
                else:
                    messages.success(
                        request, "Your draft is saved. Come back to it from your home page."
                    )
                    return redirect("accreditation:application")
    else:
        form = ApplicationForm(instance=instance, person=request.user)
    return render(
        request,
        "accreditation/application.html",
        {"form": form, "application": instance if instance.pk else None},
    )


@login_required
def application_sent(request):
    latest = selectors.eoi_latest_for(person=request.user)
    if latest is None:
        return redirect("accreditation:application")
    sponsor = selectors.eoi_sponsor(application=latest, on=timezone.localdate())
    return render(
        request,
        "accreditation/application_sent.html",
        {"application": latest, "sponsor": sponsor, "requests": latest.role_requests.all()},
    )


@login_required
def sponsor_list(request):
    """The applications waiting for the signed-in DCS's decision (R6)."""
    waiting = selectors.eois_awaiting_sponsor(sponsor=request.user, on=timezone.localdate())
    return render(request, "accreditation/sponsor_list.html", {"applications": waiting})


@login_required
def sponsor_decide(request, pk):
    application = get_object_or_404(
        ExpressionOfInterest.objects.select_related("applicant", "local_authority"), pk=pk
    )
    if not permissions.can_sponsor(request.user, application, on=timezone.localdate()):
        # Not the sponsor: the application is none of their business, not even its existence.
        raise PermissionDenied
    if application.state != ExpressionOfInterest.State.SUBMITTED:
        messages.info(request, "This application has already been decided.")
        return redirect("accreditation:sponsor_list")
    requests = list(application.role_requests.all())
    roles = [r.role for r in requests]
    form = SponsorDecisionForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            services.eoi_decide(
                application=application, by=request.user, decisions=form.decisions()
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Decided meanwhile (a second tab, or a successor): nothing more to do here.
                messages.info(request, " ".join(error.messages))
                return redirect("accreditation:sponsor_list")
            for role, messages_ in error.message_dict.items():
                field = f"{role}-reason" if f"{role}-reason" in form.fields else None
                form.add_error(field, messages_)
        else:
            messages.success(
                request, f"Your decision is recorded and {application.applicant} has been told."
            )
            return redirect("accreditation:sponsor_list")
    return render(
        request,
        "accreditation/sponsor_decide.html",
        {
            "application": application,
            "form": form,
            "specialisms": application.specialisms.all(),
        },
    )


@login_required
def conflicts(request):
    """The LAs a person declares a significant prior relationship with (R9)."""
    if not permissions.can_apply(request.user):
        raise PermissionDenied
    form = ConflictForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        services.conflict_declare(
            person=request.user,
            local_authority=form.cleaned_data["local_authority"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, f"{form.cleaned_data['local_authority']} is declared.")
        return redirect("accreditation:conflicts")
    return render(
        request,
        "accreditation/conflicts.html",
        {
            "form": form,
            "declared": ConflictDeclaration.objects.filter(person=request.user).select_related(
                "local_authority"
            ),
            "employment": selectors.employment_local_authorities(person=request.user),
        },
    )


@login_required
@require_POST
def conflict_withdraw(request, pk):
    declaration = get_object_or_404(
        ConflictDeclaration.objects.select_related("local_authority"), pk=pk, person=request.user
    )
    name = str(declaration.local_authority)
    services.conflict_withdraw(declaration=declaration)
    messages.success(request, f"{name} is no longer declared.")
    return redirect("accreditation:conflicts")


@login_required
def pool(request, region_pk=None):
    """The accredited pool of a region (R9), for its coordinator and its lead DCSs and ADs."""
    region = get_object_or_404(Region, pk=region_pk) if region_pk else request.user.region
    if region is None or not permissions.can_view_pool(request.user, region):
        raise PermissionDenied
    today = timezone.localdate()
    form = PoolFilterForm(request.GET or None, region=region)
    filters = {}
    if form.is_bound:
        # A filter with a bad value is shown with its error; the valid ones still apply.
        form.is_valid()
        filters = form.cleaned_data
    people = selectors.pool(
        region=region,
        on=today,
        role=filters.get("role", ""),
        specialism=filters["specialism"].code if filters.get("specialism") else "",
        local_authority=filters.get("local_authority"),
        status=filters.get("status", ""),
        not_deployed_for=filters.get("not_deployed_for"),
        free_of_conflict_with=filters.get("free_of_conflict_with"),
    )
    page = Paginator(people, POOL_PAGE_SIZE).get_page(request.GET.get("page"))
    las = {la.pk: la for la in LocalAuthority.objects.filter(region=region)}
    rows = [
        selectors.pool_row(person, local_authorities=las, on=today) for person in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accreditation/pool.html",
        {
            "region": region,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        },
    )


def home_part(*, person, on, current_posts) -> dict:
    """Accreditation's part of the home page (``emslirp.home``): the person's application
    and accreditations, whether to offer the pool, and the coordinator's decisions."""
    return {
        **selectors.home_items(person=person, on=on),
        "needs_you": selectors.coordinator_decisions(person=person, on=on),
        "can_view_pool": person.region is not None
        and permissions.can_view_pool(person, person.region),
    }
