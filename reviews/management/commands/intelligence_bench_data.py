"""Fill an empty database with a large region's history, to time the regional pages and
reports on (``make bench``): N LAs, Y years of self-assessments, reviews, final letters,
findings, actions, theme tags, the team's views and action progress, written by the
builder the demo's history uses (``reviews.intelligence.history``)."""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from emslirp import services as core
from emslirp.models import LocalAuthority, PostKind, Region, User
from reviews.intelligence.history import Cast, history_build
from reviews.letter.models import LetterTemplate

REGION = "Benchmark region"
DOMAIN = "bench.example.org"
POSTS = [
    ("dcs", "Director", PostKind.DCS),
    ("ad", "Safeguarding Lead", PostKind.SAFEGUARDING_LEAD),
    ("data", "Data Specialist", PostKind.DATA_SPECIALIST),
]


class Command(BaseCommand):
    help = (
        "Generate a region of N local authorities with Y years of history for the regional "
        "intelligence benchmarks, into a database that has no such region yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--las", type=int, default=33, help="local authorities (>= 3)")
        parser.add_argument("--years", type=int, default=10, help="years back from today")
        parser.add_argument("--seed", type=int, default=0, help="the history's random seed")
        parser.add_argument(
            "--pdfs",
            action="store_true",
            help="also ask the worker for each final letter's PDF (slow: about 0.3 s each)",
        )

    def handle(self, *args, las, years, seed, pdfs, **options):
        if settings.PRODUCTION:
            raise CommandError("Benchmark data is never generated in production.")
        if las < 3:
            raise CommandError("A region needs at least three LAs: a review has three.")
        if years < 1:
            raise CommandError("Give at least one year.")
        if Region.objects.filter(name__iexact=REGION).exists():
            raise CommandError(f"{REGION!r} exists already: start from an empty database.")
        today = timezone.localdate()
        started = time.perf_counter()
        with transaction.atomic():
            made = bench_region_create(las=las, years=years, seed=seed, pdfs=pdfs, today=today)
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{n} {what}" for what, n in made.items())
        self.stdout.write(f"{REGION}: {las} LAs, {years} years to {today:%-d %B %Y}.")
        self.stdout.write(f"Created {summary}.")
        self.stdout.write(f"Took {seconds:.2f} s.")


def bench_region_create(
    *, las: int, years: int, seed: int, pdfs: bool, today: datetime.date
) -> dict[str, int]:
    """The region, its LAs (existing since well before the history), a coordinator and a
    DCS, 2nd-tier lead and data specialist per LA in post throughout, its letter templates
    copied from a region that has them, then the history."""
    region = Region.objects.create(name=REGION)
    first_day = datetime.date(today.year - years - 1, 4, 1)
    authorities = LocalAuthority.objects.bulk_create(
        [
            LocalAuthority(region=region, name=f"Bench Authority {n:02d}", active_from=first_day)
            for n in range(1, las + 1)
        ]
    )
    coordinator = User.objects.create_user(
        email=f"coordinator@{DOMAIN}", full_name="Bench Coordinator", region=region
    )
    core.post_assign(
        holder=coordinator, kind=PostKind.COORDINATOR, started_on=first_day, region=region
    )
    people = [
        User(email=f"{post}.{n:02d}@{DOMAIN}", full_name=f"Bench {name} {n:02d}", region=region)
        for n in range(1, las + 1)
        for post, name, _ in POSTS
    ]
    for user in people:
        user.set_unusable_password()  # nobody signs in as a benchmark's people
    User.objects.bulk_create(people)
    cast = {}
    for n, la in enumerate(authorities):
        holders = people[len(POSTS) * n : len(POSTS) * (n + 1)]
        for holder, (_, _, kind) in zip(holders, POSTS, strict=True):
            core.post_assign(holder=holder, kind=kind, started_on=first_day, local_authority=la)
        cast[la.pk] = Cast(*holders)
    kinds_done = set()
    for template in LetterTemplate.objects.exclude(region=region).order_by("pk"):
        if template.kind not in kinds_done:
            LetterTemplate.objects.create(
                region=region, kind=template.kind, subject=template.subject, body=template.body
            )
            kinds_done.add(template.kind)
    made = {"LAs": las, "people": len(people) + 1}
    made |= history_build(
        region=region,
        cast=cast,
        coordinator=coordinator,
        years=list(range(today.year - years, today.year)),
        before=today,
        seed=seed,
        pdfs=pdfs,
    )
    return made
