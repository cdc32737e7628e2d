"""Publish the notebook collection as a static HTML site.

* :func:`export_site` turns stored notebooks into one page each (nbconvert's
  ``lab`` template, widget state embedded), the Markdown files they link to
  (the README, the data dictionary) into pages of their own, and writes
  ``index.html``;
* :func:`index_html` renders the index: an introduction, a card per
  notebook and the documents;
* :func:`notebook_title` and :func:`notebook_description` give a card's text;
* :func:`page_name` gives a notebook's page file name.

Markdown is parsed with mistune, the parser nbconvert itself uses: a link is
whatever mistune reads as a link, and titles are the text of the first
heading it finds. Links between the files of the project are rewritten to
the pages that show them, and an export that would leave a link the site
cannot follow fails before writing anything.

Every page carries the same chrome: a ``lang``, a title, a header navigation
back to the index (and, on notebook pages, to the previous and next
notebook), a ``<main>`` landmark, and a stylesheet with underlined links and
text colours that meet WCAG AA contrast (see :data:`NOTEBOOK_CSS`).

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
from collections.abc import Callable, Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, unquote, urlsplit

import mistune
from jinja2 import pass_context
from mistune.renderers.html import HTMLRenderer
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbformat import NotebookNode

from kzviz._atomic import write_atomically
from kzviz.notebook_files import read_notebook

_PAGE_STEM = re.compile(r"[0-9]{2}-[a-z0-9]+(?:-[a-z0-9]+)*")

MARKDOWN_PLUGINS = ("strikethrough", "table", "url")
"""mistune plugins for documents and titles: those nbconvert enables, apart from its maths."""

_TOKENS = mistune.create_markdown(renderer=None, plugins=list(MARKDOWN_PLUGINS))

# ---------------------------------------------------------------------------
# Titles and descriptions
# ---------------------------------------------------------------------------


def _blocks(markdown: str) -> list[dict[str, Any]]:
    """Parse `markdown` into mistune's block tokens."""
    tokens, _ = _TOKENS.parse(markdown)
    return cast(list[dict[str, Any]], tokens)


def _plain_text(tokens: list[dict[str, Any]]) -> str:
    """Return the text of inline tokens on one line (not escaped; inline HTML is kept as written)."""

    def pieces(tokens: list[dict[str, Any]]) -> Iterator[str]:
        for token in tokens:
            if "children" in token:
                yield from pieces(token["children"])
            elif token["type"] in {"softbreak", "linebreak"}:
                yield " "
            else:
                yield str(token.get("raw", ""))

    return " ".join("".join(pieces(tokens)).split())


def _first(blocks: list[dict[str, Any]], kind: str) -> str | None:
    """Return the plain text of the first top-level block of type `kind`, or None."""
    for block in blocks:
        if block["type"] == kind:
            return _plain_text(block.get("children", []))
    return None


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
            title = _first(_blocks(str(cell.source)), "heading")
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
    return _first(_blocks(str(nb.cells[0].source)), "paragraph") or ""


# ---------------------------------------------------------------------------
# Links between the files of the project
# ---------------------------------------------------------------------------


def _document_page(relative: Path) -> str:
    """Return the page name of a Markdown file: ``data/README.md`` gives ``data-readme.html``."""
    words = re.findall(r"[a-z0-9]+", relative.with_suffix("").as_posix().lower())
    return "-".join(words or ["document"]) + ".html"


