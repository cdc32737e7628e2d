"""Every map builder in headless Chromium offline, framed as a notebook shows it, at desk and phone sizes.

Each map is opened the way a reader meets it: the notebook output
(``KzMap._repr_html_``, an iframe) in a page of notebook width, at 1366 x 900
and 390 x 844. The tests check what the reader sees: features drawn, popups
inside the map and clear of the controls, every marker reachable, a legend
that fits and names every colour drawn, controls that leave the phone map
usable, a first view that holds the features, and a map usable by keyboard
alone. Screenshots of every map at both sizes land in ``tests/browser/artifacts``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from offline import LocalServer, OfflinePage
from playwright.sync_api import Frame

import kzviz
from kzviz import maps, palette
from kzviz.maps import layers
from kzviz.timeframe import route_stage

HOSTILE = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>\'"&amp;'
TEMPLATE = "KZ{{ 7*7 }}KZ {% raw %}{#3}"
"""Template syntax that must reach the reader as written (see tests/test_template_safety.py)."""

DESK = (1366, 900)
PHONE = (390, 844)
SIZES = {"desk": DESK, "phone": PHONE}

PHONE_CONTROL_SHARE = 0.30
"""Largest share of the map that the controls may cover on a phone, everything collapsed."""

NOTEBOOK_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{name}</title>
<style>body {{margin: 0; font: 15px sans-serif}} main {{max-width: 1180px; margin: 0 auto; padding: 8px 23px}}</style>
</head><body><main><p>Notebook text above the map.</p>{output}<p>Text below the map.</p></main></body></html>"""
"""A page laid out like a notebook: one output column, 23 px padding (JupyterLab's is about that)."""

BUILDERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "pipeline_map": lambda f: maps.pipeline_map(f["pipelines"], f["sites"]),
    "pipeline_map_2000": lambda f: maps.pipeline_map(f["pipelines"], f["sites"], year=2000),
    "corridor_map": lambda f: maps.corridor_map(f["corridors"], f["nodes"]),
    "summit_map": lambda f: maps.summit_map(f["events"]),
    "atlas": lambda f: maps.atlas(**f),
    "timeline_map": lambda f: maps.timeline_map(**f, year=2006),
}

_MAP = "window[document.querySelector('.folium-map').id]"
_OVERLAYS = f"{_MAP}._kz.overlays.map(o => o.group)"


@dataclass
class MapView:
    """A map open in a notebook-like page: the page, the map's frame and where the frame sits."""

    page: OfflinePage
    frame: Frame
    origin: tuple[float, float]

    def js(self, script: str, arg: Any = None) -> Any:
        """Evaluate `script` (a function expression) inside the map's frame."""
        return self.frame.evaluate(script, arg)

    def click(self, x: float, y: float) -> None:
        """Click with the mouse at frame coordinates (x, y)."""
        self.page.page.mouse.click(self.origin[0] + x, self.origin[1] + y)

    def box(self, selector: str) -> dict[str, float] | None:
        """Return the frame-relative box of the first visible element matching `selector`."""
        return self.js(  # type: ignore[no-any-return]
            """s => { const e = Array.from(document.querySelectorAll(s)).find(e => e.getClientRects().length);
                      if (!e) return null; const r = e.getBoundingClientRect();
                      return {l: r.left, t: r.top, r: r.right, b: r.bottom}; }""",
            selector,
        )


def open_map(page: OfflinePage, server: LocalServer, site: Path, name: str, m: Any, size: tuple[int, int]) -> MapView:
    """Show `m` as its notebook output in a notebook-like page at `size`; screenshot it."""
    (site / f"{name}.html").write_text(NOTEBOOK_PAGE.format(name=name, output=m._repr_html_()), encoding="utf-8")
    page.page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(server.url(f"{name}.html"))
    frame = page.page.frames[1]
    frame.wait_for_function(
        "() => window.kzMaps && document.querySelector('.kz-header') && document.querySelector('.leaflet-tile-loaded')"
    )
    iframe = page.page.locator("iframe").bounding_box()
    assert iframe is not None
    page.screenshot(f"map-{name}-{size[0]}")
    return MapView(page, frame, (iframe["x"], iframe["y"]))


def _route_ids(view: MapView, cls: str) -> set[str]:
    names = view.js(f"() => Array.from(document.querySelectorAll('path.{cls}'), e => e.getAttribute('class'))")
    return {c.split("kz-id-")[1].split()[0] for c in names}


def _count(view: MapView, selector: str) -> int:
    return int(view.js("s => document.querySelectorAll(s).length", selector))


