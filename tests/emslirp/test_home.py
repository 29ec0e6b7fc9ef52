"""The home page: a signed-in person's posts and what needs them."""

import datetime

import pytest
from django.urls import reverse

from emslirp.models import PostKind
from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/"


def test_home_shows_current_and_past_posts(client, la, today):
    person = UserFactory(full_name="Hana Home")
    PostFactory(
        holder=person,
        kind=PostKind.SAFEGUARDING_LEAD,
        local_authority=la("Rutland"),
        started_on=D(2015, 1, 1),
        ended_on=D(2019, 12, 31),
    )
    PostFactory(
        holder=person,
        kind=PostKind.DCS,
        local_authority=la("Lincolnshire"),
        started_on=D(2020, 1, 1),
    )
    client.force_login(person)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert [str(p) for p in response.context["current_posts"]] == [
        "Director of Children's Services, Lincolnshire"
    ]
    assert [str(p) for p in response.context["past_posts"]] == [
        "2nd-tier safeguarding lead, Rutland"
    ]
    assert '<h1 class="govuk-heading-xl">Hana Home</h1>' in html
    assert "Posts you held before (1)" in html
    # A DCS is asked for their LA's annual self-assessment (R17), and nothing else.
    assert [item["title"] for item in response.context["needs_you"]] == [
        f"Start the self-assessment of Lincolnshire for {today.year}"
    ]
    assert 'href="#main-content"' in html  # the skip link
    assert "Administration" not in html


def test_a_coordinator_is_offered_the_administration(
    client, coordinator, django_assert_num_queries
):
    client.force_login(coordinator)
    # Three more than the page below: whether their coordinator post is current today (for
    # the admin, the pool and the reminders links), extra PCTR requests waiting, and the
    # flagged accreditations waiting for their decision.
    with django_assert_num_queries(20):
        html = client.get(reverse("home")).content.decode()
    assert "SDSA coordinator" in html
    assert f'href="{reverse("admin:index")}"' in html


@pytest.mark.parametrize("posts", [1, 3])
def test_home_query_count_does_not_grow_with_posts(client, la, posts, django_assert_num_queries):
    person = UserFactory()
    names = ["Rutland", "Derbyshire", "Lincolnshire"]
    for i in range(posts):
        PostFactory(
            holder=person,
            kind=PostKind.DCS,
            local_authority=la(names[i]),
            started_on=D(1995 + i * 5, 1, 1),
            ended_on=D(1999 + i * 5, 12, 31),
        )
    client.force_login(person)
    # session, user, posts with their LAs and regions (not staff: no admin check), their
    # own application, their accreditations, their team places, whether they coordinate;
    # and their deadlines (R37), a fixed number however many there are: one per kind while
    # none is open, and the self-assessment's writers once one is
    with django_assert_num_queries(17):
        response = client.get(reverse("home"))
    assert len(response.context["past_posts"]) == posts


def test_a_refused_page_says_so_in_the_service_shell(client):
    # The pool is for coordinators and those who form teams; an ordinary person is refused.
    client.force_login(UserFactory())
    response = client.get(reverse("accreditation:pool"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot see this page" in html
    assert 'class="govuk-header"' in html


def test_a_coordinator_refused_is_not_told_to_ask_the_coordinator(
    client, east_midlands, other_region_coordinator
):
    # Another region's pool: the coordinator is refused, and told why, not sent to
    # themselves.
    client.force_login(other_region_coordinator)
    response = client.get(reverse("accreditation:pool_region", args=[east_midlands.pk]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "ask your region's coordinator" not in html
    assert "that your post does not cover" in html


def test_the_products_own_pages_answer_errors_when_debug_is_off(client, settings):
    # make run serves with DEBUG off: a bad request and a missing page are the service's.
    settings.DEBUG = False
    client.force_login(UserFactory())
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert 'class="govuk-header"' in missing.content.decode()
