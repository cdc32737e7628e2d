"""Measure the maps' pictures: bytes, and time against rendering the map page, in the same run.

For each map the notebooks show (built with the country outlines), prints:

* the picture's PNG bytes and its base64 bytes in the notebook output;
* the whole notebook output (picture, note and the map page in the iframe's
  ``srcdoc``) and the map page alone (``maps.map_html``), in bytes, and the
  bytes the country outlines add to the page;
* the median time of ``map_picture_png`` on a built map and, as the
  baseline, of what a notebook cell did before the picture existed: build the
  same map and render its page (``maps.map_html``), alternating; and their
  ratio, the share the picture adds to showing a map.

Run: ``.venv/bin/python benchmarks/picture_size.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from map_overlay import machine  # noqa: E402

import kzviz  # noqa: E402
from kzviz import maps  # noqa: E402
from kzviz.maps.picture import map_picture_png  # noqa: E402

NOTEBOOK_MAPS: dict[str, Callable[..., maps.KzMap]] = {
    "00 atlas 2022": lambda f, **o: maps.atlas(**f, year=2022, **o),
    "01 routes 2000": lambda f, **o: maps.pipeline_map(f["pipelines"], f["sites"], year=2000, **o),
    "01 routes 2022": lambda f, **o: maps.pipeline_map(f["pipelines"], f["sites"], year=2022, **o),
    "02 corridors 2012": lambda f, **o: maps.corridor_map(f["corridors"], f["nodes"], year=2012, **o),
    "02 corridors 2022": lambda f, **o: maps.corridor_map(f["corridors"], f["nodes"], year=2022, **o),
    "03 summits 2022": lambda f, **o: maps.summit_map(f["events"], year=2022, **o),
    "03 summits 1999": lambda f, **o: maps.summit_map(f["events"], year=1999, **o),
    "04 timeline 2006": lambda f, **o: maps.timeline_map(**f, year=2006, **o),
}
"""The maps in notebooks 00-04; ``o`` is ``outlines=...`` or nothing."""


def measure(name: str, frames: dict[str, Any], outlines: Any, rounds: int) -> dict[str, Any]:
    """Return the sizes and median timings of one map."""
    build = NOTEBOOK_MAPS[name]
    rest = {key: value for key, value in frames.items() if key != "outlines"}
    m = build(rest, outlines=outlines)
    png = map_picture_png(m)
    page = maps.map_html(build(rest, outlines=outlines))
    bare = maps.map_html(build(rest))
    picture_s, html_s = [], []
    for i in range(rounds):
        for kind in ("picture", "map") if i % 2 == 0 else ("map", "picture"):
            fresh = build(rest, outlines=outlines) if kind == "picture" else None
            start = time.perf_counter()
            if fresh is not None:
                map_picture_png(fresh)
            else:
                maps.map_html(build(rest, outlines=outlines))
            (picture_s if kind == "picture" else html_s).append(time.perf_counter() - start)
    return {
        "map": name,
        "png_bytes": len(png),
        "png_base64_bytes": len(base64.b64encode(png)),
        "notebook_output_bytes": len(build(rest, outlines=outlines)._repr_html_().encode()),
        "page_bytes": len(page.encode()),
        "outlines_bytes": len(page.encode()) - len(bare.encode()),
        "picture_ms": round(statistics.median(picture_s) * 1000, 1),
        "build_and_page_ms": round(statistics.median(html_s) * 1000, 1),
        "ratio": round(statistics.median(picture_s) / statistics.median(html_s), 2),
    }


def main() -> None:
    """Measure every notebook map and print JSON lines, then a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    frames = kzviz.load_map_frames()
    rows = [measure(name, frames, frames["outlines"], args.rounds) for name in NOTEBOOK_MAPS]
    print(json.dumps({"date": time.strftime("%Y-%m-%d"), "machine": machine(), "rounds": args.rounds}))
    print("| map | PNG | base64 | notebook output | map page | of which outlines | picture | build + page | ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['map']} | {r['png_bytes']:,} B | {r['png_base64_bytes']:,} B | {r['notebook_output_bytes']:,} B "
            f"| {r['page_bytes']:,} B | {r['outlines_bytes']:,} B | {r['picture_ms']} ms | {r['build_and_page_ms']} ms "
            f"| {r['ratio']}× |"
        )


if __name__ == "__main__":
    main()
