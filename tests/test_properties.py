"""Property tests: corrupting valid records yields DataError, never a crash or a silent drop.

Hostile input (Unicode digits, lone surrogates, control characters, huge
numbers, deep nesting, repeated keys) must either load with every value
exactly as written or raise DataError; any other exception is a bug.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import kzviz
from kzviz import DataError
from tests.conftest import INPUT, read_rows

EVENTS = read_rows(INPUT / "events.csv")
HEADER = list(EVENTS[0])
PIPELINES = json.loads((INPUT / "pipelines.geojson").read_text(encoding="utf-8"))

# For each field, values that are certainly invalid there.
BAD_EVENT_VALUES: dict[str, st.SearchStrategy[str]] = {
    "id": st.sampled_from(["", "Has Space", "UPPER", "a--b", "-x"]),
    "date": st.sampled_from(["", "2013-13-01", "1800-01-01", "2040-01-01", "13/01/2013", "2013-1-1"]),
    "date_precision": st.text(min_size=1, max_size=8).filter(lambda s: s not in ("day", "month", "year")),
    "title": st.sampled_from(["", "  ", " lead", "trail "]),
    "category": st.text(max_size=12).filter(lambda s: s not in kzviz.vocab.EVENT_CATEGORIES),
    "kind": st.text(max_size=12).filter(lambda s: s not in kzviz.vocab.EVENT_KINDS),
    "actors": st.text(max_size=12).filter(lambda s: any(a not in kzviz.vocab.ACTORS for a in s.split(";"))),
    "lat": st.one_of(st.floats(min_value=90.001, max_value=1e9).map(str), st.sampled_from(["", "north", "nan", "inf"])),
    "lon": st.one_of(st.floats(max_value=-180.001, min_value=-1e9).map(str), st.sampled_from(["", "x"])),
    "source_url": st.sampled_from(["", "example.org", "ftp://a.b/c", "https://nohost", "https://a.b/has space"]),
    "source_title": st.just(""),
}


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    """Write `rows` as CSV; lone surrogates are written as the (invalid UTF-8) bytes they would encode to."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode("utf-8", errors="surrogatepass"))
    return path


DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _event_loaded_exactly(frame: pd.DataFrame, rows: list[dict[str, str]], row: int, field: str) -> None:
    """Assert the frame holds every row, and `field` of `row` exactly as written."""
    assert len(frame) == len(rows)
    written = rows[row][field]
    loaded = frame.loc[frame["id"] == rows[row]["id"], field]
    assert len(loaded) == 1, rows[row]["id"]
    value = loaded.iloc[0]
    if written == "":
        assert value is None or pd.isna(value)
    elif field in ("lat", "lon"):
        assert DECIMAL.fullmatch(written), written
        assert value == float(written)
    elif field == "actors":
        assert ";".join(value) == written
    else:
        assert isinstance(value, str)
        assert value == written


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(0, len(EVENTS) - 1), field=st.sampled_from(sorted(BAD_EVENT_VALUES)), data=st.data())
def test_any_invalid_event_value_raises_data_error(tmp_path: Path, row: int, field: str, data: st.DataObject) -> None:
    rows = [dict(r) for r in EVENTS]
    bad = data.draw(BAD_EVENT_VALUES[field])
    rows[row][field] = bad
    path = _write(tmp_path / "events.csv", rows)
    with pytest.raises(DataError) as info:
        kzviz.load_events(path)
    assert any(p.where.startswith(f"row {row + 1}") for p in info.value.problems), str(info.value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    row=st.integers(0, 2),
    field=st.sampled_from(HEADER),
)
def test_arbitrary_text_never_crashes_or_drops(tmp_path: Path, text: str, row: int, field: str) -> None:
    # A last cell ending in a bare CR reads as a CRLF line ending: CSV cannot tell them apart.
    assume(not (field == HEADER[-1] and text.endswith("\r")))
    rows = [dict(r) for r in EVENTS]
    rows[row][field] = text
    path = _write(tmp_path / "events.csv", rows)
    try:
        frame = kzviz.load_events(path)
    except DataError:
        return
    _event_loaded_exactly(frame, rows, row, field)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len((INPUT / "events.csv").read_bytes()) - 1))
