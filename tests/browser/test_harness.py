"""Tests proving the offline browser harness works, and that its checks can fail."""

from __future__ import annotations

import struct
from datetime import UTC, datetime
from pathlib import Path

import folium
import nbformat
import pytest
from folium import plugins
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from offline import (
    NODE_MODULES,
    LocalServer,
    OfflinePage,
    content_type_for,
    is_tile_url,
    map_url_to_file,
    resolve_url,
    setup_problems,
    tile_png,
    version_matches,
)

CITIES = {
    "Almaty": ((43.24, 76.89), folium.Icon(icon="star", prefix="fa")),  # Font Awesome font
    "Astana": ((51.17, 71.45), folium.Icon(icon="cloud")),  # glyphicon font
    "Aktau": ((43.65, 51.16), None),  # Leaflet's default image icon
}

TIMELINE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"start": "2020-01-01", "end": "2020-12-31"},
            "geometry": {"type": "LineString", "coordinates": [[60.0, 45.0], [70.0, 50.0]]},
        },
        {
            "type": "Feature",
            "properties": {"start": "2020-01-01", "end": "2020-06-30"},
            "geometry": {"type": "LineString", "coordinates": [[55.0, 48.0], [65.0, 52.0]]},
        },
    ],
}


def build_map(path: Path) -> None:
    """Save a map using the default assets, Fullscreen, Timeline and TimelineSlider."""
    fmap = folium.Map(location=(48.0, 67.0), zoom_start=4)
    for name, (location, icon) in CITIES.items():
        folium.Marker(location, popup=f"{name} popup", title=name, icon=icon).add_to(fmap)
    folium.PolyLine([CITIES["Almaty"][0], CITIES["Astana"][0]], tooltip="route").add_to(fmap)
    timeline = plugins.Timeline(TIMELINE).add_to(fmap)
    plugins.TimelineSlider(auto_play=False).add_timelines(timeline).add_to(fmap)
    plugins.Fullscreen().add_to(fmap)
    folium.LayerControl().add_to(fmap)
    fmap.save(path)


# ---------------------------------------------------------------------------
# URL mapping (no browser)
# ---------------------------------------------------------------------------


def emitted_cdn_urls() -> list[str]:
    """Every CDN URL that folium (Map and the plugins used) and nbconvert's lab template emit."""
    urls = [url for _, url in [*folium.Map.default_js, *folium.Map.default_css]]
    for plugin in (plugins.Fullscreen, plugins.Timeline, plugins.TimelineSlider):
        urls += [url for _, url in [*plugin.default_js, *getattr(plugin, "default_css", [])]]
    exporter = HTMLExporter(template_name="lab")
    urls += [exporter.require_js_url, exporter.mathjax_url]
    # Written by the lab template's widget script, not a trait of the exporter.
    widgets_base = exporter.jupyter_widgets_base_url
    urls.append(f"{widgets_base}@jupyter-widgets/html-manager@*/dist/embed-amd.js")
    return list(dict.fromkeys(urls))


@pytest.mark.usefixtures("npm_assets")
def test_every_emitted_cdn_url_is_answered() -> None:
    urls = emitted_cdn_urls()
    assert len(urls) == 17
    unanswered = [url for url in urls if resolve_url(url) is None]
    assert not unanswered, f"no local answer for: {unanswered}"
    for url in urls:
        asset = resolve_url(url)
        assert asset is not None
        assert asset.body
        text_type = asset.content_type.startswith(("text/javascript", "text/css"))
        assert text_type, f"{url} served as {asset.content_type}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/webfonts/fa-solid-900.woff2",
            "@fortawesome/fontawesome-free/webfonts/fa-solid-900.woff2",
        ),
        (
            "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/glyphicons-halflings-regular.woff2",
            "bootstrap3/dist/fonts/glyphicons-halflings-regular.woff2",
        ),
        (
            "https://cdn.jsdelivr.net/npm/bootstrap@3.4.1/dist/css/bootstrap.min.css",
            "bootstrap3/dist/css/bootstrap.min.css",
        ),
        (
            "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@^1.0.1/dist/embed-amd.js",
            "@jupyter-widgets/html-manager/dist/embed-amd.js",
        ),
        ("https://cdn.jsdelivr.net/npm/leaflet@1.9/dist/leaflet.js", "leaflet/dist/leaflet.js"),
        ("https://unpkg.com/leaflet@1.9.3", "leaflet/dist/leaflet-src.js"),
        (
            "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/images/markers-soft.png",
            "leaflet.awesome-markers/dist/images/markers-soft.png",
        ),
    ],
)
@pytest.mark.usefixtures("npm_assets")
def test_map_url_to_file(url: str, expected: str) -> None:
    assert map_url_to_file(url) == (NODE_MODULES / expected).resolve()


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js",  # other version
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/missing.js",
        "https://cdn.jsdelivr.net/npm/not-installed-pkg@1.0.0/index.js",
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/../../package.json",
        "https://example.invalid/x.js",
    ],
)
@pytest.mark.usefixtures("npm_assets")
def test_unmapped_urls_give_none(url: str) -> None:
    assert map_url_to_file(url) is None
    assert resolve_url(url) is None


@pytest.mark.parametrize(
    ("spec", "installed", "expected"),
    [
        ("1.0.15", "1.0.15", True),
        ("*", "1.0.15", True),
        ("^1.0.1", "1.0.15", True),
        ("^1.0.1", "2.0.0", False),
        ("^0.5.2", "0.6.0", False),
        ("~1.0.1", "1.0.9", True),
        ("~1.0.1", "1.1.0", False),
        ("1.9", "1.9.3", True),
        ("1.9.4", "1.9.3", False),
        ("^1.0.16", "1.0.15", False),
    ],
)
def test_version_matches(spec: str, installed: str, expected: bool) -> None:
    assert version_matches(spec, installed) is expected


