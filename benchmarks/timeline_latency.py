"""Benchmark a timeline year step over the whole range: key press until map, list and chart show the year.

The year slider is stepped with the keyboard across 1991-2022 and back:
31 x ArrowLeft from 2022, 31 x ArrowRight back, then Home and End (each one
jump over the whole range), ``--rounds`` times. Each step is timed in the
page, from the ``keydown`` event to:

* **map**: the map inside the explorer's iframe has applied the year;
* **all**: map, event list, chart and status line show it (the explorer's
  documented ``kz:year-applied`` event);
* **frame**: the start of the next animation frame after that, the frame
  that paints it.

Designs and places, all in one run:

1. the explorer in a real JupyterLab (kernel running);
2. the same explorer in the exported HTML page (``kzviz.site.export_site``),
   with no kernel;
3. baseline, in JupyterLab: a bare ipywidgets round trip, an ``IntSlider``
   whose Python observer writes the year into an ``HTML`` widget (the least
   any design that updates through Python can cost);
4. baseline, in JupyterLab: the previous explorer design (``--baseline-rev``,
   from git), whose Python callback rewrote list and chart and a bridge the
   map polled for.

Run: ``.venv/bin/python benchmarks/timeline_latency.py [--rounds N]``.
Figures go to stdout as JSON; docs/performance.md records them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import nbformat  # noqa: E402
from lab_server import JupyterLabServer  # noqa: E402
from map_overlay import machine  # noqa: E402
from offline import NODE_MODULES, LocalServer, OfflineBrowser  # noqa: E402
from playwright.sync_api import Page  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from kzviz.collection import execute_notebook  # noqa: E402
from kzviz.site import export_site  # noqa: E402

NOTEBOOK = "01-timeline-latency.ipynb"
CELLS = (
    (
        "import ipywidgets as widgets\nimport kzviz\nfrom kzviz.timeline import TimelineExplorer\n"
        "frames = kzviz.load_map_frames()"
    ),
    "explorer = TimelineExplorer(**frames, year=2022)\nexplorer",
    (
        "probe = widgets.IntSlider(value=2022, min=1991, max=2022, description='Probe')\n"
        "echo = widgets.HTML('2022')\nprobe.add_class('kz-probe')\necho.add_class('kz-probe-echo')\n"
        "probe.observe(lambda change: setattr(echo, 'value', str(change['new'])), names='value')\n"
        "widgets.VBox([probe, echo])"
    ),
)

# In-page timing. window.__kzStep is reset by every keydown (capture phase, so
# before the slider handles the key); watchers fill in map / all / frame.
TIMER_JS = """
() => {
  window.__kzStep = null;
  window.addEventListener("keydown", () => {
    window.__kzStep = {key: performance.now(), map: null, all: null, frame: null};
  }, true);
  window.__kzDone = (part) => {
    const step = window.__kzStep;
    if (!step || step[part] !== null) { return; }
    step[part] = performance.now();
    if (part === "all") { requestAnimationFrame(() => { step.frame = performance.now(); }); }
  };
}
"""
WATCH_EXPLORER_JS = """
() => {
  const root = document.querySelector(".kz-explorer");
  const doc = root.querySelector(".kz-explorer-map iframe").contentDocument;
  doc.addEventListener("kz:year-applied", () => window.__kzDone("map"));
  root.addEventListener("kz:year-applied", () => window.__kzDone("all"));
}
"""
WATCH_PROBE_JS = """
() => {
  const echo = document.querySelector(".kz-probe-echo");
  new MutationObserver(() => {
    if (echo.textContent.trim() === String(window.__kzExpected)) { window.__kzDone("map"); window.__kzDone("all"); }
  }).observe(echo, {subtree: true, childList: true, characterData: true});
}
"""
WATCH_PREVIOUS_JS = """
() => {
  const frame = document.querySelector(".widget-html iframe");
  const body = frame.contentDocument.body;
  const hosts = ["kz-event-list", "svg"].map(s => document.querySelector(s === "svg" ? ".widget-html svg" : "." + s)
                                                   .closest(".widget-html"));
  const seen = {map: false, list: false, chart: false};
  const check = () => { if (seen.map && seen.list && seen.chart) { window.__kzDone("all"); } };
  window.addEventListener("keydown", () => { seen.map = seen.list = seen.chart = false; }, true);
  new MutationObserver(() => {
    if (body.getAttribute("data-kz-year") === String(window.__kzExpected)) {
      seen.map = true; window.__kzDone("map"); check();
    }
  }).observe(body, {attributes: true, attributeFilter: ["data-kz-year"]});
  hosts.forEach((host, i) => new MutationObserver(() => { seen[i ? "chart" : "list"] = true; check(); })
    .observe(host, {subtree: true, childList: true, characterData: true}));
}
"""
SLIDERS = {
    "explorer": ".kz-explorer-year .noUi-handle",
    "probe": ".kz-probe .noUi-handle",
    "previous": ".widget-slider .noUi-handle",
}
WATCHERS = {"explorer": WATCH_EXPLORER_JS, "probe": WATCH_PROBE_JS, "previous": WATCH_PREVIOUS_JS}


def key_sequence(rounds: int) -> list[tuple[str, int]]:
    """Return (key, year expected after it) for `rounds` sweeps 2022 -> 1991 -> 2022, then Home and End."""
    sweep = [("ArrowLeft", y) for y in range(2021, 1990, -1)] + [("ArrowRight", y) for y in range(1992, 2023)]
    return [*sweep, ("Home", 1991), ("End", 2022)] * rounds


def step_all(page: Page, design: str, rounds: int) -> dict[str, list[float]]:
    """Press every key of :func:`key_sequence` on `design`'s slider; return ms per step per part."""
    page.evaluate(TIMER_JS)
    page.evaluate(WATCHERS[design])
    handle = page.locator(SLIDERS[design]).first
    handle.focus()
    times: dict[str, list[float]] = {"map": [], "all": [], "frame": []}
    for key, year in key_sequence(rounds):
        page.evaluate(f"window.__kzExpected = {year}")
        page.keyboard.press(key)
        page.wait_for_function("() => window.__kzStep && window.__kzStep.frame !== null", polling="raf", timeout=20_000)
        step = page.evaluate("window.__kzStep")
        for part in times:
            times[part].append(step[part] - step["key"])
    return times


