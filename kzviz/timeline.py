"""The ipywidgets timeline explorer: a year slider driving a map, a list and a chart.

The map is rendered once (:func:`kzviz.maps.timeline_map`) and filtered in
the browser, so a slider step only sends the new state to the page: the
Python callback filters the events (:func:`kzviz.timeframe.filter_events`),
rewrites the event list and the chart, and updates a hidden *bridge*
element that the map follows. The map also carries its own year slider, so
it keeps working on nbviewer and in exported HTML, where no kernel runs.
"""

from __future__ import annotations

import hashlib
from typing import Any

import ipywidgets as widgets
import pandas as pd

from kzviz import charts, vocab
from kzviz._html import esc, link
from kzviz.maps import timeline_map
from kzviz.maps.time_control import BRIDGE_ATTRIBUTE
from kzviz.timeframe import PARTNER_FILTERS, YearLike, check_year, filter_events

EMPTY_MESSAGE = "No events match these filters. Widen the years or clear the search."


def event_list_html(events: pd.DataFrame) -> str:
    """Return the event list: date, title, partners and a source link per event.

    Parameters
    ----------
    events : pandas.DataFrame
        Validated events, already filtered and ordered.

    Returns
    -------
    str
        An HTML table, or a clear "no events" message when `events` is empty.
    """
    if events.empty:
        return f'<div class="kz-empty" style="padding:8px;color:#555;">{esc(EMPTY_MESSAGE)}</div>'
    rows = [
        f"<tr><td>{esc(date)}</td><td>{esc(title)}</td><td>{esc(', '.join(partners) or 'domestic')}</td>"
        f"<td>{link(url, 'source')}</td></tr>"
        for date, title, partners, url in zip(
            events["date"], events["title"], events["partners"], events["source_url"], strict=True
        )
    ]
    head = "<tr><th>Date</th><th>Event</th><th>Partners</th><th></th></tr>"
    return (
        '<div class="kz-event-list" style="max-height:320px;overflow-y:auto;font-size:12px;">'
        f'<table style="border-collapse:collapse;width:100%;">{head}{"".join(rows)}</table></div>'
    )


def bridge_html(token: str, events: pd.DataFrame, start: int, end: int) -> str:
    """Return the hidden element the map follows: year range and visible event ids."""
    ids = " ".join(events["id"])
    return (
        f'<span {BRIDGE_ATTRIBUTE}="{esc(token)}" data-start="{start}" data-end="{end}" data-ids="{esc(ids)}"></span>'
    )


class TimelineExplorer:
    """Explore 1991-2022: a year slider with Play, filters, a linked map, list and chart.

    Parameters
    ----------
    events, pipelines, sites, corridors, nodes : pandas.DataFrame
        From the matching ``kzviz.load_*`` functions; any events frame that
        passed :func:`kzviz.load_events` works.
    year : int
        Year selected at the start.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The whole explorer; displaying the explorer displays this.
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
    ) -> None:
        year = check_year(year)
        self.events = events
        digest = hashlib.sha256(" ".join(events["id"]).encode()).hexdigest()[:12]
        self.token = f"kz-{digest}"
        first, last = vocab.FIRST_YEAR, vocab.LAST_YEAR
        self.year = widgets.IntSlider(value=year, min=first, max=last, description="Year", continuous_update=True)
        self.play = widgets.Play(value=year, min=first, max=last, interval=700, description="Play")
        widgets.jslink((self.play, "value"), (self.year, "value"))
        self.mode = widgets.ToggleButtons(options=[("Up to the year", "upto"), ("Year range", "range")], value="upto")
        self.span = widgets.IntRangeSlider(value=(first, year), min=first, max=last, description="Range")
        self.span.layout.display = "none"
        self.categories = widgets.SelectMultiple(
            options=list(vocab.EVENT_CATEGORIES), value=list(vocab.EVENT_CATEGORIES), description="Category", rows=7
        )
        self.partners = widgets.SelectMultiple(
            options=list(PARTNER_FILTERS), value=list(PARTNER_FILTERS), description="Partner", rows=7
        )
        self.search = widgets.Text(placeholder="search titles, summaries, places", description="Search")
        m = timeline_map(events, pipelines, sites, corridors, nodes, year=year, bridge=self.token)
        self.map = widgets.HTML(m._repr_html_(), layout=widgets.Layout(width="100%"))
        self.bridge = widgets.HTML(layout=widgets.Layout(display="none"))
        self.status = widgets.HTML()
        self.list = widgets.HTML()
        self.chart = widgets.HTML()
        for control in (self.year, self.mode, self.span, self.categories, self.partners, self.search):
            control.observe(self._on_change, names="value")
        controls = widgets.VBox(
            [
                widgets.HBox([self.play, self.year, self.mode]),
                self.span,
                widgets.HBox([self.categories, self.partners]),
                self.search,
            ]
        )
        self.widget = widgets.VBox([controls, self.map, self.status, self.chart, self.list, self.bridge])
        self.update()

    def years(self) -> tuple[int, int]:
        """Return the selected first and last year."""
        if self.mode.value == "range":
            start, end = self.span.value
            return int(start), int(end)
        return vocab.FIRST_YEAR, int(self.year.value)

    def visible_events(self) -> pd.DataFrame:
        """Return the events the current controls select."""
        start, end = self.years()
        return filter_events(
            self.events,
            start=start,
            end=end,
            categories=list(self.categories.value),
            partners=list(self.partners.value),
            query=self.search.value,
        )

    def update(self) -> None:
        """Refresh the list, chart, status line and map bridge from the controls."""
        start, end = self.years()
        shown = self.visible_events()
        self.bridge.value = bridge_html(self.token, shown, start, end)
        noun = "event" if len(shown) == 1 else "events"
        self.status.value = f"<b>{len(shown)} {noun}</b>, {start}–{end}"
        self.list.value = event_list_html(shown)
        self.chart.value = charts.events_per_year(shown, year=end).svg

    def _on_change(self, change: dict[str, Any]) -> None:
        if change["owner"] is self.mode:
            ranged = change["new"] == "range"
            self.span.layout.display = None if ranged else "none"
            self.year.disabled = self.play.disabled = ranged
        self.update()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
