"""Benchmark the full collection build against its floor, measured in the same run.

* build: ``kzviz.collection.build_collection`` on a copy of ``notebooks/``:
  execute every notebook from a clean kernel, normalise, write back, and
  export the static site;
* floor: N x (kernel start + imports): for each of the N notebooks, execute a
  one-cell notebook that only imports what the collection imports.

The ratio build / floor is the figure; rounds alternate and the medians are
reported. Run: ``.venv/bin/python benchmarks/collection_build.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from map_overlay import machine  # noqa: E402

from kzviz.collection import build_collection, collection_notebooks  # noqa: E402

IMPORTS = """import pandas as pd

import kzviz
from kzviz import charts, maps
from kzviz.timeline import TimelineExplorer"""


def floor_seconds(count: int, workdir: Path) -> float:
    """Execute `count` one-cell notebooks that only import, one kernel each."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(IMPORTS)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    start = time.perf_counter()
    for _ in range(count):
        NotebookClient(
            nbformat.from_dict(nb), kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
        ).execute()
    return time.perf_counter() - start


def build_seconds(workdir: Path) -> float:
    """Build the collection from a fresh copy of notebooks/ into workdir/site."""
    notebooks = workdir / "notebooks"
    shutil.rmtree(notebooks, ignore_errors=True)
    shutil.copytree(ROOT / "notebooks", notebooks)
    start = time.perf_counter()
    build_collection(notebooks, workdir / "site", progress=False)
    return time.perf_counter() - start


def main() -> None:
    """Run the benchmark and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    count = len(collection_notebooks(ROOT / "notebooks"))
    builds, floors, ratios = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for i in range(args.rounds):
            if i % 2 == 0:
                build, floor = build_seconds(workdir), floor_seconds(count, workdir)
            else:
                floor, build = floor_seconds(count, workdir), build_seconds(workdir)
            builds.append(build)
            floors.append(floor)
            ratios.append(build / floor)
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "notebooks": count,
        "rounds": args.rounds,
        "build_s_median": round(statistics.median(builds), 2),
        "floor_s_median": round(statistics.median(floors), 2),
        "ratio_median": round(statistics.median(ratios), 3),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
