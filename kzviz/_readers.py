"""Read raw records from CSV and GeoJSON files, losing nothing.

The readers return raw values (strings for CSV, JSON values for GeoJSON) so
the validators see exactly what is in the file. Structural problems, such as
a row with too many cells or a feature without geometry, are recorded as
problems rather than skipped.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kzviz._errors import DataError, Problem
from kzviz._validate import RecordChecker


def data_dir() -> Path:
    """Return the folder holding the shipped datasets.

    Returns
    -------
    pathlib.Path
        ``kzviz/data`` inside an installed wheel, or the repository's top-level
        ``data/`` folder in a source checkout or editable install.
    """
    packaged = Path(__file__).with_name("data")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


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
    """
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
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


@dataclass
class RawFeature:
    """A GeoJSON feature's properties and line coordinates, as found in the file."""

    properties: dict[str, Any]
    coordinates: list[Any] | None


def read_line_features(path: Path, checker: RecordChecker) -> list[RawFeature]:
    """Read a FeatureCollection of LineString features.

    A feature with a missing or wrong geometry is reported and kept with
    ``coordinates=None`` so later checks can still name it.
    """
    try:
        doc = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        checker.add(f"line {exc.lineno}", "file", f"is not valid JSON ({exc.msg})", "")
        return []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        checker.add("top level", "type", "must be 'FeatureCollection'", kind)
        return []
    features = doc.get("features")
    if not isinstance(features, list):
        checker.add("top level", "features", "must be a list", features)
        return []
    out = []
    for i, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            found = feature.get("type") if isinstance(feature, dict) else feature
            checker.add(f"feature {i}", "type", "must be 'Feature'", found)
            out.append(RawFeature({}, None))
            continue
        props = feature.get("properties")
        if not isinstance(props, dict):
            checker.add(f"feature {i}", "properties", "must be an object", props)
            props = {}
        where = f"feature {i}" + (f" (id {props['id']!r})" if props.get("id") else "")
        geometry = feature.get("geometry")
        coords = None
        if not isinstance(geometry, dict) or geometry.get("type") != "LineString":
            gtype = geometry.get("type") if isinstance(geometry, dict) else geometry
            checker.add(where, "geometry", "must be a LineString", gtype)
        elif not isinstance(geometry.get("coordinates"), list):
            checker.add(where, "geometry", "must have a list of coordinates", geometry.get("coordinates"))
        else:
            coords = geometry["coordinates"]
        out.append(RawFeature(props, coords))
    return out