def test_truncated_file_never_crashes_or_drops(tmp_path: Path, cut: int) -> None:
    raw = (INPUT / "events.csv").read_bytes()[:cut]
    path = tmp_path / "events.csv"
    path.write_bytes(raw)
    try:
        frame = kzviz.load_events(path)
    except DataError:
        return
    text = raw.decode("utf-8", errors="replace")
    data_rows = max(len(list(csv.reader(io.StringIO(text)))) - 1, 0)
    assert len(frame) == data_rows


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from([*PIPELINES["features"][0]["properties"], "geometry", "type"]), value=JSON_VALUES)
def test_arbitrary_pipeline_value_never_crashes_or_drops(tmp_path: Path, key: str, value: Any) -> None:
    doc = json.loads(json.dumps(PIPELINES))
    feature = doc["features"][1]
    if key in ("geometry", "type"):
        feature[key] = value
    else:
        feature["properties"][key] = value
    path = tmp_path / "pipelines.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        frame = kzviz.load_pipelines(path)
    except DataError:
        return
    assert len(frame) == len(doc["features"])
    if key not in ("geometry", "type"):
        _json_loaded_exactly(frame[key].iloc[1], json.loads(json.dumps(value)))


# --- hostile input ----------------------------------------------------------------

UNSAFE_CHARACTERS = st.sampled_from(
    ["\x00", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\x9f", "\u202e", "\u2066", "\ufffe", "\uffff", "\U0010ffff"]
)
LOOKALIKE_DIGITS = st.characters(categories=["Nd", "No", "Nl"]) | st.sampled_from(
    ["_", ".", "-", "+", "e", " ", "\xa0"]
)
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
HOSTILE_CHARACTERS = st.characters(codec="utf-8") | UNSAFE_CHARACTERS | LOOKALIKE_DIGITS | SURROGATES

HOSTILE_TEXT = st.one_of(
    st.text(alphabet=HOSTILE_CHARACTERS, max_size=30),
    st.text(alphabet=LOOKALIKE_DIGITS | st.sampled_from("0123456789"), min_size=1, max_size=8),
    st.sampled_from(["5_1.16", "\u0665\u0661", "\uff15\uff11", " 51", "51 ", "+51", "1e1", "nan", "-0", "0051.50"]),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers(9_990, 10_010).map(lambda n: "x" * n),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE_TEXT, row=st.integers(0, len(EVENTS) - 1), field=st.sampled_from(HEADER))
def test_hostile_csv_cell_loads_exactly_or_raises(tmp_path: Path, text: str, row: int, field: str) -> None:
    rows = [dict(r) for r in EVENTS]
    rows[row][field] = text
    path = _write(tmp_path / "events.csv", rows)
    try:
        frame = kzviz.load_events(path)
    except DataError:
        return
    _event_loaded_exactly(frame, rows, row, field)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


JSON_FRAGMENTS = st.one_of(
    st.text(alphabet=HOSTILE_CHARACTERS, max_size=20).map(json.dumps),
    st.text(alphabet=LOOKALIKE_DIGITS | st.sampled_from("0123456789"), min_size=1, max_size=8).map(json.dumps),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers(1, 400).map(lambda n: "-0." + "0" * n + "1"),
    st.floats(allow_nan=False).map(json.dumps),
    st.integers(-(10**40), 10**40).map(str),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "5e-324", "-0", "-0.0", "1E3"]),
    st.sampled_from(["true", "false", "null", '"51.1"', '"true"', '"1992"', "[]", "{}", '{"a": 1, "a": 2}']),
    st.sampled_from([1, 18, 19, 20, 21, 1_000, 100_000]).map(_nested),
)
"""Raw JSON text for one value, including what Python's json accepts but JSON does not."""

