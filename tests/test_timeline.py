"""The timeline explorer's Python side, without a kernel or a browser.

What the browser does with these pieces is tested in
``tests/browser/test_timeline_export.py`` (no kernel) and
``tests/browser/test_jupyterlab_e2e.py`` (JupyterLab).
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets
import numpy as np
import pytest

from kzviz import maps, palette
from kzviz.maps import layers
from kzviz.timeframe import PARTNER_FILTERS, filter_events
from kzviz.timeline import EMPTY_MESSAGE, TimelineExplorer, event_list_html, status_text
from kzviz.vocab import EVENT_CATEGORIES


@pytest.fixture
def explorer(frames: dict[str, Any]) -> TimelineExplorer:
    return TimelineExplorer(**frames, year=2010)


def _row_ids(list_html: str, *, hidden: bool) -> list[str]:
    rows = re.findall(r'<tr data-id="([^"]*)"[^>]*?( hidden)?>', list_html)
    return [html.unescape(row_id) for row_id, flag in rows if bool(flag) == hidden]


def test_the_explorer_is_a_widget_that_fits_any_container(explorer: TimelineExplorer, frames: dict[str, Any]) -> None:
    assert isinstance(explorer, widgets.VBox)
    assert "kz-explorer" in explorer._dom_classes
    box = widgets.VBox([widgets.HTML("two views"), explorer, widgets.HBox([explorer])])
    assert box.children[1] is explorer
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.model_id
    expected = f"{len(filter_events(frames['events'], end=2010))} events, 1991–2010"
    assert expected in bundle["text/html"]  # a static stand-in where widgets do not render


@pytest.mark.parametrize("year", [np.int64(2010), np.int32(2010), np.uint16(2010), 2010])
def test_any_integral_year_is_accepted(frames: dict[str, Any], year: Any) -> None:
    explorer = TimelineExplorer(**frames, year=year)
    assert explorer.year.value == 2010
    assert explorer.years() == (1991, 2010)


@pytest.mark.parametrize("year", [1989, 2010.0, True, "2010"])
def test_a_year_that_is_no_year_is_refused(frames: dict[str, Any], year: Any) -> None:
    with pytest.raises(ValueError, match=r"year must be a year from 1991 to 2022, got"):
        TimelineExplorer(**frames, year=year)


def test_first_drawing_lists_every_event_and_hides_those_after_the_year(
    explorer: TimelineExplorer, frames: dict[str, Any]
) -> None:
    events = frames["events"]
    shown = list(filter_events(events, end=2010)["id"])
    assert _row_ids(explorer.list.value, hidden=False) == shown
    assert sorted(_row_ids(explorer.list.value, hidden=True) + shown) == sorted(events["id"])
    assert f"{len(shown)} events, 1991–2010" in explorer.status.value
    assert 'role="status"' in explorer.status.value
    assert 'data-year="2010"' in explorer.chart.value  # the chart marks the year


def test_visible_events_follow_the_controls(explorer: TimelineExplorer, frames: dict[str, Any]) -> None:
    events = frames["events"]
    explorer.year.value = 2015
    assert explorer.visible_events().equals(filter_events(events, end=2015))
    explorer.mode.value = "range"
    explorer.span.value = (2014, 2015)
    assert explorer.years() == (2014, 2015)
    explorer.partners = ["China"]
    explorer.categories = ("energy", "belt_and_road")
    explorer.search.value = "  Pipeline "
    expected = filter_events(
        events, start=2014, end=2015, partners=["China"], categories=["energy", "belt_and_road"], query="pipeline"
    )
    assert explorer.visible_events().equals(expected)
    assert explorer.partners == ("China",)
    assert explorer.partner_buttons["China"].value
    assert not explorer.partner_buttons["Russia"].value
    assert "partners: China" in explorer.static_html()


def test_filter_events_rules(frames: dict[str, Any]) -> None:
    events = frames["events"]
    domestic = filter_events(events, partners=["domestic"])
    assert len(domestic) > 0
    assert all(p == () for p in domestic["partners"])
    assert len(filter_events(events, partners=list(PARTNER_FILTERS))) == len(events)
    csto = filter_events(events, query="CSTO")
    assert {"ev-2022-csto-deployment", "ev-2022-csto-withdrawal"} <= set(csto["id"])  # not an empty selection
    texts = (csto["title"] + " " + csto["summary"] + " " + csto["place_name"]).str.casefold()
    assert texts.str.contains("csto", regex=False).all()
    assert len(csto) < len(events)


def test_unknown_filter_values_are_refused(explorer: TimelineExplorer) -> None:
    with pytest.raises(ValueError, match=r"unknown partners \['Mars'\]"):
        explorer.partners = ["China", "Mars"]
    with pytest.raises(ValueError, match=r"unknown categories \['sport'\]"):
        explorer.categories = ["sport"]
    assert explorer.partners == PARTNER_FILTERS  # nothing changed


def test_status_text() -> None:
    assert status_text(1, 2022, 2022) == "1 event, 2022"
    assert status_text(12, 1991, 2010) == "12 events, 1991–2010"
    text = status_text(3, 2014, 2015, categories=["energy", "belt_and_road"], partners=["China"], query=" CPC ")
    assert text == "3 events, 2014–2015; categories: energy, belt and road; partners: China; matching “CPC”"
    assert status_text(0, 1991, 2022, categories=[]) == "0 events, 1991–2022; categories: none"
    assert status_text(5, 1991, 2022, categories=reversed(EVENT_CATEGORIES)) == "5 events, 1991–2022"


def test_event_list_carries_what_the_browser_filters_on(frames: dict[str, Any]) -> None:
    events = frames["events"]
    listed = event_list_html(events)
    china = events[events["partners"].map(lambda p: p == ("China",))].iloc[0]
    row = re.search(rf'<tr data-id="{re.escape(china["id"])}"[^>]*>', listed)
    assert row
    assert f'data-year="{china["year"]}"' in row.group(0)
    assert f'data-category="{china["category"]}"' in row.group(0)
    assert 'data-partners="China"' in row.group(0)
    assert html.escape(str(china["summary"]).casefold(), quote=True)[:40] in row.group(0)
    assert _row_ids(listed, hidden=True) == []
    assert re.search(r'<p class="kz-empty"[^>]* hidden>', listed)  # the empty message waits hidden
    assert re.search(r'<p class="kz-empty"[^>]*>', event_list_html(events, shown=[])).group(0).endswith('">')


def test_event_list_escapes_and_links(frames: dict[str, Any]) -> None:
    rows = frames["events"].head(2).copy()
    rows["title"] = "<script>alert(1)</script>"
    rows["summary"] = '"><img src=x onerror=alert(1)>'
    rows["source_url"] = ["javascript:alert(1)", "https://example.org/x"]
    listed = event_list_html(rows)
    assert "<script>" not in listed
    assert "<img" not in listed
    assert "&lt;script&gt;" in listed
    assert 'href="javascript' not in listed
    assert 'href="https://example.org/x"' in listed
    assert EMPTY_MESSAGE in event_list_html(rows.iloc[0:0])


def test_the_explorer_map_has_no_year_control_of_its_own(frames: dict[str, Any]) -> None:
    own = maps.map_html(maps.timeline_map(**frames, year=2010))
    driven = maps.map_html(maps.timeline_map(**frames, year=2010, year_control=False))
    assert '"yearControl":true' in own
    assert '"yearControl":false' in driven


def test_same_data_same_bytes(frames: dict[str, Any]) -> None:
    first, second = TimelineExplorer(**frames, year=2005), TimelineExplorer(**frames, year=2005)
    for part in ("map", "status", "chart", "list"):
        assert getattr(first, part).value == getattr(second, part).value


def test_route_stage_text_is_marked_for_the_time_control(frames: dict[str, Any]) -> None:
    pipelines = frames["pipelines"]
    overlay = layers.pipeline_layer(pipelines, year=2005, time_control=True)
    rows = {r.id: r for r in pipelines.itertuples()}
    for feature in overlay.features:
        props = feature["properties"]
        popup = props["popup"].html()
        assert '<th>Status in <span class="kz-stage-year">2005</span></th><td><span class="kz-stage">' in popup
        route = rows[props["route"]]
        direction = palette.MARKET_LABELS[route.market]
        # the stage note is the only part of the tooltip a time map rewrites: the rest stays
        assert props["tooltip"].startswith(
            f'{html.escape(route.name)} ({html.escape(route.commodity)}, {html.escape(direction)}<span class="kz-stage-note">'
        )
    assert len(overlay.features) > 0
