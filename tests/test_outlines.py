"""Country outlines: derived reproducibly from Natural Earth, loaded strictly, drawn beneath every map."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from shapely.geometry import Point

import kzviz
from kzviz import DataError, maps
from kzviz.maps.picture import shown_layers
from tests.conftest import ROOT, dump_json, load_json

SHIPPED = ROOT / "data" / "country_outlines.geojson"
FIXTURE = Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres"
SIMFEROPOL = Point(34.1, 45.0)


def test_the_shipped_file_is_what_the_script_derives_from_natural_earth(tmp_path: Path) -> None:
    out = tmp_path / "outlines.geojson"
    script = ROOT / "scripts" / "derive_country_outlines.py"
    subprocess.run([sys.executable, str(script), str(FIXTURE), "--output", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_crimea_is_drawn_as_ukraine_and_marked_disputed_from_2014() -> None:
    outlines = kzviz.load_country_outlines().set_index("id")
    assert outlines.loc["ukraine", "geometry"].contains(SIMFEROPOL)
    assert not outlines.loc["russia", "geometry"].contains(SIMFEROPOL)
    crimea = outlines.loc["crimea"]
    assert (crimea["kind"], crimea["start_year"]) == ("disputed", 2014)
    assert "68/262" in crimea["note"]
    assert outlines.loc["ukraine", "geometry"].contains(crimea["geometry"].representative_point())
    others = outlines[outlines["kind"] == "country"].drop(index="ukraine")
    assert not others.intersects(SIMFEROPOL).any()


def test_the_outlines_cover_the_story() -> None:
    outlines = kzviz.load_country_outlines()
    assert outlines.crs.to_epsg() == 4326
    assert outlines["id"].is_unique
    land = outlines[outlines["kind"] == "country"].union_all()
    events = kzviz.load_events()
    places = [Point(lon, lat) for lon, lat in zip(events["lon"], events["lat"], strict=True)]
    # every meeting place is on land or within 50 km of it (ports, coasts)
    assert [p for p in places if land.distance(p) > 0.5] == []


# ---------------------------------------------------------------------------
# The loader refuses every broken rule, naming file, feature, field and value
# ---------------------------------------------------------------------------

SQUARE = [[[60.0, 40.0], [70.0, 40.0], [70.0, 50.0], [60.0, 50.0], [60.0, 40.0]]]
GOOD: dict[str, Any] = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"id": "land", "name": "Land", "kind": "country", "start_year": None, "note": None},
            "geometry": {"type": "Polygon", "coordinates": SQUARE},
        },
        {
            "type": "Feature",
            "properties": {"id": "spot", "name": "Spot", "kind": "disputed", "start_year": 2014, "note": "Claimed."},
            "geometry": {"type": "MultiPolygon", "coordinates": [SQUARE]},
        },
    ],
}


def _with(tmp_path: Path, feature: int, where: str, value: Any) -> Path:
    doc = copy.deepcopy(GOOD)
    target = doc["features"][feature]
    *path, last = where.split(".")
    for key in path:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return dump_json(tmp_path / "outlines.geojson", doc)


def test_the_good_example_loads(tmp_path: Path) -> None:
    outlines = kzviz.load_country_outlines(dump_json(tmp_path / "outlines.geojson", GOOD))
    assert list(outlines["id"]) == ["land", "spot"]
    assert list(outlines.geometry.geom_type) == ["Polygon", "MultiPolygon"]


OPEN_RING = [[[60.0, 40.0], [70.0, 40.0], [70.0, 50.0], [60.0, 50.0]]]
BOWTIE = [[[60.0, 40.0], [70.0, 50.0], [70.0, 40.0], [60.0, 50.0], [60.0, 40.0]]]
CASES: list[tuple[int, str, Any, str]] = [
    (0, "properties.colour", "red", r"feature 1 \(id 'land'\): 'colour' is not a property of this dataset"),
    (0, "properties.kind", "island", r"feature 1 \(id 'land'\): 'kind' must be one of country, disputed, got 'island'"),
    (0, "properties.start_year", 1989, r"'start_year' must be between 1991 and 2022, got 1989"),
    (0, "properties.start_year", "2014", r"'start_year' must be a whole number \(a JSON number, not text\)"),
    (1, "properties.note", None, r"feature 2 \(id 'spot'\): 'note' is required when kind is 'disputed'"),
    (0, "properties.name", "", r"'name' must not be blank, got ''"),
    (0, "geometry.type", "LineString", r"feature 1 \(id 'land'\): 'geometry' must be a Polygon or MultiPolygon"),
    (0, "geometry", None, r"'geometry' must be a Polygon or MultiPolygon, got None"),
    (0, "geometry.coordinates", OPEN_RING, r"'geometry' ring 0 must end at the vertex it starts at"),
    (0, "geometry.coordinates", [SQUARE[0][:3]], r"'geometry' ring 0 must be a list of at least 4 vertices"),
    (
        0,
        "geometry.coordinates",
        [[[60.0, 40.0], [190.0, 40.0], [70.0, 50.0], [60.0, 40.0]]],
        r"'geometry' ring 0 vertex 1 must be \[lon, lat\] within range, got \[190.0, 40.0\]",
    ),
    (0, "geometry.coordinates", BOWTIE, r"'geometry' must be a valid Polygon \(Self-intersection"),
    (1, "geometry.coordinates", [], r"feature 2 \(id 'spot'\): 'geometry' must have at least one polygon"),
    (1, "geometry.coordinates", [SQUARE, "x"], r"'geometry' polygon 1 must be a list of rings, got 'x'"),
    (0, "geometry.bbox", [60, 40, 70, 50], r"'geometry.bbox' is not a member kzviz reads"),
]


@pytest.mark.parametrize(("feature", "where", "value", "message"), CASES, ids=[c[3][:40] for c in CASES])
def test_outline_rule(tmp_path: Path, feature: int, where: str, value: Any, message: str) -> None:
    with pytest.raises(DataError, match=rf"outlines\.geojson .*{message}"):
        kzviz.load_country_outlines(_with(tmp_path, feature, where, value))


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    doc = copy.deepcopy(GOOD)
    doc["features"][0]["geometry"]["coordinates"] = OPEN_RING
    doc["features"][1]["properties"]["kind"] = "island"
    doc["features"][1]["properties"]["id"] = "land"
    with pytest.raises(DataError) as caught:
        kzviz.load_country_outlines(dump_json(tmp_path / "outlines.geojson", doc))
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["geometry", "id", "kind"]
    assert all(p.file == "outlines.geojson" for p in caught.value.problems)


def test_the_shipped_file_follows_the_rules_a_copy_is_checked_by() -> None:
    doc = load_json(SHIPPED)
    assert {f["geometry"]["type"] for f in doc["features"]} == {"Polygon", "MultiPolygon"}
    assert len(kzviz.load_country_outlines()) == len(doc["features"])


# ---------------------------------------------------------------------------
# Drawn beneath every map
# ---------------------------------------------------------------------------


def _outline_layer(m: Any) -> Any:
    (layer,) = [layer for layer in shown_layers(m) if layer.name == "Country outlines"]
    return layer


def test_every_builder_draws_the_outlines_first(frames: dict[str, Any]) -> None:
    built = [
        maps.pipeline_map(frames["pipelines"], frames["sites"], outlines=frames["outlines"]),
        maps.corridor_map(frames["corridors"], frames["nodes"], outlines=frames["outlines"]),
        maps.summit_map(frames["events"], outlines=frames["outlines"]),
        maps.atlas(**frames),
        maps.timeline_map(**frames),
    ]
    for m in built:
        assert shown_layers(m)[0].name == "Country outlines"
        html = maps.map_html(m)
        assert 'createPane("kz-outlines")' in html
        assert '"Country outlines"' not in html  # not in the layer control: nothing to toggle online
        assert '"Country outlines: Natural Earth"' in html  # credited in the attribution line
    without = maps.summit_map(frames["events"])
    assert "Country outlines" not in [layer.name for layer in shown_layers(without)]


def test_outlines_lie_beneath_the_tiles_and_take_no_clicks(frames: dict[str, Any]) -> None:
    html = maps.map_html(maps.atlas(**frames))
    assert ".style.zIndex = 150;" in html  # Leaflet's tile pane is 200
    assert '.style.pointerEvents = "none";' in html
    for feature in _outline_layer(maps.atlas(**frames)).features:
        assert feature["properties"]["style"]["interactive"] is False
        assert feature["properties"]["style"]["pane"] == "kz-outlines"


@pytest.mark.parametrize(("year", "dashed"), [(2013, 0), (2014, 1), (2022, 1)])
def test_the_disputed_outline_appears_from_its_start_year(frames: dict[str, Any], year: int, dashed: int) -> None:
    layer = _outline_layer(
        maps.pipeline_map(frames["pipelines"], frames["sites"], year=year, outlines=frames["outlines"])
    )
    styles = [feature["properties"]["style"] for feature in layer.features]
    assert sum(1 for style in styles if style.get("dashArray")) == dashed
    assert styles[0]["fillOpacity"] == 1.0  # the land, in one feature
