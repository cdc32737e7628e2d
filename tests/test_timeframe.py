"""What is visible in a year: route stages, event windows and year checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import kzviz
from kzviz.timeframe import check_year, events_between, route_stage


def _routes(**years: list[float | None]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.array(v, dtype="Int64") for k, v in years.items()})


def test_route_stage_walks_through_stages() -> None:
    routes = _routes(
        announced_year=[1996, None, 2010], construction_start_year=[1999, None, None], first_year=[2001, 1970, None]
    )
    assert route_stage(routes, 1995).isna().tolist() == [True, False, True]
    assert route_stage(routes, 1997).tolist()[0] == "announced"
    assert route_stage(routes, 2000).tolist()[0] == "under_construction"
    assert route_stage(routes, 2001).tolist()[:2] == ["operating", "operating"]
    assert route_stage(routes, 2012).tolist()[2] == "announced"


def test_corridor_stage_uses_opened_year() -> None:
    legs = _routes(opened_year=[2012, 2018])
    assert route_stage(legs, 2015).fillna("-").tolist() == ["operating", "-"]


def test_event_windows() -> None:
    events = kzviz.load_events()
    assert set(events_between(events, 1991, 1995)["year"]) == set(range(1991, 1996))
    window = events_between(events, 2014, 2015)
    assert set(window["year"]) == {2014, 2015}
    assert len(events_between(events, 1991, 2022)) == len(events)
    with pytest.raises(ValueError, match=r"start \(2015\) must not be after end \(2014\)"):
        events_between(events, 2015, 2014)


@pytest.mark.parametrize("year", [1990, 2023, 2000.0, "2000", None, False])
def test_check_year_rejects(year: object) -> None:
    with pytest.raises(ValueError, match=r"must be a year from 1991 to 2022, got"):
        check_year(year)  # type: ignore[arg-type]


def test_filters_that_match_nothing_give_an_empty_frame() -> None:
    from kzviz.timeframe import filter_events

    events = kzviz.load_events()
    shown = filter_events(events, start=1991, end=1991, categories=["belt_and_road"], partners=["China"])
    assert shown.empty
    assert list(shown.columns) == list(events.columns)


@pytest.mark.parametrize("year", [np.int64(2005), np.int32(2005), np.uint16(2005), 2005])
def test_a_year_of_any_integral_type_is_accepted(year: Any) -> None:
    assert check_year(year) == 2005
    assert type(check_year(year)) is int


@pytest.mark.parametrize("year", [2005.0, np.float64(2005), np.bool_(True), True, "2005", None])
def test_a_year_that_is_not_integral_is_refused(year: Any) -> None:
    with pytest.raises(ValueError, match="must be a year from 1991 to 2022"):
        check_year(year)


def test_a_year_read_from_a_frame_works_everywhere() -> None:
    from kzviz import charts, maps
    from kzviz.timeline import TimelineExplorer

    frames = kzviz.load_map_frames()
    year = frames["events"]["year"].iloc[-1]  # numpy.int64
    assert isinstance(year, np.integer)
    for m in (
        maps.pipeline_map(frames["pipelines"], frames["sites"], year=year),
        maps.corridor_map(frames["corridors"], frames["nodes"], year=year),
        maps.summit_map(frames["events"], year=year),
        maps.atlas(**frames, year=year),
        maps.timeline_map(**frames, year=year),
    ):
        assert f"{int(year)}" in maps.map_html(m)
    chart = charts.events_per_year(frames["events"], start=year - 10, end=year, year=year)
    assert str(int(year)) in chart.svg
    assert TimelineExplorer(**frames, year=year).year.value == int(year)


def test_old_year_names_still_work_and_warn() -> None:
    from kzviz import charts, maps
    from kzviz.maps import layers

    frames = kzviz.load_map_frames()
    with pytest.warns(DeprecationWarning, match="as_of= is deprecated; pass year= instead") as caught:
        old = maps.map_html(maps.summit_map(frames["events"], as_of=2001))
    assert caught[0].filename == __file__  # the warning points at the caller's line
    assert old == maps.map_html(maps.summit_map(frames["events"], year=2001))
    with pytest.warns(DeprecationWarning, match="as_of="):
        assert layers.pipeline_layer(frames["pipelines"], as_of=2001).features
    with pytest.warns(DeprecationWarning, match="highlight_year= is deprecated") as caught:
        chart = charts.events_per_year(frames["events"], highlight_year=2001)
    assert caught[0].filename == __file__
    assert chart.svg == charts.events_per_year(frames["events"], year=2001).svg
    with pytest.raises(TypeError, match="pass the year once"):
        maps.summit_map(frames["events"], year=2001, as_of=2001)
