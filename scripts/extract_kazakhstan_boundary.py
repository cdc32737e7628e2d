"""Extract Kazakhstan's outline and its land neighbours from Natural Earth (world-atlas TopoJSON).

Usage::

    python scripts/extract_kazakhstan_boundary.py path/to/countries-10m.json \
        scripts/reference/kazakhstan-naturalearth-10m.geojson

``countries-10m.json`` is the file of the npm package ``world-atlas`` 2.0.2,
a redistribution of Natural Earth 4.1.0 Admin 0 countries at 1:10m (public
domain). The first feature is Kazakhstan; the others are its land neighbours,
cut to the region around it. The output is read by ``derive_pipelines.py`` and
``derive_corridors.py`` to find which part of each route lies in Kazakhstan.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

KAZAKHSTAN_ISO_NUMERIC = "398"
NEIGHBOURS = {"643": "Russia", "156": "China", "417": "Kyrgyzstan", "860": "Uzbekistan", "795": "Turkmenistan"}
"""ISO numeric codes of the states that border Kazakhstan on land."""

CLIP_BOX = (42.0, 35.0, 92.0, 60.0)
"""West, south, east, north (degrees): the neighbours are kept only around Kazakhstan."""


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Return every arc of a quantized TopoJSON topology as lon/lat points.

    Parameters
    ----------
    topology : dict
        A TopoJSON Topology with a ``transform`` (delta-encoded arcs).

    Returns
    -------
    list of list of (float, float)
        The arcs, in file order.
    """
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    """Join the arcs of one ring; a negative index ``~i`` means arc ``i`` reversed."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def country_geojson(topology: dict[str, Any], iso_numeric: str) -> dict[str, Any]:
    """Return one country of world-atlas ``countries`` as a GeoJSON MultiPolygon feature."""
    arcs = decode_arcs(topology)
    (geometry,) = [g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == iso_numeric]
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    coordinates = [
        [[[round(lon, 5), round(lat, 5)] for lon, lat in ring(arcs, rng)] for rng in polygon] for polygon in polygons
    ]
    return {
        "type": "Feature",
        "properties": {
            "name": geometry["properties"]["name"],
            "source": "Natural Earth 4.1.0 Admin 0 countries 1:10m (public domain), via world-atlas 2.0.2",
        },
        "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
    }


def clipped(feature: dict[str, Any]) -> dict[str, Any]:
    """Return `feature` with its geometry cut to :data:`CLIP_BOX` (5-decimal coordinates)."""
    import shapely
    from shapely.geometry import box, mapping, shape

    geometry = shapely.make_valid(shape(feature["geometry"])).intersection(box(*CLIP_BOX))
    geometry = shapely.set_precision(geometry, 1e-5)
    return {**feature, "geometry": json.loads(json.dumps(mapping(geometry)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-10m.json")
    parser.add_argument("output", type=Path, help="GeoJSON file to write")
    args = parser.parse_args()
    topology = json.loads(args.topojson.read_text(encoding="utf-8"))
    features = [country_geojson(topology, KAZAKHSTAN_ISO_NUMERIC)]
    features += [clipped(country_geojson(topology, code)) for code in NEIGHBOURS]
    doc = {"type": "FeatureCollection", "features": features}
    args.output.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
