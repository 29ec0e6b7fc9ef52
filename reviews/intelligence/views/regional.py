"""The regional picture (R28, R38, R39): the page of charts and each chart's numbers as
CSV and Excel, for the region's coordinator and the DCS of one of its LAs; for anyone
else the region's picture does not exist (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from emslirp.models import PdfState, PostKind, Region
from emslirp.pdf import pdf_attachment
from reviews.intelligence.exports import chart_csv, chart_xlsx
from reviews.intelligence.models import RegionalReport
from reviews.intelligence.permissions import intelligence_scope
from reviews.intelligence.selectors.regional import CHARTS, regional_picture
from reviews.intelligence.services import regional as services

_FORMATS = {
    "csv": ("text/csv; charset=utf-8", chart_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        chart_xlsx,
    ),
}


def _scope(request, region_pk):
    today = timezone.localdate()
    region = get_object_or_404(Region, pk=region_pk)
    scope = intelligence_scope(request.user, region, on=today)
    if scope is None:
        raise Http404
    return scope, today


def _year(request, today) -> tuple[int | None, str]:
    """The year asked for, or None (the latest with ratings) and why it was not taken."""
    asked = request.GET.get("year", "").strip()
    if not asked:
        return None, ""
    if asked.isdigit() and 2000 <= int(asked) <= today.year + 1:
        return int(asked), ""
    return None, f"There is no year {asked[:20]}: choose one of the years listed."


@login_required
@require_GET
def region(request, region_pk):
    """The region's charts, each with its summary, its table and its downloads."""
    scope, today = _scope(request, region_pk)
    year, problem = _year(request, today)
    if problem:
        messages.error(request, problem)
    picture = regional_picture(scope=scope, year=year, today=today)
    return render(
        request,
        "intelligence/region.html",
        {
            "picture": picture,
            "scope": scope,
            "year_choices": _choices(picture, today),
            "reports": services.regional_reports(scope=scope),
        },
    )


def _choices(picture, today) -> list[int]:
    return sorted(set(picture.years) | {today.year, picture.year}, reverse=True)


@login_required
@require_GET
def region_export(request, region_pk, chart, kind):
    """One chart's numbers, as the page shows them to this reader, as CSV or Excel."""
    if chart not in CHARTS or kind not in _FORMATS:
        raise Http404
    scope, today = _scope(request, region_pk)
    year, _ = _year(request, today)
    picture = regional_picture(scope=scope, year=year, today=today, draw=False)
    content_type, make = _FORMATS[kind]
    response = HttpResponse(make(picture.charts[chart]), content_type=content_type)
    name = f"{slugify(scope.region.name)}-{chart}"
    if chart == "ratings":
        name += f"-{picture.year}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def home_part(*, person, on, current_posts) -> dict:
    """The link to the regional picture on the home page of the region's coordinator and
    of each DCS in it (``emslirp.home``), from the posts the page has already loaded: no
    query of its own."""
    regions: dict[int, str] = {}
    for post in current_posts:
        if post.kind == PostKind.COORDINATOR and post.region_id:
            regions[post.region_id] = post.region.name
        elif post.kind == PostKind.DCS and post.local_authority_id:
            regions.setdefault(post.local_authority.region_id, "")
    return {
        "intelligence_links": [
            {"url": reverse("intelligence:region", args=[pk]), "region": name}
            for pk, name in sorted(regions.items())
        ]
    }


@login_required
@require_POST
def region_report(request, region_pk):
    """Ask the worker for the picture's PDF, as this reader's scope shows it."""
    scope, today = _scope(request, region_pk)
    year, _ = _year(request, today)
    if year is None:
        year = regional_picture(scope=scope, year=None, today=today, draw=False).year
    report = services.regional_report_request(scope=scope, year=year, by=request.user)
    if report.state == PdfState.READY:
        messages.success(request, "The report is ready to download.")
    else:
        messages.info(request, "The report is being made; reload this page to download it.")
    return redirect(f"{reverse('intelligence:region', args=[scope.region.pk])}?year={year}#reports")


@login_required
@require_GET
def region_report_download(request, region_pk, report_pk):
    """A ready report, to a reader whose scope is the one it was made for; the download
    is recorded (R33). Anyone else: it does not exist for them (404)."""
    scope, _ = _scope(request, region_pk)
    report = get_object_or_404(
        RegionalReport.objects.defer("content"),
        pk=report_pk,
        region=scope.region,
        scope_key=services.regional_report_key(scope),
        state=PdfState.READY,
    )
    content = services.regional_report_download(report=report, scope=scope, by=request.user)
    name = f"regional-picture-{slugify(scope.region.name)}-{report.year}.pdf"
    return pdf_attachment(content, filename=name)
