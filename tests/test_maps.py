"""Map builders without a browser: determinism, escaping, the year shown and layering rules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import pytest

import kzviz
from kzviz import maps
from kzviz._html import link, popup_html, sources_html
from kzviz.maps import layers
from kzviz.maps._base import script_json

PACKAGE = Path(kzviz.__file__).parent


NAME = re.compile(r"\b(\w+?)_([0-9a-f]{32})(?![0-9a-f])")


def test_same_input_gives_identical_html(frames: dict[str, Any]) -> None:
    first = maps.map_html(maps.atlas(**frames, year=2015))
    second = maps.map_html(maps.atlas(**frames, year=2015))
    assert first == second
    assert maps.map_html(maps.atlas(**frames, year=2016)) != first
    numbers = sorted({int(hex_id, 16) for _, hex_id in NAME.findall(first)})
    assert numbers == list(range(len(numbers)))  # numbered 0, 1, 2... in order of appearance, never os.urandom
    assert len(numbers) > 8


def test_rendering_twice_does_not_grow(frames: dict[str, Any]) -> None:
    m = maps.summit_map(frames["events"])
    once = maps.map_html(m)
    assert maps.map_html(m) == once
    assert m.get_root().render() == once
    assert m._repr_html_() == m._repr_html_()


def test_importing_kzviz_patches_no_folium_or_branca_class() -> None:
    code = """
