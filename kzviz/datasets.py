"""Load and validate the kzviz datasets.

One loader per dataset. Each reads the shipped file (or your own copy,
through `path`), checks every record, and either returns a typed pandas
DataFrame / GeoPandas GeoDataFrame (EPSG:4326) or raises one
:class:`~kzviz.DataError` that lists every problem found. Nothing is dropped
or repaired silently.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon

from kzviz import vocab
from kzviz._errors import DataError
from kzviz._readers import RawFeature, read_csv_records, read_line_features, read_polygon_features, resolve
from kzviz._validate import (
    Field,
    Invalid,
    RecordChecker,
    check_point,
    choices,
    enum_field,
    flag,
    integer,
    list_of,
    number,
    parse_date,
    slug,
    text,
    url,
)

PathLike = str | os.PathLike[str] | None

MIN_ROUTE_VERTICES = 6
"""Every route line has at least this many vertices."""

EARLIEST_ROUTE_YEAR = 1950
LATEST_ROUTE_YEAR = 2040

_LAT = number(-90.0, 90.0)
_LON = number(-180.0, 180.0)
_ROUTE_YEAR = integer(EARLIEST_ROUTE_YEAR, LATEST_ROUTE_YEAR)


MIN_ROUTE_PLACES = 2
"""Every route names at least its two ends in ``places``."""

MAX_SIMPLIFY_TOLERANCE_M = 1000.0
"""A line simplified from a published route stays within 1 km of it."""

_GEM_ID = re.compile(r"P[0-9]{4}")
_COMMIT = re.compile(r"[0-9a-f]{40}")


def _vertex_range(value: Any) -> tuple[int, int]:
    """Parse ``[first, last]``: two vertex indices, first before last."""
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
    ):
        raise Invalid("must be a [first, last] pair of vertex indices (whole numbers from 0)")
    if value[0] >= value[1]:
        raise Invalid("must have its first vertex index before its last")
    return (value[0], value[1])


def _gem_id(value: Any) -> str:
    if not isinstance(value, str) or not _GEM_ID.fullmatch(value):
        raise Invalid("must be a GEM project id like P0644")
    return value


def _commit(value: Any) -> str:
    if not isinstance(value, str) or not _COMMIT.fullmatch(value):
        raise Invalid("must be a 40-character lowercase hexadecimal git commit")
    return value


EVENT_FIELDS: tuple[Field, ...] = (
    Field("id", slug),
    Field("date", text),
    enum_field("date_precision", vocab.DATE_PRECISIONS),
    Field("title", text),
    Field("summary", text),
    enum_field("category", vocab.EVENT_CATEGORIES),
    enum_field("kind", vocab.EVENT_KINDS),
    Field("actors", choices(vocab.ACTORS), dtype="object"),
    Field("place_name", text),
    Field("lat", _LAT, dtype="float64"),
    Field("lon", _LON, dtype="float64"),
    Field("source_url", url),
    Field("source_title", text),
    Field("certainty_note", text, required=False),
    Field("provenance_note", text, required=False),
)

_ROUTE_TEXT_FIELDS: tuple[Field, ...] = (
    Field("description", text),
    Field("certainty_note", text, required=False),
    Field("places", list_of(text, min_items=MIN_ROUTE_PLACES), dtype="object"),
    Field("geometry_approximate", flag, dtype="bool"),
    Field("kazakhstan_vertices", list_of(_vertex_range), required=False, dtype="object"),
    Field("sea_vertices", _vertex_range, required=False, dtype="object"),
)

PIPELINE_FIELDS: tuple[Field, ...] = (
    Field("id", slug),
    Field("name", text),
    Field("system", text),
    enum_field("commodity", vocab.COMMODITIES),
    enum_field("transport_mode", vocab.TRANSPORT_MODES),
    Field("from_place", text),
    Field("to_place", text),
    enum_field("market", vocab.MARKETS),
    Field("operator", text),
    Field("owners", text, required=False),
    Field("announced_year", _ROUTE_YEAR, required=False, dtype="Int64"),
    Field("construction_start_year", _ROUTE_YEAR, required=False, dtype="Int64"),
    Field("first_year", _ROUTE_YEAR, required=False, dtype="Int64"),
    enum_field("status", vocab.ROUTE_STATUSES),
    Field("length_km", number(0.0, 20000.0, exclusive_low=True), required=False, dtype="float64"),
    Field("capacity", number(0.0, 1000.0, exclusive_low=True), dtype="float64"),
    enum_field("capacity_unit", vocab.CAPACITY_UNITS),
    *_ROUTE_TEXT_FIELDS,
    Field("geometry_source_ids", list_of(_gem_id), required=False, dtype="object"),
    Field("geometry_source_commit", _commit, required=False),
    Field("geometry_licence", text),
    Field("geometry_attribution", text),
    Field(
        "simplify_tolerance_m",
        number(0.0, MAX_SIMPLIFY_TOLERANCE_M, exclusive_low=True),
        required=False,
        dtype="float64",
    ),
    Field("sources", list_of(url), dtype="object"),
    Field("provenance_note", text, required=False),
)

CORRIDOR_FIELDS: tuple[Field, ...] = (
    Field("id", slug),
    Field("corridor", text),
    Field("name", text),
    enum_field("mode", vocab.CORRIDOR_MODES),
    Field("opened_year", _ROUTE_YEAR, dtype="Int64"),
    *_ROUTE_TEXT_FIELDS,
    Field("sources", list_of(url), dtype="object"),
    Field("provenance_note", text, required=False),
)

CORRIDOR_NODE_FIELDS: tuple[Field, ...] = (
    Field("id", slug),
    Field("name", text),
    enum_field("node_type", vocab.NODE_TYPES),
    Field("country", text),
    Field("opened_year", _ROUTE_YEAR, dtype="Int64"),
    Field("lat", _LAT, dtype="float64"),
    Field("lon", _LON, dtype="float64"),
    Field("source_url", url),
    Field("source_title", text),
    Field("description", text),
    Field("certainty_note", text, required=False),
    Field("provenance_note", text, required=False),
)

ENERGY_SITE_FIELDS: tuple[Field, ...] = (
    Field("id", slug),
    Field("name", text),
    enum_field("site_type", vocab.SITE_TYPES),
    Field("country", text),
    Field("lat", _LAT, dtype="float64"),
    Field("lon", _LON, dtype="float64"),
    Field("source_url", url),
    Field("source_title", text),
    Field("description", text),
    Field("certainty_note", text, required=False),
    Field("provenance_note", text, required=False),
)

FIGURE_FIELDS: tuple[Field, ...] = (
    Field("id", slug),
    enum_field("metric", vocab.FIGURE_METRICS),
    enum_field("partner", vocab.FIGURE_PARTNERS),
    Field("period_start_year", integer(1900, vocab.LAST_YEAR), dtype="Int64"),
    Field("period_end_year", integer(1900, vocab.LAST_YEAR), dtype="Int64"),
    Field("value", number(-1e12, 1e12), dtype="float64"),
    enum_field("unit", vocab.FIGURE_UNITS),
    enum_field("qualifier", vocab.FIGURE_QUALIFIERS),
    Field("source_url", url),
    Field("source_title", text),
    Field("description", text),
    Field("certainty_note", text, required=False),
    Field("provenance_note", text, required=False),
)

OUTLINE_KINDS = ("country", "disputed")
"""What a country outline is: a country, or a disputed area drawn over the countries."""

COUNTRY_OUTLINE_FIELDS: tuple[Field, ...] = (
    Field("id", slug),
    Field("name", text),
    enum_field("kind", OUTLINE_KINDS),
    Field("start_year", integer(vocab.FIRST_YEAR, vocab.LAST_YEAR), required=False, dtype="Int64"),
    Field("note", text, required=False),
)


def _label(kind: str, records: Sequence[dict[str, Any]]) -> Callable[[int], str]:
    """Return a function naming record `i` as ``"row 3 (id 'x')"``."""

    def name(i: int) -> str:
        rid = records[i].get("id")
        return f"{kind} {i + 1}" + (f" (id {rid!r})" if rid else "")

    return name


def _parse_records(checker: RecordChecker, raw: Sequence[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """Parse every raw record, then check that ids are unique."""
    label = _label(kind, raw)
    parsed = [checker.parse(label(i), rec) for i, rec in enumerate(raw)]
    for i, rec in enumerate(parsed):
        check_point(checker, label(i), rec.get("lat"), rec.get("lon"))
    checker.unique(label, "id", [r["id"] for r in parsed])
    return parsed


def _frame(records: list[dict[str, Any]], fields: Sequence[Field]) -> pd.DataFrame:
    """Build a DataFrame whose columns have the dtypes the schema names."""
    frame = pd.DataFrame.from_records(records, columns=[f.name for f in fields])
    for spec in fields:
        if spec.dtype == "category":
            frame[spec.name] = pd.Categorical(frame[spec.name], categories=list(spec.categories or ()))
        elif spec.dtype != "object":
            frame[spec.name] = frame[spec.name].astype(cast("Any", spec.dtype))
    return frame


def _load_table(
    path: Path,
    fields: Sequence[Field],
    extra: Callable[[RecordChecker, list[dict[str, Any]], Callable[[int], str]], None] | None = None,
) -> list[dict[str, Any]]:
    """Read and check a CSV table; raise DataError listing every problem."""
    checker = RecordChecker(path.name, fields, cells=True)
    raw = read_csv_records(path, checker)
    parsed = _parse_records(checker, raw, "row")
    if extra is not None:
        extra(checker, parsed, _label("row", parsed))
    if checker.problems:
        raise DataError(checker.problems)
    return parsed


def _check_event_dates(checker: RecordChecker, rows: list[dict[str, Any]], label: Callable[[int], str]) -> None:
    """Check dates against their precision and the 1991-2022 range; find duplicates."""
    low, high = dt.date(vocab.FIRST_YEAR, 1, 1), dt.date(vocab.LAST_YEAR, 12, 31)
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        if row["date"] is None or row["date_precision"] is None:
            continue
        try:
            start, end = parse_date(row["date"], row["date_precision"])
        except Invalid as exc:
            checker.add(label(i), "date", str(exc), row["date"])
            continue
        if start < low or end > high:
            checker.add(label(i), "date", f"must fall within {low} to {high}", row["date"])
        row["date_start"], row["date_end"] = start, end
        if row["title"] is not None:
            key = (row["date"], " ".join(row["title"].casefold().split()))
            if key in seen:
                checker.add(
                    label(i),
                    "title",
                    f"duplicates the event in {label(seen[key])} (same date and title)",
                    row["title"],
                )
            else:
                seen[key] = i


def load_events(path: PathLike = None) -> pd.DataFrame:
    """Load and validate the events table (1991-2022).

    Parameters
    ----------
    path : str or os.PathLike, optional
        A CSV with the columns of ``data/events.csv``. Defaults to the
        shipped file.

    Returns
    -------
    pandas.DataFrame
        One row per event, sorted by date then id, with the file's columns
        plus ``date_start`` and ``date_end`` (datetime64, the first and last
        day the date stands for), ``year`` (int) and ``partners`` (tuple of
        partner groups of the foreign actors, from
        :data:`kzviz.vocab.PARTNERS`; empty for domestic events). ``actors``
        is a tuple of actor names.

    Raises
    ------
    DataError
        If any record breaks a rule; the message lists every problem.
    """
    rows = _load_table(resolve(path, "events.csv"), EVENT_FIELDS, _check_event_dates)
    frame = _frame(rows, EVENT_FIELDS)
    frame["date_start"] = pd.to_datetime([r["date_start"] for r in rows]).astype("datetime64[ns]")
    frame["date_end"] = pd.to_datetime([r["date_end"] for r in rows]).astype("datetime64[ns]")
    frame["year"] = frame["date_start"].dt.year.astype("int64")
    order = {p: i for i, p in enumerate(vocab.PARTNERS)}
    frame["partners"] = [
        tuple(sorted({vocab.partner_of(a) for a in actors if a != "Kazakhstan"}, key=order.__getitem__))
        for actors in frame["actors"]
    ]
    return frame.sort_values(["date_start", "id"], kind="stable").reset_index(drop=True)


def load_figures(path: PathLike = None) -> pd.DataFrame:
    """Load and validate the table of quantitative claims.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A CSV with the columns of ``data/figures.csv``. Defaults to the
        shipped file.

    Returns
    -------
    pandas.DataFrame
        One row per figure, in file order.

    Raises
    ------
    DataError
        If any record breaks a rule; the message lists every problem.
    """

    def years(checker: RecordChecker, rows: list[dict[str, Any]], label: Callable[[int], str]) -> None:
        for i, row in enumerate(rows):
            checker.year_order(label(i), row, ("period_start_year", "period_end_year"))

    rows = _load_table(resolve(path, "figures.csv"), FIGURE_FIELDS, years)
    return _frame(rows, FIGURE_FIELDS)


def _points(rows: list[dict[str, Any]], fields: Sequence[Field]) -> gpd.GeoDataFrame:
    frame = _frame(rows, fields)
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def load_energy_sites(path: PathLike = None) -> gpd.GeoDataFrame:
    """Load and validate the oil and gas fields, terminals and stations.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A CSV with the columns of ``data/energy_sites.csv``.

    Returns
    -------
    geopandas.GeoDataFrame
        Point geometries in EPSG:4326, in file order.

    Raises
    ------
    DataError
        If any record breaks a rule; the message lists every problem.
    """
    rows = _load_table(resolve(path, "energy_sites.csv"), ENERGY_SITE_FIELDS)
    return _points(rows, ENERGY_SITE_FIELDS)


def load_corridor_nodes(path: PathLike = None) -> gpd.GeoDataFrame:
    """Load and validate the border crossings, dry ports and seaports.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A CSV with the columns of ``data/corridor_nodes.csv``.

    Returns
    -------
    geopandas.GeoDataFrame
        Point geometries in EPSG:4326, in file order.

    Raises
    ------
    DataError
        If any record breaks a rule; the message lists every problem.
    """
    rows = _load_table(resolve(path, "corridor_nodes.csv"), CORRIDOR_NODE_FIELDS)
    return _points(rows, CORRIDOR_NODE_FIELDS)


def _check_line(
    checker: RecordChecker, where: str, coords: list[Any] | None, props: dict[str, Any]
) -> LineString | None:
    """Check one line's vertices against the rules and its vertex ranges."""
    if coords is None:
        return None
    bad = False
    vertices = []
    for j, vertex in enumerate(coords):
        try:
            if not (isinstance(vertex, list) and len(vertex) == 2):
                raise Invalid("is not a pair")
            lon, lat = _LON(vertex[0]), _LAT(vertex[1])
            if lon == 0.0 and lat == 0.0:
                raise Invalid("is 0,0")
            vertices.append((lon, lat))
        except Invalid:
            checker.add(where, "geometry", f"vertex {j} must be [lon, lat] within range and not 0,0", vertex)
            bad = True
    if len(coords) < MIN_ROUTE_VERTICES:
        checker.add(where, "geometry", f"must have at least {MIN_ROUTE_VERTICES} vertices", len(coords))
        bad = True
    if bad:
        return None
    repeats = [j for j in range(1, len(coords)) if coords[j] == coords[j - 1]]
    if repeats:
        checker.add(where, "geometry", "must not repeat a vertex back to back; repeated at", repeats)
    _check_vertex_ranges(checker, where, len(coords), props)
    return LineString(vertices)


