"""SVG charts: determinism, escaping, geometry, palette-only colours and errors."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kzviz
from kzviz import charts, palette
from kzviz.timeframe import PARTNER_FILTERS
from tests.conftest import read_rows, write_rows

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


def _figures(tmp_path: Path, rows: list[dict[str, str]]) -> pd.DataFrame:
    """Write `rows` over the columns of the shipped figures file and load them through the validator."""
    template = read_rows(kzviz.data_dir() / "figures.csv")[0]
    base = {
        "certainty_note": "",
        "provenance_note": "",
        "unit": "percent",
        "period_start_year": "2019",
        "period_end_year": "2019",
        "qualifier": "exact",
    }
    path = write_rows(tmp_path / "figures.csv", [{**template, **base, **row} for row in rows])
    return kzviz.load_figures(path)


@pytest.fixture
def small_figures(tmp_path: Path) -> pd.DataFrame:
    return _figures(
        tmp_path,
        [
            {"id": "a", "metric": "oil_output_share", "partner": "Russia", "value": "3"},
            {"id": "b", "metric": "oil_output_share", "partner": "USA", "value": "30", "qualifier": "about"},
            {"id": "c", "metric": "oil_output_share", "partner": "Europe", "value": "15", "qualifier": "over"},
            {"id": "d", "metric": "fdi_share", "partner": "USA", "value": "18"},
        ],
    )


def _events(rows: list[tuple[int, tuple[str, ...]]]) -> pd.DataFrame:
    return pd.DataFrame({"year": [y for y, _ in rows], "partners": [p for _, p in rows]})


def _bars(svg: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) for tag in re.findall(r'<rect class="bar"[^>]*>', svg)]


def _segments(svg: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) for tag in re.findall(r'<rect class="segment"[^>]*>', svg)]


# ------------------------------------------------------------------ determinism and display


def test_same_input_gives_identical_bytes() -> None:
    figures, events = kzviz.load_figures(), kzviz.load_events()
    assert charts.figure_bars(figures, "trade_turnover").svg == charts.figure_bars(figures, "trade_turnover").svg
    first = charts.events_per_year(events, year=2013)
    second = charts.events_per_year(events.copy(), year=2013)
    assert first.svg == second.svg
    assert first._repr_html_() == second._repr_html_()
    assert charts.events_per_year(events, year=2014).svg != first.svg


def test_chart_displays_as_svg_and_html() -> None:
    chart = charts.figure_bars(kzviz.load_figures(), "oil_output_share")
    assert chart._repr_svg_() == chart.svg
    assert chart.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert chart.svg.endswith("</svg>")
    html = chart._repr_html_()
    assert chart.svg in html
    assert 'href="https://carnegiemoscow.org/commentary/85078"' in html
    assert repr(chart).startswith("<Chart \"Share of Kazakhstan's oil output")
    assert len(repr(chart)) < 120


@pytest.mark.parametrize("metric", sorted(set(kzviz.load_figures()["metric"].astype(str))))
def test_every_shipped_metric_draws_with_title_axes_values_and_source(metric: str) -> None:
    figures = kzviz.load_figures()
    chart = charts.figure_bars(figures, metric)
    rows = figures[figures["metric"] == metric]
    assert len(_bars(chart.svg)) == len(rows)
    assert 'class="title"' in chart.svg
    assert chart.svg.count('class="axis-label"') == 2
    assert chart.svg.count('class="value-label"') == len(rows)
    assert "Source: " in chart.svg
    for title in set(rows["source_title"]):
        assert html.escape(title, quote=True) in chart.svg


def test_events_chart_has_title_axes_legend_values_and_source() -> None:
    chart = charts.events_per_year(kzviz.load_events())
    assert chart.title == "Events per year by partner group, 1991–2022"
    assert chart.svg.count('class="axis-label"') == 2
    assert chart.svg.count('class="legend-swatch"') == len(PARTNER_FILTERS)
    assert ">domestic (no foreign partner)<" in chart.svg
    assert 'class="total"' in chart.svg
    assert "Source: kzviz events table" in chart.svg


# ------------------------------------------------------------------ escaping and colours


def test_hostile_titles_are_escaped(small_figures: pd.DataFrame) -> None:
    for chart in (
        charts.figure_bars(small_figures, "oil_output_share", title=HOSTILE),
        charts.events_per_year(_events([(2000, ("China",))]), title=HOSTILE),
    ):
        for text in (chart.svg, chart._repr_html_()):
            assert "<script" not in text
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quotes&#x27;" in text


def test_hostile_sources_are_escaped_and_only_web_links_are_linked(small_figures: pd.DataFrame) -> None:
    figures = small_figures.assign(source_title=HOSTILE)
    figures.loc[figures["partner"] == "USA", "source_url"] = "javascript:alert(1)"
    chart = charts.figure_bars(figures, "oil_output_share")
    html = chart._repr_html_()
    assert "<script" not in html
    assert "javascript:" not in html
    assert re.findall(r'href="([^"]*)"', html) == [figures["source_url"].iloc[0]]


def test_colours_come_from_the_palette(small_figures: pd.DataFrame) -> None:
    allowed = {
        value.upper()
        for value in vars(palette).values()
        if isinstance(value, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", value)
    }
    allowed |= {c.upper() for c in palette.PARTNER_COLOURS.values()}
    svg = charts.figure_bars(small_figures, "oil_output_share").svg
    svg += charts.events_per_year(kzviz.load_events(), year=2000).svg
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", svg)}
    assert used <= allowed
    assert palette.PARTNER_COLOURS["other"] != palette.DOMESTIC_COLOUR


# ------------------------------------------------------------------ figure_bars geometry


def test_one_bar_per_row_sorted_and_proportional(small_figures: pd.DataFrame) -> None:
    svg = charts.figure_bars(small_figures, "oil_output_share").svg
    bars = _bars(svg)
    assert [b["data-value"] for b in bars] == ["30", "15", "3"]
    widths = [float(b["width"]) for b in bars]
    assert widths[0] / 30 == pytest.approx(widths[1] / 15, rel=1e-3)
    assert widths[0] / 30 == pytest.approx(widths[2] / 3, rel=1e-2)
    assert len({b["x"] for b in bars}) == 1
    assert [b["fill"] for b in bars] == [
        palette.PARTNER_COLOURS["USA"],
        palette.PARTNER_COLOURS["other"],  # Europe has no partner colour: grey
        palette.PARTNER_COLOURS["Russia"],
    ]
    labels = re.findall(r'class="value-label">([^<]*)<', svg)
    assert labels == ["about 30 percent", "over 15 percent", "3 percent"]


def test_shares_use_a_full_scale_and_other_units_a_round_one(small_figures: pd.DataFrame) -> None:
    shares = charts.figure_bars(small_figures, "oil_output_share").svg
    ticks = re.findall(r'<text [^>]*fill="#555555"[^>]*>([\d,.]+)</text>', shares)
    assert ticks[0] == "0"
    assert ticks[-1] == "100"
    counts = charts.figure_bars(small_figures.astype({"unit": str}).assign(unit="count"), "oil_output_share").svg
    assert re.findall(r'<text [^>]*fill="#555555"[^>]*>([\d,.]+)</text>', counts)[-1] == "30"


def test_rows_with_different_periods_name_their_period(small_figures: pd.DataFrame) -> None:
    figures = small_figures.copy()
    figures.loc[figures["partner"] == "Russia", "period_end_year"] = 2021
    svg = charts.figure_bars(figures, "oil_output_share").svg
    assert ">Russia (2019–2021)<" in svg
    assert ">USA (2019)<" in svg


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (30.0, "percent", "about", "about 30 percent"),
        (14.9, "percent per year", "exact", "14.9 percent per year"),
        (2.0, "USD billion", "almost", "almost USD 2 billion"),
        (0.6, "USD billion", "about", "about USD 0.6 billion"),
        (14000.0, "USD", "exact", "USD 14,000"),
        (43.0, "USD million", "exact", "USD 43 million"),
        (28.0, "count", "exact", "28"),
        (2.0, "rank", "exact", "rank 2"),
        (44.0, "percent", "up to", "up to 44 percent"),
    ],
)
def test_value_label(value: float, unit: str, qualifier: str, expected: str) -> None:
    assert charts.value_label(value, unit, qualifier) == expected


def test_unknown_metric_names_the_value_and_the_allowed_ones(small_figures: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"Unknown metric 'gdp'; expected one of .*: fdi_share, oil_output_share$"):
        charts.figure_bars(small_figures, "gdp")
    with pytest.raises(ValueError, match=r"Unknown metric 'trade_turnover'"):
        charts.figure_bars(small_figures, "trade_turnover")  # a known metric with no rows here


def test_mixed_units_and_negative_values_are_refused(small_figures: pd.DataFrame) -> None:
    mixed = small_figures.astype({"unit": str})
    mixed.loc[mixed["partner"] == "Russia", "unit"] = "count"
    with pytest.raises(ValueError, match=r"mix units \(count, percent\)"):
        charts.figure_bars(mixed, "oil_output_share")
    negative = small_figures.copy()
    negative.loc[negative["partner"] == "Russia", "value"] = -3.0
    with pytest.raises(ValueError, match=r"must not be negative.*\[-3\.0\]"):
        charts.figure_bars(negative, "oil_output_share")


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match=r"missing the column\(s\) 'partners'"):
        charts.events_per_year(pd.DataFrame({"year": [2000]}))


# ------------------------------------------------------------------ events_per_year


def test_segments_count_each_partner_once_and_domestic_in_grey() -> None:
    events = _events(
        [
            (2000, ("Russia", "China")),
            (2000, ("Russia",)),
            (2000, ()),
            (2001, ("EU",)),
            (1990, ("USA",)),  # outside the years drawn: ignored
        ]
    )
    chart = charts.events_per_year(events, start=1999, end=2001)
    segments = {(s["data-year"], s["data-group"]): s for s in _segments(chart.svg)}
    assert {k: int(s["data-count"]) for k, s in segments.items()} == {
        ("2000", "Russia"): 2,
        ("2000", "China"): 1,
        ("2000", "domestic"): 1,
        ("2001", "EU"): 1,
    }
    per_event = {float(s["height"]) / int(s["data-count"]) for s in segments.values()}
    assert max(per_event) == pytest.approx(min(per_event), abs=0.02)
    assert segments[("2000", "domestic")]["fill"] == palette.DOMESTIC_COLOUR
    assert segments[("2000", "China")]["fill"] == palette.PARTNER_COLOURS["China"]
    # stacked: Russia at the bottom, then China, then domestic on top
    ys = [float(segments[("2000", g)]["y"]) for g in ("Russia", "China", "domestic")]
    assert ys == sorted(ys, reverse=True)
    assert re.findall(r'class="total">(\d+)<', chart.svg) == ["4", "1"]
    assert "4 events;" in chart.svg


def test_highlight_marker_present_only_when_asked() -> None:
    events = _events([(2013, ("China",))])
    plain = charts.events_per_year(events)
    assert 'class="highlight' not in plain.svg
    marked = charts.events_per_year(events, year=2013)
    assert re.search(r'<line [^>]*class="highlight" data-year="2013"', marked.svg)
    assert re.search(r'<rect class="highlight-band" data-year="2013"', marked.svg)
    assert 'class="highlight-label">2013<' in marked.svg


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"by": "category"}, r"by must be 'partner', got 'category'"),
        ({"start": 1985}, r"start must be a year from 1991 to 2022, got 1985"),
        ({"start": 2010, "end": 2000}, r"start \(2010\) must not be after end \(2000\)"),
        ({"year": 2030}, r"year must be a year from 1991 to 2022, got 2030"),
        ({"start": 2000, "year": 1995}, r"from 2000 to 2022, got 1995"),
    ],
)
def test_events_per_year_rejects_bad_options(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        charts.events_per_year(_events([(2000, ())]), **kwargs)  # type: ignore[arg-type]


def test_unknown_partner_group_is_named() -> None:
    with pytest.raises(ValueError, match=r"Unknown partner group 'Mars'"):
        charts.events_per_year(_events([(2000, ("Mars",))]))


def test_empty_events_still_draw_axes() -> None:
    chart = charts.events_per_year(_events([]))
    assert _segments(chart.svg) == []
    assert "0 events;" in chart.svg


def test_charts_do_not_load_folium() -> None:
    code = "import sys, kzviz.charts; sys.exit('folium' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_every_metric_has_a_default_title() -> None:
    assert set(charts.METRIC_TITLES) == set(kzviz.vocab.FIGURE_METRICS)


def test_every_chart_says_what_it_shows_in_words_and_a_table() -> None:
    events = kzviz.load_events()
    chart = charts.events_per_year(events, start=2014, end=2016)
    html_out = chart._repr_html_()
    assert chart.summary.startswith(f"{len(events[events['year'].between(2014, 2016)])} events from 2014–2016.")
    assert [row[0] for row in chart.table] == ["Year", "2014", "2015", "2016"]
    assert all(int(row[-1]) == sum(int(c) for c in row[1:-1]) for row in chart.table[1:])
    assert html_out.count("<tr>") == 4
    assert "<caption>" in html_out
    assert 'scope="row">2015<' in html_out
    figures = kzviz.load_figures()
    bars = charts.figure_bars(figures, "trade_turnover")
    shown = figures[figures["metric"] == "trade_turnover"]
    assert len(bars.table) == len(shown) + 1
    assert bars.summary.startswith("Trade turnover")
    assert (
        charts.value_label(float(shown["value"].max()), str(shown["unit"].iloc[0]), "exact").split()[0] in bars.summary
    )
