"""The demo region: fictional people in every post of every current LA (``load_demo``).

Loading it twice changes nothing. Nobody here is real: the names are made up, and no
person's initials are those the handbook uses for the region's real directors.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from emslirp import selectors, services
from emslirp.models import (
    MOU_SIGNATORY_POSTS,
    MemorandumOfUnderstanding,
    Post,
    PostKind,
    Region,
    User,
)
from emslirp.working_days import working_days_from

DEMO_PASSWORD = "demo-password-2026"
DEMO_DOMAIN = "example.org"
COORDINATOR_EMAIL = f"coordinator@{DEMO_DOMAIN}"
# The handbook names the region's directors of 2012 by these initials; the demo avoids them.
HANDBOOK_INITIALS = frozenset({"AB", "AM", "CC", "CM", "GW", "IC", "IT", "PD", "RD"})

FIRST_NAMES = [
    "Alice",
    "Bilal",
    "Carys",
    "Dev",
    "Eleni",
    "Femi",
    "Grace",
    "Hugo",
    "Isla",
    "Jonah",
    "Kiran",
    "Lena",
    "Maya",
    "Nikhil",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
    "Umar",
    "Vera",
    "Wren",
    "Yusuf",
    "Zara",
]
SURNAMES = [
    "Ashdown",
    "Brierley",
    "Calloway",
    "Dunmore",
    "Ellery",
    "Fenwick",
    "Garside",
    "Holloway",
    "Inchley",
    "Jessop",
    "Kettering",
    "Lowther",
    "Marston",
    "Nuttall",
    "Oakley",
    "Pickering",
    "Quarmby",
    "Radcliffe",
    "Stainton",
    "Thorley",
    "Upton",
    "Varley",
    "Whitlock",
    "Yardley",
]
# Posts every current LA has in the demo, with the tier where the post has one.
DEMO_POSTS = [
    (PostKind.DCS, None),
    (PostKind.SAFEGUARDING_LEAD, None),
    (PostKind.LEAD_MEMBER, None),
    (PostKind.CHIEF_EXECUTIVE, None),
    (PostKind.DATA_SPECIALIST, None),
    (PostKind.SENIOR_OFFICER, 3),
]
POST_SLUGS = {
    PostKind.DCS: "dcs",
    PostKind.SAFEGUARDING_LEAD: "ad",
    PostKind.LEAD_MEMBER: "member",
    PostKind.CHIEF_EXECUTIVE: "chief",
    PostKind.DATA_SPECIALIST: "data",
    PostKind.SENIOR_OFFICER: "officer",
}


def quarter_start(day: datetime.date, *, shift: int = 0) -> datetime.date:
    """The first day of the quarter ``shift`` quarters after the one holding ``day``."""
    index = day.year * 4 + (day.month - 1) // 3 + shift
    return datetime.date(index // 4, index % 4 * 3 + 1, 1)


# How far into its quarter a training day falls.
DAYS_IN = datetime.timedelta(days=14)


@dataclass(frozen=True)
class DemoDays:
    """The demo's dates, laid out from the day it is loaded so that it means the same on
    any day: the same reviews are over, overdue or coming, whatever the year."""

    today: datetime.date

    @property
    def year_from(self) -> datetime.date:
        """1 April on or before today: the programme's year, and its MoU's commencement."""
        year = (
            self.today.year
            if self.today >= datetime.date(self.today.year, 4, 1)
            else (self.today.year - 1)
        )
        return datetime.date(year, 4, 1)

    @property
    def posts_from(self) -> datetime.date:
        """Everybody of today took up their post two programme years ago."""
        return self.year_from.replace(year=self.year_from.year - 2)

    @property
    def former_dcs(self) -> tuple[str, datetime.date, datetime.date]:
        """One change of DCS in the demo's history: Derby City's director before today's."""
        return (
            "Derby City",
            datetime.date(self.posts_from.year - 5, 9, 1),
            self.posts_from - datetime.timedelta(days=1),
        )

    # Training comes before the cycle's first review, so the pool can staff every review
    # of the cycle; each day is a working day.
    @property
    def workshop(self) -> datetime.date:
        return working_days_from(quarter_start(self.cycle_from, shift=-3) + DAYS_IN, 1)[0]

    @property
    def sponsored_on(self) -> datetime.date:
        return working_days_from(quarter_start(self.cycle_from, shift=-2), 1)[0]

    @property
    def team_day(self) -> datetime.date:
        return working_days_from(quarter_start(self.cycle_from, shift=-1) + DAYS_IN, 1)[0]

    @property
    def mandatory_day(self) -> datetime.date:
        """A mandatory training day early in the cycle, which two reviewers missed."""
        return working_days_from(quarter_start(self.cycle_from, shift=1) + DAYS_IN, 1)[0]

    @property
    def cycle_from(self) -> datetime.date:
        """The current PCTR cycle began three quarters before today's: three PCTRs are
        over, and the next comes next quarter."""
        return quarter_start(self.today, shift=-3)

    @property
    def blackout(self) -> tuple[datetime.date, datetime.date]:
        """An inspection expected in the cycle's sixth quarter."""
        first = quarter_start(self.cycle_from, shift=5)
        return first, quarter_start(first, shift=1) - datetime.timedelta(days=1)

    @property
    def extra_preferred(self) -> datetime.date:
        return quarter_start(self.cycle_from, shift=6)


