"""The static site: page names, repeatable pages, atomic replacement and literal notebook text."""

from __future__ import annotations

import html
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from kzviz.collection import collection_notebooks, write_notebook
from kzviz.notebook_outputs import WIDGET_STATE, WIDGET_VIEW
from kzviz.site import export_site, page_name
from tests.conftest import COLLECTION_DIR

WIDGET_NOTEBOOK = COLLECTION_DIR / "04-timeline-1991-2022.ipynb"


def notebook(*markdown: str, outputs: list[Any] | None = None) -> Any:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text, id=f"md-{i}") for i, text in enumerate(markdown)]
    if outputs is not None:
        nb.cells.append(nbformat.v4.new_code_cell("show()", id="code", execution_count=1, outputs=outputs))
    return nb


def widget_notebook() -> Any:
    """Return a notebook with two widget views and a JavaScript output, as a kernel stores them."""
    model = f"{1:032x}"
    view = {WIDGET_VIEW: {"model_id": model, "version_major": 2, "version_minor": 0}, "text/plain": "IntSlider()"}
    nb = notebook(
        "# Widgets",
        outputs=[
            nbformat.v4.new_output("display_data", view),
            nbformat.v4.new_output("display_data", {"application/javascript": "element.textContent = 'js';"}),
            nbformat.v4.new_output("execute_result", view, execution_count=1),
        ],
    )
    state = {model: {"model_module": "@jupyter-widgets/controls", "model_name": "IntSliderModel", "state": {}}}
    nb.metadata.widgets = {WIDGET_STATE: {"state": state, "version_major": 2, "version_minor": 0}}
    return nb


def site_files(site: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(site.iterdir())}


# ---------------------------------------------------------------------------
# Page names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notebook_path", "page"),
    [
        ("00-overview.ipynb", "00-overview.html"),
        ("notebooks/04-timeline-1991-2022.ipynb", "04-timeline-1991-2022.html"),
        ("../../elsewhere/12-x2.ipynb", "12-x2.html"),  # only the file name counts
    ],
)
def test_page_name(notebook_path: str, page: str) -> None:
    assert page_name(notebook_path) == page


@pytest.mark.parametrize(
    "name",
    [
        "index.ipynb",
        "overview.ipynb",
        "0-overview.ipynb",
        "00-.ipynb",
        "00-Overview.ipynb",
        "00-two words.ipynb",
        '00-a"b<c>.ipynb',
        "00-a..ipynb",
        "00--a.ipynb",
        "00-a-.ipynb",
        "00-a_b.ipynb",
        "00-été.ipynb",
        "00-a.html",
        "00-a.ipynb.bak",
        "00-a.IPYNB",
    ],
)
def test_page_name_refuses_other_names(name: str) -> None:
    with pytest.raises(ValueError, match=rf"^Notebook name {re.escape(repr(name))} cannot become a page of the site"):
        page_name(f"notebooks/{name}")


