"""Map builders without a browser: determinism, escaping, the year shown and layering rules."""

from __future__ import annotations

import ast
import html
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import pandas as pd
import pytest

import kzviz
import kzviz.places
from kzviz import maps, palette
from kzviz._html import Popup, build_popup, link, source_links
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
    with pytest.warns(DeprecationWarning, match="no longer needed"), maps.stable_ids():  # harmless: restarts nothing
        pipelines = layers.pipeline_layer(frames["pipelines"], name="Routes again")
    with pytest.warns(DeprecationWarning, match="no longer needed"), maps.stable_ids():
        events = layers.event_layer(frames["events"])
    before = [child for child in m._children.values() if isinstance(child, maps.Overlay)]
    pipelines.add_to(m)
    events.add_to(m)
    after = [child for child in m._children.values() if isinstance(child, maps.Overlay)]
    assert after == [*before, pipelines, events]
    html = maps.map_html(m)
    defined = re.findall(r"var (overlay_[0-9a-f]{32}) = kzMaps\.overlay\(", html)
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
    html = build_popup("<b>t</b>", [("<k>", "<v>"), ("empty", None)], source_links(["https://a.org/"], ["<s>"])).html()
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
    assert [(p.tolist(), kz, sea) for p, kz, sea in layers.split_sections(coords, None, None)] == [
        ([list(c) for c in coords], False, False)
    ]
    whole = layers.split_sections(coords, [(0, 6)], None)
    assert [(p.tolist(), kz, sea) for p, kz, sea in whole] == [([list(c) for c in coords], True, False)]
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


# --------------------------------------------------------------------------- what a reader sees


def _popups(m: Any) -> list[str]:
    popups = [f["properties"]["popup"] for o in m._children.values() if isinstance(o, maps.Overlay) for f in o.features]
    return [popup.html() if isinstance(popup, Popup) else popup for popup in popups]


@pytest.mark.parametrize("builder", ["pipeline_map", "corridor_map", "summit_map", "atlas", "timeline_map"])
def test_popups_leave_research_notes_to_the_data_dictionary(frames: dict[str, Any], builder: str) -> None:
    m = _build(builder, frames)
    popups = "".join(_popups(m))
    notes = [
        *frames["pipelines"]["provenance_note"].dropna(),
        *frames["corridors"]["provenance_note"].dropna(),
        *frames["sites"]["provenance_note"].dropna(),
        *frames["nodes"]["provenance_note"].dropna(),
        *frames["events"]["certainty_note"].dropna(),
    ]
    assert notes
    shown = [note for note in notes if html.escape(note) in popups]
    assert not shown, f"{len(shown)} notes reach {builder}'s popups, e.g. {shown[0][:80]!r}"


def _build(builder: str, frames: dict[str, Any]) -> Any:
    wanted = {
        "pipeline_map": ("pipelines", "sites"),
        "corridor_map": ("corridors", "nodes"),
        "summit_map": ("events",),
        "atlas": ("events", "pipelines", "sites", "corridors", "nodes"),
        "timeline_map": ("events", "pipelines", "sites", "corridors", "nodes"),
    }[builder]
    return getattr(maps, builder)(**{k: frames[k] for k in wanted})


@pytest.mark.parametrize("builder", ["pipeline_map", "corridor_map", "summit_map", "atlas", "timeline_map"])
def test_every_map_has_a_title_and_a_frame_that_names_it(frames: dict[str, Any], builder: str) -> None:
    m = _build(builder, frames)
    assert m.title
    page = maps.map_html(m)
    assert f'"title":"{html.escape(m.title)}"' in page.replace("\\u0026", "&")  # the title control shows it
    notebook = m._repr_html_()
    assert f'title="{html.escape(m.title)}"' in notebook  # the iframe's accessible name
    assert "min-height:440px" in notebook  # usable on a phone


def test_titles_say_the_year(frames: dict[str, Any]) -> None:
    assert "2000" in maps.pipeline_map(frames["pipelines"], frames["sites"], year=2000).title
    assert "2012" in maps.corridor_map(frames["corridors"], frames["nodes"], year=2012).title
    assert "1999" in maps.summit_map(frames["events"], year=1999).title


def test_legend_lists_what_the_map_draws(frames: dict[str, Any]) -> None:
    def legend(m: Any) -> str:
        return next(c for c in m._children.values() if isinstance(c, maps.Legend)).html

    in_2000 = legend(maps.pipeline_map(frames["pipelines"], frames["sites"], year=2000))
    in_2022 = legend(maps.pipeline_map(frames["pipelines"], frames["sites"], year=2022))
    assert "route under construction" in in_2000
    assert "route announced" in in_2000
    assert "route under construction" not in in_2022  # every route operates by 2022
    assert "home-market routes" in in_2022  # the grey Beineu-Bozoi-Shymkent line has its row
    assert "pumping station, junction or refinery" in in_2022  # and so have the small station symbols
    assert "Year shown when the map opens" not in in_2022
    assert "Year shown when the map opens: 2006" in legend(maps.timeline_map(**frames, year=2006))


