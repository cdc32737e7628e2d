"""Small SVG charts of the kzviz figures and events, drawn without a plotting library.

Every function takes validated frames (see :mod:`kzviz.datasets`), never reads
files, and returns a :class:`Chart`: a standalone SVG string that Jupyter
displays inline. The same input always gives the same bytes (no random ids,
fixed number formatting), every piece of text is HTML-escaped, and every
colour comes from :mod:`kzviz.palette`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from kzviz import palette, vocab
from kzviz._html import esc, is_web_url
from kzviz.timeframe import YearLike, check_year, year_or_deprecated

__all__ = ["Chart", "events_per_year", "figure_bars", "value_label"]

WIDTH = 720
"""Width of every chart, in SVG user units."""

DISPLAY_WIDTH = 800
"""Width a chart is shown at, in CSS pixels: the smallest text (9 units) shows at 10 px.
A narrower page scrolls the chart sideways instead of shrinking its text."""

FONT = "Helvetica, Arial, sans-serif"

DOMESTIC = "domestic"
"""Group of events with no foreign partner in :func:`events_per_year`."""

EVENT_GROUPS: tuple[str, ...] = (*vocab.PARTNERS, DOMESTIC)
"""Stacking order (bottom to top) and legend order of :func:`events_per_year`."""

METRIC_TITLES: Mapping[str, str] = MappingProxyType(
    {
        "trade_turnover": "Trade turnover",
        "trade_growth_rate": "Annual growth of trade",
        "external_trade_share": "Share of Kazakhstan's external trade",
        "fdi_share": "Share of foreign direct investment into Kazakhstan",
        "export_credit_support": "Export credit support for exports to Kazakhstan",
        "oil_output_share": "Share of Kazakhstan's oil output, by companies' home country",
        "budget_share_oil": "Oil sector's share of Kazakhstan's state budget",
        "arms_supplied": "Arms supplied to Kazakhstan",
        "leader_visits": "Leader's visits to Kazakhstan",
        "bri_economic_gain": "Expected gain to Kazakhstan's economy from the Belt and Road",
        "proven_oil_reserves_rank_eurasia": "Kazakhstan's rank by proven oil reserves in Eurasia",
        "proven_gas_reserves_rank_world": "Kazakhstan's rank by proven gas reserves worldwide",
    }
)
"""Default chart title of each metric in :data:`kzviz.vocab.FIGURE_METRICS`."""

_FIGURE_COLUMNS = ("metric", "partner", "period_start_year", "period_end_year", "value", "unit", "qualifier")
_EVENT_COLUMNS = ("year", "partners")
_PARTNER_LABELS = {"none": "Kazakhstan"}
_TITLE_SIZE, _TEXT_SIZE, _SMALL_SIZE = 16, 12, 10
_CHAR = 0.56
"""Average glyph width as a share of the font size, for layout estimates."""


@dataclass(frozen=True, repr=False)
class Chart:
    """An SVG chart that displays itself in Jupyter.

    Parameters
    ----------
    svg : str
        The complete SVG document (no XML declaration), already escaped.
    title : str
        The chart title as plain text.
    sources : tuple of (str, str)
        ``(title, url)`` of each source named on the chart's source line.
    """

    svg: str
    title: str
    sources: tuple[tuple[str, str], ...] = ()

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_html_(self) -> str:
        links = [_link(url, title) for title, url in self.sources if is_web_url(url)]
        caption = ""
        if links:
            caption = (
                f'<figcaption style="font:{_SMALL_SIZE + 1}px {FONT};color:{palette.MUTED_TEXT_COLOUR}">'
                f"Source links: {' · '.join(links)}</figcaption>"
            )
        # tabindex: a reader scrolls a chart wider than the page with the keyboard too
        style = "margin:0 0 1em 0;overflow-x:auto"
        return f'<figure class="kzviz-chart" tabindex="0" style="{style}">{self.svg}{caption}</figure>'

    def __repr__(self) -> str:
        return f"<Chart {self.title!r}: {len(self.svg):,} characters of SVG>"


# --------------------------------------------------------------------------- helpers


def _host(url: str) -> str:
    host = urlsplit(url).netloc
    return host[4:] if host.startswith("www.") else host


def _link(url: str, title: str) -> str:
    return f'<a href="{esc(url)}" title="{esc(title)}" target="_blank" rel="noopener noreferrer">{esc(_host(url))}</a>'


def _n(x: float) -> str:
    """Format a coordinate with at most two decimals, the same way every time."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _number(value: float) -> str:
    """Format a data value: thousands separators, no trailing zeros."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Split `text` into lines that fit `width` at font `size` (estimated)."""
    limit = max(10, int(width / (size * _CHAR)))
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


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = _TEXT_SIZE,
    anchor: str = "start",
    colour: str = palette.TEXT_COLOUR,
    weight: str | None = None,
    cls: str | None = None,
    transform: str | None = None,
) -> str:
    attrs = [f'x="{_n(x)}"', f'y="{_n(y)}"', f'font-size="{_n(size)}"', f'fill="{colour}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if weight:
        attrs.append(f'font-weight="{weight}"')
    if cls:
        attrs.append(f'class="{cls}"')
    if transform:
        attrs.append(f'transform="{transform}"')
    return f"<text {' '.join(attrs)}>{esc(text)}</text>"


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, extra: str = "") -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{colour}"{extra}/>'