class _SiteLinks:
    """Where the site sends relative links: notebooks to their pages, Markdown files to document pages.

    Links are resolved against the folder of the file they are written in,
    as GitHub and JupyterLab resolve them. A link to a notebook of the
    collection becomes its page; a link to a Markdown file in the project
    folder (the folder above the notebooks') makes that file a document
    page of the site. Absolute URLs and ``#fragment`` links stay as they
    are. Anything else is recorded in :attr:`problems`.
    """

    def __init__(self, notebooks: Sequence[Path], names: Sequence[str]) -> None:
        self.pages = {path.resolve(): name for path, name in zip(notebooks, names, strict=True)}
        folders = [str(path.parent) for path in self.pages] or [str(Path.cwd())]
        self.root = Path(os.path.commonpath(folders)).parent
        self.documents: dict[Path, str] = {}
        self.problems: list[str] = []

    def href(self, source: Path, url: str) -> str:
        """Return where a link written in `source` to `url` points on the site."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            return url
        target = (source.parent / unquote(parts.path)).resolve()
        page = self.pages.get(target) or self._document(target)
        if page is None:
            self.problems.append(f"{source.name} links to {url!r}")
            return url
        return page + (f"#{parts.fragment}" if parts.fragment else "")

    def _document(self, target: Path) -> str | None:
        """Return the page of the Markdown file `target`, registering it; None if it cannot be one."""
        if target in self.documents:
            return self.documents[target]
        if target.suffix.lower() != ".md" or not target.is_file() or not target.is_relative_to(self.root):
            return None
        name = _document_page(target.relative_to(self.root))
        taken = {"index.html", *self.pages.values(), *self.documents.values()}
        repeat = 1
        while name in taken:  # a document called index.md, or 00-x.md beside notebook 00-x
            repeat += 1
            name = f"{_document_page(target.relative_to(self.root))[:-5]}-{repeat}.html"
        self.documents[target] = name
        return name

    def check(self) -> None:
        """Raise ValueError listing every link that the site cannot follow."""
        if self.problems:
            msg = (
                f"The site cannot follow {len(self.problems)} link(s): {'; '.join(self.problems)}. "
                "Link to a notebook of the collection, to a Markdown file in "
                f"{str(self.root)!r} (it becomes a page of the site), or to a full URL."
            )
            raise ValueError(msg)


class _SiteRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with links and images pointed at the site's pages."""

    def __init__(self, href: Callable[[str], str], **options: Any) -> None:
        super().__init__(**options)
        self._href = href

    def link(self, text: str, url: str, title: str | None = None) -> str:
        """Render a link to where `url` points on the site."""
        return super().link(text, self._href(url), title)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        """Render an image from where `url` points on the site."""
        return super().image(text, self._href(url), title)


class _TextOf(HTMLParser):
    """Collect the text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text_of(fragment: str) -> str:
    """Return the text of an HTML fragment on one line."""
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


class _DocumentRenderer(HTMLRenderer):
    """mistune's HTML renderer for project documents: raw HTML shown as text, links pointed at the site.

    Headings get GitHub's anchors (``## events.csv`` is ``#eventscsv``), so
    links into a document work on the site as on GitHub. Each table sits in a
    labelled region that scrolls sideways on narrow screens and can be
    reached by keyboard.
    """

    def __init__(self, href: Callable[[str], str]) -> None:
        super().__init__(escape=True)
        self._href = href
        self._ids: set[str] = set()
        self._section = ""
        self._tables = 0

    def link(self, text: str, url: str, title: str | None = None) -> str:
        """Render a link to where `url` points on the site."""
        return super().link(text, self._href(url), title)

    def image(self, text: str, url: str, title: str | None = None) -> str:
        """Render an image from where `url` points on the site."""
        return super().image(text, self._href(url), title)

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        """Render a heading with GitHub's anchor: lower case, no punctuation, hyphens for spaces, ``-1`` on repeats."""
        self._section = _text_of(text)
        slug = "-".join(re.sub(r"[^\w\- ]", "", self._section.lower()).split(" "))
        anchor, repeat = slug, 0
        while anchor in self._ids:
            repeat += 1
            anchor = f"{slug}-{repeat}"
        self._ids.add(anchor)
        return super().heading(text, level, id=anchor)

    def table(self, text: str) -> str:
        """Render a table inside a focusable region named after its section, which scrolls when too wide."""
        self._tables += 1
        label = f"Table {self._tables}" + (f": {self._section}" if self._section else "")
        return (
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{html.escape(label)}">\n'
            f"<table>\n{text}</table>\n</div>\n"
        )


