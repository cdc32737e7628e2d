"""In Chromium: the picture draws what the live map draws; the notebook output layers the map over it; outlines are the offline base."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from offline import LocalServer, OfflinePage, is_tile_url
from PIL import Image

from kzviz import maps
from kzviz.maps.picture import SEA_COLOUR, shown_layers

pytestmark = pytest.mark.browser

_MAP_JS = "window[document.querySelector('.folium-map').id]"
_KEYS = ("color", "weight", "opacity", "dashArray", "fill", "fillColor", "fillOpacity", "radius")
_LEAFLET = {"color": "#3388ff", "weight": 3, "opacity": 1.0, "dashArray": None, "fillColor": None, "fillOpacity": 0.2}

BUILT: dict[str, Callable[[dict[str, Any]], maps.KzMap]] = {
    "atlas-2010": lambda f: maps.atlas(**f, year=2010),
    "corridors-2022": lambda f: maps.corridor_map(f["corridors"], f["nodes"], year=2022, outlines=f["outlines"]),
    "timeline-1998": lambda f: maps.timeline_map(**f, year=1998),
    "timeline-2014": lambda f: maps.timeline_map(**f, year=2014),
}


def _expected(m: maps.KzMap) -> dict[str, list[dict[str, Any]]]:
    """Return what the picture draws, per layer name: geometry type and Leaflet options of each feature."""
    out = {}
    for layer in shown_layers(m):
        rows = []
        for feature in layer.features:
            kind = feature["geometry"]["type"]
            style = {**_LEAFLET, **feature["properties"]["style"]}
            style.setdefault("fill", kind != "LineString")
            style.setdefault("radius", 10 if kind == "Point" else None)
            rows.append({"type": kind, **{key: style[key] for key in _KEYS}})
        out[layer.name] = rows
    return out


_DRAWN_JS = (
    """names => { const map = MAP; const out = {};
  for (const [layerName, jsName] of names) { const group = window[jsName];
    if (!map.hasLayer(group)) { continue; }
    const rows = []; group.eachLayer(l => { const o = l.options; rows.push({type: l.feature.geometry.type,
      color: o.color, weight: o.weight, opacity: o.opacity, dashArray: o.dashArray ?? null, fill: o.fill,
      fillColor: o.fillColor ?? null, fillOpacity: o.fillOpacity, radius: o.radius ?? null}); });
    out[layerName] = rows; }
  return out; }"""
).replace("MAP", _MAP_JS)


@pytest.mark.parametrize("name", sorted(BUILT))
def test_picture_draws_what_the_browser_draws(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any], name: str
) -> None:
    m = BUILT[name](frames)
    page = maps.map_html(m)
    layer_names = [child.layer_name for child in m._children.values() if isinstance(child, maps.Overlay)]
    js_names = re.findall(r"var (overlay_[0-9a-f]{32}) = kzMaps\.overlay\(", page)  # in the order they were added
    names = [list(pair) for pair in zip(layer_names, js_names, strict=True)]
    (site_dir / f"{name}.html").write_text(page, encoding="utf-8")
    offline_page.goto(local_server.url(f"{name}.html"))
    offline_page.page.wait_for_function("() => document.querySelector('.kz-title')")  # layers drawn after the fit
    drawn = offline_page.page.evaluate(_DRAWN_JS, names)
    expected = _expected(BUILT[name](frames))
    assert list(drawn) == list(expected)
    for layer, rows in expected.items():
        assert drawn[layer] == rows, layer
    offline_page.assert_clean()


def _github(html: str) -> str:
    """Strip what GitHub strips from a notebook's HTML output: iframes, scripts, styles, style and id attributes."""
    html = re.sub(r"<(iframe|script|style)\b.*?</\1\s*>", "", html, flags=re.S | re.I)
    return re.sub(r'\s(?:style|id)="[^"]*"', "", html)