import branca.element, folium, folium.map
classes = [branca.element.Element, branca.element.Figure, branca.element.MacroElement, folium.Map, folium.map.Layer]
before = [dict(vars(c)) for c in classes]
import kzviz.maps
assert [dict(vars(c)) for c in classes] == before
a, b = folium.Map(), folium.Map()
assert a.get_name() != b.get_name()
"""
    subprocess.run([sys.executable, "-c", code], check=True)


def test_overlays_built_apart_never_replace_each_other(frames: dict[str, Any]) -> None:
    m = maps.atlas(**frames)
    with maps.stable_ids():  # deprecated and harmless: no block can restart a counter any more
        pipelines = layers.pipeline_layer(frames["pipelines"], name="Routes again")
    with maps.stable_ids():
        events = layers.event_layer(frames["events"])
    before = [child for child in m._children.values() if isinstance(child, maps.Overlay)]
    pipelines.add_to(m)
    events.add_to(m)
    after = [child for child in m._children.values() if isinstance(child, maps.Overlay)]
    assert after == [*before, pipelines, events]
    html = maps.map_html(m)
    defined = re.findall(r"var (overlay_[0-9a-f]{32}) = L\.geoJSON", html)
    assert len(defined) == len(set(defined)) == len(after)


def test_every_name_the_page_uses_is_defined(frames: dict[str, Any]) -> None:
    m = maps.atlas(**frames)
    folium.Marker((43.24, 76.89), popup="a popup of the reader's own", tooltip="own marker").add_to(m)
    folium.plugins.MiniMap().add_to(m)
    html = maps.map_html(m)
    used = {f"{kind}_{hex_id}" for kind, hex_id in NAME.findall(html)}
    defined = set(re.findall(r"(?:var|let|const)\s+(\w+?_[0-9a-f]{32})(?![0-9a-f])", html))
    assert used - defined == set()
    assert {kind for kind, _ in NAME.findall(html)} >= {"marker", "popup", "overlay", "mini_map", "layer_control"}


def test_other_folium_maps_get_stable_html_too() -> None:
    def own_map() -> folium.Map:
        m = folium.Map(location=(43.2, 76.9), zoom_start=5)
        folium.Marker((43.24, 76.89), popup="Almaty").add_to(m)
        return m

    assert own_map().get_name() != own_map().get_name()  # built with branca's own random ids
    first = own_map()
    assert maps.map_html(first) == maps.map_html(own_map())
    assert maps.map_html(first) == maps.map_html(first)


def test_script_json_cannot_close_a_script() -> None:
    text = script_json({"a": "</script><!-- & \u2028"})
    assert not {"<", ">", "&"} & set(text)
    assert "\\u003c/script\\u003e" in text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://example.org/a?b=1&c=2",
            '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">https://example.org/a?b=1&amp;c=2</a>',
        ),
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("data:text/html,<b>x</b>", "data:text/html,&lt;b&gt;x&lt;/b&gt;"),
        (
            'https://x.org/"onmouseover="a',
            '<a href="https://x.org/&quot;onmouseover=&quot;a" target="_blank" rel="noopener noreferrer">https://x.org/&quot;onmouseover=&quot;a</a>',
        ),
    ],
)
def test_links_only_for_http(url: str, expected: str) -> None:
    assert link(url) == expected


def test_popup_escapes_everything() -> None:
    html = popup_html("<b>t</b>", [("<k>", "<v>"), ("empty", None)], sources_html(["https://a.org/"], ["<s>"]))
    assert "<b>" not in html
    for fragment in ("&lt;b&gt;t&lt;/b&gt;", "&lt;k&gt;", "&lt;v&gt;"):
        assert fragment in html
    assert "empty" not in html
    assert "&lt;s&gt;</a>" in html


def test_split_sections() -> None:
    coords = [(float(x), 0.0) for x in range(7)]
    parts = layers.split_sections(coords, [(1, 3)], (3, 5))
    assert [(len(p), kz, sea) for p, kz, sea in parts] == [
        (2, False, False),
        (3, True, False),
        (3, False, True),
        (2, False, False),
    ]
    assert layers.split_sections(coords, None, None) == [([list(c) for c in coords], False, False)]
    whole = layers.split_sections(coords, [(0, 6)], None)
    assert whole == [([list(c) for c in coords], True, False)]
    # a sea crossing that starts inside Kazakhstan's waters is both
    overlap = layers.split_sections(coords, [(0, 4)], (3, 6))
    assert [(kz, sea) for _, kz, sea in overlap] == [(True, False), (True, True), (False, True)]


def test_kazakh_sections_are_emphasised(frames: dict[str, Any]) -> None:
    features = layers.pipeline_layer(frames["pipelines"]).features
    cpc = [f["properties"] for f in features if f["properties"]["route"] == "cpc"]
    inside = [p["style"]["weight"] for p in cpc if p["kazakhstan"]]
    abroad = [p["style"]["weight"] for p in cpc if not p["kazakhstan"]]
    assert inside
    assert abroad
    assert min(inside) > max(abroad)
    assert all("kz-abroad" in p["style"]["className"] for p in cpc if not p["kazakhstan"])
    btc = [f["properties"] for f in features if f["properties"]["route"] == "btc"]
    assert btc
    assert not any(p["kazakhstan"] for p in btc)
    legs = layers.corridor_layer(frames["corridors"]).features
    assert {f["properties"]["kazakhstan"] for f in legs} == {True, False}


def test_popups_show_reader_text_not_provenance(frames: dict[str, Any]) -> None:
    html = maps.map_html(maps.atlas(**frames))
    for frame in (frames["pipelines"], frames["corridors"], frames["sites"], frames["nodes"]):
        for description in frame["description"]:
            assert html_escape_json(description) in html
        for note in frame["provenance_note"].dropna():
            assert html_escape_json(note) not in html


def html_escape_json(text: str) -> str:
    """Return `text` as it appears in a popup inside the map's script JSON."""
    import html as html_module
    import json

    escaped = json.dumps(html_module.escape(text, quote=True), ensure_ascii=False)[1:-1]
    return escaped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def test_pipeline_layer_credits_the_route_sources(frames: dict[str, Any]) -> None:
    overlay = layers.pipeline_layer(frames["pipelines"])
    assert overlay.attribution is not None
    for credit in ("Global Energy Monitor", "OpenStreetMap contributors", "CC BY 4.0", "ODbL 1.0"):
        assert credit in overlay.attribution
    assert "attribution" in maps.map_html(maps.pipeline_map(frames["pipelines"], frames["sites"]))
    assert layers.pipeline_layer(frames["pipelines"].iloc[0:0]).attribution is None


