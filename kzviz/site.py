"""Publish the notebook collection as a static HTML site.

* :func:`export_site` turns stored notebooks into one page each (nbconvert's
  ``lab`` template, widget state embedded) plus ``index.html``;
* :func:`index_html` renders the index, a card per notebook;
* :func:`notebook_title` and :func:`notebook_description` give a card's text;
* :func:`page_name` gives a notebook's page file name.

Everything taken from a notebook is escaped before it goes into the index,
and no text from a notebook is ever used as template source: the page
template and the index template are constants. Pages are replaced
atomically and repeat byte for byte from build to build.
This module needs the ``notebooks`` extra (nbconvert).
"""

from __future__ import annotations

import copy
import html
import os
import re
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from nbconvert import HTMLExporter
from nbformat import NotebookNode

from kzviz.collection import read_notebook

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_PAGE_STEM = re.compile(r"[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*")
_NOTEBOOK_LINK = re.compile(r"""(\]\(\s*<?|href=["'])(\d\d-[\w.-]+?)\.ipynb(?=[#)>"'\s])""")


def _plain(markdown: str) -> str:
    """Reduce inline markdown to plain text on one line (not escaped)."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])", r"\1", text)
    return " ".join(text.split())


def notebook_title(nb: NotebookNode, default: str = "") -> str:
    """Return the text of the first markdown heading, as plain text.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.
    default : str, optional
        Returned when no markdown cell has a heading.

    Returns
    -------
    str
        The heading without ``#`` marks and inline markdown.
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _HEADING.search(str(cell.source))
            if match:
                return _plain(match.group(2))
    return default


def notebook_description(nb: NotebookNode) -> str:
    """Return the first paragraph of cell 1 that is not a heading, as plain text on one line.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.

    Returns
    -------
    str
        The paragraph, or an empty string if the first cell is not markdown
        or has only headings.
    """
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        return ""
    for block in re.split(r"\n[ \t]*\n", str(nb.cells[0].source)):
        block = block.strip()
        if block and not _HEADING.fullmatch(block) and not block.startswith("<!--"):
            return _plain(block)
    return ""


def _site_copy(nb: NotebookNode, stems: set[str]) -> NotebookNode:
    """Return a copy whose markdown links to collection notebooks point at their pages."""
    nb = copy.deepcopy(nb)

    def page(match: re.Match[str]) -> str:
        stem = match.group(2)
        return f"{match.group(1)}{stem}.html" if stem in stems else match.group(0)

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _NOTEBOOK_LINK.sub(page, str(cell.source))
    return nb


PAGE_TEMPLATE = """{%- extends "index.html.j2" -%}
{% block jupyter_widgets %}
{%- if "widgets" in nb.metadata and not resources.widget_renderer_url %}
<script>
(function () {
  var dist = {{ (resources.jupyter_widgets_base_url ~ "@jupyter-widgets/html-manager@"
                 ~ resources.html_manager_semver_range ~ "/dist/embed-amd") | tojson }};
  var paths = {};
  ["base", "controls", "base7", "controls7", "html-manager"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = dist;
  });
  require.config({paths: paths});
}());
</script>
{%- endif %}
{{ super() }}
{% endblock jupyter_widgets %}
"""
"""nbconvert's ``lab`` page, with require.js told where the widget modules live.

``@jupyter-widgets/html-manager`` loads its icon font (Font Awesome, for
example on a Play widget) from the folder of its AMD module. Without a
``paths`` entry require.js places the modules in the page's own folder, so
the page asks its host for ``@jupyter-widgets/<hash>.woff2`` and gets a 404.
Mapping the module names to the CDN folder the script comes from fixes that.
"""

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1.5rem; color: #222;}}
h1 {{font-size: 1.6rem;}}
.cards {{display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem;
  list-style: none; padding: 0;}}
