"""One bad input per rule: each must raise DataError naming file, record, field and value."""

from __future__ import annotations

import json
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
    ({"lon": "east"}, r"'lon' must be a number like 12 or -12\.5: ASCII digits, .*, got 'east'"),
    ({"lat": "0", "lon": "0"}, r"'lat/lon' is 0,0, which is not a place in this story, got \(0.0, 0.0\)"),
    (
        {"source_url": "www.example.org/page"},
        r"'source_url' must be an absolute http\(s\) URL, got 'www.example.org/page'",
    ),
    ({"source_url": "javascript:alert(1)"}, r"'source_url' must be an absolute http\(s\) URL"),
    ({"title": ""}, r"'title' is required, got ''"),
    ({"title": " padded"}, r"'title' must not start or end with whitespace, got ' padded'"),
    ({"id": "Bad Id"}, r"'id' must be lowercase letters, digits and single hyphens, got 'Bad Id'"),
    ({"id": "ev-1991-x\n"}, r"'id' must be lowercase letters, digits and single hyphens, got 'ev-1991-x\\n'"),
    ({"date": "\u0661\u0669\u0669\u0661-08-29"}, r"'date' must be YYYY-MM-DD to match date_precision 'day'"),
    ({"date": "\uff11\uff19\uff19\uff11-08-29"}, r"'date' must be YYYY-MM-DD to match date_precision 'day'"),
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
    assert "row 4 (id 'ev-2000-x'): 'row' must have 15 cells like the header, got 2" in text
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
        r"'geometry_approximate' must be true or false \(JSON true/false, not text\), got 'yes'",
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
        _props(kazakhstan_vertices=[[0, 99]]),
        r"'kazakhstan_vertices' must name vertices of the line \(0 to \d+\), got \[0, 99\]",
    ),
    (
        "pipelines.geojson",
        _props(kazakhstan_vertices=[[0, 4], [4, 6]]),
        r"'kazakhstan_vertices' must list separate ranges in order \(neither overlapping nor touching\)",
    ),
    (
        "pipelines.geojson",
        _props(kazakhstan_vertices=[[0, True]]),
        r"'kazakhstan_vertices' item 0 must be a \[first, last\] pair of vertex indices",
    ),
    (
        "pipelines.geojson",
        _props(sea_vertices=[5, 2]),
        r"'sea_vertices' must have its first vertex index before its last, got \[5, 2\]",
    ),
    (
        "pipelines.geojson",
        _props(transport_mode="tanker"),
        r"'sea_vertices' is required when transport_mode is 'tanker'",
    ),
    (
        "pipelines.geojson",
        _props(simplify_tolerance_m=None),
        r"'simplify_tolerance_m' is required when geometry_source_ids is given",
    ),
    (
        "pipelines.geojson",
        _props(simplify_tolerance_m=5000),
        r"'simplify_tolerance_m' must be in \(0\.0, 1000\.0\], got 5000",
    ),
    (
        "pipelines.geojson",
        _props(geometry_source_ids=["X646"]),
        r"'geometry_source_ids' item 0 must be a GEM project id like P0644, got \['X646'\]",
    ),
    (
        "pipelines.geojson",
        _props(geometry_source_commit="main"),
        r"'geometry_source_commit' must be a 40-character lowercase hexadecimal git commit, got 'main'",
    ),
    (
        "pipelines.geojson",
        _props(geometry_source_ids=None),
        r"'geometry_source_commit' must be empty when geometry_source_ids is empty",
    ),
    (
        "pipelines.geojson",
        _props(
            geometry_source_ids=None, geometry_source_commit=None, simplify_tolerance_m=None, geometry_approximate=False
        ),
        r"'geometry_approximate' must be true when the line is not derived from a published route",
    ),
    (
        "pipelines.geojson",
        _props(places=["Tengiz"]),
        r"'places' must be a list of at least 2 item\(s\), got \['Tengiz'\]",
    ),
    (
        "corridors.geojson",
        _props(mode="hyperloop"),
        r"'mode' must be one of rail, road, sea, multimodal, got 'hyperloop'",
    ),
    (
        "corridors.geojson",
        _props(opened_year="soon"),
        r"'opened_year' must be a whole number \(a JSON number, not text\), got 'soon'",
    ),
    ("corridors.geojson", _props(opened_year=1850), r"'opened_year' must be between 1950 and 2040, got 1850"),
    ("corridors.geojson", _props(mode="sea", sea_vertices=None), r"'sea_vertices' is required when mode is 'sea'"),
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
    (
        "figures.csv",
        kzviz.load_figures,
        {"value": "about 40"},
        r"'value' must be a number like 12 or -12\.5.*, got 'about 40'",
    ),
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


