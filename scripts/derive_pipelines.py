"""Derive the route geometry of data/pipelines.geojson from Global Energy Monitor's route files.

Usage::

    python scripts/derive_pipelines.py ../shared/data/gem-pipeline-routes [--check]

The folder holds GEM's per-project route files
(``GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes``, ``data/individual-routes``,
at commit :data:`GEM_COMMIT`). They are read, never copied. For every feature
of ``data/pipelines.geojson`` the script keeps the descriptive properties
(names, years, capacities, text, sources) as they are in the file and
rewrites the geometry and the geometry fields from :data:`RECIPES`:

* a GEM line is simplified (Douglas-Peucker, :data:`TOLERANCE_M` metres in an
  azimuthal equidistant projection centred on the line) so the drawn line
  stays within that distance of GEM's;
* named places (for the tanker link, and for the last stretch of CPC that
  GEM does not draw) are joined by straight segments;
* a vertex is added where the line crosses Kazakhstan's border (Natural
  Earth 1:10m, ``scripts/reference/``), and ``kazakhstan_vertices`` lists
  the vertex ranges inside Kazakhstan;
* ``geometry_source_ids``, ``geometry_source_commit``, ``geometry_licence``,
  ``geometry_attribution`` and ``simplify_tolerance_m`` record where the line
  comes from.

Output is deterministic (properties in schema order, 5-decimal coordinates),
so running the script again reproduces the committed file byte for byte;
``--check`` exits 1 if it would change the file instead of writing it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _routes import kazakh_ranges, load_kazakhstan, read_gem_line, rounded, simplify, write_feature_collection

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "data" / "pipelines.geojson"

GEM_COMMIT = "6bfab45c1759ae3b4d6fd9f1a1171ebbf0002086"
"""Commit of GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes the route files come from."""

TOLERANCE_M = 500.0
"""Douglas-Peucker tolerance: the drawn line stays within this many metres of GEM's."""

GEM_LICENCE = "CC BY 4.0 (GEM's licence for its tracker data; the route repository has no licence file)"
OSM_LICENCE = "ODbL 1.0 (GEM traced this route from OpenStreetMap)"
OWN_LICENCE = "CC BY 4.0 (kzviz compilation)"
GEM_OIL = "Global Energy Monitor, Global Oil Infrastructure Tracker"
GEM_GAS = "Global Energy Monitor, Global Gas Infrastructure Tracker"
OSM = "© OpenStreetMap contributors"

OSM_DERIVED = frozenset({"P1124", "P3273"})
"""GEM route files traced from OpenStreetMap (relations 8165751 and 10999298)."""


@dataclass(frozen=True)
class Gem:
    """A GEM route file, optionally reversed to run in the direction of flow."""

    project_id: str
    reverse: bool = False


@dataclass(frozen=True)
class Place:
    """A named place joined by a straight segment (see the feature's sources)."""

    name: str
    lon: float
    lat: float


# Where each route's line comes from, in the direction of flow.
# Place coordinates: Tengiz, Aktau port, Sangachal and the CPC terminal as in
# data/energy_sites.csv; Qulsary, Beineu and Shetpe are GeoNames town centres.
RECIPES: dict[str, tuple[Gem | Place, ...]] = {
    "btc": (Gem("P0644"),),
    "cpc": (Gem("P0646"), Place("CPC Marine Terminal (Yuzhnaya Ozereyevka)", 37.6533, 44.6705)),
    "atyrau-samara": (Gem("P0649", reverse=True),),
    "kcop-atyrau-kenkiyak": (Gem("P5198"),),
    "kcop-kenkiyak-kumkol": (Gem("P5197"),),
    "kcop-atasu-alashankou": (Gem("P0648"),),
    "cacgp": (Gem("P1124"),),
    "cac-gas": (Gem("P0740"),),
    "beineu-bozoi-shymkent": (Gem("P3273"),),
    "trans-caspian-oil": (
        Place("Tengiz field", 53.3833, 46.1528),
        Place("Qulsary", 54.0198, 46.9531),
        Place("Beineu", 55.2, 45.3167),
        Place("Shetpe", 52.1167, 44.1667),
        Place("Aktau port", 51.1575, 43.6525),
        Place("Sangachal Terminal", 49.4814, 40.2014),
    ),
}

SEA_LEGS: dict[str, tuple[str, str]] = {"trans-caspian-oil": ("Aktau port", "Sangachal Terminal")}
"""Routes with a sea crossing: the places where it starts and ends."""

