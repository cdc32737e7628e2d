"""The ipywidgets timeline explorer: year controls and filters driving a map, a chart and an event list.

:class:`TimelineExplorer` is a widget (an :class:`ipywidgets.VBox`). Its map,
event list and chart are drawn once, with every event, and the browser shows
the part the controls select: a year step, Play, the range mode and the
category, partner and search filters all work in the page itself (see
:mod:`kzviz._explorer_script`), with or without a running kernel, and no
Python round trip lies on the path of a step. ``jslink`` ties Play to the
year slider. Python reads the same controls: :meth:`TimelineExplorer.years`
and :meth:`TimelineExplorer.visible_events` give what the reader sees.

Browser API
-----------
After each change has reached the map, the list, the chart and the status
line, the explorer's element (class ``kz-explorer``) carries the years shown
in ``data-kz-start`` and ``data-kz-year`` and dispatches a bubbling
``kz:year-applied`` event whose ``detail`` is ``{start, end, shown}``
(`shown`: the number of events listed). Its map follows the
:mod:`kzviz.maps.time_control` events inside its iframe.

Keyboard and screen readers: the year slider takes the arrow keys, Page
Up/Down, Home and End; the filters are toggle buttons (``aria-pressed``);
the status line is an ARIA live region that says what the list and the
chart show, and the chart's label says the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import ipywidgets as widgets
import pandas as pd

from kzviz import charts, vocab
from kzviz._explorer_script import ExplorerScript
from kzviz._html import esc, link
from kzviz.maps import map_html, map_picture_html, timeline_map
from kzviz.maps._base import notebook_map_html
from kzviz.timeframe import PARTNER_FILTERS, PLAY_STEP_MS, YearLike, check_year, filter_events

STATIC_PICTURE_CLASS = "kz-explorer-picture"
"""Class of the explorer's static picture output, hidden by the live explorer (see ``picture_html``)."""

EMPTY_MESSAGE = "No events match these filters. Widen the years or clear the search."

MODES: tuple[tuple[str, str], ...] = (("Up to the year", "upto"), ("Year range", "range"))
"""Labels and values of the explorer's mode buttons, in order."""


def category_label(category: str) -> str:
    """Return the label of an event category as the explorer writes it ("belt and road")."""
    return category.replace("_", " ")


def _chosen(selected: Iterable[str], options: tuple[str, ...], label: Any = str) -> str | None:
    wanted = set(selected)
    picked = [o for o in options if o in wanted]
    if len(picked) == len(options):
        return None
    return ", ".join(label(o) for o in picked) or "none"


def status_text(
    count: int,
    start: int,
    end: int,
    *,
    categories: Iterable[str] = vocab.EVENT_CATEGORIES,
    partners: Iterable[str] = PARTNER_FILTERS,
    query: str = "",
) -> str:
    """Return the explorer's status line: how many events, which years, which filters.

    The browser writes the same text after every change (see
    :mod:`kzviz._explorer_script`).

    Parameters
    ----------
    count : int
        Number of events shown.
    start, end : int
        Years shown.
    categories, partners : iterable of str
        Selected filter values; filters that keep everything are not named.
    query : str
        Search text.

    Returns
    -------
    str
        The count and the years, then the filters that leave anything out,
        for example ``partners: China``, joined by semicolons.
    """
    years = str(end) if start == end else f"{start}–{end}"
    parts = [f"{count} {'event' if count == 1 else 'events'}, {years}"]
    cats = _chosen(categories, vocab.EVENT_CATEGORIES, category_label)
    chosen_partners = _chosen(partners, PARTNER_FILTERS)
    if cats is not None:
        parts.append(f"categories: {cats}")
    if chosen_partners is not None:
        parts.append(f"partners: {chosen_partners}")
    if query.strip():
        parts.append(f"matching “{query.strip()}”")
    return "; ".join(parts)


