"""The regional picture (R28, R38, R39): themes of final letters by year and kind of
review, the self-assessment ratings of the region's LAs, the agreed actions' progress and
the LAs' self-awareness, each as a table and a chart, cut to what the reader's scope shows.

Who sees what: the coordinator sees every LA by name. A DCS sees their own LA by name and
every other LA only inside an aggregate that rests on at least three LAs other than their
own (so that taking their own LA's figure out of it still leaves three); a figure that
fails the floor is left out (beside their own LA's figure it reads "not shown", whether
no other LA or one or two are behind it), and a total is the sum of the figures shown. The
queries are the same whatever the number of years, LAs and letters (six in all).
Reflections are never read here.
"""

import dataclasses
from collections import defaultdict
from statistics import mean
from types import SimpleNamespace

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import ExtractYear

from emslirp.models import LocalAuthority, Region
from reviews.intelligence.charts import chart_svg
from reviews.intelligence.models import ActionProgress, Progress, ThemeTag
from reviews.intelligence.permissions import IntelligenceScope
from reviews.letter.models import LetterState
from reviews.review.models import ReviewKind
from reviews.self_assessment.models import (
    SelfAssessment,
    SelfAssessmentState,
    SelfAssessmentTemplate,
)
from reviews.self_assessment.selectors import self_assessment_for_review_among
from reviews.workbook.models import AgreedAction, TeamAreaView

CHARTS = ("themes", "ratings", "trends", "actions", "awareness")
NO_PROGRESS = "none"
PROGRESS_NAMES = {
    Progress.DONE.value: "Done",
    Progress.IN_PROGRESS.value: "In progress",
    Progress.NOT_STARTED.value: "Not started",
    NO_PROGRESS: "No progress reported yet",
}
KIND_NAMES = {ReviewKind.PCTR.value: "PCTR", ReviewKind.SAV.value: "SAV"}
LEFT_OUT = (
    "Figures resting on fewer than three authorities besides your own are left out, so "
    "that none could point at another authority."
)


@dataclasses.dataclass
class Chart:
    """One chart of the page: its title, a sentence or two written from its numbers, the
    same numbers as a table (``header``, ``rows``), and its SVG (empty when there is no
    data, when ``summary`` says so)."""

    key: str
    title: str
    summary: str
    header: list[str]
    rows: list[list]
    svg: str = ""
    note: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclasses.dataclass
class Picture:
    region: Region
    year: int
    years: list[int]
    own_names: list[str]
    charts: dict[str, Chart]

    def __iter__(self):
        return iter(self.charts.values())


def _areas() -> list[dict]:
    template = SelfAssessmentTemplate.objects.order_by("-number").only("structure").first()
    return template.areas if template else []


def _rating(held) -> int | None:
    rating = held.get("rating") if isinstance(held, dict) else None
    return rating if isinstance(rating, int) and 1 <= rating <= 4 else None


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# The data, six queries -----------------------------------------------------------------


def _final(prefix: str = "") -> dict:
    return {f"{prefix}review__letter__state": LetterState.FINAL}


