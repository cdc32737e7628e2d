"""Benchmark the full collection build against its floor, measured in the same run.

* build: the full build of a copy of ``notebooks/``, as
  ``kzviz.collection.build_collection`` does it: execute every notebook from
  a clean kernel, normalise and write it back (``build_collection(...,
  only=name)``, one notebook at a time), then export the static site
  (``kzviz.site.export_site``);
* floor: what no build can avoid: for each notebook, a clean kernel that runs
  only that notebook's own import statements (taken from its code cells),
  executed one after another exactly as the build executes notebooks
  (``kzviz.collection.execute_notebook``);
* bare kernels: the same number of clean kernels running nothing, to show
  how much of the floor is kernel start and how much is imports.

Each round takes the notebooks one by one and, for each, times its build
step, its floor and its bare kernel back to back (in an order that rotates),
so a machine that gets busier or quieter during a run shifts all three
alike; the site export is added to the build at the end of the round.
Printed as JSON: ``date``, ``machine``, ``notebooks``, ``rounds``, the
median seconds ``build_s_median``, ``floor_s_median`` and
``bare_kernels_s_median``, the median of the per-round ratios
``build_over_floor_median`` (the figure; goal at most 1.5) and
``floor_over_bare_kernels_median``, and ``imports`` (each notebook's import
statements, as run by the floor).

Run: ``.venv/bin/python benchmarks/collection_build.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from map_overlay import machine  # noqa: E402

from kzviz.collection import build_collection, collection_notebooks, execute_notebook, read_notebook  # noqa: E402
from kzviz.site import export_site  # noqa: E402


def own_imports(path: Path) -> str:
    """Return the import statements of a notebook's code cells, in order, one per line."""
    statements = []
    for cell in read_notebook(path).cells:
        if cell.cell_type == "code":
            tree = ast.parse(str(cell.source))
            statements += [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    return "\n".join(statements)


def write_stand_ins(sources: list[Path], folder: Path, code: Callable[[Path], str]) -> list[Path]:
    """Write one single-cell notebook per source notebook, holding `code(source)`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for source in sources:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code(source))])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = folder / source.name
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def seconds(action: Callable[[], object]) -> float:
    """Return the wall-clock seconds `action` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def one_round(sources: list[Path], workdir: Path, stand_ins: dict[str, list[Path]], turn: int) -> dict[str, float]:
    """Time the build, the floor and the bare kernels once, notebook by notebook; return their totals."""
    notebooks = workdir / "notebooks"
    shutil.rmtree(notebooks, ignore_errors=True)
    shutil.copytree(ROOT / "notebooks", notebooks)
    steps: dict[str, Callable[[int], object]] = {
        "build": lambda i: build_collection(notebooks, None, only=sources[i].name, progress=False),
        "floor": lambda i: execute_notebook(stand_ins["floor"][i]),
        "bare": lambda i: execute_notebook(stand_ins["bare"][i]),
    }
    order = list(steps)
    totals = dict.fromkeys(steps, 0.0)
    for i in range(len(sources)):
        shift = (turn + i) % len(order)
        for name in order[shift:] + order[:shift]:
            totals[name] += seconds(lambda name=name, i=i: steps[name](i))
    totals["build"] += seconds(lambda: export_site(collection_notebooks(notebooks), workdir / "site"))
    return totals


def main() -> None:
    """Run the benchmark and print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sources = collection_notebooks(ROOT / "notebooks")
    imports = {path.name: own_imports(path) for path in sources}
    times: dict[str, list[float]] = {"build": [], "floor": [], "bare": []}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        stand_ins = {
            "floor": write_stand_ins(sources, workdir / "floor", lambda path: imports[path.name]),
            "bare": write_stand_ins(sources, workdir / "bare", lambda path: ""),
        }
        for turn in range(args.rounds):
            for name, value in one_round(sources, workdir, stand_ins, turn).items():
                times[name].append(value)
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "notebooks": len(sources),
        "rounds": args.rounds,
        "build_s_median": round(statistics.median(times["build"]), 2),
        "floor_s_median": round(statistics.median(times["floor"]), 2),
        "bare_kernels_s_median": round(statistics.median(times["bare"]), 2),
        "build_over_floor_median": round(
            statistics.median(b / f for b, f in zip(times["build"], times["floor"], strict=True)), 3
        ),
        "floor_over_bare_kernels_median": round(
            statistics.median(f / b for f, b in zip(times["floor"], times["bare"], strict=True)), 3
        ),
        "imports": imports,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