def run_in_lab(folder: Path, designs: list[str], rounds: int, pythonpath: str) -> dict[str, dict[str, list[float]]]:
    """Open the notebook in `folder` in a real JupyterLab, run it, and time each design's steps."""
    results = {}
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = pythonpath  # the kernel imports kzviz from here
    try:
        with JupyterLabServer(folder) as lab, OfflineBrowser() as browser, browser.new_page() as page:
            page.page.set_viewport_size({"width": 1400, "height": 1000})
            page.page.goto(lab.url(f"lab/tree/{NOTEBOOK}"), wait_until="domcontentloaded")
            page.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            with contextlib.suppress(PlaywrightTimeout):  # JupyterLab may ask which kernel to start
                page.page.locator(".jp-Dialog button", has_text="Select").click(timeout=5_000)
            page.page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
            page.page.click("text=Run")
            page.page.click("text=Run All Cells")
            for design in designs:
                page.page.wait_for_selector(SLIDERS[design], timeout=90_000)
                page.page.wait_for_timeout(3_000)  # let the map iframe load and settle
                results[design] = step_all(page.page, design, rounds)
            page.assert_clean()
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
    return results


def run_exported(folder: Path, rounds: int) -> dict[str, list[float]]:
    """Execute the notebook, export it as the site does, and time the explorer's steps with no kernel."""
    path = folder / NOTEBOOK
    nbformat.write(execute_notebook(path), path)
    site = folder / "site"
    export_site([path], site)
    dist = NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist"
    for target in (site / "@jupyter-widgets", site / "@jupyter-widgets" / "html-manager" / "dist"):
        target.mkdir(parents=True, exist_ok=True)
        for font in dist.glob("*.woff*"):
            shutil.copy(font, target / font.name)
    with LocalServer(site) as server, OfflineBrowser() as browser, browser.new_page() as page:
        page.page.set_viewport_size({"width": 1400, "height": 1000})
        page.goto(server.url(path.with_suffix(".html").name), timeout_ms=30_000)
        page.page.wait_for_selector(".kz-explorer[data-kz-year]", timeout=30_000)
        page.page.wait_for_timeout(2_000)
        times = step_all(page.page, "explorer", rounds)
        page.assert_clean()
    return times


def write_notebook(folder: Path, cells: tuple[str, ...]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Timeline latency"), *map(nbformat.v4.new_code_cell, cells)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / NOTEBOOK)


@contextlib.contextmanager
def previous_design(rev: str) -> Iterator[Path]:
    """Yield a folder holding the ``kzviz`` package as it was at git revision `rev`."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "kzviz.tar"
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev, "kzviz", "data"], check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp)


def summary(times: dict[str, list[float]]) -> dict[str, float]:
    out = {}
    for part, values in times.items():
        out[f"{part}_p50_ms"] = round(statistics.median(values), 1)
        out[f"{part}_p90_ms"] = round(statistics.quantiles(values, n=10)[-1], 1)
    return out


def main() -> None:
    """Run the benchmark and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline-rev", default="6db99f6", help="git revision of the previous explorer design")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_notebook(folder / "lab", CELLS)
        measured = run_in_lab(folder / "lab", ["explorer", "probe"], args.rounds, str(ROOT))
        with previous_design(args.baseline_rev) as old:
            write_notebook(folder / "previous", CELLS[:2])
            measured |= run_in_lab(folder / "previous", ["previous"], args.rounds, str(old))
        write_notebook(folder / "export", CELLS[:2])
        measured["exported"] = run_exported(folder / "export", args.rounds)
    figures: dict[str, Any] = {name: summary(times) for name, times in measured.items()}
    new, probe, old = figures["explorer"], figures["probe"], figures["previous"]
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "steps_per_design": len(key_sequence(args.rounds)),
        "figures": figures,
        "ratios": {
            "explorer_all_p50_over_round_trip_p50": round(new["all_p50_ms"] / probe["all_p50_ms"], 2),
            "explorer_all_p50_over_previous_all_p50": round(new["all_p50_ms"] / old["all_p50_ms"], 2),
            "exported_all_p50_over_round_trip_p50": round(figures["exported"]["all_p50_ms"] / probe["all_p50_ms"], 2),
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
