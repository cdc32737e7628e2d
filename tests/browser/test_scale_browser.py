"""A large network in a real browser: a smaller version of benchmarks/gem_scale.py, as a functional check.

2,500 synthetic routes of 100 vertices (more than CANVAS_FEATURES features, so
the routes go on a canvas) must render with every feature present, every
popup as Python writes it, and every route in the reader's list of features.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from offline import LocalServer, OfflinePage

import kzviz
from kzviz import maps
from kzviz.maps._base import CANVAS_FEATURES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic_network import synthetic_pipelines

ROUTES = 2500

_MAP = "window[document.querySelector('.folium-map').id]"

FEATURES = f"""() => {{
    const out = [];
    {_MAP}._kz.overlays.forEach(o => o.group.eachLayer(l => out.push({{
        route: l.feature.properties.route || null,
        popup: l.feature.properties.popup,
        drawn: !!l._map,
        first: l.getLatLngs ? [l.getLatLngs()[0].lng, l.getLatLngs()[0].lat] : null,
        canvas: !!(l._renderer && l._renderer instanceof L.Canvas),
    }})));
    return out;
}}"""


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("network") / "network.geojson"
    return kzviz.load_pipelines(synthetic_pipelines(path, ROUTES, 100))


def test_a_large_network_renders_every_feature(
    offline_page: OfflinePage, local_server: LocalServer, site_dir: Path, network: Any
) -> None:
    m = maps.pipeline_map(network, kzviz.load_energy_sites())
    (site_dir / "network.html").write_text(maps.map_html(m), encoding="utf-8")
    overlays = [o for o in m._children.values() if isinstance(o, maps.Overlay) and o.control]
    expected = [f for o in overlays for f in o.features]
    assert len(overlays[0].features) > CANVAS_FEATURES  # the routes go on a canvas
    offline_page.page.set_viewport_size({"width": 1366, "height": 900})
    offline_page.goto(server_url := local_server.url("network.html"), timeout_ms=60_000)
    offline_page.page.wait_for_function("() => document.querySelector('.kz-header')", timeout=60_000)
    seen = offline_page.page.evaluate(FEATURES)
    assert len(seen) == len(expected)
    for feature, shown in zip(expected, seen, strict=True):
        props = feature["properties"]
        popup = props["popup"]
        assert shown["popup"] == (popup if isinstance(popup, str) else popup.html()), server_url
        assert shown["route"] == props.get("route")
        assert shown["drawn"], props.get("route")
        if shown["first"] is not None:
            assert shown["first"] == pytest.approx(list(feature["geometry"]["coordinates"][0]), abs=1e-4)
    assert sum(s["canvas"] for s in seen) == len(overlays[0].features)
    offline_page.page.get_by_text("List of features").click()
    items = offline_page.page.locator(".kz-find li button")
    assert items.count() == ROUTES + len(overlays[1].features)  # one entry per route, however many pieces
    offline_page.screenshot("scale-network-1366")
    offline_page.assert_clean()
