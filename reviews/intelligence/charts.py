"""The regional picture's charts, drawn by Vega-Lite through vl-convert (R28): each
chart of ``selectors.regional`` (its key, title, summary, header and rows) as a declarative
spec, converted to SVG on the server, with its title and summary as its accessible name.
Nothing here reads the database."""

import vl_convert
from django.utils.html import escape

# The charts, drawn by Vega-Lite --------------------------------------------------------

_FONT = {"labelFontSize": 12, "titleFontSize": 13, "labelLimit": 320}


def _values(chart) -> list[dict]:
    return [dict(zip(chart.header, row, strict=True)) for row in chart.rows]


def _bar(values, *, label, value, colour, title) -> dict:
    """Horizontal bars, one row per label, each with its value written at its end and its
    colour's meaning repeated in the label (nothing carried by colour alone)."""
    enc = {
        "y": {"field": label, "type": "nominal", "sort": None, "title": None},
        "x": {"field": value, "type": "quantitative", "title": title},
    }
    return {
        "data": {"values": values},
        "width": 420,
        "layer": [
            {"mark": "bar", "encoding": {**enc, "color": {"field": colour, "type": "nominal"}}},
            {
                "mark": {"type": "text", "align": "left", "dx": 3},
                "encoding": {**enc, "text": {"field": value, "type": "quantitative"}},
            },
        ],
    }


def _grid(values, *, value) -> dict:
    """Themes by year, a grid per kind of review: a row per theme, a column per year, each
    cell shaded by its count and with the count written in it (nothing carried by colour
    alone), so a theme's trend reads along its row however many years there are."""
    enc = {
        "x": {"field": "Year", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
        "y": {"field": "Theme", "type": "nominal", "sort": "ascending", "title": None},
    }
    return {
        "data": {"values": values},
        "facet": {"column": {"field": "Kind", "type": "nominal", "title": None}},
        "spec": {
            "width": {"step": 40},
            "height": {"step": 22},
            "layer": [
                {
                    "mark": "rect",
                    "encoding": {
                        **enc,
                        "color": {
                            "field": value,
                            "type": "quantitative",
                            "scale": {"scheme": "blues"},
                            "title": "Tags",
                        },
                    },
                },
                {
                    "mark": {"type": "text", "fontSize": 11},
                    "encoding": {
                        **enc,
                        "text": {"field": value, "type": "quantitative"},
                        "color": {"value": "black"},
                    },
                },
            ],
        },
        "resolve": {"scale": {"color": "shared"}},
    }


def _spec(chart) -> dict | None:
    values = _values(chart)
    if chart.key == "themes":
        col = chart.header[3]
        data = [
            {"Year": str(v["Year"]), "Theme": v["Theme"], "Kind": v["Kind of review"], col: v[col]}
            for v in values
            if v[col] is not None
        ]
        return _grid(data, value=col) if data else None
    if chart.key == "actions":
        col = chart.header[2]
        data = [
            {"label": f"{v['Year']} · {v['Progress']}", "Progress": v["Progress"], col: v[col]}
            for v in values
            if v[col] is not None
        ]
        return (
            _bar(data, label="label", value=col, colour="Progress", title="Agreed actions")
            if data
            else None
        )
    if chart.key == "ratings":
        areas = chart.header[1:]
        data = [
            {"who": row[0], "area": area, "rating": value}
            for row in chart.rows
            for area, value in zip(areas, row[1:], strict=True)
            if value is not None
        ]
        if not data:
            return None
        enc = {
            "x": {
                "field": "area",
                "type": "nominal",
                "sort": areas,
                "title": None,
                "axis": {"labelAngle": -40, "labelLimit": 320},
            },
            "y": {"field": "who", "type": "nominal", "sort": None, "title": None},
        }
        return {
            "data": {"values": data},
            "width": {"step": 48},
            "height": {"step": 30},
            "layer": [
                {
                    "mark": "rect",
                    "encoding": {
                        **enc,
                        "color": {
                            "field": "rating",
                            "type": "quantitative",
                            "scale": {"domain": [1, 4], "scheme": "blues"},
                            "title": "Rating",
                        },
                    },
                },
                {
                    "mark": {"type": "text", "fontSize": 13},
                    "encoding": {
                        **enc,
                        "text": {"field": "rating", "type": "quantitative"},
                        # Dark text on the light cells, white on the dark (contrast).
                        "color": {
                            "condition": {"test": "datum.rating >= 3", "value": "white"},
                            "value": "black",
                        },
                    },
                },
            ],
        }
    if chart.key == "trends":
        data = [
            {"Year": str(v["Year"]), "Area": v["Area"], "Mean": v["Region mean"]}
            for v in values
            if v["Region mean"] is not None
        ]
        if not data:
            return None
        enc = {
            "x": {"field": "Year", "type": "ordinal", "axis": {"labelAngle": 0}},
            "y": {
                "field": "Mean",
                "type": "quantitative",
                "scale": {"domain": [1, 4]},
                "title": "Region mean rating",
            },
        }
        return {
            "data": {"values": data},
            "width": 420,
            "layer": [
                {
                    "mark": "line",
                    "encoding": {
                        **enc,
                        "color": {"field": "Area", "type": "nominal", "legend": None},
                    },
                },
                # Each area has its own shape as well as its colour, in one legend.
                {
                    "mark": {"type": "point", "filled": True, "size": 70},
                    "encoding": {
                        **enc,
                        "color": {"field": "Area", "type": "nominal"},
                        "shape": {"field": "Area", "type": "nominal"},
                    },
                },
                {
                    "mark": {"type": "text", "dy": -8},
                    "encoding": {**enc, "text": {"field": "Mean", "type": "quantitative"}},
                },
            ],
        }
    if chart.key == "awareness":
        data = [
            {
                "label": v["Area"],
                "Mean difference": v["Mean difference"],
                "Direction": "higher" if v["Mean difference"] > 0 else "lower or same",
            }
            for v in values
            if v["Mean difference"] is not None
        ]
        return (
            _bar(
                data,
                label="label",
                value="Mean difference",
                colour="Direction",
                title="Self-rating minus the team's view",
            )
            if data
            else None
        )
    return None


def chart_svg(chart) -> str:
    """The chart as SVG, made by Vega-Lite (vl-convert: no browser), named for screen
    readers by its title and summary. Empty when nothing may be drawn."""
    spec = _spec(chart)
    if spec is None:
        return ""
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": chart.summary,
        "config": {"axis": _FONT, "legend": _FONT, "background": "white"},
        **spec,
    }
    svg = vl_convert.vegalite_to_svg(spec)
    name = escape(f"{chart.title}. {chart.summary}")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name}" focusable="false" ', 1)
