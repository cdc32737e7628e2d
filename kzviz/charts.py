"""Small SVG charts of the kzviz figures and events, drawn without a plotting library.

Every function takes validated frames (see :mod:`kzviz.datasets`), never reads
files, and returns a :class:`Chart`: a standalone SVG string that Jupyter
displays inline. The same input always gives the same bytes (no random ids,
fixed number formatting), every piece of text is HTML-escaped, and every
colour comes from :mod:`kzviz.palette`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import pandas as pd

from kzviz import _svg as svg
from kzviz import palette, vocab
from kzviz._frames import require_columns
from kzviz._html import esc, host, is_web_url, link
from kzviz.timeframe import DOMESTIC, PARTNER_FILTERS, YearLike, check_year, year_or_deprecated

__all__ = ["Chart", "events_per_year", "figure_bars", "value_label"]

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
    summary: str = ""
    table: tuple[tuple[str, ...], ...] = ()

    def _repr_svg_(self) -> str:
        return self.svg

    def text_alternative_html(self) -> str:
        """Return what the chart shows in words: its summary and the table of the numbers drawn.

        Returns
        -------
        str
            A paragraph (the summary) and a collapsible table whose first row
            is the header; an empty string when the chart has neither.
        """
        parts = []
        if self.summary:
            parts.append(f'<p class="kz-chart-summary" style="margin:4px 0;">{esc(self.summary)}</p>')
        if self.table:
            head, *body = self.table
            header = "".join(f'<th scope="col">{esc(cell)}</th>' for cell in head)
            cells = ["".join(f"<td>{esc(c)}</td>" for c in row[1:]) for row in body]
            rows = "".join(
                f'<tr><th scope="row">{esc(row[0])}</th>{tail}</tr>' for row, tail in zip(body, cells, strict=True)
            )
            parts.append(
                f"<details><summary>Table of the numbers in this chart</summary>"
                f'<table class="kz-chart-table"><caption>{esc(self.title)}</caption>'
                f"<thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table></details>"
            )
        return "".join(parts)

    def _repr_html_(self) -> str:
        links = [link(url, host(url), title=title) for title, url in self.sources if is_web_url(url)]
        caption = ""
        if links:
            caption = (
                f'<figcaption style="font:{svg.SMALL_SIZE + 1}px {svg.FONT};color:{palette.MUTED_TEXT_COLOUR}">'
                f"Source links: {' · '.join(links)}</figcaption>"
            )
        # tabindex: a reader scrolls a chart wider than the page with the keyboard too
        style = "margin:0 0 1em 0;overflow-x:auto"
        words = self.text_alternative_html()
        return f'<figure class="kzviz-chart" tabindex="0" style="{style}">{self.svg}{caption}{words}</figure>'

    def __repr__(self) -> str:
        return f"<Chart {self.title!r}: {len(self.svg):,} characters of SVG>"


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
    amount = svg.number(value)
    if unit.startswith("USD"):
        scale = unit[3:].strip()
        text = f"USD {amount} {scale}" if scale else f"USD {amount}"
    elif unit == "rank":
        text = f"rank {amount}"
    elif unit == "count":
        text = amount
    else:
        text = f"{amount} {unit}"
    return text if qualifier == "exact" else f"{qualifier} {text}"


# --------------------------------------------------------------------------- figure_bars


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
        If `figures` lacks a column the chart needs, if `metric` has no rows
        in `figures` (the message lists the metrics it has), if the rows mix
        units, or if a value is negative.
    """
    rows, unit = _metric_rows(figures, metric)
    bars = _Bars.of(rows, unit)
    title = METRIC_TITLES.get(metric, metric.replace("_", " ").capitalize()) if title is None else title
    subtitle = f"Unit: {unit}" + (f"; period: {bars.common_period}" if bars.common_period else "")
    parts, y = svg.header(title, subtitle)
    bottom = _draw_bars(parts, bars, unit, top=y + 26)
    sources = tuple(dict.fromkeys(_sources(rows)))
    source_text = "Source: " + "; ".join(f"{t} ({host(u)})" if is_web_url(u) else t for t, u in sources)
    lines, y = svg.source_lines(source_text, bottom + 42)
    parts.extend(lines)
    summary, table = _bars_in_words(title, unit, bars)
    return Chart(svg.document(title, y + 10, parts), title, sources, summary, table)


