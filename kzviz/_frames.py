"""Checks that a frame handed to a chart, layer or map has what the drawing needs.

The loaders validate the shipped files; these checks catch a frame built or
trimmed by hand before it reaches a ``KeyError`` or ``AttributeError`` deep
inside a drawing, and name what is missing and where the right frame comes
from (``kzviz.load_<what>()``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def require_columns(frame: object, columns: Sequence[str], what: str) -> None:
    """Refuse a frame that is not a DataFrame or lacks any of `columns`.

    Parameters
    ----------
    frame : object
        The frame to check.
    columns : sequence of str
        The columns the caller reads.
    what : str
        The dataset's name, as in ``kzviz.load_<what>()``: ``"events"``, ``"pipelines"``...

    Raises
    ------
    TypeError
        If `frame` is not a pandas DataFrame.
    ValueError
        If columns are missing; the message names every one of them.
    """
    if not isinstance(frame, pd.DataFrame):
        msg = f"{what} must be a pandas DataFrame from kzviz.load_{what}(), got {type(frame).__name__}"
        raise TypeError(msg)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = (
            f"{what} is missing the column(s) {', '.join(map(repr, missing))}; pass the frame from kzviz.load_{what}()"
        )
        raise ValueError(msg)


def require_geometry(frame: object, what: str) -> None:
    """Refuse a frame that is not a GeoDataFrame with an active geometry column.

    Parameters
    ----------
    frame : object
        The frame to check.
    what : str
        The dataset's name, as in ``kzviz.load_<what>()``.

    Raises
    ------
    TypeError
        If `frame` is not a :class:`geopandas.GeoDataFrame` or has no active
        geometry column.
    """
    import geopandas as gpd  # the data layer loads it anyway; charts never call this

    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"{what} must be a GeoDataFrame from kzviz.load_{what}(), got {type(frame).__name__}"
        raise TypeError(msg)
    if frame.active_geometry_name not in frame.columns:
        msg = f"{what} has no geometry column; pass the frame from kzviz.load_{what}()"
        raise TypeError(msg)
