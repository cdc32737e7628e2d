"""Every map builder, loaded in headless Chromium offline: drawn, legible, clickable, toggleable, safe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from offline import LocalServer, OfflinePage

import kzviz
from kzviz import maps
from kzviz.maps import layers
from kzviz.timeframe import route_stage

HOSTILE = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>\'"&amp;'
TEMPLATE = "KZ{{ 7*7 }}KZ {% raw %}{#3}"
"""Template syntax that must reach the reader as written (see tests/test_template_safety.py)."""


def _open(page: OfflinePage, server: LocalServer, site: Path, name: str, html: str) -> None:
    (site / name).write_text(html, encoding="utf-8")
    page.page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(server.url(name))
    page.page.wait_for_function("() => window.L && document.querySelector('.kz-legend')")
    page.screenshot(name.removesuffix(".html"))


def _route_ids(page: OfflinePage, cls: str) -> set[str]:
    names = page.page.eval_on_selector_all(f"path.{cls}", "els => els.map(e => e.getAttribute('class'))")
    return {c.split("kz-id-")[1].split()[0] for c in names}


def _count(page: OfflinePage, selector: str) -> int:
    return int(page.page.eval_on_selector_all(selector, "els => els.length"))


def _path_point(page: OfflinePage, selector: str) -> dict[str, float]:
    """Return the screen point of the first matching SVG path (a line's midpoint or a marker's centre)."""
    return page.page.eval_on_selector(  # type: ignore[no-any-return]
        selector,
        """el => { const n = el.getTotalLength(); const p = el.getPointAtLength(el.classList.contains('kz-marker') ? 0 : n / 2);
                   const m = el.getScreenCTM(); const b = el.getBBox();
                   const x = el.classList.contains('kz-marker') ? b.x + b.width / 2 : p.x;
                   const y = el.classList.contains('kz-marker') ? b.y + b.height / 2 : p.y;
                   return {x: m.a * x + m.e, y: m.d * y + m.f}; }""",
    )


_MAP_JS = "window[document.querySelector('.folium-map').id]"


def _click_path(page: OfflinePage, selector: str) -> None:
    """Click a path where `_path_point` puts it, keeping the view so `_hover_path` can restore it."""
    page.page.evaluate(f"() => {{ const m = {_MAP_JS}; window.__kzView = [m.getCenter(), m.getZoom()]; }}")
    point = _path_point(page, selector)
    page.page.mouse.click(point["x"], point["y"])


def _hover_path(page: OfflinePage, selector: str) -> None:
    """Move the mouse off every feature, then onto the exact point `_click_path` uses.

    Opening a popup auto-pans the map (animated), so the view is first put back
    where it started, without animation. SVG lines have no hit tolerance, and a
    pointer already over a path fires no new ``mouseover``; leaving first makes
    the hover a real entry.
    """
    page.page.evaluate(f"() => {{ const m = {_MAP_JS}; m.stop(); m.setView(...window.__kzView, {{animate: false}}); }}")
    point = _path_point(page, selector)
    page.page.mouse.move(2, 2)  # the zoom control: no feature under it
    page.page.wait_for_function("() => !document.querySelector('.leaflet-tooltip')")
    page.page.mouse.move(point["x"], point["y"], steps=4)


def _popup_link(page: OfflinePage) -> str:
    page.page.wait_for_selector(".leaflet-popup-content .kz-sources a", timeout=3000)
    return str(page.page.eval_on_selector(".leaflet-popup-content .kz-sources a", "a => a.href"))


def _toggle(page: OfflinePage, layer_name: str, selector: str) -> None:
    before = _count(page, selector)
    assert before > 0
    label = page.page.locator(".leaflet-control-layers-overlays label", has_text=layer_name)
    label.locator("input").click()
    assert _count(page, selector) == 0, f"{layer_name} still drawn after unticking"
    label.locator("input").click()
    assert _count(page, selector) == before


def _expected_routes(frame: pd.DataFrame, year: int) -> set[str]:
    return set(frame.loc[route_stage(frame, year).notna(), "id"])


def test_pipeline_map(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    _open(
        offline_page,
        local_server,
        site_dir,
        "pipelines.html",
        maps.map_html(maps.pipeline_map(frames["pipelines"], frames["sites"])),
    )
    assert offline_page.page.evaluate("L.version") == "1.9.3"
    assert _route_ids(offline_page, "kz-pipeline") == set(frames["pipelines"]["id"])
    assert _count(offline_page, "path.kz-site") == len(frames["sites"])
    assert offline_page.page.is_visible(".kz-legend")
    assert offline_page.page.is_visible(".leaflet-control-scale")
    assert offline_page.page.is_visible(".leaflet-control-zoom-fullscreen")
    _click_path(offline_page, "path.kz-id-cpc.kz-abroad")  # the long Russian part, clear of the Kazakh markers
    assert _popup_link(offline_page).startswith("https://")
    assert "Caspian Pipeline" in offline_page.page.inner_text(".leaflet-popup-content")
    _toggle(offline_page, "Export routes", "path.kz-pipeline")
    _toggle(offline_page, "Oil and gas fields", "path.kz-site")
    offline_page.assert_clean()


def test_pipeline_map_in_1995(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    html = maps.map_html(maps.pipeline_map(frames["pipelines"], frames["sites"], year=1995))
    _open(offline_page, local_server, site_dir, "pipelines1995.html", html)
    expected = _expected_routes(frames["pipelines"], 1995)
    assert "btc" not in expected
    assert _route_ids(offline_page, "kz-pipeline") == expected
    offline_page.assert_clean()


def test_corridor_map(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    _open(
        offline_page,
        local_server,
        site_dir,
        "corridors.html",
        maps.map_html(maps.corridor_map(frames["corridors"], frames["nodes"])),
    )
    assert _route_ids(offline_page, "kz-corridor") == set(frames["corridors"]["id"])
    assert _count(offline_page, "path.kz-node") == len(frames["nodes"])
    assert offline_page.page.is_visible(".kz-legend")
    _click_path(offline_page, "path.kz-node")
    assert _popup_link(offline_page).startswith("https://")
    assert "Opened" in offline_page.page.inner_text(".leaflet-popup-content")
    _toggle(offline_page, "Belt and Road corridors", "path.kz-corridor")
    _toggle(offline_page, "Border crossings and ports", "path.kz-node")
    offline_page.assert_clean()


def test_summit_map(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    events = frames["events"]
    _open(offline_page, local_server, site_dir, "summits.html", maps.map_html(maps.summit_map(events)))
    places = len(layers.summit_layer(events).features)
    meetings = events[events["kind"].isin(kzviz.vocab.MEETING_KINDS)]
    assert _count(offline_page, "path.kz-summit") == places
    assert places < len(meetings)  # cities with many meetings are one place
    courtship = _count(offline_page, "path.kz-courtship")
    assert courtship >= 4  # Moscow, St Petersburg, Luxembourg, Nur-Sultan at least
    # the Astana / Nur-Sultan marker lists every meeting held there
    offline_page.page.evaluate(
        """() => { for (const k in window) { const v = window[k];
             if (v && v instanceof L.GeoJSON) { v.eachLayer(l => { if ((l.feature.properties.tooltip || '').startsWith('Astana')
                 && l.feature.properties.style.className.includes('kz-summit')) { l.openPopup(); } }); } } }"""
    )
    items = _count(offline_page, ".leaflet-popup-content .kz-meetings li")
    astana = meetings[meetings["place_name"].str.contains("Astana|Nur-Sultan|Akmola")]
    assert items == len(astana)
    assert _popup_link(offline_page).startswith("https://")
    _toggle(offline_page, "Summits and visits", "path.kz-summit")
    _toggle(offline_page, "2022 courtship", "path.kz-courtship")
    offline_page.assert_clean()


def test_atlas(offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]) -> None:
    _open(offline_page, local_server, site_dir, "atlas.html", maps.map_html(maps.atlas(**frames, year=2010)))
    assert _route_ids(offline_page, "kz-pipeline") == _expected_routes(frames["pipelines"], 2010)
    assert _route_ids(offline_page, "kz-corridor") == _expected_routes(frames["corridors"], 2010)
    assert _count(offline_page, "path.kz-courtship") == 0
    labels = offline_page.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [t.strip() for t in labels] == [
        "Export routes", "Oil and gas fields, terminals", "Belt and Road corridors",
        "Border crossings and ports", "Summits and visits", "2022 courtship",
    ]  # fmt: skip
    assert "Year shown when the map opens: 2010" in offline_page.page.inner_text(".kz-legend")
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


BUILDERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "pipeline_map": lambda f: maps.pipeline_map(f["pipelines"], f["sites"]),
    "corridor_map": lambda f: maps.corridor_map(f["corridors"], f["nodes"]),
    "summit_map": lambda f: maps.summit_map(f["events"]),
    "atlas": lambda f: maps.atlas(**f),
    "timeline_map": lambda f: maps.timeline_map(**f, year=2022),
}


@pytest.mark.parametrize("builder", sorted(BUILDERS))
def test_hostile_text_shows_literally_and_never_runs(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any], builder: str
) -> None:
    html = maps.map_html(BUILDERS[builder](_hostile(frames)))
    _open(offline_page, local_server, site_dir, f"hostile_{builder}.html", html)
    selector = {
        "pipeline_map": "path.kz-id-cpc.kz-abroad",
        "corridor_map": "path.kz-corridor",
        "summit_map": "path.kz-summit",
        "atlas": "path.kz-summit",
        "timeline_map": "path.kz-event",
    }[builder]
    _click_path(offline_page, selector)
    offline_page.page.wait_for_selector(".leaflet-popup-content", timeout=3000)
    text = offline_page.page.inner_text(".leaflet-popup-content")
    assert "<img src=x onerror=" in text
    assert "</script><script>" in text
    assert TEMPLATE in text
    assert _count(offline_page, ".leaflet-popup-content img, .leaflet-popup-content script") == 0
    hrefs = offline_page.page.eval_on_selector_all("a", "els => els.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h and h.startswith("javascript:")]
    offline_page.page.evaluate(f"() => {_MAP_JS}.closePopup()")
    _hover_path(offline_page, selector)
    offline_page.page.wait_for_selector(".leaflet-tooltip", timeout=5000)
    assert "<img src=x" in offline_page.page.inner_text(".leaflet-tooltip")
    assert TEMPLATE in offline_page.page.inner_text(".leaflet-tooltip")
    assert offline_page.page.evaluate("window.__pwned") is None
    offline_page.assert_clean()


def test_time_slider_keeps_the_drawing_order(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    html = maps.map_html(maps.timeline_map(**frames, year=2022))
    _open(offline_page, local_server, site_dir, "timeline_order.html", html)
    page = offline_page.page
    drawn = "() => Array.from(document.querySelectorAll('.leaflet-overlay-pane path'), p => p.getAttribute('class') + p.getAttribute('d'))"
    before = page.evaluate(drawn)
    nodes = [c.split("kz-id-")[1].split()[0] for c in before if "kz-node" in c]
    assert nodes[0] == "khorgos-gateway-dry-port"  # the larger dry port lies beneath the crossings
    for year in (1995, 2022):
        page.eval_on_selector(".kz-year", "(s, y) => { s.value = y; s.dispatchEvent(new Event('input')); }", year)
        page.wait_for_function(f"document.body.getAttribute('data-kz-year') === '{year}'")
        if year == 1995:
            assert len(page.evaluate(drawn)) < len(before)
    assert page.evaluate(drawn) == before  # re-shown features are not drawn on top of the rest
    offline_page.assert_clean()
