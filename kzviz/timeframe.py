"""What is visible in a given year: the pure logic shared by maps and timelines.

Nothing here draws; every function takes validated frames and returns
frames or Series, so it is tested without a browser or a kernel.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kzviz import vocab

PLAY_STEP_MS = 700
"""Milliseconds between years when a Play button runs a year slider (the map's and the explorer's)."""

YearLike = int | np.integer[Any]
"""A calendar year: a plain ``int`` or any NumPy integer (as read from a frame)."""


def check_year(year: YearLike, *, name: str = "year") -> int:
    """Return `year` as an int if it lies in the kzviz period, else raise ValueError.

    Parameters
    ----------
    year : int or numpy.integer
        A calendar year: any integral type (``int``, ``numpy.int64`` as read
        from a frame, ...), but not ``bool`` and not a float.
    name : str
        Parameter name used in the error message.

    Returns
    -------
    int
        The year, as a plain ``int``.

    Raises
    ------
    ValueError
        If `year` is not an integral number between :data:`kzviz.vocab.FIRST_YEAR` and
        :data:`kzviz.vocab.LAST_YEAR`.
    """
    integral = isinstance(year, numbers.Integral) and not isinstance(year, (bool, np.bool_))
    if not integral or not vocab.FIRST_YEAR <= int(year) <= vocab.LAST_YEAR:
        msg = f"{name} must be a year from {vocab.FIRST_YEAR} to {vocab.LAST_YEAR}, got {year!r}"
        raise ValueError(msg)
    return int(year)


def year_or_deprecated(
    year: YearLike | None, old_value: YearLike | None, *, old_name: str, default: int, stacklevel: int = 3
) -> int:
    """Return the checked `year`, accepting a deprecated keyword's value for one release.

    The year has one name across kzviz: ``year`` for the year a map, chart or
    explorer shows. ``as_of`` (maps and layers) and ``highlight_year``
    (:func:`kzviz.charts.events_per_year`) still work and warn.

    Parameters
    ----------
    year : int or numpy.integer, optional
        The value given as ``year``.
    old_value : int or numpy.integer, optional
        The value given under the old name.
    old_name : str
        The old keyword name, for the warning.
    default : int
        The year used when neither is given.
    stacklevel : int
        Passed to :func:`warnings.warn`; the default names the caller's caller.

    Returns
    -------
    int
        The year.

    Raises
    ------
    TypeError
        If both names are given.
    ValueError
        If the year is not in the kzviz period.
    """
    if old_value is not None:
        if year is not None:
            msg = f"pass the year once, as year=, not also as {old_name}="
            raise TypeError(msg)
        warnings.warn(f"{old_name}= is deprecated; pass year= instead", DeprecationWarning, stacklevel=stacklevel)
        return check_year(old_value, name=old_name)
    return check_year(default if year is None else year)


def route_stage(routes: pd.DataFrame, year: int) -> pd.Series:
    """Return each route's stage in `year`.

    Parameters
    ----------
    routes : pandas.DataFrame
        Validated pipelines (``announced_year``, ``construction_start_year``,
        ``first_year``) or corridors (``opened_year``).
    year : int
        The year to look at.

    Returns
    -------
    pandas.Series
        ``"operating"``, ``"under_construction"``, ``"announced"`` or
        missing (``pd.NA``: not yet known in that year), indexed like
        `routes`.
    """
    year = check_year(year)
    stage = pd.Series(pd.NA, index=routes.index, dtype="string")
    if "opened_year" in routes:
        stage[routes["opened_year"].le(year).fillna(False)] = "operating"
        return stage
    for column, name in (
        ("announced_year", "announced"),
        ("construction_start_year", "under_construction"),
        ("first_year", "operating"),
    ):
        stage[routes[column].le(year).fillna(False)] = name
    return stage


def events_between(events: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Return the events whose date starts within years `start` to `end`.

    Parameters
    ----------
    events : pandas.DataFrame
        Validated events.
    start, end : int
        First and last year, inclusive.

    Returns
    -------
    pandas.DataFrame
        The matching rows, in their original order.

    Raises
    ------
    ValueError
        If a year is out of range or `start` is after `end`.
    """
    start = check_year(start, name="start")
    end = check_year(end, name="end")
    if start > end:
        msg = f"start ({start}) must not be after end ({end})"
        raise ValueError(msg)
    return events[events["year"].between(start, end)]


DOMESTIC = "domestic"
"""The group of events with no foreign partner, beside :data:`kzviz.vocab.PARTNERS`."""

PARTNER_FILTERS: tuple[str, ...] = (*vocab.PARTNERS, DOMESTIC)
"""The partner groups of events, plus :data:`DOMESTIC`: the options of the partner
filter, and the stacking and legend order of :func:`kzviz.charts.events_per_year`."""


def filter_events(
    events: pd.DataFrame,
    *,
    start: int = vocab.FIRST_YEAR,
    end: int = vocab.LAST_YEAR,
    categories: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
    query: str = "",
) -> pd.DataFrame:
    """Return the events a timeline shows for a year range and filters.

    Parameters
    ----------
    events : pandas.DataFrame
        Validated events.
    start, end : int
        First and last year, inclusive.
    categories : sequence of str, optional
        Keep these categories only; None keeps all.
    partners : sequence of str, optional
        Keep events involving any of these partner groups (from
        :data:`PARTNER_FILTERS`; ``"domestic"`` selects events with no
        foreign partner); None keeps all.
    query : str
        Case-insensitive text that must appear in the title, summary or place.

    Returns
    -------
    pandas.DataFrame
        The matching rows, in date order.

    Raises
    ------
    ValueError
        If a year is out of range, `start` is after `end`, or a category or
        partner is unknown.
    """
    shown = events_between(events, start, end)
    if categories is not None:
        unknown = sorted(set(categories) - set(vocab.EVENT_CATEGORIES))
        if unknown:
            msg = f"unknown categories {unknown}; expected some of {', '.join(vocab.EVENT_CATEGORIES)}"
            raise ValueError(msg)
        shown = shown[shown["category"].isin(list(categories))]
    if partners is not None:
        wanted = set(partners)
        unknown = sorted(wanted - set(PARTNER_FILTERS))
        if unknown:
            msg = f"unknown partners {unknown}; expected some of {', '.join(PARTNER_FILTERS)}"
            raise ValueError(msg)
        keep = [bool(wanted & set(p)) or (not p and DOMESTIC in wanted) for p in shown["partners"]]
        shown = shown[np.array(keep, dtype=bool)]  # a plain empty list would select no *columns*
    text = query.strip().casefold()
    if text:
        haystack = (shown["title"] + " " + shown["summary"] + " " + shown["place_name"]).str.casefold()
        shown = shown[haystack.str.contains(text, regex=False)]
    return shown.sort_values(["date_start", "id"], kind="stable")
