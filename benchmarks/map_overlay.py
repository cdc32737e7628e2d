"""Benchmark the atlas against a minimal hand-written Leaflet page with the same content.

Measures, side by side in one run (alternating loads, medians of per-round ratios), the atlas
without its optional country outlines:

* overlay-ready time: from navigation start until every route path and
  marker is in the DOM (tiles are answered by the offline harness and not
  waited for);
* HTML size;
* Python build time of the atlas (build + render).

Run: ``.venv/bin/python benchmarks/map_overlay.py [--rounds N] [--previous GIT_REF]``.
With ``--previous``, the atlas of an earlier revision (for example ``main``)
is loaded in the same rounds too, so a change is compared with what it
replaces on the same machine at the same moment. Needs the offline browser
assets (``bash tests/browser/install_assets.sh``) and Debian's Chromium.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from offline import LocalServer, OfflineBrowser  # noqa: E402

import kzviz  # noqa: E402
from kzviz import maps  # noqa: E402
from kzviz._html import Popup  # noqa: E402

MINIMAL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"/>
<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>
<style>html, body, #map {{height: 100%; margin: 0;}}</style></head>
<body><div id="map"></div><script>
var map = L.map("map").setView([46.0, 57.5], 4);
L.tileLayer("https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", {{maxZoom: 19}}).addTo(map);
var layers = {layers};
layers.forEach(function (data) {{
  L.geoJSON(data, {{
    style: function (f) {{ return f.properties.style; }},
    pointToLayer: function (f, ll) {{ return L.circleMarker(ll, f.properties.style); }},
    onEachFeature: function (f, l) {{ l.bindTooltip(f.properties.tooltip); l.bindPopup(f.properties.popup); }}
  }}).addTo(map);
}});
</script></body></html>
"""


def build_pages(site: Path) -> tuple[int, float]:
    """Write atlas.html and minimal.html; return the element count and median build seconds."""
    frames = kzviz.load_map_frames()
    frames.pop("outlines", None)  # as before the outlines existed, and the minimal page has no pane for them
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        atlas = maps.atlas(**frames)
        html = maps.map_html(atlas)
        timings.append(time.perf_counter() - start)
    (site / "atlas.html").write_text(html, encoding="utf-8")
    overlays = [child for child in atlas._children.values() if isinstance(child, maps.Overlay)]
    collections = [{"type": "FeatureCollection", "features": [plain(f) for f in o.features]} for o in overlays]
    minimal = MINIMAL_PAGE.format(layers=maps._base.script_json(collections))
    (site / "minimal.html").write_text(minimal, encoding="utf-8")
    return sum(len(o.features) for o in overlays), statistics.median(timings)


def plain(feature: dict[str, Any]) -> dict[str, Any]:
    """Return `feature` as plain GeoJSON for the minimal page: lists of coordinates, the popup as kzviz shows it."""
    popup = feature["properties"].get("popup")
    geometry = feature["geometry"]
    return {
        **feature,
        "geometry": {**geometry, "coordinates": np.asarray(geometry["coordinates"]).tolist()}
        if geometry["type"] == "LineString"
        else geometry,
        "properties": {**feature["properties"], "popup": popup.html() if isinstance(popup, Popup) else popup},
    }


def overlay_ready_ms(browser: OfflineBrowser, url: str, count: int) -> float:
    """Return milliseconds from navigation start until `count` vector elements are drawn."""
    with browser.new_page() as page:
        page.page.goto(url, wait_until="commit")
        page.page.wait_for_function(
            f"document.querySelectorAll('.leaflet-map-pane path').length >= {count}", polling="raf", timeout=20_000
        )
        elapsed = float(page.page.evaluate("performance.now()"))
        page.assert_clean()
        return elapsed


def machine() -> str:
    """Describe this machine: OS, CPU model, cores and Python version."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")
        ]
        cpu = models[0] if models else cpu
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


def build_previous(site: Path, ref: str) -> int:
    """Write ``previous.html``, the atlas as git revision `ref` of kzviz draws it; return its element count."""
    source = site / "previous-source"
    source.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "kzviz", "data"], check=True, capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(source, filter="data")
    code = (
        "import sys, kzviz; from kzviz import maps; f = kzviz.load_map_frames(); f.pop('outlines', None); "
        "m = maps.atlas(**f); "
        "open(sys.argv[1], 'w', encoding='utf-8').write(maps.map_html(m)); "
        "print(sum(len(o.features) for o in m._children.values() if isinstance(o, maps.Overlay)))"
    )
    env = {**os.environ, "PYTHONPATH": str(source)}
    run = subprocess.run(
        [sys.executable, "-c", code, str(site / "previous.html")],
        cwd=source,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(run.stdout.split()[-1])


def measure(site: Path, pages: dict[str, int], rounds: int) -> dict[str, list[float]]:
    """Load every page once per round, in alternating order; return the overlay-ready times by page."""
    times: dict[str, list[float]] = {name: [] for name in pages}
    with LocalServer(site) as server, OfflineBrowser() as browser:
        overlay_ready_ms(browser, server.url("minimal.html"), pages["minimal"])  # warm up
        for i in range(rounds):
            for name in list(pages) if i % 2 == 0 else list(pages)[::-1]:
                times[name].append(overlay_ready_ms(browser, server.url(f"{name}.html"), pages[name]))
    return times


def main() -> None:
    """Run the benchmark and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--previous", metavar="GIT_REF", help="also measure the atlas of this revision, same run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        count, build_s = build_pages(site)
        pages = {"atlas": count, "minimal": count}
        if args.previous:
            pages["previous"] = build_previous(site, args.previous)
        sizes = {name: (site / f"{name}.html").stat().st_size for name in pages}
        times = measure(site, pages, args.rounds)
    result: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "rounds": args.rounds,
        "elements": count,
        "python_build_ms": round(build_s * 1000, 1),
    }
    for name in [n for n in pages if n != "minimal"]:
        ratios = [a / b for a, b in zip(times[name], times["minimal"], strict=True)]
        result |= {
            f"overlay_ready_{name}_ms": round(statistics.median(times[name]), 1),
            f"overlay_ready_{name}_ratio_median": round(statistics.median(ratios), 3),
            f"html_{name}_bytes": sizes[name],
            f"html_{name}_ratio": round(sizes[name] / sizes["minimal"], 3),
        }
    result |= {
        "overlay_ready_minimal_ms": round(statistics.median(times["minimal"]), 1),
        "html_minimal_bytes": sizes["minimal"],
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