def _bars_in_words(title: str, unit: str, bars: _Bars) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """Return the summary sentence and the table of a bar chart."""
    listed = "; ".join(f"{label}: {text}" for label, text in zip(bars.labels, bars.texts, strict=True))
    period = f" ({bars.common_period})" if bars.common_period else ""
    summary = f"{title}{period}, largest first. {listed}."
    table = (("Partner", f"Value ({unit})"), *zip(bars.labels, bars.texts, strict=True))
    return summary, table


def _metric_rows(figures: pd.DataFrame, metric: str) -> tuple[pd.DataFrame, str]:
    """Return the rows of `metric` and their one unit; refuse what bars cannot show."""
    require_columns(figures, _FIGURE_COLUMNS, "figures")
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
    negative = [float(v) for v in rows["value"] if v < 0]
    if negative:
        msg = f"Figures for metric {metric!r} must not be negative to be drawn as bars, got {negative!r}"
        raise ValueError(msg)
    return rows, units[0]


@dataclass(frozen=True)
class _Bars:
    """What the bars show, largest value first: partner, label, value and value text; and the period they share."""

    partners: list[str]
    labels: list[str]
    values: list[float]
    texts: list[str]
    common_period: str | None

    @classmethod
    def of(cls, rows: pd.DataFrame, unit: str) -> _Bars:
        records = rows.to_dict("records")
        records.sort(key=lambda r: -float(r["value"]))  # stable: ties keep frame order
        periods = {_period(r["period_start_year"], r["period_end_year"]) for r in records}
        common_period = next(iter(periods)) if len(periods) == 1 else None
        labels = []
        for r in records:
            name = _PARTNER_LABELS.get(str(r["partner"]), str(r["partner"]))
            period = _period(r["period_start_year"], r["period_end_year"])
            labels.append(name if common_period else f"{name} ({period})")
        values = [float(r["value"]) for r in records]
        texts = [value_label(v, unit, str(r["qualifier"])) for v, r in zip(values, records, strict=True)]
        return cls([str(r["partner"]) for r in records], labels, values, texts, common_period)


def _draw_bars(parts: list[str], bars: _Bars, unit: str, *, top: float) -> float:
    """Append the axis, grid, bars and labels to `parts`; return the y of the bars' bottom."""
    band, bar_h = 30.0, 18.0
    left = svg.MARGIN + max(60.0, max(svg.text_width(s, svg.TEXT_SIZE) for s in bars.labels)) + 10
    right = svg.WIDTH - svg.MARGIN - max(svg.text_width(s, svg.TEXT_SIZE) for s in bars.texts) - 8
    bottom = top + band * len(bars.values)
    # Shares of a whole are drawn on a full 0-100 scale so a single share does not look like all of it.
    top_value = max([*bars.values, 100.0]) if unit == "percent" else max(bars.values)
    ticks = svg.ticks(top_value, integer=all(v.is_integer() for v in bars.values))
    scale = (right - left) / ticks[-1]
    parts.append(
        svg.text(left - 10, top - 8, "Partner", size=svg.SMALL_SIZE, anchor="end", weight="bold", cls="axis-label")
    )
    for t in ticks:
        x = left + t * scale
        parts.append(svg.line(x, top, x, bottom, palette.GRID_COLOUR))
        muted = palette.MUTED_TEXT_COLOUR
        parts.append(svg.text(x, bottom + 14, svg.number(t), size=svg.SMALL_SIZE, anchor="middle", colour=muted))
    for i, (partner, label, value, text) in enumerate(
        zip(bars.partners, bars.labels, bars.values, bars.texts, strict=True)
    ):
        y_bar = top + i * band + (band - bar_h) / 2
        colour = palette.PARTNER_COLOURS.get(partner, palette.PARTNER_COLOURS["other"])
        data, tooltip = f' data-value="{svg.number(value)}"', f"{label}: {text}"
        parts.append(
            svg.rect(left, y_bar, value * scale, bar_h, f'fill="{colour}"', cls="bar", data=data, tooltip=tooltip)
        )
        mid = y_bar + bar_h / 2 + svg.TEXT_SIZE * 0.35
        parts.append(svg.text(left - 10, mid, label, anchor="end", cls="bar-label"))
        parts.append(svg.text(left + value * scale + 6, mid, text, cls="value-label"))
    parts.append(svg.line(left, top, left, bottom, palette.TEXT_COLOUR))
    parts.append(
        svg.text((left + right) / 2, bottom + 32, unit, size=svg.SMALL_SIZE + 1, anchor="middle", cls="axis-label")
    )
    return bottom


def _sources(rows: pd.DataFrame) -> list[tuple[str, str]]:
    titles = rows["source_title"] if "source_title" in rows else pd.Series("", index=rows.index)
    urls = rows["source_url"] if "source_url" in rows else pd.Series("", index=rows.index)
    return [(str(t or u), str(u or "")) for t, u in zip(titles, urls, strict=True)]


