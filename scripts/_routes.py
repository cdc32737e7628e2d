"""Geometry helpers shared by the route derivation and checking scripts.

Not part of the kzviz package: these run only when a maintainer rebuilds
``data/pipelines.geojson`` or ``data/corridors.geojson`` (see data/README.md).
All distances are in metres, measured in an azimuthal equidistant projection
centred on the line in question, so that lines a few thousand kilometres long
keep their distances within about 1-2 % of the true (geodesic) figures.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.ops import transform

Coord = tuple[float, float]

DECIMALS = 5
"""Coordinates are written with 5 decimals (about 1 m)."""

MIN_KAZAKH_RUN_M = 5_000.0
"""Shorter runs inside or outside Kazakhstan are folded into their neighbours,
so a line that grazes the border is not broken into slivers."""

BOUNDARY = Path(__file__).with_name("reference") / "kazakhstan-naturalearth-10m.geojson"


def metric(line: LineString) -> tuple[Transformer, Transformer]:
    """Return (to metres, back to lon/lat) transformers centred on `line`."""
    centre = line.interpolate(0.5, normalized=True)
    aeqd = f"+proj=aeqd +lat_0={centre.y:.4f} +lon_0={centre.x:.4f} +datum=WGS84 +units=m"
    return (
        Transformer.from_crs("EPSG:4326", aeqd, always_xy=True),
        Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True),
    )


def to_metric(geom: Any, forward: Transformer) -> Any:
    """Project a shapely geometry with `forward`."""
    return transform(forward.transform, geom)


def simplify(coords: Sequence[Coord], tolerance_m: float) -> list[Coord]:
    """Douglas-Peucker simplification with a tolerance in metres.

    Parameters
    ----------
    coords : sequence of (lon, lat)
        The source line.
    tolerance_m : float
        No simplified vertex sequence strays further than this from the
        source, measured in the line's own metric projection.

    Returns
    -------
    list of (lon, lat)
        The simplified line, first and last vertex kept.
    """
    line = LineString(coords)
    forward, back = metric(line)
    simple = to_metric(line, forward).simplify(tolerance_m, preserve_topology=False)
    return [tuple(c) for c in transform(back.transform, simple).coords]  # type: ignore[misc]


def rounded(coords: Iterable[Sequence[float]]) -> list[list[float]]:
    """Round to :data:`DECIMALS` and drop vertices that repeat the one before."""
    out: list[list[float]] = []
    for lon, lat in coords:
        point = [round(float(lon), DECIMALS), round(float(lat), DECIMALS)]
        if not out or point != out[-1]:
            out.append(point)
    return out


COAST_SLACK_DEG = 0.5
"""Sea within this many degrees (about 40-55 km) of Kazakhstan's coast counts as
Kazakh, so a line along the Caspian or Aral shore is not split where Natural
Earth's coastline lies off the present shore (north-east of the Caspian it
lies up to about 30 km inland of the CPC line); land borders with neighbours
stay exact. A sea crossing that leaves the Kazakh coast is therefore counted
as Kazakh for its first few tens of kilometres."""


NEIGHBOUR_SEA_DEG = 0.4
"""Sea within this many degrees of a neighbour's shore never counts as Kazakh
(so the Kara-Bogaz-Gol lagoon in Turkmenistan stays outside)."""


def load_kazakhstan(path: Path = BOUNDARY) -> Any:
    """Return the area counted as Kazakhstan: its land (lakes filled) plus coastal slack.

    Parameters
    ----------
    path : pathlib.Path
        GeoJSON written by ``extract_kazakhstan_boundary.py``: Kazakhstan
        first, then its land neighbours.

    Returns
    -------
    shapely geometry
        Kazakhstan's land, widened by :data:`COAST_SLACK_DEG` over the sea
        but never into a neighbouring state.
    """
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    land = [_filled(shape(f["geometry"])) for f in features]
    kazakhstan, neighbours = land[0], shapely.union_all(land[1:])
    slack = kazakhstan.buffer(COAST_SLACK_DEG).difference(neighbours.buffer(NEIGHBOUR_SEA_DEG))
    return shapely.union_all([kazakhstan, slack])


def _filled(geometry: Any) -> Any:
    """Return a valid (multi)polygon made of the exterior rings of `geometry`."""
    parts = shapely.get_parts(shapely.make_valid(geometry))
    while any(hasattr(p, "geoms") for p in parts):
        parts = shapely.get_parts(parts)
    return shapely.union_all([Polygon(p.exterior) for p in parts if isinstance(p, Polygon)])


def _split_at_border(coords: list[list[float]], border: Any) -> list[list[float]]:
    """Insert a vertex wherever a segment crosses `border` (a line geometry)."""
    out = [coords[0]]
    for a, b in itertools.pairwise(coords):
        segment = LineString([a, b])
        crossing = segment.intersection(border)
        points = [g for g in getattr(crossing, "geoms", [crossing]) if isinstance(g, Point) and not g.is_empty]
        for point in sorted(points, key=segment.project):
            if 0.0 < segment.project(point) < segment.length:
                out.append([point.x, point.y])
        out.append(b)
    return rounded(out)


def _runs(inside: list[bool], lengths: list[float], min_run_m: float) -> list[list[int]]:
    """Return [first, last] vertex ranges of runs of inside segments, folding short runs."""
    flags = list(inside)
    changed = True
    while changed:
        changed = False
        runs = _segment_runs(flags)
        for start, end in runs:
            if len(runs) > 1 and sum(lengths[start:end]) < min_run_m:
                flags[start:end] = [not flags[start]] * (end - start)
                changed = True
                break
    return [[start, end] for start, end in _segment_runs(flags) if flags[start]]


def _segment_runs(flags: list[bool]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            runs.append((start, i))
            start = i
    return runs


def kazakh_ranges(
    coords: list[list[float]], country: Any, min_run_m: float = MIN_KAZAKH_RUN_M
) -> tuple[list[list[float]], list[list[int]] | None]:
    """Split a line at Kazakhstan's border and say which vertex ranges lie inside.

    Parameters
    ----------
    coords : list of [lon, lat]
        The line.
    country : shapely Polygon or MultiPolygon
        Kazakhstan (see :func:`load_kazakhstan`).
    min_run_m : float
        Runs inside or outside shorter than this are folded into their
        neighbours (see :data:`MIN_KAZAKH_RUN_M`).

    Returns
    -------
    coords : list of [lon, lat]
        The line with a vertex added at every border crossing.
    ranges : list of [first, last] or None
        Inclusive vertex index ranges of the parts inside Kazakhstan, or None
        when no part is.
    """
    coords = _split_at_border(coords, country.boundary)
    line = LineString(coords)
    forward, _ = metric(line)
    inside, lengths = [], []
    for a, b in itertools.pairwise(coords):
        segment = LineString([a, b])
        inside.append(bool(country.contains(segment.interpolate(0.5, normalized=True))))
        lengths.append(to_metric(segment, forward).length)
    ranges = _runs(inside, lengths, min_run_m)
    return coords, ranges or None


def write_feature_collection(path: Path, features: list[dict[str, Any]]) -> None:
    """Write features as deterministic GeoJSON.

    Properties keep the order they have (the schema order); each feature's
    coordinates are written on one line, with two-space indents elsewhere,
    UTF-8 and a final newline. The same features always give the same bytes.
    """
    geometries = {}
    shells = []
    for i, feature in enumerate(features):
        token = f"@@geometry-{i}@@"
        geometries[json.dumps(token)] = json.dumps(feature["geometry"], separators=(", ", ": "), allow_nan=False)
        shells.append({"type": "Feature", "properties": feature["properties"], "geometry": token})
    text = json.dumps({"type": "FeatureCollection", "features": shells}, ensure_ascii=False, indent=2, allow_nan=False)
    for token, geometry in geometries.items():
        text = text.replace(token, geometry)
    path.write_text(text + "\n", encoding="utf-8")


def read_gem_line(folder: Path, project_id: str) -> list[Coord]:
    """Return one GEM route file's line as one coordinate list (parts joined in order)."""
    doc = json.loads((folder / f"{project_id}.geojson").read_text(encoding="utf-8"))
    (feature,) = doc["features"]
    geometry = feature["geometry"]
    parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
    coords: list[Coord] = []
    for part in parts:
        for lon, lat, *_ in part:
            if not coords or (lon, lat) != coords[-1]:
                coords.append((float(lon), float(lat)))
    return coords
