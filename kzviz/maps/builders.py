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

from kzviz import vocab
from kzviz.maps import layers
from kzviz.maps._base import FillPatterns, KzMap, Legend, LegendRow, Overlay, legend_sections
from kzviz.maps._ids import stable_ids
from kzviz.maps._literal import LiteralLayerControl
from kzviz.maps.controls import KAZAKHSTAN_BOUNDS, Bounds, MapSetup, feature_bounds
from kzviz.maps.outlines import add_outlines
from kzviz.maps.time_control import TimeControl
from kzviz.timeframe import YearLike, check_year, year_or_deprecated

WHOLE_MAP = "Whole map"


def _views(*candidates: tuple[str, Bounds | None]) -> list[tuple[str, Bounds]]:
    """Keep the views that have bounds (a layer may draw nothing in an early year)."""
    views = [(label, bounds) for label, bounds in candidates if bounds is not None]
    return views or [(WHOLE_MAP, KAZAKHSTAN_BOUNDS)]


def _finish(
    m: KzMap,
    overlays: Sequence[Overlay],
    views: Sequence[tuple[str, Bounds]],
    *,
    outlines: gpd.GeoDataFrame | None = None,
    slider_year: int | None = None,
) -> KzMap:
    """Add the outlines, overlays, layer control, legend and reader controls to `m`.

    The legend lists what the overlays drew; a map with a year slider also
    says which year it opens on.
    """
    if outlines is not None:
        add_outlines(m, outlines, year=m.year if m.year is not None else vocab.LAST_YEAR)
    rows: list[LegendRow] = [row for overlay in overlays for row in overlay.legend]
    sections = legend_sections(rows, layers.SECTION_ORDER)
    if slider_year is not None:
        sections.append((f"Year shown when the map opens: {slider_year}", []))
    FillPatterns([tie for overlay in overlays for tie in overlay.ties]).add_to(m)
    for overlay in overlays:
        overlay.add_to(m)
    control = LiteralLayerControl(collapsed=True, position="topright")
    control.add_to(m)
    Legend(sections).add_to(m)
    MapSetup(m.title, views, layer_control=control, base_layer=m.base_layer, overlays=overlays).add_to(m)
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
        m = KzMap(title=f"Oil and gas export routes in {year}", year=year)
        overlays = [layers.pipeline_layer(pipelines, year=year), layers.energy_site_layer(sites)]
        return _finish(m, overlays, _views((WHOLE_MAP, feature_bounds(overlays))), outlines=outlines)


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
        return _finish(m, overlays, _views((WHOLE_MAP, feature_bounds(overlays))), outlines=outlines)


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
        title = f"Where Kazakhstan met its partners, {vocab.FIRST_YEAR}–{year}"
        m = KzMap(title=title, year=year, location=(45.0, 30.0), zoom_start=3)
        overlays = [layers.summit_layer(events, year=year), layers.courtship_layer(events, year=year)]
        views = _views(("All places", feature_bounds(overlays)), ("Kazakhstan", KAZAKHSTAN_BOUNDS))
        return _finish(m, overlays, views, outlines=outlines)


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
        title = f"Atlas: routes, corridors and meetings, {year}"
        m = KzMap(title=title, year=year, location=(45.0, 30.0), zoom_start=3)
        networks = [
            layers.pipeline_layer(pipelines, year=year),
            layers.energy_site_layer(sites),
            layers.corridor_layer(corridors, year=year),
            layers.corridor_node_layer(nodes, year=year),
        ]
        overlays = [*networks, layers.summit_layer(events, year=year), layers.courtship_layer(events, year=year)]
        views = _views(("Everything", feature_bounds(overlays)), ("Routes and corridors", feature_bounds(networks)))
        return _finish(m, overlays, views, outlines=outlines)


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
        m = KzMap(title=f"Timeline {vocab.FIRST_YEAR}–{vocab.LAST_YEAR}: routes, corridors and events", year=year)
        overlays = [
            layers.pipeline_layer(pipelines, time_control=True),
            layers.energy_site_layer(sites),
            layers.corridor_layer(corridors),
            layers.corridor_node_layer(nodes),
            layers.event_layer(events),
        ]
        views = _views(("Routes and corridors", feature_bounds(overlays[:4])), ("All events", feature_bounds(overlays)))
        _finish(m, overlays, views, outlines=outlines, slider_year=year if year_control else None)
        TimeControl(overlays, year=year, year_control=year_control).add_to(m)
        return m
