"""A small SVG toolkit for the charts: layout estimates, number formats and escaped elements.

Every function returns SVG text with every attribute formatted the same way
each time (at most two decimals, no trailing zeros) and every piece of text
escaped through :func:`kzviz._html.esc`, so a chart drawn twice from the same
input is the same bytes. Colours come from :mod:`kzviz.palette`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from kzviz import palette
from kzviz._html import esc

WIDTH = 720
"""Width of every chart, in SVG user units."""

DISPLAY_WIDTH = 800
"""Width a chart is shown at, in CSS pixels: the smallest text (10 units) shows at 11 px.
A narrower page scrolls the chart sideways instead of shrinking its text."""

MARGIN = 16
"""Space left and right of the chart's content, in SVG user units."""

FONT = "Helvetica, Arial, sans-serif"

TITLE_SIZE, TEXT_SIZE, SMALL_SIZE = 16, 12, 10
"""Font sizes of titles, labels and small print (ticks, sources)."""

CHAR_WIDTH = 0.56
"""Average glyph width as a share of the font size, for layout estimates."""


def coord(x: float) -> str:
    """Format a coordinate with at most two decimals, the same way every time."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: float) -> str:
    """Format a data value: thousands separators, no trailing zeros."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float) -> float:
    """Estimate the width of `text` at font `size`."""
    return len(text) * size * CHAR_WIDTH


def wrap(text: str, width: float, size: float) -> list[str]:
    """Split `text` into lines that fit `width` at font `size` (estimated)."""
    limit = max(10, int(width / (size * CHAR_WIDTH)))
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = TEXT_SIZE,
    anchor: str = "start",
    colour: str = palette.TEXT_COLOUR,
    weight: str | None = None,
    cls: str | None = None,
    transform: str | None = None,
) -> str:
    """Return a ``<text>`` element; `content` is escaped."""
    attrs = [f'x="{coord(x)}"', f'y="{coord(y)}"', f'font-size="{coord(size)}"', f'fill="{colour}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if weight:
        attrs.append(f'font-weight="{weight}"')
    if cls:
        attrs.append(f'class="{cls}"')
    if transform:
        attrs.append(f'transform="{transform}"')
    return f"<text {' '.join(attrs)}>{esc(content)}</text>"


def line(x1: float, y1: float, x2: float, y2: float, colour: str, extra: str = "") -> str:
    """Return a ``<line>``; `extra` is further attributes, already escaped."""
    return f'<line x1="{coord(x1)}" y1="{coord(y1)}" x2="{coord(x2)}" y2="{coord(y2)}" stroke="{colour}"{extra}/>'


def nice_step(top: float, *, integer: bool, max_ticks: int = 5) -> float:
    """Return a round tick step so that about `max_ticks` steps cover `top`."""
    if top <= 0:
        return 1.0
    raw = top / max_ticks
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = multiple * magnitude
        if step >= raw and not (integer and not step.is_integer()):
            return step
    return 10.0 * magnitude


def ticks(top: float, *, integer: bool) -> list[float]:
    """Return tick values from 0 to the first round value at or above `top`."""
    step = nice_step(top, integer=integer)
    if integer:
        step = max(step, 1.0)
    count = max(1, math.ceil(top / step - 1e-9))
    return [i * step for i in range(count + 1)]


def header(title: str, subtitle: str) -> tuple[list[str], float]:
    """Return the title and subtitle lines and the y just below them."""
    parts: list[str] = []
    y = 8.0
    for row in wrap(title, WIDTH - 2 * MARGIN, TITLE_SIZE):
        y += TITLE_SIZE + 4
        parts.append(text(MARGIN, y, row, size=TITLE_SIZE, weight="bold", cls="title"))
    for row in wrap(subtitle, WIDTH - 2 * MARGIN, TEXT_SIZE):
        y += TEXT_SIZE + 5
        parts.append(text(MARGIN, y, row, colour=palette.MUTED_TEXT_COLOUR, cls="subtitle"))
    return parts, y


def source_lines(content: str, y: float) -> tuple[list[str], float]:
    """Return the source line(s) starting below `y`, and the y of the last one."""
    parts = []
    for row in wrap(content, WIDTH - 2 * MARGIN, SMALL_SIZE):
        y += SMALL_SIZE + 4
        parts.append(text(MARGIN, y, row, size=SMALL_SIZE, colour=palette.MUTED_TEXT_COLOUR, cls="source"))
    return parts, y


def document(title: str, height: float, body: Iterable[str]) -> str:
    """Return a standalone ``<svg>`` of the chart width and `height`, titled `title` (escaped)."""
    h = coord(math.ceil(height))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" '
        f'role="img" aria-label="{esc(title)}" font-family="{FONT}" '
        f'style="width:{DISPLAY_WIDTH}px;max-width:none;height:auto;background:{palette.BACKGROUND}">'
        f"<title>{esc(title)}</title>"
        f'<rect x="0" y="0" width="{WIDTH}" height="{h}" fill="{palette.BACKGROUND}"/>'
        f"{''.join(body)}</svg>"
    )


def rect(x: float, y: float, w: float, h: float, style: str, *, cls: str, data: str = "", tooltip: str = "") -> str:
    """Return a ``<rect>``; `style` and `data` are attributes already escaped, `tooltip` is escaped here."""
    head = f'<rect class="{cls}"{data} x="{coord(x)}" y="{coord(y)}" width="{coord(w)}" height="{coord(h)}" {style}'
    return f"{head}><title>{esc(tooltip)}</title></rect>" if tooltip else f"{head}/>"