LOW_RESOLUTION = frozenset({"P0646", "P0740"})
"""GEM routes its README calls low resolution."""

MAX_PRECISE_SEGMENT_KM = 100.0
"""A GEM line with a straight segment longer than this is flagged approximate."""


def build_line(folder: Path, recipe: tuple[Gem | Place, ...]) -> list[list[float]]:
    """Return the route's vertices: GEM lines simplified, places joined in order."""
    coords: list[tuple[float, float]] = []
    for piece in recipe:
        if isinstance(piece, Gem):
            line = read_gem_line(folder, piece.project_id)
            line = simplify(line[::-1] if piece.reverse else line, TOLERANCE_M)
            coords.extend(line if not coords or coords[-1] != line[0] else line[1:])
        else:
            coords.append((piece.lon, piece.lat))
    return rounded(coords)


def longest_segment_km(coords: list[tuple[float, float]]) -> float:
    """Return the longest straight segment of a line in kilometres (geodesic)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    return max(geod.inv(a[0], a[1], b[0], b[1])[2] for a, b in itertools.pairwise(coords)) / 1000


def provenance(recipe: tuple[Gem | Place, ...], commodity: str) -> dict[str, Any]:
    """Return the geometry provenance fields for one recipe."""
    ids = [p.project_id for p in recipe if isinstance(p, Gem)]
    licences, attributions = [], []
    if any(i not in OSM_DERIVED for i in ids):
        licences.append(GEM_LICENCE)
    if any(i in OSM_DERIVED for i in ids):
        licences.append(OSM_LICENCE)
        attributions.append(OSM)
    if ids:
        attributions.insert(0, GEM_OIL if commodity == "oil" else GEM_GAS)
    if any(isinstance(p, Place) for p in recipe):
        licences.append(OWN_LICENCE)
        attributions.append("kzviz; GeoNames")
    return {
        "geometry_source_ids": ids or None,
        "geometry_source_commit": GEM_COMMIT if ids else None,
        "geometry_licence": "; ".join(licences),
        "geometry_attribution": "; ".join(attributions),
        "simplify_tolerance_m": TOLERANCE_M if ids else None,
    }


def derive_feature(folder: Path, feature: dict[str, Any], country: Any) -> dict[str, Any]:
    """Return `feature` with its geometry and geometry fields derived afresh."""
    props = dict(feature["properties"])
    recipe = RECIPES[props["id"]]
    coords = build_line(folder, recipe)
    ids = [p.project_id for p in recipe if isinstance(p, Gem)]
    longest = max((longest_segment_km(read_gem_line(folder, i)) for i in ids), default=0.0)
    coarse = any(i in LOW_RESOLUTION for i in ids) or longest > MAX_PRECISE_SEGMENT_KM
    coords, inside = kazakh_ranges(coords, country)
    sea = None
    if props["id"] in SEA_LEGS:
        start, end = (coords.index(_place_coord(recipe, name)) for name in SEA_LEGS[props["id"]])
        sea = [start, end]
    props.update(
        geometry_approximate=coarse or any(isinstance(p, Place) for p in recipe),
        kazakhstan_vertices=inside,
        sea_vertices=sea,
        **provenance(recipe, props["commodity"]),
    )
    return {"type": "Feature", "properties": props, "geometry": {"type": "LineString", "coordinates": coords}}


def _place_coord(recipe: tuple[Gem | Place, ...], name: str) -> list[float]:
    (place,) = [p for p in recipe if isinstance(p, Place) and p.name == name]
    return rounded([(place.lon, place.lat)])[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gem_folder", type=Path, help="folder of GEM route files (P0644.geojson, ...)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="pipelines GeoJSON to update in place")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the file would change")
    args = parser.parse_args()
    before = args.output.read_bytes()
    features = json.loads(before)["features"]
    missing = sorted({f["properties"]["id"] for f in features} ^ set(RECIPES))
    if missing:
        print(f"features and RECIPES differ: {missing}", file=sys.stderr)
        return 2
    country = load_kazakhstan()
    derived = [derive_feature(args.gem_folder, f, country) for f in features]
    if args.check:
        target = args.output.with_suffix(".check.tmp")
        write_feature_collection(target, derived)
        same = target.read_bytes() == before
        target.unlink()
        print("pipelines.geojson is reproduced byte for byte" if same else "pipelines.geojson would change")
        return 0 if same else 1
    write_feature_collection(args.output, derived)
    return 0


if __name__ == "__main__":
    sys.exit(main())
