"""The demo region: every post of every current LA held by a fictional person; idempotent."""

import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.management import CommandError, call_command

from accreditation import selectors as accreditation_selectors
from accreditation.models import Accreditation, ExpressionOfInterest, Role
from emslirp import selectors
from emslirp.demo import DEMO_PASSWORD, HANDBOOK_INITIALS, DemoDays, demo_email, load_demo
from emslirp.models import MemorandumOfUnderstanding, MouSignature, Post, PostKind, User

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 26)


def counts():
    return (
        User.objects.count(),
        Post.objects.count(),
        MemorandumOfUnderstanding.objects.count(),
        MouSignature.objects.count(),
    )


def test_loading_twice_changes_nothing(east_midlands):
    first = load_demo(today=TODAY)
    after_first = counts()
    second = load_demo(today=TODAY)
    assert first == {"people": 62, "posts": 62, "memoranda": 10, "signatures": 30}
    assert second == {"people": 0, "posts": 0, "memoranda": 0, "signatures": 0}
    assert counts() == after_first


def test_every_current_la_has_every_post(east_midlands):
    load_demo(today=TODAY)
    single = [
        PostKind.DCS,
        PostKind.SAFEGUARDING_LEAD,
        PostKind.LEAD_MEMBER,
        PostKind.CHIEF_EXECUTIVE,
    ]
    for la in selectors.local_authorities_active(region=east_midlands, on=TODAY):
        for kind in single:
            assert selectors.post_holder(kind=kind, local_authority=la, on=TODAY) is not None, (
                la,
                kind,
            )
        for kind in [PostKind.DATA_SPECIALIST, PostKind.SENIOR_OFFICER]:
            assert selectors.post_holders(kind=kind, local_authority=la, on=TODAY).count() == 1


def test_demo_names_avoid_the_handbooks_initials(east_midlands):
    load_demo(today=TODAY)
    initials = {"".join(w[0] for w in u.full_name.split()) for u in User.objects.all()}
    assert initials & HANDBOOK_INITIALS == set()
    assert User.objects.values("full_name").distinct().count() == User.objects.count()


def test_documented_logins_work(east_midlands, rf):
    load_demo(today=TODAY)
    request = rf.post("/sign-in/")
    for email in ["coordinator@example.org", demo_email(PostKind.DCS, "Derby City")]:
        assert authenticate(request, username=email, password=DEMO_PASSWORD) is not None
    coordinator = User.objects.get(email="coordinator@example.org")
    assert (coordinator.is_staff, coordinator.is_superuser) == (True, False)


def test_derby_city_has_a_change_of_dcs_in_its_history(la):
    load_demo(today=TODAY)
    derby = la("Derby City")
    changed_on = DemoDays(TODAY).posts_from
    assert changed_on == datetime.date(2024, 4, 1)  # two programme years before TODAY
    before = selectors.post_holder(
        kind=PostKind.DCS, local_authority=derby, on=changed_on - datetime.timedelta(days=1)
    )
    after = selectors.post_holder(kind=PostKind.DCS, local_authority=derby, on=changed_on)
    assert before.email == "former.dcs.derby-city@example.org"
    assert after.email == "dcs.derby-city@example.org"


def test_the_demo_is_never_loaded_in_production(settings, east_midlands):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("load_demo")
    assert counts() == (0, 0, 0, 0)


def test_the_command_loads_the_accreditation_pipeline_once_and_quietly(
    east_midlands, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    first = (
        ExpressionOfInterest.objects.count(),
        Accreditation.objects.count(),
        User.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    assert (
        ExpressionOfInterest.objects.count(),
        Accreditation.objects.count(),
        User.objects.count(),
    ) == first
    assert mail.outbox == []
    states = set(ExpressionOfInterest.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "decided"}
    statuses = set(Accreditation.objects.values_list("status", flat=True))
    assert statuses == {"current", "flagged", "suspended", "lapsed"}
    pool = accreditation_selectors.pool(region=east_midlands, on=TODAY)
    # Forty reviewers, the directors and five ADs, and every LA's data specialist.
    assert 40 <= pool.count() <= 70
    # Every current LA's DCS can lead and QA; demo names avoid the handbook's initials.
    assert Accreditation.objects.filter(role=Role.LEAD_DCS).count() == 10
    for name in User.objects.values_list("full_name", flat=True):
        first_name, last_name = name.split(" ", 1)
        assert first_name[0] + last_name[0] not in HANDBOOK_INITIALS
