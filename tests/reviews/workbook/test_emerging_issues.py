"""Emerging issues (R24, R29, R30): the lead shares an issue with the host before the
verbal feedback, so that nothing in it comes as a surprise. The host's DCS and 2nd-tier
lead read them and are e-mailed, nobody else; of a SAV, only once the visit has started."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reviews.review.models import ReviewState
from reviews.workbook.models import EmergingIssue
from reviews.workbook.services import verbal_feedback as notebook
from tests.reviews.workbook.test_hypotheses import sav  # noqa: F401 (a fixture)
from tests.reviews.workbook.test_notebook import visit  # noqa: F401 (a fixture)

D = datetime.date


def url(review):
    return reverse("reviews:emerging_issues", args=[review.pk])


@pytest.mark.parametrize("kind", ["pctr", "sav"])
def test_the_host_leaders_and_nobody_else_are_emailed(
    visit,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
    kind,
):
    review, people = visit(kind, state=ReviewState.ON_SITE)
    client.force_login(people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url(review), {"text": "Agency staff are not supervised."})
    assert answer.status_code == 302
    issue = EmergingIssue.objects.get()
    assert (issue.text, issue.shared_by) == ("Agency staff are not supervised.", people["lead"])
    assert [sorted(m.to) for m in mail.outbox] == [
        sorted([people["host_dcs"].email, people["host_ad"].email])
    ]
    message = mail.outbox[0]
    assert message.subject == "An emerging issue from the review of Rutland"
    assert url(review) in message.body
    # The e-mail says where to read it, not what it says.
    assert "Agency staff" not in message.body


def test_an_empty_issue_is_refused_at_the_field(visit, client):  # noqa: F811
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    client.force_login(people["lead"])
    page = client.post(url(review), {"text": "  "})
    assert page.status_code == 400
    assert page.context["form"].errors == {"text": ["Write the issue you are sharing."]}
    assert EmergingIssue.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["data", "member", "qa", "host_dcs", "host_ad", "coordinator"])
def test_only_the_lead_shares(visit, client, who, django_capture_on_commit_callbacks):  # noqa: F811
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    with pytest.raises(PermissionDenied):
        notebook.emerging_issue_share(review=review, text="Not theirs.", by=people[who])
    client.force_login(people[who])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(review), {"text": "Not theirs."}).status_code == 403
    assert EmergingIssue.objects.count() == 0
    assert mail.outbox == []


def test_nothing_is_shared_once_the_feedback_is_given(visit):  # noqa: F811
    review, people = visit("pctr")
    notebook.verbal_feedback_save(
        review=review, given_on=D(2026, 11, 18), revision=0, by=people["lead"]
    )
    with pytest.raises(ValidationError, match="The verbal feedback has been given"):
        notebook.emerging_issue_share(review=review, text="Late.", by=people["lead"])


def test_an_issue_typed_as_the_feedback_was_given_is_shown_to_be_copied(visit, client):  # noqa: F811
    review, people = visit("pctr")
    client.force_login(people["lead"])
    assert client.get(url(review)).context["form"] is not None
    # The feedback is given (the lead's other laptop) while the issue is being typed.
    notebook.verbal_feedback_save(
        review=review, given_on=D(2026, 11, 18), revision=0, by=people["lead"]
    )
    page = client.post(url(review), {"text": "Drift in <em>plans</em>."})
    assert page.status_code == 400
    html = page.content.decode()
    assert page.context["form"] is None
    assert page.context["unsaved"] == [
        ("The issue to share with the host", "Drift in <em>plans</em>.")
    ]
    assert "The verbal feedback has been given" in html
    assert "Drift in &lt;em&gt;plans&lt;/em&gt;." in html and "<em>plans" not in html
    assert EmergingIssue.objects.count() == 0
    assert mail.outbox == []


READERS = {
    "lead": 200,
    "qa": 200,
    "data": 200,
    "member": 200,
    "host_dcs": 200,
    "host_ad": 200,
    "host_data": 403,
    "coordinator": 403,
    "uninvolved": 404,
}


@pytest.mark.parametrize("kind", ["pctr", "sav"])
def test_who_reads_the_emerging_issues(visit, client, kind):  # noqa: F811
    review, people = visit(kind, state=ReviewState.ON_SITE)
    notebook.emerging_issue_share(
        review=review, text="Drift in child protection plans.", by=people["lead"]
    )
    got = {}
    for who in READERS:
        client.force_login(people[who])
        page = client.get(url(review))
        got[who] = page.status_code
        if page.status_code == 200:
            assert "Drift in child protection plans." in page.content.decode()
            # Only the lead is given the form.
            assert (page.context["form"] is not None) is (who == "lead")
    assert got == READERS


def test_a_savs_host_reads_nothing_before_the_visit(sav, client):  # noqa: F811
    review, people = sav
    expected = {"lead": 200, "host_dcs": 403, "host_ad": 404, "host_data": 404, "uninvolved": 404}
    got = {}
    for who in expected:
        client.force_login(people[who])
        got[who] = client.get(url(review)).status_code
    assert got == expected
    # Nor can anything be shared before the visit starts.
    with pytest.raises(ValidationError, match="once the visit has started"):
        notebook.emerging_issue_share(review=review, text="Too soon.", by=people["lead"])
    assert mail.outbox == []


@pytest.mark.parametrize("count", [1, 3])
def test_the_issues_page_query_count_is_pinned(
    visit,  # noqa: F811
    client,
    count,
    django_assert_num_queries,
):
    review, people = visit("pctr", state=ReviewState.ON_SITE)
    for n in range(count):
        notebook.emerging_issue_share(review=review, text=f"Issue {n}.", by=people["lead"])
    client.force_login(people["host_dcs"])
    with django_assert_num_queries(7):
        page = client.get(url(review))
    assert [i.text for i in page.context["issues"]] == [f"Issue {n}." for n in range(count)]
