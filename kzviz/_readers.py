"""Read raw records from CSV and GeoJSON files, losing nothing.

The readers return raw values (strings for CSV, JSON values for GeoJSON) so
the validators see exactly what is in the file. Structural problems, such as
a row with too many cells, a column, property or member the dataset does not
have, a key repeated in one JSON object or a feature without geometry, are
recorded as problems rather than skipped. JSON numbers that no Python number
holds faithfully (``NaN``, ``Infinity``, overlong or overflowing numbers) are
kept as :class:`~kzviz._validate.RawNumber` for the validators to report.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kzviz._errors import DataError, Problem
from kzviz._validate import MAX_NUMBER_LENGTH, RawNumber, RecordChecker
from kzviz.paths import data_dir

MAX_JSON_DEPTH = 20
"""Deepest nesting of arrays and objects a GeoJSON file may have."""

WGS84_NAMES: tuple[str, ...] = (
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "http://www.opengis.net/def/crs/EPSG/0/4326",
    "EPSG:4326",
)
"""The names a GeoJSON ``crs`` member may give: WGS 84, longitude first as in RFC 7946."""

_TOP_MEMBERS = ("type", "features", "crs")
_FEATURE_MEMBERS = ("type", "id", "properties", "geometry")
_GEOMETRY_MEMBERS = ("type", "coordinates")


def resolve(path: str | os.PathLike[str] | None, default_name: str) -> Path:
    """Return `path` as a Path, or the shipped file `default_name` when None."""
    return data_dir() / default_name if path is None else Path(path)


def read_text(path: Path) -> str:
    """Read a UTF-8 file, turning a decoding failure into a DataError."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = Problem(path.name, f"byte {exc.start}", "file", "must be UTF-8 text", raw[exc.start : exc.end])
        raise DataError([problem]) from None


def read_csv_records(path: Path, checker: RecordChecker) -> list[dict[str, str]]:
    """Read every data row of a CSV file as a dict of raw strings.

    Rows whose cell count differs from the header's are recorded as problems
    and still returned (extra cells are ignored only after being reported).
    A column the schema does not have is recorded as a problem. Fields of any
    length are read (Python's csv field limit is raised for the read and
    restored after it), so a huge field is reported by the validators and the
    rows after it are still checked.
    """
    text = read_text(path)
    previous = csv.field_size_limit(max(len(text) + 1, csv.field_size_limit()))
    try:
        return _read_rows(csv.reader(io.StringIO(text, newline="")), checker)
    finally:
        csv.field_size_limit(previous)


def _read_rows(reader: Iterator[list[str]], checker: RecordChecker) -> list[dict[str, str]]:
    try:
        header = next(reader)
    except StopIteration:
        checker.add("header", "file", "must have a header row", "")
        return []
    except csv.Error as exc:
        checker.add("header", "file", f"is not valid CSV ({exc})", "")
        return []
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        checker.add("header", "columns", "repeats column name(s)", dupes)
    checker.missing_columns(header)
    checker.unknown_names("header", {name: name for name in header}, "column")
    records = []
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            checker.add(f"row {row + 1}", "file", f"is not valid CSV ({exc})", "")
            break
        row += 1
        if not cells:
            checker.add(f"row {row}", "row", "is empty; remove blank lines", "")
            continue
        record = dict(zip(header, cells, strict=False))
        if len(cells) != len(header):
            where = f"row {row}" + (f" (id {record['id']!r})" if record.get("id") else "")
            checker.add(where, "row", f"must have {len(header)} cells like the header", len(cells))
        records.append(record)
    return records


class JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it repeats.

    Parameters
    ----------
    pairs : list of (str, object)
        The object's members in file order, as ``json`` passes them to
        ``object_pairs_hook``. The last value of a repeated key wins, as in
        ``json``; :attr:`repeated` lists every value of such a key.
    """

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.repeated: dict[str, list[Any]] = {}
        if len(self) < len(pairs):
            for key, value in pairs:
                self.repeated.setdefault(key, []).append(value)
            self.repeated = {key: values for key, values in self.repeated.items() if len(values) > 1}


def _json_int(text: str) -> int | RawNumber:
    if len(text) > MAX_NUMBER_LENGTH:
        return RawNumber(text, f"must be written in at most {MAX_NUMBER_LENGTH} characters")
    return int(text)


def _json_float(text: str) -> float | RawNumber:
    if len(text) > MAX_NUMBER_LENGTH:
        return RawNumber(text, f"must be written in at most {MAX_NUMBER_LENGTH} characters")
    value = float(text)
    if math.isinf(value):
        return RawNumber(text, "is too large for a 64-bit float")
    if value == 0 and re.search("[1-9]", re.split("[eE]", text)[0]):
        return RawNumber(text, "is too small for a 64-bit float (it would read as 0)")
    return value


def _json_constant(text: str) -> RawNumber:
    return RawNumber(text, "must be a finite number")


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_NESTING = re.compile(r"[\[\]{}\n]")
_UNREADABLE = object()


def _too_deep(text: str) -> int | None:
    """Return the line where arrays and objects first nest deeper than MAX_JSON_DEPTH, or None."""
    depth, line = 0, 1
    for match in _JSON_NESTING.finditer(_JSON_STRING.sub('""', text)):
        char = match.group()
        if char == "\n":
            line += 1
        elif char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return line
        else:
            depth -= 1
    return None


def _read_json(path: Path, checker: RecordChecker) -> Any:
    """Parse a JSON file strictly; on failure record one problem and return _UNREADABLE."""
    text = read_text(path)
    hooks: dict[str, Any] = {"parse_int": _json_int, "parse_float": _json_float, "parse_constant": _json_constant}
    try:
        doc = json.loads(text, object_pairs_hook=JsonObject, **hooks)
    except json.JSONDecodeError as exc:
        checker.add(f"line {exc.lineno}", "file", f"is not valid JSON ({exc.msg})", "")
        return _UNREADABLE
    except RecursionError:
        line = _too_deep(text) or 1
    else:
        deep = _too_deep(text)
        if deep is None:
            return doc
        line = deep
    checker.add(f"line {line}", "file", f"nests arrays and objects more than {MAX_JSON_DEPTH} levels deep", "")
    return _UNREADABLE


def _repeats(node: Any, skip: str | None = None) -> Iterator[tuple[str, list[Any]]]:
    """Yield ``(dotted.key, values)`` for every key repeated in an object in `node`.

    The member `skip` of `node` itself is not searched.
    """
    stack: list[tuple[str, Any]] = [("", node)]
    while stack:
        path, item = stack.pop()
        children: list[tuple[str, Any]] = []
        if isinstance(item, JsonObject):
            yield from ((f"{path}{key}", values) for key, values in item.repeated.items())
            children = [(f"{path}{k}.", v) for k, v in item.items() if path or k != skip]
        elif isinstance(item, list):
            children = [(f"{path}{i}.", v) for i, v in enumerate(item)]
        stack.extend(reversed(children))


def _check_repeats(checker: RecordChecker, where: str, node: Any, skip: str | None = None) -> None:
    """Record every key repeated in an object in `node` (but not in its member `skip`)."""
    for name, values in _repeats(node, skip):
        checker.add(where, name, "is repeated in one JSON object; keep one", values)


def _check_members(
    checker: RecordChecker, where: str, obj: dict[str, Any], allowed: tuple[str, ...], prefix: str = ""
) -> None:
    """Record every member of `obj` that is not `allowed`."""
    for name, value in obj.items():
        if name not in allowed:
            checker.add(where, prefix + name, "is not a member kzviz reads; remove it", value)


def _check_crs(checker: RecordChecker, doc: dict[str, Any]) -> None:
    """Record a ``crs`` member that names anything but WGS 84 longitude/latitude."""
    if "crs" not in doc:
        return
    crs = doc["crs"]
    props = crs.get("properties") if isinstance(crs, dict) else None
    named = isinstance(props, dict) and set(crs) == {"type", "properties"} and crs["type"] == "name"
    if not (named and props is not None and set(props) == {"name"} and props["name"] in WGS84_NAMES):
        message = (
            f"must name WGS 84 longitude/latitude ({{'type': 'name', 'properties': {{'name': {WGS84_NAMES[0]!r}}}}})"
        )
        checker.add("top level", "crs", f"{message} or be left out", crs)


@dataclass
class RawFeature:
    """A GeoJSON feature's properties and coordinates, as found in the file.

    ``geometry_type`` is the geometry's ``type`` when it is one the reader
    accepts, else None (and ``coordinates`` is None).
    """

    properties: dict[str, Any]
    coordinates: list[Any] | None
    geometry_type: str | None = None


def read_line_features(path: Path, checker: RecordChecker) -> list[RawFeature]:
    """Read a FeatureCollection of LineString features.

    The file must be strict JSON: no repeated keys, no ``NaN`` or
    ``Infinity``, numbers of at most :data:`~kzviz._validate.MAX_NUMBER_LENGTH`
    characters, nesting at most :data:`MAX_JSON_DEPTH` deep. Members other
    than those kzviz reads, properties the schema does not have, a ``crs``
    other than WGS 84 and a feature ``id`` that differs from ``properties.id``
    are recorded as problems. A feature with a missing or wrong geometry is
    reported and kept with ``coordinates=None`` so later checks can still
    name it.
    """
    return _read_features(path, checker, ("LineString",))


def read_polygon_features(path: Path, checker: RecordChecker) -> list[RawFeature]:
    """Read a FeatureCollection of Polygon and MultiPolygon features.

    The same rules as :func:`read_line_features` apply; only the geometry
    types differ. Rings are returned as found; the loader checks them.
    """
    return _read_features(path, checker, ("Polygon", "MultiPolygon"))


def _read_features(path: Path, checker: RecordChecker, geometry_types: tuple[str, ...]) -> list[RawFeature]:
    doc = _read_json(path, checker)
    if doc is _UNREADABLE:
        return []
    _check_repeats(checker, "top level", doc, skip="features")
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        checker.add("top level", "type", "must be 'FeatureCollection'", kind)
        return []
    _check_members(checker, "top level", doc, _TOP_MEMBERS)
    _check_crs(checker, doc)
    features = doc.get("features")
    if not isinstance(features, list):
        checker.add("top level", "features", "must be a list", features)
        return []
    return [_read_feature(checker, i, feature, geometry_types) for i, feature in enumerate(features, start=1)]


def _read_feature(checker: RecordChecker, number: int, feature: Any, geometry_types: tuple[str, ...]) -> RawFeature:
    """Check one feature's members and return its properties and coordinates."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    where = f"feature {number}" + (f" (id {props['id']!r})" if isinstance(props, dict) and props.get("id") else "")
    _check_repeats(checker, where, feature)
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        found = feature.get("type") if isinstance(feature, dict) else feature
        checker.add(where, "type", "must be 'Feature'", found)
        return RawFeature({}, None)
    if not isinstance(props, dict):
        checker.add(where, "properties", "must be an object", props)
        props = {}
    _check_members(checker, where, feature, _FEATURE_MEMBERS)
    checker.unknown_names(where, props, "property")
    if "id" in feature and feature["id"] != props.get("id"):
        message = f"of the feature must be absent or equal properties.id {props.get('id')!r}"
        checker.add(where, "id", message, feature["id"])
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in geometry_types:
        gtype = geometry.get("type") if isinstance(geometry, dict) else geometry
        checker.add(where, "geometry", f"must be a {' or '.join(geometry_types)}", gtype)
        return RawFeature(props, None)
    _check_members(checker, where, geometry, _GEOMETRY_MEMBERS, "geometry.")
    if not isinstance(geometry.get("coordinates"), list):
        checker.add(where, "geometry", "must have a list of coordinates", geometry.get("coordinates"))
        return RawFeature(props, None)
    return RawFeature(props, geometry["coordinates"], geometry["type"])