def test_export_refuses_a_bad_name_before_writing_anything(tmp_path: Path) -> None:
    good, bad = tmp_path / "00-good.ipynb", tmp_path / "index.ipynb"
    for path in (good, bad):
        write_notebook(notebook("# T"), path)
    with pytest.raises(ValueError, match=r"^Notebook name 'index\.ipynb' cannot become a page"):
        export_site([good, bad], tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_pages_stay_in_the_site_folder(tmp_path: Path) -> None:
    outside = tmp_path / "a" / "b"
    outside.mkdir(parents=True)
    path = outside / "00-far-away.ipynb"
    write_notebook(notebook("# Far away"), path)
    site = tmp_path / "a" / "site"
    export_site([outside / ".." / ".." / "a" / "b" / path.name], site)
    assert sorted(p.name for p in site.iterdir()) == ["00-far-away.html", "index.html"]
    assert sorted(p.name for p in tmp_path.rglob("*.html")) == ["00-far-away.html", "index.html"]


@pytest.mark.parametrize("below", ["", "sub"])
def test_site_folder_that_is_a_file(tmp_path: Path, below: str) -> None:
    path = tmp_path / "00-t.ipynb"
    write_notebook(notebook("# T"), path)
    blocker = tmp_path / "site"
    blocker.write_text("keep me", encoding="utf-8")
    site = blocker / below if below else blocker
    expected = r"^The site folder '.*site' is a file: remove or rename it" if not below else "site"
    with pytest.raises((NotADirectoryError, FileExistsError), match=expected):
        export_site([path], site)
    assert blocker.read_text(encoding="utf-8") == "keep me"


# ---------------------------------------------------------------------------
# The same notebooks give the same bytes
# ---------------------------------------------------------------------------


def test_widget_pages_repeat_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "00-widgets.ipynb"
    write_notebook(widget_notebook(), path)
    export_site([path], tmp_path / "one")
    export_site([path], tmp_path / "two")
    assert site_files(tmp_path / "one") == site_files(tmp_path / "two")
    page = (tmp_path / "one" / "00-widgets.html").read_text(encoding="utf-8")
    ids = re.findall(r'<div [^>]*\bid="([0-9a-f-]{36})"', page)
    assert ids == [f"00000000-0000-0000-0000-{n:012x}" for n in (1, 2, 3)]  # counted in each page
    assert [f"getElementById('{i}')" in page for i in ids] == [True, True, True]


def test_stored_collection_pages_repeat_byte_for_byte(tmp_path: Path) -> None:
    stored = WIDGET_NOTEBOOK.read_text(encoding="utf-8")
    assert WIDGET_VIEW in stored
    assert WIDGET_STATE in stored  # the notebook is stored with its widgets, as the site shows them
    notebooks = collection_notebooks(COLLECTION_DIR)
    assert WIDGET_NOTEBOOK in notebooks
    export_site(notebooks, tmp_path / "one")
    export_site(notebooks, tmp_path / "two")
    one, two = site_files(tmp_path / "one"), site_files(tmp_path / "two")
    assert one.keys() == two.keys() == {page_name(p) for p in notebooks} | {"index.html"}
    for name in one:
        assert one[name] == two[name], f"{name} differs between two exports"


# ---------------------------------------------------------------------------
# Interrupted exports
# ---------------------------------------------------------------------------

LIMITED_EXPORT = """
import resource, signal, sys
from pathlib import Path
from kzviz.site import export_site

limit, mode, site, *notebooks = sys.argv[1:]
# Python ignores SIGXFSZ, so the write fails with EFBIG; by default the signal kills the process.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN if mode == "error" else signal.SIG_DFL)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
export_site([Path(p) for p in notebooks], site)
"""
"""Export with a file size limit: writing a page larger than the limit kills the process (or fails)."""


def write_collection(folder: Path, version: str) -> list[Path]:
    """Write three notebooks whose titles carry `version`; the middle one makes a page of over 1 MB."""
    folder.mkdir(parents=True, exist_ok=True)
    large = nbformat.v4.new_output("display_data", {"image/png": "iVBORw0KGgo" + "A" * 1_000_000})
    contents = {
        "00-first.ipynb": notebook(f"# First, {version}"),
        "01-large.ipynb": notebook(f"# Large, {version}", outputs=[large]),
        "02-last.ipynb": notebook(f"# Last, {version}"),
    }
    for name, nb in contents.items():
        write_notebook(nb, folder / name)
    return [folder / name for name in contents]


@pytest.mark.skipif(sys.platform == "win32", reason="needs RLIMIT_FSIZE")
@pytest.mark.parametrize("mode", ["killed", "error"])
def test_interrupted_export_leaves_whole_pages(tmp_path: Path, mode: str) -> None:
    site = tmp_path / "site"
    export_site(write_collection(tmp_path / "old", "old"), site)
    old = site_files(site)
    new_notebooks = write_collection(tmp_path / "new", "new")
    export_site(new_notebooks, tmp_path / "expected")
    new = site_files(tmp_path / "expected")
    limit = 2 * len(old["00-first.html"])
    assert len(new["00-first.html"]) < limit < len(new["01-large.html"])

    args = [sys.executable, "-c", LIMITED_EXPORT, str(limit), mode, str(site), *map(str, new_notebooks)]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)

    if mode == "killed":
        assert proc.returncode < 0, proc.stderr  # killed by SIGXFSZ in the middle of writing the large page
    else:
        assert proc.returncode == 1
        assert "File too large" in proc.stderr
    now = site_files(site)
    pages = {name: data for name, data in now.items() if name.endswith(".html")}
    assert pages.keys() == old.keys()
    for name, data in pages.items():
        assert data in (old[name], new[name]), f"{name} is neither the old page nor the new one"
    assert pages["00-first.html"] == new["00-first.html"]
    assert pages["01-large.html"] == old["01-large.html"]
    assert pages["index.html"] == old["index.html"]  # the index comes last
    leftovers = [name for name in now if name not in pages]
    assert all(re.fullmatch(r"\.01-large\.html\.\w+\.tmp", name) for name in leftovers), leftovers
    assert len(leftovers) == (1 if mode == "killed" else 0)  # a failed write cleans up after itself

    export_site(new_notebooks, site)  # the next export finishes the job and sweeps the leftovers
    assert site_files(site) == new


def test_pages_are_readable_by_everyone(tmp_path: Path) -> None:
    path = tmp_path / "00-t.ipynb"
    write_notebook(notebook("# T"), path)
    for page in export_site([path], tmp_path / "site"):
        assert stat.S_IMODE(page.stat().st_mode) == 0o644


# ---------------------------------------------------------------------------
# Notebook text is never template source
# ---------------------------------------------------------------------------

TEMPLATE_TEXT = (
    "KZ{{ 7*7 }}KZ {% if true %}IF{% endif %} {# hidden #} {0} {title} {cards} {{title}} KZ{%raw%}R{%endraw%}"
)
"""Jinja and ``str.format`` syntax; evaluated, it would read 49, IF, lose the comment or fail."""


def test_template_syntax_in_notebooks_comes_out_literally(tmp_path: Path) -> None:
    stream = nbformat.v4.new_output("stream", name="stdout", text=TEMPLATE_TEXT + "\n")
    path = tmp_path / "00-template-text.ipynb"
    write_notebook(notebook(f"# {TEMPLATE_TEXT}\n\n{TEMPLATE_TEXT}", outputs=[stream]), path)

    export_site([path], tmp_path / "site")

    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    page = (tmp_path / "site" / "00-template-text.html").read_text(encoding="utf-8")
    assert index.count(f'<h2><a href="00-template-text.html">{html.escape(TEMPLATE_TEXT)}</a></h2>') == 1
    assert index.count(f"<p>{html.escape(TEMPLATE_TEXT)}</p>") == 1  # the description
    assert "<title>kzviz: Kazakhstan" in index
    assert f"<title>{html.escape(TEMPLATE_TEXT)}</title>" in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert text.count(TEMPLATE_TEXT) >= 3  # heading, paragraph and stream output
    for evaluated in ("KZ49KZ", "KZRKZ"):
        assert evaluated not in index
        assert evaluated not in text
