"""The coordinator's pages of the region's themes and the tagging of a final letter (R28).

Each asks ``permissions.can_keep_themes``: only the region's coordinator keeps its themes
and tags its letters. Anyone who may not see the review at all gets 404 from the tagging
page (``reviews.review.views._review``, R29); anyone else who is not the coordinator, 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from emslirp.forms import error_links, form_errors_add
from emslirp.models import Region
from reviews.intelligence.forms.themes import TaggingForm, ThemeForm
from reviews.intelligence.models import Theme
from reviews.intelligence.permissions import can_keep_themes
from reviews.intelligence.selectors.tagging import tagging_items
from reviews.intelligence.selectors.themes import region_themes
from reviews.intelligence.services import themes as service
from reviews.intelligence.themes import STARTING_THEMES
from reviews.letter.selectors import letter_of
from reviews.review.views import _review


def _region(request, region_pk) -> Region:
    region = get_object_or_404(Region, pk=region_pk)
    if not can_keep_themes(request.user, region):
        raise PermissionDenied
    return region


def _theme(request, region_pk, theme_pk) -> Theme:
    region = _region(request, region_pk)
    theme = get_object_or_404(Theme, pk=theme_pk, region=region)
    theme.region = region
    return theme


@login_required
@require_http_methods(["GET", "POST"])
def themes(request, region_pk):
    """The region's themes, active and retired, with how often each is used; a region
    with none is offered the starting list."""
    region = _region(request, region_pk)
    if request.method == "POST":
        if request.POST.get("action") != "seed":
            raise PermissionDenied
        added = service.themes_seed(region)
        messages.success(
            request,
            f"{added} theme{'' if added == 1 else 's'} added from the starting list."
            if added
            else "The region already has every theme of the starting list.",
        )
        return redirect("intelligence:themes", region_pk=region.pk)
    active, retired = region_themes(region)
    return render(
        request,
        "intelligence/themes.html",
        {
            "region": region,
            "active": active,
            "retired": retired,
            "starting_count": len(STARTING_THEMES),
        },
    )


def _theme_form_page(request, region, form, *, theme=None, status=200):
    return render(
        request,
        "intelligence/theme_form.html",
        {
            "region": region,
            "theme": theme,
            "form": form,
            "error_links": error_links(form),
            "tag_count": theme.tags.count() if theme is not None else 0,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_add(request, region_pk):
    region = _region(request, region_pk)
    form = ThemeForm(
        request.POST if request.method == "POST" else None, region=region, button="Add the theme"
    )
    if form.is_bound and form.is_valid():
        try:
            theme = service.theme_create(region=region, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, f"“{theme.name}” is added to the region's themes.")
            return redirect("intelligence:themes", region_pk=region.pk)
    return _theme_form_page(request, region, form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def theme_change(request, region_pk, theme_pk):
    """A theme's name, description and keywords; and the buttons to retire it, bring it
    back, or delete it while it is unused."""
    theme = _theme(request, region_pk, theme_pk)
    region = theme.region
    initial = {"name": theme.name, "description": theme.description, "keywords": theme.keywords}
    form = ThemeForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        region=region,
        theme=theme,
        button="Save the changes",
    )
    if form.is_bound and form.is_valid():
        try:
            service.theme_update(theme=theme, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, f"“{theme.name}” is saved.")
            return redirect("intelligence:themes", region_pk=region.pk)
    return _theme_form_page(request, region, form, theme=theme, status=400 if form.errors else 200)


@login_required
@require_POST
def theme_state(request, region_pk, theme_pk):
    """Retire a theme, bring it back, or delete it if it was never used."""
    theme = _theme(request, region_pk, theme_pk)
    action = request.POST.get("action", "")
    name = theme.name
    if action == "retire":
        service.theme_retire(theme=theme, by=request.user)
        message = f"“{name}” is retired: it is no longer offered, and its tags stay."
    elif action == "restore":
        service.theme_restore(theme=theme, by=request.user)
        message = f"“{name}” is offered for tagging again."
    elif action == "delete":
        try:
            service.theme_delete(theme=theme, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("intelligence:theme", region_pk=theme.region.pk, theme_pk=theme.pk)
        message = f"“{name}” is deleted."
    else:
        raise PermissionDenied
    messages.success(request, message)
    return redirect("intelligence:themes", region_pk=theme.region.pk)


@login_required
@require_http_methods(["GET", "POST"])
def review_tags(request, pk):
    """The themes of a final letter's findings and priority actions, with suggestions
    beside each; saving sets each one's themes to those ticked. Refused, saying why, on
    a letter that is not final; the letter itself is never changed."""
    review, _, _ = _review(request, pk)
    region = review.host.region
    if not can_keep_themes(request.user, region):
        raise PermissionDenied
    letter = letter_of(review)
    final = letter is not None and letter.is_final
    items = tagging_items(review) if final else []
    posted = request.method == "POST"
    form = TaggingForm(request.POST if posted else None, items=items)
    refused = []
    if posted and not final:
        refused = [service.NOT_FINAL]
    elif posted and form.is_valid():
        findings, actions = form.chosen()
        try:
            service.review_tags_set(
                review=review, findings=findings, actions=actions, by=request.user
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, "The themes are saved.")
            return redirect("intelligence:review_tags", pk=review.pk)
    # Each item's boxes are drawn by hand: its errors lead to its first box.
    links = error_links(
        form,
        whole="items",
        anchors={i.key: f"{i.key}-{i.choices[0].pk}" if i.choices else i.key for i in items},
    )
    return render(
        request,
        "intelligence/review_tags.html",
        {
            "review": review,
            "region": region,
            "letter": letter,
            "final": final,
            "refused": refused,
            "error_links": [("letter-state", m) for m in refused] + links,
            "rows": [
                {
                    "item": item,
                    "errors": form.errors.get(item.key, []),
                    "options": [
                        (theme, theme.pk in form.checked(item), item.suggestions.get(theme.pk, []))
                        for theme in item.choices
                    ],
                }
                for item in items
            ],
            "whole_errors": form.non_field_errors(),
        },
        status=400 if refused or form.errors else 200,
    )
