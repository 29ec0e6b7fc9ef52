"""The team's 1–4 view of each area at the verbal feedback, beside the LA's self-rating
(R39): the lead records it while the record is open, saving the same twice changes
nothing, it closes with the record when the letter leaves draft, and the self-rating is
that of the LA's self-assessment of the review's year, else the latest submitted before
the visit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reviews.letter.models import LetterState
from reviews.self_assessment import content as fields
from reviews.self_assessment import services as sa_services
from reviews.self_assessment.models import SelfAssessment
from reviews.self_assessment.selectors import self_assessment_for_review
from reviews.workbook.models import TeamAreaView
from reviews.workbook.services import verbal_feedback as services
from tests.reviews.self_assessment.test_self_assessment import AREAS
from tests.reviews.workbook.test_notebook import letter_at, visit  # noqa: F401
from tests.reviews.workbook.test_verbal_feedback import given

D = datetime.date


def submitted(review, by, year, ratings, *, at=None):
    """The host's self-assessment for ``year``, submitted with ``ratings`` (area → 1–4;
    every other area 3), ``at`` the moment it was submitted (by default the morning
    before the visit's first day, so the team's view is set against it)."""
    sa = sa_services.self_assessment_start(local_authority=review.host, by=by, on=D(year, 6, 1))
    content = {
        **fields.content_of(sa),
        **{fields.rating_key(a): ratings.get(a, 3) for a in AREAS},
        "period_covered": "The year before",
        "signed_name": "Hana Host",
        "signed_position": "Director of Children's Services",
    }
    revision = sa_services.self_assessment_save(
        self_assessment=sa, base_revision=sa.revision, content=content, by=by, on=D(year, 6, 1)
    )
    sa_services.self_assessment_submit(
        self_assessment=sa, revision=revision, by=by, on=D(year, 6, 1)
    )
    if at is None and review.onsite_from is not None:
        before = review.onsite_from - datetime.timedelta(days=1)
        at = timezone.make_aware(datetime.datetime.combine(before, datetime.time(9)))
    SelfAssessment.objects.filter(pk=sa.pk).update(submitted_at=at or timezone.now())
    return SelfAssessment.objects.get(pk=sa.pk)


def form_data(views):
    data = {"action": "views"}
    for area in AREAS:
        rating = views.get(area)
        data[f"views-{area}"] = str(rating) if rating else "none"
    return data


def url(review):
    return reverse("reviews:verbal_feedback", args=[review.pk])


def test_the_lead_records_the_teams_view_beside_the_self_rating(visit, client):  # noqa: F811
    review, people = visit("pctr")
    submitted(review, people["host_dcs"], 2026, {"practice": 4, "leadership": 2})
    client.force_login(people["lead"])
    page = client.get(url(review))
    assert page.status_code == 200
    assert page.context["views_form"] is not None
    field = page.context["views_form"].fields["practice"]
    assert field.label == "Service delivery and effective practice"
    assert [label for _, label in field.choices] == [
        "Not looked at",
        "1: Inadequate",
        "2: Adequate",
        "3: Good",
        "4: Outstanding",
    ]
    response = client.post(url(review), form_data({"practice": 2, "leadership": 3}))
    assert response.status_code == 302
    assert dict(TeamAreaView.objects.filter(review=review).values_list("area", "rating")) == {
        "practice": 2,
        "leadership": 3,
    }
    page = client.get(url(review))
    rows = [
        (a.name, a.self_label, a.team_label, a.difference) for a in page.context["views"].looked_at
    ]
    assert rows == [
        ("Vision, strategy and leadership", "Adequate", "Good", -1),
        ("Service delivery and effective practice", "Outstanding", "Adequate", 2),
    ]
    html = page.content.decode()
    assert "4: Outstanding" in html and "2: Adequate" in html


def test_saving_the_same_view_twice_changes_nothing(visit):  # noqa: F811
    review, people = visit("pctr")
    ratings = dict.fromkeys(AREAS) | {"outcomes": 1}
    services.team_views_save(review=review, ratings=ratings, by=people["lead"])
    first = TeamAreaView.objects.get(review=review)
    services.team_views_save(review=review, ratings=ratings, by=people["lead"])
    again = TeamAreaView.objects.get(review=review)
    assert (again.pk, again.rating, again.recorded_at) == (first.pk, 1, first.recorded_at)
    # "Not looked at" takes the row away.
    services.team_views_save(review=review, ratings=dict.fromkeys(AREAS), by=people["lead"])
    assert TeamAreaView.objects.filter(review=review).count() == 0


def test_a_double_send_of_the_form_records_once(visit, client):  # noqa: F811
    review, people = visit("pctr")
    client.force_login(people["lead"])
    data = form_data({"outcomes": 4}) | {"form_token": "0b0e9a36-7f3c-4c43-9a57-0d3b8f0d6a11"}
    assert client.post(url(review), data).status_code == 302
    assert client.post(url(review), data).status_code == 302
    assert list(TeamAreaView.objects.filter(review=review).values_list("area", "rating")) == [
        ("outcomes", 4)
    ]


def test_bad_ratings_are_refused_at_the_field(visit, client):  # noqa: F811
    review, people = visit("pctr")
    client.force_login(people["lead"])
    data = form_data({"outcomes": 3}) | {"views-practice": "5"}
    del data["views-leadership"]
    page = client.post(url(review), data)
    assert page.status_code == 400
    form = page.context["views_form"]
    assert form.errors == {
        "practice": ["Choose a rating from 1 to 4, or Not looked at."],
        "leadership": [
            "Choose the team's view of Vision, strategy and leadership, or Not looked at."
        ],
    }
    assert form["outcomes"].value() == "3"  # what was chosen is kept
    assert TeamAreaView.objects.filter(review=review).count() == 0
    with pytest.raises(ValidationError) as refused:
        services.team_views_save(
            review=review, ratings={"outcomes": 0, "nowhere": 2}, by=people["lead"]
        )
    assert refused.value.message_dict == {
        "__all__": ["Rate the areas of the self-assessment."],
        "outcomes": ["Choose a rating from 1 to 4, or say the area was not looked at."],
    }


def test_only_the_lead_records_it(visit, client):  # noqa: F811
    review, people = visit("pctr")
    for name in ("qa", "data", "member", "host_dcs", "coordinator", "uninvolved"):
        with pytest.raises(PermissionDenied):
            services.team_views_save(review=review, ratings={"outcomes": 2}, by=people[name])
        client.force_login(people[name])
        assert client.post(url(review), form_data({"outcomes": 2})).status_code in (403, 404)
    assert TeamAreaView.objects.filter(review=review).count() == 0


def test_it_closes_with_the_record_when_the_letter_leaves_draft(visit, client):  # noqa: F811
    review, people = visit("pctr")
    services.team_views_save(review=review, ratings={"outcomes": 2}, by=people["lead"])
    letter_at(review, people, LetterState.WITH_QA)
    with pytest.raises(ValidationError):
        services.team_views_save(review=review, ratings={"outcomes": 4}, by=people["lead"])
    client.force_login(people["lead"])
    page = client.get(url(review))
    assert page.context["views_form"] is None
    assert [(a.key, a.team_rating) for a in page.context["views"].looked_at] == [("outcomes", 2)]
    refused = client.post(url(review), form_data({"outcomes": 4}))
    assert refused.status_code == 400
    assert TeamAreaView.objects.get(review=review).rating == 2


def test_the_host_reads_it_once_the_feedback_is_given(visit, client):  # noqa: F811
    review, people = visit("pctr")
    services.team_views_save(review=review, ratings={"practice": 1}, by=people["lead"])
    client.force_login(people["host_dcs"])
    assert client.get(url(review)).status_code == 403
    given(review, people)
    page = client.get(url(review))
    assert page.status_code == 200
    assert page.context["views_form"] is None
    assert "1: Inadequate" in page.content.decode()
    client.force_login(people["uninvolved"])
    assert client.get(url(review)).status_code in (403, 404)


def test_the_self_rating_is_the_latest_given_before_the_visit_never_one_given_after(
    visit,  # noqa: F811
):
    review, people = visit("pctr")  # starts 1 October 2026, on site from 16 November
    assert self_assessment_for_review(review) is None
    older = submitted(
        review, people["host_dcs"], 2024, {}, at=timezone.now() - datetime.timedelta(days=700)
    )
    assert self_assessment_for_review(review) == older
    last = submitted(
        review, people["host_dcs"], 2025, {}, at=timezone.now() - datetime.timedelta(days=300)
    )
    assert self_assessment_for_review(review) == last
    # A rating given after the team was heard says nothing of self-awareness (R39).
    submitted(review, people["host_dcs"], 2026, {}, at=timezone.now())
    assert self_assessment_for_review(review) == last