# --- trust boundary: nothing unknown, lenient or hostile gets through ----------------

CSV_LOADERS: list[tuple[str, Callable[..., Any]]] = [
    ("events.csv", kzviz.load_events),
    ("figures.csv", kzviz.load_figures),
    ("corridor_nodes.csv", kzviz.load_corridor_nodes),
    ("energy_sites.csv", kzviz.load_energy_sites),
]


@pytest.mark.parametrize(("name", "loader"), CSV_LOADERS)
def test_extra_csv_column_is_refused(tmp_path: Path, name: str, loader: Callable[..., Any]) -> None:
    rows = [dict(r, colour="red") for r in read_rows(INPUT / name)]
    path = write_rows(tmp_path / name, rows)
    with pytest.raises(
        DataError, match=rf"{re.escape(name)} header: 'colour' is not a column of this dataset .*, got 'colour'"
    ):
        loader(path)


LENIENT_DECIMALS = ["5_1.16", "\u0665\u0661", "\uff15\uff11", " 51", "51 ", "+51", "1e1", "51.", ".5", "nan", "inf"]


@pytest.mark.parametrize("value", [*LENIENT_DECIMALS, "0x1f", "1" * 33])
def test_csv_decimal_must_be_plain_ascii(tmp_path: Path, value: str) -> None:
    path = _events_with(tmp_path, 0, lat=value)
    with pytest.raises(
        DataError,
        match=rf"events\.csv row 1 \(id '{FIRST}'\): 'lat' must be a number like 12 or -12\.5: ASCII digits, "
        rf"an optional leading minus and decimal point, at most 32 characters, got {re.escape(repr(value))}",
    ):
        kzviz.load_events(path)


@pytest.mark.parametrize("value", ["\uff12\uff10\uff12\uff10", "2_020", " 2020", "2020.0", "+2020", "9" * 5000])
def test_csv_integer_must_be_plain_ascii(tmp_path: Path, value: str) -> None:
    rows = read_rows(INPUT / "figures.csv")
    rows[0]["period_start_year"] = value
    path = write_rows(tmp_path / "figures.csv", rows)
    with pytest.raises(
        DataError,
        match=r"figures\.csv row 1 \(id '[a-z0-9-]+'\): 'period_start_year' must be a whole number like 2013: "
        r"ASCII digits and an optional leading minus, at most 32 characters, got '",
    ):
        kzviz.load_figures(path)


BAD_CHARACTERS = [
    ("a\x00b", "control character U\\+0000"),
    ("a\x07b", "control character U\\+0007"),
    ("a\tb", "control character U\\+0009"),
    ("a\nb", "control character U\\+000A"),
    ("a\x7fb", "control character U\\+007F"),
    ("a\x85b", "control character U\\+0085"),
    ("a\u202eb", "bidirectional control U\\+202E"),
    ("a\u2066b", "bidirectional control U\\+2066"),
    ("a\ufffeb", "noncharacter U\\+FFFE"),
    ("a\uffffb", "noncharacter U\\+FFFF"),
    ("a\ufdd0b", "noncharacter U\\+FDD0"),
    ("a\U0010ffffb", "noncharacter U\\+10FFFF"),
]


@pytest.mark.parametrize(("value", "what"), BAD_CHARACTERS, ids=[w for _, w in BAD_CHARACTERS])
def test_csv_text_refuses_unsafe_characters(tmp_path: Path, value: str, what: str) -> None:
    path = _events_with(tmp_path, 0, title=value)
    with pytest.raises(
        DataError,
        match=rf"events\.csv row 1 \(id '{FIRST}'\): 'title' must not contain the {what} \(character 2\), "
        rf"got {re.escape(repr(value))}",
    ):
        kzviz.load_events(path)


