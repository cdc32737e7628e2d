"""Benchmark a Global Energy Monitor-sized network: 10,000 routes of 100 vertices on one map.

The network is synthetic (:mod:`synthetic_network`: GEM-like records, winding
lines about 3 km between vertices) and goes through
:func:`kzviz.load_pipelines` like a user's file. Measured in one run:

* Python: ``pipeline_map`` + ``map_html`` of the network against
  ``GeoDataFrame.to_json()`` of the same frame. Each round times both, in
  an order that alternates; printed are the medians and the median of the
  per-round ratios (goal: at most 1.5);
* HTML size of the page (goal: at most 10 MB), beside the size of ``to_json()``;
* overlay-ready time in Chromium: from navigation start until every feature
  of every overlay is drawn, as SVG paths or on a canvas (goal: at most 3 s;
  tiles are answered by the offline harness and not waited for);
* with ``--previous GIT_REF``: the same Python figures and HTML size for an
  earlier revision of kzviz, in the same run.

Printed as JSON: ``date``, ``machine``, ``routes``, ``vertices``,
``features`` (drawn), ``rounds``, ``to_json_s_median``, ``map_s_median``,
``map_over_to_json_median``, ``html_mb``, ``to_json_mb``, ``line_detail``
(largest zoom, tolerance in degrees and decimals kept), ``browser_rounds``,
``overlay_ready_ms_median`` and ``overlay_ready_ms_max``, and with
``--previous`` the ``previous_*`` figures.

Run: ``.venv/bin/python benchmarks/gem_scale.py [--routes N] [--rounds N]
[--browser-rounds N] [--previous GIT_REF]``. Needs the offline browser assets
(``bash tests/browser/install_assets.sh``) and Debian's Chromium.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from map_overlay import machine  # noqa: E402
from offline import LocalServer, OfflineBrowser  # noqa: E402
from synthetic_network import synthetic_pipelines  # noqa: E402

import kzviz  # noqa: E402
from kzviz import maps  # noqa: E402

DRAWN_FEATURES = """() => {
    if (typeof L === "undefined") { return 0; }
    const map = Object.values(window).find((v) => v instanceof L.Map);
    if (!map) { return 0; }
    let drawn = document.querySelectorAll('.leaflet-map-pane path').length;
    map.eachLayer((layer) => {  // a canvas holds its layers and has drawn them once no redraw is pending
        if (layer instanceof L.Canvas && !layer._redrawRequest) { drawn += Object.keys(layer._layers).length; }
    });
    return drawn;
}"""
"""Features drawn so far: SVG paths plus the layers of each canvas with no redraw pending (Leaflet 1.9)."""

TIMING = """
import json, sys, time
import kzviz
from kzviz import maps
frame, sites = kzviz.load_pipelines(sys.argv[1]), kzviz.load_energy_sites()
rounds = int(sys.argv[3])
json_s, map_s = [], []
for i in range(rounds):
    for step in (("json", "map") if i % 2 == 0 else ("map", "json")):
        start = time.perf_counter()
        if step == "json":
            frame.to_json()
            json_s.append(time.perf_counter() - start)
        else:
            html = maps.map_html(maps.pipeline_map(frame, sites))
            map_s.append(time.perf_counter() - start)
open(sys.argv[2], "w", encoding="utf-8").write(html)
print(json.dumps({"json_s": json_s, "map_s": map_s, "to_json_bytes": len(frame.to_json().encode())}))
"""
"""Times to_json and the map in a fresh interpreter, alternating; run by this kzviz and by ``--previous``."""


def time_python(network: Path, page: Path, rounds: int, source: Path) -> dict[str, object]:
    """Time `rounds` rounds with the kzviz in `source`; write the page; return the figures."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    run = subprocess.run(
        [sys.executable, "-c", TIMING, str(network), str(page), str(rounds)],
        cwd=source,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    raw = json.loads(run.stdout.splitlines()[-1])
    ratios = [m / j for m, j in zip(raw["map_s"], raw["json_s"], strict=True)]
    return {
        "to_json_s_median": round(statistics.median(raw["json_s"]), 3),
        "map_s_median": round(statistics.median(raw["map_s"]), 3),
        "map_over_to_json_median": round(statistics.median(ratios), 3),
        "html_mb": round(page.stat().st_size / 1e6, 2),
        "to_json_mb": round(raw["to_json_bytes"] / 1e6, 2),
    }


def previous_source(ref: str, into: Path) -> Path:
    """Extract kzviz and its data at git revision `ref` into `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "kzviz", "data"], check=True, capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def overlay_ready_ms(browser: OfflineBrowser, url: str, features: int) -> float:
    """Return milliseconds from navigation start until `features` features are drawn."""
    with browser.new_page() as page:
        page.page.goto(url, wait_until="commit")
        page.page.wait_for_function(f"({DRAWN_FEATURES})() >= {features}", polling="raf", timeout=120_000)
        elapsed = float(page.page.evaluate("performance.now()"))
        page.assert_clean()
        return elapsed


def drawn_features(routes: Path) -> tuple[int, dict[str, object]]:
    """Return how many features the map of `routes` draws, and the detail its lines keep."""
    m = maps.pipeline_map(kzviz.load_pipelines(routes), kzviz.load_energy_sites())
    maps.map_html(m)  # an overlay settles its line detail when it renders
    overlays = [child for child in m._children.values() if isinstance(child, maps.Overlay) and child.control]
    detail = overlays[0].line_detail
    return sum(len(o.features) for o in overlays), (detail.summary() if detail else {})


def main() -> None:
    """Run the benchmark and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--routes", type=int, default=10_000)
    parser.add_argument("--vertices", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--browser-rounds", type=int, default=5)
    parser.add_argument("--previous", metavar="GIT_REF", help="also time the map of this revision, same run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        network = synthetic_pipelines(site / "network.geojson", args.routes, args.vertices)
        features, detail = drawn_features(network)
        result: dict[str, object] = {
            "date": time.strftime("%Y-%m-%d"),
            "machine": machine(),
            "routes": args.routes,
            "vertices": args.vertices,
            "features": features,
            "rounds": args.rounds,
        }
        result |= time_python(network, site / "map.html", args.rounds, ROOT)
        result["line_detail"] = detail
        if args.previous:
            old = previous_source(args.previous, site / "previous")
            figures = time_python(network, site / "previous.html", args.rounds, old)
            result |= {f"previous_{key}": value for key, value in figures.items()}
        with LocalServer(site) as server, OfflineBrowser() as browser:
            times = [overlay_ready_ms(browser, server.url("map.html"), features) for _ in range(args.browser_rounds)]
        result |= {
            "browser_rounds": args.browser_rounds,
            "overlay_ready_ms_median": round(statistics.median(times), 1),
            "overlay_ready_ms_max": round(max(times), 1),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