def _check_vertex_ranges(checker: RecordChecker, where: str, count: int, props: dict[str, Any]) -> None:
    """Check that vertex ranges fit the line and that the Kazakh ranges are in order without overlap."""
    inside = props.get("kazakhstan_vertices") or ()
    sea = props.get("sea_vertices")
    for name, ranges in (("kazakhstan_vertices", inside), ("sea_vertices", [sea] if sea else [])):
        for first, last in ranges:
            if last >= count:
                checker.add(where, name, f"must name vertices of the line (0 to {count - 1})", [first, last])
    for (_, last), (first, _) in itertools.pairwise(inside):
        if first <= last:
            message = "must list separate ranges in order (neither overlapping nor touching)"
            checker.add(where, "kazakhstan_vertices", message, [list(r) for r in inside])
            break


def _load_lines(
    path: Path, fields: Sequence[Field], extra: Callable[[RecordChecker, str, dict[str, Any]], None]
) -> gpd.GeoDataFrame:
    checker = RecordChecker(path.name, fields)
    features = read_line_features(path, checker)
    props = [f.properties for f in features]
    rows = _parse_records(checker, props, "feature")
    label = _label("feature", rows)
    geometries = []
    for i, (feature, row) in enumerate(zip(features, rows, strict=True)):
        geometries.append(_check_line(checker, label(i), feature.coordinates, row))
        extra(checker, label(i), row)
    if checker.problems:
        raise DataError(checker.problems)
    frame = _frame(rows, fields)
    return gpd.GeoDataFrame(frame, geometry=geometries, crs="EPSG:4326")