def test_csv_url_refuses_unsafe_characters(tmp_path: Path) -> None:
    path = _events_with(tmp_path, 1, source_url="https://example.org/a\x01b")
    with pytest.raises(DataError, match=r"row 2 \(id '[a-z0-9-]+'\): 'source_url' must not contain the control char"):
        kzviz.load_events(path)


def test_huge_csv_field_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    rows = [dict(r) for r in EVENTS]
    rows[0]["summary"] = "x" * 200_000
    rows[2]["category"] = "sports"
    path = write_rows(tmp_path / "events.csv", rows)
    with pytest.raises(DataError) as info:
        kzviz.load_events(path)
    found = [(p.where, p.field, p.message) for p in info.value.problems]
    assert found == [
        (f"row 1 (id '{FIRST}')", "summary", "must be at most 10000 characters long"),
        (f"row 3 (id '{EVENTS[2]['id']}')", "category", "must be one of " + ", ".join(kzviz.vocab.EVENT_CATEGORIES)),
    ]
    assert info.value.problems[0].value == "x" * 200_000
    assert len(str(info.value)) < 1_000, "the message shortens long values"


def test_csv_field_limit_is_restored(tmp_path: Path) -> None:
    import csv

    before = csv.field_size_limit()
    rows = [dict(r) for r in EVENTS]
    rows[0]["summary"] = "x" * 200_000
    with pytest.raises(DataError):
        kzviz.load_events(write_rows(tmp_path / "events.csv", rows))
    assert csv.field_size_limit() == before


