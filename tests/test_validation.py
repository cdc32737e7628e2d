"""One bad input per rule: each must raise DataError naming file, record, field and value."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kzviz
from kzviz import DataError
from tests.conftest import INPUT, dump_json, load_json, read_rows, write_rows

EVENTS = read_rows(INPUT / "events.csv")
FIRST = EVENTS[0]["id"]


def _events_with(tmp_path: Path, row: int, **changes: str) -> Path:
    rows = [dict(r) for r in EVENTS]
    rows[row].update(changes)
    return write_rows(tmp_path / "events.csv", rows)


EVENT_CASES: list[tuple[dict[str, str], str]] = [
    ({"date": "2013-13-07"}, r"'date' is not a real calendar date, got '2013-13-07'"),
    ({"date": "2013-02-30"}, r"'date' is not a real calendar date, got '2013-02-30'"),
    ({"date": "7 Sep 2013"}, r"'date' must be YYYY-MM-DD to match date_precision 'day', got '7 Sep 2013'"),
    ({"date": "2013-09"}, r"'date' must be YYYY-MM-DD to match date_precision 'day', got '2013-09'"),
    ({"date": "1989-06-01"}, r"'date' must fall within 1991-01-01 to 2022-12-31, got '1989-06-01'"),
    ({"date": "2023", "date_precision": "year"}, r"'date' must fall within .*, got '2023'"),
    ({"date_precision": "week"}, r"'date_precision' must be one of day, month, year, got 'week'"),
    ({"category": "sports"}, r"'category' must be one of membership, .*, got 'sports'"),
    ({"kind": "party"}, r"'kind' must be one of summit, .*, got 'party'"),
    ({"actors": "Russia;Mars"}, r"'actors' has unknown value\(s\) \['Mars'\].*, got 'Russia;Mars'"),
    ({"actors": "Russia;Russia"}, r"'actors' repeats a value, got 'Russia;Russia'"),
    ({"lat": "95"}, r"'lat' must be in \[-90.0, 90.0\], got '95'"),
    ({"lon": "east"}, r"'lon' must be a number, got 'east'"),
    ({"lat": "0", "lon": "0"}, r"'lat/lon' is 0,0, which is not a place in this story, got \(0.0, 0.0\)"),
    (
        {"source_url": "www.example.org/page"},
        r"'source_url' must be an absolute http\(s\) URL, got 'www.example.org/page'",
    ),
    ({"source_url": "javascript:alert(1)"}, r"'source_url' must be an absolute http\(s\) URL"),
    ({"title": ""}, r"'title' is required, got ''"),
    ({"title": " padded"}, r"'title' must not start or end with whitespace, got ' padded'"),
    ({"id": "Bad Id"}, r"'id' must be lowercase letters, digits and single hyphens, got 'Bad Id'"),
]


@pytest.mark.parametrize(("changes", "message"), EVENT_CASES, ids=[m[:30] for _, m in EVENT_CASES])
def test_event_rule(tmp_path: Path, changes: dict[str, str], message: str) -> None:
    path = _events_with(tmp_path, 0, **changes)
    with pytest.raises(DataError, match=rf"events\.csv row 1 .*{message}"):
        kzviz.load_events(path)


def test_duplicate_id_names_both_rows(tmp_path: Path) -> None:
    path = _events_with(tmp_path, 2, id=FIRST)
    with pytest.raises(DataError, match=rf"row 3 \(id '{FIRST}'\): 'id' repeats the value of row 1"):
        kzviz.load_events(path)


def test_duplicate_event_same_date_and_title(tmp_path: Path) -> None:
    rows = [dict(r) for r in EVENTS]
    twin = dict(rows[0], id="ev-1991-twin", title=rows[0]["title"].upper())
    path = write_rows(tmp_path / "events.csv", [*rows, twin])
    with pytest.raises(DataError, match=r"row 4 \(id 'ev-1991-twin'\): 'title' duplicates the event in row 1"):
        kzviz.load_events(path)


def test_missing_column(tmp_path: Path) -> None:
    header = [c for c in EVENTS[0] if c != "summary"]
    path = write_rows(tmp_path / "events.csv", EVENTS, header)
    with pytest.raises(DataError, match=r"events\.csv header: 'summary' is a required column but is missing"):
        kzviz.load_events(path)


def test_ragged_row_is_reported_not_dropped(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "events.csv", EVENTS)
    path.write_text(path.read_text(encoding="utf-8") + "ev-2000-x,2000\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        kzviz.load_events(path)
    text = str(info.value)
    assert "row 4 (id 'ev-2000-x'): 'row' must have 14 cells like the header, got 2" in text
    assert "row 4 (id 'ev-2000-x'): 'date_precision' is required" in text


def test_blank_line_is_reported(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "events.csv", EVENTS)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines[:2], "", *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2: 'row' is empty; remove blank lines"):
        kzviz.load_events(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes((INPUT / "events.csv").read_bytes() + "Almaty, Kazakhstan\n".encode("cp1251") + b"\xff\n")
    with pytest.raises(DataError, match=r"events\.csv byte \d+: 'file' must be UTF-8 text"):
        kzviz.load_events(path)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    rows = [dict(r) for r in EVENTS]
    rows[0]["lat"] = "91"
    rows[1]["category"] = "nope"
    rows[2]["source_url"] = "ftp://x.org/a"
    path = write_rows(tmp_path / "events.csv", rows)
    with pytest.raises(DataError, match=r"^3 problems found:") as info:
        kzviz.load_events(path)
    assert [p.field for p in info.value.problems] == ["lat", "category", "source_url"]
    assert isinstance(info.value, ValueError)


# --- GeoJSON routes -------------------------------------------------------------


def _feature_edit(name: str, edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        doc = load_json(INPUT / name)
        edit(doc["features"][0])
        return dump_json(tmp_path / name, doc)

    return make


def _props(**changes: Any) -> Callable[[dict[str, Any]], None]:
    return lambda f: f["properties"].update(changes)


def _coords(fn: Callable[[list[Any]], list[Any]]) -> Callable[[dict[str, Any]], None]:
    def edit(f: dict[str, Any]) -> None:
        f["geometry"]["coordinates"] = fn(f["geometry"]["coordinates"])

    return edit


def _straight(f: dict[str, Any]) -> None:
    c = f["geometry"]["coordinates"]
    f["geometry"]["coordinates"] = [c[0], c[-1]]
    f["properties"]["waypoints"] = f["properties"]["waypoints"][:1] + f["properties"]["waypoints"][-1:]


ROUTE_CASES: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("pipelines.geojson", _props(commodity="water"), r"'commodity' must be one of oil, gas, got 'water'"),
    ("pipelines.geojson", _props(market="moon"), r"'market' must be one of russia, china, west, domestic"),
    (
        "pipelines.geojson",
        _props(first_year=1990, construction_start_year=1999),
        r"'first_year' must not be before construction_start_year \(1999\), got 1990",
    ),
    (
        "pipelines.geojson",
        _props(status="operating", first_year=None),
        r"'first_year' is required when status is 'operating'",
    ),
    (
        "pipelines.geojson",
        _props(status="planned"),
        r"'first_year' must be empty or after 2022 when status is 'planned'",
    ),
    ("pipelines.geojson", _props(capacity=-1), r"'capacity' must be in \(0.0, 1000.0\], got -1"),
    ("pipelines.geojson", _props(capacity_unit="bbl/d"), r"'capacity_unit' must be one of Mt/yr, bcm/yr, got 'bbl/d'"),
    (
        "pipelines.geojson",
        _props(sources=["not a url"]),
        r"'sources' item 0 must be an http\(s\) URL without spaces, got \['not a url'\]",
    ),
    ("pipelines.geojson", _props(sources=[]), r"'sources' must be a list of at least 1 item\(s\), got \[\]"),
    (
        "pipelines.geojson",
        _props(geometry_approximate="yes"),
        r"'geometry_approximate' must be true or false, got 'yes'",
    ),
    ("pipelines.geojson", _straight, r"'geometry' must have at least 6 vertices, got 2"),
    (
        "pipelines.geojson",
        _coords(lambda c: [*c[:2], [200.0, 45.0], *c[3:]]),
        r"'geometry' vertex 2 must be \[lon, lat\] within range and not 0,0, got \[200.0, 45.0\]",
    ),
    (
        "pipelines.geojson",
        _coords(lambda c: [*c[:2], [0, 0], *c[3:]]),
        r"'geometry' vertex 2 must be \[lon, lat\] within range and not 0,0, got \[0, 0\]",
    ),
    ("pipelines.geojson", _coords(lambda c: [*c[:-1], c[-2]]), r"'geometry' must not repeat a vertex back to back"),
    ("pipelines.geojson", lambda f: f.update(geometry=None), r"'geometry' must be a LineString, got None"),
    (
        "pipelines.geojson",
        lambda f: f["geometry"].update(type="Point"),
        r"'geometry' must be a LineString, got 'Point'",
    ),
    (
        "pipelines.geojson",
        _props(waypoints=["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q"]),
        r"'waypoints' must name each of the \d+ vertices in order, got 17",
    ),
    (
        "pipelines.geojson",
        _props(sea_leg=["Nowhere", "Elsewhere"]),
        r"'sea_leg' must name two of the feature's waypoints",
    ),
    (
        "corridors.geojson",
        _props(mode="hyperloop"),
        r"'mode' must be one of rail, road, sea, multimodal, got 'hyperloop'",
    ),
    ("corridors.geojson", _props(opened_year="soon"), r"'opened_year' must be a whole number, got 'soon'"),
    ("corridors.geojson", _props(opened_year=1850), r"'opened_year' must be between 1950 and 2040, got 1850"),
    ("corridors.geojson", _props(mode="sea", sea_leg=None), r"'sea_leg' is required when mode is 'sea'"),
]


@pytest.mark.parametrize(("name", "edit", "message"), ROUTE_CASES, ids=[f"{n[:4]}-{m[:28]}" for n, _, m in ROUTE_CASES])
def test_route_rule(tmp_path: Path, name: str, edit: Callable[[dict[str, Any]], None], message: str) -> None:
    path = _feature_edit(name, edit)(tmp_path)
    loader = kzviz.load_pipelines if name.startswith("pipelines") else kzviz.load_corridors
    with pytest.raises(DataError, match=rf"{re.escape(name)} feature 1 \(id '[a-z0-9-]+'\): {message}"):
        loader(path)


def test_route_file_not_a_feature_collection(tmp_path: Path) -> None:
    path = dump_json(tmp_path / "pipelines.geojson", {"type": "Feature"})
    with pytest.raises(
        DataError, match=r"pipelines\.geojson top level: 'type' must be 'FeatureCollection', got 'Feature'"
    ):
        kzviz.load_pipelines(path)


def test_route_file_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "corridors.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(DataError, match=r"corridors\.geojson line 1: 'file' is not valid JSON"):
        kzviz.load_corridors(path)


# --- other tables ----------------------------------------------------------------

TABLE_CASES: list[tuple[str, Callable[..., Any], dict[str, str], str]] = [
    ("figures.csv", kzviz.load_figures, {"metric": "gdp"}, r"'metric' must be one of .*, got 'gdp'"),
    (
        "figures.csv",
        kzviz.load_figures,
        {"period_start_year": "2021", "period_end_year": "2019"},
        r"'period_end_year' must not be before period_start_year \(2021\), got 2019",
    ),
    ("figures.csv", kzviz.load_figures, {"value": "about 40"}, r"'value' must be a number, got 'about 40'"),
    ("figures.csv", kzviz.load_figures, {"unit": "roubles"}, r"'unit' must be one of .*, got 'roubles'"),
    (
        "figures.csv",
        kzviz.load_figures,
        {"qualifier": "maybe"},
        r"'qualifier' must be one of exact, about, up to, over, almost, got 'maybe'",
    ),
    (
        "corridor_nodes.csv",
        kzviz.load_corridor_nodes,
        {"node_type": "airport"},
        r"'node_type' must be one of .*, got 'airport'",
    ),
    ("corridor_nodes.csv", kzviz.load_corridor_nodes, {"lon": "181"}, r"'lon' must be in \[-180.0, 180.0\], got '181'"),
    ("energy_sites.csv", kzviz.load_energy_sites, {"site_type": "mine"}, r"'site_type' must be one of .*, got 'mine'"),
    ("energy_sites.csv", kzviz.load_energy_sites, {"source_url": ""}, r"'source_url' is required, got ''"),
]


@pytest.mark.parametrize(
    ("name", "loader", "changes", "message"), TABLE_CASES, ids=[f"{n[:6]}-{m[:24]}" for n, _, _, m in TABLE_CASES]
)
def test_table_rule(
    tmp_path: Path, name: str, loader: Callable[..., Any], changes: dict[str, str], message: str
) -> None:
    rows = read_rows(INPUT / name)
    rows[0].update(changes)
    path = write_rows(tmp_path / name, rows)
    with pytest.raises(DataError, match=rf"{re.escape(name)} row 1 \(id '[a-z0-9-]+'\): {message}"):
        loader(path)


@pytest.mark.parametrize(
    ("name", "loader"),
    [
        ("events.csv", kzviz.load_events),
        ("figures.csv", kzviz.load_figures),
        ("corridor_nodes.csv", kzviz.load_corridor_nodes),
        ("energy_sites.csv", kzviz.load_energy_sites),
        ("pipelines.geojson", kzviz.load_pipelines),
        ("corridors.geojson", kzviz.load_corridors),
    ],
)
def test_valid_inputs_load_whole(name: str, loader: Callable[..., Any]) -> None:
    frame = loader(INPUT / name)
    if name.endswith(".csv"):
        assert len(frame) == len(read_rows(INPUT / name))
    else:
        assert len(frame) == len(load_json(INPUT / name)["features"])