def _check_stage_year(checker: RecordChecker, where: str, row: dict[str, Any]) -> None:
    """Check that the year of the stage a route had reached by the end of LAST_YEAR is known.

    Maps show a route from its first known year, so a ``planned`` route needs
    ``announced_year`` and an ``under_construction`` one
    ``construction_start_year``, each by :data:`kzviz.vocab.LAST_YEAR`; a
    ``planned`` route must not have started construction by then.
    """
    status = row["status"]
    stage = {"planned": "announced_year", "under_construction": "construction_start_year"}.get(status)
    if stage is None:
        return
    year = row[stage]
    if year is None:
        checker.add(where, stage, f"is required when status is {status!r}", year)
    elif year > vocab.LAST_YEAR:
        checker.add(where, stage, f"must be {vocab.LAST_YEAR} or earlier when status is {status!r}", year)
    started = row["construction_start_year"]
    if status == "planned" and started is not None and started <= vocab.LAST_YEAR:
        message = f"must be empty or after {vocab.LAST_YEAR} when status is 'planned'"
        checker.add(where, "construction_start_year", message, started)


def _check_pipeline(checker: RecordChecker, where: str, row: dict[str, Any]) -> None:
    checker.year_order(where, row, ("announced_year", "construction_start_year", "first_year"))
    _check_stage_year(checker, where, row)
    status, first = row["status"], row["first_year"]
    if status == "operating" and first is None:
        checker.add(where, "first_year", "is required when status is 'operating'", first)
    if status == "operating" and first is not None and first > vocab.LAST_YEAR:
        checker.add(
            where,
            "first_year",
            f"must be {vocab.LAST_YEAR} or earlier when status is 'operating'",
            first,
        )
    if status in ("under_construction", "planned") and first is not None and first <= vocab.LAST_YEAR:
        checker.add(
            where,
            "first_year",
            f"must be empty or after {vocab.LAST_YEAR} when status is {status!r}",
            first,
        )
    if row["transport_mode"] == "tanker" and row["sea_vertices"] is None:
        checker.add(where, "sea_vertices", "is required when transport_mode is 'tanker'", None)
    _check_geometry_source(checker, where, row)


