"""The self-assessment (R17, R29, R32, R33): who writes and reads it, saves that never
lose a word when two people save at once, the sign-off, the template's versions, one per
LA per year, and the pages' query counts."""

import datetime
import threading
import time

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse

from emslirp.deadlines import deadlines_for
from emslirp.models import PostKind
from reviews.self_assessment import content as fields
from reviews.self_assessment import permissions, services
from reviews.self_assessment import selectors as sa_selectors
from reviews.self_assessment.forms import self_assessment_form_data
from reviews.self_assessment.models import (
    SelfAssessment,
    SelfAssessmentRevision,
    SelfAssessmentState,
    SelfAssessmentTemplate,
)
from tests.calendar_planner.people import holder
from tests.factories import PostFactory, UserFactory

D = datetime.date
TODAY = D(2026, 11, 27)
AREAS = [
    "outcomes",
    "leadership",
    "partnership",
    "practice",
    "participation",
    "performance",
    "resources",
    "innovation",
    "commissioning",
]


@pytest.fixture
def dcs(east_midlands):
    return holder(east_midlands, PostKind.DCS, "Rutland", name="Rhona Director")


@pytest.fixture
def ad(east_midlands):
    return holder(east_midlands, PostKind.SAFEGUARDING_LEAD, "Rutland", name="Ada Safeguard")


@pytest.fixture
def colleague(east_midlands):
    return holder(east_midlands, PostKind.SENIOR_OFFICER, "Rutland", name="Cole League")


@pytest.fixture
def sa(la, dcs):
    return services.self_assessment_start(local_authority=la("Rutland"), by=dcs, on=TODAY)


def answers(self_assessment, **changes):
    """Everything the form holds for ``self_assessment`` now, with ``changes``."""
    self_assessment.refresh_from_db()
    return {**fields.content_of(self_assessment), **changes}


def save(self_assessment, by, base, **changes):
    return services.self_assessment_save(
        self_assessment=self_assessment,
        base_revision=base,
        content=answers(self_assessment, **changes),
        by=by,
        on=TODAY,
    )


def complete(**extra):
    """What a submission needs: every area rated, the period and the sign-off."""
    return {
        **{fields.rating_key(a): 3 for a in AREAS},
        "period_covered": "April 2025 to March 2026",
        "signed_name": "Rhona Director",
        "signed_position": "Director of Children's Services",
        **extra,
    }


def post_data(self_assessment, revision=None, **changes):
    content = answers(self_assessment, **changes)
    return self_assessment_form_data(content, revision=revision or self_assessment.revision)


def submit(self_assessment, by):
    revision = save(self_assessment, by, self_assessment.revision, **complete())
    return services.self_assessment_submit(
        self_assessment=self_assessment, revision=revision, by=by, on=TODAY
    )


def rights(self_assessment, people):
    self_assessment.refresh_from_db()
    out = {}
    for name, person in people.items():
        access = permissions.self_assessment_access(person, self_assessment, on=TODAY)
        out[name] = (access.can_read, access.can_write)
    return out


# Who writes and reads it (R3, R29, R32) ----------------------------------------------


