"""People and a review for the browser journeys, made through the services as the region
would make them: a coordinator, post holders (optionally accredited), a planned PCTR."""

import datetime

from django.utils import timezone

from calendar_planner.periods import add_months, quarter_start, slot_end
from emslirp import services
from emslirp.models import LocalAuthority, PostKind
from reviews.review.models import Review
from tests.factories import AccreditationFactory, UserFactory

SINCE = datetime.date(2020, 4, 1)


def coordinator_of(region):
    person = UserFactory(
        full_name="Coral Ordinator", email="coordinator@example.org", region=region, is_staff=True
    )
    services.post_assign(holder=person, kind=PostKind.COORDINATOR, region=region, started_on=SINCE)
    return person


def post_holder_in(region, email, kind, la_name, *, name=None, role=None):
    """Someone holding ``kind`` in ``la_name`` since 2024, accredited for ``role`` if given."""
    person = UserFactory(email=email, region=region, **({"full_name": name} if name else {}))
    tier = {"tier": 3} if kind == PostKind.SENIOR_OFFICER else {}
    la = LocalAuthority.objects.get(region=region, name=la_name)
    services.post_assign(holder=person, kind=kind, local_authority=la, started_on=SINCE, **tier)
    if role:
        AccreditationFactory(person=person, role=role)
    return person


def pctr_of_rutland(region):
    """A PCTR of Rutland in the next quarter, led from Derby City and quality-assured from
    Lincolnshire: still to come whenever the journeys run."""
    start = add_months(quarter_start(timezone.localdate()), 3)

    def la(name):
        return LocalAuthority.objects.get(region=region, name=name)

    return Review.objects.create(
        kind="pctr",
        host=la("Rutland"),
        starts_on=start,
        ends_on=slot_end("pctr", start),
        lead_local_authority=la("Derby City"),
        qa_local_authority=la("Lincolnshire"),
    )