def _check_geometry_source(checker: RecordChecker, where: str, row: dict[str, Any]) -> None:
    """Check that a derived line names its ids, commit and tolerance, and that any other line is approximate."""
    derived = row["geometry_source_ids"] is not None
    for name in ("geometry_source_commit", "simplify_tolerance_m"):
        if derived and row[name] is None:
            checker.add(where, name, "is required when geometry_source_ids is given", None)
        if not derived and row[name] is not None:
            checker.add(where, name, "must be empty when geometry_source_ids is empty", row[name])
    if not derived and row["geometry_approximate"] is False:
        message = "must be true when the line is not derived from a published route (geometry_source_ids empty)"
        checker.add(where, "geometry_approximate", message, False)


def load_pipelines(path: PathLike = None) -> gpd.GeoDataFrame:
    """Load and validate the oil and gas export routes.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A GeoJSON FeatureCollection with the properties of
        ``data/pipelines.geojson``.

    Returns
    -------
    geopandas.GeoDataFrame
        One LineString per route in EPSG:4326, in file order.
        ``places``, ``sources`` and ``geometry_source_ids`` are tuples of
        strings; ``kazakhstan_vertices`` is a tuple of ``(first, last)``
        vertex index pairs and ``sea_vertices`` one such pair (or None).

    Raises
    ------
    DataError
        If any feature breaks a rule; the message lists every problem.
    """
    return _load_lines(resolve(path, "pipelines.geojson"), PIPELINE_FIELDS, _check_pipeline)