# --------------------------------------------------------------------------- events_per_year


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
    with no foreign partner count once as ``"domestic"`` (light grey).
    Columns stack, and the legend lists, the groups in the order of
    :data:`kzviz.timeframe.PARTNER_FILTERS`. The function is pure and fast
    enough to redraw on every slider move (about a millisecond for the
    shipped 150 events).

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
        `end`, `year` falls outside them, `events` lacks a column, or an
        event names an unknown partner group.
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
    require_columns(events, _EVENT_COLUMNS, "events")
    counts, n_events = _count_by_year(events, range(start, end + 1))

    title = f"Events per year by partner group, {_period(start, end)}" if title is None else title
    subtitle = f"{n_events} events; an event with several partner groups counts once in each"
    parts, y = svg.header(title, subtitle)
    y = _legend(parts, y + 18)
    top = y + 40
    bottom = _draw_columns(parts, counts, marked, top=top, bottom=top + 240)
    source = "Source: kzviz events table (data/events.csv); every event cites its own source page."
    lines, y = svg.source_lines(source, bottom + 42)
    parts.extend(lines)
    summary, table = _columns_in_words(counts, n_events, start, end)
    return Chart(svg.document(title, y + 10, parts), title, (), summary, table)


def _columns_in_words(
    counts: dict[int, dict[str, int]], n_events: int, start: int, end: int
) -> tuple[str, tuple[tuple[str, ...], ...]]:
    """Return the summary sentence and the table (a row per year) of the events-per-year chart."""
    totals = {year: sum(groups.values()) for year, groups in counts.items()}
    busiest = max(totals, key=lambda year: (totals[year], -year))
    groups = {g: sum(counts[year][g] for year in counts) for g in PARTNER_FILTERS}
    leading = max(PARTNER_FILTERS, key=lambda g: groups[g])
    summary = (
        f"{n_events} events from {_period(start, end)}. The busiest year was {busiest} "
        f"with {totals[busiest]} partner-group counts; the group counted most often overall was {leading} "
        f"({groups[leading]})."
    )
    head = ("Year", *PARTNER_FILTERS, "Total")
    rows = [(str(year), *(str(counts[year][g]) for g in PARTNER_FILTERS), str(totals[year])) for year in counts]
    return summary, (head, *rows)


def _marked_year(year: YearLike | None, highlight_year: YearLike | None, start: int, end: int) -> int | None:
    """Return the year to mark on a chart, checked against its span (None: no mark)."""
    if year is None and highlight_year is None:
        return None
    marked = year_or_deprecated(year, highlight_year, old_name="highlight_year", default=end, stacklevel=4)
    if not start <= marked <= end:
        msg = f"year must be a year from {start} to {end}, got {marked!r}"
        raise ValueError(msg)
    return marked


def _count_by_year(events: pd.DataFrame, years: range) -> tuple[dict[int, dict[str, int]], int]:
    """Return, per year in `years`, the count of each partner group, and how many events were counted."""
    counts = {column_year: dict.fromkeys(PARTNER_FILTERS, 0) for column_year in years}
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
    return counts, n_events


def _legend(parts: list[str], y: float) -> float:
    """Append one row of group swatches (wrapped when it runs out of width); return the y of the last row."""
    x = float(svg.MARGIN)
    for group in PARTNER_FILTERS:
        label = "domestic (no foreign partner)" if group == DOMESTIC else group
        item = 14 + 6 + svg.text_width(label, svg.SMALL_SIZE + 1) + 16
        if x + item > svg.WIDTH - svg.MARGIN:
            x, y = float(svg.MARGIN), y + 18
        parts.append(_swatch(x, y - 10, 12, 12, group, cls="legend-swatch"))
        parts.append(svg.text(x + 18, y, label, size=svg.SMALL_SIZE + 1, cls="legend-label"))
        x += item
    return y