def test_tile_png_and_content_types() -> None:
    png = tile_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (256, 256)
    assert tile_png() is png  # generated once
    assert is_tile_url("https://tile.openstreetmap.org/4/10/5.png")
    assert is_tile_url("https://a.basemaps.cartocdn.com/light_all/3/4/2@2x.png?x=1")
    assert not is_tile_url("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/images/layers.png")
    assert content_type_for(".css").startswith("text/css")
    assert content_type_for("a/b.woff2") == "font/woff2"


def test_setup_problems_say_how_to_install(tmp_path: Path) -> None:
    problems = setup_problems(tmp_path / "node_modules", tmp_path / "chromium")
    assert len(problems) == 2
    assert "apt-get install -y chromium" in problems[0]
    assert "install_assets.sh" in problems[1]


# ---------------------------------------------------------------------------
# Real browser
# ---------------------------------------------------------------------------


@pytest.mark.browser
def test_folium_map_renders_offline(site_dir: Path, local_server: LocalServer, offline_page: OfflinePage) -> None:
    build_map(site_dir / "map.html")
    offline_page.goto(local_server.url("map.html"))
    page = offline_page.page

    assert page.evaluate("typeof window.L") == "object"
    assert page.evaluate("L.version") == "1.9.3"
    assert page.locator(".leaflet-marker-pane > *").count() == len(CITIES)
    assert page.locator(".leaflet-overlay-pane path").count() == 3  # PolyLine + 2 timeline lines
    assert page.locator("a.leaflet-control-zoom-fullscreen").count() == 1
    assert page.locator("a.leaflet-control-layers-toggle").count() == 1  # LayerControl
    # folium's Timeline drops its `name`: the overlay is listed as "macro_element_<hex>".
    assert page.locator(".leaflet-control-layers-overlays label").count() == 1
    assert page.locator(".leaflet-timeline-control").is_visible()

    # Tiles: answered by the harness and decoded by the browser.
    assert offline_page.tile_urls
    tiles = page.locator("img.leaflet-tile")
    assert tiles.count() > 0
    assert page.locator("img.leaflet-tile-loaded").count() == tiles.count()
    assert tiles.first.evaluate("img => img.naturalWidth") == 256

    # Both icon fonts were fetched through the generic/prefix rules.
    assert any(url.endswith("fa-solid-900.woff2") for url in offline_page.served)
    assert any("glyphicons-halflings-regular" in url for url in offline_page.served)

    offline_page.screenshot("folium_map")

    for name in CITIES:
        page.locator(f".leaflet-marker-pane > [title='{name}']").click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for(state="visible")
        assert popup.inner_text().strip() == f"{name} popup"
        page.locator(".leaflet-popup-close-button").click()
        popup.wait_for(state="detached")

    # Moving the TimelineSlider past the second feature's end hides it (plugin JS runs).
    after = datetime(2020, 9, 1, tzinfo=UTC).timestamp() * 1000
    page.locator(".leaflet-timeline-control input[type=range]").fill(str(int(after)))
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length === 2")

    offline_page.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<script src="https://example.invalid/x.js"></script>', r"unmapped external request: "),
        ("<script>throw new Error('boom from page')</script>", r"page error: .*boom from page"),
        ("<script>console.error('bad thing logged')</script>", r"console error: bad thing logged"),
        ('<img src="missing.png">', r"failed request: .*missing\.png: HTTP 404"),
    ],
)
def test_assert_clean_fails_on_problems(
    site_dir: Path,
    local_server: LocalServer,
    offline_page: OfflinePage,
    body: str,
    expected: str,
) -> None:
    (site_dir / "bad.html").write_text(f"<!doctype html><html><body>{body}</body></html>")
    offline_page.goto(local_server.url("bad.html"))
    with pytest.raises(AssertionError, match=expected):
        offline_page.assert_clean()


@pytest.mark.browser
def test_unmapped_request_is_listed(site_dir: Path, local_server: LocalServer, offline_page: OfflinePage) -> None:
    (site_dir / "bad.html").write_text('<!doctype html><script src="https://example.invalid/x.js"></script>')
    offline_page.goto(local_server.url("bad.html"))
    assert offline_page.unmapped == ["https://example.invalid/x.js"]


@pytest.mark.browser
@pytest.mark.notebooks
def test_nbconvert_widget_export_renders_offline(
    site_dir: Path, local_server: LocalServer, offline_page: OfflinePage
) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("Euler: $e^{i\\pi} + 1 = 0$"),
        nbformat.v4.new_code_cell(
            "import ipywidgets as widgets\nwidgets.IntSlider(value=3, min=0, max=10, description='count')"
        ),
    ]
    NotebookClient(notebook, kernel_name="python3", store_widget_state=True, timeout=60).execute()
    assert "application/vnd.jupyter.widget-state+json" in notebook.metadata["widgets"]

    html, _ = HTMLExporter(template_name="lab").from_notebook_node(notebook)
    (site_dir / "notebook.html").write_text(html, encoding="utf-8")
    offline_page.goto(local_server.url("notebook.html"))
    page = offline_page.page

    slider = page.locator(".widget-slider").first
    slider.wait_for(state="visible", timeout=10_000)
    assert page.locator(".widget-readout").first.inner_text().strip() == "3"
    assert "count" in page.locator(".widget-label").first.inner_text()
    # MathJax 2.7.7 is served from npm too and typesets the markdown cell.
    page.locator(".MathJax_CHTML").first.wait_for(state="visible", timeout=10_000)

    offline_page.screenshot("nbconvert_widgets")
    assert any("html-manager" in source for source in offline_page.served.values())
    offline_page.assert_clean()