def _nice_step(top: float, *, integer: bool, max_ticks: int = 5) -> float:
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


def _ticks(top: float, *, integer: bool) -> list[float]:
    """Return tick values from 0 to the first round value at or above `top`."""
    step = _nice_step(top, integer=integer)
    if integer:
        step = max(step, 1.0)
    count = max(1, math.ceil(top / step - 1e-9))
    return [i * step for i in range(count + 1)]


def _header(title: str, subtitle: str) -> tuple[list[str], float]:
    """Return the title and subtitle lines and the y just below them."""
    parts: list[str] = []
    y = 8.0
    for line in _wrap(title, WIDTH - 32, _TITLE_SIZE):
        y += _TITLE_SIZE + 4
        parts.append(_text(16, y, line, size=_TITLE_SIZE, weight="bold", cls="title"))
    for line in _wrap(subtitle, WIDTH - 32, _TEXT_SIZE):
        y += _TEXT_SIZE + 5
        parts.append(_text(16, y, line, colour=palette.MUTED_TEXT_COLOUR, cls="subtitle"))
    return parts, y


def _source_lines(text: str, y: float) -> tuple[list[str], float]:
    """Return the source line(s) starting below `y`, and the y of the last one."""
    parts = []
    for line in _wrap(text, WIDTH - 32, _SMALL_SIZE):
        y += _SMALL_SIZE + 4
        parts.append(_text(16, y, line, size=_SMALL_SIZE, colour=palette.MUTED_TEXT_COLOUR, cls="source"))
    return parts, y


def _document(title: str, height: float, body: Iterable[str]) -> str:
    h = _n(math.ceil(height))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" '
        f'role="img" aria-label="{esc(title)}" font-family="{FONT}" '
        f'style="width:{DISPLAY_WIDTH}px;max-width:none;height:auto;background:{palette.BACKGROUND}">'
        f"<title>{esc(title)}</title>"
        f'<rect x="0" y="0" width="{WIDTH}" height="{h}" fill="{palette.BACKGROUND}"/>'
        f"{''.join(body)}</svg>"
    )


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = (
            f"{what} is missing the column(s) {', '.join(map(repr, missing))}; pass the frame from kzviz.load_{what}()"
        )
        raise ValueError(msg)


def _period(start: Any, end: Any) -> str:
    return str(start) if start == end else f"{start}–{end}"


def value_label(value: float, unit: str, qualifier: str = "exact") -> str:
    """Return a figure as a reader would say it, for example ``"about 30 percent"``.

    Parameters
    ----------
    value : float
        The figure.
    unit : str
        One of :data:`kzviz.vocab.FIGURE_UNITS`.
    qualifier : str
        One of :data:`kzviz.vocab.FIGURE_QUALIFIERS`; ``"exact"`` adds nothing.

    Returns
    -------
    str
        The value with its unit and qualifier.
    """
    number = _number(value)
    if unit.startswith("USD"):
        scale = unit[3:].strip()
        text = f"USD {number} {scale}" if scale else f"USD {number}"
    elif unit == "rank":
        text = f"rank {number}"
    elif unit == "count":
        text = number
    else:
        text = f"{number} {unit}"
    return text if qualifier == "exact" else f"{qualifier} {text}"


# --------------------------------------------------------------------------- charts