def _row(event: Mapping[Any, Any], hidden: bool) -> str:
    partners = list(event["partners"])
    search = f"{event['title']} {event['summary']} {event['place_name']}".casefold()
    attrs = (
        f'data-id="{esc(event["id"])}" data-year="{int(event["year"])}" data-category="{esc(event["category"])}" '
        f'data-partners="{esc(" ".join(partners))}" data-search="{esc(search)}"'
    )
    return (
        f"<tr {attrs}{' hidden' if hidden else ''}><td>{esc(event['date'])}</td><td>{esc(event['title'])}</td>"
        f"<td>{esc(', '.join(partners) or 'domestic')}</td><td>{link(event['source_url'], 'source')}</td></tr>"
    )


def event_list_html(events: pd.DataFrame, *, shown: Iterable[str] | None = None) -> str:
    """Return the event list: date, title, partners and a source link per event.

    Every row carries its event's ``data-id``, ``data-year``,
    ``data-category``, ``data-partners`` and ``data-search`` (title,
    summary and place, case-folded), so the browser can show and hide rows
    without a kernel.

    Parameters
    ----------
    events : pandas.DataFrame
        Validated events, in the order to list them.
    shown : iterable of str, optional
        Ids of the rows to show; the others are written ``hidden``. None
        shows every row.

    Returns
    -------
    str
        An HTML table in a scrollable region, with a "no events" message
        that is visible when no row is shown.
    """
    keep = None if shown is None else set(shown)
    records = events.to_dict("records")
    rows = [_row(event, keep is not None and event["id"] not in keep) for event in records]
    empty = not any(keep is None or event["id"] in keep for event in records)
    head = (
        '<thead><tr><th scope="col">Date</th><th scope="col">Event</th>'
        '<th scope="col">Partners</th><th></th></tr></thead>'
    )
    return (
        '<div class="kz-event-list" role="region" aria-label="Events shown" tabindex="0" '
        'style="max-height:320px;overflow-y:auto;font-size:12px;">'
        f'<p class="kz-empty" style="padding:8px;color:#555;"{"" if empty else " hidden"}>{esc(EMPTY_MESSAGE)}</p>'
        f'<table style="border-collapse:collapse;width:100%;"{" hidden" if empty else ""}>{head}'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _chips(options: tuple[str, ...], labels: Iterable[str], name: str) -> tuple[widgets.HBox, dict[str, Any]]:
    """Return a row of toggle buttons, one per filter value, all pressed, and the buttons by value."""
    buttons = {
        value: widgets.ToggleButton(value=True, description=label, layout=widgets.Layout(width="auto"))
        for value, label in zip(options, labels, strict=True)
    }
    title = widgets.Label(f"{name}:", layout=widgets.Layout(width="80px"))
    row = widgets.HBox([title, *buttons.values()], layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
    return row, buttons


def _select(buttons: Mapping[str, Any], values: Iterable[str], name: str) -> None:
    wanted = set(values)
    unknown = sorted(wanted - set(buttons))
    if unknown:
        msg = f"unknown {name} {unknown}; expected some of {', '.join(buttons)}"
        raise ValueError(msg)
    for value, button in buttons.items():
        button.value = value in wanted


class TimelineExplorer(widgets.VBox):  # type: ignore[misc]  # ipywidgets is untyped
    """Explore 1991-2022: year slider with Play, range mode, filters, and a linked map, list and chart.

    A widget: display it, put it in any ipywidgets container, or show it
    twice; every view follows the same controls. It keeps working where no
    kernel runs (nbviewer, exported HTML), because the map, list and chart
    follow the controls in the browser (see the module docstring).

    Parameters
    ----------
    events, pipelines, sites, corridors, nodes : pandas.DataFrame
        From the matching ``kzviz.load_*`` functions; any events frame that
        passed :func:`kzviz.load_events` works.
    year : int or numpy.integer
        Year selected at the start.
    outlines : geopandas.GeoDataFrame, optional
        From :func:`kzviz.load_country_outlines`: a quiet base map of country
        outlines beneath the routes and events.
    **kwargs
        Passed to :class:`ipywidgets.VBox` (for example ``layout``).

    Attributes
    ----------
    year, play, mode, span, search : ipywidgets.Widget
        The year slider, its Play button, the mode buttons (up to the year,
        or a year range), the range slider and the search box.
    category_buttons, partner_buttons : dict of str to ipywidgets.ToggleButton
        One toggle per event category and per partner filter value.
    map, status, chart, list : ipywidgets.HTML
        The map (an iframe), the status line, the chart and the event list,
        as first drawn; the browser updates what they show.
    """

    def __init__(
        self,
        events: pd.DataFrame,
        pipelines: pd.DataFrame,
        sites: pd.DataFrame,
        corridors: pd.DataFrame,
        nodes: pd.DataFrame,
        *,
        year: YearLike = vocab.LAST_YEAR,
        outlines: gpd.GeoDataFrame | None = None,
        **kwargs: Any,
    ) -> None:
        year = check_year(year)
        controls = self._controls(year)
        self.events = events
        shown = filter_events(events, end=year)
        map_page, self._picture = self._map_html(events, pipelines, sites, corridors, nodes, year, outlines)
        self.map = widgets.HTML(f"<style>.{STATIC_PICTURE_CLASS} {{display: none;}}</style>{map_page}")
        self.status = widgets.HTML(
            f'<p class="kz-status" role="status" aria-live="polite" aria-atomic="true" style="margin:4px 0;">'
            f"{esc(status_text(len(shown), vocab.FIRST_YEAR, year))}</p>"
        )
        self.chart = widgets.HTML(charts.events_per_year(events, year=year).svg)
        self.list = widgets.HTML(event_list_html(filter_events(events), shown=shown["id"]))
        for widget, name in ((self.map, "map"), (self.status, "status"), (self.chart, "chart"), (self.list, "list")):
            widget.add_class(f"kz-explorer-{name}")
            widget.layout.width = "100%"
        super().__init__([controls, self.map, self.status, self.chart, self.list], **kwargs)
        self.add_class("kz-explorer")

    def _controls(self, year: int) -> widgets.VBox:
        first, last = vocab.FIRST_YEAR, vocab.LAST_YEAR
        self.year = widgets.IntSlider(value=year, min=first, max=last, description="Year", continuous_update=True)
        self.play = widgets.Play(value=year, min=first, max=last, interval=PLAY_STEP_MS, description="Play")
        self._links = [widgets.jslink((self.play, "value"), (self.year, "value"))]
        self.mode = widgets.ToggleButtons(options=list(MODES), value="upto", description="Show")
        self.span = widgets.IntRangeSlider(value=(first, year), min=first, max=last, description="Years")
        self.span.layout.display = "none"
        self.search = widgets.Text(placeholder="search titles, summaries, places", description="Search")
        # The browser notices a search typed by the reader or set from Python through this
        # hidden echo: a jsdlink keeps it equal to the search box, and it redraws as text.
        query_echo = widgets.Label(layout=widgets.Layout(display="none"))
        self._links.append(widgets.jsdlink((self.search, "value"), (query_echo, "value")))
        labels = [category_label(c) for c in vocab.EVENT_CATEGORIES]
        categories, self.category_buttons = _chips(vocab.EVENT_CATEGORIES, labels, "Categories")
        partners, self.partner_buttons = _chips(PARTNER_FILTERS, PARTNER_FILTERS, "Partners")
        steps = widgets.HBox([self.play, self.year])
        for widget, name in (
            (steps, "steps"), (self.year, "year"), (self.mode, "mode"), (self.span, "range"),
            (categories, "categories"), (partners, "partners"), (self.search, "search"),
        ):  # fmt: skip
            widget.add_class(f"kz-explorer-{name}")
        box = widgets.VBox([steps, self.mode, self.span, categories, partners, self.search, query_echo])
        box.add_class("kz-explorer-controls")
        return box

    @staticmethod
    def _map_html(
        events: pd.DataFrame,
        pipelines: pd.DataFrame,
        sites: pd.DataFrame,
        corridors: pd.DataFrame,
        nodes: pd.DataFrame,
        year: int,
        outlines: gpd.GeoDataFrame | None,
    ) -> tuple[str, str]:
        """Return the live map for the explorer's frame, and a picture of it for pages without widgets."""
        m = timeline_map(events, pipelines, sites, corridors, nodes, year=year, year_control=False, outlines=outlines)
        chart_title = charts.events_per_year(events.iloc[0:0]).title
        config = {
            "first": vocab.FIRST_YEAR,
            "last": vocab.LAST_YEAR,
            "modes": [value for _, value in MODES],
            "categories": list(vocab.EVENT_CATEGORIES),
            "categoryLabels": [category_label(c) for c in vocab.EVENT_CATEGORIES],
            "partners": list(PARTNER_FILTERS),
            "title": chart_title,
            "subtitle": "; an event with several partner groups counts once in each",
        }
        picture = map_picture_html(m)  # before the explorer's script joins the map
        ExplorerScript(config).add_to(m)
        title = m.title or "Timeline map"
        return notebook_map_html(map_html(m), "", title=title), picture

    @property
    def categories(self) -> tuple[str, ...]:
        """The selected event categories; set it to a collection of values of :data:`kzviz.vocab.EVENT_CATEGORIES`."""
        return tuple(value for value, button in self.category_buttons.items() if button.value)

    @categories.setter
    def categories(self, values: Iterable[str]) -> None:
        _select(self.category_buttons, values, "categories")

    @property
    def partners(self) -> tuple[str, ...]:
        """The selected partner filters; set it to a collection of values of :data:`kzviz.timeframe.PARTNER_FILTERS`."""
        return tuple(value for value, button in self.partner_buttons.items() if button.value)

    @partners.setter
    def partners(self, values: Iterable[str]) -> None:
        _select(self.partner_buttons, values, "partners")

    def years(self) -> tuple[int, int]:
        """Return the first and last year the controls select."""
        if self.mode.value == "range":
            start, end = self.span.value
            return int(start), int(end)
        return vocab.FIRST_YEAR, int(self.year.value)

    def visible_events(self) -> pd.DataFrame:
        """Return the events the controls select, in date order: the rows the list shows."""
        start, end = self.years()
        return filter_events(
            self.events,
            start=start,
            end=end,
            categories=list(self.categories),
            partners=list(self.partners),
            query=self.search.value,
        )

    def static_html(self) -> str:
        """Return a static stand-in for the explorer, for pages that cannot show widgets.

        It is the ``text/html`` entry of the explorer's display data: front
        ends that render widgets show the live explorer instead.

        Returns
        -------
        str
            The status line of the controls' current selection and a note on
            where the explorer is interactive.
        """
        start, end = self.years()
        shown = self.visible_events()
        status = status_text(
            len(shown), start, end, categories=self.categories, partners=self.partners, query=self.search.value
        )
        return (
            f'<div class="kz-explorer-static"><p><b>Timeline explorer</b>: {esc(status)}.</p>'
            "<p>The explorer is interactive in JupyterLab, on nbviewer and in the exported HTML pages.</p></div>"
        )

    def picture_html(self) -> str:
        """Return a static picture of the explorer as it opened, for pages that show no widgets.

        GitHub's notebook view shows a widget as a blank space, so displaying
        the explorer on its own also displays this picture as a second output.
        A style inside the explorer hides it wherever the live explorer
        renders (JupyterLab, nbviewer, the exported site); GitHub strips that
        style along with the widget, and the picture remains.

        Returns
        -------
        str
            HTML: the map's picture with alt text, the status line it shows,
            and where the interactive explorer is.
        """
        return f'<div class="{STATIC_PICTURE_CLASS}">{self.static_html()}{self._picture}</div>'

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        display(self._repr_mimebundle_(), raw=True)  # type: ignore[no-untyped-call]
        display(HTML(self.picture_html()))  # type: ignore[no-untyped-call]

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle.setdefault("text/html", self.static_html())
        return bundle
