"""Shared fixtures: small input files, writers for variants, and notebooks executed once per session."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

INPUT = Path(__file__).with_name("input_data")
BROWSER_TESTS = Path(__file__).with_name("browser")
"""Every test in this folder opens Chromium or checks what it needs to: all are marked ``browser``."""
NOTEBOOK_FIXTURES = frozenset({"collection_runs", "fixture_runs"})
"""Fixtures that execute notebooks: a test that requests one is marked ``notebooks``."""


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test by what it needs: ``browser`` for Chromium, ``notebooks`` for executed notebooks.

    A test needs Chromium if it lives in tests/browser/ or requests the
    ``offline_browser`` fixture (directly or through ``offline_page``); it
    executes notebooks if it requests a fixture in :data:`NOTEBOOK_FIXTURES`.
    Tests that run notebooks themselves carry ``@pytest.mark.notebooks``.
    """
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        if BROWSER_TESTS in item.path.parents or "offline_browser" in needs:
            item.add_marker(pytest.mark.browser)
        if needs & NOTEBOOK_FIXTURES:
            item.add_marker(pytest.mark.notebooks)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    header = header or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def input_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Return a function copying one file from tests/input_data into tmp_path."""

    def copy(name: str) -> Path:
        return Path(shutil.copy(INPUT / name, tmp_path / name))

    return copy


def load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def dump_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def frames() -> dict[str, Any]:
    """Every shipped dataset, loaded once, keyed as the map builders name them."""
    import kzviz

    return kzviz.load_map_frames()


# ---------------------------------------------------------------------------
# Notebooks: each executed once per session, several kernels at a time
# ---------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
COLLECTION_DIR = ROOT / "notebooks"
FIXTURE_NOTEBOOKS_DIR = INPUT / "notebooks"


def _jobs() -> int:
    return max(2, min(4, os.cpu_count() or 1))


@pytest.fixture(scope="session")
def fixture_runs() -> dict[str, tuple[Any, Any]]:
    """Every notebook in tests/input_data/notebooks executed twice, by file name.

    The results are shared by the whole session: do not change them (normalise
    makes a copy).
    """
    from kzviz.collection import collection_notebooks, execute_notebooks

    paths = collection_notebooks(FIXTURE_NOTEBOOKS_DIR)
    runs = execute_notebooks([*paths, *paths], jobs=_jobs())
    return {path.name: (runs[i], runs[i + len(paths)]) for i, path in enumerate(paths)}


@pytest.fixture(scope="session")
def collection_runs() -> dict[str, Any]:
    """Every notebooks/NN-*.ipynb executed once from a clean kernel, by file name.

    A notebook that fails maps to its :class:`kzviz.collection.NotebookError`
    (stored, not raised), so each notebook's tests report its own failure.
    The results are shared by the whole session: do not change them.
    """
    from kzviz.collection import NotebookError, collection_notebooks, execute_notebook, execute_notebooks

    paths = collection_notebooks(COLLECTION_DIR)
    results: list[Any]
    try:
        results = execute_notebooks(paths, jobs=_jobs())
    except NotebookError:  # find which ones failed, one at a time
        results = []
        for path in paths:
            try:
                results.append(execute_notebook(path))
            except NotebookError as exc:
                results.append(exc)
    return {path.name: result for path, result in zip(paths, results, strict=True)}
