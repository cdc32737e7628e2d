"""What is visible in a year: route stages, event windows and year checks."""

from __future__ import annotations

import pandas as pd
import pytest

import kzviz
from kzviz.timeframe import check_year, events_between, events_up_to, first_visible_year, route_stage


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
    assert first_visible_year(routes).tolist() == [1996, 1970, 2010]


def test_corridor_stage_uses_opened_year() -> None:
    legs = _routes(opened_year=[2012, 2018])
    assert route_stage(legs, 2015).fillna("-").tolist() == ["operating", "-"]


def test_event_windows() -> None:
    events = kzviz.load_events()
    assert set(events_up_to(events, 1995)["year"]) == set(range(1991, 1996))
    window = events_between(events, 2014, 2015)
    assert set(window["year"]) == {2014, 2015}
    assert len(events_between(events, 1991, 2022)) == len(events)
    with pytest.raises(ValueError, match=r"start \(2015\) must not be after end \(2014\)"):
        events_between(events, 2015, 2014)


@pytest.mark.parametrize("year", [1990, 2023, 2000.0, "2000", None, False])
def test_check_year_rejects(year: object) -> None:
    with pytest.raises(ValueError, match=r"must be a year from 1991 to 2022, got"):
        check_year(year)  # type: ignore[arg-type]
