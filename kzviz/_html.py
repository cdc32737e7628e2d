"""Escaped HTML snippets for tooltips, popups and legends.

Every piece of text from the data passes through :func:`html.escape` here,
and links are written only for http(s) URLs. Map, chart and timeline code never
formats data into HTML itself. Text that HTML and SVG cannot carry at all
(control characters, lone surrogates) is refused, not dropped: the loaders
already refuse it, so reaching it here means a frame was built by hand.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters that XML forbids and UTF-8 cannot encode alone: C0 controls
other than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF."""


def esc(value: object) -> str:
    """Return `value` as text safe to place in HTML or SVG (quotes included).

    Parameters
    ----------
    value : object
        Any value; None gives an empty string.

    Returns
    -------
    str
        The escaped text.

    Raises
    ------
    ValueError
        If the text holds a character HTML and SVG cannot carry (see
        :data:`_UNWRITABLE`); the message quotes the text.
    """
    text = "" if value is None else str(value)
    bad = _UNWRITABLE.search(text)
    if bad is not None:
        msg = f"text {text!r} contains {bad.group()!r}, which HTML and SVG cannot carry"
        raise ValueError(msg)
    return html.escape(text, quote=True)


def is_web_url(url: object) -> bool:
    """Tell whether `url` is an absolute http(s) URL with a host."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # for example an unbalanced IPv6 bracket
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def host(url: str) -> str:
    """Return the host name of a URL without a leading ``www.``, for short source labels."""
    name = urlsplit(url).netloc
    return name.removeprefix("www.")


def link(url: object, label: object | None = None, *, title: object | None = None) -> str:
    """Return an ``<a>`` for an http(s) URL, or the escaped text for anything else.

    `label` (default: the URL) is the link text and `title` an optional
    tooltip; both are escaped.
    """
    text = esc(label if label is not None else url)
    if not is_web_url(url):
        return text
    tooltip = "" if title is None else f' title="{esc(title)}"'
    return f'<a href="{esc(url)}"{tooltip} target="_blank" rel="noopener noreferrer">{text}</a>'


SourceLink = tuple[str, str]
"""A source as escaped HTML: its ``href`` (empty when it is not an http(s) URL) and its label."""


def source_links(urls: Iterable[str], titles: Sequence[str] | None = None) -> tuple[SourceLink, ...]:
    """Return sources as escaped (href, label) pairs, labelled by title or host name.

    Parameters
    ----------
    urls : iterable of str
        Source URLs; one that is not an http(s) URL is shown as text, not linked.
    titles : sequence of str, optional
        Labels, by position; a source without one is labelled by its host.

    Returns
    -------
    tuple of (str, str)
        Escaped ``href`` (empty for a URL that is not linked) and escaped label.
    """
    links = []
    for i, url in enumerate(urls):
        web = is_web_url(url)
        label = titles[i] if titles is not None and i < len(titles) else (urlsplit(url).netloc if web else url)
        links.append((esc(url) if web else "", esc(label)))
    return tuple(links)


def sources_list_html(links: Sequence[SourceLink]) -> str:
    """Return the HTML list of sources from :func:`source_links` pairs."""
    items = "".join(
        f'<li><a href="{href}" target="_blank" rel="noopener noreferrer">{label}</a></li>'
        if href
        else f"<li>{label}</li>"
        for href, label in links
    )
    return f'<ul class="kz-sources">{items}</ul>'


@dataclass(frozen=True)
class Popup:
    """A popup in parts: row labels a layer shares, and one feature's escaped text.

    A map sends each distinct label list once and each popup as its parts
    (see :mod:`kzviz.maps._compact`); the browser joins them with the markup
    of :meth:`html`, so a layer of many features does not repeat that markup.

    Parameters
    ----------
    labels : tuple of str
        Row labels as HTML (escaped, or markup kzviz writes).
    title : str
        Heading, escaped.
    values : tuple of str
        One escaped value per label; an empty value leaves its row out.
    extra : str
        Escaped HTML placed between the table and the sources.
    sources : tuple of (str, str)
        From :func:`source_links`; none leaves out the sources heading too.
    """

    labels: tuple[str, ...]
    title: str
    values: tuple[str, ...]
    extra: str = ""
    sources: tuple[SourceLink, ...] = ()

    def html(self) -> str:
        """Return the popup's HTML."""
        cells = "".join(
            f"<tr><th>{label}</th><td>{value}</td></tr>"
            for label, value in zip(self.labels, self.values, strict=True)
            if value
        )
        sources = f'<div class="kz-sources-head">Sources</div>{sources_list_html(self.sources)}' if self.sources else ""
        return f'<div class="kz-popup"><h4>{self.title}</h4><table>{cells}</table>{self.extra}{sources}</div>'


def build_popup(
    title: object, rows: Sequence[tuple[str, object]], sources: Sequence[SourceLink] = (), *, extra: str = ""
) -> Popup:
    """Return a popup: heading, a table of label/value rows, extra HTML and sources.

    Parameters
    ----------
    title : object
        Heading text (escaped here).
    rows : sequence of (str, object)
        Labels and values (both escaped here); rows whose value is None or "" are left out.
    sources : sequence of (str, str)
        From :func:`source_links`.
    extra : str, optional
        Already-escaped HTML placed between the table and the sources.

    Returns
    -------
    Popup
        The popup; :meth:`Popup.html` gives its HTML.
    """
    labels = tuple(esc(label) for label, _ in rows)
    values = tuple("" if value is None else esc(value) for _, value in rows)
    return Popup(labels, esc(title), values, extra, tuple(sources))
