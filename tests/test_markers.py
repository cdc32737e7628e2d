"""Markers: ``-m "not browser"`` leaves out every test that opens Chromium, ``-m "not notebooks"`` every notebook run."""

from __future__ import annotations

import subprocess
import sys
from functools import cache

from tests.conftest import ROOT


@cache
def collected(marker: str | None = None) -> frozenset[str]:
    """Return the node ids pytest collects from the whole suite, optionally with ``-m marker``."""
    args = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    if marker is not None:
        args += ["-m", marker]
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    assert out.returncode in (0, 5), out.stdout + out.stderr  # 5: -m selected nothing
    return frozenset(line for line in out.stdout.splitlines() if "::" in line)


def test_not_browser_collects_no_browser_test() -> None:
    everything, rest = collected(), collected("not browser")
    in_browser_folder = {node for node in everything if node.startswith("tests/browser/")}
    assert len(in_browser_folder) >= 12
    assert rest == everything - in_browser_folder


def test_not_notebooks_leaves_out_every_notebook_run() -> None:
    everything, rest = collected(), collected("not notebooks")
    notebooks = everything - rest
    for prefix in (
        "tests/test_notebooks.py::test_executes_from_a_clean_kernel",
        "tests/test_notebooks.py::test_stored_notebook_is_fresh",
        "tests/test_collection.py::test_two_executions_normalise_to_the_same_bytes",
        "tests/browser/test_jupyterlab_e2e.py::",
        "tests/browser/test_timeline_export.py::",
    ):
        assert any(node.startswith(prefix) for node in notebooks), prefix
        assert not any(node.startswith(prefix) for node in rest), prefix
