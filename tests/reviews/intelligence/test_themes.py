"""The region's themes and their tags on final letters (R28): the coordinator keeps the
themes (a name once per region whatever its case; a theme in use retired, never deleted)
and tags a final letter's findings and priority actions, with suggestions that say why;
tagging is refused on a letter not final and never changes the letter; nobody but the
region's coordinator opens either (R29, R31)."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from reviews.intelligence.models import Theme, ThemeTag
from reviews.intelligence.permissions import intelligence_scope
from reviews.intelligence.selectors.regional import regional_picture
from reviews.intelligence.selectors.tagging import tagging_items, text_words
from reviews.intelligence.services import themes as service
from reviews.intelligence.themes import STARTING_THEMES
from reviews.letter import pdf as letter_pdf
from reviews.letter.models import LetterPdf
from reviews.workbook.models import AgreedAction, Finding, Hypothesis
from tests.calendar_planner.people import review as make_review
from tests.reviews.letter.test_letters import at_state, feedback_given
from tests.reviews.test_sent_twice import twice
from tests.reviews.visited import visited

D = datetime.date


def themes_url(region):
    return reverse("intelligence:themes", args=[region.pk])


def theme_named(region, name):
    return Theme.objects.get(region=region, name=name)


# The themes pages ------------------------------------------------------------------------


def test_the_region_starts_with_the_starting_list(east_midlands):
    assert sorted(Theme.objects.filter(region=east_midlands).values_list("name", flat=True)) == (
        sorted(name for name, _, _ in STARTING_THEMES)
    )


def test_the_coordinator_adds_a_theme_and_sees_it_listed(client, coordinator, east_midlands):
    client.force_login(coordinator)
    response = client.post(
        reverse("intelligence:theme_add", args=[east_midlands.pk]),
        {"name": "  Youth   justice ", "description": "Offending.", "keywords": "yot  custody"},
    )
    assert response.status_code == 302
    theme = theme_named(east_midlands, "Youth justice")
    assert (theme.description, theme.keywords, theme.retired_at) == (
        "Offending.",
        "yot custody",
        None,
    )
    page = client.get(themes_url(east_midlands)).content.decode()
    assert "Youth justice" in page
    assert "20 themes offered for tagging" in page


def test_a_name_the_region_has_whatever_its_case_is_refused_at_the_field_keeping_the_rest(
    client, coordinator, east_midlands
):
    client.force_login(coordinator)
    response = client.post(
        reverse("intelligence:theme_add", args=[east_midlands.pk]),
        {"name": "NEGLECT", "description": "Typed with care.", "keywords": "hunger"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "name": ["East Midlands already has a theme called “Neglect”: give this one another name."]
    }
    page = response.content.decode()
    assert "Typed with care." in page and 'value="NEGLECT"' in page
    assert response.context["error_links"] == [("id_name", form.errors["name"][0])]
    assert Theme.objects.filter(region=east_midlands, name__iexact="neglect").count() == 1


def test_the_database_refuses_a_second_name_whatever_its_case(east_midlands):
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(region=east_midlands, name="neglect", created_at=timezone.now())


def test_another_region_may_have_the_same_name(other_region_coordinator):
    region = other_region_coordinator.region
    theme = service.theme_create(region=region, name="Neglect", by=other_region_coordinator)
    assert theme.region == region


def test_a_theme_is_renamed_and_may_change_only_its_own_case(client, coordinator, east_midlands):
    theme = theme_named(east_midlands, "Neglect")
    client.force_login(coordinator)
    url = reverse("intelligence:theme", args=[east_midlands.pk, theme.pk])
    data = {"name": "Domestic Abuse", "description": "x", "keywords": "y"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert refused.context["form"].errors["name"] == [
        "East Midlands already has a theme called “Domestic abuse”: give this one another name."
    ]
    assert client.post(url, {**data, "name": "NEGLECT"}).status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.description, theme.keywords) == ("NEGLECT", "x", "y")


@pytest.fixture
def final(east_midlands, coordinator, django_capture_on_commit_callbacks):
    """A PCTR of Rutland whose letter is final, its PDF made: findings 1–3, priority
    actions 1 and 2 (action 3 is not a priority)."""
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people)
    with django_capture_on_commit_callbacks(execute=True):
        letter = at_state(review, people, "final")
    return review, people, letter


def _tag(review, theme, by, *, finding=None, action=None):
    return ThemeTag.objects.create(
        theme=theme,
        review=review,
        finding=finding,
        action=action,
        tagged_by=by,
        tagged_at=timezone.now(),
    )


def test_a_theme_in_use_is_retired_never_deleted_and_comes_back(
    client, coordinator, east_midlands, final
):
    review, _, _ = final
    theme = theme_named(east_midlands, "Neglect")
    _tag(review, theme, coordinator, finding=Finding.objects.filter(hypothesis__review=review)[0])
    client.force_login(coordinator)
    state = reverse("intelligence:theme_state", args=[east_midlands.pk, theme.pk])
    page = client.get(reverse("intelligence:theme", args=[east_midlands.pk, theme.pk]))
    assert "Delete the theme" not in page.content.decode()
    assert "It cannot be deleted: it is on 1 finding or action" in page.content.decode()
    response = client.post(state, {"action": "delete"}, follow=True)
    assert "“Neglect” is on 1 finding or action of final letters: retire it instead" in (
        response.content.decode()
    )
    assert Theme.objects.filter(pk=theme.pk).exists()
    with pytest.raises(ProtectedError), transaction.atomic():
        theme.delete()

    client.post(state, {"action": "retire"})
    theme.refresh_from_db()
    assert theme.is_retired
    listing = client.get(themes_url(east_midlands))
    assert [t.name for t in listing.context["retired"]] == ["Neglect"]
    assert "Neglect" not in [t.name for t in listing.context["active"]]
    assert ThemeTag.objects.filter(theme=theme).count() == 1  # its history stays

    client.post(state, {"action": "restore"})
    theme.refresh_from_db()
    assert theme.retired_at is None


def test_an_unused_theme_may_be_deleted(client, coordinator, east_midlands):
    theme = theme_named(east_midlands, "Neglect")
    client.force_login(coordinator)
    state = reverse("intelligence:theme_state", args=[east_midlands.pk, theme.pk])
    assert client.post(state, {"action": "delete"}).status_code == 302
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_a_region_without_themes_is_offered_the_starting_list(client, other_region_coordinator):
    region = other_region_coordinator.region
    client.force_login(other_region_coordinator)
    page = client.get(themes_url(region)).content.decode()
    assert "Add the starting list of themes" in page
    assert client.post(themes_url(region), {"action": "seed"}).status_code == 302
    assert Theme.objects.filter(region=region).count() == len(STARTING_THEMES)
    assert "Add the starting list of themes" not in client.get(themes_url(region)).content.decode()
    # Asked again, nothing is added twice.
    client.post(themes_url(region), {"action": "seed"})
    assert Theme.objects.filter(region=region).count() == len(STARTING_THEMES)


def test_a_theme_added_twice_by_a_double_click_is_added_once(
    client, coordinator, east_midlands, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    url = reverse("intelligence:theme_add", args=[east_midlands.pk])
    first, second = twice(
        client, url, {"name": "Youth justice"}, django_capture_on_commit_callbacks
    )
    assert (first.status_code, second.status_code) == (302, 302)
    assert Theme.objects.filter(region=east_midlands, name="Youth justice").count() == 1


@pytest.mark.parametrize("who", ["dcs", "other_coordinator"])
def test_nobody_but_the_regions_coordinator_keeps_its_themes(
    client, east_midlands, other_region_coordinator, who
):
    from tests.calendar_planner.people import holder

    person = (
        holder(east_midlands, "dcs", "Rutland", name="Dee Cee")
        if who == "dcs"
        else other_region_coordinator
    )
    theme = theme_named(east_midlands, "Neglect")
    client.force_login(person)
    pages = [
        themes_url(east_midlands),
        reverse("intelligence:theme_add", args=[east_midlands.pk]),
        reverse("intelligence:theme", args=[east_midlands.pk, theme.pk]),
    ]
    assert [client.get(p).status_code for p in pages] == [403, 403, 403]
    assert client.post(pages[1], {"name": "Sneaked in"}).status_code == 403
    state = reverse("intelligence:theme_state", args=[east_midlands.pk, theme.pk])
    assert client.post(state, {"action": "retire"}).status_code == 403
    assert client.post(pages[0], {"action": "seed"}).status_code == 403
    theme.refresh_from_db()
    assert theme.retired_at is None
    assert not Theme.objects.filter(name="Sneaked in").exists()


def test_the_signed_out_are_sent_to_sign_in(client, east_midlands):
    response = client.get(themes_url(east_midlands))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_regions_theme_is_not_found_under_this_region(
    client, coordinator, east_midlands, other_region_coordinator
):
    theirs = service.theme_create(
        region=other_region_coordinator.region, name="Theirs", by=other_region_coordinator
    )
    client.force_login(coordinator)
    assert (
        client.get(reverse("intelligence:theme", args=[east_midlands.pk, theirs.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("extra", [0, 2])
def test_the_themes_page_takes_a_fixed_number_of_queries(
    client, coordinator, east_midlands, extra, django_assert_num_queries
):
    Theme.objects.filter(region=east_midlands).exclude(name="Neglect").delete()
    for n in range(extra):
        service.theme_create(region=east_midlands, name=f"Theme {n}", by=coordinator)
    Theme.objects.filter(name="Theme 0").update(retired_at=timezone.now())
    client.force_login(coordinator)
    # Session, user, coordinator's regions, region, themes with their counts.
    with django_assert_num_queries(5):
        response = client.get(themes_url(east_midlands))
    assert len(response.context["active"]) + len(response.context["retired"]) == 1 + extra


def test_changes_to_themes_and_tags_are_kept_in_the_audit_log(coordinator, east_midlands, final):
    review, _, _ = final
    theme = service.theme_create(region=east_midlands, name="Youth justice", by=coordinator)
    service.theme_retire(theme=theme, by=coordinator)
    neglect = theme_named(east_midlands, "Neglect")
    finding = Finding.objects.filter(hypothesis__review=review).first()
    service.review_tags_set(
        review=review, findings={finding.pk: {neglect.pk}}, actions={}, by=coordinator
    )
    service.review_tags_set(review=review, findings={finding.pk: set()}, actions={}, by=coordinator)
    theme_log = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Theme), object_pk=str(theme.pk)
    )
    assert sorted(e.action for e in theme_log) == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    tag_log = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ThemeTag))
    assert sorted(e.action for e in tag_log) == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]


# Tagging a final letter ----------------------------------------------------------------


def tags_url(review):
    return reverse("intelligence:review_tags", args=[review.pk])


def _items(review):
    findings = list(
        Finding.objects.filter(hypothesis__review=review).order_by(
            "hypothesis__number", "written_at", "pk"
        )
    )
    actions = list(AgreedAction.objects.filter(review=review).order_by("number"))
    return findings, actions


def _tags(review):
    return sorted(
        (t.finding_id or 0, t.action_id or 0, t.theme.name)
        for t in ThemeTag.objects.filter(review=review).select_related("theme")
    )


def test_the_page_lists_the_findings_and_priority_actions_with_suggestions_and_why(
    client, coordinator, final
):
    review, _, _ = final
    client.force_login(coordinator)
    response = client.get(tags_url(review))
    assert response.status_code == 200
    items = {row["item"].label: row for row in response.context["rows"]}
    assert list(items) == [
        "Hypothesis 1, finding 1",
        "Hypothesis 1, finding 2",
        "Hypothesis 2, finding 1",
        "Priority action 1",
        "Priority action 2",
    ]  # action 3 is not a priority: the letter does not state it
    agency = items["Hypothesis 1, finding 2"]  # "Managers believe agency staff are ..."
    suggested = {t.name: reasons for t, _, reasons in agency["options"] if reasons}
    assert suggested == {
        "Management oversight and supervision": ["words: managers"],
        "Partnership working": ["words: agency"],  # "multi agency"
        "Workforce and caseloads": ["words: agency, staff"],
    }
    # Suggested themes come first.
    assert [t.name for t, _, _ in agency["options"]][:3] == sorted(suggested)
    page = response.content.decode()
    assert "words: agency, staff" in page


def test_saving_sets_each_items_themes_and_keeps_who_tagged_what_stays(
    client, coordinator, east_midlands, final, on_day
):
    review, _, _ = final
    findings, actions = _items(review)
    workforce = theme_named(east_midlands, "Workforce and caseloads")
    oversight = theme_named(east_midlands, "Management oversight and supervision")
    front = theme_named(east_midlands, "Front door and referrals")
    client.force_login(coordinator)
    response = client.post(
        tags_url(review),
        {
            f"finding-{findings[1].pk}": [workforce.pk, oversight.pk],
            f"action-{actions[0].pk}": [front.pk],
        },
    )
    assert response.status_code == 302
    assert _tags(review) == sorted(
        [
            (findings[1].pk, 0, "Management oversight and supervision"),
            (findings[1].pk, 0, "Workforce and caseloads"),
            (0, actions[0].pk, "Front door and referrals"),
        ]
    )
    kept = ThemeTag.objects.get(finding=findings[1], theme=workforce)
    first_at = kept.tagged_at

    # A day later: one theme taken off the finding, the action's left as it was.
    on_day(D(2026, 11, 30))
    client.force_login(coordinator)  # a new day's session
    client.post(
        tags_url(review),
        {f"finding-{findings[1].pk}": [workforce.pk], f"action-{actions[0].pk}": [front.pk]},
    )
    assert _tags(review) == sorted(
        [
            (findings[1].pk, 0, "Workforce and caseloads"),
            (0, actions[0].pk, "Front door and referrals"),
        ]
    )
    kept.refresh_from_db()
    assert (kept.tagged_at, kept.tagged_by) == (first_at, coordinator)
    # Nothing ticked anywhere takes every theme off.
    client.post(tags_url(review), {})
    assert _tags(review) == []


def test_the_page_shows_the_themes_kept(client, coordinator, east_midlands, final):
    review, _, _ = final
    findings, _ = _items(review)
    neglect = theme_named(east_midlands, "Neglect")
    _tag(review, neglect, coordinator, finding=findings[0])
    client.force_login(coordinator)
    page = client.get(tags_url(review)).content.decode()
    box = re.search(rf'<input[^>]*id="finding-{findings[0].pk}-{neglect.pk}"[^>]*>', page)
    assert " checked" in box.group(0)
    other = re.search(rf'<input[^>]*id="finding-{findings[1].pk}-{neglect.pk}"[^>]*>', page)
    assert " checked" not in other.group(0)


def test_a_double_submit_tags_once(
    client, coordinator, east_midlands, final, django_capture_on_commit_callbacks
):
    review, _, _ = final
    findings, _ = _items(review)
    neglect = theme_named(east_midlands, "Neglect")
    client.force_login(coordinator)
    first, second = twice(
        client,
        tags_url(review),
        {f"finding-{findings[0].pk}": [neglect.pk]},
        django_capture_on_commit_callbacks,
    )
    assert (first.status_code, second.status_code) == (302, 302)
    assert ThemeTag.objects.filter(review=review).count() == 1
    # The service itself, sent the same again, changes nothing.
    assert (
        service.review_tags_set(
            review=review, findings={findings[0].pk: {neglect.pk}}, actions={}, by=coordinator
        )
        == 0
    )


def test_tagging_never_changes_the_letter_or_its_pdf(client, coordinator, east_midlands, final):
    review, _, letter = final
    letter.refresh_from_db()
    pdf = LetterPdf.objects.get(letter=letter, is_final=True)
    before = (letter.body, letter.subject, letter.revision, letter.updated_at, letter.state)
    digest = pdf.sha256
    assert digest
    findings, actions = _items(review)
    neglect = theme_named(east_midlands, "Neglect")
    client.force_login(coordinator)
    client.post(
        tags_url(review),
        {f"finding-{findings[0].pk}": [neglect.pk], f"action-{actions[1].pk}": [neglect.pk]},
    )
    assert ThemeTag.objects.filter(review=review).count() == 2
    letter.refresh_from_db()
    pdf.refresh_from_db()
    assert (letter.body, letter.subject, letter.revision, letter.updated_at, letter.state) == before
    assert pdf.sha256 == digest


@pytest.mark.parametrize("state", ["draft", "shared"])
def test_a_letter_not_final_is_not_tagged_and_the_page_says_why(
    client, coordinator, east_midlands, state
):
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people)
    at_state(review, people, state)
    findings, _ = _items(review)
    neglect = theme_named(east_midlands, "Neglect")
    client.force_login(coordinator)
    page = client.get(tags_url(review))
    assert page.status_code == 200
    assert "Only a final letter's findings and priority actions are tagged" in (
        page.content.decode()
    )
    assert page.context["rows"] == []
    response = client.post(tags_url(review), {f"finding-{findings[0].pk}": [neglect.pk]})
    assert response.status_code == 400
    assert ThemeTag.objects.filter(review=review).count() == 0
    with pytest.raises(service.ValidationError, match="final letter"):
        service.review_tags_set(
            review=review, findings={findings[0].pk: {neglect.pk}}, actions={}, by=coordinator
        )


def test_a_retired_theme_is_not_offered_but_stays_where_it_was(
    client, coordinator, east_midlands, final
):
    review, _, _ = final
    findings, _ = _items(review)
    neglect = theme_named(east_midlands, "Neglect")
    abuse = theme_named(east_midlands, "Domestic abuse")
    _tag(review, neglect, coordinator, finding=findings[0])
    service.theme_retire(theme=neglect, by=coordinator)
    service.theme_retire(theme=abuse, by=coordinator)
    client.force_login(coordinator)
    rows = {r["item"].key: r for r in client.get(tags_url(review)).context["rows"]}
    offered_first = [t.name for t, _, _ in rows[f"finding-{findings[0].pk}"]["options"]]
    offered_second = [t.name for t, _, _ in rows[f"finding-{findings[1].pk}"]["options"]]
    assert "Neglect" in offered_first and "Neglect" not in offered_second
    assert "Domestic abuse" not in offered_first
    # Kept when ticked again; refused at the field when newly put on.
    response = client.post(
        tags_url(review),
        {f"finding-{findings[0].pk}": [neglect.pk], f"finding-{findings[1].pk}": [abuse.pk]},
    )
    assert response.status_code == 400
    assert response.context["rows"][1]["errors"] == [
        "Choose from the themes listed: one you chose was retired or taken out meanwhile."
    ]
    assert response.context["error_links"][0][0].startswith(f"finding-{findings[1].pk}-")
    assert _tags(review) == [(findings[0].pk, 0, "Neglect")]
    assert (
        client.post(tags_url(review), {f"finding-{findings[0].pk}": [neglect.pk]}).status_code
        == 302
    )
    assert _tags(review) == [(findings[0].pk, 0, "Neglect")]


def test_another_regions_theme_or_another_reviews_finding_is_refused(
    coordinator, east_midlands, other_region_coordinator, final
):
    review, _, _ = final
    findings, actions = _items(review)
    theirs = service.theme_create(
        region=other_region_coordinator.region, name="Theirs", by=other_region_coordinator
    )
    with pytest.raises(service.ValidationError, match="retired or not one of the region's"):
        service.review_tags_set(
            review=review, findings={findings[0].pk: {theirs.pk}}, actions={}, by=coordinator
        )
    neglect = theme_named(east_midlands, "Neglect")
    not_priority = actions[2]
    with pytest.raises(service.ValidationError, match="Only this letter's"):
        service.review_tags_set(
            review=review, findings={}, actions={not_priority.pk: {neglect.pk}}, by=coordinator
        )
    assert ThemeTag.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("host_dcs", 403),
        ("host_ad", 403),
        ("lead", 403),
        ("qa", 403),
        ("data", 403),
        ("member", 403),
        ("uninvolved", 404),  # a DCS elsewhere in the region sees nothing of the review
        ("other_coordinator", 404),
    ],
)
def test_only_the_regions_coordinator_opens_or_posts_the_tagging_page(
    client, east_midlands, other_region_coordinator, final, who, status
):
    review, people, _ = final
    person = other_region_coordinator if who == "other_coordinator" else people[who]
    findings, _ = _items(review)
    neglect = theme_named(east_midlands, "Neglect")
    client.force_login(person)
    assert client.get(tags_url(review)).status_code == status
    assert (
        client.post(tags_url(review), {f"finding-{findings[0].pk}": [neglect.pk]}).status_code
        == status
    )
    assert ThemeTag.objects.count() == 0
    with pytest.raises(service.PermissionDenied):
        service.review_tags_set(
            review=review, findings={findings[0].pk: {neglect.pk}}, actions={}, by=person
        )
    # And the letter page offers them no way there.
    page = client.get(reverse("reviews:letter", args=[review.pk]))
    if page.status_code == 200:
        assert "themes-link" not in page.content.decode()


def test_the_letter_page_links_the_coordinator_to_tagging_once_final(
    client, coordinator, east_midlands
):
    review, people = visited(east_midlands, coordinator, "pctr")
    feedback_given(review, people)
    letter = at_state(review, people, "shared")
    client.force_login(coordinator)
    assert client.get(reverse("reviews:letter", args=[review.pk])).status_code == 403
    letter_pdf.letter_issue(letter=letter, by=people["lead"])
    page = client.get(reverse("reviews:letter", args=[review.pk])).content.decode()
    assert f'href="{tags_url(review)}"' in page


@pytest.mark.parametrize("findings_count", [1, 3])
def test_the_tagging_page_takes_a_fixed_number_of_queries(
    client, coordinator, east_midlands, final, findings_count, django_assert_num_queries
):
    review, people, _ = final
    hypothesis = Hypothesis.objects.get(review=review, number=2)
    Finding.objects.filter(hypothesis__review=review).delete()
    now = timezone.now()
    for n in range(findings_count):
        Finding.objects.create(
            hypothesis=hypothesis,
            text=f"Agency caseloads are high in team {n}.",
            written_by=people["lead"],
            written_at=now,
            updated_at=now,
        )
    client.force_login(coordinator)
    # Session, user; review; the user's posts and team place, coordinated regions; letter;
    # findings, actions, tags, themes, earlier tags.
    with django_assert_num_queries(12):
        response = client.get(tags_url(review))
    assert len(response.context["rows"]) == findings_count + 2


# Suggestions from what was tagged before ---------------------------------------------------


def test_a_finding_like_one_tagged_before_in_the_region_is_suggested_its_themes(
    coordinator, east_midlands, final
):
    review, people, _ = final
    earlier = make_review(
        east_midlands, "sav", "Derbyshire", D(2025, 3, 1), "Rutland", "Derby City"
    )
    hypothesis = Hypothesis.objects.create(
        review=earlier,
        number=1,
        text="Supervision.",
        proposal="investigate",
        written_by=people["lead"],
    )
    now = timezone.now()
    before = Finding.objects.create(
        hypothesis=hypothesis,
        text="Supervision records are not up to date for agency workers.",
        written_by=people["lead"],
        written_at=now,
        updated_at=now,
    )
    partnership = theme_named(east_midlands, "Partnership working")
    _tag(earlier, partnership, coordinator, finding=before)
    items = {i.label: i for i in tagging_items(review)}
    # "Supervision records are up to date for permanent staff." shares most of its words.
    reasons = items["Hypothesis 2, finding 1"].suggestions[partnership.pk]
    assert reasons == [
        "like a finding tagged before: “Supervision records are not up to date for agency workers.”"
    ]
    # A finding with little in common is not.
    assert partnership.pk not in items["Hypothesis 1, finding 1"].suggestions


def test_words_leave_out_stop_words_and_fold_plurals():
    assert text_words("The agencies' caseloads, and the children's AGENCY") == {
        "agency": "agencies",
        "caseload": "caseloads",
    }


# The figures the regional page reads -------------------------------------------------------


def test_the_regional_picture_counts_tags_by_year_and_kind_with_the_las_behind_each(
    coordinator, east_midlands, final
):
    """R28: a tag counts once its letter is final, under the year the review's slot starts,
    retired themes included."""
    review, people, _ = final
    findings, actions = _items(review)
    neglect = theme_named(east_midlands, "Neglect")
    abuse = theme_named(east_midlands, "Domestic abuse")
    _tag(review, neglect, coordinator, finding=findings[0])
    _tag(review, neglect, coordinator, action=actions[0])
    _tag(review, abuse, coordinator, finding=findings[1])
    service.theme_retire(theme=abuse, by=coordinator)  # retired themes still count
    # A tag on a review whose letter is not final (made behind the services' back) is not
    # counted.
    other = make_review(east_midlands, "sav", "Derbyshire", D(2025, 3, 1), "Rutland", "Derby City")
    hypothesis = Hypothesis.objects.create(
        review=other, number=1, text="H.", proposal="investigate", written_by=people["lead"]
    )
    now = timezone.now()
    stray = Finding.objects.create(
        hypothesis=hypothesis, text="F.", written_by=people["lead"], written_at=now, updated_at=now
    )
    _tag(other, neglect, coordinator, finding=stray)
    scope = intelligence_scope(coordinator, east_midlands, on=timezone.localdate())
    picture = regional_picture(scope=scope, year=None, today=timezone.localdate(), draw=False)
    themes = picture.charts["themes"]
    year = review.starts_on.year
    assert themes.rows == [
        [year, "Domestic abuse", "PCTR", 1, "Rutland"],
        [year, "Neglect", "PCTR", 2, "Rutland"],
    ]
