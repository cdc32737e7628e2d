"""The notebook collection: execution errors, normalisation, freshness, the build and the site index."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from kzviz import collection, notebook_files
from kzviz.collection import NotebookError, build_collection, execute_notebooks, freshness_diff, is_fresh
from kzviz.notebook_files import collection_notebooks, notebook_text, read_notebook, write_notebook
from kzviz.notebook_outputs import WIDGET_STATE, WIDGET_VIEW, normalise_notebook
from kzviz.site import export_site, index_html, notebook_description, notebook_title
from tests.conftest import FIXTURE_NOTEBOOKS_DIR

FIXTURES = [path.name for path in collection_notebooks(FIXTURE_NOTEBOOKS_DIR)]
MAP, SLIDERS = FIXTURES
UUID_HEX = re.compile(r"\b[0-9a-f]{32}\b")


def markdown_notebook(*sources: str, code: tuple[str, ...] = ()) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s, id=f"md-{i}") for i, s in enumerate(sources)]
    nb.cells += [nbformat.v4.new_code_cell(s, id=f"code-{i}") for i, s in enumerate(code)]
    return nb


def widget_state(nb: Any) -> dict[str, Any]:
    return dict(nb.metadata["widgets"][WIDGET_STATE]["state"])


def test_fixture_notebooks() -> None:
    assert FIXTURES == ["00-summit-map.ipynb", "01-linked-sliders.ipynb"]


# ---------------------------------------------------------------------------
# Normalisation on real executions
# ---------------------------------------------------------------------------


@pytest.mark.notebooks
@pytest.mark.parametrize("name", FIXTURES)
def test_two_executions_normalise_to_the_same_bytes(fixture_runs: dict[str, Any], name: str) -> None:
    first, second = fixture_runs[name]
    assert notebook_text(normalise_notebook(first)) == notebook_text(normalise_notebook(second))


@pytest.mark.notebooks
@pytest.mark.parametrize("name", FIXTURES)
def test_normalisation_is_idempotent_and_survives_a_round_trip(fixture_runs: dict[str, Any], name: str) -> None:
    first, _ = fixture_runs[name]
    before = notebook_text(first)
    once = normalise_notebook(first)
    text = notebook_text(once)
    assert notebook_text(first) == before  # the input is not changed
    assert notebook_text(normalise_notebook(once)) == text
    assert notebook_text(normalise_notebook(nbformat.reads(text, as_version=4))) == text


@pytest.mark.notebooks
def test_normalised_map_notebook(fixture_runs: dict[str, Any]) -> None:
    raw, _ = fixture_runs[MAP]
    assert raw.metadata.language_info["version"]
    nb = normalise_notebook(raw)
    text = notebook_text(nb)
    assert not re.search(r" at 0x[0-9a-fA-F]+>", text)
    assert "A static picture of the map" in nb.cells[2].outputs[0].data["text/html"]
    assert "version" not in nb.metadata.language_info
    assert [c.get("execution_count") for c in nb.cells] == [None, 1, 2]
    assert nb.cells[2].outputs[0].execution_count == 2
    assert [o.output_type for o in nb.cells[1].outputs] == ["stream"]
    assert "widgets" not in nb.metadata
    assert '"execution"' not in text


@pytest.mark.notebooks
def test_widget_model_ids_become_counters(fixture_runs: dict[str, Any]) -> None:
    raw, _ = fixture_runs[SLIDERS]
    old_ids = set(widget_state(raw))
    nb = normalise_notebook(raw)
    state = widget_state(nb)
    assert len(state) == len(old_ids)
    assert list(state) == [f"{n:032x}" for n in range(1, len(state) + 1)]
    view = nb.cells[2].outputs[0].data[WIDGET_VIEW]
    assert view["model_id"] == f"{1:032x}"  # the VBox is the first model shown
    assert state[view["model_id"]]["model_name"] == "VBoxModel"
    # Every reference points at a renamed model; no random id is left anywhere.
    text = notebook_text(nb)
    refs = set(re.findall(r"IPY_MODEL_([0-9a-f]{32})", text))
    assert refs <= set(state)
    assert not old_ids & set(UUID_HEX.findall(text))
    # The jslink is referenced by nothing, yet kept: the static page needs it.
    (link,) = [m for m in state.values() if m["model_name"] == "LinkModel"]
    children = state[view["model_id"]]["state"]["children"]
    assert link["state"]["source"] == [children[0], "value"]
    assert link["state"]["target"] == [children[1], "value"]


# ---------------------------------------------------------------------------
# Normalisation rules on a hand-made notebook (no kernel)
# ---------------------------------------------------------------------------


def handmade() -> Any:
    a, b, c, link = "a" * 32, "b" * 32, "c" * 32, "d" * 32
    nb = markdown_notebook("# T", code=("print(1)", "w", "", "x"))
    nb.metadata.language_info = {"name": "python", "version": "3.11.7"}
    run, view, _, last = nb.cells[1:]
    run.execution_count = 7
    run.metadata["execution"] = {"iopub.status.busy": "2024-01-01T00:00:00Z"}
    run.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("stream", name="stdout", text="<foo.Bar object at 0x7f00aa>\n"),
        nbformat.v4.new_output("stream", name="stderr", text="warn\n"),
    ]
    view.execution_count = 9
    view.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            {WIDGET_VIEW: {"model_id": b, "version_major": 2, "version_minor": 0}, "text/plain": "Output()"},
            execution_count=9,
        )
    ]
    last.execution_count = 12
    last.outputs = [
        nbformat.v4.new_output("display_data", {"text/plain": "<kzviz.maps._base.KzMap at 0x7f3a5eda2c90>"})
    ]
    inner_view = {"model_id": c, "version_major": 2, "version_minor": 0}
    nb.metadata.widgets = {
        WIDGET_STATE: {
            "state": {
                link: {"model_name": "LinkModel", "state": {"source": [f"IPY_MODEL_{c}", "value"]}},
                a: {"model_name": "LayoutModel", "state": {}},
                c: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{a}"}},
                b: {
                    "model_name": "OutputModel",
                    "state": {"layout": f"IPY_MODEL_{a}", "outputs": [{"data": {WIDGET_VIEW: inner_view}}]},
                },
            },
            "version_major": 2,
            "version_minor": 0,
        }
    }
    return nb


def test_normalise_rules() -> None:
    nb = normalise_notebook(handmade())
    run, view, empty, last = nb.cells[1:]
    assert "execution" not in run.metadata
    assert [run.execution_count, view.execution_count, empty.execution_count, last.execution_count] == [1, 2, None, 3]
    assert view.outputs[0].execution_count == 2
    assert [(o.name, o.text) for o in run.outputs] == [("stdout", "1\n<foo.Bar object>\n"), ("stderr", "warn\n")]
    assert last.outputs[0].data["text/plain"] == "<kzviz.maps._base.KzMap>"
    assert nb.metadata.language_info == {"name": "python"}
    one, two, three, four = (f"{n:032x}" for n in range(1, 5))
    # Order of first appearance: the output's model, then what it refers to
    # (layout, then the slider inside its outputs), then unreferenced models.
    assert view.outputs[0].data[WIDGET_VIEW]["model_id"] == one
    state = widget_state(nb)
    assert state == {
        one: {
            "model_name": "OutputModel",
            "state": {
                "layout": f"IPY_MODEL_{two}",
                "outputs": [{"data": {WIDGET_VIEW: {"model_id": three, "version_major": 2, "version_minor": 0}}}],
            },
        },
        two: {"model_name": "LayoutModel", "state": {}},
        three: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{two}"}},
        four: {"model_name": "LinkModel", "state": {"source": [f"IPY_MODEL_{three}", "value"]}},
    }


def test_normalise_does_not_depend_on_stored_key_order() -> None:
    nb = handmade()
    shuffled = copy.deepcopy(nb)
    states = shuffled.metadata.widgets[WIDGET_STATE]
    states["state"] = dict(reversed(list(states["state"].items())))
    for model in states["state"].values():
        model["state"] = dict(reversed(list(model["state"].items())))
    assert notebook_text(normalise_notebook(shuffled)) == notebook_text(normalise_notebook(nb))


# ---------------------------------------------------------------------------
# Freshness
# ---------------------------------------------------------------------------


@pytest.mark.notebooks
@pytest.mark.parametrize("name", FIXTURES)
def test_is_fresh(tmp_path: Path, fixture_runs: dict[str, Any], name: str) -> None:
    first, second = fixture_runs[name]
    stored = tmp_path / name
    assert not is_fresh(FIXTURE_NOTEBOOKS_DIR / name, executed=second)  # committed without outputs
    assert write_notebook(normalise_notebook(first), stored)
    assert not write_notebook(normalise_notebook(second), stored)  # same text: not rewritten
    assert is_fresh(stored, executed=second)
    assert freshness_diff(stored, executed=second) == ""

    tampered = json.loads(stored.read_text(encoding="utf-8"))
    tampered["cells"][2]["outputs"] = []
    stored.write_text(json.dumps(tampered, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    diff = freshness_diff(stored, executed=second)
    assert diff.startswith(f"--- {name} (stored)\n+++ {name} (fresh)\n")
    assert not is_fresh(stored, executed=second)


# ---------------------------------------------------------------------------
# Errors and the build
# ---------------------------------------------------------------------------


@pytest.mark.notebooks
def test_cell_error_names_notebook_and_cell_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "07-broken.ipynb"
    write_notebook(markdown_notebook("# Broken", code=("x = 1", "\n\ny = x / 0  # boom\nprint(y)")), broken)
    before = broken.read_bytes()
    message = r"^07-broken\.ipynb failed in cell 2 \('y = x / 0  # boom'\): ZeroDivisionError: division by zero\n"
    with pytest.raises(NotebookError, match=message) as info:
        build_collection(tmp_path, tmp_path / "site")
    assert info.value.cell_index == 2
    assert info.value.notebook == broken
    assert "ZeroDivisionError" in str(info.value).split("\n\n", 1)[1]  # the traceback follows
    assert "\x1b[" not in str(info.value)  # no terminal colours
    assert broken.read_bytes() == before  # never half-executed on disk
    assert not (tmp_path / "site").exists()
    assert capsys.readouterr().out == "[1/1] 07-broken.ipynb ... FAILED\n"


def _alive(pid: int) -> bool:
    """Tell whether process `pid` still runs (a zombie does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] != ["Z"]