def _raw_edit(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """Write `name` from tests/input_data as compact JSON with the first `old` replaced by `new`."""
    text = json.dumps(load_json(INPUT / name))
    assert old in text, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


FIRST_VERTEX = "[[53.42005, 46.17639]"
CPC = r"pipelines\.geojson feature 1 \(id 'cpc'\): "

RAW_JSON_CASES: list[tuple[str, str, str]] = [
    # repeated keys, at every level
    (
        '"commodity": "oil"',
        '"commodity": "oil", "commodity": "gas"',
        CPC + r"'properties\.commodity' is repeated in one JSON object; keep one, got \['oil', 'gas'\]",
    ),
    (
        '"type": "LineString"',
        '"type": "LineString", "type": "LineString"',
        CPC + r"'geometry\.type' is repeated in one JSON object; keep one, got \['LineString', 'LineString'\]",
    ),
    (
        '{"type": "Feature"',
        '{"type": "Feature", "type": "Feature"',
        CPC + r"'type' is repeated in one JSON object; keep one, got \['Feature', 'Feature'\]",
    ),
    (
        '{"type": "FeatureCollection"',
        '{"type": "FeatureCollection", "type": "FeatureCollection"',
        r"pipelines\.geojson top level: 'type' is repeated in one JSON object; keep one",
    ),
    # NaN and Infinity are not JSON numbers
    ('"capacity": 67', '"capacity": NaN', CPC + r"'capacity' must be a finite number, got NaN"),
    ('"length_km": 1511', '"length_km": Infinity', CPC + r"'length_km' must be a finite number, got Infinity"),
    (
        FIRST_VERTEX,
        "[[-Infinity, 46.17639]",
        CPC + r"'geometry' vertex 0 must be \[lon, lat\] within range and not 0,0, got \[-Infinity, 46\.17639\]",
    ),
    ('"length_km": 1511', '"length_km": 1e400', CPC + r"'length_km' is too large for a 64-bit float, got 1e400"),
    (
        '"length_km": 1511',
        '"length_km": 1e-400',
        CPC + r"'length_km' is too small for a 64-bit float \(it would read as 0\), got 1e-400",
    ),
    # numbers too long for a float or for int(): reported, not a crash
    (
        FIRST_VERTEX,
        "[[" + "9" * 400 + ", 46.17639]",
        CPC + r"'geometry' vertex 0 must be \[lon, lat\] within range and not 0,0, got \[9999",
    ),
    (FIRST_VERTEX, "[[" + "9" * 5000 + ", 46.17639]", CPC + r"'geometry' vertex 0 must be \[lon, lat\]"),
    (
        '"capacity": 67',
        '"capacity": 67.' + "0" * 40,
        CPC + r"'capacity' must be written in at most 32 characters, got 67\.0000",
    ),
    # text rules apply to JSON strings, including escapes
    ('"name": "Caspian', '"name": "\\ud800Caspian', CPC + r"'name' must not contain the lone surrogate U\+D800"),
    ('"name": "Caspian', '"name": "\\udfffCaspian', CPC + r"'name' must not contain the lone surrogate U\+DFFF"),
    ('"name": "Caspian', '"name": "\\u0000Caspian', CPC + r"'name' must not contain the control character U\+0000"),
    (
        '"places": ["Tengiz"',
        '"places": ["Ten\\u001bgiz"',
        CPC + r"'places' item 0 must not contain the control character U\+001B \(character 4\)",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), RAW_JSON_CASES, ids=[m[-40:] for _, _, m in RAW_JSON_CASES])
def test_raw_json_rule(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = _raw_edit(tmp_path, "pipelines.geojson", old, new)
    with pytest.raises(DataError, match=message):
        kzviz.load_pipelines(path)


@pytest.mark.parametrize("depth", [30, 100_000])
def test_deep_nesting_is_reported_not_a_crash(tmp_path: Path, depth: int) -> None:
    path = _raw_edit(
        tmp_path, "pipelines.geojson", '"sea_vertices": null', '"sea_vertices": ' + "[" * depth + "]" * depth
    )
    with pytest.raises(
        DataError, match=r"^1 problem found:\n  - pipelines\.geojson line 1: 'file' nests arrays and objects more than"
    ):
        kzviz.load_pipelines(path)


def test_deep_nesting_names_the_line(tmp_path: Path) -> None:
    doc = load_json(INPUT / "corridors.geojson")
    doc["features"][1]["properties"]["provenance_note"] = "__DEEP__"
    path = dump_json(tmp_path / "corridors.geojson", doc)
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("__DEEP__")].count("\n") + 1
    path.write_text(text.replace('"__DEEP__"', "[" * 50 + "]" * 50), encoding="utf-8")
    with pytest.raises(
        DataError, match=rf"corridors\.geojson line {line}: 'file' nests arrays and objects more than 20"
    ):
        kzviz.load_corridors(path)


STRICT_JSON_CASES: list[tuple[Callable[[dict[str, Any]], None], str]] = [
    (_props(colour="red"), r"'colour' is not a property of this dataset .*, got 'red'"),
    (_props(capacity="67"), r"'capacity' must be a number \(a JSON number, not text\), got '67'"),
    (_props(announced_year="1992"), r"'announced_year' must be a whole number \(a JSON number, not text\)"),
    (
        _props(geometry_approximate="true"),
        r"'geometry_approximate' must be true or false \(JSON true/false, not text\)",
    ),
    (
        _coords(lambda c: [["53.42005", "46.17639"], *c[1:]]),
        r"'geometry' vertex 0 must be \[lon, lat\] within range and not 0,0, got \['53\.42005', '46\.17639'\]",
    ),
    (_coords(lambda c: [[True, 46.17639], *c[1:]]), r"'geometry' vertex 0 must be \[lon, lat\]"),
    (lambda f: f.update(bbox=[1, 2, 3, 4]), r"'bbox' is not a member kzviz reads; remove it, got \[1, 2, 3, 4\]"),
    (lambda f: f["geometry"].update(style="red"), r"'geometry\.style' is not a member kzviz reads; remove it"),
    (lambda f: f.update(id="btc"), r"'id' of the feature must be absent or equal properties\.id 'cpc', got 'btc'"),
    (_props(places=["Tengiz field", "Atyrau\x00"]), r"'places' item 1 must not contain the control character U\+0000"),
    (
        _props(status="planned", announced_year=None, construction_start_year=None, first_year=None),
        r"'announced_year' is required when status is 'planned'",
    ),
    (
        _props(status="planned", announced_year=2030, construction_start_year=None, first_year=None),
        r"'announced_year' must be 2022 or earlier when status is 'planned', got 2030",
    ),
    (
        _props(status="planned", first_year=None),
        r"'construction_start_year' must be empty or after 2022 when status is 'planned', got 1999",
    ),
    (
        _props(status="under_construction", announced_year=None, construction_start_year=None, first_year=None),
        r"'construction_start_year' is required when status is 'under_construction'",
    ),
    (
        _props(status="under_construction", construction_start_year=2025, first_year=None),
        r"'construction_start_year' must be 2022 or earlier when status is 'under_construction', got 2025",
    ),
]


@pytest.mark.parametrize(("edit", "message"), STRICT_JSON_CASES, ids=[m[:40] for _, m in STRICT_JSON_CASES])
def test_strict_json_rule(tmp_path: Path, edit: Callable[[dict[str, Any]], None], message: str) -> None:
    path = _feature_edit("pipelines.geojson", edit)(tmp_path)
    with pytest.raises(DataError, match=CPC + message):
        kzviz.load_pipelines(path)


def test_unknown_top_level_member_is_refused(tmp_path: Path) -> None:
    doc = load_json(INPUT / "pipelines.geojson")
    doc["name"] = "pipelines"
    path = dump_json(tmp_path / "pipelines.geojson", doc)
    with pytest.raises(DataError, match=r"pipelines\.geojson top level: 'name' is not a member kzviz reads"):
        kzviz.load_pipelines(path)


WGS84_NAMES = [
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
]


@pytest.mark.parametrize("crs_name", WGS84_NAMES)
def test_wgs84_crs_member_loads(tmp_path: Path, crs_name: str) -> None:
    doc = load_json(INPUT / "pipelines.geojson")
    doc["crs"] = {"type": "name", "properties": {"name": crs_name}}
    assert len(kzviz.load_pipelines(dump_json(tmp_path / "pipelines.geojson", doc))) == len(doc["features"])


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        {"type": "name", "properties": {"name": "EPSG:4326", "extra": 1}},
        {"type": "link", "properties": {"href": "https://example.org/crs"}},
        "EPSG:4326",
        None,
    ],
)
def test_other_crs_is_refused(tmp_path: Path, crs: Any) -> None:
    doc = load_json(INPUT / "pipelines.geojson")
    doc["crs"] = crs
    path = dump_json(tmp_path / "pipelines.geojson", doc)
    with pytest.raises(DataError, match=r"pipelines\.geojson top level: 'crs' must name WGS 84 longitude/latitude"):
        kzviz.load_pipelines(path)


