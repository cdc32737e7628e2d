"""Publish the notebook collection as a static HTML site.

* :func:`export_site` turns stored notebooks into one page each (nbconvert's
  ``lab`` template, widget state embedded), the Markdown files they link to
  (the README, the data dictionary) into pages of their own, and writes
  ``index.html``;
* :func:`index_html` renders the index: an introduction, a card per
  notebook and the documents;
* :func:`notebook_title` and :func:`notebook_description` give a card's text;
* :func:`page_name` gives a notebook's page file name.

Markdown is parsed with mistune, the parser nbconvert itself uses
(:mod:`kzviz._site_markdown`). Links between the files of the project are
rewritten to the pages that show them, and an export that would leave a
link the site cannot follow fails before writing anything.

Every page carries the same chrome (:mod:`kzviz._site_chrome`): a ``lang``,
a title, a header navigation back to the index (and, on notebook pages, to
the previous and next notebook), a ``<main>`` landmark, and a stylesheet
with underlined links and text colours that meet WCAG AA contrast.

Everything taken from a notebook or a document is escaped before it goes
into the chrome or the index, and no text from a notebook is ever used as
template source: the page templates are constants. Pages are replaced
atomically and repeat byte for byte from build to build.
This module needs the ``notebooks`` extra (nbconvert).
"""

from __future__ import annotations

import functools
import html
import os
import re
import uuid
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from nbformat import NotebookNode

from kzviz._atomic import write_atomically
from kzviz._site_chrome import (
    CARD_TEMPLATE,
    DOCUMENT_TEMPLATE,
    NOTEBOOK_CSS,
    PAGE_TEMPLATE,
    notebook_navs,
    site_nav,
    standalone_page,
)
from kzviz._site_markdown import SiteExporter, SiteLinks, first_text, parse_blocks, render_document
from kzviz.notebook_files import read_notebook

_PAGE_STEM = re.compile(r"[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*")

SITE_TITLE = "kzviz: Kazakhstan's foreign relations, 1991–2022"
"""The title of the index page."""

SITE_INTRO = (
    "How has Kazakhstan kept Russia, China, the United States and Europe on side at once since "
    "independence in 1991? These notebooks answer with maps of its export pipelines and Belt and Road "
    "corridors, a map of its summits and visits, charts of the figures behind the story, and a "
    "year-by-year timeline. Each page shows a notebook as it was last run: the maps, their layer "
    "controls and year sliders work here in the browser, with no Python running."
)
"""The introduction on the index page."""

# ---------------------------------------------------------------------------
# Titles, descriptions, the index and page names
# ---------------------------------------------------------------------------


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
        The heading's text without ``#`` marks or inline markdown, on one line.
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            title = first_text(parse_blocks(str(cell.source)), "heading")
            if title is not None:
                return title
    return default


def notebook_description(nb: NotebookNode) -> str:
    """Return the first paragraph of cell 1, as plain text on one line.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.

    Returns
    -------
    str
        The paragraph, or an empty string if the first cell is not markdown
        or has no paragraph (headings, HTML blocks and lists are not paragraphs).
    """
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        return ""
    return first_text(parse_blocks(str(nb.cells[0].source)), "paragraph") or ""


def index_html(
    cards: Sequence[tuple[str, str, str]],
    *,
    title: str = SITE_TITLE,
    intro: str = SITE_INTRO,
    documents: Sequence[tuple[str, str, str]] = (),
) -> str:
    """Render the index page of the site.

    Parameters
    ----------
    cards : sequence of (str, str, str)
        ``(page file name, title, description)`` per notebook, as plain
        text; everything is escaped here.
    title : str, optional
        Title of the page.
    intro : str, optional
        The paragraph under the title, as plain text.
    documents : sequence of (str, str, str), optional
        ``(page file name, title, description)`` per document page (the
        README, the data dictionary), listed after the notebooks and in the
        navigation.

    Returns
    -------
    str
        A standalone HTML document that loads nothing from the network.
    """
    items = [
        CARD_TEMPLATE.format(
            href=html.escape(quote(page)), title=html.escape(card_title), description=html.escape(description)
        )
        for page, card_title, description in cards
    ]
    body = [f"<h1>{html.escape(title)}</h1>", f'<p class="intro">{html.escape(intro)}</p>', "<h2>Notebooks</h2>"]
    body += ['<ol class="cards">', *items, "</ol>"]
    if documents:
        body += ["<h2>About the project and its data</h2>", '<ul class="documents">']
        body += [
            DOCUMENT_TEMPLATE.format(
                href=html.escape(quote(page)),
                title=html.escape(doc_title),
                description=f": {html.escape(description)}" if description else "",
            )
            for page, doc_title, description in documents
        ]
        body.append("</ul>")
    return standalone_page(title, site_nav(documents, "index.html"), "\n".join(body))


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