CTRL_C_RUN = """
import _thread, json, signal, sys, threading, time
from pathlib import Path
from kzviz.collection import execute_notebooks

signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even if the suite runs detached

paths = [Path(p) for p in sys.argv[2:]]
pid_files = [Path(sys.argv[1]) / f"kernel-{n}.pid" for n in range(2)]  # two run at once; the third waits
threads = threading.active_count()

def interrupt_when_both_run():
    deadline = time.monotonic() + 120
    while not all(p.exists() and p.read_text() for p in pid_files) and time.monotonic() < deadline:
        time.sleep(0.1)
    _thread.interrupt_main()  # what Ctrl-C does to the main thread

threading.Thread(target=interrupt_when_both_run, daemon=True).start()
start = time.monotonic()
try:
    execute_notebooks(paths, jobs=2)
    raised = False
except KeyboardInterrupt:
    raised = True
elapsed = time.monotonic() - start
deadline = time.monotonic() + 5
while threading.active_count() > threads and time.monotonic() < deadline:
    time.sleep(0.05)
print(json.dumps({"raised": raised, "seconds": elapsed, "threads_left": threading.active_count() - threads}))
"""
"""Ctrl-C during :func:`execute_notebooks`, simulated in a fresh interpreter (argv: folder, notebooks).

A simulated Ctrl-C depends on the state of the process it lands in (its
SIGINT handler, and what else runs in the main thread at that moment): run
in the pytest process after the whole suite before it, it was lost in two
runs out of two, although it passed alone. A fresh interpreter is what a
reader pressing Ctrl-C has.
"""


