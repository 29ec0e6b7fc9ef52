"""The demo region's calendar (``load_demo``): the handbook's 2012–2014 PCTR and SAV
calendars as history, the current cycle for the ten LAs of today planned from three
quarters before the day the demo is loaded, a blackout the planner kept to, and a request
for an extra PCTR waiting.

Everything goes through the services, as the coordinator would do it; loading twice
changes nothing.
"""

import datetime
from pathlib import Path

from calendar_planner import services
from calendar_planner.csvio import calendar_read
from calendar_planner.models import Blackout, Programme
from calendar_planner.periods import PCTR, SAV, SAV_INTERVAL_DEFAULT
from emslirp.demo import DemoDays
from emslirp.models import LocalAuthority, PostKind, Region, User
from emslirp.selectors import post_holder

DATA = Path(__file__).resolve().parent / "data"
D = datetime.date
HISTORY = [
    # kind, file, first month, months
    (PCTR, "handbook_pctr_2012.csv", D(2012, 1, 1), 36),
    (SAV, "handbook_sav_2012.csv", D(2012, 1, 1), 30),
]
HISTORY_NOTE = "The handbook's 2012–2014 calendar"
BLACKOUT = ("Lincolnshire", "Ofsted inspection expected")
EXTRA = ("Leicestershire", "A rise in referrals after a serious case review.")


def load_calendar_demo(*, region: Region, coordinator: User, today: datetime.date) -> dict:
    created = {"programmes": 0, "reviews": 0, "blackouts": 0, "extra requests": 0}
    days = DemoDays(today)
    if Programme.objects.filter(region=region).exists():
        return created
    for kind, name, start, months in HISTORY:
        rows = calendar_read(kind=kind, text=(DATA / name).read_text(), region=region)
        programme = services.programme_import(
            region=region,
            kind=kind,
            rows=rows,
            starts_on=start,
            months=months,
            interval=SAV_INTERVAL_DEFAULT if kind == SAV else None,
            note=HISTORY_NOTE,
            by=coordinator,
        )
        services.programme_adopt(programme=programme, by=coordinator)
        created["programmes"] += 1
        created["reviews"] += len(rows)

    name, reason = BLACKOUT
    first, last = days.blackout
    Blackout.objects.create(
        local_authority=LocalAuthority.objects.get(region=region, name=name),
        starts_on=first,
        ends_on=last,
        reason=reason,
    )
    created["blackouts"] += 1
    # The PCTR cycle first: the SAV programme is then planned around it.
    for kind in (PCTR, SAV):
        programme = services.programme_create(
            region=region,
            kind=kind,
            starts_on=days.cycle_from,
            years=3,
            interval=SAV_INTERVAL_DEFAULT if kind == SAV else None,
            seed=0,
            by=coordinator,
        )
        # Planned here rather than in the worker, so that it can be adopted at once; the
        # task queued on commit finds it planned and does nothing.
        services.programme_plan(programme=programme)
        services.programme_adopt(programme=programme, by=coordinator)
        created["programmes"] += 1
        created["reviews"] += programme.entries.count()

    name, why = EXTRA
    preferred = days.extra_preferred
    la = LocalAuthority.objects.get(region=region, name=name)
    services.extra_review_request(
        local_authority=la,
        by=post_holder(kind=PostKind.DCS, local_authority=la, on=today),
        preferred_start=preferred,
        reason=why,
    )
    created["extra requests"] += 1
    return created
