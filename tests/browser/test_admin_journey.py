"""The admin pages a coordinator uses, in a real browser (R31): a coordinator, staff but
never a superuser, signs in and opens the lists, the change pages and the add pages of
their region's register, accreditation, letter templates and blackouts, each checked with
axe-core. And the two widest tables of the service, the pool and the involvement matrix,
with a region's worth of rows, scroll within themselves: the page never gets wider than
a 1,280 px laptop screen."""

import datetime
import re
from urllib.parse import urljoin

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accreditation.models import (
    Accreditation,
    ConflictDeclaration,
    ExpressionOfInterest,
    Role,
    Specialism,
    TrainingSession,
)
from calendar_planner.models import Blackout
from calendar_planner.periods import add_months, quarter_label, quarter_start, slot_end
from emslirp import services
from emslirp.models import LocalAuthority, PostKind, User
from reviews.letter.models import LetterTemplate
from reviews.review.models import Review
from tests.browser.people import SINCE, coordinator_of, post_holder_in
from tests.browser.test_accreditation_journey import sign_in
from tests.factories import (
    AccreditationFactory,
    ExpressionOfInterestFactory,
    TrainingAttendanceFactory,
    TrainingSessionFactory,
    UserFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The East Midlands' current LAs, as the seed migration makes them.
CURRENT_LAS = [
    "Derby City",
    "Derbyshire",
    "Leicester City",
    "Leicestershire",
    "Lincolnshire",
    "North Northamptonshire",
    "West Northamptonshire",
    "Nottingham City",
    "Nottinghamshire",
    "Rutland",
]
# The width of the laptop screen the page fixture opens.
SCREEN_WIDTH = 1280


def slug(name):
    return name.lower().replace(" ", "-")


@pytest.fixture
def region(east_midlands):
    """The coordinator, and in each LA a DCS, a 2nd-tier lead and a senior officer, all
    accredited for several roles, with decided applications naming every specialism and
    declared conflicts: the pool as wide as a region makes it."""
    coordinator = coordinator_of(east_midlands)
    specialisms = list(Specialism.objects.values_list("code", flat=True))
    posts = [
        ("director", PostKind.DCS, [Role.LEAD_DCS, Role.QA_DCS]),
        ("safeguarding-lead", PostKind.SAFEGUARDING_LEAD, [Role.QA_AD, Role.PCTR_MEMBER]),
        (
            "senior-officer",
            PostKind.SENIOR_OFFICER,
            [Role.PCTR_MEMBER, Role.SAV_MEMBER, Role.SAV_LEAD_AD, Role.DATA_SPECIALIST],
        ),
    ]
    for number, name in enumerate(CURRENT_LAS):
        la = LocalAuthority.objects.get(region=east_midlands, name=name)
        for title, kind, roles in posts:
            person = UserFactory(
                email=f"{title}.children-and-families@{slug(name)}-council.example.org.uk",
                full_name=f"Alexandra-Jane {title.title()} of {name}",
                region=east_midlands,
            )
            services.post_assign(
                holder=person,
                kind=kind,
                local_authority=la,
                started_on=max(SINCE, la.active_from),
                **({"tier": 3} if kind == PostKind.SENIOR_OFFICER else {}),
            )
            for role in roles:
                AccreditationFactory(person=person, role=role)
            ExpressionOfInterestFactory(
                applicant=person,
                local_authority=la,
                state=ExpressionOfInterest.State.DECIDED,
                submitted_at=timezone.now(),
                signed_on=timezone.localdate(),
                specialisms=specialisms,
                other_specialism="Unaccompanied asylum-seeking children and care leavers",
            )
            for other in CURRENT_LAS[number + 1 : number + 4]:
                ConflictDeclaration.objects.create(
                    person=person,
                    local_authority=LocalAuthority.objects.get(region=east_midlands, name=other),
                    note="Worked there until recently.",
                    declared_on=timezone.localdate(),
                )
    return coordinator


@pytest.fixture
def admin_records(region, east_midlands):
    """What the coordinator's admin pages list: a training session with places, an alias
    to show inline, a blackout."""
    nia = post_holder_in(
        east_midlands,
        "nia@rutland.example.org",
        PostKind.DATA_SPECIALIST,
        "Rutland",
        name="Nia Newcomer",
    )
    session = TrainingSessionFactory(
        region=east_midlands,
        kind=TrainingSession.Kind.TEAM_DAY,
        held_on=timezone.localdate(),
        venue="Oakham",
    )
    TrainingAttendanceFactory(session=session, person=nia)
    rutland = LocalAuthority.objects.get(region=east_midlands, name="Rutland")
    Blackout.objects.create(
        local_authority=rutland,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
        reason="An inspection is expected.",
    )
    return {"nia": nia, "session": session}


@pytest.fixture(autouse=True)
def forms_css_with_its_import_inlined(page):
    """The admin's forms.css as the browser applies it, with the widgets.css it imports
    written in its place (the same rules in the same order).

    axe-core reads each style sheet's rules before it checks a page, and copies a sheet
    that imports another into a style element of its own, which the Content-Security-
    Policy rightly refuses as an inline style: the page fixture would fail every change
    page for a refusal of axe's own doing, not the page's. Only that import is inlined;
    every other file is served as it is."""

    def inline_import(route):
        response = route.fetch()
        css = re.sub(
            r"@import url\(['\"]?([^'\")]+)['\"]?\);",
            lambda m: page.context.request.get(urljoin(route.request.url, m[1])).text(),
            response.text(),
        )
        route.fulfill(response=response, body=css)

    page.route("**/static/admin/css/forms.css", inline_import)


def page_width(page):
    return page.evaluate("() => document.documentElement.scrollWidth")


def open_admin_page(page, url, heading, assert_accessible):
    page.goto(url)
    expect(page.locator("#content h1")).to_have_text(heading)
    assert_accessible(page)
    assert page_width(page) <= SCREEN_WIDTH


def test_the_coordinators_admin_pages_are_accessible(
    page, live_server, region, admin_records, east_midlands, assert_accessible
):
    admin = f"{live_server.url}/admin"
    derby = LocalAuthority.objects.get(region=east_midlands, name="Derby City")
    director = User.objects.get(full_name="Alexandra-Jane Director of Rutland")
    accreditation = Accreditation.objects.filter(person=director).first()
    application = ExpressionOfInterest.objects.filter(applicant=director).first()
    letter = LetterTemplate.objects.filter(region=east_midlands).first()
    blackout = Blackout.objects.get()
    session = admin_records["session"]

    sign_in(page, live_server, "coordinator@example.org")
    page.get_by_role("link", name="Administration").click()
    expect(page.locator("#content h1")).to_have_text("Region register")
    assert_accessible(page)

    # The register: LAs, with their aliases inline; people; posts.
    page.get_by_role("link", name="Local authorities", exact=True).click()
    expect(page.locator("#content h1")).to_have_text("Select local authority to change")
    assert_accessible(page)
    page.get_by_role("link", name="Derby City", exact=True).click()
    expect(page.locator("#content h1")).to_have_text("Change local authority")
    expect(page.get_by_label("Name:", exact=True)).to_have_value("Derby City")
    assert_accessible(page)
    # A new alias row, as the coordinator adds one.
    page.get_by_role("button", name="Add another Local authority alias").click()
    expect(page.locator("#aliases-group tbody tr.form-row:not(.empty-form)")).to_have_count(2)
    assert_accessible(page)

    page.goto(f"{admin}/emslirp/localauthority/{derby.pk}/change/")
    open_admin_page(page, f"{admin}/emslirp/user/", "Select person to change", assert_accessible)
    open_admin_page(
        page, f"{admin}/emslirp/user/{director.pk}/change/", "Change person", assert_accessible
    )
    open_admin_page(page, f"{admin}/emslirp/user/add/", "Add person", assert_accessible)
    open_admin_page(page, f"{admin}/emslirp/post/", "Select post to change", assert_accessible)
    open_admin_page(page, f"{admin}/emslirp/post/add/", "Add post", assert_accessible)
    open_admin_page(
        page,
        f"{admin}/emslirp/memorandumofunderstanding/add/",
        "Add memorandum of understanding",
        assert_accessible,
    )

    # Accreditation: training sessions and their places, attendance, accreditations.
    open_admin_page(
        page,
        f"{admin}/accreditation/trainingsession/",
        "Select training session to change",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/accreditation/trainingsession/{session.pk}/change/",
        "Change training session",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/accreditation/trainingsession/add/",
        "Add training session",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/accreditation/trainingattendance/",
        "Select training attendance to view",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/accreditation/accreditation/",
        "Select accreditation to change",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/accreditation/accreditation/{accreditation.pk}/change/",
        "Change accreditation",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/accreditation/expressionofinterest/",
        "Select expression of interest to view",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/accreditation/expressionofinterest/{application.pk}/change/",
        "View expression of interest",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/accreditation/conflictdeclaration/",
        "Select conflict declaration to view",
        assert_accessible,
    )

    # Letter templates, the self-assessment template, blackouts.
    open_admin_page(
        page,
        f"{admin}/reviews/lettertemplate/",
        "Select letter template to change",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/reviews/lettertemplate/{letter.pk}/change/",
        "Change letter template",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/reviews/selfassessmenttemplate/",
        "Select self-assessment template to view",
        assert_accessible,
    )
    open_admin_page(
        page,
        f"{admin}/reviews/selfassessmenttemplate/add/",
        "Add self-assessment template",
        assert_accessible,
    )
    open_admin_page(
        page, f"{admin}/calendar_planner/blackout/", "Select blackout to change", assert_accessible
    )
    open_admin_page(
        page,
        f"{admin}/calendar_planner/blackout/{blackout.pk}/change/",
        "Change blackout",
        assert_accessible,
    )


def test_a_place_is_given_through_the_named_person_box(
    page, live_server, region, admin_records, assert_accessible
):
    """The training session's places: the person box searches the register, and is
    named for the row it fills."""
    session = admin_records["session"]
    sign_in(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server.url}/admin/accreditation/trainingsession/{session.pk}/change/")
    expect(page.locator("#content h1")).to_have_text("Change training session")
    page.get_by_role("combobox", name="Person, row 2").click()
    page.locator(".select2-search__field").fill("Rutland")
    expect(page.locator(".select2-results__option").first).to_contain_text("Rutland")
    # The open list too: its search box named, the list a named region the box controls,
    # the highlighted choice readable.
    expect(page.get_by_role("searchbox", name="Search for Person, row 2")).to_be_focused()
    expect(page.get_by_role("region", name="Choices for Person, row 2")).to_have_count(1)
    assert_accessible(page)
    page.locator(".select2-results__option").filter(has_text="Director of Rutland").click()
    expect(page.get_by_role("combobox", name="Person, row 2")).to_contain_text(
        "Director of Rutland"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert session.places.filter(person__full_name__contains="Director of Rutland").exists()
    assert_accessible(page)


def test_the_pool_scrolls_within_itself(page, live_server, region, assert_accessible):
    sign_in(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server.url}/accreditation/pool/")
    expect(page.locator("#pool-count")).to_have_text("30 people")
    scroller = page.get_by_role("region", name="Accredited pool")
    expect(scroller.get_by_role("table")).to_be_visible()
    # The table is wider than its column, and the page no wider than the screen.
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page_width(page) <= SCREEN_WIDTH
    assert_accessible(page)


def test_the_involvement_matrix_scrolls_within_itself(
    page, live_server, region, east_midlands, assert_accessible
):
    """Eight quarters of PCTRs and SAVs, every LA involved in most of them."""

    def la(name):
        return LocalAuthority.objects.get(region=east_midlands, name=name)

    first = add_months(quarter_start(timezone.localdate()), 3)
    for number, host in enumerate(CURRENT_LAS):
        start = add_months(first, 3 * (number % 8))
        Review.objects.create(
            kind="pctr",
            host=la(host),
            starts_on=start,
            ends_on=slot_end("pctr", start),
            lead_local_authority=la(CURRENT_LAS[(number + 1) % 10]),
            qa_local_authority=la(CURRENT_LAS[(number + 2) % 10]),
        )
        window = add_months(first, 3 * ((number + 4) % 8) + 1)
        Review.objects.create(
            kind="sav",
            host=la(host),
            starts_on=window,
            ends_on=slot_end("sav", window),
            lead_local_authority=la(CURRENT_LAS[(number + 3) % 10]),
            qa_local_authority=la(CURRENT_LAS[(number + 4) % 10]),
        )
    sign_in(page, live_server, "coordinator@example.org")
    page.goto(f"{live_server.url}/calendar/involvement/?start={quarter_label(first)}&quarters=8")
    expect(page.get_by_role("heading", level=1)).to_have_text("Involvement by quarter")
    expect(page.locator("#matrix")).to_contain_text("Leads the PCTR of")
    scroller = page.get_by_role("region", name="Involvement by quarter")
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page_width(page) <= SCREEN_WIDTH
    assert_accessible(page)