def test_status_patterns_stay_apart_at_every_width(frames: dict[str, Any]) -> None:
    dashes = {s: palette.STATUS_STYLES[s]["dashArray"] for s in ("operating", "under_construction", "announced")}
    assert len({*dashes.values(), palette.SEA_LEG_DASH}) == 4
    construction = [float(x) for x in dashes["under_construction"].split()]
    announced = [float(x) for x in dashes["announced"].split()]
    assert construction[0] >= 4 * announced[0]  # long dashes against short ticks, whatever the width
    widths = [
        layers.capacity_weight(c, u)
        for c, u in zip(frames["pipelines"]["capacity"], frames["pipelines"]["capacity_unit"], strict=True)
    ]
    assert max(widths) > construction[1]  # thick lines exist: the patterns must not depend on round caps
    for feature in layers.pipeline_layer(frames["pipelines"], year=2000).features:
        assert feature["properties"]["style"]["lineCap"] == "butt"


def test_one_style_function_per_kind_of_feature(frames: dict[str, Any]) -> None:
    road = "wewc-lianyungang-st-petersburg"

    def road_styles(overlay: Any) -> list[dict[str, Any]]:
        return [
            f["properties"]["style"]
            for f in overlay.features
            if f["properties"]["route"] == road and f["properties"]["kazakhstan"]
        ]

    on_corridor_map = road_styles(layers.corridor_layer(frames["corridors"], year=2022))
    on_timeline_map = road_styles(layers.corridor_layer(frames["corridors"]))
    assert on_corridor_map == on_timeline_map
    assert [{k: v for k, v in s.items() if k != "className"} for s in on_corridor_map] == layers.corridor_styles("road")
    assert all(s["dashArray"] is None for s in on_corridor_map)  # solid: a year control has nothing to restyle


def test_ties_are_drawn_as_ties(frames: dict[str, Any]) -> None:
    meetings = frames["events"][frames["events"]["kind"].isin(kzviz.vocab.MEETING_KINDS)]
    hosts = kzviz.places.group_by_place(meetings)
    tied = hosts[hosts["leading_partners"].map(len) > 1]
    assert len(tied) > 0
    overlay = layers.summit_layer(frames["events"])
    for place in tied.itertuples():
        feature = next(f for f in overlay.features if f["properties"]["events"] == list(place.event_ids))
        assert feature["properties"]["style"]["fillColor"] == f"url(#{maps._base.tie_id(place.leading_partners)})"
        assert "tie between" in feature["properties"]["tooltip"]
    assert set(overlay.ties) == {tuple(p) for p in tied["leading_partners"]}
    page = maps.map_html(maps.summit_map(frames["events"]))
    for group in overlay.ties:
        assert f'id="{maps._base.tie_id(group)}"' in page  # every pie has its pattern


def test_leading_partners_name_every_partner_tied_for_most() -> None:
    events = pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "date_start": pd.to_datetime(["2001-01-01", "2002-01-01", "2003-01-01"]),
            "lat": [51.0, 51.0, 51.0],
            "lon": [71.0, 71.0, 71.0],
            "place_name": ["Astana", "Astana", "Astana"],
            "partners": [("China",), ("Russia",), ("USA", "China", "Russia")],
        }
    )
    place = kzviz.places.group_by_place(events).iloc[0]
    assert place["leading_partners"] == ("Russia", "China")  # two each, in vocabulary order
    assert place["partner"] == "Russia"
    single = kzviz.places.group_by_place(events.iloc[:1]).iloc[0]
    assert single["leading_partners"] == ("China",)


def test_partner_fills_carry_a_pattern_as_well_as_a_colour() -> None:
    fills = {p: layers.partner_fill([p]) for p in kzviz.vocab.PARTNERS}
    patterned = {p for p, fill in fills.items() if fill.startswith("url(")}
    assert {"China", "USA", "EU", "multilateral"} <= patterned
    defs = maps._base.fill_patterns()
    for partner in patterned:
        assert f'id="kz-fill-{partner.lower()}"' in defs


def test_views_frame_the_features(frames: dict[str, Any]) -> None:
    overlays = [layers.summit_layer(frames["events"])]
    (_, west), (_, east) = maps.controls.feature_bounds(overlays)
    assert west < -77 < 121 < east  # Washington to Shanghai
    assert maps.controls.feature_bounds([maps.Overlay("empty", [])]) is None
    with pytest.raises(ValueError, match="at least one view"):
        maps.controls.MapSetup("A map", [])


def test_legend_explains_the_kazakh_emphasis_once(frames: dict[str, Any]) -> None:
    row = "thick in Kazakhstan, thin beyond"
    built = [
        maps.pipeline_map(frames["pipelines"], frames["sites"]),
        maps.corridor_map(frames["corridors"], frames["nodes"]),
        maps.atlas(**frames),
        maps.timeline_map(**frames),
    ]
    assert [maps.map_html(m).count(row) for m in built] == [1, 1, 1, 1]