def figure_bars(figures: pd.DataFrame, metric: str, *, title: str | None = None) -> Chart:
    """Draw one metric of the figures table as horizontal bars, one per row.

    Bars are sorted by value (largest first) and coloured by partner where
    the partner has a colour in :data:`kzviz.palette.PARTNER_COLOURS`, grey
    otherwise. Shares (unit ``"percent"``) are drawn on a 0-100 scale. Each
    bar is labelled with its value, unit and qualifier (for example "about
    30 percent"), and the source titles are named under the chart.

    Parameters
    ----------
    figures : pandas.DataFrame
        From :func:`kzviz.load_figures` (or a subset of its rows).
    metric : str
        A value of the ``metric`` column present in `figures`.
    title : str, optional
        Chart title; defaults to a title for the metric.

    Returns
    -------
    Chart
        The chart; displays itself in Jupyter, SVG text in ``.svg``.

    Raises
    ------
    ValueError
        If `metric` has no rows in `figures` (the message lists the metrics
        it has), if the rows mix units, or if a value is negative.
    """
    _require(figures, _FIGURE_COLUMNS, "figures")
    present = set(figures["metric"].astype("string").dropna())
    allowed = [m for m in vocab.FIGURE_METRICS if m in present] + sorted(present - set(vocab.FIGURE_METRICS))
    if metric not in present:
        msg = f"Unknown metric {metric!r}; expected one of the metrics in figures: {', '.join(allowed) or '(none)'}"
        raise ValueError(msg)
    rows = figures[figures["metric"].astype("string") == metric]
    units = list(dict.fromkeys(rows["unit"].astype(str)))
    if len(units) > 1:
        msg = f"Figures for metric {metric!r} mix units ({', '.join(units)}); bars need one unit"
        raise ValueError(msg)
    unit = units[0]
    records = rows.to_dict("records")
    negative = [r["value"] for r in records if r["value"] < 0]
    if negative:
        msg = f"Figures for metric {metric!r} must not be negative to be drawn as bars, got {negative!r}"
        raise ValueError(msg)
    records.sort(key=lambda r: -float(r["value"]))  # stable: ties keep frame order

    periods = {_period(r["period_start_year"], r["period_end_year"]) for r in records}
    common_period = next(iter(periods)) if len(periods) == 1 else None
    labels = []
    for r in records:
        name = _PARTNER_LABELS.get(str(r["partner"]), str(r["partner"]))
        labels.append(name if common_period else f"{name} ({_period(r['period_start_year'], r['period_end_year'])})")
    values = [float(r["value"]) for r in records]
    texts = [value_label(v, unit, str(r["qualifier"])) for v, r in zip(values, records, strict=True)]

    title = METRIC_TITLES.get(metric, metric.replace("_", " ").capitalize()) if title is None else title
    subtitle = f"Unit: {unit}" + (f"; period: {common_period}" if common_period else "")
    parts, y = _header(title, subtitle)

    band, bar_h = 30.0, 18.0
    left = 16 + max(60.0, max(_text_width(s, _TEXT_SIZE) for s in labels)) + 10
    right = WIDTH - 16 - max(_text_width(s, _TEXT_SIZE) for s in texts) - 8
    top = y + 26
    bottom = top + band * len(records)
    # Shares of a whole are drawn on a full 0-100 scale so a single share does not look like all of it.
    top_value = max([*values, 100.0]) if unit == "percent" else max(values)
    ticks = _ticks(top_value, integer=all(v.is_integer() for v in values))
    scale = (right - left) / ticks[-1]

    parts.append(_text(left - 10, top - 8, "Partner", size=_SMALL_SIZE, anchor="end", weight="bold", cls="axis-label"))
    for t in ticks:
        x = left + t * scale
        parts.append(_line(x, top, x, bottom, palette.GRID_COLOUR))
        parts.append(
            _text(x, bottom + 14, _number(t), size=_SMALL_SIZE, anchor="middle", colour=palette.MUTED_TEXT_COLOUR)
        )
    for i, (r, label, value, text) in enumerate(zip(records, labels, values, texts, strict=True)):
        y_bar = top + i * band + (band - bar_h) / 2
        colour = palette.PARTNER_COLOURS.get(str(r["partner"]), palette.PARTNER_COLOURS["other"])
        width = value * scale
        parts.append(
            f'<rect class="bar" data-value="{esc(_number(value))}" x="{_n(left)}" y="{_n(y_bar)}" '
            f'width="{_n(width)}" height="{_n(bar_h)}" fill="{colour}">'
            f"<title>{esc(f'{label}: {text}')}</title></rect>"
        )
        mid = y_bar + bar_h / 2 + _TEXT_SIZE * 0.35
        parts.append(_text(left - 10, mid, label, anchor="end", cls="bar-label"))
        parts.append(_text(left + width + 6, mid, text, cls="value-label"))
    parts.append(_line(left, top, left, bottom, palette.TEXT_COLOUR))
    parts.append(_text((left + right) / 2, bottom + 32, unit, size=_SMALL_SIZE + 1, anchor="middle", cls="axis-label"))

    sources = tuple(dict.fromkeys(_sources(rows)))
    source_text = "Source: " + "; ".join(f"{t} ({_host(u)})" if is_web_url(u) else t for t, u in sources)
    lines, y = _source_lines(source_text, bottom + 42)
    parts.extend(lines)
    return Chart(_document(title, y + 10, parts), title, sources)