_PAGE = (
    "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>notebook</title></head><body>{}</body></html>"
)


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_notebook_output_shows_the_live_map_over_its_picture(
    offline_page: OfflinePage,
    local_server: LocalServer,
    site_dir: Path,
    frames: dict[str, Any],
    width: int,
    height: int,
) -> None:
    m = maps.atlas(**frames, year=2022)
    output = m._repr_html_()
    (site_dir / "live.html").write_text(_PAGE.format(output), encoding="utf-8")
    (site_dir / "github.html").write_text(_PAGE.format(_github(output)), encoding="utf-8")
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": height})

    offline_page.goto(local_server.url("live.html"))
    frame = page.locator("iframe")
    assert frame.get_attribute("title") == m.title  # the frame's accessible name
    page.frame_locator("iframe").locator(".kz-legend").wait_for()
    box = frame.bounding_box()
    assert box is not None
    assert box["width"] == pytest.approx(width - 16, abs=1)
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).tagName", [box["x"] + box["width"] / 2, box["y"] + 20]
    )
    assert on_top == "IFRAME"  # the live map covers the picture and its note
    offline_page.screenshot(f"notebook-output-live-{width}")
    offline_page.assert_clean()

    offline_page.goto(local_server.url("github.html"))
    picture = page.locator("img")
    assert page.locator("iframe").count() == 0
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 960
    assert picture.is_visible()
    assert picture.get_attribute("alt").startswith(m.title)
    assert "For the interactive map" in page.inner_text("body")
    assert "Trust" not in page.inner_text("body")
    offline_page.screenshot(f"notebook-output-github-{width}", full_page=True)


def _pixel(page: OfflinePage, lat: float, lon: float) -> tuple[int, int, int]:
    """Return the screen colour at a position on the map."""
    point = page.page.evaluate(
        f"""([lat, lon]) => {{ const map = {_MAP_JS}; const p = map.latLngToContainerPoint([lat, lon]);
            const box = map.getContainer().getBoundingClientRect(); return [box.left + p.x, box.top + p.y]; }}""",
        [lat, lon],
    )
    image = Image.open(io.BytesIO(page.page.screenshot())).convert("RGB")
    return image.getpixel((round(point[0]), round(point[1])))  # type: ignore[return-value]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


LAND = (50.5, 62.0)
"""A point in Kazakhstan with no feature drawn on the atlas."""
SEA = (43.3, 34.0)
"""The middle of the Black Sea."""


def test_outlines_are_the_base_where_tiles_do_not_load(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, frames: dict[str, Any]
) -> None:
    (site_dir / "atlas.html").write_text(maps.map_html(maps.atlas(**frames, year=2022)), encoding="utf-8")
    page = offline_page.page
    page.set_viewport_size({"width": 1366, "height": 900})
    offline_page.goto(local_server.url("atlas.html"))
    page.wait_for_function("() => document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    tile = _rgb("#DDDDDD")  # the harness answers every tile with a plain grey one
    assert _pixel(offline_page, *LAND) == tile  # online, the tiles cover the outlines
    offline_page.assert_clean()

    page.route(is_tile_url, lambda route: route.abort("internetdisconnected"))
    offline_page.goto(local_server.url("atlas.html"))
    page.wait_for_function("() => document.querySelectorAll('.leaflet-pane.leaflet-kz-outlines-pane path').length >= 2")
    assert page.evaluate("() => document.querySelectorAll('.leaflet-tile-loaded').length") == 0
    land = _pixel(offline_page, *LAND)
    sea = _pixel(offline_page, *SEA)
    assert land == _rgb("#F4F2EE")
    assert sea == _rgb(SEA_COLOUR)
    dashed = page.eval_on_selector_all("path.kz-disputed", "els => els.map(e => e.getAttribute('stroke-dasharray'))")
    assert dashed == ["4 3"]  # Crimea, annexed in 2014
    offline_page.screenshot("atlas-offline-outlines")
    urls = [re.findall(r"https?://[^\s)]+?\.png", problem) for problem in offline_page.problems()]
    assert [p for p, found in zip(offline_page.problems(), urls, strict=True) if not any(map(is_tile_url, found))] == []
