"""Property tests: corrupting valid records yields DataError, never a crash or a silent drop."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
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
    buf = io.StringIO()
    writer = csv.DictWriter(buf, HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


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
    rows = [dict(r) for r in EVENTS]
    rows[row][field] = text
    path = _write(tmp_path / "events.csv", rows)
    try:
        frame = kzviz.load_events(path)
    except DataError:
        return
    assert len(frame) == len(rows)


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
