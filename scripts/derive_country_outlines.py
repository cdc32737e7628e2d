"""Derive data/country_outlines.geojson from Natural Earth's 1:110m countries.

Usage::

    python scripts/derive_country_outlines.py SOURCE [--output data/country_outlines.geojson]

SOURCE is Natural Earth's ``ne_110m_admin_0_countries`` shapefile (or a folder
holding one ``.shp``), for example the ``naturalearth_lowres`` copy that the
pyogrio wheel ships under ``pyogrio/tests/fixtures/naturalearth_lowres/``. It
must have a ``name`` column and be in WGS 84.

What the script does, in order (data/README.md describes the result):

1. drops Antarctica and cuts every country at :data:`NORTH_LIMIT` degrees
   north (only arctic islands lie beyond it);
2. applies kzviz's Crimea convention: the part of the peninsula that the
   source draws inside Russia is moved to Ukraine (borders as recognised by
   UN General Assembly resolution 68/262 of 27 March 2014), and is also
   written as a separate ``disputed`` outline from 2014, the year Russia
   annexed it;
3. simplifies all outlines together with shapely's coverage simplification
   (:data:`SIMPLIFY_TOLERANCE`), so neighbours keep one shared border;
4. rounds coordinates to :data:`DECIMALS` decimal places (about 1 km) and
   writes features sorted by id, one per line, so the same source always
   gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping

NORTH_LIMIT = 80.0
"""Northern cut, in degrees: the maps never open further north."""

SIMPLIFY_TOLERANCE = 0.5
"""Tolerance of :func:`shapely.coverage_simplify`, in degrees."""

DECIMALS = 2
"""Decimal places kept in coordinates (0.01 degree is about 1 km)."""

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "data" / "country_outlines.geojson"

CRIMEA_POINT = Point(34.1, 45.0)
"""A point inside Crimea (near Simferopol), used to find the peninsula."""

CRIMEA_NOTE = (
    "Part of Ukraine within the borders recognised by UN General Assembly resolution 68/262 (27 March 2014); "
    "annexed by Russia in 2014 and administered by Russia since. Drawn as part of Ukraine, with this dashed "
    "outline from 2014."
)


def read_source(source: Path) -> gpd.GeoDataFrame:
    """Read the Natural Earth countries and check the columns and coordinates."""
    if source.is_dir():
        shapefiles = sorted(source.glob("*.shp"))
        if len(shapefiles) != 1:
            sys.exit(f"{source}: expected exactly one .shp file, found {len(shapefiles)}")
        source = shapefiles[0]
    countries = gpd.read_file(source)
    if "name" not in countries.columns:
        sys.exit(f"{source}: no 'name' column; is this Natural Earth admin 0 countries?")
    if countries.crs is None or countries.crs.to_epsg() != 4326:
        sys.exit(f"{source}: expected WGS 84 (EPSG:4326), got {countries.crs}")
    return countries[["name", "geometry"]].reset_index(drop=True)


def slug(name: str) -> str:
    """Return a lowercase ASCII id for a country name: ``"Côte d'Ivoire"`` -> ``"cote-d-ivoire"``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def polygons(geometry: Any) -> list[Polygon]:
    """Return the polygons of a Polygon, MultiPolygon or GeometryCollection."""
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    return [part for piece in getattr(geometry, "geoms", []) for part in polygons(piece)]


def split_crimea(countries: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, Polygon]:
    """Move Crimea from Russia to Ukraine; return the countries and the peninsula.

    Stops with a message if the source draws Crimea in neither country.
    """
    by_name = {name: i for i, name in enumerate(countries["name"])}
    russia, ukraine = by_name["Russia"], by_name["Ukraine"]
    parts = polygons(countries.geometry[russia])
    crimea = [part for part in parts if part.contains(CRIMEA_POINT)]
    if not crimea:
        if countries.geometry[ukraine].contains(CRIMEA_POINT):
            sys.exit("the source already draws Crimea in Ukraine; check the convention in data/README.md")
        sys.exit("the source draws Crimea in neither Russia nor Ukraine")
    geometries = list(countries.geometry)
    geometries[russia] = MultiPolygon([part for part in parts if part is not crimea[0]])
    geometries[ukraine] = shapely.difference(countries.geometry[ukraine], crimea[0])
    out = countries.set_geometry(geometries, crs=countries.crs)
    return out, crimea[0]


def simplify(geometries: list[Any]) -> list[Any]:
    """Simplify the outlines as one coverage and round them to DECIMALS places."""
    simplified = shapely.coverage_simplify(geometries, SIMPLIFY_TOLERANCE)
    return list(shapely.set_precision(simplified, 10.0**-DECIMALS))


def rounded(geometry: Any) -> dict[str, Any]:
    """Return `geometry` as GeoJSON: one part as a Polygon, outer rings anticlockwise (RFC 7946)."""
    parts = polygons(shapely.set_precision(geometry, 10.0**-DECIMALS))
    shape = shapely.orient_polygons(shapely.normalize(parts[0] if len(parts) == 1 else MultiPolygon(parts)))
    geojson = mapping(shape)

    def walk(node: Any) -> Any:
        if isinstance(node[0], float):
            return [round(node[0], DECIMALS), round(node[1], DECIMALS)]
        return [walk(child) for child in node]

    return {"type": geojson["type"], "coordinates": walk(geojson["coordinates"])}


def outline_features(countries: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Apply the steps in the module docstring and return the GeoJSON features."""
    countries = countries[countries["name"] != "Antarctica"]
    countries = countries.set_geometry(countries.geometry.intersection(box(-180.0, -90.0, 180.0, NORTH_LIMIT)))
    countries = countries[~countries.geometry.is_empty].reset_index(drop=True)
    countries, crimea = split_crimea(countries)
    shapes = simplify([*countries.geometry, crimea])
    crimea_shape = shapes.pop()
    ukraine = list(countries["name"]).index("Ukraine")
    shapes[ukraine] = shapely.union(shapes[ukraine], crimea_shape)
    names = list(countries["name"])
    rows = [(slug(name), name, "country", None, None, shape) for name, shape in zip(names, shapes, strict=True)]
    rows.append(("crimea", "Crimea", "disputed", 2014, CRIMEA_NOTE, crimea_shape))
    features = []
    for fid, name, kind, start_year, note, shape in sorted(rows, key=lambda row: row[0]):
        if not shape.is_valid or shape.is_empty:
            sys.exit(f"{name}: outline is {shapely.is_valid_reason(shape)} after simplifying")
        properties = {"id": fid, "name": name, "kind": kind, "start_year": start_year, "note": note}
        features.append({"type": "Feature", "properties": properties, "geometry": rounded(shape)})
    ids = [feature["properties"]["id"] for feature in features]
    if len(set(ids)) != len(ids):
        sys.exit(f"two countries share an id: {sorted({i for i in ids if ids.count(i) > 1})}")
    return features


def write_geojson(features: list[dict[str, Any]], output: Path) -> None:
    """Write a FeatureCollection with one feature per line."""
    lines = [json.dumps(feature, ensure_ascii=False, separators=(",", ":")) for feature in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    output.write_text(text, encoding="utf-8")


def main() -> None:
    """Parse the arguments, derive the outlines and write them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("source", type=Path, help="Natural Earth 110m countries: .shp file or its folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the GeoJSON")
    args = parser.parse_args()
    features = outline_features(read_source(args.source))
    write_geojson(features, args.output)
    print(f"wrote {len(features)} outlines to {args.output} ({args.output.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
