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


def sources_html(urls: Iterable[str], titles: Sequence[str] | None = None) -> str:
    """Return an HTML list of source links, labelled by title or host name."""
    items = []
    for i, url in enumerate(urls):
        label = (
            titles[i] if titles is not None and i < len(titles) else (urlsplit(url).netloc if is_web_url(url) else url)
        )
        items.append(f"<li>{link(url, label)}</li>")
    return f'<ul class="kz-sources">{"".join(items)}</ul>'


def popup_html(title: object, rows: Sequence[tuple[str, object]], sources: str, *, extra: str = "") -> str:
    """Return a popup body: heading, a table of label/value rows, extra HTML and sources.

    Parameters
    ----------
    title : object
        Heading text (escaped).
    rows : sequence of (str, object)
        Labels and values (both escaped); rows whose value is None or "" are left out.
    sources : str
        HTML from :func:`sources_html`.
    extra : str, optional
        Already-escaped HTML placed between the table and the sources.

    Returns
    -------
    str
        The popup HTML.
    """
    cells = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows if v not in (None, ""))
    return (
        f'<div class="kz-popup"><h4>{esc(title)}</h4><table>{cells}</table>{extra}'
        f'<div class="kz-sources-head">Sources</div>{sources}</div>'
    )
