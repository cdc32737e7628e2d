"""Execute, normalise and publish the notebook collection.

The collection is every ``NN-kebab-slug.ipynb`` file in ``notebooks/``. We
keep their outputs (readers use nbviewer) and make those outputs
deterministic, so a notebook executed twice from the same data is stored as
the same bytes and a test can prove the stored outputs are fresh.

* :func:`execute_notebook` runs one notebook in a clean ``python3`` kernel
  (:func:`execute_notebooks` runs several at once);
* :func:`normalise_notebook` (from :mod:`kzviz.notebook_outputs`) removes
  what changes from run to run;
* :func:`build_collection` refreshes the notebooks and exports them as a
  static HTML site (see :mod:`kzviz.site`);
* :func:`is_fresh` and :func:`freshness_diff` compare a stored notebook with
  a fresh execution.

Finding, reading and writing the notebook files is :mod:`kzviz.notebook_files`'s
job; its functions can still be imported from here. This module needs the
``notebooks`` extra (nbclient, nbconvert, nbformat).
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

from kzviz.notebook_files import NOTEBOOK_GLOB, collection_notebooks, notebook_text, read_notebook, write_notebook
from kzviz.notebook_outputs import normalise_notebook

__all__ = [
    "DEFAULT_TIMEOUT",
    "NOTEBOOK_GLOB",
    "NotebookError",
    "build_collection",
    "collection_notebooks",
    "execute_notebook",
    "execute_notebooks",
    "freshness_diff",
    "is_fresh",
    "notebook_text",
    "read_notebook",
    "write_notebook",
]

DEFAULT_TIMEOUT = 600
"""Seconds one cell may run before its notebook fails."""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class NotebookError(RuntimeError):
    """A notebook failed to execute.

    Parameters
    ----------
    notebook : Path
        The notebook file.
    cell_index : int or None
        Index of the failing cell in the notebook's list of cells (counting
        from 0, markdown cells included), or None if the kernel failed
        before any cell ran.
    error : str
        What went wrong: ``"ZeroDivisionError: division by zero"``.
    first_line : str, optional
        The first non-blank line of the failing cell.
    details : str, optional
        The traceback or kernel log, without terminal colour codes.
    """

    def __init__(
        self, notebook: Path, cell_index: int | None, error: str, *, first_line: str = "", details: str = ""
    ) -> None:
        self.notebook = notebook
        self.cell_index = cell_index
        self.error = error
        if cell_index is None:
            msg = f"{notebook.name} failed before its first cell: {error}"
        else:
            msg = f"{notebook.name} failed in cell {cell_index} ({first_line!r}): {error}"
        if details:
            msg = f"{msg}\n\n{details}"
        super().__init__(msg)


# ---------------------------------------------------------------------------
# Execution
# ---------------------------------------------------------------------------


_T = TypeVar("_T")


def _run_interruptibly(main: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """Run ``main()`` in an event loop of its own, in a worker thread, and return its result.

    The calling thread only waits, so Ctrl-C reaches it as a plain
    KeyboardInterrupt, even when it runs an event loop itself (a notebook).
    It then cancels ``main()``, waits while nbclient shuts the kernels down
    and raises KeyboardInterrupt again; a second Ctrl-C stops waiting. In a
    worker thread nbclient cannot install the signal handlers of its own,
    which would swallow Ctrl-C.
    """
    started, done = threading.Event(), threading.Event()
    running: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[Any]]] = []
    outcome: list[_T | BaseException] = []

    async def wrapper() -> _T:
        task = asyncio.current_task()
        assert task is not None
        running.append((asyncio.get_running_loop(), task))
        started.set()
        return await main()

    def target() -> None:
        try:
            outcome.append(asyncio.run(wrapper()))
        except BaseException as exc:  # handed to the waiting thread
            outcome.append(exc)
        finally:
            started.set()
            done.set()

    worker = threading.Thread(target=target, name="kzviz-kernels")
    worker.start()
    try:
        _wait(done)
    except KeyboardInterrupt:
        started.wait()
        for loop, task in running:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing left to cancel
                loop.call_soon_threadsafe(task.cancel)
        _wait(done)
        raise
    worker.join()
    (result,) = outcome
    if isinstance(result, BaseException):
        raise result
    return result


def _wait(event: threading.Event) -> None:
    """Wait for `event`, waking up often enough to notice Ctrl-C.

    SIGINT may be delivered to any thread, and Python raises
    KeyboardInterrupt only once the main thread runs again. (Waiting on
    ``Thread.join`` is no good either: Python 3.10 and 3.11 mark a thread
    whose join was interrupted as stopped although it still runs.)
    """
    while not event.wait(0.1):
        pass


def _first_line(cell: NotebookNode) -> str:
    lines = [line for line in str(cell.get("source", "")).splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


async def _execute(path: Path, timeout: int) -> NotebookNode:
    """Execute `path` in a new kernel; see :func:`execute_notebook`."""
    nb = read_notebook(path)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None

    current: list[int] = []

    def on_cell_start(cell: NotebookNode, cell_index: int) -> None:
        current[:] = [cell_index]

    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        store_widget_state=True,
        record_timing=False,
        coalesce_streams=True,
        resources={"metadata": {"path": str(path.resolve().parent)}},
        on_cell_start=on_cell_start,
    )
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryFile() as kernel_log:
        try:
            await client.async_execute(env=env, stderr=kernel_log)
        except Exception as exc:
            index = current[0] if current else None
            if isinstance(exc, CellExecutionError):
                error = f"{exc.ename}: {exc.evalue}"
                details = _ANSI.sub("", exc.traceback).strip()
            else:
                kernel_log.seek(0)
                log = kernel_log.read().decode("utf-8", "replace").strip()
                error = f"{type(exc).__name__}: {exc}"
                details = f"kernel log:\n{log}" if log else ""
            first_line = "" if index is None else _first_line(nb.cells[index])
            raise NotebookError(path, index, error, first_line=first_line, details=details) from exc
    return nb


def execute_notebook(path: str | os.PathLike[str], *, timeout: int = DEFAULT_TIMEOUT) -> NotebookNode:
    """Execute a notebook from a clean kernel and return the executed copy.

    The file is not changed. Code cells run in order in a new ``python3``
    kernel whose working directory is the notebook's folder, with
    ``PYTHONHASHSEED=0`` so set and dict orders repeat. Stored outputs and
    widget state are cleared first, and the state of every open widget is
    stored in ``metadata.widgets`` afterwards. The kernel's own log
    (stderr) is kept out of the console and quoted if the kernel fails.

    Parameters
    ----------
    path : str or path-like
        The ``.ipynb`` file.
    timeout : int, optional
        Seconds one cell may run.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (not normalised; see :func:`normalise_notebook`).

    Raises
    ------
    NotebookError
        If a cell raises, times out or kills the kernel, or the kernel does
        not start. The message names the notebook, the cell index and first
        line, and the error, followed by the traceback.
    KeyboardInterrupt
        On Ctrl-C, once the kernel has shut down.
    """
    return _run_interruptibly(lambda: _execute(Path(path), timeout))


def execute_notebooks(
    paths: Sequence[str | os.PathLike[str]], *, jobs: int = 2, timeout: int = DEFAULT_TIMEOUT
) -> list[NotebookNode]:
    """Execute several notebooks, `jobs` at a time, each in its own clean kernel.

    Parameters
    ----------
    paths : sequence of str or path-like
        The ``.ipynb`` files; the same file may be listed more than once.
    jobs : int, optional
        How many kernels run at once.
    timeout : int, optional
        Seconds one cell may run.

    Returns
    -------
    list of nbformat.NotebookNode
        The executed notebooks, in the order of `paths`.

    Raises
    ------
    NotebookError
        For the first notebook in `paths` that failed, once all have
        finished (no kernel is left running).
    KeyboardInterrupt
        On Ctrl-C, once every kernel has shut down; notebooks still waiting
        for a kernel are not started.
    """
    if jobs < 1:
        msg = f"jobs must be at least 1, got {jobs!r}."
        raise ValueError(msg)

    async def run_all() -> list[NotebookNode | BaseException]:
        slots = asyncio.Semaphore(jobs)

        async def one(path: Path) -> NotebookNode:
            async with slots:
                return await _execute(path, timeout)

        return await asyncio.gather(*(one(Path(p)) for p in paths), return_exceptions=True)

    results = _run_interruptibly(run_all)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [result for result in results if not isinstance(result, BaseException)]


# ---------------------------------------------------------------------------
# Freshness
# ---------------------------------------------------------------------------


def freshness_diff(
    path: str | os.PathLike[str],
    *,
    executed: NotebookNode | None = None,
    timeout: int = DEFAULT_TIMEOUT,
) -> str:
    """Compare a stored notebook with its fresh, normalised execution.

    Parameters
    ----------
    path : str or path-like
        The stored ``.ipynb`` file.
    executed : nbformat.NotebookNode, optional
        The result of ``execute_notebook(path)`` if already at hand;
        otherwise the notebook is executed now.
    timeout : int, optional
        Seconds one cell may run.

    Returns
    -------
    str
        A unified diff from the stored file to the fresh one; empty when the
        stored notebook is fresh.
    """
    path = Path(path)
    fresh = notebook_text(
        normalise_notebook(executed if executed is not None else execute_notebook(path, timeout=timeout))
    )
    stored = path.read_text(encoding="utf-8")
    if stored == fresh:
        return ""
    lines = difflib.unified_diff(
        stored.splitlines(keepends=True),
        fresh.splitlines(keepends=True),
        f"{path.name} (stored)",
        f"{path.name} (fresh)",
    )
    return "".join(lines)


def is_fresh(
    path: str | os.PathLike[str],
    *,
    executed: NotebookNode | None = None,
    timeout: int = DEFAULT_TIMEOUT,
) -> bool:
    """Tell whether a stored notebook equals its fresh, normalised execution, byte for byte.

    Parameters
    ----------
    path : str or path-like
        The stored ``.ipynb`` file.
    executed : nbformat.NotebookNode, optional
        The result of ``execute_notebook(path)`` if already at hand.
    timeout : int, optional
        Seconds one cell may run.

    Returns
    -------
    bool
        True if re-running the notebook would not change the file.
    """
    return not freshness_diff(path, executed=executed, timeout=timeout)


# ---------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------


def _select(notebooks: list[Path], only: str) -> Path:
    """Find the notebook `only` names: file name, stem or ``NN`` prefix."""
    wanted = only.removesuffix(".ipynb")
    matches = [p for p in notebooks if wanted in {p.stem, p.stem[:2]}]
    if len(matches) != 1:
        names = ", ".join(p.name for p in notebooks) or "none"
        msg = f"No single notebook matches only={only!r}; the collection has: {names}."
        raise ValueError(msg)
    return matches[0]


def _refresh_notebooks(targets: list[Path], *, progress: bool, timeout: int) -> list[Path]:
    """Execute, normalise and write back each notebook in turn; return those whose file changed."""
    written: list[Path] = []
    for number, path in enumerate(targets, start=1):
        if progress:
            print(f"[{number}/{len(targets)}] {path.name} ...", end="", flush=True)
        start = time.perf_counter()
        try:
            changed = write_notebook(normalise_notebook(execute_notebook(path, timeout=timeout)), path)
        except BaseException as exc:
            if progress:
                print(" interrupted" if isinstance(exc, KeyboardInterrupt) else " FAILED", flush=True)
            raise
        if changed:
            written.append(path)
        if progress:
            state = "updated" if changed else "unchanged"
            print(f" {time.perf_counter() - start:.1f} s ({state})", flush=True)
    return written


def _export_site(notebooks: list[Path], site_dir: str | os.PathLike[str], *, progress: bool) -> list[Path]:
    """Export the collection with :func:`kzviz.site.export_site`; return the pages written."""
    start = time.perf_counter()
    from kzviz.site import export_site  # nbconvert loads only for a build that exports

    pages = export_site(notebooks, site_dir)
    if progress:
        print(f"site: {len(pages)} pages in {Path(site_dir)} ({time.perf_counter() - start:.1f} s)", flush=True)
    return pages


def build_collection(
    notebooks_dir: str | os.PathLike[str],
    site_dir: str | os.PathLike[str] | None,
    *,
    only: str | None = None,
    progress: bool = True,
    timeout: int = DEFAULT_TIMEOUT,
) -> list[Path]:
    """Execute and normalise the collection, then export it as a static site.

    Every ``NN-*.ipynb`` notebook (or just `only`) is executed from a clean
    kernel, normalised and written back if its text changed. A notebook is
    written only after all its cells ran. Then every notebook is exported
    to `site_dir` (see :func:`kzviz.site.export_site`).

    Parameters
    ----------
    notebooks_dir : str or path-like
        The folder of the collection.
    site_dir : str or path-like or None
        The output folder of the site; None skips the export.
    only : str, optional
        Execute just this notebook: its file name, stem or ``NN`` prefix.
    progress : bool, optional
        Print one line per notebook, ``[2/6] 01-energy-export-routes.ipynb ... 3.1 s``.
    timeout : int, optional
        Seconds one cell may run.

    Returns
    -------
    list of Path
        The files written: notebooks that changed, then the site pages.

    Raises
    ------
    FileNotFoundError
        If `notebooks_dir` holds no ``NN-*.ipynb`` notebook.
    ValueError
        If `only` matches no notebook, or several.
    NotebookError
        If a notebook fails; it names the notebook and the cell.
    KeyboardInterrupt
        On Ctrl-C, once the kernel has shut down. Notebooks already
        written stay; the one running is left as it was.
    """
    notebooks = collection_notebooks(notebooks_dir)
    if not notebooks:
        msg = f"No notebooks named {NOTEBOOK_GLOB} in {Path(notebooks_dir)}."
        raise FileNotFoundError(msg)
    targets = notebooks if only is None else [_select(notebooks, only)]
    written = _refresh_notebooks(targets, progress=progress, timeout=timeout)
    if site_dir is not None:
        written += _export_site(notebooks, site_dir, progress=progress)
    return written
