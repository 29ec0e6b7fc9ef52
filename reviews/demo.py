"""The demo region's teams (``load_demo``): the next reviews of the current calendar with
their teams being formed, placed through the services as the coordinator and the lead
would, from the people the suggestions offer; loading twice changes nothing."""

import datetime

from emslirp.models import User
from reviews import selectors, services
from reviews.models import Review, ReviewKind, TeamMember, TeamRole

# The next PCTR gets its whole team; the one after, its lead and QA; the next SAV, its
# lead and QA. The rest wait for the coordinator.
PCTR_FULL, PCTR_NAMED = 1, 1


def _place(review: Review, role: str, by: User, today: datetime.date) -> TeamMember | None:
    rows = selectors.team_suggestions(review=review, role=role, on=today, limit=1)
    if not rows:
        return None
    return services.team_assign(review=review, person=rows[0]["person"], role=role, by=by)


def load_reviews_demo(*, coordinator: User, today: datetime.date) -> dict[str, int]:
    created = {"team places": 0}
    if TeamMember.objects.exists():
        return created
    upcoming = Review.objects.filter(starts_on__gt=today).select_related("host__region")
    pctrs = list(upcoming.filter(kind=ReviewKind.PCTR).order_by("starts_on", "host__name"))
    savs = list(upcoming.filter(kind=ReviewKind.SAV).order_by("starts_on", "host__name"))
    plans = [(r, True) for r in pctrs[:PCTR_FULL]]
    plans += [(r, False) for r in pctrs[PCTR_FULL : PCTR_FULL + PCTR_NAMED] + savs[:1]]
    for review, whole in plans:
        lead = _place(review, TeamRole.LEAD, coordinator, today)
        created["team places"] += lead is not None
        created["team places"] += _place(review, TeamRole.QA, coordinator, today) is not None
        if whole and lead is not None:
            # The lead forms the rest of the team (R14).
            roles = [TeamRole.DATA_SPECIALIST] + [TeamRole.MEMBER] * 4
            for role in roles:
                created["team places"] += _place(review, role, lead.person, today) is not None
    return created
