"""The command line: every failure a user can fix ends in one line on stderr, Ctrl-C in exit status 130."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest

from kzviz import __main__ as cli
from kzviz import _readers, collection, notebook_files
from kzviz.notebook_files import write_notebook
from tests.conftest import FIXTURE_NOTEBOOKS_DIR, ROOT

DATA_FILES = sorted(p.name for p in (ROOT / "data").iterdir() if p.suffix in {".csv", ".geojson"})


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[str]]:
    """Run ``kzviz *argv`` in this process; return the exit status, stdout and the lines of stderr."""
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err.splitlines()


def one_line(err: list[str]) -> str:
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    return err[0]


@pytest.fixture
def notebooks(tmp_path: Path) -> Path:
    """Return a copy of the fixture collection (two notebooks without outputs)."""
    return Path(shutil.copytree(FIXTURE_NOTEBOOKS_DIR, tmp_path / "notebooks"))


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a copy of the shipped data, which the loaders then read instead of data/."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in DATA_FILES:
        shutil.copy(ROOT / "data" / name, folder / name)
    monkeypatch.setattr(_readers, "data_dir", lambda: folder)
    return folder


# ---------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------


def test_help_documents_the_folders(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["build", "--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--notebooks DIR" in out
    assert f"(default: {ROOT / 'notebooks'})" in out
    assert "--site DIR" in out
    assert f"(default: {ROOT / 'site'})" in out


def test_site_and_no_site_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["build", "--site", "x", "--no-site"])
    assert info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_build_passes_the_folders_on(
    notebooks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(collection, "build_collection", lambda *args, **kwargs: calls.append((*args, kwargs)))
    site = tmp_path / "out" / "site"
    assert run_cli(capsys, "build", "--notebooks", str(notebooks), "--site", str(site))[0] == 0
    assert run_cli(capsys, "build", "--notebooks", str(notebooks), "--only", "01", "--no-site")[0] == 0
    assert calls == [(notebooks, site, {"only": None}), (notebooks, None, {"only": "01"})]
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli(capsys, "build", "--notebooks", "notebooks")
    assert (status, err) == (0, [])
    assert calls[-1] == (Path("notebooks"), ROOT / "site", {"only": None})
    assert out.startswith("kzviz 0.1.0: data in ")  # the data summary
    assert out.endswith(f"site: open {ROOT / 'site' / 'index.html'}\n")


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["summary", "build"])
@pytest.mark.parametrize("problem", ["missing", "a folder"])
def test_unreadable_data_file(
    data_copy: Path, notebooks: Path, capsys: pytest.CaptureFixture[str], command: str, problem: str
) -> None:
    path = data_copy / "figures.csv"
    path.unlink()
    if problem == "a folder":
        path.mkdir()
    args = [command] if command == "summary" else [command, "--notebooks", str(notebooks), "--no-site"]
    status, out, err = run_cli(capsys, *args)
    reason = "No such file or directory" if problem == "missing" else "Is a directory"
    assert status == 1
    assert out == ""
    assert one_line(err) == (
        f"kzviz {command}: cannot read the data file {path}: {reason}. "
        "Restore it (in a source checkout: git checkout -- data/) or reinstall kzviz."
    )


def test_invalid_data_lists_every_problem(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = data_copy / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",1991-08-29,", ",1991-13-29,", 1), encoding="utf-8")
    status, out, err = run_cli(capsys, "summary")
    assert status == 1
    assert out == ""
    assert err[0] == "kzviz: invalid data"
    assert any("events.csv row" in line and "1991-13-29" in line for line in err[1:])


# ---------------------------------------------------------------------------
# Notebooks
# ---------------------------------------------------------------------------


def test_build_without_notebook_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    status, out, err = run_cli(capsys, "build", "--notebooks", str(missing))
    assert status == 1
    assert out == ""  # checked before the data is loaded
    assert one_line(err).startswith(f"kzviz build: no notebook folder at {missing}. Name the folder with --notebooks;")


def test_build_folder_without_notebooks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.ipynb").write_text("{}", encoding="utf-8")  # not NN-*.ipynb
    status, _, err = run_cli(capsys, "build", "--notebooks", str(tmp_path))
    assert status == 1
    assert one_line(err) == (
        f"kzviz build: no notebooks named [0-9][0-9]-*.ipynb in {tmp_path}. Check the folder given to --notebooks."
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not json", "Notebook does not appear to be JSON: 'not json'"),
        (b"{}", "Notebook could not be converted from version 1 to version 2"),
        (b'{"cells": 1, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "'int' object is not iterable"),
        (b"[]", "'list' object has no attribute 'get'"),
        (b"\xff\xfe{", "'utf-8' codec can't decode byte 0xff"),
        (b"", "Notebook does not appear to be JSON: ''"),
    ],
)
def test_build_with_a_broken_notebook(
    notebooks: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    broken = notebooks / "02-broken.ipynb"
    broken.write_bytes(content)
    status, out, err = run_cli(capsys, "build", "--notebooks", str(notebooks), "--no-site")
    assert status == 1
    assert out == ""  # no notebook ran
    line = one_line(err)
    assert line.startswith(f"kzviz build: {broken} is not a valid notebook ({reason}")
    assert line.endswith("). Fix it, or restore it from version control.")


def test_build_with_an_unreadable_notebook(
    notebooks: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # chmod cannot stop root from reading, so the refusal is simulated.
    def refuse(path: Path) -> Any:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(notebook_files, "read_notebook", refuse)
    status, _, err = run_cli(capsys, "build", "--notebooks", str(notebooks))
    assert status == 1
    first = notebooks / "00-summit-map.ipynb"
    assert one_line(err) == f"kzviz build: cannot read notebook {first}: Permission denied. Check its permissions."


def test_build_refuses_a_notebook_name_that_cannot_be_a_page(
    notebooks: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = notebooks / "02-Odd name.ipynb"
    shutil.copy(notebooks / "00-summit-map.ipynb", odd)
    status, out, err = run_cli(capsys, "build", "--notebooks", str(notebooks))
    assert (status, out) == (1, "")  # refused before any notebook runs
    line = one_line(err)
    assert line.startswith("kzviz build: Notebook name '02-Odd name.ipynb' cannot become a page of the site")
    assert line.endswith(f"Rename {odd}.")


# ---------------------------------------------------------------------------
# Site folder and errors during the build
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("below", ["", "sub/site"])
def test_site_folder_that_is_a_file(
    notebooks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], below: str
) -> None:
    blocker = tmp_path / "site"
    blocker.write_text("not a folder", encoding="utf-8")
    site = blocker / below if below else blocker
    status, out, err = run_cli(capsys, "build", "--notebooks", str(notebooks), "--site", str(site))
    assert (status, out) == (1, "")  # refused before the data is loaded and any notebook runs
    assert one_line(err) == (
        f"kzviz build: cannot export the site to {site}: {blocker} is a file. Move it away or choose another --site."
    )


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (IsADirectoryError(21, "Is a directory", "/s/00-a.html"), "/s/00-a.html: Is a directory. Check that path"),
        (FileNotFoundError("No notebooks named x in y."), "No notebooks named x in y. Check that path"),
        (ValueError("No single notebook\nmatches only='9'."), "No single notebook matches only='9'."),
    ],
)
def test_errors_during_the_build(
    notebooks: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: Exception,
    line: str,
) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise error

    monkeypatch.setattr(collection, "build_collection", fail)
    status, _, err = run_cli(capsys, "build", "--notebooks", str(notebooks), "--no-site")
    assert status == 1
    assert one_line(err).startswith(f"kzviz build: {line}")


def test_unknown_notebook(notebooks: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_cli(capsys, "build", "--notebooks", str(notebooks), "--only", "nope", "--no-site")
    assert status == 1
    assert one_line(err).startswith("kzviz build: No single notebook matches only='nope'")


@pytest.mark.parametrize(
    ("command", "target"),
    [("summary", (cli, "dataset_summary")), ("build", (collection, "build_collection"))],
)
def test_ctrl_c_in_process(
    notebooks: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    target: tuple[Any, str],
) -> None:
    def interrupt(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(*target, interrupt)
    args = [command] if command == "summary" else [command, "--notebooks", str(notebooks)]
    status, _, err = run_cli(capsys, *args)
    assert status == 130
    assert one_line(err).startswith(f"kzviz {command}: interrupted.")


# ---------------------------------------------------------------------------
# As a process
# ---------------------------------------------------------------------------

# Like a shell in a terminal: SIGINT raises KeyboardInterrupt. (A shell that
# started pytest in the background may have set SIGINT to "ignore", which
# children inherit and Python then keeps.)
BOOT = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'kzviz'; runpy.run_module('kzviz', run_name='__main__', alter_sys=True)"
)


def start_cli(*argv: str, cwd: Path) -> subprocess.Popen[str]:
    """Start ``python -m kzviz *argv`` in a session of its own, as a terminal would."""
    return subprocess.Popen(
        [sys.executable, "-c", BOOT, *argv],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_process_error_is_one_line(tmp_path: Path) -> None:
    proc = start_cli("build", "--notebooks", "missing", cwd=tmp_path)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert out == ""
    assert one_line(err.splitlines()).startswith("kzviz build: no notebook folder at missing.")


def _alive(pid: int) -> bool:
    """Tell whether process `pid` still runs (a zombie waiting to be reaped does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    except OSError:
        stat = ""
    return stat.rsplit(")", 1)[-1].split()[:1] != ["Z"]


def _wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.notebooks
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc and POSIX signals")
def test_ctrl_c_during_build(tmp_path: Path) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    pid_file = tmp_path / "kernel.pid"
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Sleeps", id="md"),
        nbformat.v4.new_code_cell(
            f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(120)", id="code"
        ),
    ]
    write_notebook(nb, notebooks / "00-sleeps.ipynb")
    before = (notebooks / "00-sleeps.ipynb").read_bytes()
    proc = start_cli("build", "--notebooks", str(notebooks), "--site", str(tmp_path / "site"), cwd=tmp_path)
    try:
        assert _wait_until(lambda: pid_file.exists() and pid_file.read_text() != "", 120), "the cell never ran"
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole foreground group
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130
    assert one_line(err.splitlines()).startswith("kzviz build: interrupted.")
    assert out.endswith("[1/1] 00-sleeps.ipynb ... interrupted\n")
    kernel = int(pid_file.read_text())
    assert _wait_until(lambda: not _alive(kernel), 10), "the kernel was left running"
    assert (notebooks / "00-sleeps.ipynb").read_bytes() == before
    assert not (tmp_path / "site").exists()
