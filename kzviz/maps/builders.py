"""Ready-made maps: export routes, Belt and Road corridors, summits, the atlas and the timeline map.

Every builder is made the same way:

1. it checks the frames it was given (:func:`kzviz._frames.require_frames`)
   and its :class:`MapSettings`, and refuses, naming the argument and the
   missing columns, anything it could not draw;
2. it opens a :class:`KzMap` with its title, year, tiles and size;
3. it draws its layers, one toggleable :class:`Overlay` per theme, each under
   a key that ``names=`` can rename;
4. :func:`_finish` adds the outlines, the layers, the layer control, the
   legend and the reader controls, and chooses the views.

Builders never read files and return the map; ``year`` shows the world as it
stood in that year.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

import geopandas as gpd
import pandas as pd

from kzviz import vocab
from kzviz._frames import FrameNeeds, require_frames
from kzviz.maps import layers
from kzviz.maps._base import TILES, FillPatterns, KzMap, Legend, LegendRow, Overlay, legend_sections
from kzviz.maps._literal import LiteralLayerControl
from kzviz.maps.controls import KAZAKHSTAN_BOUNDS, Bounds, MapSetup, feature_bounds
from kzviz.maps.outlines import add_outlines
from kzviz.maps.time_control import TimeControl
from kzviz.timeframe import YearLike, check_year, year_or_deprecated

if TYPE_CHECKING:
    from typing import Unpack

WHOLE_MAP = "Whole map"

OUTLINE_NEEDS = FrameNeeds("load_country_outlines", ("kind", "start_year", "geometry"), geometry=True)
"""What the country outlines beneath a map are drawn from."""

MAP_SETTINGS_DOC = """\
outlines : geopandas.GeoDataFrame, optional
    From :func:`kzviz.load_country_outlines`: a base beneath the tiles
    that still shows offline and in the map's picture.
