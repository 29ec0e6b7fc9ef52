"""People of the calendar's page tests: post holders of the seeded East Midlands LAs."""

import datetime

from calendar_planner.periods import slot_end
from emslirp.models import LocalAuthority, PostKind
from reviews.review.models import Review
from tests.factories import PostFactory, UserFactory


def holder(region, kind: PostKind, la_name: str, *, name: str | None = None):
    """A person holding ``kind`` in ``la_name`` since 2020 (a senior officer at 3rd tier)."""
    la = LocalAuthority.objects.get(region=region, name=la_name)
    person = UserFactory(region=region, **({"full_name": name} if name else {}))
    tier = {"tier": 3} if kind == PostKind.SENIOR_OFFICER else {}
    PostFactory(holder=person, kind=kind, local_authority=la, **tier)
    return person


def review(region, kind: str, host: str, start: datetime.date, lead=None, qa=None, **extra):
    def la(name):
        return LocalAuthority.objects.get(region=region, name=name) if name else None

    return Review.objects.create(
        kind=kind,
        host=la(host),
        starts_on=start,
        ends_on=slot_end(kind, start),
        lead_local_authority=la(lead),
        qa_local_authority=la(qa),
        **extra,
    )
