"""Map builders without a browser: determinism, escaping, the year shown and layering rules."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import folium
import pytest

import kzviz
from kzviz import maps, palette
from kzviz._html import link, popup_html, sources_html
from kzviz.maps import layers
from kzviz.maps._base import script_json

PACKAGE = Path(kzviz.__file__).parent


def test_same_input_gives_identical_html(frames: dict[str, Any]) -> None:
    first = maps.map_html(maps.atlas(**frames, year=2015))
    second = maps.map_html(maps.atlas(**frames, year=2015))
    assert first == second
    assert maps.map_html(maps.atlas(**frames, year=2016)) != first
    ids = re.findall(r"_([0-9a-f]{32})\b", first)
    assert ids
    assert all(int(i, 16) < 2**41 for i in ids)  # counter-based, never os.urandom


def test_rendering_twice_does_not_grow(frames: dict[str, Any]) -> None:
    m = maps.summit_map(frames["events"])
    once = maps.map_html(m)
    assert maps.map_html(m) == once
    assert m._repr_html_() == m._repr_html_()


def test_other_folium_maps_keep_random_ids() -> None:
    a, b = folium.Map(), folium.Map()
    assert a.get_name() != b.get_name()
    with maps.stable_ids():
        c = folium.Map()
    with maps.stable_ids():
        d = folium.Map()
    assert c.get_name() == d.get_name()


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


def test_split_sea_leg() -> None:
    coords = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0), (3.0, 0.0)]
    parts = layers.split_sea_leg(coords, ["a", "b", "c", "d"], ("b", "c"))
    assert [(len(p), sea) for p, sea in parts] == [(2, False), (2, True), (2, False)]
    assert layers.split_sea_leg(coords, ["a", "b", "c", "d"], None) == [([list(c) for c in coords], False)]
    tail = layers.split_sea_leg(coords, ["a", "b", "c", "d"], ("c", "d"))
    assert [sea for _, sea in tail] == [False, True]


def test_pipeline_layer_year(frames: dict[str, Any]) -> None:
    def routes(year: int) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for f in layers.pipeline_layer(frames["pipelines"], year=year).features:
            out.setdefault(f["properties"]["route"], set()).add(f["properties"]["style"]["dashArray"] or "solid")
        return out

    assert "btc" not in routes(1995)
    assert routes(2004)["btc"] == {palette.STATUS_STYLES["under_construction"]["dashArray"]}
    assert routes(2010)["btc"] == {"solid"}
    assert routes(2022)["trans-caspian-oil"] >= {palette.SEA_LEG_DASH}  # the sea leg is dash-dot
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


def test_maps_never_read_files() -> None:
    for path in sorted((PACKAGE / "maps").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert "kzviz.datasets" not in imported, path.name
        calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
        assert not calls & {"read_csv", "read_text", "read_file", "open"}, path.name
