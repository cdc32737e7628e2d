"""The static site: page names, repeatable pages, atomic replacement and literal notebook text."""

from __future__ import annotations

import html
import re
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import nbformat
import pytest

from kzviz.notebook_files import collection_notebooks, write_notebook
from kzviz.notebook_outputs import WIDGET_STATE, WIDGET_VIEW
from kzviz.site import SITE_INTRO, export_site, notebook_description, notebook_title, page_name
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
    documents = {"readme.html", "data-readme.html"}  # README.md and data/README.md, linked from the notebooks
    assert one.keys() == two.keys() == {page_name(p) for p in notebooks} | documents | {"index.html"}
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
    assert index.count(f'<h3><a href="00-template-text.html">{html.escape(TEMPLATE_TEXT)}</a></h3>') == 1
    assert index.count(f"<p>{html.escape(TEMPLATE_TEXT)}</p>") == 1  # the description
    assert "<title>kzviz: Kazakhstan" in index
    assert f"<title>{html.escape(TEMPLATE_TEXT)}</title>" in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert text.count(TEMPLATE_TEXT) >= 3  # heading, paragraph and stream output
    for evaluated in ("KZ49KZ", "KZRKZ"):
        assert evaluated not in index
        assert evaluated not in text


# ---------------------------------------------------------------------------
# Links, documents and navigation
# ---------------------------------------------------------------------------