tiles : str or None, default "OpenStreetMap"
    The base map: a tile provider folium knows by name (the default,
    OpenStreetMap's standard tiles, or ``"CartoDB positron"``...), a URL
    template (``"https://tiles.example.org/{z}/{x}/{y}.png"``), or None for
    no tiles.
tiles_attribution : str, optional
    Plain text crediting the tiles, shown as written. Required with a URL;
    a named provider is credited as its maker asks.
width, height : int or str, default "100%"
    Size of the map as :class:`folium.Map` takes it: pixels (``600``,
    ``"600px"``) or a share of the page (``"100%"``). In a notebook, a size
    in pixels also sizes the map's frame.
names : mapping of str to str, optional
    Your own names for the map's layers, by layer key (see below), as
    plain text: ``names={"pipelines": "My pipelines"}``. Layers not named
    keep theirs; an unknown key is an error.
"""
"""The keyword arguments every builder takes (:class:`MapSettings`), as written in each builder's docstring."""


class MapSettings(TypedDict, total=False):
    """Keyword arguments that every map builder takes, besides its frames and year."""

    outlines: gpd.GeoDataFrame | None
    tiles: str | None
    tiles_attribution: str | None
    width: int | str
    height: int | str
    names: Mapping[str, str]


MapSettings.__doc__ = f"{MapSettings.__doc__}\n\nAttributes\n----------\n{MAP_SETTINGS_DOC}"

_Builder = TypeVar("_Builder", bound=Callable[..., KzMap])


def _with_settings_doc(builder: _Builder) -> _Builder:
    """Write :data:`MAP_SETTINGS_DOC` into `builder`'s docstring where it says ``{map_settings}``."""
    doc, found = re.subn(
        r"^( *)\{map_settings\}\n",
        lambda match: textwrap.indent(MAP_SETTINGS_DOC, match.group(1)),
        builder.__doc__ or "",
        flags=re.MULTILINE,
    )
    if found != 1:
        msg = f"{builder.__name__}'s docstring must say {{map_settings}} once, on a line of its own"
        raise ValueError(msg)
    builder.__doc__ = doc
    return builder


def _check_call(caller: str, settings: Mapping[str, Any], frames: Mapping[str, tuple[object, FrameNeeds]]) -> None:
    """Refuse unknown settings and frames that lack what `caller` draws, before anything is drawn."""
    unknown = [key for key in settings if key not in MapSettings.__annotations__]
    if unknown:
        known = ", ".join(MapSettings.__annotations__)
        msg = f"{caller}() got unknown keyword argument(s) {', '.join(map(repr, unknown))}; map settings are {known}"
        raise TypeError(msg)
    outlines = settings.get("outlines")
    require_frames(caller, {**frames, **({"outlines": (outlines, OUTLINE_NEEDS)} if outlines is not None else {})})


def _new_map(title: str, year: int, settings: Mapping[str, Any], **view: Any) -> KzMap:
    """Open the map with its title and year, the settings' tiles and size, and `view` (location, zoom)."""
    return KzMap(
        title=title,
        year=year,
        tiles=settings.get("tiles", TILES),
        tiles_attribution=settings.get("tiles_attribution"),
        width=settings.get("width", "100%"),
        height=settings.get("height", "100%"),
        **view,
    )


def _rename(caller: str, overlays: Mapping[str, Overlay], names: Mapping[str, str] | None) -> None:
    """Give the layers of `overlays` the names the reader chose, by layer key."""
    names = dict(names or {})
    unknown = [key for key in names if key not in overlays]
    if unknown:
        keys = ", ".join(map(repr, overlays))
        msg = f"{caller}(): names has no layer {', '.join(map(repr, unknown))}; this map's layers are {keys}"
        raise ValueError(msg)
    for key, name in names.items():
        if not isinstance(name, str) or not name.strip():
            msg = f"{caller}(): names[{key!r}] must be a non-empty str, got {name!r}"
            raise TypeError(msg)
        overlays[key].layer_name = name


def _network_frames(
    pipelines: object, sites: object, corridors: object, nodes: object
) -> dict[str, tuple[object, FrameNeeds]]:
    """Return the route and corridor frames of a map that draws them all, with what their layers read."""
    return {
        "pipelines": (pipelines, layers.PIPELINE_NEEDS),
        "sites": (sites, layers.SITE_NEEDS),
        "corridors": (corridors, layers.CORRIDOR_NEEDS),
        "nodes": (nodes, layers.NODE_NEEDS),
    }


def _views(*candidates: tuple[str, Bounds | None]) -> list[tuple[str, Bounds]]:
    """Keep the views that have bounds (a layer may draw nothing in an early year)."""
    views = [(label, bounds) for label, bounds in candidates if bounds is not None]
    return views or [(WHOLE_MAP, KAZAKHSTAN_BOUNDS)]


def _finish(
    caller: str,
    m: KzMap,
    overlays: Mapping[str, Overlay],
    views: Sequence[tuple[str, Bounds]],
    settings: Mapping[str, Any],
    *,
    slider_year: int | None = None,
) -> KzMap:
    """Add the outlines, overlays, layer control, legend and reader controls to `m`.

    The overlays take the names the settings give them; the legend lists
    what they drew; a map with a year slider also says which year it opens on.
    """
    _rename(caller, overlays, settings.get("names"))
    outlines = settings.get("outlines")
    if outlines is not None:
        add_outlines(m, outlines, year=m.year if m.year is not None else vocab.LAST_YEAR)
    drawn = list(overlays.values())
    rows: list[LegendRow] = [row for overlay in drawn for row in overlay.legend]
    sections = legend_sections(rows, layers.SECTION_ORDER)
    if slider_year is not None:
        sections.append((f"Year shown when the map opens: {slider_year}", []))
    FillPatterns([tie for overlay in drawn for tie in overlay.ties]).add_to(m)
    for overlay in drawn:
        overlay.add_to(m)
    control = LiteralLayerControl(collapsed=True, position="topright")
    control.add_to(m)
    Legend(sections).add_to(m)
    MapSetup(m.title, views, layer_control=control, base_layer=m.base_layer, overlays=drawn).add_to(m)
    return m


@_with_settings_doc
def pipeline_map(
    pipelines: gpd.GeoDataFrame,
    sites: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    **settings: Unpack[MapSettings],
) -> KzMap:
    """Map the oil and gas export routes and the fields and terminals they serve.

    Parameters
    ----------
    pipelines : geopandas.GeoDataFrame
        From :func:`kzviz.load_pipelines`.
    sites : pandas.DataFrame
        From :func:`kzviz.load_energy_sites`.
    year : int or numpy.integer, optional
        Show routes as they stood in this year (default 2022).
    as_of : int, optional
        Deprecated name of `year`.
    {map_settings}
        Layer keys: ``"pipelines"`` (export routes), ``"sites"`` (fields and terminals).

    Returns
    -------
    KzMap
        The map, ready to display or save.

    Raises
    ------
    TypeError, ValueError
        If a frame lacks what the map draws (the message names the argument
        and its missing columns), or a setting is unknown.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    frames = {"pipelines": (pipelines, layers.PIPELINE_NEEDS), "sites": (sites, layers.SITE_NEEDS)}
    _check_call("pipeline_map", settings, frames)
    m = _new_map(f"Oil and gas export routes in {year}", year, settings)
    overlays = {
        "pipelines": layers.pipeline_layer(pipelines, year=year),
        "sites": layers.energy_site_layer(sites),
    }
    views = _views((WHOLE_MAP, feature_bounds(overlays.values())))
    return _finish("pipeline_map", m, overlays, views, settings)


@_with_settings_doc
def corridor_map(
    corridors: gpd.GeoDataFrame,
    nodes: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    **settings: Unpack[MapSettings],
) -> KzMap:
    """Map the Belt and Road corridors with their border crossings and ports.

    Parameters
    ----------
    corridors : geopandas.GeoDataFrame
        From :func:`kzviz.load_corridors`.
    nodes : pandas.DataFrame
        From :func:`kzviz.load_corridor_nodes`.
    year : int or numpy.integer, optional
        Show legs and nodes open in this year (default 2022).
    as_of : int, optional
        Deprecated name of `year`.
    {map_settings}
        Layer keys: ``"corridors"``, ``"nodes"`` (border crossings and ports).

    Returns
    -------
    KzMap
        The map, ready to display or save.

    Raises
    ------
    TypeError, ValueError
        If a frame lacks what the map draws (the message names the argument
        and its missing columns), or a setting is unknown.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    frames = {"corridors": (corridors, layers.CORRIDOR_NEEDS), "nodes": (nodes, layers.NODE_NEEDS)}
    _check_call("corridor_map", settings, frames)
    m = _new_map(f"Belt and Road corridors through Kazakhstan in {year}", year, settings)
    overlays = {
        "corridors": layers.corridor_layer(corridors, year=year),
        "nodes": layers.corridor_node_layer(nodes, year=year),
    }
    views = _views((WHOLE_MAP, feature_bounds(overlays.values())))
    return _finish("corridor_map", m, overlays, views, settings)


@_with_settings_doc
def summit_map(
    events: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    **settings: Unpack[MapSettings],
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
    {map_settings}
        Layer keys: ``"summits"`` (summits and visits), ``"courtship"`` (the 2022 courtship).

    Returns
    -------
    KzMap
        The map, ready to display or save.

    Raises
    ------
    TypeError, ValueError
        If `events` lacks what the map draws (the message names its missing
        columns), or a setting is unknown.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    _check_call("summit_map", settings, {"events": (events, layers.MEETING_NEEDS)})
    title = f"Where Kazakhstan met its partners, {vocab.FIRST_YEAR}–{year}"
    m = _new_map(title, year, settings, location=(45.0, 30.0), zoom_start=3)
    overlays = {
        "summits": layers.summit_layer(events, year=year),
        "courtship": layers.courtship_layer(events, year=year),
    }
    views = _views(("All places", feature_bounds(overlays.values())), ("Kazakhstan", KAZAKHSTAN_BOUNDS))
    return _finish("summit_map", m, overlays, views, settings)


@_with_settings_doc
def atlas(
    events: pd.DataFrame,
    pipelines: gpd.GeoDataFrame,
    sites: pd.DataFrame,
    corridors: gpd.GeoDataFrame,
    nodes: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    **settings: Unpack[MapSettings],
) -> KzMap:
    """Map everything at once, one toggleable layer per theme.

    Parameters
    ----------
    events, sites, nodes : pandas.DataFrame
        From the matching ``kzviz.load_*`` functions.
    pipelines, corridors : geopandas.GeoDataFrame
        From :func:`kzviz.load_pipelines` and :func:`kzviz.load_corridors`.
    year : int or numpy.integer, optional
        Show the networks as they stood, and the meetings held, up to this year (default 2022).
    as_of : int, optional
        Deprecated name of `year`.
    {map_settings}
        Layer keys: ``"pipelines"``, ``"sites"``, ``"corridors"``, ``"nodes"``,
        ``"summits"``, ``"courtship"``.

    Returns
    -------
    KzMap
        The map, ready to display or save.

    Raises
    ------
    TypeError, ValueError
        If a frame lacks what the map draws (the message names every argument
        and missing column), or a setting is unknown.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    frames = {"events": (events, layers.MEETING_NEEDS), **_network_frames(pipelines, sites, corridors, nodes)}
    _check_call("atlas", settings, frames)
    m = _new_map(f"Atlas: routes, corridors and meetings, {year}", year, settings, location=(45.0, 30.0), zoom_start=3)
    overlays = {
        "pipelines": layers.pipeline_layer(pipelines, year=year),
        "sites": layers.energy_site_layer(sites),
        "corridors": layers.corridor_layer(corridors, year=year),
        "nodes": layers.corridor_node_layer(nodes, year=year),
        "summits": layers.summit_layer(events, year=year),
        "courtship": layers.courtship_layer(events, year=year),
    }
    networks = [overlays[key] for key in ("pipelines", "sites", "corridors", "nodes")]
    views = _views(
        ("Everything", feature_bounds(overlays.values())), ("Routes and corridors", feature_bounds(networks))
    )
    return _finish("atlas", m, overlays, views, settings)


@_with_settings_doc
def timeline_map(
    events: pd.DataFrame,
    pipelines: gpd.GeoDataFrame,
    sites: pd.DataFrame,
    corridors: gpd.GeoDataFrame,
    nodes: pd.DataFrame,
    *,
    year: YearLike = vocab.LAST_YEAR,
    year_control: bool = True,
    **settings: Unpack[MapSettings],
) -> KzMap:
    """Map every event and route once, and show any year in the browser.

    A :class:`~kzviz.maps.time_control.TimeControl` shows, for the year
    chosen, the events up to it and every route in the stage it had then;
    route tooltips and popups name that stage. Its slider and Play button
    need no kernel, so the map stays alive on nbviewer and in exported HTML.

    Parameters
    ----------
    events, sites, nodes : pandas.DataFrame
        From the matching ``kzviz.load_*`` functions.
    pipelines, corridors : geopandas.GeoDataFrame
        From :func:`kzviz.load_pipelines` and :func:`kzviz.load_corridors`.
    year : int or numpy.integer
        Year shown when the map opens.
    year_control : bool
        Draw the map's own year slider and Play button. A
        :class:`kzviz.timeline.TimelineExplorer` passes False and drives the
        map with its own controls, so the reader sees one year control.
    {map_settings}
        Layer keys: ``"pipelines"``, ``"sites"``, ``"corridors"``, ``"nodes"``, ``"events"``.

    Returns
    -------
    KzMap
        The map, ready to display or save.

    Raises
    ------
    TypeError, ValueError
        If a frame lacks what the map draws (the message names every argument
        and missing column), or a setting is unknown.
    """
    year = check_year(year)
    frames = {"events": (events, layers.EVENT_NEEDS), **_network_frames(pipelines, sites, corridors, nodes)}
    _check_call("timeline_map", settings, frames)
    m = _new_map(f"Timeline {vocab.FIRST_YEAR}–{vocab.LAST_YEAR}: routes, corridors and events", year, settings)
    overlays = {
        "pipelines": layers.pipeline_layer(pipelines, time_control=True),
        "sites": layers.energy_site_layer(sites),
        "corridors": layers.corridor_layer(corridors),
        "nodes": layers.corridor_node_layer(nodes),
        "events": layers.event_layer(events),
    }
    networks = [overlays[key] for key in ("pipelines", "sites", "corridors", "nodes")]
    views = _views(
        ("Routes and corridors", feature_bounds(networks)), ("All events", feature_bounds(overlays.values()))
    )
    _finish("timeline_map", m, overlays, views, settings, slider_year=year if year_control else None)
    TimeControl(list(overlays.values()), year=year, year_control=year_control).add_to(m)
    return m