def _centre(view: MapView, selector: str) -> dict[str, float]:
    """Frame point of the first matching SVG path that a pointer can reach there: a line's midpoint or a marker's centre."""
    return view.js(  # type: ignore[no-any-return]
        """s => { for (const el of document.querySelectorAll(s)) { const m = el.getScreenCTM();
                  let x, y; if (el.classList.contains('kz-marker')) { const b = el.getBBox(); x = b.x + b.width / 2; y = b.y + b.height / 2; }
                  else { const p = el.getPointAtLength(el.getTotalLength() / 2); x = p.x; y = p.y; }
                  const point = {x: m.a * x + m.e, y: m.d * y + m.f};
                  if (document.elementFromPoint(point.x, point.y) === el) return point; }
                  throw new Error('no ' + s + ' can be reached by the pointer'); }""",
        selector,
    )


def _popup_text(view: MapView) -> str:
    view.frame.wait_for_selector(".leaflet-popup-content", timeout=3000)
    return str(view.frame.inner_text(".leaflet-popup-content"))


def _popup_link(view: MapView) -> str:
    view.frame.wait_for_selector(".leaflet-popup-content a", timeout=3000)
    return str(view.frame.eval_on_selector(".leaflet-popup-content a", "a => a.href"))


def _toggle(view: MapView, layer_name: str, selector: str) -> None:
    before = _count(view, selector)
    assert before > 0
    label = view.frame.locator(".leaflet-control-layers-overlays label", has_text=layer_name)
    if not label.is_visible():
        view.frame.locator(".leaflet-control-layers").hover()  # a collapsed list opens under the pointer
    # Leaflet ignores clicks in the same moment the pointer enters the list (its guard for touch); a reader is slower.
    label.hover()
    view.frame.wait_for_timeout(50)
    label.locator("input").click()
    assert _count(view, selector) == 0, f"{layer_name} still drawn after unticking"
    label.locator("input").click()
    assert _count(view, selector) == before


def _expected_routes(frame: pd.DataFrame, year: int) -> set[str]:
    return set(frame.loc[route_stage(frame, year).notna(), "id"])


# --------------------------------------------------------------------------- each map


