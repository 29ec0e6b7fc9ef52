"""The demo region's calendar: the handbook's calendars as history, the current cycle
planned for the ten LAs of today, loaded once (R10–R13)."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from calendar_planner import selectors
from calendar_planner.models import Blackout, ExtraReviewRequest, Programme, ProgrammeState
from emslirp.demo import DemoDays
from reviews.review.models import Review

D = datetime.date


def test_the_demo_calendar_loads_once_and_keeps_every_rule(
    east_midlands, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    programmes = list(Programme.objects.order_by("starts_on", "kind"))
    # The current cycle began three quarters before the day the demo was loaded.
    cycle_from = DemoDays(timezone.localdate()).cycle_from
    assert [(p.kind, p.starts_on, p.months, p.state) for p in programmes] == [
        ("pctr", D(2012, 1, 1), 36, ProgrammeState.ADOPTED),
        ("sav", D(2012, 1, 1), 30, ProgrammeState.ADOPTED),
        ("pctr", cycle_from, 36, ProgrammeState.ADOPTED),
        ("sav", cycle_from, 36, ProgrammeState.ADOPTED),
    ]
    # The handbook: nine PCTRs and fifteen SAV windows; today: ten LAs, one PCTR each in
    # the cycle and two SAVs each in three years.
    assert [p.entries.count() for p in programmes] == [9, 15, 10, 20]
    # The years just before the cycle are the reviews' own history (reviews.demo_history),
    # all over before it began.
    planned = Review.objects.exclude(starts_on__gte=D(2015, 1, 1), starts_on__lt=cycle_from)
    assert planned.count() == 54
    for programme in programmes[2:]:
        findings = selectors.programme_findings(programme)
        assert [f for f in findings if f.is_error] == []
        hosts = set(programme.entries.values_list("host__name", flat=True))
        assert "Northamptonshire" not in hosts
        assert {"North Northamptonshire", "West Northamptonshire"} <= hosts
    # The blackout was kept: Lincolnshire takes no part in the cycle's sixth quarter.
    blackout = Blackout.objects.get()
    lincolnshire = blackout.local_authority
    busy = Review.objects.filter(starts_on__lte=blackout.ends_on, ends_on__gte=blackout.starts_on)
    assert not busy.filter(host=lincolnshire).exists()
    assert not busy.filter(lead_local_authority=lincolnshire).exists()
    assert not busy.filter(qa_local_authority=lincolnshire).exists()
    assert ExtraReviewRequest.objects.get().local_authority.name == "Leicestershire"

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    assert (Programme.objects.count(), planned.count()) == (4, 54)
