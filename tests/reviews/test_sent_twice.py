"""A form sent twice is done once (STYLE 13): the token rendered into the page, held by the
primary key of ``FormToken``, makes a double click, a retry on bad Wi-Fi or the back button
create one record and send one round of e-mail; the repeat is sent where the first went."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from emslirp.idempotency import FIELD, REPEATED
from emslirp.models import FormToken
from reviews.escalations.models import Escalation
from reviews.review.models import ReviewState
from reviews.workbook.models import EmergingIssue, Finding
from tests.reviews.workbook.test_notebook import hypothesis, url, visit  # noqa: F401 (a fixture)

TOKEN = re.compile(rf'name="{FIELD}" value="([0-9a-f-]{{36}})"')
CSRF = re.compile(r'name="csrfmiddlewaretoken"')


def token_of(client, page_url) -> str:
    """The token of the first form of the page, as the browser would send it."""
    html = client.get(page_url).content.decode()
    return TOKEN.search(html).group(1)


def twice(client, page_url, data, capture):
    """Send the same rendered form twice; both answers."""
    data = {**data, FIELD: token_of(client, page_url)}
    with capture(execute=True):
        first = client.post(page_url, data)
    with capture(execute=True):
        second = client.post(page_url, data)
    return first, second


def test_an_emerging_issue_sent_twice_is_shared_once_and_told_once(
    visit,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    client.force_login(people["lead"])
    page = reverse("reviews:emerging_issues", args=[review.pk])
    first, second = twice(
        client,
        page,
        {"text": "Agency staff are not supervised."},
        django_capture_on_commit_callbacks,
    )
    assert (first.status_code, second.status_code) == (302, 302)
    assert second.url == first.url
    assert EmergingIssue.objects.count() == 1
    assert len(mail.outbox) == 1
    assert REPEATED in client.get(second.url).content.decode()


def test_a_concern_sent_twice_is_raised_once(
    visit,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    review, people = visit("pctr")
    client.force_login(people["host_dcs"])
    page = reverse("reviews:escalations", args=[review.pk])
    data = {"about": "conduct", "concern": "Staff were interviewed without notice."}
    first, second = twice(client, page, data, django_capture_on_commit_callbacks)
    assert Escalation.objects.count() == 1
    assert (
        second.url
        == first.url
        == reverse("reviews:escalation", args=[review.pk, Escalation.objects.get().pk])
    )
    assert [m.to for m in mail.outbox] == [[people["lead"].email]]


def test_a_finding_sent_twice_is_saved_once(
    visit,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    client.force_login(people["member"])
    first_hypothesis = hypothesis(review)
    data = {
        "action": "finding_add",
        "hypothesis": first_hypothesis.pk,
        f"finding-new-{first_hypothesis.pk}-text": "Thresholds vary between teams.",
        f"finding-new-{first_hypothesis.pk}-evidence": "Twelve referrals audited.",
    }
    first, second = twice(client, url(review), data, django_capture_on_commit_callbacks)
    assert (first.status_code, second.status_code) == (302, 302)
    assert list(Finding.objects.values_list("text", flat=True)) == [
        "Thresholds vary between teams."
    ]


def test_a_form_refused_for_its_input_keeps_its_token_for_the_corrected_one(
    visit,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    client.force_login(people["lead"])
    page = reverse("reviews:emerging_issues", args=[review.pk])
    token = token_of(client, page)
    assert client.post(page, {"text": " ", FIELD: token}).status_code == 400
    assert FormToken.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(page, {"text": "Now with words.", FIELD: token}).status_code == 302
    assert EmergingIssue.objects.count() == 1
    assert FormToken.objects.get().user == people["lead"]


def test_someone_elses_token_is_refused_and_does_nothing(
    visit,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    page = reverse("reviews:emerging_issues", args=[review.pk])
    client.force_login(people["lead"])
    token = token_of(client, page)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"text": "Shared once.", FIELD: token})
    client.force_login(people["coordinator"])
    assert client.post(page, {"text": "Replayed.", FIELD: token}).status_code == 400
    assert list(EmergingIssue.objects.values_list("text", flat=True)) == ["Shared once."]


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("lead", "notebook"),
        ("lead", "hypotheses"),
        ("lead", "verbal_feedback"),
        ("lead", "review"),
        ("host_dcs", "escalations"),
        ("lead", "emerging_issues"),
    ],
)
def test_every_form_sent_by_post_carries_its_own_token(
    visit,  # noqa: F811
    client,
    who,
    name,
):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    client.force_login(people[who])
    html = client.get(reverse(f"reviews:{name}", args=[review.pk])).content.decode()
    tokens = TOKEN.findall(html)
    assert len(tokens) == len(CSRF.findall(html)) >= 2  # the page's forms and sign-out
    assert len(set(tokens)) == len(tokens)