def _draw_columns(
    parts: list[str], counts: dict[int, dict[str, int]], marked: int | None, *, top: float, bottom: float
) -> float:
    """Append the grid, the marked year, the stacked columns and the axes to `parts`; return `bottom`."""
    years = list(counts)
    totals = [sum(counts[column_year].values()) for column_year in years]
    left, right = 56.0, svg.WIDTH - float(svg.MARGIN)
    ticks = svg.ticks(max([*totals, 1]), integer=True)
    scale = (bottom - top) / ticks[-1]
    step = (right - left) / len(years)
    for t in ticks:
        y_t = bottom - t * scale
        parts.append(svg.line(left, y_t, right, y_t, palette.GRID_COLOUR))
        muted = palette.MUTED_TEXT_COLOUR
        parts.append(svg.text(left - 6, y_t + 3.5, svg.number(t), size=svg.SMALL_SIZE, anchor="end", colour=muted))
    if marked is not None:
        i = years.index(marked)
        column_top = bottom - totals[i] * scale - (15 if totals[i] else 0)
        parts.extend(_highlight(marked, left + i * step, step, top, column_top, bottom, left, right))
    label_every = 1 if len(years) <= 12 else 5
    for i, column_year in enumerate(years):
        _draw_column(parts, column_year, counts[column_year], x=left + i * step, step=step, bottom=bottom, scale=scale)
        if column_year % label_every == 0:
            x_mid = left + (i + 0.5) * step
            parts.append(svg.line(x_mid, bottom, x_mid, bottom + 4, palette.TEXT_COLOUR))
            muted = palette.MUTED_TEXT_COLOUR
            parts.append(
                svg.text(x_mid, bottom + 15, str(column_year), size=svg.SMALL_SIZE, anchor="middle", colour=muted)
            )
    _column_axes(parts, left, right, top, bottom)
    return bottom


def _draw_column(
    parts: list[str], column_year: int, groups: dict[str, int], *, x: float, step: float, bottom: float, scale: float
) -> None:
    """Append one year's stacked segments, bottom to top, and its total above them."""
    bar_w = step * 0.72
    x0 = x + (step - bar_w) / 2
    y_top = bottom
    for group, count in groups.items():
        if not count:
            continue
        h = count * scale
        y_top -= h
        data = f' data-year="{column_year}" data-group="{esc(group)}" data-count="{count}"'
        parts.append(
            _swatch(x0, y_top, bar_w, h, group, cls="segment", data=data, tooltip=f"{column_year}, {group}: {count}")
        )
    total = sum(groups.values())
    if total:
        parts.append(
            svg.text(x0 + bar_w / 2, y_top - 3, str(total), size=svg.SMALL_SIZE - 1, anchor="middle", cls="total")
        )


def _column_axes(parts: list[str], left: float, right: float, top: float, bottom: float) -> None:
    """Append the baseline and the two axis labels of the events chart."""
    parts.append(svg.line(left, bottom, right, bottom, palette.TEXT_COLOUR))
    y_label = (top + bottom) / 2
    rotate = f"rotate(-90 {svg.MARGIN} {svg.coord(y_label)})"
    parts.append(
        svg.text(
            svg.MARGIN,
            y_label,
            "Events (per partner group)",
            size=svg.SMALL_SIZE + 1,
            anchor="middle",
            cls="axis-label",
            transform=rotate,
        )
    )
    parts.append(
        svg.text((left + right) / 2, bottom + 32, "Year", size=svg.SMALL_SIZE + 1, anchor="middle", cls="axis-label")
    )


def _highlight(
    year: int, x: float, step: float, top: float, column_top: float, bottom: float, left: float, right: float
) -> list[str]:
    """Return the marker of a highlighted year: a band behind its column, a dashed line above it, a label."""
    mid = x + step / 2
    anchor = "start" if mid < left + 40 else "end" if mid > right - 40 else "middle"
    band = svg.rect(
        x,
        top - 10,
        step,
        bottom - top + 10,
        f'fill="{palette.GRID_COLOUR}" fill-opacity="0.6"',
        cls="highlight-band",
        data=f' data-year="{year}"',
    )
    dash = f' class="highlight" data-year="{year}" stroke-width="1.5" stroke-dasharray="4 3"'
    return [
        band,
        svg.line(mid, top - 10, mid, column_top, palette.HIGHLIGHT, dash),
        svg.text(
            mid, top - 15, str(year), size=svg.SMALL_SIZE + 1, anchor=anchor, weight="bold", cls="highlight-label"
        ),
    ]


def _swatch(x: float, y: float, w: float, h: float, group: str, *, cls: str, data: str = "", tooltip: str = "") -> str:
    """Return a rectangle in the colour of a partner group (domestic: outlined light grey)."""
    if group == DOMESTIC:
        style = f'fill="{palette.DOMESTIC_COLOUR}" stroke="{palette.MUTED_TEXT_COLOUR}" stroke-width="0.75"'
    else:
        style = f'fill="{palette.PARTNER_COLOURS[group]}" stroke="{palette.BACKGROUND}" stroke-width="0.5"'
    return svg.rect(x, y, w, h, style, cls=cls, data=data, tooltip=tooltip)