@pytest.mark.notebooks
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_ctrl_c_stops_every_kernel(tmp_path: Path) -> None:
    paths = []
    for n in range(3):
        code = f"import os, time\nopen('kernel-{n}.pid', 'w').write(str(os.getpid()))\ntime.sleep(60)"
        paths.append(tmp_path / f"0{n}-sleeps.ipynb")
        write_notebook(markdown_notebook("# Sleeps", code=(code,)), paths[-1])
    run = subprocess.run(
        [sys.executable, "-c", CTRL_C_RUN, str(tmp_path), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    result = json.loads(run.stdout.splitlines()[-1])
    assert result["raised"], run.stderr  # KeyboardInterrupt came out
    assert result["seconds"] < 50  # interrupted, not finished
    kernels = [int((tmp_path / f"kernel-{n}.pid").read_text()) for n in range(2)]
    assert not any(_alive(pid) for pid in kernels)  # shut down before KeyboardInterrupt was raised
    assert not (tmp_path / "kernel-2.pid").exists()  # the waiting notebook never started
    assert result["threads_left"] == 0  # no thread left behind


def test_execute_notebooks_checks_jobs() -> None:
    with pytest.raises(ValueError, match=r"jobs must be at least 1, got 0\."):
        execute_notebooks([], jobs=0)


def test_build_needs_notebooks(tmp_path: Path) -> None:
    (tmp_path / "notes.ipynb").write_text("{}", encoding="utf-8")  # not NN-*.ipynb
    with pytest.raises(FileNotFoundError, match=r"No notebooks named \[0-9\]\[0-9\]-\*\.ipynb in "):
        build_collection(tmp_path, None)


def test_only_must_name_one_notebook(tmp_path: Path) -> None:
    for name in FIXTURES:
        shutil.copy(FIXTURE_NOTEBOOKS_DIR / name, tmp_path / name)
    expected = r"only='02'.*the collection has: 00-summit-map\.ipynb, 01-linked-sliders\.ipynb\."
    with pytest.raises(ValueError, match=expected):
        build_collection(tmp_path, None, only="02")


@pytest.mark.notebooks
def test_build_only_one_notebook_then_export_all(
    tmp_path: Path, fixture_runs: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURE_NOTEBOOKS_DIR / MAP, notebooks / MAP)
    write_notebook(normalise_notebook(fixture_runs[SLIDERS][0]), notebooks / SLIDERS)
    site = tmp_path / "site"
    (site / "stale").mkdir(parents=True)
    (site / "09-removed.html").write_text("old", encoding="utf-8")

    written = build_collection(notebooks, site, only="01-linked-sliders")

    pages = [site / "00-summit-map.html", site / "01-linked-sliders.html", site / "index.html"]
    assert written == pages  # the refreshed notebook was already fresh: not rewritten
    assert sorted(p.name for p in site.glob("*.html")) == sorted(p.name for p in pages)
    out = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"\[1/1\] 01-linked-sliders\.ipynb \.\.\. \d+\.\d s \(unchanged\)", out[0])
    assert re.fullmatch(r"site: 3 pages in .*site \(\d+\.\d s\)", out[1])
    html = pages[1].read_text(encoding="utf-8")
    assert "<title>Linked sliders (test fixture)</title>" in html
    assert WIDGET_STATE in html  # widget state embedded
    assert 'href="00-summit-map.html"' in html  # links between notebooks point at pages
    assert "00-summit-map.ipynb" not in html


# ---------------------------------------------------------------------------
# Titles, descriptions and the index page
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sources", "title", "description"),
    [
        (
            ("# Energy export routes\n\nOil *is* the **main** export.\nSee [CPC](https://x.org).",),
            "Energy export routes",
            "Oil is the main export. See CPC.",
        ),
        (("Intro first.\n\n## Later heading ##",), "Later heading", "Intro first."),
        (("<!-- note -->\n\n# T\n\n`code` and ![map](m.png) text",), "T", "code and map text"),
        (("# Only a title",), "Only a title", ""),
        (("no heading", "### Third-level `title`"), "Third-level title", "no heading"),
        ((), "", ""),
    ],
)
def test_title_and_description(sources: tuple[str, ...], title: str, description: str) -> None:
    nb = markdown_notebook(*sources)
    assert notebook_title(nb) == title
    assert notebook_description(nb) == description


