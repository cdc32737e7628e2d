"""Ready-made maps: export routes, Belt and Road corridors, summits, and the atlas.

Every builder takes validated frames (see :mod:`kzviz.datasets`), never
reads files, and returns a :class:`KzMap` with a layer control, a legend, a
scale bar and a fullscreen button. ``year`` shows the world as it stood in
that year.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kzviz import vocab
from kzviz.maps import layers
from kzviz.maps._base import FillPatterns, KzMap, Legend, LegendRow, Overlay, legend_sections
from kzviz.maps._ids import stable_ids
from kzviz.maps._literal import LiteralLayerControl
from kzviz.maps.controls import KAZAKHSTAN_BOUNDS, Bounds, MapSetup, feature_bounds
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
    slider_year: int | None = None,
) -> KzMap:
    """Add the overlays, layer control, fullscreen button, legend and reader controls to `m`.

    The legend lists what the overlays drew; a map with a year slider also
    says which year it opens on.
    """
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
    pipelines: pd.DataFrame, sites: pd.DataFrame, *, year: YearLike | None = None, as_of: YearLike | None = None
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

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    with stable_ids():
        m = KzMap(title=f"Oil and gas export routes in {year}")
        overlays = [layers.pipeline_layer(pipelines, year=year), layers.energy_site_layer(sites)]
        return _finish(m, overlays, _views((WHOLE_MAP, feature_bounds(overlays))))


def corridor_map(
    corridors: pd.DataFrame, nodes: pd.DataFrame, *, year: YearLike | None = None, as_of: YearLike | None = None
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

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    with stable_ids():
        m = KzMap(title=f"Belt and Road corridors through Kazakhstan in {year}")
        overlays = [layers.corridor_layer(corridors, year=year), layers.corridor_node_layer(nodes, year=year)]
        return _finish(m, overlays, _views((WHOLE_MAP, feature_bounds(overlays))))


def summit_map(events: pd.DataFrame, *, year: YearLike | None = None, as_of: YearLike | None = None) -> KzMap:
    """Map where Kazakhstan's summits, meetings and state visits took place.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kzviz.load_events`.
    year : int or numpy.integer, optional
        Include meetings up to this year (default 2022).
    as_of : int, optional
        Deprecated name of `year`.

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    with stable_ids():
        m = KzMap(title=f"Where Kazakhstan met its partners, 1991–{year}", location=(45.0, 30.0), zoom_start=3)
        overlays = [layers.summit_layer(events, year=year), layers.courtship_layer(events, year=year)]
        views = _views(("All places", feature_bounds(overlays)), ("Kazakhstan", KAZAKHSTAN_BOUNDS))
        return _finish(m, overlays, views)


def atlas(
    events: pd.DataFrame,
    pipelines: pd.DataFrame,
    sites: pd.DataFrame,
    corridors: pd.DataFrame,
    nodes: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
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

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    with stable_ids():
        m = KzMap(title=f"Atlas: routes, corridors and meetings, {year}", location=(45.0, 30.0), zoom_start=3)
        networks = [
            layers.pipeline_layer(pipelines, year=year),
            layers.energy_site_layer(sites),
            layers.corridor_layer(corridors, year=year),
            layers.corridor_node_layer(nodes, year=year),
        ]
        overlays = [*networks, layers.summit_layer(events, year=year), layers.courtship_layer(events, year=year)]
        views = _views(("Everything", feature_bounds(overlays)), ("Routes and corridors", feature_bounds(networks)))
        return _finish(m, overlays, views)


def timeline_map(
    events: pd.DataFrame,
    pipelines: pd.DataFrame,
    sites: pd.DataFrame,
    corridors: pd.DataFrame,
    nodes: pd.DataFrame,
    *,
    year: YearLike = vocab.LAST_YEAR,
    bridge: str | None = None,
) -> KzMap:
    """Map every event and route once, with a year slider that runs in the browser.

    The slider and its Play button need no kernel, so the map stays alive on
    nbviewer and in exported HTML. With `bridge`, the map also follows a
    :class:`kzviz.timeline.TimelineExplorer` in the same page.

    Parameters
    ----------
    events, pipelines, sites, corridors, nodes : pandas.DataFrame
        From the matching ``kzviz.load_*`` functions.
    year : int
        Year selected when the map opens.
    bridge : str, optional
        Token of the explorer bridge element to follow.

    Returns
    -------
    KzMap
        The map, ready to display or save.
    """
    year = check_year(year)
    with stable_ids():
        m = KzMap(title="Timeline 1991–2022: routes, corridors and events")
        overlays = [
            layers.pipeline_layer(pipelines),
            layers.energy_site_layer(sites),
            layers.corridor_layer(corridors),
            layers.corridor_node_layer(nodes),
            layers.event_layer(events),
        ]
        views = _views(("Routes and corridors", feature_bounds(overlays[:4])), ("All events", feature_bounds(overlays)))
        _finish(m, overlays, views, slider_year=year)
        TimeControl(overlays, year=year, bridge=bridge).add_to(m)
        return m