def test_pipeline_map(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    view = open_map(offline_page, local_server, site_dir, "pipelines", BUILDERS["pipeline_map"](frames), DESK)
    assert view.js("() => L.version") == "1.9.3"
    assert _route_ids(view, "kz-pipeline") == set(frames["pipelines"]["id"])
    assert _count(view, "path.kz-site") == len(frames["sites"])
    assert view.frame.is_visible(".kz-legend")
    assert view.frame.is_visible(".leaflet-control-scale")
    assert view.frame.get_attribute(".kz-fullscreen-button", "aria-label") == "Show the map full screen"
    view.frame.locator(".kz-fullscreen-button").click()
    view.frame.wait_for_function("() => document.fullscreenElement === document.querySelector('.folium-map')")
    assert view.frame.get_attribute(".kz-fullscreen-button", "aria-pressed") == "true"
    view.frame.locator(".kz-fullscreen-button").click()
    view.frame.wait_for_function("() => !document.fullscreenElement")
    assert view.frame.inner_text(".kz-title") == "Oil and gas export routes in 2022"
    point = _centre(view, "path.kz-id-cpc.kz-abroad")  # the long Russian part, clear of the Kazakh markers
    view.click(point["x"], point["y"])
    assert _popup_link(view).startswith("https://")
    assert "Caspian Pipeline" in _popup_text(view)
    view.js(f"() => {_MAP}.closePopup()")
    _toggle(view, "Export routes", "path.kz-pipeline")
    _toggle(view, "Oil and gas fields", "path.kz-site")
    offline_page.assert_clean()


def test_pipeline_map_in_1995(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    m = maps.pipeline_map(frames["pipelines"], frames["sites"], year=1995)
    view = open_map(offline_page, local_server, site_dir, "pipelines1995", m, DESK)
    expected = _expected_routes(frames["pipelines"], 1995)
    assert "btc" not in expected
    assert _route_ids(view, "kz-pipeline") == expected
    offline_page.assert_clean()


def test_corridor_map(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    view = open_map(offline_page, local_server, site_dir, "corridors", BUILDERS["corridor_map"](frames), DESK)
    assert _route_ids(view, "kz-corridor") == set(frames["corridors"]["id"])
    assert _count(view, "path.kz-node") == len(frames["nodes"])
    point = _centre(view, "path.kz-id-aktau-port")
    view.click(point["x"], point["y"])  # Kuryk's ferry port is next door: the map asks which one
    assert "Kuryk" in _popup_text(view)
    view.frame.locator(".kz-choices").get_by_role("button", name="Aktau Sea Trade Port").click()
    view.frame.wait_for_function("() => !document.querySelector('.leaflet-popup-content .kz-choices')")
    assert "Opened" in _popup_text(view)
    assert _popup_link(view).startswith("https://")
    view.js(f"() => {_MAP}.closePopup()")
    _toggle(view, "Belt and Road corridors", "path.kz-corridor")
    _toggle(view, "Border crossings and ports", "path.kz-node")
    offline_page.assert_clean()


def test_summit_map(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    events = frames["events"]
    view = open_map(offline_page, local_server, site_dir, "summits", BUILDERS["summit_map"](frames), DESK)
    places = len(layers.summit_layer(events).features)
    meetings = events[events["kind"].isin(kzviz.vocab.MEETING_KINDS)]
    assert _count(view, "path.kz-summit") == places
    assert places < len(meetings)  # cities with many meetings are one place
    assert _count(view, "path.kz-courtship") >= 4  # Moscow, St Petersburg, Luxembourg, Nur-Sultan at least
    astana = [
        f["properties"]["tooltip"]
        for f in layers.summit_layer(events).features
        if "Astana" in f["properties"]["tooltip"]
    ]
    view.js(
        f"""t => {_OVERLAYS}.forEach(g => g.eachLayer(l => {{
                 if (l.feature.properties.tooltip === t) {{ l.openPopup(); }} }}))""",
        astana[0],
    )
    items = _count(view, ".leaflet-popup-content .kz-meetings li")
    assert items == len(meetings[meetings["place_name"].str.contains("Astana|Nur-Sultan|Akmola")])
    assert _popup_link(view).startswith("https://")
    view.js(f"() => {_MAP}.closePopup()")
    _toggle(view, "Summits and visits", "path.kz-summit")
    _toggle(view, "2022 courtship", "path.kz-courtship")
    offline_page.assert_clean()


def test_atlas(offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]) -> None:
    view = open_map(offline_page, local_server, site_dir, "atlas2010", maps.atlas(**frames, year=2010), DESK)
    assert _route_ids(view, "kz-pipeline") == _expected_routes(frames["pipelines"], 2010)
    assert _route_ids(view, "kz-corridor") == _expected_routes(frames["corridors"], 2010)
    assert _count(view, "path.kz-courtship") == 0
    labels = view.frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [t.strip() for t in labels] == [
        "Export routes", "Oil and gas fields, terminals", "Belt and Road corridors",
        "Border crossings and ports", "Summits and visits", "2022 courtship",
    ]  # fmt: skip
    assert "Year shown" not in view.frame.inner_text(".kz-legend")  # only maps with a year slider say so
    offline_page.assert_clean()


# --------------------------------------------------------------------------- fitting the screen


def _controls(view: MapView) -> list[dict[str, float]]:
    """Frame boxes of the visible controls."""
    return view.js(  # type: ignore[no-any-return]
        """() => Array.from(document.querySelectorAll('.leaflet-control')).filter(e => e.getClientRects().length)
                 .map(e => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom, name: e.className}; })"""
    )


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["l"] < b["r"] - 0.5 and a["r"] > b["l"] + 0.5 and a["t"] < b["b"] - 0.5 and a["b"] > b["t"] + 0.5


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["l"] >= outer["l"] - 0.5
        and inner["r"] <= outer["r"] + 0.5
        and inner["t"] >= outer["t"] - 0.5
        and inner["b"] <= outer["b"] + 0.5
    )


_OPEN_EVERY_POPUP = f"""() => {{
    const map = {_MAP}, out = [], seen = new Set();
    map.panBy = (offset) => L.Map.prototype.panBy.call(map, offset, {{animate: false}});  // rest where the popup pans to
    {_OVERLAYS}.forEach(g => g.eachLayer(l => {{
        const p = l.feature.properties, key = p.route || p.id || p.tooltip;
        if (!l._map || !p.popup || seen.has(key)) return;
        seen.add(key);
        l.openPopup();
        const r = e => {{ const b = e.getBoundingClientRect(); return {{l: b.left, t: b.top, r: b.right, b: b.bottom}}; }};
        const box = l.getPopup().getElement();
        const controls = Array.from(document.querySelectorAll('.leaflet-control')).filter(e => e.getClientRects().length).map(r);
        out.push({{name: p.tooltip, popup: r(box), close: r(box.querySelector('.leaflet-popup-close-button')), controls}});
        map.closePopup();
    }}));
    return out;
}}"""


def _legend_colours(view: MapView) -> dict[str, set[str]]:
    """Every colour in the legend's samples (patterns resolved to their colours), by row label."""
    return {
        label: set(colours)
        for label, colours in view.js(
            """() => { const colours = v => { if (!v || v === 'none') return [];
                         const m = v.match(/url\\(["']?#([^"')]+)/); if (!m) return [v.toUpperCase()];
                         return Array.from(document.getElementById(m[1]).querySelectorAll('[fill]'), e => e.getAttribute('fill').toUpperCase())
                                .filter(c => c !== '#FFFFFF' || m[1].startsWith('kz-fill-')); };
                       return Array.from(document.querySelectorAll('.kz-legend .kz-row'), row => [row.innerText.trim(),
                         Array.from(row.querySelectorAll('svg path'), p => p.getAttribute('fill') === 'none' ? colours(p.getAttribute('stroke'))
                                                                            : colours(p.getAttribute('fill'))).flat()]); }"""
        )
    }


_DRAWN_COLOURS = """() => Array.from(document.querySelectorAll('.leaflet-map-pane path:not(.leaflet-kz-outlines-pane path)'), p => {
        const v = p.getAttribute('fill') === 'none' ? p.getAttribute('stroke') : p.getAttribute('fill');
        const m = v.match(/url\\(["']?#([^"')]+)/);
        if (!m) return [v.toUpperCase()];
        return Array.from(document.getElementById(m[1]).querySelectorAll('[fill]'), e => e.getAttribute('fill').toUpperCase())
               .filter(c => c !== '#FFFFFF' || m[1].startsWith('kz-fill-'));
    }).flat()"""


def _is_hue(colour: str) -> bool:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return max(red, green, blue) - min(red, green, blue) > 40


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_map_fits_the_screen(
    offline_page: OfflinePage,
    local_server: LocalServer,
    site_dir: Path,
    frames: dict[str, Any],
    builder: str,
    size: str,
) -> None:
    """Popups inside the map and clear of the controls, a legend that fits and names every colour drawn."""
    view = open_map(offline_page, local_server, site_dir, f"{builder}-{size}", BUILDERS[builder](frames), SIZES[size])
    whole = view.box(".folium-map")
    assert whole is not None
    phone = size == "phone"
    # collapsed on a phone, open where there is room
    assert view.js("() => document.querySelector('.kz-legend details').open") is (not phone)
    assert view.frame.is_visible(".leaflet-control-layers-toggle") is phone

    view.frame.locator(".kz-legend summary").click()  # toggle: open it if closed, and back
    if not view.js("() => document.querySelector('.kz-legend details').open"):
        view.frame.locator(".kz-legend summary").click()
    legend = view.box(".kz-legend")
    assert legend is not None
    assert _inside(legend, whole), f"legend {legend} outside the map {whole}"
    assert not [c for c in _controls(view) if "kz-legend" not in c["name"] and _overlap(c, legend)], (
        "legend covers a control"
    )
    legend_colours = _legend_colours(view)
    drawn = set(view.js(_DRAWN_COLOURS))
    named = set().union(*legend_colours.values())
    assert drawn <= named, f"colours drawn but not in the legend: {sorted(drawn - named)}"
    for colour in {c for c in named if _is_hue(c)}:
        meanings = [
            label for label, colours in legend_colours.items() if colour in colours and not label.startswith("pie")
        ]
        assert len(meanings) == 1, f"{colour} means {meanings}"
    assert ("Year shown when the map opens" in view.frame.inner_text(".kz-legend")) is (builder == "timeline_map")
    view.frame.locator(".kz-legend summary").click()

    popups = view.js(_OPEN_EVERY_POPUP)
    assert popups
    for popup in popups:
        assert _inside(popup["popup"], whole), f"{popup['name']}: popup {popup['popup']} leaves the map {whole}"
        covering = [c for c in popup["controls"] if _overlap(c, popup["popup"])]
        assert not covering, f"{popup['name']}: popup lies under {covering}"
    offline_page.assert_clean()


_UNION_SHARE = """() => {
    const map = document.querySelector('.folium-map').getBoundingClientRect();
    const boxes = Array.from(document.querySelectorAll('.leaflet-control')).filter(e => e.getClientRects().length)
        .map(e => e.getBoundingClientRect());
    let covered = 0, all = 0;
    for (let x = map.left + 1; x < map.right; x += 3) for (let y = map.top + 1; y < map.bottom; y += 3) {
        all += 1; if (boxes.some(b => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom)) covered += 1;
    }
    return covered / all;
}"""


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_controls_leave_the_phone_map_usable(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any], builder: str
) -> None:
    view = open_map(offline_page, local_server, site_dir, f"{builder}-controls", BUILDERS[builder](frames), PHONE)
    whole = view.box(".folium-map")
    assert whole is not None
    assert whole["r"] - whole["l"] >= 330  # the notebook column, less its padding
    assert whole["b"] - whole["t"] >= 400  # taller than 5:3 on a phone
    share = view.js(_UNION_SHARE)
    assert share <= PHONE_CONTROL_SHARE, f"controls cover {share:.0%} of the phone map"
    for control in _controls(view):
        assert _inside(control, whole), f"{control['name']} sticks out of the map"
    offline_page.assert_clean()


# --------------------------------------------------------------------------- first view and reach


_FEATURE_BOXES = f"""() => {{
    const out = [];
    {_OVERLAYS}.forEach(g => g.eachLayer(l => {{
        if (!l._map || !l.getElement()) return;
        const b = l.getElement().getBoundingClientRect();
        out.push({{name: l.feature.properties.tooltip, point: l instanceof L.CircleMarker, l: b.left, t: b.top, r: b.right, b: b.bottom}});
    }}));
    return out;
}}"""


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("builder", ["atlas", "summit_map", "pipeline_map", "corridor_map"])
def test_first_view_holds_every_feature(
    offline_page: OfflinePage,
    local_server: LocalServer,
    site_dir: Path,
    frames: dict[str, Any],
    builder: str,
    size: str,
) -> None:
    """The atlas opens with Washington, Beijing and all six 2022 rings in view; nothing starts under a control."""
    view = open_map(
        offline_page, local_server, site_dir, f"{builder}-view-{size}", BUILDERS[builder](frames), SIZES[size]
    )
    whole = view.box(".folium-map")
    assert whole is not None
    controls = _controls(view)
    boxes = view.js(_FEATURE_BOXES)
    for feature in boxes:
        centre = {"l": (feature["l"] + feature["r"]) / 2, "t": (feature["t"] + feature["b"]) / 2}
        centre |= {"r": centre["l"], "b": centre["t"]}
        assert _inside(feature, whole), f"{feature['name']} is not in the first view"
        if feature["point"]:
            assert not [c for c in controls if _overlap(c, centre)], f"{feature['name']} starts under a control"
    width = max(f["r"] for f in boxes) - min(f["l"] for f in boxes)
    height = max(f["b"] for f in boxes) - min(f["t"] for f in boxes)
    free = whole["r"] - whole["l"] - 2 * 54, whole["b"] - whole["t"] - 2 * 120
    assert width >= 0.5 * free[0] or height >= 0.5 * free[1], "the features fill less than half of the map"
    offline_page.assert_clean()


_MARKERS = f"""() => {{
    const out = [];
    {_OVERLAYS}.forEach((g, gi) => g.eachLayer(l => {{
        if (l._map && l instanceof L.CircleMarker && l.feature.properties.popup) out.push(L.stamp(l));
    }}));
    return out;
}}"""

_SHOW_MARKER = f"""([id, zoom]) => {{
    const map = {_MAP}; let found = null;
    map.closePopup();
    {_OVERLAYS}.forEach(g => g.eachLayer(l => {{ if (L.stamp(l) === id) found = l; }}));
    map.setView(found.getLatLng(), zoom, {{animate: false}});
    const b = found.getElement().getBoundingClientRect(), y = (b.top + b.bottom) / 2;
    const x = found.options.fill === false ? b.right - 0.5 : (b.left + b.right) / 2;  // a ring: on its line
    const probe = document.createElement('div'); probe.innerHTML = found.feature.properties.popup;
    return {{x, y, own: probe.innerHTML, tooltip: found.feature.properties.tooltip,
             onTop: document.elementFromPoint(x, y) === found.getElement()}};
}}"""


@pytest.mark.parametrize("builder", ["atlas", "corridor_map", "timeline_map"])
def test_every_marker_opens_its_own_popup(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any], builder: str
) -> None:
    """A click on each marker, at the first zoom where it is on top or from the list of a stack, opens its popup.

    The atlas stacks energy sites and corridor nodes (Kuryk, Khorgos); the
    timeline map stacks dozens of events on Astana and Almaty.
    """
    view = open_map(offline_page, local_server, site_dir, f"{builder}-reach", BUILDERS[builder](frames), DESK)
    markers = view.js(_MARKERS)
    assert len(markers) >= len(frames["nodes"])
    view.js(
        f"() => {_MAP}.eachLayer(l => {{ if (l instanceof L.TileLayer) {_MAP}.removeLayer(l); }})"
    )  # zooming needs no tiles
    chosen = 0
    for marker in markers:
        for zoom in (4, 7, 10, 13, 16):
            spot = view.js(_SHOW_MARKER, [marker, zoom])
            if spot["onTop"] or zoom == 16:
                break
        view.frame.wait_for_function("() => !document.querySelector('.leaflet-popup')")  # the last one has faded out
        view.click(spot["x"], spot["y"])
        try:
            view.frame.wait_for_selector(".leaflet-popup-content", timeout=3000)
        except Exception as error:
            raise AssertionError(f"no popup for {spot}") from error
        if view.js("() => !!document.querySelector('.leaflet-popup-content .kz-choices')"):
            chosen += 1
            view.frame.locator(".kz-choices button", has_text=_text_of(spot["tooltip"])).first.click()
            view.frame.wait_for_function("() => !document.querySelector('.leaflet-popup-content .kz-choices')")
        assert view.js("() => document.querySelector('.leaflet-popup-content').innerHTML") == spot["own"], spot[
            "tooltip"
        ]
    if builder == "timeline_map":
        assert chosen > 20  # the events stacked on Astana and Almaty are reached from their lists
    offline_page.assert_clean()


