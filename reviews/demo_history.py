"""The demo region's past (``load_demo``): five years of self-assessments and of reviews
with their final letters, themes, the team's view of the areas and the host's progress on
what was agreed, so that the regional charts say something on the day the demo is loaded
(R28, R38, R39). Counted back from that day; written by the same builder that makes the
benchmark's region (``reviews.intelligence.history``)."""

import datetime

from emslirp.demo import DemoDays, demo_email
from emslirp.models import PostKind, User
from emslirp.selectors import local_authorities_active
from reviews.intelligence.history import Cast, history_build
from reviews.reflections.services import MISSED_LOOKBACK

HISTORY_YEARS = 5


def history_window(today: datetime.date) -> tuple[list[int], datetime.date]:
    """The calendar years of the history (the five before today's) and the day its last
    letter is issued before: before the current cycle, and long enough ago that no
    reflection of its teams is still owed (R8)."""
    before = min(DemoDays(today).cycle_from, today - MISSED_LOOKBACK - datetime.timedelta(days=1))
    return list(range(today.year - HISTORY_YEARS, today.year)), before


def load_history_demo(*, coordinator: User, today: datetime.date) -> dict[str, int]:
    """The history of today's LAs, each written by its DCS, 2nd-tier lead and data specialist
    of today."""
    region = coordinator.region
    las = list(local_authorities_active(region=region, on=today))
    people = {
        u.email: u
        for u in User.objects.filter(
            email__in=[
                demo_email(kind, la.name)
                for la in las
                for kind in (PostKind.DCS, PostKind.SAFEGUARDING_LEAD, PostKind.DATA_SPECIALIST)
            ]
        )
    }
    cast = {
        la.pk: Cast(
            dcs=people[demo_email(PostKind.DCS, la.name)],
            ad=people[demo_email(PostKind.SAFEGUARDING_LEAD, la.name)],
            data=people[demo_email(PostKind.DATA_SPECIALIST, la.name)],
        )
        for la in las
    }
    years, before = history_window(today)
    return history_build(
        region=region, cast=cast, coordinator=coordinator, years=years, before=before
    )
