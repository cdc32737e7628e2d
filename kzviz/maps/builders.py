"""Ready-made maps: export routes, Belt and Road corridors, summits, and the atlas.

Every builder takes validated frames (see :mod:`kzviz.datasets`), never
reads files, and returns a :class:`KzMap` with a layer control, a legend, a
scale bar and a fullscreen button. ``year`` shows the world as it stood in
that year.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from kzviz import palette, vocab
from kzviz.maps import layers
from kzviz.maps._base import KzMap, Legend, LegendSection, Overlay, swatch
from kzviz.maps._ids import stable_ids
from kzviz.maps._literal import LiteralFullscreen, LiteralLayerControl
from kzviz.maps.outlines import add_outlines
from kzviz.maps.time_control import TimeControl, with_stage_text
from kzviz.timeframe import YearLike, check_year, year_or_deprecated

_KAZAKH_ROW = (swatch("#555555", width=6), "thick: the part in Kazakhstan; thin: beyond it")
"""Legend row for the emphasis of Kazakh sections (see kzviz.maps.layers.split_sections)."""

_STAGE_ROWS = [
    (swatch("#555555", dash=palette.STATUS_STYLES[s]["dashArray"]), f"{label} (in the year shown)")
    for s, label in (
        ("operating", "operating"),
        ("under_construction", "under construction"),
        ("announced", "announced"),
    )
]


def _pipeline_legend() -> list[LegendSection]:
    markets = [
        (swatch(palette.MARKET_COLOURS[m]), f"Exports {palette.MARKET_LABELS[m]}") for m in ("russia", "china", "west")
    ]
    markets.append((swatch("#555555", dash=palette.SEA_LEG_DASH), "tanker crossing (sea leg)"))
    markets.append(_KAZAKH_ROW)
    sites = [
        (swatch(palette.SITE_COLOURS["oil_field"], shape="circle"), "oil or gas field"),
        (swatch(palette.SITE_COLOURS["oil_terminal"], shape="circle"), "terminal"),
        (swatch(palette.SITE_COLOURS["port"], shape="circle"), "port"),
    ]
    return [("Export routes (width: capacity)", markets), ("Status", _STAGE_ROWS), ("Energy sites", sites)]


def _corridor_legend(*, kazakh_row: bool = True) -> list[LegendSection]:
    modes = [
        (swatch(palette.MODE_STYLES[m]["color"], dash=palette.MODE_STYLES[m]["dashArray"], width=3), m)
        for m in ("rail", "road", "sea")
    ]
    if kazakh_row:  # maps that also show pipelines explain the emphasis once, in the pipeline section
        modes.append(_KAZAKH_ROW)
    nodes = [
        (swatch(palette.NODE_COLOURS[n], shape="circle"), n.replace("_", " "))
        for n in ("dry_port", "seaport", "border_crossing")
    ]
    return [("Belt and Road corridors", modes), ("Nodes", nodes)]


def _summit_legend() -> list[LegendSection]:
    partners = [(swatch(palette.PARTNER_COLOURS[p], shape="circle"), p) for p in vocab.PARTNERS]
    partners.append((swatch(palette.HIGHLIGHT, shape="ring"), "2022 courtship (Jan–Jun)"))
    return [("Summits and visits: partner met most there (size: number)", partners)]


def _finish(
    m: KzMap, overlays: Sequence[Overlay], legend: list[LegendSection], year: int, outlines: gpd.GeoDataFrame | None
) -> KzMap:
    if outlines is not None:
        add_outlines(m, outlines, year=year)
    for overlay in overlays:
        overlay.add_to(m)
    LiteralLayerControl(collapsed=False, position="topright").add_to(m)
    LiteralFullscreen(position="topleft").add_to(m)
    Legend([*legend, (f"Year shown when the map opens: {year}", [])]).add_to(m)
    return m


def pipeline_map(
    pipelines: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    outlines: gpd.GeoDataFrame | None = None,
) -> KzMap:
    """Map the oil and gas export routes and the fields and terminals they serve.

    Parameters
    ----------
    pipelines : pandas.DataFrame
        From :func:`kzviz.load_pipelines`.
    sites : pandas.DataFrame
        From :func:`kzviz.load_energy_sites`.
    year : int or numpy.integer, optional
        Show routes as they stood in this year (default 2022).
    as_of : int, optional
        Deprecated name of `year`.
    outlines : geopandas.GeoDataFrame, optional
        From :func:`kzviz.load_country_outlines`: a base beneath the tiles
        that still shows offline and in the map's picture.

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    with stable_ids():
        m = KzMap(title=f"Kazakhstan's oil and gas export routes in {year}", year=year)
        overlays = [layers.pipeline_layer(pipelines, year=year), layers.energy_site_layer(sites)]
        return _finish(m, overlays, _pipeline_legend(), year, outlines)


