"""The notebook collection in notebooks/: runs cleanly, is stored fresh, small and well formed.

Each notebook is executed once per session (see ``collection_runs`` in
conftest.py). To refresh the stored notebooks, run ``python -m kzviz build``
(or ``--only NN`` for one).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kzviz.collection import collection_notebooks, freshness_diff, read_notebook
from kzviz.notebook_outputs import WIDGET_STATE, WIDGET_VIEW
from tests.conftest import COLLECTION_DIR, ROOT

pytestmark = pytest.mark.notebooks

EXPECTED = [
    "00-overview.ipynb",
    "01-energy-export-routes.ipynb",
    "02-belt-and-road.ipynb",
    "03-summits-and-diplomacy.ipynb",
    "04-timeline-1991-2022.ipynb",
    "05-partners-in-figures.ipynb",
]
NOTEBOOKS = collection_notebooks(COLLECTION_DIR)
NAMES = [path.name for path in NOTEBOOKS]
MAX_BYTES = 2_000_000  # GitHub renders notebooks up to about 2 MB
MAX_TOTAL_BYTES = 6_000_000
LOADER_FILES = {
    "load_events": "events.csv",
    "load_figures": "figures.csv",
    "load_pipelines": "pipelines.geojson",
    "load_energy_sites": "energy_sites.csv",
    "load_corridors": "corridors.geojson",
    "load_corridor_nodes": "corridor_nodes.csv",
}
REFRESH = "Refresh it with `python -m kzviz build --only {stem}`."

each_notebook = pytest.mark.parametrize("name", NAMES)


def fresh_run(collection_runs: dict[str, Any], name: str) -> Any:
    """Return the session's execution of `name`, re-raising its error."""
    result = collection_runs[name]
    if isinstance(result, BaseException):
        raise result
    return result


def code_cells(nb: Any) -> list[tuple[int, Any]]:
    return [(i, cell) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]


def test_the_six_notebooks_exist() -> None:
    missing = [name for name in EXPECTED if not (COLLECTION_DIR / name).is_file()]
    assert not missing, f"missing from notebooks/: {missing}"


def test_total_size() -> None:
    total = sum(path.stat().st_size for path in NOTEBOOKS)
    assert total <= MAX_TOTAL_BYTES, f"the notebooks hold {total:,} bytes together (limit {MAX_TOTAL_BYTES:,})"


@each_notebook
def test_executes_from_a_clean_kernel(collection_runs: dict[str, Any], name: str) -> None:
    result = collection_runs[name]
    assert not isinstance(result, BaseException), f"{name} failed to execute:\n{result}"
    # Cells that did not stop the run: skipped by a tag, or errors allowed by a "raises-exception" tag.
    skipped = [i for i, cell in code_cells(result) if cell.source.strip() and cell.get("execution_count") is None]
    errors = [i for i, cell in code_cells(result) for out in cell.outputs if out.output_type == "error"]
    assert skipped == [], f"{name}: cells {skipped} were not executed"
    assert errors == [], f"{name}: cells {errors} raised"


@each_notebook
def test_stores_no_error_outputs(name: str) -> None:
    nb = read_notebook(COLLECTION_DIR / name)
    errors = [i for i, cell in code_cells(nb) for out in cell.outputs if out.output_type == "error"]
    assert errors == [], f"{name}: error outputs stored in cells {errors}"


@each_notebook
def test_stores_outputs_for_every_cell_that_has_them(collection_runs: dict[str, Any], name: str) -> None:
    stored = read_notebook(COLLECTION_DIR / name)
    fresh = fresh_run(collection_runs, name)
    assert len(stored.cells) == len(fresh.cells)
    missing = [i for i, cell in code_cells(fresh) if cell.outputs and not stored.cells[i].get("outputs")]
    unexecuted = [i for i, cell in code_cells(stored) if cell.source.strip() and cell.get("execution_count") is None]
    refresh = REFRESH.format(stem=Path(name).stem)
    assert missing == [], f"{name}: no stored outputs in cells {missing}. {refresh}"
    assert unexecuted == [], f"{name}: cells {unexecuted} were never executed. {refresh}"


@each_notebook
def test_stored_notebook_is_fresh(collection_runs: dict[str, Any], name: str) -> None:
    diff = freshness_diff(COLLECTION_DIR / name, executed=fresh_run(collection_runs, name))
    lines = diff.splitlines()
    shown = "\n".join(line[:200] for line in lines[:40])
    more = f"\n... {len(lines) - 40} more diff lines" if len(lines) > 40 else ""
    refresh = REFRESH.format(stem=Path(name).stem)
    if diff:
        pytest.fail(f"{name} differs from a fresh execution. {refresh}\n{shown}{more}")


@each_notebook
def test_size(name: str) -> None:
    size = (COLLECTION_DIR / name).stat().st_size
    assert size <= MAX_BYTES, f"{name} is {size:,} bytes (limit {MAX_BYTES:,})"


@each_notebook
def test_widget_state_for_every_widget_view(name: str) -> None:
    nb = read_notebook(COLLECTION_DIR / name)
    views = [
        out.data[WIDGET_VIEW]["model_id"]
        for _, cell in code_cells(nb)
        for out in cell.outputs
        if WIDGET_VIEW in out.get("data", {})
    ]
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    missing = [model_id for model_id in views if model_id not in state]
    assert missing == [], f"{name}: widget outputs without stored widget state: {missing}"


@each_notebook
def test_first_cell_has_title_datasets_and_neighbour_links(name: str) -> None:
    nb = read_notebook(COLLECTION_DIR / name)
    first = nb.cells[0]
    assert first.cell_type == "markdown", f"{name}: cell 1 must be markdown"
    text = str(first.source)
    assert re.match(r"# \S", text), f"{name}: cell 1 must start with a '# Title' heading"

    assert re.search(r"datasets used", text, re.IGNORECASE), f"{name}: cell 1 must list the datasets used"
    code = "\n".join(str(cell.source) for _, cell in code_cells(nb))
    used = sorted({file for loader, file in LOADER_FILES.items() if re.search(rf"\b{loader}\(", code)})
    unlisted = [file for file in used if f"data/{file}" not in text]
    assert unlisted == [], f"{name}: loads {unlisted} but cell 1 does not list them"
    listed = re.findall(r"data/([\w.-]+\.(?:csv|geojson))", text)
    assert all((ROOT / "data" / file).is_file() for file in listed), listed

    index = EXPECTED.index(name) if name in EXPECTED else NAMES.index(name)
    neighbours = EXPECTED if name in EXPECTED else NAMES
    if index > 0:
        link = rf"\[[^\]]*Previous[^\]]*\]\({re.escape(neighbours[index - 1])}\)"
        assert re.search(link, text), f"{name}: cell 1 needs [Previous: ...]({neighbours[index - 1]})"
    if index < len(neighbours) - 1:
        link = rf"\[[^\]]*Next[^\]]*\]\({re.escape(neighbours[index + 1])}\)"
        assert re.search(link, text), f"{name}: cell 1 needs [Next: ...]({neighbours[index + 1]})"


@each_notebook
def test_code_cells_define_no_functions_or_classes(name: str) -> None:
    nb = read_notebook(COLLECTION_DIR / name)
    offenders = [
        (i, line)
        for i, cell in code_cells(nb)
        for line in str(cell.source).splitlines()
        if re.match(r"(async\s+def|def|class)\s", line)
    ]
    assert offenders == [], f"{name}: logic belongs in kzviz, not in notebook cells: {offenders}"