def _sources(rows: pd.DataFrame) -> list[tuple[str, str]]:
    titles = rows["source_title"] if "source_title" in rows else pd.Series("", index=rows.index)
    urls = rows["source_url"] if "source_url" in rows else pd.Series("", index=rows.index)
    return [(str(t or u), str(u or "")) for t, u in zip(titles, urls, strict=True)]


def _marked_year(year: YearLike | None, highlight_year: YearLike | None, start: int, end: int) -> int | None:
    """Return the year to mark on a chart, checked against its span (None: no mark)."""
    if year is None and highlight_year is None:
        return None
    marked = year_or_deprecated(year, highlight_year, old_name="highlight_year", default=end, stacklevel=4)
    if not start <= marked <= end:
        msg = f"year must be a year from {start} to {end}, got {marked!r}"
        raise ValueError(msg)
    return marked


def events_per_year(
    events: pd.DataFrame,
    *,
    by: str = "partner",
    year: YearLike | None = None,
    start: YearLike = vocab.FIRST_YEAR,
    end: YearLike = vocab.LAST_YEAR,
    title: str | None = None,
    highlight_year: YearLike | None = None,
) -> Chart:
    """Draw the number of events per year as columns stacked by partner group.

    An event with several partner groups counts once in each of them, so a
    column's height is the number of (event, partner group) pairs; events
    with no foreign partner count once as ``"domestic"`` (light grey). The
    function is pure and fast enough to redraw on every slider move (about a
    millisecond for the shipped 150 events).

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kzviz.load_events` (or a subset of its rows); only the
        ``year`` and ``partners`` columns are used.
    by : {"partner"}
        How columns are split. Only partner groups are supported.
    year : int or numpy.integer, optional
        The year shown, marked with a vertical line and a label; must lie
        between `start` and `end`.
    start, end : int or numpy.integer
        First and last year drawn, inclusive (within 1991-2022).
    title : str, optional
        Chart title; defaults to one naming the years.
    highlight_year : int, optional
        Deprecated name of `year`.

    Returns
    -------
    Chart
        The chart; displays itself in Jupyter, SVG text in ``.svg``.

    Raises
    ------
    ValueError
        If `by` is not ``"partner"``, a year is out of range, `start` is after
        `end`, `year` falls outside them, or an event names an
        unknown partner group.
    """
    if by != "partner":
        msg = f"by must be 'partner', got {by!r}"
        raise ValueError(msg)
    start = check_year(start, name="start")
    end = check_year(end, name="end")
    if start > end:
        msg = f"start ({start}) must not be after end ({end})"
        raise ValueError(msg)
    marked = _marked_year(year, highlight_year, start, end)
    _require(events, _EVENT_COLUMNS, "events")

    years = list(range(start, end + 1))
    counts = {column_year: dict.fromkeys(EVENT_GROUPS, 0) for column_year in years}
    n_events = 0
    for event_year, partners in zip(events["year"].tolist(), events["partners"].tolist(), strict=True):
        column = counts.get(event_year)
        if column is None:
            continue
        n_events += 1
        for group in partners or (DOMESTIC,):
            if group not in column:
                msg = f"Unknown partner group {group!r} in events; expected one of {', '.join(vocab.PARTNERS)}"
                raise ValueError(msg)
            column[group] += 1
    totals = [sum(counts[column_year].values()) for column_year in years]

    span = _period(start, end)
    title = f"Events per year by partner group, {span}" if title is None else title
    subtitle = f"{n_events} events; an event with several partner groups counts once in each"
    parts, y = _header(title, subtitle)

    # Legend: one row of swatches, wrapped when it runs out of width.
    x, y = 16.0, y + 18
    for group in EVENT_GROUPS:
        label = "domestic (no foreign partner)" if group == DOMESTIC else group
        item = 14 + 6 + _text_width(label, _SMALL_SIZE + 1) + 16
        if x + item > WIDTH - 16:
            x, y = 16.0, y + 18
        parts.append(_swatch(x, y - 10, 12, 12, group, cls="legend-swatch"))
        parts.append(_text(x + 18, y, label, size=_SMALL_SIZE + 1, cls="legend-label"))
        x += item

    left, right = 56.0, WIDTH - 16.0
    top, bottom = y + 40, y + 40 + 240
    ticks = _ticks(max([*totals, 1]), integer=True)
    scale = (bottom - top) / ticks[-1]
    step = (right - left) / len(years)
    bar_w = step * 0.72

    for t in ticks:
        y_t = bottom - t * scale
        parts.append(_line(left, y_t, right, y_t, palette.GRID_COLOUR))
        parts.append(
            _text(left - 6, y_t + 3.5, _number(t), size=_SMALL_SIZE, anchor="end", colour=palette.MUTED_TEXT_COLOUR)
        )
    if marked is not None:
        i = marked - start
        column_top = bottom - totals[i] * scale - (15 if totals[i] else 0)
        parts.extend(_highlight(marked, left + i * step, step, top, column_top, bottom, left, right))
    label_every = 1 if len(years) <= 12 else 5
    for i, column_year in enumerate(years):
        x0 = left + i * step + (step - bar_w) / 2
        y_top = bottom
        for group in EVENT_GROUPS:
            count = counts[column_year][group]
            if not count:
                continue
            h = count * scale
            y_top -= h
            parts.append(
                _swatch(
                    x0,
                    y_top,
                    bar_w,
                    h,
                    group,
                    cls="segment",
                    data=f' data-year="{column_year}" data-group="{esc(group)}" data-count="{count}"',
                    tooltip=f"{column_year}, {group}: {count}",
                )
            )
        if totals[i]:
            parts.append(
                _text(x0 + bar_w / 2, y_top - 3, str(totals[i]), size=_SMALL_SIZE - 1, anchor="middle", cls="total")
            )
        if column_year % label_every == 0 or label_every == 1:
            x_mid = left + (i + 0.5) * step
            parts.append(_line(x_mid, bottom, x_mid, bottom + 4, palette.TEXT_COLOUR))
            parts.append(
                _text(
                    x_mid,
                    bottom + 15,
                    str(column_year),
                    size=_SMALL_SIZE,
                    anchor="middle",
                    colour=palette.MUTED_TEXT_COLOUR,
                )
            )
    parts.append(_line(left, bottom, right, bottom, palette.TEXT_COLOUR))
    y_label = (top + bottom) / 2
    parts.append(
        _text(
            16,
            y_label,
            "Events (per partner group)",
            size=_SMALL_SIZE + 1,
            anchor="middle",
            cls="axis-label",
            transform=f"rotate(-90 16 {_n(y_label)})",
        )
    )
    parts.append(
        _text((left + right) / 2, bottom + 32, "Year", size=_SMALL_SIZE + 1, anchor="middle", cls="axis-label")
    )
    source = "Source: kzviz events table (data/events.csv); every event cites its own source page."
    lines, y = _source_lines(source, bottom + 42)
    parts.extend(lines)
    return Chart(_document(title, y + 10, parts), title)