def test_description_needs_a_markdown_first_cell() -> None:
    nb = markdown_notebook("# Title\n\nText.")
    nb.cells.insert(0, nbformat.v4.new_code_cell("1"))
    assert notebook_description(nb) == ""
    assert notebook_title(nb, default="fallback") == "Title"
    assert notebook_title(markdown_notebook(), default="fallback") == "fallback"


def test_index_escapes_hostile_titles(tmp_path: Path) -> None:
    hostile = '<script>alert("x")</script> & <b>co</b>'
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    path = notebooks / "00-hostile.ipynb"
    write_notebook(markdown_notebook(f"# {hostile}\n\n<img src=x onerror=alert(1)> 'quoted'"), path)

    export_site([path], tmp_path / "site")

    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index
    assert "<img" not in index
    assert "<b>" not in index
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;" in index
    assert "&lt;img src=x onerror=alert(1)&gt; &#x27;quoted&#x27;" in index
    assert 'href="00-hostile.html"' in index
    page = (tmp_path / "site" / "00-hostile.html").read_text(encoding="utf-8")
    assert "<title>&lt;script&gt;" in page  # nbconvert escapes the page title


def test_index_html_escapes_every_field() -> None:
    html = index_html([("<p>.html", "<t>", "<d>")], title="<T>")
    assert "<t>" not in html
    assert "<d>" not in html
    assert "<title>&lt;T&gt;</title>" in html
    assert 'href="%3Cp%3E.html"' in html


def test_read_notebook_reads_what_write_notebook_wrote(tmp_path: Path) -> None:
    nb = markdown_notebook("# T")
    path = tmp_path / "00-t.ipynb"
    assert write_notebook(nb, path)
    assert notebook_text(read_notebook(path)) == path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize(
    "name", ["NOTEBOOK_GLOB", "collection_notebooks", "notebook_text", "read_notebook", "write_notebook"]
)
def test_file_helpers_can_still_be_imported_from_collection(name: str) -> None:
    assert name in collection.__all__
    assert getattr(collection, name) is getattr(notebook_files, name)