def _check_corridor(checker: RecordChecker, where: str, row: dict[str, Any]) -> None:
    if row["mode"] in ("sea", "multimodal") and row["sea_vertices"] is None:
        checker.add(where, "sea_vertices", f"is required when mode is {row['mode']!r}", None)


def load_corridors(path: PathLike = None) -> gpd.GeoDataFrame:
    """Load and validate the Belt and Road transport corridors.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A GeoJSON FeatureCollection with the properties of
        ``data/corridors.geojson``.

    Returns
    -------
    geopandas.GeoDataFrame
        One LineString per corridor leg in EPSG:4326, in file order.

    Raises
    ------
    DataError
        If any feature breaks a rule; the message lists every problem.
    """
    return _load_lines(resolve(path, "corridors.geojson"), CORRIDOR_FIELDS, _check_corridor)


def _ring(checker: RecordChecker, where: str, name: str, ring: Any) -> list[tuple[float, float]] | None:
    """Check one linear ring: at least 4 [lon, lat] vertices in range, closed."""
    if not isinstance(ring, list) or len(ring) < 4:
        checker.add(where, "geometry", f"{name} must be a list of at least 4 vertices", ring)
        return None
    vertices = []
    for j, vertex in enumerate(ring):
        try:
            if not (isinstance(vertex, list) and len(vertex) == 2):
                raise Invalid("is not a pair")
            vertices.append((_LON(vertex[0]), _LAT(vertex[1])))
        except Invalid:
            checker.add(where, "geometry", f"{name} vertex {j} must be [lon, lat] within range", vertex)
    if len(vertices) < len(ring):
        return None
    if vertices[0] != vertices[-1]:
        checker.add(where, "geometry", f"{name} must end at the vertex it starts at", [ring[0], ring[-1]])
        return None
    return vertices