def _highlight(
    year: int, x: float, step: float, top: float, column_top: float, bottom: float, left: float, right: float
) -> list[str]:
    """Return the marker of a highlighted year: a band behind its column, a dashed line above it, a label."""
    mid = x + step / 2
    anchor = "start" if mid < left + 40 else "end" if mid > right - 40 else "middle"
    band = (
        f'<rect class="highlight-band" data-year="{year}" x="{_n(x)}" y="{_n(top - 10)}" width="{_n(step)}" '
        f'height="{_n(bottom - top + 10)}" fill="{palette.GRID_COLOUR}" fill-opacity="0.6"/>'
    )
    dash = f' class="highlight" data-year="{year}" stroke-width="1.5" stroke-dasharray="4 3"'
    return [
        band,
        _line(mid, top - 10, mid, column_top, palette.HIGHLIGHT, dash),
        _text(mid, top - 15, str(year), size=_SMALL_SIZE + 1, anchor=anchor, weight="bold", cls="highlight-label"),
    ]


def _swatch(
    x: float, y: float, w: float, h: float, group: str, *, cls: str, data: str = "", tooltip: str | None = None
) -> str:
    """Return a rectangle in the colour of a partner group (domestic: outlined light grey)."""
    if group == DOMESTIC:
        style = f'fill="{palette.DOMESTIC_COLOUR}" stroke="{palette.MUTED_TEXT_COLOUR}" stroke-width="0.75"'
    else:
        style = f'fill="{palette.PARTNER_COLOURS[group]}" stroke="{palette.BACKGROUND}" stroke-width="0.5"'
    head = f'<rect class="{cls}"{data} x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" {style}'
    return f"{head}><title>{esc(tooltip)}</title></rect>" if tooltip else f"{head}/>"
