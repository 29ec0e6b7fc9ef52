"""The regional picture's PDF report (R28): asked for by a reader of the page, made by the
worker with that reader's scope, kept with its SHA-256, handed only to readers of the same
scope, and every download recorded (R33)."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from emslirp.models import PdfState, Region, User
from emslirp.pdf import template_to_pdf
from emslirp.queue import task_after_commit
from reviews.intelligence.models import RegionalReport
from reviews.intelligence.permissions import IntelligenceScope
from reviews.intelligence.selectors.regional import regional_picture

logger = logging.getLogger(__name__)
PDF_TEMPLATE = "intelligence/pdf/region.html"
COORDINATOR = "coordinator"
_FAILURE_MAX = 2000


def regional_report_key(scope: IntelligenceScope) -> str:
    """The name of a scope: the coordinator's, or a DCS's by their own LAs."""
    if scope.coordinator:
        return COORDINATOR
    return "dcs:" + ",".join(str(pk) for pk in sorted(scope.own_local_authority_ids))


def regional_report_scope(report: RegionalReport) -> IntelligenceScope:
    """The scope ``report`` was asked for with, as it was when asked."""
    if report.scope_key == COORDINATOR:
        return IntelligenceScope(report.region, True, frozenset())
    ids = frozenset(int(pk) for pk in report.scope_key.removeprefix("dcs:").split(","))
    return IntelligenceScope(report.region, False, ids)


def regional_reports(*, scope: IntelligenceScope, limit: int = 5) -> list[RegionalReport]:
    """The latest reports of ``scope``'s region made for that same scope."""
    return list(
        RegionalReport.objects.filter(region=scope.region, scope_key=regional_report_key(scope))
        .defer("content")
        .order_by("-requested_at", "-pk")[:limit]
    )


@transaction.atomic
def regional_report_request(*, scope: IntelligenceScope, year: int, by: User) -> RegionalReport:
    """Ask the worker for the PDF of the picture as ``scope`` shows it, for ``year``'s
    heat map. One being made for the same scope and year is returned instead of asking
    again. Nothing is rendered here."""
    key = regional_report_key(scope)
    # The region's row is the lock: two asks at once (two tabs, two DCSs of one LA) wait
    # for each other, and the second finds the first's report being made.
    Region.objects.select_for_update().filter(pk=scope.region.pk).first()
    waiting = (
        RegionalReport.objects.select_for_update()
        .filter(region=scope.region, scope_key=key, year=year, state=PdfState.PENDING)
        .defer("content")
        .first()
    )
    if waiting is not None:
        return waiting
    report = RegionalReport.objects.create(
        region=scope.region, scope_key=key, year=year, requested_by=by, requested_at=timezone.now()
    )
    task_after_commit("reviews.tasks.task_regional_report_render", report_id=report.pk)
    return report


def regional_report_render(*, report: RegionalReport) -> RegionalReport:
    """Make ``report`` from the records as they are now, with the scope it was asked for
    with, and store it; or mark it failed with the error. A ready report is left as it
    is. Called by the worker."""
    report = RegionalReport.objects.defer("content").select_related("region").get(pk=report.pk)
    if report.state == PdfState.READY:
        return report
    try:
        scope = regional_report_scope(report)
        picture = regional_picture(scope=scope, year=report.year, today=timezone.localdate())
        content, digest, seconds = template_to_pdf(
            PDF_TEMPLATE, {"picture": picture, "scope": scope, "made_on": timezone.localdate()}
        )
    except Exception as error:
        logger.exception("regional report %s could not be made", report.pk)
        RegionalReport.objects.filter(pk=report.pk, state=PdfState.PENDING).update(
            state=PdfState.FAILED, failure=f"{type(error).__name__}: {error}"[:_FAILURE_MAX]
        )
        report.refresh_from_db()
        return report
    RegionalReport.objects.filter(pk=report.pk, state=PdfState.PENDING).update(
        state=PdfState.READY,
        content=content,
        sha256=digest,
        size=len(content),
        rendered_at=timezone.now(),
        render_seconds=seconds,
    )
    logger.info("regional report %s made in %.2f s (%d bytes)", report.pk, seconds, len(content))
    report.refresh_from_db()
    return report


@transaction.atomic
def regional_report_download(
    *, report: RegionalReport, scope: IntelligenceScope, by: User
) -> bytes:
    """The bytes of the ready ``report`` for ``by``, whose scope must be the one it was made
    for (PermissionDenied otherwise); the download is recorded with who and when."""
    if report.state != PdfState.READY or report.scope_key != regional_report_key(scope):
        raise PermissionDenied
    report.downloads.create(by=by, at=timezone.now())
    return bytes(RegionalReport.objects.values_list("content", flat=True).get(pk=report.pk))
