"""The regional picture (R28, R38, R39): who may open it, what a DCS must not see of
another LA (R28's three-LA floor, R29), empty data, exports and their formula escaping,
and a query count that does not grow with the years."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from emslirp.models import LocalAuthority, PostKind
from reviews.intelligence.models import Progress
from reviews.letter.models import LetterState
from reviews.review.models import ReviewKind
from tests.factories import PostFactory, RegionFactory, UserFactory
from tests.reviews.intelligence.regional_data import Region

YEAR = 2025
OWN = "Rutland"


@pytest.fixture
def data(east_midlands):
    return Region(east_midlands)


@pytest.fixture
def dcs(la):
    person = UserFactory(full_name="Dana Director")
    PostFactory(holder=person, kind=PostKind.DCS, local_authority=la(OWN))
    return person


def others(region) -> list[str]:
    return list(
        LocalAuthority.objects.filter(region=region)
        .exclude(name=OWN)
        .values_list("name", flat=True)
    )


@pytest.fixture
def world(data):
    """2025: "Early help" on Rutland's and Derby City's letters (two LAs); "Workforce" on
    three letters of LAs other than Rutland; "Neglect" on two LAs other than Rutland;
    "Sufficiency" on Rutland and one other (three LAs, but only two besides Rutland).
    Ratings of four LAs; a team's view on Rutland's and three others' reviews."""
    reviews = {
        name: data.review(name, YEAR)
        for name in ("Rutland", "Derby City", "Leicester City", "Lincolnshire", "Nottingham City")
    }
    data.action(reviews["Rutland"], themes=["Early help", "Sufficiency"], progress=[Progress.DONE])
    data.action(reviews["Derby City"], themes=["Early help", "Workforce"], progress=[])
    data.action(
        reviews["Leicester City"],
        themes=["Workforce", "Neglect", "Sufficiency"],
        progress=[Progress.NOT_STARTED, Progress.IN_PROGRESS],
    )
    data.action(reviews["Lincolnshire"], themes=["Workforce"], progress=[Progress.DONE])
    data.action(reviews["Nottingham City"], themes=["Neglect"], progress=[Progress.DONE])
    # An action the host did not agree: its tag counts (it is on the final letter), the
    # action does not. A letter not final: nothing of it counts.
    data.action(reviews["Derby City"], themes=["Workforce"], agrees=False)
    draft = data.review("Leicestershire", YEAR, state=LetterState.SHARED)
    data.action(draft, themes=["Workforce"], progress=[Progress.DONE])
    data.team_view(draft, "outcomes", 1)
    data.self_assessment("Rutland", YEAR, [2] * 9)
    data.self_assessment("Derby City", YEAR, [4, 1, 4, 4, 4, 4, 4, 4, 4])
    data.self_assessment("Leicester City", YEAR, [3] * 9)
    data.self_assessment("Lincolnshire", YEAR, [2, 3])
    for name, team in (
        ("Rutland", 1),
        ("Derby City", 2),
        ("Leicester City", 3),
        ("Lincolnshire", 2),
    ):
        data.team_view(reviews[name], "outcomes", team)
    return reviews


def page(client, user, region, **query):
    client.force_login(user)
    return client.get(reverse("intelligence:region", args=[region.pk]), query)