def _text_of(html_text: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


# --------------------------------------------------------------------------- keyboard


def _focus(view: MapView) -> str:
    return str(
        view.js(
            """() => { const a = document.activeElement; if (!a || a === document.body) return '';
                       return a.tagName + ' ' + (a.getAttribute('class') || '') + ' ' + (a.textContent || '').trim().slice(0, 60); }"""
        )
    )


def _tab_to(view: MapView, predicate: Callable[[str], bool], limit: int = 40) -> str:
    for _ in range(limit):
        view.page.page.keyboard.press("Tab")
        focused = _focus(view)
        if predicate(focused):
            return focused
    raise AssertionError("the keyboard never reached the control")


def test_the_summit_map_works_by_keyboard_alone(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    """Tab to the map, pan and zoom, reach the layer list and the legend, open a feature's popup from the list."""
    view = open_map(offline_page, local_server, site_dir, "summits-keyboard", BUILDERS["summit_map"](frames), PHONE)
    keys = view.page.page.keyboard
    _tab_to(view, lambda f: "folium-map" in f)
    label = view.js("() => document.activeElement.getAttribute('aria-label')")
    assert label.startswith("Map: Where Kazakhstan met its partners")
    before = view.js(f"() => [{_MAP}.getCenter().lng, {_MAP}.getZoom()]")
    keys.press("ArrowRight")
    view.frame.wait_for_function(f"lng => {_MAP}.getCenter().lng > lng", arg=before[0])
    keys.press("+")
    view.frame.wait_for_function(f"z => {_MAP}.getZoom() > z", arg=before[1])

    _tab_to(view, lambda f: "leaflet-control-layers-toggle" in f)
    keys.press("Enter")
    view.frame.wait_for_timeout(50)  # Leaflet ignores the list for a moment after it opens (see _toggle)
    _tab_to(view, lambda f: f.startswith("INPUT"))
    keys.press("Space")
    assert _count(view, "path.kz-summit") == 0  # the first layer, summits, is off
    keys.press("Space")
    assert _count(view, "path.kz-summit") > 0

    _tab_to(view, lambda f: f.startswith("SUMMARY") and "Legend" in f)
    keys.press("Enter")
    assert view.js("() => document.querySelector('.kz-legend details').open")
    keys.press("Escape")
    assert not view.js("() => document.querySelector('.kz-legend details').open")

    view.js("() => document.activeElement.blur()")
    _tab_to(view, lambda f: f.startswith("SUMMARY") and "List of features" in f)
    keys.press("Enter")
    first = _tab_to(view, lambda f: f.startswith("BUTTON") and "meeting" in f)
    keys.press("Enter")
    place = first.split(" ", 2)[2].split(":")[0]
    view.frame.wait_for_selector(".leaflet-popup-content")
    assert view.frame.inner_text(".leaflet-popup-content h4") == place
    assert view.js("() => document.activeElement.classList.contains('leaflet-popup-content')")  # read next
    keys.press("Escape")
    view.frame.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    assert "List of features" in _focus(view)  # focus comes back to the list, closed on a phone
    offline_page.assert_clean()


def test_features_are_in_the_tab_order_after_the_controls(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    view = open_map(offline_page, local_server, site_dir, "corridors-tab", BUILDERS["corridor_map"](frames), DESK)
    order = []
    for _ in range(16):
        view.page.page.keyboard.press("Tab")
        order.append(_focus(view))
    first_feature = next(i for i, f in enumerate(order) if f.startswith("path"))
    assert any("List of features" in f for f in order[:first_feature])
    assert any("Legend" in f for f in order[:first_feature])
    view.page.page.keyboard.press("Enter")  # opens the focused feature's popup and moves into it
    view.frame.wait_for_selector(".leaflet-popup-content")
    assert view.js("() => document.activeElement.classList.contains('leaflet-popup-content')")
    view.page.page.keyboard.press("Escape")
    view.frame.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    assert _focus(view).startswith("path")
    offline_page.assert_clean()


# --------------------------------------------------------------------------- styles and safety


def test_road_corridor_looks_the_same_on_every_map(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    """One style function: the road is a cased line on the corridor map and on the timeline map, in any year."""
    road = "wewc-lianyungang-st-petersburg"
    looks = []
    for name, m in (
        ("corridors-road", BUILDERS["corridor_map"](frames)),
        ("timeline-road", BUILDERS["timeline_map"](frames)),
    ):
        view = open_map(offline_page, local_server, site_dir, name, m, DESK)
        if name.startswith("timeline"):
            view.js(
                "() => { const s = document.querySelector('.kz-year'); s.value = 2020; s.dispatchEvent(new Event('input')); }"
            )
        looks.append(
            view.js(
                "id => Array.from(document.querySelectorAll('path.kz-id-' + id + ':not(.kz-abroad)'), p => [p.getAttribute('stroke'), p.getAttribute('stroke-width'), p.getAttribute('stroke-dasharray')])",
                road,
            )
        )
    assert looks[0] == looks[1]
    assert [stroke for stroke, _, _ in looks[0]] == [palette.CORRIDOR_COLOUR, palette.MODE_STYLES["road"]["centre"]]
    assert {dash for _, _, dash in looks[0]} == {None}
    offline_page.assert_clean()


def _hostile(frames: dict[str, Any]) -> dict[str, Any]:
    out = {k: v.copy() for k, v in frames.items()}
    for key, column in (
        ("events", "title"),
        ("pipelines", "name"),
        ("sites", "name"),
        ("corridors", "name"),
        ("nodes", "name"),
    ):
        out[key][column] = HOSTILE + TEMPLATE + out[key][column].astype(str)
    out["events"]["summary"] = HOSTILE
    out["events"]["place_name"] = HOSTILE + TEMPLATE + ", Nowhere"
    out["pipelines"]["sources"] = [("javascript:window.__pwned=3", *s) for s in out["pipelines"]["sources"]]
    return out


HOSTILE_TARGETS = {
    "pipeline_map": "path.kz-id-cpc.kz-abroad",
    "corridor_map": "path.kz-corridor",
    "summit_map": "path.kz-summit",
    "atlas": "path.kz-summit",
    "timeline_map": "path.kz-event",
}


@pytest.mark.parametrize("builder", sorted(HOSTILE_TARGETS))
def test_hostile_text_shows_literally_and_never_runs(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any], builder: str
) -> None:
    view = open_map(
        offline_page, local_server, site_dir, f"hostile_{builder}", BUILDERS[builder](_hostile(frames)), DESK
    )
    selector = HOSTILE_TARGETS[builder]
    view.js(
        f"s => {_OVERLAYS}.forEach(g => g.eachLayer(l => {{ if (l.getElement && l.getElement() === document.querySelector(s)) l.openPopup(); }}))",
        selector,
    )
    text = _popup_text(view)
    assert "<img src=x onerror=" in text
    assert "</script><script>" in text
    assert TEMPLATE in text
    assert _count(view, ".leaflet-popup-content img, .leaflet-popup-content script") == 0
    hrefs = view.js("() => Array.from(document.querySelectorAll('a'), a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h and h.startswith("javascript:")]
    view.js(f"() => {_MAP}.closePopup()")
    view.frame.locator(".kz-find summary").click()
    assert TEMPLATE in view.frame.inner_text(".kz-find-body")  # the list of features shows the text as written
    assert _count(view, ".kz-find-body img, .kz-label img") == 0
    view.frame.locator(".kz-find summary").click()
    point = _centre(view, selector)
    view.page.page.mouse.move(2, 2)
    view.page.page.mouse.move(view.origin[0] + point["x"], view.origin[1] + point["y"], steps=4)
    view.frame.wait_for_selector(".leaflet-tooltip", timeout=5000)
    assert "<img src=x" in view.frame.inner_text(".leaflet-tooltip")
    assert TEMPLATE in view.frame.inner_text(".leaflet-tooltip")
    assert view.js("() => window.__pwned") is None
    offline_page.assert_clean()


def test_time_slider_keeps_the_drawing_order(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    view = open_map(
        offline_page, local_server, site_dir, "timeline_order", maps.timeline_map(**frames, year=2022), DESK
    )
    drawn = "() => Array.from(document.querySelectorAll('.leaflet-map-pane path'), p => p.getAttribute('class') + p.getAttribute('d'))"
    before = view.js(drawn)
    nodes = [c.split("kz-id-")[1].split()[0] for c in before if "kz-node" in c]
    assert nodes[0] == "khorgos-gateway-dry-port"  # the larger dry port lies beneath the crossings
    for year in (1995, 2022):
        view.js(
            "y => { const s = document.querySelector('.kz-year'); s.value = y; s.dispatchEvent(new Event('input')); }",
            year,
        )
        view.frame.wait_for_function(f"document.body.getAttribute('data-kz-year') === '{year}'")
        if year == 1995:
            assert len(view.js(drawn)) < len(before)
    assert view.js(drawn) == before  # re-shown features are not drawn on top of the rest
    offline_page.assert_clean()


# --------------------------------------------------------------------------- charts on a phone


_SMALLEST_TEXT = """() => {
    const svg = document.querySelector('figure.kzviz-chart svg');
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Math.min(...Array.from(svg.querySelectorAll('text'), t => parseFloat(t.getAttribute('font-size')) * scale));
}"""


@pytest.mark.parametrize("size", sorted(SIZES))
def test_chart_text_stays_readable(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, size: str
) -> None:
    """On a phone a chart keeps its text at 10 px or more and scrolls sideways instead."""
    from kzviz import charts

    page = NOTEBOOK_PAGE.format(name="chart", output=charts.events_per_year(kzviz.load_events())._repr_html_())
    (site_dir / "chart.html").write_text(page, encoding="utf-8")
    offline_page.page.set_viewport_size({"width": SIZES[size][0], "height": SIZES[size][1]})
    offline_page.goto(local_server.url("chart.html"))
    offline_page.screenshot(f"chart-{SIZES[size][0]}")
    assert offline_page.page.evaluate(_SMALLEST_TEXT) >= 10
    page_width = offline_page.page.evaluate("() => document.documentElement.scrollWidth")
    assert page_width <= SIZES[size][0]  # the chart scrolls in its own box, not the page
    offline_page.assert_clean()


def test_the_timeline_map_works_by_keyboard_alone(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    """Change the year with the keyboard, then open a feature's popup from the list, with no mouse."""
    view = open_map(offline_page, local_server, site_dir, "timeline-keyboard", BUILDERS["timeline_map"](frames), DESK)
    keys = view.page.page.keyboard
    _tab_to(view, lambda f: "folium-map" in f)
    _tab_to(view, lambda f: f.startswith("INPUT kz-year"))
    keys.press("Home")
    view.frame.wait_for_function("() => document.body.getAttribute('data-kz-year') === '1991'")
    keys.press("ArrowRight")
    view.frame.wait_for_function("() => document.body.getAttribute('data-kz-year') === '1992'")
    keys.press("End")
    view.frame.wait_for_function("() => document.body.getAttribute('data-kz-year') === '2022'")

    for _ in range(20):  # back from the slider to the header's list of features
        keys.press("Shift+Tab")
        if _focus(view).startswith("SUMMARY") and "List of features" in _focus(view):
            break
    assert "List of features" in _focus(view)
    keys.press("Enter")
    in_list = "() => !!(document.activeElement && document.activeElement.closest('.kz-find-body button'))"
    for _ in range(10):
        keys.press("Tab")
        if view.js(in_list):
            break
    assert view.js(in_list), "the keyboard never reached an entry of the list of features"
    keys.press("Enter")
    view.frame.wait_for_selector(".leaflet-popup-content")
    assert view.js("() => document.activeElement.classList.contains('leaflet-popup-content')")
    keys.press("Escape")
    view.frame.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    offline_page.assert_clean()
