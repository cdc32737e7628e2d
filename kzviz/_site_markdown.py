"""Markdown for the static site: titles, document pages and links between the files of the project.

Markdown is parsed with mistune, the parser nbconvert itself uses: a link is
whatever mistune reads as a link, and titles are the text of the first
heading it finds. :class:`SiteLinks` decides where each relative link of a
notebook or a document points on the site; :class:`SiteExporter` (notebook
pages) and :func:`render_document` (document pages) render Markdown with
those links. Raw HTML in a document is shown as text.
"""

from __future__ import annotations

import functools
import html
import os
import re
from collections.abc import Callable, Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import mistune
from jinja2 import pass_context
from mistune.renderers.html import HTMLRenderer
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

MARKDOWN_PLUGINS = ("strikethrough", "table", "url")
"""mistune plugins for documents and titles: those nbconvert enables, apart from its maths."""

_TOKENS = mistune.create_markdown(renderer=None, plugins=list(MARKDOWN_PLUGINS))


def parse_blocks(markdown: str) -> list[dict[str, Any]]:
    """Parse `markdown` into mistune's block tokens."""
    tokens, _ = _TOKENS.parse(markdown)
    return cast(list[dict[str, Any]], tokens)


def plain_text(tokens: list[dict[str, Any]]) -> str:
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


def first_text(blocks: list[dict[str, Any]], kind: str) -> str | None:
    """Return the plain text of the first top-level block of type `kind`, or None."""
    for block in blocks:
        if block["type"] == kind:
            return plain_text(block.get("children", []))
    return None


def document_page(relative: Path) -> str:
    """Return the page name of a Markdown file: ``data/README.md`` gives ``data-readme.html``."""
    words = re.findall(r"[a-z0-9]+", relative.with_suffix("").as_posix().lower())
    return "-".join(words or ["document"]) + ".html"


class SiteLinks:
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
        name = document_page(target.relative_to(self.root))
        taken = {"index.html", *self.pages.values(), *self.documents.values()}
        repeat = 1
        while name in taken:  # a document called index.md, or 00-x.md beside notebook 00-x
            repeat += 1
            name = f"{document_page(target.relative_to(self.root))[:-5]}-{repeat}.html"
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


class SiteRenderer(IPythonRenderer):
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


class TextOf(HTMLParser):
    """Collect the text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(fragment: str) -> str:
    """Return the text of an HTML fragment on one line."""
    parser = TextOf()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


class DocumentRenderer(HTMLRenderer):
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
        self._section = text_of(text)
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


class SiteExporter(HTMLExporter):
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
        renderer = SiteRenderer(
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


def render_document(path: Path, links: SiteLinks) -> tuple[str, str, str]:
    """Return the label, description and HTML body of a Markdown document of the project.

    The label is the document's first heading; the project's own README
    (``README.md`` in the project folder) is labelled ``About <heading>``.
    """
    text = path.read_text(encoding="utf-8")
    blocks = parse_blocks(text)
    renderer = DocumentRenderer(functools.partial(links.href, path))
    body = mistune.create_markdown(renderer=renderer, plugins=list(MARKDOWN_PLUGINS))(text)
    title = first_text(blocks, "heading") or path.name
    if path.relative_to(links.root) == Path("README.md"):
        title = f"About {title}"
    return title, first_text(blocks, "paragraph") or "", str(body)