def export(client, user, region, chart, kind, **query):
    client.force_login(user)
    return client.get(reverse("intelligence:region_export", args=[region.pk, chart, kind]), query)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def xlsx_rows(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def test_the_coordinator_sees_every_authority_by_name(client, coordinator, east_midlands, world):
    response = page(client, coordinator, east_midlands)
    assert response.status_code == 200
    charts = response.context["picture"].charts
    # The coordinator sees them per LA.
    assert charts["themes"].rows == [
        [2025, "Early help", "PCTR", 2, "Derby City, Rutland"],
        [2025, "Neglect", "PCTR", 2, "Leicester City, Nottingham City"],
        [2025, "Sufficiency", "PCTR", 2, "Leicester City, Rutland"],
        [2025, "Workforce", "PCTR", 4, "Derby City, Leicester City, Lincolnshire"],
    ]
    assert charts["themes"].summary == (
        "10 tags on final letters across 1 year. The most tagged theme is Workforce (4 tags)."
    )
    assert [row[:3] for row in charts["ratings"].rows] == [
        ["Derby City", 4, 1],
        ["Leicester City", 3, 3],
        ["Lincolnshire", 2, 3],
        ["Rutland", 2, 2],
        ["Region mean", 2.8, 2.2],
    ]
    assert charts["actions"].rows == [
        [2025, "Done", 3, "Lincolnshire, Nottingham City, Rutland"],
        [2025, "In progress", 1, "Leicester City"],
        [2025, "No progress reported yet", 1, "Derby City"],
    ]
    # Self-rating minus the team's view on outcomes: Rutland 2-1, Derby 4-2, Leicester
    # 3-3, Lincolnshire 2-2.
    assert charts["awareness"].rows == [
        ["Outcomes: how well they are being achieved", 4, 2, 2, 0, 0.8]
    ]
    html = response.content.decode()
    for name in ("Derby City", "Leicester City", "Lincolnshire", "Rutland"):
        assert name in html
    # Each chart is an SVG named for screen readers, in a figure with its summary.
    assert html.count('<svg role="img" aria-label="') == 5
    assert html.count("<figure") == 5


def test_a_dcs_sees_their_own_authority_and_only_aggregates_of_three_others(
    client, dcs, east_midlands, world
):
    response = page(client, dcs, east_midlands)
    assert response.status_code == 200
    charts = response.context["picture"].charts
    # "Workforce" rests on three LAs besides Rutland; "Early help" and "Sufficiency" are
    # Rutland's own with too few others (region figure left out); "Neglect" is left out.
    assert charts["themes"].rows == [
        [2025, "Early help", "PCTR", None, 1],
        [2025, "Sufficiency", "PCTR", None, 1],
        [2025, "Workforce", "PCTR", 4, 0],
    ]
    assert [row[:3] for row in charts["ratings"].rows] == [
        ["Rutland", 2, 2],
        ["Region mean", 2.8, 2.2],
    ]
    # The region's actions rest on four LAs with Rutland, but "done" on three besides it
    # (Lincolnshire, Nottingham City and Rutland's own: two others) is left out.
    assert charts["actions"].rows == [[2025, "Done", None, 1]]
    assert charts["awareness"].rows == [
        ["Outcomes: how well they are being achieved", 4, 2, 2, 0, 0.8, 1.0]
    ]
    html = response.content.decode()
    assert "Rutland" in html
    for name in others(east_midlands):
        assert name not in html
    assert "Neglect" not in html
    # Derby City's own rating of leadership (1) shows nowhere: the ratings table holds
    # Rutland's row and the region's mean, nothing else.
    table = html[html.index('id="table-ratings"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr") == 3  # the header, Rutland, the region's mean
    assert ">2.2<" in table


def test_a_dcs_export_holds_what_their_page_holds(client, dcs, east_midlands, world):
    charts = page(client, dcs, east_midlands).context["picture"].charts
    for chart in ("themes", "ratings", "trends", "actions", "awareness"):
        as_csv = export(client, dcs, east_midlands, chart, "csv")
        as_xlsx = export(client, dcs, east_midlands, chart, "xlsx")
        assert as_csv.status_code == as_xlsx.status_code == 200
        # Row for row the page's table, a withheld figure "Not shown" (R28): nothing more.
        shown = [charts[chart].header] + [
            ["Not shown" if v is None else v for v in row] for row in charts[chart].rows
        ]
        assert csv_rows(as_csv) == [[str(v) for v in row] for row in shown], chart
        assert xlsx_rows(as_xlsx)[: len(shown)] == shown, chart
        text = as_csv.content.decode("utf-8-sig") + repr(xlsx_rows(as_xlsx))
        for name in others(east_midlands):
            assert name not in text, (chart, name)
        assert "Neglect" not in text
    assert csv_rows(export(client, dcs, east_midlands, "themes", "csv"))[:4] == [
        ["Year", "Theme", "Kind of review", "Tags in the region", "Tags in your authority"],
        ["2025", "Early help", "PCTR", "Not shown", "1"],
        ["2025", "Sufficiency", "PCTR", "Not shown", "1"],
        ["2025", "Workforce", "PCTR", "4", "0"],
    ]
    assert xlsx_rows(export(client, dcs, east_midlands, "ratings", "xlsx"))[:3] == [
        [
            "Local authority",
            "Outcomes: how well they are being achieved",
            "Vision, strategy and leadership",
            "Working together and partnership",
            "Service delivery and effective practice",
            "Participation",
            "Managing performance",
            "Managing resources",
            "Productivity and innovation",
            "Commissioning",
        ],
        ["Rutland", 2, 2, 2, 2, 2, 2, 2, 2, 2],
        # Lincolnshire rated the first two areas only: the others rest on two LAs
        # besides Rutland, and their mean is not shown.
        ["Region mean", 2.8, 2.2, *["Not shown"] * 7],
    ]


@pytest.mark.parametrize("who", ["nobody", "ad", "member", "other_coordinator", "former_dcs"])
def test_no_dcs_or_coordinator_post_no_picture(
    client, la, east_midlands, world, other_region_coordinator, who
):
    if who == "other_coordinator":
        person = other_region_coordinator
    else:
        person = UserFactory()
        kinds = {"ad": PostKind.SAFEGUARDING_LEAD, "member": PostKind.LEAD_MEMBER}
        if who in kinds:
            PostFactory(holder=person, kind=kinds[who], local_authority=la(OWN))
        if who == "former_dcs":
            PostFactory(holder=person, kind=PostKind.DCS, local_authority=la(OWN), ended_on=None)
            person.posts.update(ended_on="2024-03-31")
    assert page(client, person, east_midlands).status_code == 404
    assert export(client, person, east_midlands, "themes", "csv").status_code == 404
    assert export(client, person, east_midlands, "ratings", "xlsx").status_code == 404


def test_signed_out_is_sent_to_sign_in(client, east_midlands):
    response = client.get(reverse("intelligence:region", args=[east_midlands.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_chart_or_format_is_not_found(client, coordinator, east_midlands):
    assert export(client, coordinator, east_midlands, "reflections", "csv").status_code == 404
    assert export(client, coordinator, east_midlands, "themes", "pdf").status_code == 404


def test_an_empty_region_says_so_chart_by_chart(client, coordinator, east_midlands):
    response = page(client, coordinator, east_midlands)
    assert response.status_code == 200
    assert {k: c.summary for k, c in response.context["picture"].charts.items()} == {
        "themes": "No theme has been tagged on a final letter yet.",
        "ratings": "No submitted self-assessment rates the areas in 2026.",
        "trends": "No submitted self-assessment rates the areas yet.",
        "actions": "No final letter has an agreed action yet.",
        "awareness": "No review with a final letter has the team's view of an area yet.",
    }
    html = response.content.decode()
    assert "<svg" not in html
    assert "No theme has been tagged on a final letter yet." in html
    assert csv_rows(export(client, coordinator, east_midlands, "themes", "csv")) == [
        ["Year", "Theme", "Kind of review", "Tags in the region", "Authorities"]
    ]


def test_a_year_without_ratings_says_so_and_a_bad_year_is_explained(
    client, coordinator, east_midlands, world
):
    response = page(client, coordinator, east_midlands, year="2023")
    assert response.context["picture"].charts["ratings"].summary == (
        "No submitted self-assessment rates the areas in 2023."
    )
    assert response.context["picture"].charts["ratings"].rows == []
    response = page(client, coordinator, east_midlands, year="=1+1")
    assert response.status_code == 200
    assert "There is no year =1+1: choose one of the years listed." in response.content.decode()
    # The latest year with ratings is shown instead.
    assert response.context["picture"].year == 2025


def test_exports_escape_what_a_spreadsheet_would_run(client, coordinator, east_midlands, data):
    review = data.review("Rutland", YEAR)
    names = ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR"]
    data.action(review, themes=names)
    rows = csv_rows(export(client, coordinator, east_midlands, "themes", "csv"))
    assert sorted(r[1] for r in rows[1:]) == sorted("'" + n for n in names)
    cells = xlsx_rows(export(client, coordinator, east_midlands, "themes", "xlsx"))
    # The workbook's XML reads a carriage return back as a line feed.
    assert sorted(r[1] for r in cells[1:7]) == sorted(("'" + n).replace("\r", "\n") for n in names)
    book = openpyxl.load_workbook(
        io.BytesIO(export(client, coordinator, east_midlands, "themes", "xlsx").content)
    )
    assert {c.data_type for row in book.active.iter_rows() for c in row if c.value} <= {"s", "n"}


def test_sav_and_pctr_themes_are_counted_apart(client, coordinator, east_midlands, data):
    data.action(data.review("Rutland", 2024, ReviewKind.SAV), themes=["Neglect"])
    data.action(data.review("Derby City", 2024), themes=["Neglect"])
    rows = page(client, coordinator, east_midlands).context["picture"].charts["themes"].rows
    assert rows == [
        [2024, "Neglect", "PCTR", 1, "Derby City"],
        [2024, "Neglect", "SAV", 1, "Rutland"],
    ]


def test_the_home_page_links_the_picture_for_whoever_may_open_it(
    client, coordinator, dcs, east_midlands, la
):
    url = reverse("intelligence:region", args=[east_midlands.pk])
    for person in (coordinator, dcs):
        client.force_login(person)
        assert f'href="{url}"' in client.get(reverse("home")).content.decode()
    ad = UserFactory()
    PostFactory(holder=ad, kind=PostKind.SAFEGUARDING_LEAD, local_authority=la(OWN))
    client.force_login(ad)
    assert url not in client.get(reverse("home")).content.decode()


def _years(data, n):
    for year in range(YEAR - n + 1, YEAR + 1):
        reviews = [data.review(name, year) for name in ("Rutland", "Derby City", "Lincolnshire")]
        for review in reviews:
            data.action(review, themes=["Workforce", f"Theme {year}"], progress=[Progress.DONE])
            data.team_view(review, "outcomes", 2)
        for name in ("Rutland", "Derby City", "Lincolnshire", "Leicester City"):
            data.self_assessment(name, year, [3] * 9)


@pytest.mark.parametrize("years", [1, 3])
def test_the_page_takes_the_same_queries_whatever_the_years(
    client, coordinator, dcs, east_midlands, data, years, django_assert_num_queries
):
    _years(data, years)
    client.force_login(coordinator)
    url = reverse("intelligence:region", args=[east_midlands.pk])
    # session, user, the region, whether they coordinate it; the LAs, the tags, the
    # template, the self-assessments, the actions with their latest progress, the team's
    # views; the reports made for their scope.
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["picture"].years) == years
    client.force_login(dcs)
    # and the DCS's posts, for their scope.
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("years", [1, 3])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_each_export_takes_the_same_queries_whatever_the_years(
    client, coordinator, east_midlands, data, years, kind, django_assert_num_queries
):
    _years(data, years)
    client.force_login(coordinator)
    for chart in ("themes", "ratings", "trends", "actions", "awareness"):
        url = reverse("intelligence:region_export", args=[east_midlands.pk, chart, kind])
        with django_assert_num_queries(10):
            assert client.get(url).status_code == 200


def test_another_regions_coordinator_does_not_see_this_one(client, east_midlands, world):
    elsewhere = RegionFactory(name="Far Away")
    person = UserFactory()
    PostFactory(holder=person, coordinator=True, region=elsewhere)
    assert page(client, person, east_midlands).status_code == 404


def test_a_gap_beside_the_dcs_own_figure_does_not_tell_none_from_a_few(
    client, dcs, east_midlands, data
):
    # "Neglect" on Rutland's letter alone, "Workforce" on Rutland's and Derby City's: the
    # region's figure reads the same for both, so the gap says nothing of Derby City.
    rutland, derby = data.review("Rutland", YEAR), data.review("Derby City", YEAR)
    data.action(rutland, themes=["Neglect", "Workforce"])
    data.action(derby, themes=["Workforce"])
    data.self_assessment("Rutland", YEAR, [2] * 9)
    data.self_assessment("Derby City", YEAR, [4] * 9)
    charts = page(client, dcs, east_midlands).context["picture"].charts
    assert charts["themes"].rows == [
        [2025, "Neglect", "PCTR", None, 1],
        [2025, "Workforce", "PCTR", None, 1],
    ]
    assert charts["ratings"].rows == [["Rutland", *[2] * 9]]
    assert [row[:5] for row in charts["trends"].rows][:1] == [
        [2025, "Outcomes: how well they are being achieved", None, None, 2]
    ]


def test_a_dcs_sees_a_figure_only_with_three_las_besides_their_own_behind_it():
    """R28: their own LA's figure stands beside the region's, so their own LA never counts
    towards the three; a coordinator sees every figure."""
    from reviews.intelligence.permissions import IntelligenceScope

    dcs = IntelligenceScope(region=None, coordinator=False, own_local_authority_ids=frozenset({1}))
    assert not dcs.shows_figure({1})
    assert not dcs.shows_figure({1, 2, 3})
    assert not dcs.shows_figure({2, 3})
    assert dcs.shows_figure({1, 2, 3, 4})
    assert dcs.shows_figure({2, 3, 4})
    coordinator = IntelligenceScope(
        region=None, coordinator=True, own_local_authority_ids=frozenset()
    )
    assert coordinator.shows_figure({2})


def test_a_year_only_another_la_was_active_in_is_never_offered_to_a_dcs(
    client, dcs, coordinator, east_midlands, data, world
):
    """R28: a year whose only record is one other LA's (a self-assessment, a final letter
    and its actions) is not in a DCS's list of years, nor chosen for them; the coordinator
    sees it."""
    data.self_assessment("Derby City", 2019, [3] * 9)
    lone = data.review("Derby City", 2019)
    data.action(lone, themes=["Neglect"], progress=[Progress.DONE])
    assert 2019 in page(client, coordinator, east_midlands).context["year_choices"]
    response = page(client, dcs, east_midlands)
    assert 2019 not in response.context["year_choices"]
    assert response.context["picture"].year == YEAR