.card {{border: 1px solid #ccc; border-radius: 6px; padding: 0.8rem 1rem;}}
.card h2 {{font-size: 1.1rem; margin: 0 0 0.4rem;}}
.card p {{margin: 0 0 0.4rem;}}
.card .file {{font: 0.8rem monospace; color: #666;}}
</style>
</head>
<body>
<h1>{title}</h1>
<ul class="cards">
{cards}
</ul>
</body>
</html>
"""

CARD_TEMPLATE = """<li class="card">
<h2><a href="{href}">{title}</a></h2>
<p>{description}</p>
<p class="file">{file}</p>
</li>"""

SITE_TITLE = "kzviz: Kazakhstan's foreign relations, 1991–2022"


def index_html(cards: Sequence[tuple[str, str, str]], *, title: str = SITE_TITLE) -> str:
    """Render the index page of the site.

    Parameters
    ----------
    cards : sequence of (str, str, str)
        ``(page file name, title, description)`` per notebook, as plain
        text; everything is escaped here.
    title : str, optional
        Title of the page.

    Returns
    -------
    str
        A standalone HTML document that loads nothing from the network.
    """
    items = [
        CARD_TEMPLATE.format(
            href=html.escape(quote(page)),
            title=html.escape(card_title),
            description=html.escape(description),
            file=html.escape(Path(page).stem + ".ipynb"),
        )
        for page, card_title, description in cards
    ]
    return INDEX_TEMPLATE.format(title=html.escape(title), cards="\n".join(items))


def page_name(notebook: str | os.PathLike[str]) -> str:
    """Return the file name of a notebook's page: ``NN-kebab-slug.html``.

    Parameters
    ----------
    notebook : str or path-like
        The ``.ipynb`` file; only its name is used.

    Returns
    -------
    str
        The notebook's stem with ``.html``: a plain file name that stays
        inside the site folder and cannot be ``index.html``.

    Raises
    ------
    ValueError
        If the notebook is not named ``NN-kebab-slug.ipynb`` (two digits, a
        hyphen, then lower-case letters and digits in hyphen-separated words).
    """
    path = Path(notebook)
    if path.suffix != ".ipynb" or not _PAGE_STEM.fullmatch(path.stem):
        msg = (
            f"Notebook name {path.name!r} cannot become a page of the site: name it NN-kebab-slug.ipynb "
            "(two digits, a hyphen, then lower-case words of letters and digits joined by hyphens)."
        )
        raise ValueError(msg)
    return f"{path.stem}.html"


class _OutputIds:
    """Stands in for ``uuid4`` in nbconvert's templates, so a page repeats byte for byte.

    nbconvert's ``lab`` template gives each widget and JavaScript output a
    ``<div>`` whose id comes from ``uuid4()``, so every export of a page
    with widgets differed. These ids only need to be unique within a page:
    they count the outputs of the page instead (``...-000000000001``, in
    the same UUID form).
    """

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> uuid.UUID:
        self.count += 1
        return uuid.UUID(int=self.count)


def _write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step: readers see the old file or the new one, never a mix.

    The text goes to a hidden temporary file in the same folder, which
    :func:`os.replace` then renames over `path`. If writing fails, the
    temporary file is removed; if the process is killed, it is left behind
    under a hidden name (``.<name>.<random>.tmp``) that no page matches.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        Path(tmp_name).chmod(0o644)  # mkstemp makes 0600; pages are served to everyone
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _site_folder(site_dir: str | os.PathLike[str]) -> Path:
    """Create the site folder if needed and remove what an export killed midway left behind."""
    site = Path(site_dir)
    if site.exists() and not site.is_dir():
        msg = f"The site folder {str(site)!r} is a file: remove or rename it, or export to another folder."
        raise NotADirectoryError(msg)
    site.mkdir(parents=True, exist_ok=True)
    for leftover in site.glob(".*.html.*.tmp"):
        if leftover.is_file():
            leftover.unlink()
    return site


def export_site(notebooks: Sequence[Path], site_dir: str | os.PathLike[str]) -> list[Path]:
    """Export stored notebooks as a static HTML site.

    Each notebook becomes ``<stem>.html`` through nbconvert's ``lab``
    template (see :data:`PAGE_TEMPLATE`), with its widget state embedded
    and its links to other notebooks of the collection pointing at their
    pages. ``index.html`` holds a card per notebook. Pages of notebooks
    that no longer exist are removed.

    Every file is replaced atomically, pages first and ``index.html`` last,
    then stale pages are removed: an export that is interrupted leaves each
    page either as it was or fully rewritten, and an index whose links all
    work. Exporting the same notebooks again gives the same bytes.

    Parameters
    ----------
    notebooks : sequence of Path
        The stored notebooks, in order (usually executed and normalised),
        each named ``NN-kebab-slug.ipynb``.
    site_dir : str or path-like
        The output folder, created if needed.

    Returns
    -------
    list of Path
        The pages written, then ``index.html``.

    Raises
    ------
    ValueError
        If a notebook is not named ``NN-kebab-slug.ipynb`` (see
        :func:`page_name`); nothing is written then.
    NotADirectoryError
        If `site_dir` is a file.
    """
    names = [page_name(path) for path in notebooks]
    site = _site_folder(site_dir)
    exporter = HTMLExporter(template_name="lab", raw_template=PAGE_TEMPLATE)  # type: ignore[no-untyped-call]
    stems = {path.stem for path in notebooks}
    written: list[Path] = []
    cards: list[tuple[str, str, str]] = []
    for path, name in zip(notebooks, names, strict=True):
        nb = read_notebook(path)
        title = notebook_title(nb, default=path.stem)
        exporter.environment.globals["uuid4"] = _OutputIds()
        body, _ = exporter.from_notebook_node(_site_copy(nb, stems), resources={"metadata": {"name": title}})
        page = site / name
        _write_atomically(page, body)
        written.append(page)
        cards.append((name, title, notebook_description(nb)))
    index = site / "index.html"
    _write_atomically(index, index_html(cards))
    for stale in site.glob("[0-9][0-9]-*.html"):
        if stale.name not in names and stale.is_file():
            stale.unlink()
    return [*written, index]
