"""Pages of the self-assessment (R17, R29, R32): the LA's page for the year, the form that
saves itself as people type (and a Save button that works without JavaScript), the
sign-off, the DCS's delegates and the coordinator's view of the region.

Every page asks ``reviews.self_assessment.permissions``; a person with no right to a
self-assessment gets 404, alike for one that exists and one that does not.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from emslirp.forms import error_links, form_errors_add
from emslirp.models import LocalAuthority
from reviews.self_assessment import content as fields
from reviews.self_assessment import permissions, selectors, services
from reviews.self_assessment.forms import (
    DelegateForm,
    SelfAssessmentForm,
    self_assessment_form_data,
)
from reviews.self_assessment.models import SelfAssessment


def _self_assessment(request, pk):
    """The self-assessment and what the user may do with it today; 404 unless they may
    read it (R29)."""
    today = timezone.localdate()
    try:
        self_assessment = selectors.self_assessment_get(pk=pk)
    except SelfAssessment.DoesNotExist:
        raise Http404 from None
    access = permissions.self_assessment_access(request.user, self_assessment, on=today)
    if not access.can_read:
        raise Http404
    return self_assessment, access, today


@login_required
def self_assessment_index(request):
    """The self-assessment of the user's LA for this year: to start, carry on with, or
    read once submitted."""
    today = timezone.localdate()
    places = selectors.self_assessment_places(person=request.user, on=today)
    if not places:
        raise Http404
    return render(
        request,
        "reviews/self_assessment_index.html",
        {
            "places": [
                {
                    **place,
                    "can_start": place["self_assessment"] is None
                    and permissions.can_start_self_assessment(
                        request.user, place["local_authority"], today
                    ),
                }
                for place in places
            ],
            "year": today.year,
        },
    )


@login_required
@require_POST
def self_assessment_start(request):
    today = timezone.localdate()
    choice = request.POST.get("local_authority", "")
    la = LocalAuthority.objects.filter(pk=int(choice)).first() if choice.isdigit() else None
    if la is None or not permissions.can_start_self_assessment(request.user, la, today):
        raise Http404
    self_assessment = services.self_assessment_start(local_authority=la, by=request.user, on=today)
    return redirect("reviews:self_assessment", pk=self_assessment.pk)


def _anchor(form, name: str) -> str:
    """The id a link to ``name`` leads to: a choice of radios by its first radio."""
    if name not in form.fields:
        return "self-assessment-form"
    if isinstance(form.fields[name].widget, forms.RadioSelect):
        return f"{form[name].auto_id}_1"
    return form[name].auto_id


def _page(request, self_assessment, access, form, *, merge=None, status=200):
    return render(
        request,
        "reviews/self_assessment.html",
        {
            "self_assessment": self_assessment,
            "access": access,
            "form": form,
            "error_links": error_links(form, whole="self-assessment-form"),
            "merge": merge,
            "conflict_links": [
                (form.label_text(key), _anchor(form, key))
                for key in (merge or {}).get("conflicts", [])
            ],
        },
        status=status,
    )


def _read_page(request, self_assessment, access):
    structure = self_assessment.template.structure
    content = fields.content_of(self_assessment)
    scale = {p["value"]: p["label"] for p in structure["scale"]}
    areas = [
        {
            "name": area["name"],
            "rating": content[fields.rating_key(area["key"])],
            "rating_label": scale.get(content[fields.rating_key(area["key"])], ""),
            "commentary": content[fields.commentary_key(area["key"])],
        }
        for area in structure["areas"]
    ]
    return render(
        request,
        "reviews/self_assessment_read.html",
        {
            "self_assessment": self_assessment,
            "access": access,
            "areas": areas,
            "lists": [
                (structure[name]["label"], fields.rows_filled(self_assessment, name), name)
                for name in fields.LISTS
            ],
        },
    )


def _conflict(request, self_assessment, access, base_revision, content):
    """The page after a refused save: the person's words kept, the others' changes to
    the fields they left alone taken in, and each field both changed marked with the
    other version beside it. Nothing is saved until they save again (R17)."""
    fresh = selectors.self_assessment_get(pk=self_assessment.pk)
    merge = selectors.self_assessment_merge(
        self_assessment=fresh, base_revision=base_revision, mine=content
    )
    form = SelfAssessmentForm(
        self_assessment_form_data(merge["values"], revision=merge["revision"]),
        template=fresh.template,
        can_submit=access.can_submit,
    )
    names = " and ".join(str(s["person"]) for s in merge["savers"]) or "Someone"
    scale = {p["value"]: p["label"] for p in fresh.template.structure["scale"]}
    for key in merge["conflicts"]:
        theirs = merge["theirs"][key]
        if key.startswith("rating_"):
            theirs = f"{theirs}: {scale[theirs]}" if theirs is not None else "No rating"
        # Their version beside the field, escaped here: the pack prints hints as given.
        form.fields[key].help_text = format_html(
            '{}<div class="govuk-inset-text govuk-!-margin-top-2 govuk-!-margin-bottom-0">'
            '<p class="govuk-body-s govuk-!-margin-bottom-1">Their version:</p>{}</div>',
            form.fields[key].help_text,
            mark_safe(linebreaks(theirs, autoescape=True)),  # noqa: S308 (escaped by linebreaks)
        )
    form.is_valid()  # after the hints: a bound field copies its hint when first made
    for key in merge["conflicts"]:
        form.add_error(
            key,
            f"{names} changed {form.label_text(key)} too: their version is shown with it. "
            "Keep what is right, then save.",
        )
    return _page(request, fresh, access, form, merge=merge, status=409)


@login_required
def self_assessment(request, pk):
    """The self-assessment: the form while the user may write it, else to read. Saving
    keeps every word: a save overtaken by someone else's is refused and shown to merge;
    a refused submission is saved as a draft, with each missing answer marked."""
    self_assessment, access, today = _self_assessment(request, pk)
    if not access.can_write:
        if request.method == "POST":
            messages.info(request, "This self-assessment is submitted: it can no longer change.")
            return redirect("reviews:self_assessment", pk=self_assessment.pk)
        return _read_page(request, self_assessment, access)
    template = self_assessment.template
    if request.method != "POST":
        form = SelfAssessmentForm(
            initial={**fields.content_of(self_assessment), "revision": self_assessment.revision},
            template=template,
            can_submit=access.can_submit,
        )
        return _page(request, self_assessment, access, form)
    if "submit" in request.POST and not access.can_submit:
        # Refused before anything is saved: a delegate's click on a button the page never
        # showed them changes nothing.
        raise PermissionDenied
    form = SelfAssessmentForm(request.POST, template=template, can_submit=access.can_submit)
    if not form.is_valid():
        return _page(request, self_assessment, access, form, status=400)
    content = form.content()
    base = form.cleaned_data["revision"]
    try:
        revision = services.self_assessment_save(
            self_assessment=self_assessment,
            base_revision=base,
            content=content,
            by=request.user,
            on=today,
        )
    except services.SelfAssessmentConflict:
        return _conflict(request, self_assessment, access, base, content)
    except ValidationError as error:
        form_errors_add(form, error)
        return _page(request, self_assessment, access, form, status=400)
    if "submit" not in request.POST:
        messages.success(request, "Your changes are saved.")
        return redirect("reviews:self_assessment", pk=self_assessment.pk)
    try:
        submitted = services.self_assessment_submit(
            self_assessment=self_assessment, revision=revision, by=request.user, on=today
        )
    except services.SelfAssessmentConflict:
        return _conflict(request, self_assessment, access, revision, content)
    except ValidationError as error:
        saved = selectors.self_assessment_get(pk=self_assessment.pk)
        form = SelfAssessmentForm(
            self_assessment_form_data(content, revision=revision),
            template=template,
            can_submit=access.can_submit,
        )
        form.is_valid()
        form_errors_add(form, error)
        messages.info(request, "Your answers are saved. Complete what is marked, then submit.")
        return _page(request, saved, access, form, status=400)
    messages.success(
        request,
        f"The self-assessment of {submitted.local_authority} for {submitted.year} is submitted. "
        "It can no longer be changed.",
    )
    return redirect("reviews:self_assessment", pk=self_assessment.pk)


@login_required
@require_POST
def self_assessment_autosave(request, pk):
    """Saves the form as it stands, asked by the page as each answer changes; answers
    with a line for the page's status and, once saved, the revision the next save is
    based on. Nothing is ever swapped into the answers themselves."""
    self_assessment, access, today = _self_assessment(request, pk)
    context = {"self_assessment": self_assessment}
    if not access.can_write:
        context["problem"] = "submitted"
        return render(request, "reviews/_self_assessment_status.html", context)
    form = SelfAssessmentForm(
        request.POST, template=self_assessment.template, can_submit=access.can_submit
    )
    if form.is_valid():
        try:
            context["revision"] = services.self_assessment_save(
                self_assessment=self_assessment,
                base_revision=form.cleaned_data["revision"],
                content=form.content(),
                by=request.user,
                on=today,
            )
            context["saved_at"] = timezone.localtime()
        except services.SelfAssessmentConflict as conflict:
            fresh = selectors.self_assessment_get(pk=self_assessment.pk)
            context["problem"] = "conflict"
            context["merge"] = selectors.self_assessment_merge(
                self_assessment=fresh, base_revision=conflict.base_revision, mine=conflict.content
            )
        except ValidationError as error:
            form_errors_add(form, error)
    if form.errors:
        context["problem"] = "invalid"
        context["errors"] = [
            (form[name].label if name in form.fields else "", name, message)
            for name, messages_ in form.errors.items()
            for message in messages_
        ]
    return render(request, "reviews/_self_assessment_status.html", context)


@login_required
def self_assessment_delegates(request, pk):
    """The DCS names the colleagues who may write the draft, and withdraws them (R32)."""
    self_assessment, access, today = _self_assessment(request, pk)
    if not access.can_withdraw_delegation:
        raise Http404
    candidates = selectors.self_assessment_delegate_candidates(
        self_assessment=self_assessment, on=today
    )
    form = None
    if access.can_delegate:
        form = DelegateForm(request.POST or None, candidates=candidates)
        if request.method == "POST" and form.is_valid():
            person = form.cleaned_data["person"]
            try:
                services.self_assessment_delegate(
                    self_assessment=self_assessment, person=person, by=request.user, on=today
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, f"{person} may now write the self-assessment.")
                return redirect("reviews:self_assessment_delegates", pk=self_assessment.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "reviews/self_assessment_delegates.html",
        {
            "self_assessment": self_assessment,
            "delegates": list(selectors.self_assessment_delegates(self_assessment=self_assessment)),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def self_assessment_delegation_withdraw(request, pk, person_pk):
    self_assessment, access, today = _self_assessment(request, pk)
    if not access.can_withdraw_delegation:
        raise Http404
    person = get_object_or_404(
        selectors.self_assessment_delegates(self_assessment=self_assessment), pk=person_pk
    )
    services.self_assessment_delegation_withdraw(
        self_assessment=self_assessment, person=person, by=request.user, on=today
    )
    messages.success(request, f"{person} can no longer write the self-assessment.")
    return redirect("reviews:self_assessment_delegates", pk=self_assessment.pk)


@login_required
def self_assessments_of_region(request):
    """The coordinator's view of their region's self-assessments for a year: who has
    started and who has submitted, and each submitted one to read (R29)."""
    today = timezone.localdate()
    region = permissions.self_assessments_region(request.user, on=today)
    if region is None:
        raise Http404
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    return render(
        request,
        "reviews/self_assessment_region.html",
        {
            "region": region,
            "year": year,
            "rows": selectors.self_assessments_of_region(region=region, year=year),
            "years": list(range(today.year, today.year - 5, -1)),
        },
    )