# ---------------------------------------------------------------------------
# The export
# ---------------------------------------------------------------------------


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


def _write_site(site: Path, pages: dict[str, str], index: str) -> list[Path]:
    """Replace each page, then ``index.html``, atomically; then remove the pages of notebooks now gone.

    Returns the files written, in that order.
    """
    written: list[Path] = []
    for name, text in pages.items():
        write_atomically(site / name, text)
        written.append(site / name)
    write_atomically(site / "index.html", index)
    for stale in site.glob("[0-9][0-9]-*.html"):
        if stale.name not in pages and stale.is_file():
            stale.unlink()
    return [*written, site / "index.html"]


def _notebook_pages(
    notebooks: Sequence[Path], names: Sequence[str], links: SiteLinks
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Render every notebook's page; return the pages by name and the index cards."""
    exporter = SiteExporter(template_name="lab", raw_template=PAGE_TEMPLATE)  # type: ignore[no-untyped-call]
    nbs = [read_notebook(path) for path in notebooks]
    titles = [notebook_title(nb, default=path.stem) for nb, path in zip(nbs, notebooks, strict=True)]
    pages: dict[str, str] = {}
    for index, (path, name, nb) in enumerate(zip(notebooks, names, nbs, strict=True)):
        header, footer = notebook_navs(list(zip(names, titles, strict=True)), index)
        site = {"css": NOTEBOOK_CSS, "header": header, "footer": footer}
        exporter.href = functools.partial(links.href, path)
        exporter.environment.globals["uuid4"] = _OutputIds()
        resources = {"metadata": {"name": titles[index]}, "kzviz_site": site}
        pages[name], _ = exporter.from_notebook_node(nb, resources=resources)
    cards = [(name, title, notebook_description(nb)) for name, title, nb in zip(names, titles, nbs, strict=True)]
    return pages, cards


def _document_pages(links: SiteLinks) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Render the Markdown files the site links to, and those they link to; return pages and index entries.

    Documents are listed by folder depth, then path: the project's README
    first, then the READMEs of its folders.
    """
    rendered: dict[Path, tuple[str, str, str]] = {}
    while pending := [path for path in links.documents if path not in rendered]:
        for path in pending:
            rendered[path] = render_document(path, links)
    relative = {path: path.relative_to(links.root) for path in rendered}
    order = sorted(rendered, key=lambda path: (len(relative[path].parts), relative[path].as_posix()))
    documents = [(links.documents[path], *rendered[path][:2]) for path in order]
    pages = {
        links.documents[path]: standalone_page(
            rendered[path][0], site_nav(documents, links.documents[path]), rendered[path][2], main_class="document"
        )
        for path in order
    }
    return pages, documents


def export_site(notebooks: Sequence[Path], site_dir: str | os.PathLike[str]) -> list[Path]:
    """Export stored notebooks as a static HTML site.

    Each notebook becomes ``<stem>.html`` through nbconvert's ``lab``
    template (see :data:`kzviz._site_chrome.PAGE_TEMPLATE`), with its widget state embedded,
    a navigation to the index and to the previous and next notebook, and
    its links rewritten: a link to another notebook of the collection points
    at its page, and a link to a Markdown file of the project (the folder
    above the notebooks', such as ``../README.md`` or
    ``../data/README.md``) points at a page made from that file
    (``readme.html``, ``data-readme.html``), whose own links are rewritten
    the same way. ``index.html`` holds an introduction, a card per notebook
    and the document pages. Pages of notebooks that no longer exist are
    removed.

    Every page is rendered before anything is written. Then every file is
    replaced atomically, pages first and ``index.html`` last, and stale
    notebook pages are removed: an export that is interrupted leaves each
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
        The notebook pages written, then the document pages, then ``index.html``.

    Raises
    ------
    ValueError
        If a notebook is not named ``NN-kebab-slug.ipynb`` (see
        :func:`page_name`), or if a notebook or document links to a file
        that the site cannot show (neither a notebook of the collection nor
        a Markdown file of the project), naming every such link; nothing
        is written then.
    NotADirectoryError
        If `site_dir` is a file.
    """
    names = [page_name(path) for path in notebooks]
    links = SiteLinks(notebooks, names)
    pages, cards = _notebook_pages(notebooks, names, links)
    document_pages, documents = _document_pages(links)
    links.check()
    return _write_site(_site_folder(site_dir), {**pages, **document_pages}, index_html(cards, documents=documents))
