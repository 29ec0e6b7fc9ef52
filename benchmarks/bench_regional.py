"""Time the regional picture (R28) for 10 years of a 33-LA region: the page (its six
queries and five charts drawn by Vega-Lite), one chart's Excel export, and the report's
PDF as the worker makes it; and count the page's queries, which the tests pin for 1 and 3
years and which must be the same here.

    .venv/bin/python benchmarks/bench_regional.py

It builds a fresh SQLite database in a temporary directory (or uses DATABASE_URL's
database if set, which it must be free to fill), so it never touches var/.
"""

import os
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
os.environ.setdefault("EMSLIRP_VAR_DIR", tempfile.mkdtemp(prefix="emslirp-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emslirp.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from emslirp.models import PostKind, Region, User  # noqa: E402
from reviews.intelligence.models import RegionalReport  # noqa: E402
from reviews.intelligence.services import regional  # noqa: E402
from reviews.management.commands.intelligence_bench_data import (  # noqa: E402
    REGION,
    bench_region_create,
)
from reviews.review.models import Review  # noqa: E402

LAS = 33
TODAY = timezone.localdate()
YEARS = list(range(TODAY.year - 10, TODAY.year))
REPEATS = 3


def seed() -> tuple[Region, User]:
    """The region the demo's history builder makes for benchmarks (the command
    ``intelligence_bench_data``): one builder for the demo, the command and this."""
    made = bench_region_create(las=LAS, years=len(YEARS), seed=0, pdfs=False, today=TODAY)
    print("made " + ", ".join(f"{n} {what}" for what, n in made.items()))
    region = Region.objects.get(name=REGION)
    return region, User.objects.get(posts__kind=PostKind.COORDINATOR, posts__region=region)


def timed(call) -> tuple[float, object]:
    seconds = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def main() -> None:
    call_command("migrate", verbosity=0)
    region, coordinator = seed()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(coordinator)
    url = reverse("intelligence:region", args=[region.pk])
    queries = []
    with connection.execute_wrapper(lambda run, sql, *args: queries.append(sql) or run(sql, *args)):
        first = client.get(url)
    assert first.status_code == 200, first.status_code
    page_s, response = timed(lambda: client.get(url))
    assert response.status_code == 200, response.status_code
    export = reverse("intelligence:region_export", args=[region.pk, "ratings", "xlsx"])
    export_s, _ = timed(lambda: client.get(export))
    scope = regional.regional_report_scope(
        RegionalReport(region=region, scope_key=regional.COORDINATOR)
    )

    def report():
        made = RegionalReport.objects.create(
            region=region, scope_key=regional.regional_report_key(scope), year=YEARS[-1],
            requested_by=coordinator, requested_at=timezone.now(),
        )  # fmt: skip
        return regional.regional_report_render(report=made)

    report_s, made = timed(report)
    print(f"regional picture, {LAS} LAs, {len(YEARS)} years, {Review.objects.count()} reviews:")
    print(f"  page:   {page_s:.2f} s (median of {REPEATS}), {len(queries)} queries")
    print(f"  Excel:  {export_s:.2f} s")
    print(f"  report: {report_s:.2f} s, {made.size} bytes, state {made.state}")


if __name__ == "__main__":
    main()