class _Anchors(HTMLParser):
    """Collect every ``<a href>`` of a page with its attributes and text, and every ``id``."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self._open: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self._open = {**values, "text": ""}
            self.anchors.append(self._open)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data


def anchors(page: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def project(tmp_path: Path, *cells: str, readme: str = "# Proj\n\nAbout it.\n") -> list[Path]:
    """Write a project folder: README.md, data/README.md and notebooks/00-first, 01-second (`cells` in 00)."""
    (tmp_path / "data").mkdir()
    (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    (tmp_path / "data" / "README.md").write_text("# The data dictionary\n\nColumns.\n", encoding="utf-8")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    paths = [folder / "00-first.ipynb", folder / "01-second.ipynb"]
    write_notebook(notebook("# First", *cells), paths[0])
    write_notebook(notebook("# Second\n\nThe second one.", "[Back](00-first.ipynb)"), paths[1])
    return paths


def test_links_to_project_markdown_files_become_pages(tmp_path: Path) -> None:
    readme = "# Proj\n\nAbout it. See [the notebook](notebooks/01-second.ipynb) and [the data](data/README.md).\n"
    cells = ("[the README](../README.md) · [columns](../data/README.md#events) · [next](01-second.ipynb#Second)",)
    written = export_site(project(tmp_path, *cells, readme=readme), tmp_path / "site")
    site = tmp_path / "site"
    names = ["00-first.html", "01-second.html", "readme.html", "data-readme.html", "index.html"]
    assert [p.name for p in written] == names  # the project's README before the folders' READMEs
    assert sorted(p.name for p in site.iterdir()) == sorted(names)

    hrefs = [a["href"] for a in anchors(site / "00-first.html").anchors]
    assert {"readme.html", "data-readme.html#events", "01-second.html#Second"} <= set(hrefs)
    assert not [h for h in hrefs if ".ipynb" in h or ".md" in h]
    readme_page = anchors(site / "readme.html")
    assert {"01-second.html", "data-readme.html", "index.html"} <= {a["href"] for a in readme_page.anchors}
    text = (site / "data-readme.html").read_text(encoding="utf-8")
    assert "<title>The data dictionary</title>" in text
    assert '<h1 id="the-data-dictionary">The data dictionary</h1>' in text
    assert "<title>About Proj</title>" in (site / "readme.html").read_text(encoding="utf-8")


def test_every_relative_link_of_the_site_points_at_a_page(tmp_path: Path) -> None:
    cells = ("[R](../README.md), [D](../data/README.md), [S](01-second.ipynb), [web](https://example.org/x)",)
    export_site(project(tmp_path, *cells), tmp_path / "site")
    site = tmp_path / "site"
    for page in site.iterdir():
        parsed = anchors(page)
        for anchor in parsed.anchors:
            href = anchor["href"]
            if urlsplit(href).scheme:
                assert urlsplit(href).scheme in {"http", "https"}, (page.name, href)
                continue
            target, _, fragment = href.partition("#")
            assert target == "" or ("/" not in target and (site / target).is_file()), (page.name, href)
            if target == "" and fragment:
                assert fragment in parsed.ids, (page.name, href)


def test_links_the_site_cannot_follow_are_refused_before_writing(tmp_path: Path) -> None:
    cells = (
        "[licence](../LICENSE) [gone](../data/gone.md) ![plot](plot.png) [other](02-missing.ipynb)",
        "[web](https://example.org/a.md) [top](#First) [mail](mailto:a@example.org)",
    )
    paths = project(tmp_path, *cells)
    (tmp_path / "LICENSE").write_text("MIT", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"^The site cannot follow 4 link\(s\): 00-first\.ipynb links to '\.\./LICENSE'; "
    ) as e:
        export_site(paths, tmp_path / "site")
    for link in ("'../data/gone.md'", "'plot.png'", "'02-missing.ipynb'"):
        assert f"00-first.ipynb links to {link}" in str(e.value)
    assert "https://example.org" not in str(e.value)
    assert not (tmp_path / "site").exists()


def test_markdown_outside_the_project_folder_is_not_published(tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_text("# Secret\n", encoding="utf-8")
    (tmp_path / "proj").mkdir()
    paths = project(tmp_path / "proj", "[s](../../secret.md)")
    with pytest.raises(ValueError, match=r"00-first\.ipynb links to '\.\./\.\./secret\.md'"):
        export_site(paths, tmp_path / "site")


def test_links_are_what_the_markdown_parser_reads_as_links(tmp_path: Path) -> None:
    code = "Not links: `[a](01-second.ipynb)` and\n\n```\n[b](../nowhere.md)\n```\n\nA [real one](01-second.ipynb)."
    export_site(project(tmp_path, code), tmp_path / "site")
    page = (tmp_path / "site" / "00-first.html").read_text(encoding="utf-8")
    assert page.count("[a](01-second.ipynb)") == 1  # code shows as written
    assert page.count("[b](../nowhere.md)") == 1
    assert '<a href="01-second.html">real one</a>' in page


def test_documents_show_their_html_as_text(tmp_path: Path) -> None:
    readme = '# Proj <b>x</b>\n\n<script>alert("x")</script>\n\nText with <img src=x onerror=alert(1)>.\n'
    export_site(project(tmp_path, "[R](../README.md)", readme=readme), tmp_path / "site")
    page = (tmp_path / "site" / "readme.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert" in page
    assert "<title>About Proj &lt;b&gt;x&lt;/b&gt;</title>" in page


def test_every_page_links_back_to_the_index_and_between_notebooks(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    paths = [folder / f"0{i}-page.ipynb" for i in range(3)]
    for i, path in enumerate(paths):
        write_notebook(notebook(f"# Page <{i}>"), path)
    export_site(paths, tmp_path / "site")
    for i, path in enumerate(paths):
        links = anchors(tmp_path / "site" / f"{path.stem}.html").anchors
        assert sum(a["href"] == "index.html" for a in links) == 2  # header and footer
        previous = [(a["href"], a["text"]) for a in links if a.get("rel") == "prev"]
        following = [(a["href"], a["text"]) for a in links if a.get("rel") == "next"]
        assert previous == ([(f"0{i - 1}-page.html", f"← Previous: Page <{i - 1}>")] * 2 if i > 0 else [])
        assert following == ([(f"0{i + 1}-page.html", f"Next: Page <{i + 1}> →")] * 2 if i < 2 else [])
    index = anchors(tmp_path / "site" / "index.html").anchors
    assert [(a["href"], a["text"]) for a in index] == [
        ("index.html", "All notebooks"),
        *[(f"0{i}-page.html", f"Page <{i}>") for i in range(3)],
    ]


def test_the_index_introduces_the_site_and_shows_titles(tmp_path: Path) -> None:
    export_site(project(tmp_path, "[R](../README.md)", "[D](../data/README.md)"), tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert ".ipynb" not in index
    assert f'<p class="intro">{html.escape(SITE_INTRO)}</p>' in index
    assert re.search(r"<header[^>]*>\s*<nav [^>]*aria-label=\"Site\"", index)
    assert index.count("<main>") == 1
    headings = [int(level) for level in re.findall(r"<h([1-6])", index)]
    assert headings == [1, 2, 3, 3, 2]  # no level skipped
    assert [a["text"] for a in anchors(tmp_path / "site" / "index.html").anchors] == [
        "All notebooks",
        "About Proj",
        "The data dictionary",
        "First",
        "Second",
        "About Proj",
        "The data dictionary",
    ]


@pytest.mark.parametrize(
    ("sources", "title", "description"),
    [
        (("```\n# not a heading\n```\n\n# Real title\n\nFirst *para*graph.",), "Real title", "First paragraph."),
        (("Setext title\n============\n\n> quoted\n\nText.",), "Setext title", "Text."),
        (
            ("# Title with [a link](https://x.org) and <br> html\n\n- a list\n\nPara.",),
            "Title with a link and <br> html",
            "Para.",
        ),
        (("    # indented code\n\n## Second level",), "Second level", ""),
    ],
)
def test_titles_and_descriptions_follow_the_markdown_parser(
    sources: tuple[str, ...], title: str, description: str
) -> None:
    nb = notebook(*sources)
    assert notebook_title(nb) == title
    assert notebook_description(nb) == description


def test_documents_get_github_anchors_and_keyboard_scrollable_tables(tmp_path: Path) -> None:
    readme = "# Proj\n\n## events.csv\n\n| column | meaning |\n|---|---|\n| `id` | key |\n\n## Events.csv!\n\nMore.\n"
    export_site(project(tmp_path, "[events](../README.md#eventscsv)", readme=readme), tmp_path / "site")
    page = tmp_path / "site" / "readme.html"
    assert {"proj", "eventscsv", "eventscsv-1"} <= anchors(page).ids
    assert "readme.html#eventscsv" in [a["href"] for a in anchors(tmp_path / "site" / "00-first.html").anchors]
    text = page.read_text(encoding="utf-8")
    region = '<div class="table-scroll" role="region" tabindex="0" aria-label="Table 1: events.csv">\n<table>'
    assert text.count(region) == 1


def test_document_pages_never_take_another_pages_name(tmp_path: Path) -> None:
    paths = project(tmp_path, "[i](../index.md) [n](../01-second.md)")
    (tmp_path / "index.md").write_text("# Index document\n", encoding="utf-8")
    (tmp_path / "01-second.md").write_text("# Notes on the second\n", encoding="utf-8")
    export_site(paths, tmp_path / "site")
    site = tmp_path / "site"
    assert "<title>Index document</title>" in (site / "index-2.html").read_text(encoding="utf-8")
    assert "<title>Notes on the second</title>" in (site / "01-second-2.html").read_text(encoding="utf-8")
    assert "<title>Second</title>" in (site / "01-second.html").read_text(encoding="utf-8")
    assert "<title>kzviz: Kazakhstan" in (site / "index.html").read_text(encoding="utf-8")
    export_site(paths, site)  # a second export keeps the document pages that look like notebook pages
    assert (site / "01-second-2.html").is_file()