def test_pipeline_layer_year(frames: dict[str, Any]) -> None:
    def routes(year: int) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for f in layers.pipeline_layer(frames["pipelines"], year=year).features:
            out.setdefault(f["properties"]["route"], set()).add(f["properties"]["style"]["dashArray"] or "solid")
        return out

    assert "btc" not in routes(1995)
    assert routes(2004)["btc"] == {"8 6"}  # under construction
    assert routes(2010)["btc"] == {"solid"}
    assert routes(2022)["trans-caspian-oil"] >= {"2 7"}  # the sea leg is dotted
    assert set(routes(2022)) == set(frames["pipelines"]["id"])


def test_summit_layer_groups_cities(frames: dict[str, Any]) -> None:
    features = layers.summit_layer(frames["events"]).features
    counted = sum(len(f["properties"]["events"]) for f in features)
    meetings = frames["events"]["kind"].isin(kzviz.vocab.MEETING_KINDS).sum()
    assert counted == meetings  # every meeting appears once, none dropped
    astana = [f for f in features if f["properties"]["tooltip"].startswith("Astana")]
    assert len(astana) == 1
    early = layers.summit_layer(frames["events"], year=1995).features
    assert sum(len(f["properties"]["events"]) for f in early) < counted


def test_courtship_places(frames: dict[str, Any]) -> None:
    labels = {f["properties"]["tooltip"] for f in layers.courtship_layer(frames["events"]).features}
    for city in ("Moscow", "Saint Petersburg", "Luxembourg", "Nur-Sultan"):
        assert any(city in label for label in labels), city
    assert layers.courtship_layer(frames["events"], year=2021).features == []


def test_dry_ports_are_drawn_beneath_as_larger_rings(frames: dict[str, Any]) -> None:
    features = layers.corridor_node_layer(frames["nodes"]).features
    assert sorted(f["properties"]["id"] for f in features) == sorted(frames["nodes"]["id"])  # none dropped
    kinds = dict(zip(frames["nodes"]["id"], frames["nodes"]["node_type"], strict=True))
    order = [kinds[f["properties"]["id"]] for f in features]
    assert order[0] == "dry_port"
    assert order.index("border_crossing") > max(i for i, k in enumerate(order) if k == "dry_port")
    radius = {kinds[f["properties"]["id"]]: f["properties"]["style"]["radius"] for f in features}
    assert radius["dry_port"] > radius["border_crossing"]


@pytest.mark.parametrize("year", [1990, 2023, "2000", True])
def test_bad_year_is_rejected(frames: dict[str, Any], year: Any) -> None:
    with pytest.raises(ValueError, match=r"year must be a year from 1991 to 2022, got"):
        maps.summit_map(frames["events"], year=year)


FILE_READS = {"open", "read_bytes", "read_csv", "read_file", "read_json", "read_text", "load"}


def _file_reads(source: str) -> set[str]:
    """Return the names of the calls in `source` that read files: ``open(...)``, ``x.read_csv(...)``, ..."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            names.add(name)
    return names & FILE_READS


@pytest.mark.parametrize(
    "source",
    [
        "open('x.csv')",
        "with open(path) as f: pass",
        "io.open(path)",
        "Path('x').read_text()",
        "pd.read_csv(path)",
        "gpd.read_file(path)",
        "json.load(f)",
    ],
)
def test_the_file_read_check_sees_every_way_to_read(source: str) -> None:
    assert _file_reads(source)


def test_maps_never_read_files() -> None:
    paths = sorted((PACKAGE / "maps").glob("*.py"))
    assert len(paths) >= 5
    for path in paths:
        source = path.read_text(encoding="utf-8")
        imported = {n.module for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom) and n.module}
        assert "kzviz.datasets" not in imported, path.name
        assert _file_reads(source) == set(), path.name


def test_legend_explains_the_kazakh_emphasis_once(frames: dict[str, Any]) -> None:
    row = "thick: the part in Kazakhstan"
    built = [
        maps.pipeline_map(frames["pipelines"], frames["sites"]),
        maps.corridor_map(frames["corridors"], frames["nodes"]),
        maps.atlas(**frames),
        maps.timeline_map(**frames),
    ]
    assert [maps.map_html(m).count(row) for m in built] == [1, 1, 1, 1]
