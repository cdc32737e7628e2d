"""Group events by the place they happened (pure pandas; no drawing)."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pandas as pd

from kzviz import vocab

SAME_PLACE_KM = 25.0
"""Events closer than this are drawn as one place (a city and its venues)."""


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _city(place_name: str) -> str:
    return place_name.split(",")[0].strip()


def group_by_place(events: pd.DataFrame, *, within_km: float = SAME_PLACE_KM) -> pd.DataFrame:
    """Group events into places, merging points closer than `within_km`.

    A city that changed its name (Akmola, Astana, Nur-Sultan) is one place
    whose label lists every name used, in order of first use.

    Parameters
    ----------
    events : pandas.DataFrame
        Validated events (any subset, in any order).
    within_km : float
        Distance under which two events share a place.

    Returns
    -------
    pandas.DataFrame
        One row per place, ordered by first event: ``label``, ``lat``, ``lon``
        (of the first event there), ``event_ids`` (tuple, by date), ``n_events``,
        ``partner`` (the partner group met most often there; ties go to the
        first in :data:`kzviz.vocab.PARTNERS`), ``leading_partners`` (every
        group tied for most often, in that order: one group when there is no
        tie) and ``partners`` (all groups).
    """
    ordered = events.sort_values(["date_start", "id"], kind="stable")
    places: list[dict[str, object]] = []
    row: Any
    for row in ordered.itertuples(index=False):
        home = next((p for p in places if _km(p["lat"], p["lon"], row.lat, row.lon) < within_km), None)  # type: ignore[arg-type]
        if home is None:
            home = {"lat": row.lat, "lon": row.lon, "names": [], "event_ids": [], "counter": Counter()}
            places.append(home)
        city = _city(row.place_name)
        if all(name.split(" (")[0] != city.split(" (")[0] for name in home["names"]):  # type: ignore[attr-defined]
            home["names"].append(city)  # type: ignore[attr-defined]
        home["event_ids"].append(row.id)  # type: ignore[attr-defined]
        home["counter"].update(row.partners)  # type: ignore[attr-defined]
    order = {p: i for i, p in enumerate(vocab.PARTNERS)}
    rows = []
    for place in places:
        counter: Counter[str] = place["counter"]  # type: ignore[assignment]
        ranked = sorted(counter, key=lambda p: (-counter[p], order[p]))
        leading = tuple(p for p in ranked if counter[p] == counter[ranked[0]]) if ranked else ("other",)
        rows.append(
            {
                "label": " / ".join(place["names"]),  # type: ignore[arg-type]
                "lat": place["lat"],
                "lon": place["lon"],
                "event_ids": tuple(place["event_ids"]),  # type: ignore[arg-type]
                "n_events": len(place["event_ids"]),  # type: ignore[arg-type]
                "partner": ranked[0] if ranked else "other",
                "leading_partners": leading,
                "partners": tuple(sorted(counter, key=order.__getitem__)),
            }
        )
    columns = ["label", "lat", "lon", "event_ids", "n_events", "partner", "leading_partners", "partners"]
    return pd.DataFrame(rows, columns=columns)
