"""The timeline explorer's logic, without a kernel or a browser."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pytest

from kzviz.timeframe import PARTNER_FILTERS, filter_events
from kzviz.timeline import EMPTY_MESSAGE, TimelineExplorer, bridge_html, event_list_html


@pytest.fixture
def explorer(frames: dict[str, Any]) -> TimelineExplorer:
    return TimelineExplorer(**frames, year=2010)


def _bridge_ids(explorer: TimelineExplorer) -> list[str]:
    match = re.search(r'data-ids="([^"]*)"', explorer.bridge.value)
    assert match
    return match.group(1).split()


def test_year_step_updates_list_chart_and_bridge(explorer: TimelineExplorer, frames: dict[str, Any]) -> None:
    events = frames["events"]
    assert _bridge_ids(explorer) == list(filter_events(events, end=2010)["id"])
    before = (explorer.list.value, explorer.chart.value, explorer.status.value)
    explorer.year.value = 2015
    assert _bridge_ids(explorer) == list(filter_events(events, end=2015)["id"])
    assert 'data-end="2015"' in explorer.bridge.value
    assert explorer.list.value != before[0]
    assert explorer.chart.value != before[1]
    assert f"{len(filter_events(events, end=2015))} events" in explorer.status.value


def test_range_mode(explorer: TimelineExplorer, frames: dict[str, Any]) -> None:
    explorer.mode.value = "range"
    explorer.span.value = (2014, 2015)
    ids = _bridge_ids(explorer)
    assert ids == list(filter_events(frames["events"], start=2014, end=2015)["id"])
    assert 'data-start="2014"' in explorer.bridge.value
    assert explorer.year.disabled
    explorer.mode.value = "upto"
    assert not explorer.year.disabled
    assert explorer.span.layout.display == "none"


def test_filters_and_empty_state(explorer: TimelineExplorer) -> None:
    explorer.partners.value = ("China",)
    china = _bridge_ids(explorer)
    assert china
    explorer.categories.value = ("energy",)
    assert set(_bridge_ids(explorer)) < set(china)
    explorer.search.value = "no such words anywhere"
    assert _bridge_ids(explorer) == []
    assert EMPTY_MESSAGE in explorer.list.value
    assert "0 events" in explorer.status.value


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
    with pytest.raises(ValueError, match=r"unknown partners \['Mars'\]"):
        filter_events(events, partners=["Mars"])
    with pytest.raises(ValueError, match=r"unknown categories \['sport'\]"):
        filter_events(events, categories=["sport"])


def test_event_list_escapes_and_links(frames: dict[str, Any]) -> None:
    rows = frames["events"].head(2).copy()
    rows["title"] = "<script>alert(1)</script>"
    rows["source_url"] = ["javascript:alert(1)", "https://example.org/x"]
    html = event_list_html(rows)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert 'href="https://example.org/x"' in html
    assert EMPTY_MESSAGE in event_list_html(rows.iloc[0:0])


def test_bridge_escapes_token() -> None:
    html = bridge_html('"><img>', pd.DataFrame({"id": ["a", "b"]}), 1991, 2000)
    assert "<img>" not in html
    assert 'data-ids="a b"' in html


def test_explorer_displays_as_widget(explorer: TimelineExplorer) -> None:
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "data-kz-bridge" in explorer.map.value  # the map follows this explorer's bridge
    assert explorer.token in explorer.map.value.replace("&quot;", '"')


def test_bad_year(frames: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"year must be a year from 1991 to 2022, got 1989"):
        TimelineExplorer(**frames, year=1989)
