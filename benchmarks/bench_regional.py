"""Time the regional picture (R28) for 10 years of a 33-LA region: the page (its six
queries and five charts drawn by Vega-Lite), one chart's Excel export, and the report's
PDF as the worker makes it; and count the page's queries, which the tests pin for 1 and 3
years and which must be the same here.

    .venv/bin/python benchmarks/bench_regional.py

It builds a fresh SQLite database in a temporary directory (or uses DATABASE_URL's
database if set, which it must be free to fill), so it never touches var/.
"""

import datetime
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

from emslirp.models import LocalAuthority, Post, PostKind, Region, User  # noqa: E402
from reviews.intelligence.models import (  # noqa: E402
    ActionProgress,
    Progress,
    RegionalReport,
    Theme,
    ThemeTag,
)
from reviews.intelligence.services import regional  # noqa: E402
from reviews.letter.models import Letter  # noqa: E402
from reviews.review.models import Review  # noqa: E402
from reviews.self_assessment.models import SelfAssessment, SelfAssessmentTemplate  # noqa: E402
from reviews.workbook.models import AgreedAction, TeamAreaView  # noqa: E402

LAS = 33
YEARS = list(range(2017, 2027))
REPEATS = 3
AREAS = ["outcomes", "leadership", "partnership", "practice", "participation",
         "performance", "resources", "innovation", "commissioning"]  # fmt: skip


def seed() -> tuple[Region, User]:
    region = Region.objects.create(name="Bench Region")
    las = LocalAuthority.objects.bulk_create(
        LocalAuthority(
            region=region, name=f"Benchshire {n:02}", active_from=datetime.date(1974, 4, 1)
        )
        for n in range(LAS)
    )
    by = User.objects.create(email="bench.coordinator@example.org", full_name="Bench Coordinator")
    Post.objects.create(
        holder=by, kind=PostKind.COORDINATOR, region=region, started_on=datetime.date(2015, 1, 1)
    )
    now = timezone.now()
    template = SelfAssessmentTemplate.objects.order_by("-number").first()
    SelfAssessment.objects.bulk_create(
        SelfAssessment(
            local_authority=la, year=y, template=template, state="submitted",
            areas={k: {"rating": 1 + (i + n + y) % 4} for i, k in enumerate(AREAS)},
            signed_name="S", signed_position="DCS", signed_on=datetime.date(y, 3, 1),
            submitted_at=now, submitted_by=by, started_by=by, updated_by=by, updated_at=now,
        )
        for n, la in enumerate(las) for y in YEARS
    )  # fmt: skip
    themes = Theme.objects.bulk_create(
        Theme(region=region, name=f"Theme {n}", created_at=now) for n in range(12)
    )
    # Each LA reviewed every third year: 110 reviews, 3 agreed actions each.
    reviews = Review.objects.bulk_create(
        Review(kind="pctr" if n % 2 else "sav", host=la, starts_on=datetime.date(y, 4, 1),
               ends_on=datetime.date(y, 6, 30))
        for n, la in enumerate(las) for y in YEARS if (n + y) % 3 == 0
    )  # fmt: skip
    Letter.objects.bulk_create(
        Letter(review=r, state="final", subject="S", body="B", drafted_by=by, drafted_at=now,
               updated_at=now, approved_by=by, approved_at=now, shared_at=now, issued_by=by,
               issued_at=now)
        for r in reviews
    )  # fmt: skip
    actions = AgreedAction.objects.bulk_create(
        AgreedAction(review=r, number=i, text=f"Action {i}", host_agrees=True)
        for r in reviews for i in (1, 2, 3)
    )  # fmt: skip
    ThemeTag.objects.bulk_create(
        ThemeTag(theme=themes[(a.pk + k) % len(themes)], action=a, review=a.review, tagged_by=by,
                 tagged_at=now)
        for a in actions for k in (0, 5)
    )  # fmt: skip
    ActionProgress.objects.bulk_create(
        ActionProgress(action=a, status=list(Progress)[(a.pk + k) % 3], recorded_by=by,
                       recorded_at=now + datetime.timedelta(minutes=k))
        for a in actions for k in range(a.pk % 3)
    )  # fmt: skip
    TeamAreaView.objects.bulk_create(
        TeamAreaView(review=r, area=k, rating=1 + (r.pk + i) % 4, recorded_by=by, recorded_at=now)
        for r in reviews for i, k in enumerate(AREAS[:4])
    )  # fmt: skip
    return region, by


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
