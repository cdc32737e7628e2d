"""What the map builders and layers take: frames with what they draw, and a reader's own map settings.

A frame that lacks a column the map reads is refused before anything is
drawn, with a message naming the function, the argument and the column (not
a ``KeyError`` deep inside). The columns each map reads are written out here,
independently of the code: every one of them must be named when it is
missing, and a frame cut down to exactly these columns must still draw.
"""

from __future__ import annotations

import html
import inspect
import re
import warnings
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest

from kzviz import maps
from kzviz.maps import layers

READS: dict[str, tuple[str, ...]] = {
    "pipelines": (
        *("id", "name", "commodity", "from_place", "to_place", "market", "operator", "owners", "announced_year"),
        *("construction_start_year", "first_year", "length_km", "capacity", "capacity_unit", "description"),
        *("certainty_note", "places", "geometry_approximate", "kazakhstan_vertices", "sea_vertices"),
        *("geometry_licence", "geometry_attribution", "sources", "geometry"),
    ),
    "sites": (
        *("id", "name", "site_type", "country", "lat", "lon", "source_url", "source_title", "description"),
        "certainty_note",
    ),
    "corridors": (
        *("id", "corridor", "name", "mode", "opened_year", "description", "certainty_note", "places"),
        *("geometry_approximate", "kazakhstan_vertices", "sea_vertices", "sources", "geometry"),
    ),
    "nodes": (
        *("id", "name", "node_type", "country", "opened_year", "lat", "lon", "source_url", "source_title"),
        *("description", "certainty_note"),
    ),
    "meetings": (
        "id",
        "date",
        "title",
        "kind",
        "place_name",
        "lat",
        "lon",
        "source_url",
        "date_start",
        "year",
        "partners",
    ),
    "events": (
        *("id", "date", "title", "summary", "category", "place_name", "lat", "lon", "source_url", "source_title"),
        *("year", "partners"),
    ),
    "outlines": ("kind", "start_year", "geometry"),
}
"""The columns the maps read, by what is drawn from them ("meetings" are the events on a summit map)."""

BUILDERS: dict[str, dict[str, str]] = {
    "pipeline_map": {"pipelines": "pipelines", "sites": "sites", "outlines": "outlines"},
    "corridor_map": {"corridors": "corridors", "nodes": "nodes", "outlines": "outlines"},
    "summit_map": {"events": "meetings", "outlines": "outlines"},
    "atlas": {
        "events": "meetings",
        "pipelines": "pipelines",
        "sites": "sites",
        "corridors": "corridors",
        "nodes": "nodes",
        "outlines": "outlines",
    },
    "timeline_map": {
        "events": "events",
        "pipelines": "pipelines",
        "sites": "sites",
        "corridors": "corridors",
        "nodes": "nodes",
        "outlines": "outlines",
    },
}
"""Each builder's frame arguments, and what it draws from each."""

LAYERS: dict[str, tuple[str, str]] = {
    "energy_site_layer": ("sites", "sites"),
    "corridor_layer": ("corridors", "corridors"),
    "corridor_node_layer": ("nodes", "nodes"),
    "summit_layer": ("events", "meetings"),
    "courtship_layer": ("events", "meetings"),
    "event_layer": ("events", "events"),
}
"""The public layers that check their frame, with their frame argument and what they draw from it."""

LAYER_KEYS = {
    "pipeline_map": ("pipelines", "sites"),
    "corridor_map": ("corridors", "nodes"),
    "summit_map": ("summits", "courtship"),
    "atlas": ("pipelines", "sites", "corridors", "nodes", "summits", "courtship"),
    "timeline_map": ("pipelines", "sites", "corridors", "nodes", "events"),
}
"""The keys ``names=`` takes on each builder, in drawing order."""


