"""Draw data/corridors.geojson from the named places each corridor passes.

Usage::

    python scripts/derive_corridors.py [--check]

Each feature's ``places`` property lists, in order, the towns, stations and
ports the corridor passes; their coordinates and sources are in
``scripts/reference/places.csv``. The script joins them with straight
segments, adds a vertex wherever the line crosses Kazakhstan's border (Natural
Earth 1:10m) and writes ``kazakhstan_vertices`` (vertex ranges inside
Kazakhstan) and ``sea_vertices`` (the sea crossing, from :data:`SEA_LEGS`).
All other properties are kept as they are in the file. Output is
deterministic; ``--check`` exits 1 if the file would change instead of
writing it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from _routes import kazakh_ranges, load_kazakhstan, rounded, write_feature_collection

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "corridors.geojson"
PLACES = Path(__file__).with_name("reference") / "places.csv"

SEA_LEGS: dict[str, tuple[str, str]] = {
    "titr-caspian-caucasus-turkey": ("Aktau", "Port of Baku (Alat)"),
}
"""Corridor legs with a sea crossing: the places where it starts and ends."""

MIN_RUN_M = 100_000.0
"""Corridors are straight lines between towns, so a chord between two Kazakh
towns can clip a neighbour (Kordai-Merke cuts 96 km across a bend of the
Kyrgyz border that the road goes round). Runs inside or outside Kazakhstan
shorter than this are folded into their neighbours."""


def read_places(path: Path = PLACES) -> dict[str, tuple[float, float]]:
    """Return {place name: (lon, lat)} from the gazetteer CSV."""
    with path.open(newline="", encoding="utf-8") as f:
        return {row["name"]: (float(row["lon"]), float(row["lat"])) for row in csv.DictReader(f)}


def derive_feature(feature: dict[str, Any], gazetteer: dict[str, tuple[float, float]], country: Any) -> dict[str, Any]:
    """Return `feature` with its line drawn afresh through its places."""
    props = dict(feature["properties"])
    unknown = [name for name in props["places"] if name not in gazetteer]
    if unknown:
        msg = f"{props['id']}: places not in {PLACES.name}: {unknown}"
        raise SystemExit(msg)
    coords = rounded(gazetteer[name] for name in props["places"])
    coords, inside = kazakh_ranges(coords, country, MIN_RUN_M)
    sea = None
    if props["id"] in SEA_LEGS:
        start, end = (coords.index(rounded([gazetteer[name]])[0]) for name in SEA_LEGS[props["id"]])
        sea = [start, end]
    props.update(kazakhstan_vertices=inside, sea_vertices=sea)
    return {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="corridors GeoJSON to update in place")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the file would change")
    args = parser.parse_args()
    before = args.output.read_bytes()
    gazetteer, country = read_places(), load_kazakhstan()
    derived = [derive_feature(f, gazetteer, country) for f in json.loads(before)["features"]]
    if not args.check:
        write_feature_collection(args.output, derived)
        return 0
    target = args.output.with_suffix(".check.tmp")
    write_feature_collection(target, derived)
    same = target.read_bytes() == before
    target.unlink()
    print("corridors.geojson is reproduced byte for byte" if same else "corridors.geojson would change")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