def regional_picture(
    *, scope: IntelligenceScope, year: int | None, today, draw: bool = True
) -> Picture:
    """Every chart of ``scope.region`` for its reader. ``year`` picks the heat map's year
    (None: the latest year with self-assessment ratings, or this year); ``draw`` False
    leaves the SVGs out (for the exports)."""
    region = scope.region
    las = {
        la.pk: la.name
        for la in LocalAuthority.objects.filter(region=region).only("pk", "name").order_by("name")
    }
    themes = list(
        ThemeTag.objects.filter(theme__region=region, review__host__region=region, **_final())
        .annotate(year=ExtractYear("review__starts_on"))
        .values("year", "theme__name", "review__kind", "review__host_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    areas = _areas()
    submitted = list(
        SelfAssessment.objects.filter(
            local_authority__region=region, state=SelfAssessmentState.SUBMITTED
        ).only("local_authority_id", "year", "areas", "state", "submitted_at")
    )
    assessments = [(sa.local_authority_id, sa.year, sa.areas) for sa in submitted]
    latest = (
        ActionProgress.objects.shared()
        .filter(action=OuterRef("pk"))
        .order_by("-recorded_at", "-pk")
        .values("status")[:1]
    )
    actions = list(
        AgreedAction.objects.filter(review__host__region=region, host_agrees=True, **_final())
        .annotate(
            year=ExtractYear("review__starts_on", output_field=IntegerField()),
            status=Subquery(latest),
        )
        .values_list("year", "review__host_id", "status")
    )
    views = list(
        TeamAreaView.objects.filter(review__host__region=region, **_final())
        .annotate(year=ExtractYear("review__starts_on"))
        .values_list(
            "review_id",
            "review__host_id",
            "year",
            "area",
            "rating",
            "review__starts_on",
            "review__onsite_from",
        )
    )
    rated: dict = defaultdict(set)
    for la_id, y, _ in assessments:
        rated[y].add(la_id)
    # A year is offered (and chosen first) only where the reader sees something of it: a
    # year whose only record is another LA's, hidden by the floor, is never named to a
    # DCS, so the list does not tell them that LA was active (R28).
    rated_years = sorted(
        y
        for y, ids in rated.items()
        if scope.shows_figure(ids) or ids & scope.own_local_authority_ids
    )
    if year is None:
        year = rated_years[-1] if rated_years else today.year
    charts = {
        "themes": _themes(scope, las, themes),
        "ratings": _ratings(scope, las, areas, assessments, year),
        "trends": _trends(scope, areas, assessments),
        "actions": _actions(scope, las, actions),
        "awareness": _awareness(scope, areas, submitted, views),
    }
    years = sorted(
        set(rated_years)
        | {row[0] for row in charts["themes"].rows}
        | {row[0] for row in charts["actions"].rows}
        | ({y for _, _, y, *_ in views} if scope.coordinator else set())
    )
    for chart in charts.values():
        chart.svg = chart_svg(chart) if chart.rows and draw else ""
        if not scope.coordinator:
            chart.note = LEFT_OUT
    own = [las[pk] for pk in sorted(scope.own_local_authority_ids, key=las.get) if pk in las]
    return Picture(region=region, year=year, years=years, own_names=own, charts=charts)


# Themes by year and kind of review (R28) -----------------------------------------------


def _names(las, behind) -> str:
    """The LAs behind a figure, by name: for the coordinator only, who sees them per LA."""
    return ", ".join(sorted(las[pk] for pk in behind if pk in las))


def _themes(scope, las, rows) -> Chart:
    cells: dict = defaultdict(lambda: [0, set(), 0])
    for r in rows:
        cell = cells[(r["year"], r["theme__name"], r["review__kind"])]
        cell[0] += r["n"]
        cell[1].add(r["review__host_id"])
        if r["review__host_id"] in scope.own_local_authority_ids:
            cell[2] += r["n"]
    own = not scope.coordinator
    header = ["Year", "Theme", "Kind of review", "Tags in the region"]
    header.append("Tags in your authority" if own else "Authorities")
    table = []
    for (year, theme, kind), (n, behind, mine) in sorted(cells.items()):
        if not scope.shows_figure(behind):
            if own and mine:
                table.append([year, theme, KIND_NAMES[kind], None, mine])
            continue
        table.append([year, theme, KIND_NAMES[kind], n, mine if own else _names(las, behind)])
    shown = [r for r in table if r[3] is not None]
    if not table:
        summary = "No theme has been tagged on a final letter yet."
    else:
        by_theme: dict = defaultdict(int)
        for r in shown:
            by_theme[r[1]] += r[3]
        top = max(by_theme.items(), key=lambda t: (t[1], t[0])) if by_theme else None
        total = sum(by_theme.values())
        across = _plural(len({r[0] for r in shown}), "year")
        summary = f"{_plural(total, 'tag')} on final letters across {across}."
        if top:
            summary += f" The most tagged theme is {top[0]} ({_plural(top[1], 'tag')})."
    return Chart(
        "themes", "Themes of final letters, by year and kind of review", summary, header, table
    )


# Self-assessment ratings (R28) ---------------------------------------------------------


def _ratings(scope, las, areas, assessments, year) -> Chart:
    ratings = {
        la_id: {a["key"]: _rating(held.get(a["key"], {})) for a in areas}
        for la_id, y, held in assessments
        if y == year and isinstance(held, dict)
    }
    header = ["Local authority", *(a["name"] for a in areas)]
    table = []
    for la_id, name in las.items():
        if la_id in ratings and scope.sees_local_authority(la_id):
            table.append([name, *(ratings[la_id][a["key"]] for a in areas)])
    mean_row = ["Region mean"]
    any_mean = False
    for a in areas:
        behind = {la for la, r in ratings.items() if r[a["key"]] is not None}
        if behind and scope.shows_figure(behind):
            mean_row.append(round(mean(ratings[la][a["key"]] for la in behind), 1))
            any_mean = True
        else:
            mean_row.append(None)
    if any_mean:
        table.append(mean_row)
    if not table:
        summary = f"No submitted self-assessment rates the areas in {year}."
    else:
        rated = sum(1 for row in table if row[0] != "Region mean")
        summary = f"{_plural(rated, 'authority', 'authorities')} shown with ratings for {year}"
        summary += " (1 inadequate, 2 adequate, 3 good, 4 outstanding)."
        if any_mean:
            best = max(
                ((a["name"], v) for a, v in zip(areas, mean_row[1:], strict=True) if v is not None),
                key=lambda t: t[1],
            )
            summary += f" The region rates itself highest on {best[0]} ({best[1]})."
    return Chart("ratings", f"Self-assessment ratings by area, {year}", summary, header, table)


def _trends(scope, areas, assessments) -> Chart:
    by: dict = defaultdict(dict)
    for la_id, y, held in assessments:
        if not isinstance(held, dict):
            continue
        for a in areas:
            rating = _rating(held.get(a["key"], {}))
            if rating is not None:
                by[(y, a["key"])][la_id] = rating
    own = not scope.coordinator
    header = ["Year", "Area", "Region mean", "Authorities rated"]
    if own:
        header.append("Your authority")
    table = []
    for y in sorted({y for y, _ in by}):
        for a in areas:
            rated = by.get((y, a["key"]), {})
            mine = [r for la, r in rated.items() if la in scope.own_local_authority_ids]
            if rated and scope.shows_figure(rated):
                row = [y, a["name"], round(mean(rated.values()), 1), len(rated)]
            elif own and mine:
                row = [y, a["name"], None, None]
            else:
                continue
            if own:
                row.append(mine[0] if mine else None)
            table.append(row)
    means = [r for r in table if r[2] is not None]
    if not table:
        summary = "No submitted self-assessment rates the areas yet."
    elif not means:
        summary = (
            "Your authority's ratings are shown; too few authorities rated to show the region's."
        )
    else:
        first, last = min(r[0] for r in means), max(r[0] for r in means)
        start = mean(r[2] for r in means if r[0] == first)
        end = mean(r[2] for r in means if r[0] == last)
        summary = (
            f"Across the areas, the region's mean self-rating was {start:.1f} in {first}"
            f" and {end:.1f} in {last}."
        )
    return Chart(
        "trends",
        "Self-assessment ratings over the years: the region's mean per area",
        summary,
        header,
        table,
    )


# Agreed actions followed up (R38) ------------------------------------------------------


def _actions(scope, las, actions) -> Chart:
    cells: dict = defaultdict(lambda: [0, set(), 0])
    for y, la_id, status in actions:
        cell = cells[(y, status or NO_PROGRESS)]
        cell[0] += 1
        cell[1].add(la_id)
        if la_id in scope.own_local_authority_ids:
            cell[2] += 1
    own = not scope.coordinator
    header = ["Year", "Progress", "Actions in the region"]
    header.append("Actions of your authority" if own else "Authorities")
    table = []
    for y in sorted({y for y, _ in cells}):
        for status, name in PROGRESS_NAMES.items():
            if (y, status) not in cells:
                continue
            n, behind, mine = cells[(y, status)]
            shown = scope.shows_figure(behind)
            if not shown and not (own and mine):
                continue
            table.append([y, name, n if shown else None, mine if own else _names(las, behind)])
    shown = [r for r in table if r[2] is not None]
    if not table:
        summary = "No final letter has an agreed action yet."
    else:
        total = sum(r[2] for r in shown)
        done = sum(r[2] for r in shown if r[1] == PROGRESS_NAMES[Progress.DONE])
        summary = f"{_plural(total, 'agreed action')} shown, of which {done} done."
    return Chart(
        "actions",
        "Agreed actions of final letters, by their latest progress",
        summary,
        header,
        table,
    )


# Self-awareness (R39) ------------------------------------------------------------------


def _awareness(scope, areas, submitted, views) -> Chart:
    # The self-rating the team's view is set against is the one the LA's own page sets it
    # against (``self_assessment_for_review_among``: the latest of the review's year or
    # earlier submitted before the first on-site day), chosen from the rows already read.
    by_la: dict = defaultdict(list)
    for sa in submitted:
        by_la[sa.local_authority_id].append(sa)
    names = {a["key"]: a["name"] for a in areas}
    gaps: dict = defaultdict(list)
    for _review, la_id, _year, area, team, starts_on, onsite_from in views:
        if area not in names:
            continue
        visit = SimpleNamespace(host_id=la_id, starts_on=starts_on, onsite_from=onsite_from)
        held = self_assessment_for_review_among(by_la.get(la_id, []), visit)
        if held is None:
            continue
        own_rating = _rating((held.areas if isinstance(held.areas, dict) else {}).get(area, {}))
        if own_rating is not None:
            gaps[area].append((la_id, own_rating - team))
    own = not scope.coordinator
    header = [
        "Area",
        "Comparisons",
        "Rated higher than the team",
        "Same",
        "Rated lower",
        "Mean difference",
    ]
    if own:
        header.append("Your authority's mean difference")
    table = []
    for a in areas:
        found = gaps.get(a["key"], [])
        if not found:
            continue
        behind = {la for la, _ in found}
        mine = [g for la, g in found if la in scope.own_local_authority_ids]
        if scope.shows_figure(behind):
            diffs = [g for _, g in found]
            row = [
                a["name"],
                len(diffs),
                sum(1 for g in diffs if g > 0),
                sum(1 for g in diffs if g == 0),
                sum(1 for g in diffs if g < 0),
                round(mean(diffs), 1),
            ]
        elif own and mine:
            row = [a["name"], None, None, None, None, None]
        else:
            continue
        if own:
            row.append(round(mean(mine), 1) if mine else None)
        table.append(row)
    shown = [r for r in table if r[5] is not None]
    if not table:
        summary = "No review with a final letter has the team's view of an area yet."
    elif not shown:
        summary = (
            "Your authority's comparisons are shown; too few authorities to show the region's."
        )
    else:
        high = max(shown, key=lambda r: r[5])
        low = min(shown, key=lambda r: r[5])
        summary = (
            f"Authorities rate themselves furthest above the team's view on {high[0]}"
            f" ({high[5]:+.1f}) and furthest below on {low[0]} ({low[5]:+.1f})."
        )
    return Chart(
        "awareness",
        "Self-awareness: the authority's self-rating minus the review team's view",
        summary,
        header,
        table,
    )
