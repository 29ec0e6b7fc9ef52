"""Time the reminder sweep (R37) for 10, 100 and 1,000 reviews after their visit, each
with a final letter due and reflections outstanding, and count its queries: the count must
be the same for every size (the tests pin it), the seconds are what this prints.

    .venv/bin/python benchmarks/bench_reminders.py

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

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from emslirp.deadlines import deadlines_for  # noqa: E402
from emslirp.models import LocalAuthority, Post, PostKind, Reminder, User  # noqa: E402
from emslirp.reminders import reminders_sweep  # noqa: E402
from reviews.review.models import Review, ReviewState, TeamMember, TeamRole  # noqa: E402

SIZES = [10, 100, 1000]
REPEATS = 3
NOW = timezone.make_aware(datetime.datetime(2026, 11, 27, 9))


class Rollback(Exception):
    pass


def seed(count: int) -> None:
    las = list(LocalAuthority.objects.order_by("name"))
    people = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", full_name=f"Bench {n}") for n in range(len(las) + 10)
    )
    Post.objects.bulk_create(
        Post(
            holder=people[n],
            kind=PostKind.DCS,
            local_authority=la,
            started_on=datetime.date(2020, 1, 1),
        )
        for n, la in enumerate(las)
    )
    reviews = Review.objects.bulk_create(
        Review(
            kind="pctr",
            host=las[n % len(las)],
            starts_on=datetime.date(2026, 10, 1),
            ends_on=datetime.date(2026, 12, 31),
            state=ReviewState.AFTER_VISIT,
            onsite_from=datetime.date(2026, 11, 16),
            onsite_to=datetime.date(2026, 11, 18),
        )
        for n in range(count)
    )
    TeamMember.objects.bulk_create(
        TeamMember(
            review=r,
            person=people[len(las) + n % 10],
            role=TeamRole.LEAD,
            local_authority=las[(n + 1) % len(las)],
            assigned_by=people[0],
        )
        for n, r in enumerate(reviews)
    )


def one(count: int) -> tuple[float, int, int, float]:
    """Seconds and queries of the first sweep over ``count`` reviews, the reminders it
    made, and the seconds one person's "what needs you" takes (the home page's deadlines);
    everything is rolled back after."""
    out = {}
    try:
        with transaction.atomic():
            seed(count)
            person = User.objects.get(email="bench0@example.org")
            start = time.perf_counter()
            deadlines_for(person=person, on=NOW.date())
            out["home"] = time.perf_counter() - start
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                result = reminders_sweep(now=NOW, hand_out=False)
                out["seconds"] = time.perf_counter() - start
            out["queries"] = len(queries)
            out["made"] = result.created
            assert Reminder.objects.count() == result.created
            raise Rollback
    except Rollback:
        pass
    return out["seconds"], out["queries"], out["made"], out["home"]


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"reminder sweep on {connection.vendor}, best of {REPEATS}")
    print("reviews  reminders  queries  best s  median s  home best s")
    for size in SIZES:
        runs = [one(size) for _ in range(REPEATS)]
        seconds = [r[0] for r in runs]
        _s, queries, made, _h = runs[0]
        best, median = min(seconds), statistics.median(seconds)
        home = min(r[3] for r in runs)
        print(f"{size:7d}  {made:9d}  {queries:7d}  {best:6.3f}  {median:8.3f}  {home:11.3f}")


if __name__ == "__main__":
    main()