def _without(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame.drop(columns=column)


def _call(builder: str, frames: dict[str, Any], **changed: Any) -> Any:
    arguments = {argument: frames[argument] for argument in BUILDERS[builder]}
    return getattr(maps, builder)(**{**arguments, **changed})


_BUILDER_CASES = [
    (builder, argument, column)
    for builder, arguments in BUILDERS.items()
    for argument, drawn in arguments.items()
    for column in READS[drawn]
]


@pytest.mark.parametrize(("builder", "argument", "column"), _BUILDER_CASES)
def test_a_builder_names_each_missing_column(frames: dict[str, Any], builder: str, argument: str, column: str) -> None:
    trimmed = _without(frames[argument], column)
    expected = rf"^{builder}\(\): {argument} .*'{column}'"
    with pytest.raises((TypeError, ValueError), match=expected):
        _call(builder, frames, **{argument: trimmed})


@pytest.mark.parametrize(
    ("layer", "column"), [(layer, c) for layer, (_, drawn) in LAYERS.items() for c in READS[drawn]]
)
def test_a_layer_names_each_missing_column(frames: dict[str, Any], layer: str, column: str) -> None:
    argument, _ = LAYERS[layer]
    with pytest.raises((TypeError, ValueError), match=rf"^{layer}\(\): {argument} .*'{column}'"):
        getattr(layers, layer)(_without(frames[argument], column))


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_frames_cut_to_what_is_read_still_draw(frames: dict[str, Any], builder: str) -> None:
    """The lists above are all a map needs: nothing more is read, nothing less is asked for."""
    cut = {argument: frames[argument][list(READS[drawn])] for argument, drawn in BUILDERS[builder].items()}
    for argument, frame in cut.items():
        assert list(frame.columns) != list(frames[argument].columns), f"{argument}: nothing was cut"
    m = _call(builder, frames, **cut)
    assert maps.map_html(m) == maps.map_html(_call(builder, frames))


def test_several_problems_are_named_in_one_message(frames: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"^atlas\(\): 2 problems") as raised:
        maps.atlas(
            **{**frames, "events": _without(frames["events"], "kind"), "nodes": _without(frames["nodes"], "lat")}
        )
    assert "events is missing the column(s) 'kind'" in str(raised.value)
    assert "nodes is missing the column(s) 'lat'; pass the frame from kzviz.load_corridor_nodes()" in str(raised.value)


@pytest.mark.parametrize(("builder", "argument"), [("pipeline_map", "pipelines"), ("corridor_map", "corridors")])
def test_lines_need_a_geodataframe(frames: dict[str, Any], builder: str, argument: str) -> None:
    plain = pd.DataFrame(frames[argument])
    assert not isinstance(plain, gpd.GeoDataFrame)
    with pytest.raises(TypeError, match=rf"{builder}\(\): {argument} must be a GeoDataFrame with a 'geometry' column"):
        _call(builder, frames, **{argument: plain})


def test_geometry_is_hinted_where_lines_are_drawn() -> None:
    for builder in BUILDERS:
        hints = inspect.signature(getattr(maps, builder)).parameters
        for argument in ("pipelines", "corridors"):
            if argument in hints:
                assert hints[argument].annotation == "gpd.GeoDataFrame", f"{builder}({argument})"
    assert inspect.signature(layers.corridor_layer).parameters["corridors"].annotation == "gpd.GeoDataFrame"


def test_something_that_is_not_a_frame_is_named(frames: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match=r"summit_map\(\): events must be a pandas DataFrame .*got list"):
        maps.summit_map(frames["events"].to_dict("records"))


# --------------------------------------------------------------------------- map settings


def test_unknown_settings_are_refused(frames: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match=r"summit_map\(\) got unknown keyword argument\(s\) 'hieght'; map settings are"):
        maps.summit_map(frames["events"], hieght=300)


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_names_rename_every_layer_and_refuse_unknown_keys(frames: dict[str, Any], builder: str) -> None:
    keys = LAYER_KEYS[builder]
    m = _call(builder, frames, names={key: f"Mine: {key}" for key in keys})
    names = [child.layer_name for child in m._children.values() if isinstance(child, maps.Overlay) and child.control]
    assert names == [f"Mine: {key}" for key in keys]
    page = maps.map_html(m)
    assert all(f'"Mine: {key}"' in page for key in keys)  # what the layer control lists
    listed = ", ".join(map(repr, keys))
    with pytest.raises(ValueError, match=rf"names has no layer 'routes'; this map's layers are {re.escape(listed)}$"):
        _call(builder, frames, names={"routes": "My pipelines"})


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_every_builder_documents_the_shared_settings_and_its_layer_keys(builder: str) -> None:
    doc = getattr(maps, builder).__doc__
    for setting in ("outlines :", "tiles :", "tiles_attribution :", "width, height :", "names :"):
        assert f"\n    {setting}" in doc, f"{builder} does not document {setting}"
    assert "{map_settings}" not in doc
    documented = re.findall(r'``"(\w+)"``', doc[doc.index("Layer keys:") : doc.index("Returns")])
    assert tuple(documented) == LAYER_KEYS[builder]


def _tile_call(page: str) -> str:
    start = page.find("L.tileLayer(")
    return page[start : page.index(");", start)] if start >= 0 else ""


def test_default_tiles_are_openstreetmap_and_say_so(frames: dict[str, Any]) -> None:
    m = maps.summit_map(frames["events"])
    tiles = _tile_call(maps.map_html(m))
    assert '"https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in tiles
    assert "OpenStreetMap\\u003c/a\\u003e contributors" in tiles
    assert m.base_layer.layer_name == "Base map: OpenStreetMap"


def test_named_tiles_are_labelled_and_credited_as_what_they_are(frames: dict[str, Any]) -> None:
    m = maps.summit_map(frames["events"], tiles="OpenTopoMap")
    tiles = _tile_call(maps.map_html(m))
    assert "tile.opentopomap.org" in tiles
    assert "OpenTopoMap" in tiles  # its own credit
    assert m.base_layer.layer_name == "Base map: OpenTopoMap"


def test_no_tiles(frames: dict[str, Any]) -> None:
    m = maps.summit_map(frames["events"], tiles=None, outlines=frames["outlines"])
    assert m.base_layer is None
    assert _tile_call(maps.map_html(m)) == ""


def test_own_tiles_need_a_credit_which_shows_as_written(frames: dict[str, Any]) -> None:
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    with pytest.raises(ValueError, match=r"tiles='https://tiles\.example\.org/.*pass tiles_attribution="):
        maps.summit_map(frames["events"], tiles=url)
    m = maps.summit_map(frames["events"], tiles=url, tiles_attribution='<img src=x onerror="alert(1)"> & Co')
    tiles = _tile_call(maps.map_html(m))
    assert f'"{url}"' in tiles
    shown = html.unescape(tiles.split('"attribution": ')[1].split('",')[0].encode().decode("unicode_escape"))
    assert shown == '"<img src=x onerror="alert(1)"> & Co'  # Leaflet shows the escaped text as text
    assert "<img" not in tiles.encode().decode("unicode_escape")
    assert m.base_layer.layer_name == "Base map: custom tiles"


def test_size_in_pixels_sizes_the_map_and_its_notebook_frame(frames: dict[str, Any]) -> None:
    m = maps.summit_map(frames["events"], width=600, height=400)
    page = maps.map_html(m)
    assert re.search(r"width: 600\.0px;\s*height: 400\.0px;", page)
    assert ".folium-map {max-width: 100%;}" in page  # narrower on a phone, controls in sight
    assert ".folium-map {max-width" not in maps.map_html(maps.summit_map(frames["events"]))
    notebook = m._repr_html_()
    assert 'style="position:relative;width:600px;max-width:100%;height:400px"' in notebook
    tall = maps.summit_map(frames["events"], height="700px")._repr_html_()
    assert 'style="position:relative;width:100%;height:700px"' in tall
    default = maps.summit_map(frames["events"])._repr_html_()
    assert "aspect-ratio:5/3;min-height:440px" in default


# --------------------------------------------------------------------------- the rest of the house


def test_stable_ids_warns_that_it_is_no_longer_needed() -> None:
    with pytest.warns(DeprecationWarning, match=r"stable_ids\(\) is no longer needed") as caught, maps.stable_ids():
        pass
    assert caught[0].filename == __file__  # points at the reader's own `with` line


def test_builders_do_not_use_stable_ids(frames: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for builder in BUILDERS:
            _call(builder, frames)


def test_courtship_is_empty_before_2022(frames: dict[str, Any]) -> None:
    assert layers.courtship_layer(frames["events"], year=2021).features == []
    assert layers.courtship_layer(frames["events"], year=2022).features


def test_meetings_until_keeps_meeting_kinds_up_to_the_year(frames: dict[str, Any]) -> None:
    from kzviz import vocab

    events = frames["events"]
    meetings = layers.meetings_until(events, 2005)
    assert set(meetings["kind"]) <= set(vocab.MEETING_KINDS)
    assert meetings["year"].max() <= 2005
    held = events[events["kind"].isin(vocab.MEETING_KINDS) & (events["year"] <= 2005)]
    assert list(meetings["id"]) == list(held["id"])
    assert len(held) < len(events[events["kind"].isin(vocab.MEETING_KINDS)])
