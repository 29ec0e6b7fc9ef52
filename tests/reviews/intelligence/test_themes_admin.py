"""The region's themes in the admin (R28, R31): the coordinator sees and keeps only their
own region's; a name taken whatever its case is refused at the field; a theme in use is
never deleted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.intelligence.models import Theme, ThemeTag
from reviews.intelligence.services import themes as service
from tests.reviews.intelligence.test_themes import (
    _items,
    final,  # noqa: F401 (a fixture)
    theme_named,
)


def test_the_coordinator_sees_only_their_regions_themes(
    client, coordinator, east_midlands, other_region_coordinator
):
    theirs = service.theme_create(
        region=other_region_coordinator.region, name="Theirs", by=other_region_coordinator
    )
    client.force_login(coordinator)
    response = client.get(reverse("admin:reviews_theme_changelist"))
    assert response.status_code == 200
    shown = response.context["cl"].result_list
    assert {t.region for t in shown} == {east_midlands}
    assert len(shown) == Theme.objects.filter(region=east_midlands).count()
    change = reverse("admin:reviews_theme_change", args=[theirs.pk])
    assert client.get(change).status_code == 302  # the admin's "does not exist" redirect
    client.post(change, {"name": "Renamed", "description": "", "keywords": ""})
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_a_theme_added_in_the_admin_with_a_name_taken_is_refused_at_the_field(
    client, coordinator, east_midlands
):
    client.force_login(coordinator)
    url = reverse("admin:reviews_theme_add")
    data = {"region": east_midlands.pk, "name": "neglect", "description": "", "keywords": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": ["East Midlands already has a theme called “Neglect”: give this one another name."]
    }
    response = client.post(url, {**data, "name": "Youth justice"})
    assert response.status_code == 302
    assert theme_named(east_midlands, "Youth justice").created_at is not None


def test_a_theme_in_use_is_not_deleted_in_the_admin(client, coordinator, east_midlands, final):  # noqa: F811
    review, _, _ = final
    findings, _ = _items(review)
    neglect = theme_named(east_midlands, "Neglect")
    ThemeTag.objects.create(
        theme=neglect,
        review=review,
        finding=findings[0],
        tagged_by=coordinator,
        tagged_at=timezone.now(),
    )
    unused = theme_named(east_midlands, "Domestic abuse")
    client.force_login(coordinator)
    assert (
        client.post(
            reverse("admin:reviews_theme_delete", args=[neglect.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Theme.objects.filter(pk=neglect.pk).exists()
    response = client.post(reverse("admin:reviews_theme_delete", args=[unused.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Theme.objects.filter(pk=unused.pk).exists()


def test_a_dcs_has_no_admin_of_themes(client, east_midlands):
    from tests.calendar_planner.people import holder

    client.force_login(holder(east_midlands, "dcs", "Rutland", name="Dee Cee"))
    response = client.get(reverse("admin:reviews_theme_changelist"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("extra", [1, 3])
def test_the_admin_list_of_themes_does_not_grow_with_rows(
    client, coordinator, east_midlands, extra, django_assert_num_queries
):
    Theme.objects.filter(region=east_midlands).delete()
    for n in range(extra):
        service.theme_create(region=east_midlands, name=f"Theme {n}", by=coordinator)
    client.force_login(coordinator)
    url = reverse("admin:reviews_theme_changelist")
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == extra


def test_a_theme_is_retired_and_brought_back_in_the_admin(client, coordinator, east_midlands):
    theme = theme_named(east_midlands, "Neglect")
    client.force_login(coordinator)
    url = reverse("admin:reviews_theme_change", args=[theme.pk])
    data = {"name": "Neglect", "description": theme.description, "keywords": theme.keywords}
    assert client.post(url, {**data, "retired": "on"}).status_code == 302
    theme.refresh_from_db()
    retired_at = theme.retired_at
    assert retired_at is not None
    # Saved again still retired, it keeps the time it was retired.
    client.post(url, {**data, "retired": "on", "description": "Changed."})
    theme.refresh_from_db()
    assert (theme.retired_at, theme.description) == (retired_at, "Changed.")
    client.post(url, data)
    theme.refresh_from_db()
    assert theme.retired_at is None