def fictional_names():
    """A repeatable run of made-up names with no handbook initials, each used once. It
    ends (rather than spinning) once every first name has met every surname."""
    seen = set()
    n_first, n_last = len(FIRST_NAMES), len(SURNAMES)
    # The demo's original order first, then every pairing (7 is coprime with 24, so each
    # first name meets each surname once), skipping those already given.
    candidates = itertools.chain(
        (
            (FIRST_NAMES[i % n_first], SURNAMES[(i * 7 + i // n_first) % n_last])
            for i in range(n_first * n_last)
        ),
        (
            (first, SURNAMES[(f + 7 * offset) % n_last])
            for offset in range(n_last)
            for f, first in enumerate(FIRST_NAMES)
        ),
    )
    for first, last in candidates:
        name = f"{first} {last}"
        if first[0] + last[0] in HANDBOOK_INITIALS or name in seen:
            continue
        seen.add(name)
        yield name


def demo_email(kind: PostKind, la_name: str) -> str:
    return f"{POST_SLUGS[kind]}.{slugify(la_name)}@{DEMO_DOMAIN}"


@transaction.atomic
def load_demo(*, today: datetime.date) -> dict[str, int]:
    """Create what is missing of the demo region; return how many rows were created."""
    created = {"people": 0, "posts": 0, "memoranda": 0, "signatures": 0}
    days = DemoDays(today)
    region = Region.objects.get(name="East Midlands")
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    names = fictional_names()

    def person(email):
        name = next(names)
        user, made = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "region": region, "password": password}
        )
        created["people"] += made
        return user

    def hold(user, kind, started_on, **where):
        if not Post.objects.filter(holder=user, kind=kind, started_on=started_on, **where).exists():
            services.post_assign(holder=user, kind=kind, started_on=started_on, **where)
            created["posts"] += 1

    coordinator = person(COORDINATOR_EMAIL)
    hold(coordinator, PostKind.COORDINATOR, days.posts_from, region=region)

    la_name, started_on, ended_on = days.former_dcs
    former = person(f"former.{demo_email(PostKind.DCS, la_name)}")
    la = selectors.local_authority_find(name=la_name, region=region)
    if not Post.objects.filter(holder=former, kind=PostKind.DCS, local_authority=la).exists():
        services.post_assign(
            holder=former,
            kind=PostKind.DCS,
            local_authority=la,
            started_on=started_on,
            ended_on=ended_on,
        )
        created["posts"] += 1

    for la in selectors.local_authorities_active(region=region, on=today):
        for kind, tier in DEMO_POSTS:
            user = person(demo_email(kind, la.name))
            hold(
                user, kind, days.posts_from, local_authority=la, **({"tier": tier} if tier else {})
            )
        memorandum, made = MemorandumOfUnderstanding.objects.get_or_create(
            local_authority=la,
            commenced_on=days.year_from,
            defaults={"review_on": days.year_from.replace(year=days.year_from.year + 1)},
        )
        created["memoranda"] += made
        signed = set(memorandum.signatures.values_list("signatory_post", flat=True))
        for kind in MOU_SIGNATORY_POSTS:
            if kind in signed:
                continue
            signer = selectors.post_holder(kind=kind, local_authority=la, on=days.year_from)
            services.mou_sign(
                memorandum=memorandum, signatory_post=kind, by=signer, on=days.year_from
            )
            created["signatures"] += 1
    return created