class _SiteExporter(HTMLExporter):
    """nbconvert's HTML exporter whose Markdown links go where :attr:`href` sends them.

    Set :attr:`href` before each notebook. It cannot travel in the
    resources: nbconvert deep-copies them before preprocessing, so a
    function passed there would record the documents it finds in a copy of
    the site's links.
    """

    href: Callable[[str], str] = staticmethod(lambda url: url)

    @pass_context
    def markdown2html(self, context: Any, source: str) -> str:
        """Render a markdown cell as nbconvert does, with links pointed at the site's pages."""
        cell = context.get("cell", {})
        renderer = _SiteRenderer(
            self.href,
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        return str(MarkdownWithMath(renderer=renderer).render(source))


# ---------------------------------------------------------------------------
# Page chrome: styles, navigation, templates
# ---------------------------------------------------------------------------

NAV_CSS = """
.site-header, .site-footer {font: 15px/1.5 system-ui, sans-serif; color: #222;}
.site-header {border-bottom: 1px solid #ccc; padding: 0.5rem 0; margin-bottom: 1rem;}
.site-footer {border-top: 1px solid #ccc; padding: 0.5rem 0; margin-top: 2rem;}
.site-nav ul {list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem;}
.site-nav a {color: #0d47a1; text-decoration: underline;}
.site-nav a[aria-current] {color: #222; font-weight: 600; text-decoration: none;}
"""
"""The navigation bars of every page; links are underlined, not told apart by colour alone."""

SITE_CSS = (
    NAV_CSS
    + """
body {font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem 1.5rem; color: #222;
  background: #fff;}
a {color: #0d47a1; text-decoration: underline;}
h1 {font-size: 1.6rem;}
h2 {font-size: 1.3rem; margin-top: 2rem;}
.intro {max-width: 42rem;}
.cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem;
  list-style: none; padding: 0;}
.card {border: 1px solid #949494; border-radius: 6px; padding: 0.8rem 1rem;}
.card h3 {font-size: 1.1rem; margin: 0 0 0.4rem;}
.card p {margin: 0;}
.documents li {margin-bottom: 0.5rem;}
.table-scroll {overflow-x: auto; margin: 1rem 0;}
.table-scroll:focus-visible {outline: 2px solid #0d47a1; outline-offset: 2px;}
.document table {border-collapse: collapse;}
.document th, .document td {border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top;}
.document code {font-size: 0.9em; background: #f3f3f3; padding: 0 0.2em;}
.document a, .document code, .document pre {overflow-wrap: anywhere;}
.document pre {background: #f3f3f3; padding: 0.6rem; white-space: pre-wrap; overflow-wrap: anywhere;}
"""
)
"""Style of the index and the document pages: dark text, underlined links."""

NOTEBOOK_CSS = (
    NAV_CSS
    + """
.site-header, .site-footer {padding-left: var(--jp-notebook-padding, 10px);}
:root {
  /* Prompts: full strength instead of the theme's half opacity (2.2:1 becomes 6.2:1). */
  --jp-cell-prompt-not-active-opacity: 1;
  /* Syntax colours that fall below 4.5:1 on the code cells' grey, darkened in their own hue. */
  --jp-mirror-editor-atom-color: #4b4bd6;
  --jp-mirror-editor-number-color: #007500;
  --jp-mirror-editor-variable-3-color: #00704a;
  --jp-mirror-editor-operator-color: #8a1fd6;
  --jp-mirror-editor-meta-color: #8a1fd6;
  --jp-mirror-editor-comment-color: #3a6f6f;
  --jp-mirror-editor-bracket-color: #6b6b45;
  --jp-mirror-editor-quote-color: #007500;
  --jp-mirror-editor-error-color: #c00;
  --jp-mirror-editor-hr-color: #696969;
}
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited,
.jp-RenderedText pre a:link, .jp-RenderedText pre a:visited {text-decoration: underline;}
/* nbconvert hides what overflows a code cell: wrap long lines instead, so phones show all the code. */
.jp-InputArea-editor .highlight pre {white-space: pre-wrap; overflow-wrap: anywhere;}
"""
)
"""What the site adds to nbconvert's ``lab`` page: the navigation, contrast and underlined links."""

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
{% block html_head_css %}
<style>
{{ resources.kzviz_site.css }}
</style>
{% endblock html_head_css %}
{% block body_header %}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<header class="site-header">
{{ resources.kzviz_site.header }}
</header>
<main>
{% endblock body_header %}
{% block body_footer %}
</main>
<footer class="site-footer">
{{ resources.kzviz_site.footer }}
</footer>
</body>
{% endblock body_footer %}
"""
"""nbconvert's ``lab`` page with the site's navigation and styles, and require.js told where the widgets live.

``resources["kzviz_site"]`` carries the stylesheet and the two navigation
bars, built and escaped in Python: the template only places them.
``@jupyter-widgets/html-manager`` loads its icon font (Font Awesome, for
example on a Play widget) from the folder of its AMD module. Without a
``paths`` entry require.js places the modules in the page's own folder, so
the page asks its host for ``@jupyter-widgets/<hash>.woff2`` and gets a 404.
Mapping the module names to the CDN folder the script comes from fixes that.
"""

STANDALONE_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="site-header">
{nav}
</header>
<main{main_class}>
{body}
</main>
</body>
</html>
"""
"""The index and the document pages; every field is escaped HTML built in this module."""

CARD_TEMPLATE = """<li class="card">
<h3><a href="{href}">{title}</a></h3>
<p>{description}</p>
</li>"""

DOCUMENT_TEMPLATE = """<li><a href="{href}">{title}</a>{description}</li>"""

SITE_TITLE = "kzviz: Kazakhstan's foreign relations, 1991–2022"

SITE_INTRO = (
    "How has Kazakhstan kept Russia, China, the United States and Europe on side at once since "
    "independence in 1991? These notebooks answer with maps of its export pipelines and Belt and Road "
    "corridors, a map of its summits and visits, charts of the figures behind the story, and a "
    "year-by-year timeline. Each page shows a notebook as it was last run: the maps, their layer "
    "controls and year sliders work here in the browser, with no Python running."
)
"""The introduction on the index page."""

INDEX_LINK_TEXT = "All notebooks"


def _nav(label: str, items: Sequence[tuple[str, str, str]]) -> str:
    """Render a ``<nav>`` of ``(href, text, kind)`` links; kind is ``""``, ``"prev"``, ``"next"`` or ``"current"``."""
    lines = []
    for href, text, kind in items:
        attrs = f' href="{html.escape(quote(href, safe="#"))}"'
        if kind in {"prev", "next"}:
            attrs += f' rel="{kind}"'
        elif kind == "current":
            attrs += ' aria-current="page"'
        label_html = html.escape(text)
        if kind == "prev":
            label_html = f'<span aria-hidden="true">← </span>Previous: {label_html}'
        elif kind == "next":
            label_html = f'Next: {label_html}<span aria-hidden="true"> →</span>'
        lines.append(f"<li><a{attrs}>{label_html}</a></li>")
    return f'<nav class="site-nav" aria-label="{html.escape(label)}">\n<ul>\n' + "\n".join(lines) + "\n</ul>\n</nav>"


def _notebook_navs(pages: Sequence[tuple[str, str]], index: int) -> tuple[str, str]:
    """Return the header and footer navigation of notebook page `index` among ``(name, title)`` pages."""
    items = [("index.html", INDEX_LINK_TEXT, "")]
    if index > 0:
        items.append((*pages[index - 1], "prev"))
    if index + 1 < len(pages):
        items.append((*pages[index + 1], "next"))
    return _nav("Site", items), _nav("Previous and next notebook", items)


def _site_nav(documents: Sequence[tuple[str, str, str]], current: str) -> str:
    """Return the navigation of the index and the document pages: the index, then each document."""
    items = [("index.html", INDEX_LINK_TEXT, "current" if current == "index.html" else "")]
    items += [(name, title, "current" if current == name else "") for name, title, _ in documents]
    return _nav("Site", items)


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
    return STANDALONE_TEMPLATE.format(
        title=html.escape(title),
        css=SITE_CSS,
        nav=_site_nav(documents, "index.html"),
        main_class="",
        body="\n".join(body),
    )


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


# ---------------------------------------------------------------------------
# The export
# ---------------------------------------------------------------------------


def _notebook_pages(
    notebooks: Sequence[Path], names: Sequence[str], links: _SiteLinks
) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Render every notebook's page; return the pages by name and the index cards."""
    exporter = _SiteExporter(template_name="lab", raw_template=PAGE_TEMPLATE)  # type: ignore[no-untyped-call]
    nbs = [read_notebook(path) for path in notebooks]
    titles = [notebook_title(nb, default=path.stem) for nb, path in zip(nbs, notebooks, strict=True)]
    pages: dict[str, str] = {}
    for index, (path, name, nb) in enumerate(zip(notebooks, names, nbs, strict=True)):
        header, footer = _notebook_navs(list(zip(names, titles, strict=True)), index)
        site = {"css": NOTEBOOK_CSS, "header": header, "footer": footer}
        exporter.href = functools.partial(links.href, path)
        exporter.environment.globals["uuid4"] = _OutputIds()
        resources = {"metadata": {"name": titles[index]}, "kzviz_site": site}
        pages[name], _ = exporter.from_notebook_node(nb, resources=resources)
    cards = [(name, title, notebook_description(nb)) for name, title, nb in zip(names, titles, nbs, strict=True)]
    return pages, cards


def _render_document(path: Path, links: _SiteLinks) -> tuple[str, str, str]:
    """Return the label, description and HTML body of a Markdown document of the project.

    The label is the document's first heading; the project's own README
    (``README.md`` in the project folder) is labelled ``About <heading>``.
    """
    text = path.read_text(encoding="utf-8")
    blocks = _blocks(text)
    renderer = _DocumentRenderer(functools.partial(links.href, path))
    body = mistune.create_markdown(renderer=renderer, plugins=list(MARKDOWN_PLUGINS))(text)
    title = _first(blocks, "heading") or path.name
    if path.relative_to(links.root) == Path("README.md"):
        title = f"About {title}"
    return title, _first(blocks, "paragraph") or "", str(body)


def _document_pages(links: _SiteLinks) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Render the Markdown files the site links to, and those they link to; return pages and index entries.

    Documents are listed by folder depth, then path: the project's README
    first, then the READMEs of its folders.
    """
    rendered: dict[Path, tuple[str, str, str]] = {}
    while pending := [path for path in links.documents if path not in rendered]:
        for path in pending:
            rendered[path] = _render_document(path, links)
    relative = {path: path.relative_to(links.root) for path in rendered}
    order = sorted(rendered, key=lambda path: (len(relative[path].parts), relative[path].as_posix()))
    documents = [(links.documents[path], *rendered[path][:2]) for path in order]
    pages = {
        links.documents[path]: STANDALONE_TEMPLATE.format(
            title=html.escape(rendered[path][0]),
            css=SITE_CSS,
            nav=_site_nav(documents, links.documents[path]),
            main_class=' class="document"',
            body=rendered[path][2],
        )
        for path in order
    }
    return pages, documents


def export_site(notebooks: Sequence[Path], site_dir: str | os.PathLike[str]) -> list[Path]:
    """Export stored notebooks as a static HTML site.

    Each notebook becomes ``<stem>.html`` through nbconvert's ``lab``
    template (see :data:`PAGE_TEMPLATE`), with its widget state embedded,
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
    links = _SiteLinks(notebooks, names)
    pages, cards = _notebook_pages(notebooks, names, links)
    document_pages, documents = _document_pages(links)
    links.check()
    site = _site_folder(site_dir)
    written: list[Path] = []
    for name, text in {**pages, **document_pages}.items():
        write_atomically(site / name, text)
        written.append(site / name)
    index = site / "index.html"
    write_atomically(index, index_html(cards, documents=documents))
    for stale in site.glob("[0-9][0-9]-*.html"):
        if stale.name not in pages and stale.name not in document_pages and stale.is_file():
            stale.unlink()
    return [*written, index]