def test_repeated_key_in_crs_is_reported(tmp_path: Path) -> None:
    doc = load_json(INPUT / "pipelines.geojson")
    doc["crs"] = {"type": "name", "properties": {"name": "EPSG:4326"}}
    path = tmp_path / "pipelines.geojson"
    text = json.dumps(doc).replace('"name": "EPSG:4326"', '"name": "EPSG:4326", "name": "EPSG:3857"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"top level: 'crs\.properties\.name' is repeated in one JSON object"):
        kzviz.load_pipelines(path)


def test_feature_id_equal_to_property_id_loads(tmp_path: Path) -> None:
    doc = load_json(INPUT / "corridors.geojson")
    assert all(f["id"] == f["properties"]["id"] for f in doc["features"])
    assert len(kzviz.load_corridors(INPUT / "corridors.geojson")) == len(doc["features"])
    doc["features"][1]["id"] = "elsewhere"
    path = dump_json(tmp_path / "corridors.geojson", doc)
    with pytest.raises(DataError, match=r"corridors\.geojson feature 2 \(id 'kti-railway-aktau-gorgan'\): 'id' of"):
        kzviz.load_corridors(path)


def test_every_json_problem_is_listed_at_once(tmp_path: Path) -> None:
    doc = load_json(INPUT / "pipelines.geojson")
    doc["features"][0]["properties"]["colour"] = "red"
    doc["features"][1]["properties"]["name"] = "Trans\u0085Caspian"
    text = json.dumps(doc).replace('"capacity": 67', '"capacity": NaN', 1)
    path = tmp_path / "pipelines.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        kzviz.load_pipelines(path)
    assert [(p.where, p.field) for p in info.value.problems] == [
        ("feature 1 (id 'cpc')", "colour"),
        ("feature 1 (id 'cpc')", "capacity"),
        ("feature 2 (id 'trans-caspian-oil')", "name"),
    ]


def test_empty_json_string_is_blank_text_not_null(tmp_path: Path) -> None:
    path = _feature_edit("pipelines.geojson", _props(owners=""))(tmp_path)
    with pytest.raises(DataError, match=CPC + r"'owners' must not be blank, got ''"):
        kzviz.load_pipelines(path)
