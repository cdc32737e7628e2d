"""Benchmark a timeline slider step: the Python callback, and what Chromium shows in JupyterLab.

Two figures, each a median over many steps:

* the explorer's Python callback (filter, list, chart, bridge), timed in
  this process without a kernel;
* the end-to-end step in a real JupyterLab: from the key press on the year
  slider until the map (inside its iframe) has applied the new year, and
  until the event list has been replaced.

The baseline for the browser figure, measured in the same run, is rebuilding
the folium map in Python for every step (the design the explorer avoids).

Run: ``.venv/bin/python benchmarks/timeline_latency.py [--steps N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from lab_server import JupyterLabServer, copy_notebook  # noqa: E402
from map_overlay import machine  # noqa: E402
from offline import OfflineBrowser  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

import kzviz  # noqa: E402
from kzviz import maps  # noqa: E402
from kzviz.timeline import TimelineExplorer  # noqa: E402

NOTEBOOK = "04-timeline-1991-2022.ipynb"


def python_step_ms(frames: dict[str, object], steps: int) -> tuple[float, float]:
    """Return median ms of the explorer callback and of rebuilding the folium map per step."""
    explorer = TimelineExplorer(**frames)  # type: ignore[arg-type]
    callback, rebuild = [], []
    for i in range(steps):
        year = 1991 + i % 32
        start = time.perf_counter()
        explorer.year.value = year
        callback.append(time.perf_counter() - start)
        start = time.perf_counter()
        maps.timeline_map(**frames, year=year)._repr_html_()  # type: ignore[arg-type]
        rebuild.append(time.perf_counter() - start)
    return statistics.median(callback) * 1000, statistics.median(rebuild) * 1000


def browser_steps_ms(steps: int) -> tuple[list[float], list[float]]:
    """Return per-step ms until the map applied the year and until the list changed, in JupyterLab."""
    map_ms, list_ms = [], []
    with tempfile.TemporaryDirectory() as tmp, JupyterLabServer(Path(tmp)) as lab, OfflineBrowser() as browser:
        copy_notebook(NOTEBOOK, Path(tmp))
        with browser.new_page() as page:
            page.page.set_viewport_size({"width": 1400, "height": 1000})
            page.page.goto(lab.url(f"lab/tree/{NOTEBOOK}"), wait_until="domcontentloaded")
            page.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            with contextlib.suppress(PlaywrightTimeout):  # JupyterLab may ask which kernel to start
                page.page.locator(".jp-Dialog button", has_text="Select").click(timeout=5_000)
            page.page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
            page.page.click("text=Run")
            page.page.click("text=Run All Cells")
            frame = page.page.wait_for_selector(".widget-html iframe", timeout=60_000).content_frame()
            frame.wait_for_function("document.body && document.body.getAttribute('data-kz-year') === '2022'")
            page.page.evaluate(
                """() => { const list = document.querySelector('.kz-event-list').closest('.widget-html');
                     new MutationObserver(() => { window.__kzListAt = performance.timeOrigin + performance.now(); })
                       .observe(list, {childList: true, subtree: true, characterData: true}); }"""
            )
            handle = page.page.locator(".widget-slider .noUi-handle").first
            handle.focus()
            for i in range(steps):
                key, expected = ("ArrowLeft", 2021) if i % 2 == 0 else ("ArrowRight", 2022)
                start = page.page.evaluate("performance.timeOrigin + performance.now()")
                page.page.keyboard.press(key)
                frame.wait_for_function(f"document.body.getAttribute('data-kz-year') === '{expected}'", polling=5)
                page.page.wait_for_function(f"window.__kzListAt > {start}", polling=5)
                applied = float(frame.evaluate("document.body.getAttribute('data-kz-applied')"))
                listed = float(page.page.evaluate("window.__kzListAt"))
                map_ms.append(applied - start)
                list_ms.append(listed - start)
            page.assert_clean()
    return map_ms, list_ms


def main() -> None:
    """Run the benchmark and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=40)
    args = parser.parse_args()
    frames = kzviz.load_map_frames()
    callback_ms, rebuild_ms = python_step_ms(frames, args.steps)
    map_ms, list_ms = browser_steps_ms(args.steps)
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "steps": args.steps,
        "python_callback_ms_p50": round(callback_ms, 1),
        "python_rebuild_map_ms_p50": round(rebuild_ms, 1),
        "rebuild_over_callback_ratio": round(rebuild_ms / callback_ms, 1),
        "jupyterlab_map_applied_ms_p50": round(statistics.median(map_ms), 1),
        "jupyterlab_list_updated_ms_p50": round(statistics.median(list_ms), 1),
        "jupyterlab_map_applied_ms_p90": round(statistics.quantiles(map_ms, n=10)[-1], 1),
        "jupyterlab_list_updated_ms_p90": round(statistics.quantiles(list_ms, n=10)[-1], 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