def test_who_may_read_and_write_before_and_after_submission(
    east_midlands, sa, dcs, ad, colleague, coordinator
):
    delegate = holder(east_midlands, PostKind.DATA_SPECIALIST, "Rutland", name="Del Egate")
    withdrawn = holder(east_midlands, PostKind.SENIOR_OFFICER, "Rutland", name="Wit Drawn")
    for person in (delegate, withdrawn):
        services.self_assessment_delegate(self_assessment=sa, person=person, by=dcs, on=TODAY)
    services.self_assessment_delegation_withdraw(
        self_assessment=sa, person=withdrawn, by=dcs, on=TODAY
    )
    people = {
        "dcs": dcs,
        "ad": ad,
        "delegate": delegate,
        "withdrawn delegate": withdrawn,
        "colleague not named": colleague,
        "another LA's DCS": holder(east_midlands, PostKind.DCS, "Derby City"),
        "coordinator": coordinator,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    assert rights(sa, people) == {
        "dcs": (True, True),
        "ad": (True, True),
        "delegate": (True, True),
        "withdrawn delegate": (False, False),
        "colleague not named": (False, False),
        "another LA's DCS": (False, False),
        "coordinator": (False, False),
        "superuser": (False, False),
    }
    submit(sa, dcs)
    assert rights(sa, people) == {
        "dcs": (True, False),
        "ad": (True, False),
        "delegate": (True, False),
        "withdrawn delegate": (False, False),
        "colleague not named": (False, False),
        "another LA's DCS": (False, False),
        "coordinator": (True, False),
        "superuser": (False, False),
    }
    assert permissions.can_read_self_assessment(coordinator, sa, TODAY) is True


def test_a_former_dcs_loses_the_right_the_day_the_successor_inherits_it(la):
    leics = la("Leicestershire")
    former = UserFactory(full_name="Fran Former")
    PostFactory(
        holder=former,
        kind=PostKind.DCS,
        local_authority=leics,
        ended_on=TODAY - datetime.timedelta(days=1),
    )
    sa = services.self_assessment_start(local_authority=leics, by=former, on=D(2026, 6, 1))
    successor = UserFactory(full_name="Sue Successor")
    PostFactory(holder=successor, kind=PostKind.DCS, local_authority=leics, started_on=TODAY)
    assert rights(sa, {"former": former, "successor": successor}) == {
        "former": (False, False),
        "successor": (True, True),
    }
    # On a day the former DCS held the post, the right was theirs and not the successor's.
    day = D(2026, 6, 1)
    assert permissions.can_write_self_assessment(former, sa, day) is True
    assert permissions.can_write_self_assessment(successor, sa, day) is False


def test_a_delegate_who_leaves_the_la_keeps_nothing_of_the_delegation(la, sa, dcs):
    person = UserFactory(full_name="Len Leaver")
    post = PostFactory(
        holder=person, kind=PostKind.SENIOR_OFFICER, tier=3, local_authority=la("Rutland")
    )
    services.self_assessment_delegate(self_assessment=sa, person=person, by=dcs, on=TODAY)
    assert permissions.can_write_self_assessment(person, sa, TODAY) is True
    post.ended_on = TODAY - datetime.timedelta(days=1)
    post.save()
    assert permissions.can_read_self_assessment(person, sa, TODAY) is False


def test_only_a_colleague_of_the_la_is_named_and_only_by_the_dcs(
    east_midlands, sa, dcs, ad, colleague
):
    outsider = holder(east_midlands, PostKind.SENIOR_OFFICER, "Derby City", name="Out Sider")
    with pytest.raises(ValidationError) as caught:
        services.self_assessment_delegate(self_assessment=sa, person=outsider, by=dcs, on=TODAY)
    assert caught.value.message_dict == {"person": ["Out Sider holds no post in Rutland today."]}
    with pytest.raises(ValidationError) as caught:
        services.self_assessment_delegate(self_assessment=sa, person=ad, by=dcs, on=TODAY)
    assert caught.value.message_dict == {
        "person": ["Ada Safeguard writes the self-assessment already, through their post."]
    }
    with pytest.raises(PermissionDenied):
        services.self_assessment_delegate(self_assessment=sa, person=colleague, by=ad, on=TODAY)
    assert list(sa_selectors.self_assessment_delegates(self_assessment=sa)) == []


def test_the_dcs_names_and_withdraws_a_colleague_on_the_delegation_page(
    client, east_midlands, sa, dcs, colleague
):
    holder(east_midlands, PostKind.SENIOR_OFFICER, "Derby City", name="Out Sider")
    url = reverse("reviews:self_assessment_delegates", args=[sa.pk])
    client.force_login(dcs)
    page = client.get(url)
    assert [str(p) for p in page.context["form"].fields["person"].queryset] == ["Cole League"]
    response = client.post(url, {"person": colleague.pk})
    assert response.status_code == 302
    assert list(sa_selectors.self_assessment_delegates(self_assessment=sa)) == [colleague]

    client.force_login(colleague)
    assert client.get(reverse("reviews:self_assessment", args=[sa.pk])).status_code == 200
    assert client.get(url).status_code == 404  # the delegate does not delegate

    client.force_login(dcs)
    withdraw = reverse("reviews:self_assessment_delegation_withdraw", args=[sa.pk, colleague.pk])
    assert client.post(withdraw).status_code == 302
    client.force_login(colleague)
    assert client.get(reverse("reviews:self_assessment", args=[sa.pk])).status_code == 404
    # Naming and withdrawing are kept with who did them (R33).
    grants = LogEntry.objects.filter(content_type__model="selfassessmentusergrant")
    assert list(grants.order_by("pk").values_list("action", "actor")) == [
        (LogEntry.Action.CREATE, dcs.pk),
        (LogEntry.Action.DELETE, dcs.pk),
    ]


@pytest.mark.parametrize("who", ["another LA's DCS", "coordinator", "nobody"])
def test_people_with_no_right_get_404_on_every_page(client, east_midlands, sa, coordinator, who):
    person = {
        "another LA's DCS": holder(east_midlands, PostKind.DCS, "Derby City"),
        "coordinator": coordinator,
        "nobody": UserFactory(region=east_midlands),
    }[who]
    client.force_login(person)
    for name in ("self_assessment", "self_assessment_delegates"):
        assert client.get(reverse(f"reviews:{name}", args=[sa.pk])).status_code == 404
    autosave = reverse("reviews:self_assessment_autosave", args=[sa.pk])
    assert client.post(autosave, post_data(sa, narrative="Mine now")).status_code == 404
    assert client.post(reverse("reviews:self_assessment", args=[sa.pk])).status_code == 404
    assert client.get(reverse("reviews:self_assessment", args=[sa.pk + 1000])).status_code == 404
    start = reverse("reviews:self_assessment_start")
    assert client.post(start, {"local_authority": sa.local_authority_id}).status_code == 404
    assert client.post(start, {"local_authority": "Rutland"}).status_code == 404
    sa.refresh_from_db()
    assert sa.narrative == ""


# Saves that lose nothing (R17) --------------------------------------------------------


def test_two_saves_from_the_same_revision_the_second_is_refused_and_nothing_is_lost(sa, dcs, ad):
    first = save(sa, dcs, 1, commentary_outcomes="Attainment gaps are closing.")
    assert first == 2
    mine = answers(sa, commentary_outcomes="Outcomes for care leavers lag behind.")
    with pytest.raises(services.SelfAssessmentConflict) as caught:
        services.self_assessment_save(
            self_assessment=sa, base_revision=1, content=mine, by=ad, on=TODAY
        )
    sa.refresh_from_db()
    assert (sa.revision, sa.areas["outcomes"]["commentary"]) == (2, "Attainment gaps are closing.")
    # Nothing of the refused save is lost: the page gets it back, with the other version.
    merge = sa_selectors.self_assessment_merge(
        self_assessment=sa, base_revision=1, mine=caught.value.content
    )
    assert merge["values"]["commentary_outcomes"] == "Outcomes for care leavers lag behind."
    assert merge["conflicts"] == ["commentary_outcomes"]
    assert merge["theirs"] == {"commentary_outcomes": "Attainment gaps are closing."}
    assert [s["person"] for s in merge["savers"]] == [dcs]
    assert merge["revision"] == 2


def test_a_refused_save_on_the_page_keeps_the_words_and_shows_theirs(client, sa, dcs, ad):
    save(sa, dcs, 1, commentary_outcomes="Attainment gaps are closing.", enablers="Stable staff.")
    client.force_login(ad)
    url = reverse("reviews:self_assessment", args=[sa.pk])
    data = post_data(sa, revision=1, commentary_outcomes="Care leavers lag behind.", enablers="")
    response = client.post(url, data)
    assert response.status_code == 409
    form = response.context["form"]
    # Their text for the answer only they changed; mine where we both changed one.
    assert form.data["commentary_outcomes"] == "Care leavers lag behind."
    assert form.data["enablers"] == "Stable staff."
    assert form.data["revision"] == "2"
    assert form.errors == {
        "commentary_outcomes": [
            "Rhona Director changed Commentary on Outcomes: how well they are being achieved "
            "too: their version is shown with it. Keep what is right, then save."
        ]
    }
    assert "<p>Attainment gaps are closing.</p>" in form.fields["commentary_outcomes"].help_text
    assert response.context["conflict_links"] == [
        ("Commentary on Outcomes: how well they are being achieved", "id_commentary_outcomes")
    ]
    body = response.content.decode()
    assert "Care leavers lag behind." in body
    sa.refresh_from_db()
    assert (sa.revision, sa.areas["outcomes"]["commentary"]) == (2, "Attainment gaps are closing.")
    # Saved again from the page it was shown, it goes through.
    data = {**form.data, "commentary_outcomes": "Gaps close; care leavers lag behind."}
    assert client.post(url, data).status_code == 302
    sa.refresh_from_db()
    assert (sa.revision, sa.areas["outcomes"]["commentary"], sa.enablers) == (
        3,
        "Gaps close; care leavers lag behind.",
        "Stable staff.",
    )


def test_autosave_saves_and_gives_the_page_its_next_revision(client, sa, ad):
    client.force_login(ad)
    url = reverse("reviews:self_assessment_autosave", args=[sa.pk])
    response = client.post(url, post_data(sa, narrative="Drafted with the Lead Member."))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Saved at" in body
    assert 'name="revision" id="id_revision" value="2" hx-swap-oob="true"' in body
    sa.refresh_from_db()
    assert (sa.revision, sa.narrative, sa.updated_by) == (2, "Drafted with the Lead Member.", ad)


def test_an_overtaken_autosave_is_told_who_saved_and_saves_nothing(client, sa, dcs, ad):
    save(sa, dcs, 1, blockers="Recruitment of social workers.")
    client.force_login(ad)
    url = reverse("reviews:self_assessment_autosave", args=[sa.pk])
    response = client.post(url, post_data(sa, revision=1, blockers="Placement sufficiency."))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: Rhona Director saved this self-assessment at" in body
    assert "hx-swap-oob" not in body
    sa.refresh_from_db()
    assert (sa.revision, sa.blockers) == (2, "Recruitment of social workers.")


def test_ones_own_autosave_overtaking_the_save_button_is_no_conflict(sa, dcs):
    page = answers(sa)  # the page as it was opened, at revision 1

    def send(**changes):
        return services.self_assessment_save(
            self_assessment=sa, base_revision=1, content={**page, **changes}, by=dcs, on=TODAY
        )

    # The change event autosaves the field just left, as the Save button sends the page.
    assert send(enablers="Stable staff.") == 2
    assert send(enablers="Stable staff.", blockers="Sufficiency.") == 3
    sa.refresh_from_db()
    assert (sa.enablers, sa.blockers) == ("Stable staff.", "Sufficiency.")
    # Their own second tab, opened at revision 1, changing an answer another way: refused.
    with pytest.raises(services.SelfAssessmentConflict):
        send(enablers="Something else.")


def test_a_save_that_changes_nothing_makes_no_revision(sa, dcs):
    assert save(sa, dcs, 1) == 1
    assert SelfAssessmentRevision.objects.filter(self_assessment=sa).count() == 1


def race(sa, *, first_by, first_changes, second_by, second_changes):
    """Two saves from revision 1, the second reading the row before the first commits.
    On PostgreSQL the second then waits on the first's row lock inside the conditional
    UPDATE and finds the revision moved on when it gets the row; SQLite locks the whole
    database, so there the second runs once the first is done. Returns each outcome (a
    revision number or "refused") and whether the second was seen waiting on the row."""
    base = answers(sa)
    racing = connection.vendor == "postgresql"
    first_saved, release = threading.Event(), threading.Event()
    outcomes = {"waited on the row": False}

    def first():
        try:
            with transaction.atomic():
                outcomes["first"] = services.self_assessment_save(
                    self_assessment=sa,
                    base_revision=1,
                    content={**base, **first_changes},
                    by=first_by,
                    on=TODAY,
                )
                first_saved.set()
                release.wait(10)
        finally:
            first_saved.set()
            connections.close_all()

    def second():
        try:
            outcomes["second"] = services.self_assessment_save(
                self_assessment=sa,
                base_revision=1,
                content={**base, **second_changes},
                by=second_by,
                on=TODAY,
            )
        except services.SelfAssessmentConflict:
            outcomes["second"] = "refused"
        finally:
            connections.close_all()

    one, two = threading.Thread(target=first), threading.Thread(target=second)
    one.start()
    first_saved.wait(10)
    if racing:
        two.start()
        deadline = time.monotonic() + 10
        with connection.cursor() as cursor:
            while time.monotonic() < deadline and not outcomes["waited on the row"]:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
                outcomes["waited on the row"] = bool(cursor.fetchone()[0])
                time.sleep(0.02)
        release.set()
        one.join(10)
    else:
        release.set()
        one.join(10)
        two.start()
    two.join(10)
    assert outcomes.pop("waited on the row") is racing
    sa.refresh_from_db()
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_saving_at_once_one_wins_and_the_other_is_refused(la, dcs, ad):
    sa = services.self_assessment_start(local_authority=la("Rutland"), by=dcs, on=TODAY)
    outcomes = race(
        sa,
        first_by=dcs,
        first_changes={"narrative": "The DCS's account."},
        second_by=ad,
        second_changes={"blockers": "The AD's blockers."},
    )
    assert outcomes == {"first": 2, "second": "refused"}
    assert (sa.revision, sa.narrative, sa.blockers) == (2, "The DCS's account.", "")
    assert list(
        SelfAssessmentRevision.objects.filter(self_assessment=sa).values_list("number", "saved_by")
    ) == [(1, dcs.pk), (2, dcs.pk)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ones_own_two_saves_at_once_are_merged(la, dcs):
    # The autosave of the answer just left and the Save button reach the server together.
    sa = services.self_assessment_start(local_authority=la("Rutland"), by=dcs, on=TODAY)
    outcomes = race(
        sa,
        first_by=dcs,
        first_changes={"narrative": "Agreed with the Lead Member."},
        second_by=dcs,
        second_changes={"narrative": "Agreed with the Lead Member.", "blockers": "Sufficiency."},
    )
    assert outcomes == {"first": 2, "second": 3}
    assert (sa.narrative, sa.blockers) == ("Agreed with the Lead Member.", "Sufficiency.")


def test_every_save_keeps_who_saved_what_and_when(sa, dcs, ad):
    save(sa, dcs, 1, narrative="First words.")
    save(sa, ad, 2, narrative="First words, and more.")
    revisions = list(SelfAssessmentRevision.objects.filter(self_assessment=sa))
    assert [(r.number, r.saved_by, r.content["narrative"]) for r in revisions] == [
        (1, dcs, ""),
        (2, dcs, "First words."),
        (3, ad, "First words, and more."),
    ]
    entries = LogEntry.objects.get_for_object(sa).order_by("timestamp", "pk")
    assert [(e.action, e.actor) for e in entries] == [
        (LogEntry.Action.CREATE, None),
        (LogEntry.Action.UPDATE, dcs),
        (LogEntry.Action.UPDATE, ad),
    ]
    assert entries.last().changes_dict["narrative"] == ["First words.", "First words, and more."]


# Bad input and the sign-off (R17, "Bad input") ----------------------------------------


def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(client, sa, dcs):
    client.force_login(dcs)
    url = reverse("reviews:self_assessment", args=[sa.pk])
    data = post_data(
        sa,
        contact_email="not an address",
        commentary_outcomes="x" * 10_001,
        narrative="Kept on the page.",
    )
    response = client.post(url, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "commentary_outcomes": ["This can be at most 10,000 characters; it has 10,001."],
        "contact_email": ["Enter an e-mail address such as name@example.gov.uk."],
    }
    assert form.data["narrative"] == "Kept on the page."
    assert response.context["error_links"][0] == (
        "id_commentary_outcomes",
        "This can be at most 10,000 characters; it has 10,001.",
    )
    sa.refresh_from_db()
    assert (sa.revision, sa.narrative) == (1, "")


def test_submit_needs_every_rating_with_the_message_at_the_field(client, sa, dcs):
    client.force_login(dcs)
    url = reverse("reviews:self_assessment", args=[sa.pk])
    data = post_data(sa, **complete(rating_commissioning=None, narrative="Kept."))
    response = client.post(url, {**data, "submit": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "rating_commissioning": ["Rate Commissioning: every area is rated before you submit."]
    }
    assert (
        "id_rating_commissioning_1",
        "Rate Commissioning: every area is rated before you submit.",
    ) in response.context["error_links"]
    sa.refresh_from_db()
    # Saved as a draft: nothing typed is lost, and the page is based on the new revision.
    assert (sa.state, sa.narrative, sa.areas["outcomes"]["rating"]) == ("draft", "Kept.", 3)
    assert response.context["form"].data["revision"] == str(sa.revision)

    data = post_data(sa, rating_commissioning="2")
    response = client.post(url, {**data, "submit": ""})
    assert response.status_code == 302
    sa.refresh_from_db()
    assert (sa.state, sa.signed_on, sa.submitted_by, sa.signed_name) == (
        SelfAssessmentState.SUBMITTED,
        TODAY,
        dcs,
        "Rhona Director",
    )


def test_once_submitted_the_la_reads_it_and_can_no_longer_change_it(client, sa, dcs, ad):
    submit(sa, dcs)
    with pytest.raises(ValidationError) as caught:
        save(sa, ad, sa.revision, narrative="Too late.")
    assert caught.value.messages == [
        "Rhona Director submitted this self-assessment on 27 November 2026: it can no "
        "longer be changed."
    ]
    client.force_login(ad)
    url = reverse("reviews:self_assessment", args=[sa.pk])
    page = client.get(url)
    assert page.templates[0].name == "reviews/self_assessment_read.html"
    assert "Rhona Director, Director of Children&#x27;s Services" in page.content.decode()
    assert client.post(url, post_data(sa, narrative="Too late.")).status_code == 302
    autosave = reverse("reviews:self_assessment_autosave", args=[sa.pk])
    assert (
        "Not saved: this self-assessment has been submitted"
        in client.post(autosave, post_data(sa, narrative="Too late.")).content.decode()
    )
    sa.refresh_from_db()
    assert sa.narrative == ""


def test_a_delegate_writes_but_does_not_sign_off(sa, dcs, colleague):
    services.self_assessment_delegate(self_assessment=sa, person=colleague, by=dcs, on=TODAY)
    revision = save(sa, colleague, 1, **complete())
    sa.refresh_from_db()
    assert (revision, sa.revision, sa.updated_by) == (2, 2, colleague)
    with pytest.raises(PermissionDenied):
        services.self_assessment_submit(
            self_assessment=sa, revision=revision, by=colleague, on=TODAY
        )
    sa.refresh_from_db()
    assert sa.state == SelfAssessmentState.DRAFT


def test_what_was_typed_is_escaped_on_the_pages(client, sa, dcs, coordinator):
    save(sa, dcs, 1, **complete(lines_of_enquiry="<script>alert(1)</script>"))
    sa.refresh_from_db()
    services.self_assessment_submit(self_assessment=sa, revision=2, by=dcs, on=TODAY)
    client.force_login(coordinator)
    body = client.get(reverse("reviews:self_assessment", args=[sa.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


# The template's versions (R17) --------------------------------------------------------


def new_version(by, **changes):
    structure = {**SelfAssessmentTemplate.objects.get(number=1).structure, **changes}
    return services.self_assessment_template_publish(
        template=SelfAssessmentTemplate(structure=structure), by=by
    )


def test_a_new_template_version_leaves_self_assessments_on_the_version_they_started(
    client, east_midlands, la, sa, dcs, coordinator
):
    areas = [
        *SelfAssessmentTemplate.objects.get(number=1).areas,
        {"key": "early_help", "name": "Early help"},
    ]
    version = new_version(coordinator, areas=areas)
    assert (version.number, version.published_by) == (2, coordinator)
    sa.refresh_from_db()
    assert sa.template.number == 1
    client.force_login(dcs)
    form = client.get(reverse("reviews:self_assessment", args=[sa.pk])).context["form"]
    assert "rating_early_help" not in form.fields
    assert "rating_commissioning" in form.fields
    derby_dcs = holder(east_midlands, PostKind.DCS, "Derby City")
    derby = services.self_assessment_start(local_authority=la("Derby City"), by=derby_dcs, on=TODAY)
    assert derby.template.number == 2
    assert fields.rating_key("early_help") in fields.content_of(derby)


def test_the_template_check_names_each_problem():
    with pytest.raises(ValidationError) as caught:
        services.self_assessment_template_check(
            structure={
                "scale": [{"value": 1, "label": "Bad"}, {"value": 2, "label": "Good"}],
                "areas": [{"key": "Outcomes", "name": "Outcomes"}, {"key": "x", "name": ""}],
                "strengths": {"label": "Strengths", "max": 6},
                "weaknesses": {"label": "Weaknesses", "max": 11},
                "colour": "blue",
            }
        )
    assert caught.value.messages == [
        "Unknown parts: colour.",
        '"scale" must rate 1, 2, 3 and 4, in that order.',
        "The key of area 1 must start with a lower-case letter and hold only lower-case "
        "letters, digits and underscores (at most 40).",
        "The name of area 2 must not be empty.",
        'The max of "weaknesses" must be a whole number from 1 to 10.',
    ]


def test_the_coordinator_publishes_a_version_in_the_admin_but_never_changes_one(
    client, coordinator
):
    client.force_login(coordinator)
    add = reverse("admin:reviews_selfassessmenttemplate_add")
    page = client.get(add)
    assert "&quot;key&quot;: &quot;outcomes&quot;" in page.content.decode()
    structure = page.context["adminform"].form.initial["structure"]
    structure["areas"][0]["name"] = "Outcomes for children and families"
    import json

    response = client.post(add, {"structure": json.dumps(structure), "note": "Clearer name."})
    assert response.status_code == 302
    version = SelfAssessmentTemplate.objects.get(number=2)
    assert (version.published_by, version.areas[0]["name"]) == (
        coordinator,
        "Outcomes for children and families",
    )
    bad = client.post(add, {"structure": json.dumps({**structure, "areas": []}), "note": ""})
    assert bad.context["adminform"].form.errors["structure"] == [
        '"areas" must list at least one area.'
    ]
    change = reverse("admin:reviews_selfassessmenttemplate_change", args=[version.pk])
    assert client.post(change, {"structure": "{}", "note": "Edited."}).status_code == 403
    delete = reverse("admin:reviews_selfassessmenttemplate_delete", args=[version.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert SelfAssessmentTemplate.objects.get(number=2).note == "Clearer name."


def test_template_words_are_escaped_and_never_run_as_a_template(client, sa, dcs, coordinator):
    areas = [{"key": "odd", "name": "<b>Bold</b> {{ csrf_token }}"}]
    new_version(coordinator, areas=areas)
    other = holder(sa.local_authority.region, PostKind.DCS, "Derby City")
    started = services.self_assessment_start(
        local_authority=sa.local_authority.region.local_authorities.get(name="Derby City"),
        by=other,
        on=TODAY,
    )
    client.force_login(other)
    body = client.get(reverse("reviews:self_assessment", args=[started.pk])).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; {{ csrf_token }}" in body
    assert "<b>Bold</b>" not in body


# One per LA per year (R17) --------------------------------------------------------------


def test_one_self_assessment_per_la_per_year(la, sa, dcs, ad):
    assert services.self_assessment_start(local_authority=la("Rutland"), by=ad, on=TODAY) == sa
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessment.objects.create(
            local_authority=la("Rutland"),
            year=2026,
            template=sa.template,
            started_by=ad,
            updated_by=ad,
            updated_at=sa.updated_at,
        )
    next_year = services.self_assessment_start(
        local_authority=la("Rutland"), by=dcs, on=D(2027, 1, 4)
    )
    assert (
        next_year.year,
        SelfAssessment.objects.filter(local_authority=la("Rutland")).count(),
    ) == (2027, 2)


def test_the_dcs_starts_it_from_the_page_with_their_contact_details(client, la, dcs):
    client.force_login(dcs)
    page = client.get(reverse("reviews:self_assessment_index"))
    assert "Start the self-assessment for 2026" in page.content.decode()
    response = client.post(
        reverse("reviews:self_assessment_start"), {"local_authority": la("Rutland").pk}
    )
    sa = SelfAssessment.objects.get()
    assert response.url == reverse("reviews:self_assessment", args=[sa.pk])
    assert (sa.year, sa.contact_name, sa.contact_email, sa.revision) == (
        2026,
        "Rhona Director",
        dcs.email,
        1,
    )


def test_a_person_without_a_writers_post_cannot_start_it(client, la, colleague):
    client.force_login(colleague)
    assert client.get(reverse("reviews:self_assessment_index")).status_code == 404
    with pytest.raises(PermissionDenied):
        services.self_assessment_start(local_authority=la("Rutland"), by=colleague, on=TODAY)


# The home page and query counts --------------------------------------------------------


def test_the_self_assessment_deadline_waits_for_the_las_writers_until_submitted(
    east_midlands, la, dcs, colleague
):
    """R17, R37: the DCS and 2nd-tier lead of each LA, and the colleagues the DCS
    delegated it to, are asked for the year's self-assessment until it is submitted."""

    def titles(person):
        return [
            (d.title, d.url)
            for d in deadlines_for(person=person, on=TODAY)
            if d.kind == "self_assessment"
        ]

    assert titles(dcs) == [
        ("Start the self-assessment of Rutland for 2026", reverse("reviews:self_assessment_index"))
    ]
    assert titles(colleague) == []
    sa = services.self_assessment_start(local_authority=la("Rutland"), by=dcs, on=TODAY)
    services.self_assessment_delegate(self_assessment=sa, person=colleague, by=dcs, on=TODAY)
    assert titles(colleague) == [
        (
            "Carry on with the self-assessment of Rutland for 2026",
            reverse("reviews:self_assessment", args=[sa.pk]),
        )
    ]
    other = holder(east_midlands, PostKind.DCS, "Derby City")
    assert [t for t, _url in titles(other)] == ["Start the self-assessment of Derby City for 2026"]
    submit(sa, dcs)
    assert titles(dcs) == []
    assert titles(colleague) == []


@pytest.mark.parametrize("count", [1, 3])
def test_self_assessment_page_query_count_is_pinned(
    client, sa, dcs, count, django_assert_num_queries
):
    rows = {}
    for n in range(1, count + 1):
        rows[f"strength_{n}_narrative"] = f"Strength number {n}."
        rows[f"strength_{n}_evidence"] = f"Evidence {n}."
    save(sa, dcs, 1, **rows)
    client.force_login(dcs)
    # With the agreed actions of earlier letters carried into it (R38).
    with django_assert_num_queries(6):
        response = client.get(reverse("reviews:self_assessment", args=[sa.pk]))
    assert response.context["form"].initial[f"strength_{count}_narrative"] == (
        f"Strength number {count}."
    )


@pytest.mark.parametrize("count", [1, 3])
def test_region_page_query_count_is_pinned(
    client, east_midlands, la, coordinator, count, django_assert_num_queries
):
    names = ["Rutland", "Derby City", "Lincolnshire"][:count]
    for name in names:
        person = holder(east_midlands, PostKind.DCS, name)
        sa = services.self_assessment_start(local_authority=la(name), by=person, on=TODAY)
        submit(sa, person)
    client.force_login(coordinator)
    with django_assert_num_queries(6):
        response = client.get(reverse("reviews:self_assessments_of_region"))
    submitted = [
        r["local_authority"].name for r in response.context["rows"] if r["self_assessment"]
    ]
    assert submitted == sorted(names)


def test_a_delegates_submit_from_the_page_is_refused_before_anything_is_saved(
    client, sa, dcs, colleague
):
    services.self_assessment_delegate(self_assessment=sa, person=colleague, by=dcs, on=TODAY)
    client.force_login(colleague)
    url = reverse("reviews:self_assessment", args=[sa.pk])
    data = {**post_data(sa, narrative="Written by the delegate."), "submit": ""}
    assert client.post(url, data).status_code == 403
    sa.refresh_from_db()
    assert (sa.narrative, sa.revision, sa.state) == ("", 1, SelfAssessmentState.DRAFT)


def test_a_form_over_the_old_request_limit_keeps_every_word_and_says_which_answer(client, sa, ad):
    # Three megabytes in one answer (Django refused 2.5 MB whole, with a bare 400; the
    # trailing space is stripped): the
    # answer is named at its field, everything typed is on the page, nothing is saved.
    client.force_login(ad)
    url = reverse("reviews:self_assessment", args=[sa.pk])
    long = "Evidence " * 350_000
    response = client.post(
        url, post_data(sa, narrative="Drafted with the Lead Member.", enablers=long)
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["enablers"] == [
        "This answer can be at most 20,000 characters; it has 3,149,999. Shorten it, or "
        "move detail to where the evidence is kept."
    ]
    assert form.data["narrative"] == "Drafted with the Lead Member."
    sa.refresh_from_db()
    assert sa.narrative != "Drafted with the Lead Member."
