"""Checks that a frame handed to a chart, layer or map has what the drawing needs.

The loaders validate the shipped files; these checks catch a frame built or
trimmed by hand before it reaches a ``KeyError`` or ``AttributeError`` deep
inside a drawing, and name what is missing and where the right frame comes
from (``kzviz.load_<what>()``).

:func:`require_frames` checks every frame a function was given at once, from
a :class:`FrameNeeds` per argument, and says which function, which argument
and which columns; :func:`require_columns` and :func:`require_geometry` check
one frame.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class FrameNeeds:
    """What a drawing reads from one frame.

    Attributes
    ----------
    loader : str
        The loader whose frame fits, as in ``kzviz.<loader>()``: ``"load_energy_sites"``.
    columns : tuple of str
        The columns read (a geometry column among them if the frame's shapes are drawn).
    geometry : bool
        Whether the frame's shapes are drawn: it must then be a
        :class:`geopandas.GeoDataFrame` with its geometry column.
    """

    loader: str
    columns: tuple[str, ...]
    geometry: bool = False


def _type_problem(frame: object, what: str, loader: str, *, geometry: bool) -> str | None:
    """Say why `frame` is not the kind of frame wanted, or return None if it is."""
    if geometry:
        import geopandas as gpd  # the data layer loads it anyway; charts never get here

        if not isinstance(frame, gpd.GeoDataFrame):
            kind = type(frame).__name__
            return f"{what} must be a GeoDataFrame with a 'geometry' column from kzviz.{loader}(), got {kind}"
        if frame.active_geometry_name not in frame.columns:
            return f"{what} has no 'geometry' column of shapes; pass the frame from kzviz.{loader}()"
        return None
    if not isinstance(frame, pd.DataFrame):
        return f"{what} must be a pandas DataFrame from kzviz.{loader}(), got {type(frame).__name__}"
    return None


def _missing_problem(frame: pd.DataFrame, columns: Sequence[str], what: str, loader: str) -> str | None:
    """Name the columns of `columns` that `frame` lacks, or return None if it has them all."""
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return None
    return f"{what} is missing the column(s) {', '.join(map(repr, missing))}; pass the frame from kzviz.{loader}()"


def require_frames(caller: str, frames: Mapping[str, tuple[object, FrameNeeds]]) -> None:
    """Refuse, in one message, every frame given to `caller` that lacks what its drawing needs.

    Parameters
    ----------
    caller : str
        The public function that was called, named in the message: ``"pipeline_map"``.
    frames : mapping of str to (object, FrameNeeds)
        Each argument's name, the value passed, and what is read from it.

    Raises
    ------
    TypeError
        If any value is not a DataFrame, or not a GeoDataFrame with a geometry
        column where shapes are drawn; the message names every such argument.
    ValueError
        If frames lack columns; the message names every argument and column.
    """
    wrong = [
        problem
        for what, (frame, needs) in frames.items()
        if (problem := _type_problem(frame, what, needs.loader, geometry=needs.geometry))
    ]
    if wrong:
        raise TypeError(_message(caller, wrong))
    missing = [
        problem
        for what, (frame, needs) in frames.items()
        if isinstance(frame, pd.DataFrame) and (problem := _missing_problem(frame, needs.columns, what, needs.loader))
    ]
    if missing:
        raise ValueError(_message(caller, missing))


def _message(caller: str, problems: Sequence[str]) -> str:
    """One line for one problem, else a heading and one line per problem."""
    if len(problems) == 1:
        return f"{caller}(): {problems[0]}"
    return "\n".join([f"{caller}(): {len(problems)} problems with the frames passed:", *(f"  - {p}" for p in problems)])


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
    loader = f"load_{what}"
    if problem := _type_problem(frame, what, loader, geometry=False):
        raise TypeError(problem)
    assert isinstance(frame, pd.DataFrame)  # for mypy: _type_problem said so
    if problem := _missing_problem(frame, columns, what, loader):
        raise ValueError(problem)


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
    if problem := _type_problem(frame, what, f"load_{what}", geometry=True):
        raise TypeError(problem)