def _polygon(checker: RecordChecker, where: str, rings: Any, prefix: str) -> Polygon | None:
    """Check one polygon's rings (outer ring first, then holes)."""
    if not isinstance(rings, list) or not rings:
        checker.add(where, "geometry", f"{prefix}must be a list of rings", rings)
        return None
    checked = [_ring(checker, where, f"{prefix}ring {r}", ring) for r, ring in enumerate(rings)]
    if any(ring is None for ring in checked):
        return None
    return Polygon(checked[0], checked[1:])


def _check_polygon(checker: RecordChecker, where: str, feature: RawFeature) -> Polygon | MultiPolygon | None:
    """Check a Polygon or MultiPolygon feature and return its shape if it is valid."""
    if feature.coordinates is None:
        return None
    multi = feature.geometry_type == "MultiPolygon"
    parts = feature.coordinates if multi else [feature.coordinates]
    if not parts:
        checker.add(where, "geometry", "must have at least one polygon", parts)
        return None
    checked = [_polygon(checker, where, rings, f"polygon {i} " if multi else "") for i, rings in enumerate(parts)]
    polygons = [polygon for polygon in checked if polygon is not None]
    if len(polygons) < len(checked):
        return None
    shape = MultiPolygon(polygons) if multi else polygons[0]
    if not shape.is_valid:
        reason = shapely.is_valid_reason(shape)
        checker.add(where, "geometry", f"must be a valid {feature.geometry_type} ({reason})", feature.coordinates)
        return None
    return shape


def load_country_outlines(path: PathLike = None) -> gpd.GeoDataFrame:
    """Load and validate the country outlines drawn beneath every map.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A GeoJSON FeatureCollection of Polygon and MultiPolygon features with
        the properties of ``data/country_outlines.geojson`` (derived from
        Natural Earth by ``scripts/derive_country_outlines.py``).

    Returns
    -------
    geopandas.GeoDataFrame
        One outline per country, plus ``disputed`` areas, in EPSG:4326, in
        file order.

    Raises
    ------
    DataError
        If any feature breaks a rule; the message lists every problem.
    """
    path = resolve(path, "country_outlines.geojson")
    checker = RecordChecker(path.name, COUNTRY_OUTLINE_FIELDS)
    features = read_polygon_features(path, checker)
    rows = _parse_records(checker, [f.properties for f in features], "feature")
    label = _label("feature", rows)
    geometries = []
    for i, (feature, row) in enumerate(zip(features, rows, strict=True)):
        geometries.append(_check_polygon(checker, label(i), feature))
        if row["kind"] == "disputed" and row["note"] is None:
            checker.add(label(i), "note", "is required when kind is 'disputed'; say whose claim is drawn", None)
    if checker.problems:
        raise DataError(checker.problems)
    return gpd.GeoDataFrame(_frame(rows, COUNTRY_OUTLINE_FIELDS), geometry=geometries, crs="EPSG:4326")


def load_map_frames() -> dict[str, pd.DataFrame]:
    """Load every shipped dataset the map builders and the timeline take.

    Returns
    -------
    dict of str to DataFrame
        ``events``, ``pipelines``, ``sites``, ``corridors``, ``nodes`` and
        ``outlines``, keyed as the builders name their parameters, so
        ``kzviz.maps.atlas(**kzviz.load_map_frames())`` works.

    Raises
    ------
    DataError
        If any shipped file fails validation.
    """
    return {
        "events": load_events(),
        "pipelines": load_pipelines(),
        "sites": load_energy_sites(),
        "corridors": load_corridors(),
        "nodes": load_corridor_nodes(),
        "outlines": load_country_outlines(),
    }
