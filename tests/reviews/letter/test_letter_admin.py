"""The letter template in the admin (R23, R31): the coordinator edits their own region's,
with every placeholder checked; nobody else reaches it, and letters have no admin."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from reviews.letter.models import Letter, LetterEvent, LetterPdf, LetterPdfDownload, LetterTemplate
from tests.factories import PostFactory, RegionFactory, UserFactory


def _form_data(template, **changes):
    return {
        "region": template.region_id,
        "kind": template.kind,
        "subject": template.subject,
        "body": template.body,
        **changes,
    }


def test_every_region_has_a_seeded_template_per_kind(east_midlands):
    assert sorted(
        LetterTemplate.objects.filter(region=east_midlands).values_list("kind", flat=True)
    ) == ["pctr", "sav"]
    for template in LetterTemplate.objects.all():
        assert "{priority_actions}" in template.body
        assert "{host_dcs}" in template.body


def test_a_coordinator_sees_only_their_regions_templates(
    client, coordinator, east_midlands, other_region_coordinator
):
    theirs = LetterTemplate.objects.create(
        region=other_region_coordinator.region, kind="pctr", subject="S", body="B {council}"
    )
    client.force_login(coordinator)
    response = client.get(reverse("admin:reviews_lettertemplate_changelist"))
    assert sorted(t.kind for t in response.context["cl"].result_list) == ["pctr", "sav"]
    assert {t.region for t in response.context["cl"].result_list} == {east_midlands}
    url = reverse("admin:reviews_lettertemplate_change", args=[theirs.pk])
    assert client.get(url).status_code == 302  # the admin's "does not exist" redirect
    client.post(url, _form_data(theirs, body="Changed"))
    theirs.refresh_from_db()
    assert theirs.body == "B {council}"


def test_the_coordinator_changes_the_template_and_is_recorded_as_its_editor(
    client, coordinator, east_midlands
):
    template = LetterTemplate.objects.get(region=east_midlands, kind="sav")
    client.force_login(coordinator)
    url = reverse("admin:reviews_lettertemplate_change", args=[template.pk])
    body = "Dear {host_dcs},\n\nOur visit to {council} on {review_dates}.\n\n{priority_actions}"
    response = client.post(url, _form_data(template, body=body))
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.body, template.updated_by) == (body, coordinator)


def test_an_unknown_placeholder_is_refused_at_its_field_naming_it(
    client, coordinator, east_midlands
):
    template = LetterTemplate.objects.get(region=east_midlands, kind="pctr")
    before = template.body
    client.force_login(coordinator)
    url = reverse("admin:reviews_lettertemplate_change", args=[template.pk])
    typed = "Dear {host_name},\n\n{council} {{ settings.SECRET_KEY }} {priority_actions"
    response = client.post(url, _form_data(template, body=typed, subject="About {councl}"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    known = (
        "use one of {host_dcs}, {council}, {review_dates}, {priority_actions}, {lead_name}, "
        "{lead_title}, {kind}."
    )
    assert form.errors == {
        "subject": [f"Unknown placeholder {{councl}}: {known}"],
        "body": [
            f"Unknown placeholder {{host_name}}: {known}",
            'The brace "{" before "priority_actions" has no partner. Write a placeholder as '
            "{name}, or type a brace twice ({{ or }}) to print it.",
        ],
    }
    # What was typed is kept in the form.
    assert "{{ settings.SECRET_KEY }} {priority_actions</textarea>" in response.content.decode()
    template.refresh_from_db()
    assert template.body == before


def test_a_second_template_of_the_same_kind_is_refused(client, coordinator, east_midlands):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:reviews_lettertemplate_add"),
        {"region": east_midlands.pk, "kind": "pctr", "subject": "S", "body": "B"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Letter template with this Region and Kind already exists."
    ]
    assert LetterTemplate.objects.filter(region=east_midlands).count() == 2


def test_a_coordinator_adds_a_template_only_for_their_own_region(
    client, other_region_coordinator, east_midlands
):
    client.force_login(other_region_coordinator)
    url = reverse("admin:reviews_lettertemplate_add")
    data = {"kind": "sav", "subject": "Visit to {council}", "body": "Dear {host_dcs}"}
    response = client.post(url, {**data, "region": east_midlands.pk})
    assert "Select a valid choice" in str(response.context["adminform"].form.errors["region"])
    response = client.post(url, {**data, "region": other_region_coordinator.region_id})
    assert response.status_code == 302
    made = LetterTemplate.objects.get(region=other_region_coordinator.region)
    assert (made.kind, made.updated_by) == ("sav", other_region_coordinator)


def test_a_coordinator_never_deletes_a_template(client, coordinator, east_midlands):
    template = LetterTemplate.objects.get(region=east_midlands, kind="pctr")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:reviews_lettertemplate_delete", args=[template.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert LetterTemplate.objects.filter(pk=template.pk).exists()


@pytest.mark.parametrize("who", ["staff_without_post", "former_coordinator", "dcs"])
def test_the_template_admin_is_closed_to_anyone_not_a_current_coordinator(
    client, east_midlands, la, who
):
    if who == "former_coordinator":
        person = UserFactory(is_staff=True, region=east_midlands)
        PostFactory(
            coordinator=True,
            holder=person,
            region=east_midlands,
            started_on=datetime.date(2020, 1, 1),
            ended_on=datetime.date(2021, 1, 1),
        )
    elif who == "dcs":
        person = UserFactory(is_staff=True, region=east_midlands)
        PostFactory(holder=person, local_authority=la("Rutland"), kind="dcs")
    else:
        person = UserFactory(is_staff=True, region=east_midlands)
    template = LetterTemplate.objects.get(region=east_midlands, kind="pctr")
    before = template.body
    client.force_login(person)
    for url in (
        reverse("admin:reviews_lettertemplate_changelist"),
        reverse("admin:reviews_lettertemplate_change", args=[template.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    client.post(
        reverse("admin:reviews_lettertemplate_change", args=[template.pk]),
        _form_data(template, body="Changed"),
    )
    template.refresh_from_db()
    assert template.body == before


def test_letters_and_their_pdfs_have_no_admin():
    for model in (Letter, LetterEvent, LetterPdf, LetterPdfDownload):
        assert model not in admin.site._registry


@pytest.mark.parametrize("count", [1, 3])
def test_the_template_list_query_count_is_pinned(
    client, east_midlands, count, django_assert_num_queries
):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    LetterTemplate.objects.exclude(region=east_midlands, kind="pctr").delete()
    if count == 3:
        LetterTemplate.objects.create(region=east_midlands, kind="sav", subject="S", body="B")
        LetterTemplate.objects.create(
            region=RegionFactory(name="North East"), kind="pctr", subject="S", body="B"
        )
    client.force_login(superuser)
    with django_assert_num_queries(5):
        response = client.get(reverse("admin:reviews_lettertemplate_changelist"))
    assert len(response.context["cl"].result_list) == count
