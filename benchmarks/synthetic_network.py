"""A synthetic pipeline network the size of Global Energy Monitor's trackers, for scale checks.

GEM's oil and gas pipeline trackers hold thousands of routes, each with a
short record (name, operator, status, capacity, a wiki page) and a traced
line. :func:`synthetic_pipelines` writes such a network in the format of
``data/pipelines.geojson``, so it goes through :func:`kzviz.load_pipelines`
like a user's own file:

* every route has its own id, name, description, end places and source
  URL (text that can't be shared between routes is not shared);
* operators come from a pool of 400 and capacities, years and statuses
  vary, as in a real tracker;
* each line is a correlated random walk of `vertices` points about 3 km
  apart (a smooth, winding line like a traced route), somewhere between
  Europe and China; about a third of the routes have a section marked as
  inside Kazakhstan, so they are drawn in pieces like the real ones;
* one route in ten has a note on what is uncertain.

The same arguments always give the same file.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

STEP_DEGREES = 0.027
"""Distance between neighbouring vertices (about 3 km of latitude)."""

OPERATORS = 400
MARKETS = ("russia", "china", "west", "domestic")


def _walk(rng: np.random.Generator, vertices: int) -> list[list[float]]:
    """Return a smooth random line of `vertices` [lon, lat] points between Europe and China."""
    lon, lat = rng.uniform(20.0, 115.0), rng.uniform(28.0, 58.0)
    heading = rng.uniform(0.0, 2 * math.pi)
    turns = np.cumsum(rng.normal(0.0, 0.12, vertices))
    points = []
    for turn in turns:
        points.append([round(lon, 6), round(lat, 6)])
        angle = heading + float(turn)
        lat += STEP_DEGREES * math.sin(angle)
        lon += STEP_DEGREES * math.cos(angle) / math.cos(math.radians(lat))
    return points


def _route(i: int, rng: np.random.Generator, vertices: int) -> dict[str, Any]:
    """Return route `i` as a GeoJSON feature."""
    market = MARKETS[i % len(MARKETS)]
    first_year = int(rng.integers(1965, 2022))
    gas = i % 3 == 0
    inside = None
    if i % 3 == 1:
        start = int(rng.integers(0, vertices // 2))
        inside = [[start, int(rng.integers(start + 2, vertices))]]
    properties = {
        "id": f"synthetic-route-{i:05d}",
        "name": f"Synthetic {'gas' if gas else 'oil'} pipeline {i}",
        "system": f"Synthetic system {i // 5}",
        "commodity": "gas" if gas else "oil",
        "transport_mode": "pipeline",
        "from_place": f"Field {i} (origin region {i % 97})",
        "to_place": f"Terminal {i} (destination region {i % 89})",
        "market": market,
        "operator": f"Operator {i % OPERATORS}",
        "owners": None,
        "announced_year": None,
        "construction_start_year": None,
        "first_year": first_year,
        "status": "operating",
        "length_km": round(float(rng.uniform(80.0, 600.0)), 1),
        "capacity": round(float(rng.uniform(0.5, 40.0)), 1),
        "capacity_unit": "bcm/yr" if gas else "Mt/yr",
        "description": (
            f"Route {i} of a synthetic network for scale checks: it runs from field {i} to "
            f"terminal {i} and has carried {'gas' if gas else 'oil'} since {first_year}."
        ),
        "certainty_note": f"Route {i}'s capacity is an estimate." if i % 10 == 0 else None,
        "places": [f"Field {i}", f"Junction {i}", f"Terminal {i}"],
        "geometry_approximate": True,
        "kazakhstan_vertices": inside,
        "sea_vertices": None,
        "geometry_licence": "CC BY 4.0",
        "geometry_attribution": "Synthetic network for scale checks",
        "sources": [f"https://www.gem.wiki/Synthetic_pipeline_{i}"],
    }
    geometry = {"type": "LineString", "coordinates": _walk(rng, vertices)}
    return {"type": "Feature", "id": properties["id"], "properties": properties, "geometry": geometry}


def synthetic_pipelines(path: Path, routes: int, vertices: int = 100, *, seed: int = 12) -> Path:
    """Write a synthetic network of `routes` lines with `vertices` points each to `path`.

    Parameters
    ----------
    path : pathlib.Path
        GeoJSON file to write (in the format of ``data/pipelines.geojson``).
    routes : int
        Number of routes.
    vertices : int
        Vertices per route.
    seed : int
        Seed of the random lines and figures.

    Returns
    -------
    pathlib.Path
        `path`, for :func:`kzviz.load_pipelines`.
    """
    rng = np.random.default_rng(seed)
    features = [_route(i, rng, vertices) for i in range(routes)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path
