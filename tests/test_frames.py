"""A frame without what a drawing needs is refused with a message naming it, not a KeyError deep inside."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

from kzviz import charts
from kzviz._frames import require_columns, require_geometry


def test_missing_columns_are_all_named() -> None:
    with pytest.raises(
        ValueError, match=r"pipelines is missing the column\(s\) 'market', 'capacity'; .*load_pipelines"
    ):
        require_columns(pd.DataFrame({"id": ["a"]}), ["id", "market", "capacity"], "pipelines")
    require_columns(pd.DataFrame({"id": ["a"], "market": ["west"]}), ["id", "market"], "pipelines")


@pytest.mark.parametrize("frame", [None, [{"id": "a"}], {"id": ["a"]}])
def test_a_frame_that_is_not_a_frame_is_named(frame: Any) -> None:
    with pytest.raises(TypeError, match=r"events must be a pandas DataFrame from kzviz\.load_events\(\), got"):
        require_columns(frame, ["id"], "events")


def test_geometry_is_required_where_lines_are_drawn(frames: dict[str, Any]) -> None:
    require_geometry(frames["pipelines"], "pipelines")
    with pytest.raises(
        TypeError,
        match=r"pipelines must be a GeoDataFrame with a 'geometry' column from kzviz\.load_pipelines\(\), got DataFrame",
    ):
        require_geometry(pd.DataFrame(frames["pipelines"].drop(columns="geometry")), "pipelines")
    without = gpd.GeoDataFrame(pd.DataFrame(frames["corridors"].drop(columns="geometry")))
    with pytest.raises(TypeError, match=r"corridors has no 'geometry' column of shapes"):
        require_geometry(without, "corridors")


def test_charts_name_the_missing_column() -> None:
    with pytest.raises(ValueError, match=r"figures is missing the column\(s\) 'unit', 'qualifier'"):
        charts.figure_bars(
            pd.DataFrame(columns=["metric", "partner", "period_start_year", "period_end_year", "value"]), "x"
        )
