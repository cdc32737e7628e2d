"""Publish the notebook collection as a static HTML site.

* :func:`export_site` turns stored notebooks into one page each (nbconvert's
  ``lab`` template, widget state embedded) plus ``index.html``;
* :func:`index_html` renders the index, a card per notebook;
* :func:`notebook_title` and :func:`notebook_description` give a card's text.

Everything taken from a notebook is escaped before it goes into the index.
This module needs the ``notebooks`` extra (nbconvert).
"""

from __future__ import annotations

import copy
import html
import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from nbconvert import HTMLExporter
from nbformat import NotebookNode

from kzviz.collection import read_notebook

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
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


def export_site(notebooks: Sequence[Path], site_dir: str | os.PathLike[str]) -> list[Path]:
    """Export stored notebooks as a static HTML site.

    Each notebook becomes ``<stem>.html`` through nbconvert's ``lab``
    template (see :data:`PAGE_TEMPLATE`), with its widget state embedded
    and its links to other notebooks of the collection pointing at their
    pages. ``index.html`` holds a card per notebook. Pages of notebooks
    that no longer exist are removed.

    Parameters
    ----------
    notebooks : sequence of Path
        The stored notebooks, in order (usually executed and normalised).
    site_dir : str or path-like
        The output folder, created if needed.

    Returns
    -------
    list of Path
        The pages written, then ``index.html``.
    """
    site = Path(site_dir)
    site.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab", raw_template=PAGE_TEMPLATE)  # type: ignore[no-untyped-call]
    stems = {path.stem for path in notebooks}
    written: list[Path] = []
    cards: list[tuple[str, str, str]] = []
    for path in notebooks:
        nb = read_notebook(path)
        title = notebook_title(nb, default=path.stem)
        body, _ = exporter.from_notebook_node(_site_copy(nb, stems), resources={"metadata": {"name": title}})
        page = site / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8")
        written.append(page)
        cards.append((page.name, title, notebook_description(nb)))
    for stale in site.glob("[0-9][0-9]-*.html"):
        if stale.stem not in stems:
            stale.unlink()
    index = site / "index.html"
    index.write_text(index_html(cards), encoding="utf-8")
    return [*written, index]