def corridor_map(
    corridors: pd.DataFrame,
    nodes: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    outlines: gpd.GeoDataFrame | None = None,
) -> KzMap:
    """Map the Belt and Road corridors with their border crossings and ports.

    Parameters
    ----------
    corridors : pandas.DataFrame
        From :func:`kzviz.load_corridors`.
    nodes : pandas.DataFrame
        From :func:`kzviz.load_corridor_nodes`.
    year : int or numpy.integer, optional
        Show legs and nodes open in this year (default 2022).
    as_of : int, optional
        Deprecated name of `year`.
    outlines : geopandas.GeoDataFrame, optional
        From :func:`kzviz.load_country_outlines`: a base beneath the tiles
        that still shows offline and in the map's picture.

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    with stable_ids():
        m = KzMap(title=f"Belt and Road corridors through Kazakhstan in {year}", year=year)
        overlays = [layers.corridor_layer(corridors, year=year), layers.corridor_node_layer(nodes, year=year)]
        return _finish(m, overlays, _corridor_legend(), year, outlines)


def summit_map(
    events: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    outlines: gpd.GeoDataFrame | None = None,
) -> KzMap:
    """Map where Kazakhstan's summits, meetings and state visits took place.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kzviz.load_events`.
    year : int or numpy.integer, optional
        Include meetings up to this year (default 2022).
    as_of : int, optional
        Deprecated name of `year`.
    outlines : geopandas.GeoDataFrame, optional
        From :func:`kzviz.load_country_outlines`: a base beneath the tiles
        that still shows offline and in the map's picture.

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    with stable_ids():
        title = f"Where Kazakhstan's summits, meetings and state visits took place, {vocab.FIRST_YEAR}–{year}"
        m = KzMap(title=title, year=year, location=(40.0, 30.0), zoom_start=2)
        overlays = [layers.summit_layer(events, year=year), layers.courtship_layer(events, year=year)]
        return _finish(m, overlays, _summit_legend(), year, outlines)


def atlas(
    events: pd.DataFrame,
    pipelines: pd.DataFrame,
    sites: pd.DataFrame,
    corridors: pd.DataFrame,
    nodes: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    outlines: gpd.GeoDataFrame | None = None,
) -> KzMap:
    """Map everything at once, one toggleable layer per theme.

    Parameters
    ----------
    events, pipelines, sites, corridors, nodes : pandas.DataFrame
        From the matching ``kzviz.load_*`` functions.
    year : int or numpy.integer, optional
        Show the networks as they stood, and the meetings held, up to this year (default 2022).
    as_of : int, optional
        Deprecated name of `year`.
    outlines : geopandas.GeoDataFrame, optional
        From :func:`kzviz.load_country_outlines`: a base beneath the tiles
        that still shows offline and in the map's picture.

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    with stable_ids():
        m = KzMap(title=f"Kazakhstan's export routes, corridors and diplomacy in {year}", year=year)
        overlays = [
            layers.pipeline_layer(pipelines, year=year),
            layers.energy_site_layer(sites),
            layers.corridor_layer(corridors, year=year),
            layers.corridor_node_layer(nodes, year=year),
            layers.summit_layer(events, year=year),
            layers.courtship_layer(events, year=year),
        ]
        legend = _pipeline_legend() + _corridor_legend(kazakh_row=False) + _summit_legend()
        return _finish(m, overlays, legend, year, outlines)


def timeline_map(
    events: pd.DataFrame,
    pipelines: pd.DataFrame,
    sites: pd.DataFrame,
    corridors: pd.DataFrame,
    nodes: pd.DataFrame,
    *,
    year: YearLike = vocab.LAST_YEAR,
    year_control: bool = True,
    outlines: gpd.GeoDataFrame | None = None,
) -> KzMap:
    """Map every event and route once, and show any year in the browser.

    A :class:`~kzviz.maps.time_control.TimeControl` shows, for the year
    chosen, the events up to it and every route in the stage it had then;
    route tooltips and popups name that stage. Its slider and Play button
    need no kernel, so the map stays alive on nbviewer and in exported HTML.

    Parameters
    ----------
    events, pipelines, sites, corridors, nodes : pandas.DataFrame
        From the matching ``kzviz.load_*`` functions.
    year : int or numpy.integer
        Year shown when the map opens.
    year_control : bool
        Draw the map's own year slider and Play button. A
        :class:`kzviz.timeline.TimelineExplorer` passes False and drives the
        map with its own controls, so the reader sees one year control.
    outlines : geopandas.GeoDataFrame, optional
        From :func:`kzviz.load_country_outlines`: a base beneath the tiles
        that still shows offline and in the map's picture.

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = check_year(year)
    with stable_ids():
        title = f"Kazakhstan's events, export routes and corridors, {vocab.FIRST_YEAR}–{vocab.LAST_YEAR}, by year"
        m = KzMap(title=title, year=year)
        overlays = [
            with_stage_text(layers.pipeline_layer(pipelines), pipelines),
            layers.energy_site_layer(sites),
            layers.corridor_layer(corridors),
            layers.corridor_node_layer(nodes),
            layers.event_layer(events),
        ]
        legend = _pipeline_legend() + _corridor_legend(kazakh_row=False) + _event_legend()
        _finish(m, overlays, legend, year, outlines)
        TimeControl(overlays, year=year, year_control=year_control).add_to(m)
        return m


def _event_legend() -> list[LegendSection]:
    return [
        (
            "Events: first partner involved",
            [(swatch(palette.PARTNER_COLOURS[p], shape="circle"), p) for p in vocab.PARTNERS],
        )
    ]