PROPERTY_KEYS = list(PIPELINES["features"][0]["properties"])


def _json_loaded_exactly(loaded: Any, written: Any) -> None:
    """Assert a loaded frame value is exactly the JSON value written, with its JSON type."""
    if written is None:
        assert loaded is None or pd.isna(loaded)
    elif isinstance(written, bool):
        assert isinstance(loaded, bool | np.bool_)
        assert bool(loaded) is written
    elif isinstance(written, int | float):
        assert not isinstance(loaded, bool | np.bool_ | str)
        assert math.isfinite(loaded)
        assert loaded == written
    elif isinstance(written, str):
        assert isinstance(loaded, str)
        assert loaded == written
    else:
        assert isinstance(written, list), written
        assert isinstance(loaded, tuple)
        assert len(loaded) == len(written)
        for item, original in zip(loaded, written, strict=True):
            _json_loaded_exactly(item, original)


def _pipelines_with(tmp_path: Path, doc: dict[str, Any], fragment: str) -> Path:
    """Write `doc` with its one "__HOLE__" string replaced by the raw JSON `fragment`."""
    text = json.dumps(doc)
    assert text.count('"__HOLE__"') == 1
    path = tmp_path / "pipelines.geojson"
    path.write_text(text.replace('"__HOLE__"', fragment), encoding="utf-8")
    return path


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(PROPERTY_KEYS), fragment=JSON_FRAGMENTS)
def test_hostile_json_property_loads_exactly_or_raises(tmp_path: Path, key: str, fragment: str) -> None:
    doc = json.loads(json.dumps(PIPELINES))
    doc["features"][1]["properties"][key] = "__HOLE__"
    path = _pipelines_with(tmp_path, doc, fragment)
    try:
        frame = kzviz.load_pipelines(path)
    except DataError:
        return
    assert len(frame) == len(doc["features"])
    _json_loaded_exactly(frame[key].iloc[1], json.loads(fragment))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(vertex=st.integers(0, 5), axis=st.integers(0, 1), fragment=JSON_FRAGMENTS)
def test_hostile_json_coordinate_loads_exactly_or_raises(tmp_path: Path, vertex: int, axis: int, fragment: str) -> None:
    doc = json.loads(json.dumps(PIPELINES))
    doc["features"][0]["geometry"]["coordinates"][vertex][axis] = "__HOLE__"
    path = _pipelines_with(tmp_path, doc, fragment)
    try:
        frame = kzviz.load_pipelines(path)
    except DataError:
        return
    written = json.loads(fragment)
    assert isinstance(written, int | float)
    assert not isinstance(written, bool)
    assert frame.geometry.iloc[0].coords[vertex][axis] == written


OBJECT_PATHS: list[tuple[str | int, ...]] = [
    (),
    ("features", 0),
    ("features", 0, "properties"),
    ("features", 1, "geometry"),
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.sampled_from(OBJECT_PATHS), data=st.data(), fragment=JSON_FRAGMENTS)
def test_repeated_key_anywhere_is_refused(
    tmp_path: Path, where: tuple[str | int, ...], data: st.DataObject, fragment: str
) -> None:
    doc = json.loads(json.dumps(PIPELINES))
    obj: Any = doc
    for step in where:
        obj = obj[step]
    key = data.draw(st.sampled_from(sorted(obj)))
    obj["__DUP__"] = "__HOLE__"
    text = json.dumps(doc).replace('"__DUP__"', json.dumps(key)).replace('"__HOLE__"', fragment)
    path = tmp_path / "pipelines.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        kzviz.load_pipelines(path)
    too_deep = [p for p in info.value.problems if p.where.startswith("line ")]
    repeats = [p for p in info.value.problems if p.message.startswith("is repeated") and p.field.endswith(key)]
    assert too_deep or repeats, str(info.value)
