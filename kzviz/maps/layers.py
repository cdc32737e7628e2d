"""Turn validated frames into map layers (:class:`~kzviz.maps._base.Overlay`).

Each function takes a frame from :mod:`kzviz.datasets` and a year and
returns one toggleable layer, with the legend rows of what it drew. Features
carry ``start`` and ``end`` years so browser-side time controls can filter
them.

Every kind of feature is styled by one function, used on every map and for
its legend sample: :func:`route_style` (export routes, by market, capacity
and status), :func:`corridor_styles` (corridor legs, by mode),
:func:`partner_fill` (places and events, by partner) and
:func:`symbol_style` (sites and nodes, by kind).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kzviz import palette, vocab
from kzviz._frames import FrameNeeds, require_frames
from kzviz._html import Popup, build_popup, esc, link, source_links
from kzviz.maps._base import LegendRow, Overlay, line_sample, symbol_sample, tie_id
from kzviz.places import group_by_place
from kzviz.timeframe import YearLike, route_stage, year_or_deprecated

GAS_MTOE_PER_BCM = 0.86
"""Oil-equivalent of one bcm of natural gas (million tonnes), for line widths."""

COURTSHIP_WINDOW = ("2022-01-01", "2022-06-30")
"""The first half of 2022, when Russia, China and the EU courted Kazakhstan."""

PARTNER_SECTION = "Colour and fill: partner"
ROUTE_SECTION = "Export routes: width shows capacity"
PATTERN_SECTION = "Line pattern"
CORRIDOR_SECTION = "Belt and Road corridors"
PLACE_SECTION = "Places"
SITE_SECTION = "Sites, ports and crossings"
SECTION_ORDER = (PARTNER_SECTION, PLACE_SECTION, ROUTE_SECTION, PATTERN_SECTION, CORRIDOR_SECTION, SITE_SECTION)
"""Order of legend sections on every map."""

LABEL_ZOOM = {"place": 0.0, "route": 4.0, "corridor": 4.0, "dry_port": 5.0, "site": 6.0}
"""Lowest zoom at which each kind of label shows (labels that would overlap are left out)."""

COORDINATE_DECIMALS = 5
"""Decimals of the coordinates layers write (about 1 m); a map rounds lines further for its zoom range."""

STAGE_LABELS = {"operating": "operating", "under_construction": "under construction", "announced": "announced"}
"""How a route's stage is written in tooltips and popups."""


ABROAD_WEIGHT_SHARE = 0.45
"""Outside Kazakhstan a route is drawn at this share of its width (at least
:data:`MIN_ABROAD_WEIGHT` pixels), so the Kazakh sections stand out."""

MIN_ABROAD_WEIGHT = 1.5

# --------------------------------------------------------------------------- what each layer reads


def _columns(names: str) -> tuple[str, ...]:
    """Return the column names written in `names`, separated by spaces."""
    return tuple(names.split())


PIPELINE_NEEDS = FrameNeeds(
    "load_pipelines",
    _columns(
        "id name commodity from_place to_place market operator owners announced_year construction_start_year "
        "first_year length_km capacity capacity_unit description certainty_note places geometry_approximate "
        "kazakhstan_vertices sea_vertices geometry_licence geometry_attribution sources geometry"
    ),
    geometry=True,
)
"""What :func:`pipeline_layer` reads from its frame."""

SITE_NEEDS = FrameNeeds(
    "load_energy_sites",
    _columns("id name site_type country lat lon source_url source_title description certainty_note"),
)
"""What :func:`energy_site_layer` reads from its frame (positions from ``lat`` and ``lon``)."""

CORRIDOR_NEEDS = FrameNeeds(
    "load_corridors",
    _columns(
        "id corridor name mode opened_year description certainty_note places geometry_approximate "
        "kazakhstan_vertices sea_vertices sources geometry"
    ),
    geometry=True,
)
"""What :func:`corridor_layer` reads from its frame."""

NODE_NEEDS = FrameNeeds(
    "load_corridor_nodes",
    _columns("id name node_type country opened_year lat lon source_url source_title description certainty_note"),
)
"""What :func:`corridor_node_layer` reads from its frame (positions from ``lat`` and ``lon``)."""

MEETING_NEEDS = FrameNeeds(
    "load_events",
    _columns("id date title kind place_name lat lon source_url date_start year partners"),
)
"""What :func:`summit_layer` and :func:`courtship_layer` read from the events."""

EVENT_NEEDS = FrameNeeds(
    "load_events",
    _columns("id date title summary category place_name lat lon source_url source_title year partners"),
)
"""What :func:`event_layer` reads from the events."""


def split_sections(
    coords: Sequence[Sequence[float]] | np.ndarray,
    kazakhstan_vertices: Sequence[Sequence[int]] | None,
    sea_vertices: Sequence[int] | None,
) -> list[tuple[np.ndarray, bool, bool]]:
    """Split a line where it enters or leaves Kazakhstan and where a sea crossing starts or ends.

    Parameters
    ----------
    coords : sequence of (lon, lat) or numpy.ndarray
        The line's vertices (rounded here to :data:`COORDINATE_DECIMALS`).
    kazakhstan_vertices : sequence of (first, last) or None
        Vertex index ranges inside Kazakhstan.
    sea_vertices : (first, last) or None
        Vertex index range of the sea crossing.

    Returns
    -------
    list of (numpy.ndarray, bool, bool)
        Pieces in order, each an array of (lon, lat) rows with two flags: in
        Kazakhstan, and at sea. Neighbouring pieces share their end vertex.
    """
    points = np.round(np.asarray(coords, dtype=float)[:, :2], COORDINATE_DECIMALS)
    last = len(points) - 1
    inside = [tuple(r) for r in kazakhstan_vertices or ()]
    sea = tuple(sea_vertices) if sea_vertices is not None else None
    cuts = sorted({0, last, *(v for r in inside for v in r), *(sea or ())})
    ranges: list[list[Any]] = []  # [first, last, in Kazakhstan, at sea]
    for start, end in itertools.pairwise(cuts):
        in_kz = any(a <= start and end <= b for a, b in inside)
        at_sea = sea is not None and sea[0] <= start and end <= sea[1]
        if ranges and ranges[-1][2:] == [in_kz, at_sea]:
            ranges[-1][1] = end
        else:
            ranges.append([start, end, in_kz, at_sea])
    return [(points[start : end + 1], in_kz, at_sea) for start, end, in_kz, at_sea in ranges]


# --------------------------------------------------------------------------- style functions


def capacity_weight(capacity: float, unit: str) -> float:
    """Return a line width in pixels that grows with the square root of capacity.

    Gas capacity is converted to oil equivalent (:data:`GAS_MTOE_PER_BCM`)
    so oil and gas routes share one scale.
    """
    mtoe = capacity * (GAS_MTOE_PER_BCM if unit == "bcm/yr" else 1.0)
    return round(2.0 + 1.1 * math.sqrt(max(mtoe, 0.0)), 1)


def route_style(market: str, weight: float, stage: str, *, sea: bool = False) -> dict[str, Any]:
    """Return the Leaflet style of an export route.

    Parameters
    ----------
    market : {"russia", "china", "west", "domestic"}
        Market direction: the colour (:data:`kzviz.palette.MARKET_COLOURS`).
    weight : float
        Line width in pixels (see :func:`capacity_weight`).
    stage : {"operating", "under_construction", "announced"}
        Status in the year shown: the dash pattern (:data:`kzviz.palette.STATUS_STYLES`).
    sea : bool
        A tanker crossing: dash-dot whatever the status (:data:`kzviz.palette.SEA_LEG_DASH`).

    Returns
    -------
    dict
        Leaflet path options.
    """
    status = palette.STATUS_STYLES[stage]
    return {
        "color": palette.MARKET_COLOURS[market],
        "weight": weight,
        "opacity": status["opacity"],
        "dashArray": palette.SEA_LEG_DASH if sea else status["dashArray"],
        "lineCap": palette.ROUTE_LINE_CAP,
    }


def corridor_styles(mode: str, *, sea: bool = False) -> list[dict[str, Any]]:
    """Return the Leaflet styles of a corridor leg, bottom line first.

    Parameters
    ----------
    mode : {"rail", "road", "sea", "multimodal"}
        The leg's mode (:data:`kzviz.palette.MODE_STYLES`); a multimodal leg
        is drawn as rail on land.
    sea : bool
        The sea crossing of the leg: dash-dot, as every sea crossing.

    Returns
    -------
    list of dict
        One style, or two for a road (the dark casing, then its white centre).
    """
    spec = palette.MODE_STYLES["sea" if sea else mode]
    base = {
        "color": spec["color"],
        "weight": spec["weight"],
        "opacity": 0.9,
        "dashArray": spec["dashArray"],
        "lineCap": palette.ROUTE_LINE_CAP,
    }
    if "centre" not in spec:
        return [base]
    return [base, {**base, "color": spec["centre"], "weight": spec["weight"] / 2.5}]


def partner_fill(partners: Sequence[str]) -> str:
    """Return the fill of a place or event: a partner's colour or pattern, or a pie for a tie.

    Parameters
    ----------
    partners : sequence of str
        One partner group (or ``"domestic"``), or several that tie.

    Returns
    -------
    str
        A colour, or ``url(#...)`` of a pattern from :func:`kzviz.maps._base.fill_patterns`.
    """
    if len(partners) > 1:
        return f"url(#{tie_id(partners)})"
    partner = partners[0]
    if palette.PARTNER_PATTERNS[partner] == "solid":
        return palette.PARTNER_COLOURS.get(partner, palette.DOMESTIC_COLOUR)
    return f"url(#kz-fill-{partner.lower()})"


def symbol_style(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Return the Leaflet style of a site or node symbol (see :data:`kzviz.palette.SITE_SYMBOLS`)."""
    return {
        "shape": spec["shape"],
        "radius": spec["radius"],
        "color": palette.OUTLINE,
        "weight": 1.5,
        "fillColor": spec["fill"],
        "fillOpacity": 1.0,
    }


def _partner_style(partners: Sequence[str], radius: float, *, weight: float = 1.5) -> dict[str, Any]:
    return {
        "radius": radius,
        "color": palette.OUTLINE,
        "weight": weight,
        "fillColor": partner_fill(partners),
        "fillOpacity": 0.95,
    }


def _partner_row(partner: str, sample: str, detail: str = "") -> LegendRow:
    names = {"domestic": "Kazakhstan alone", "other": "other partners", "EU": "EU and Europe"}
    return LegendRow(PARTNER_SECTION, partner, sample, names.get(partner, partner), detail)


# --------------------------------------------------------------------------- helpers


def _line_feature(coords: Sequence[Sequence[float]] | np.ndarray, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": props}


def _point_feature(lat: float, lon: float, props: dict[str, Any]) -> dict[str, Any]:
    point = [round(float(lon), 5), round(float(lat), 5)]
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": point}, "properties": props}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows of `frame` as plain dicts (geometry included)."""
    columns = [frame[name].to_numpy(dtype=object).tolist() for name in frame.columns]
    return [dict(zip(frame.columns, values, strict=True)) for values in zip(*columns, strict=True)]


def _year(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def short_name(name: str) -> str:
    """Return a map label for a long name: the part before any bracket or comma."""
    return name.split(" (")[0].split(", ")[0].strip()


def _reader_text(description: str, certainty_note: Any) -> str:
    """Return a popup's reader text: the description and, if any, what is uncertain.

    Maintainers' ``provenance_note`` never reaches a popup.
    """
    parts = [f"<p>{esc(description)}</p>"]
    if not pd.isna(certainty_note):
        parts.append(f'<p class="kz-uncertain"><b>Uncertain:</b> {esc(certainty_note)}</p>')
    return "".join(parts)


def _line_label(route: dict[str, Any]) -> str:
    """Say how the route's line was drawn, for readers."""
    drawn = "approximate" if route["geometry_approximate"] else "follows the mapped route"
    return f"{drawn}; thicker inside Kazakhstan"


def _abroad(style: Mapping[str, Any]) -> dict[str, Any]:
    """Return `style` for a piece outside Kazakhstan: thinner, and marked ``kz-abroad``."""
    weight = max(round(float(style["weight"]) * ABROAD_WEIGHT_SHARE, 1), MIN_ABROAD_WEIGHT)
    return {**style, "weight": weight, "className": f"{style.get('className', '')} kz-abroad".strip()}


def _route_features(
    record: dict[str, Any],
    styles: Sequence[Mapping[str, Any]],
    sea_styles: Sequence[Mapping[str, Any]],
    props: dict[str, Any],
    label: tuple[str, float] | None,
) -> list[dict[str, Any]]:
    """Return a route's pieces as features, one per style line (see :func:`split_sections`).

    Sea pieces take `sea_styles`; pieces outside Kazakhstan are thinner
    (:data:`ABROAD_WEIGHT_SHARE`). ``props`` (tooltip, popup, years for
    browser-side time controls) go on every feature; the label goes on the
    first piece inside Kazakhstan (else the first).
    """
    coords = shapely.get_coordinates(record["geometry"])
    pieces = split_sections(coords, record["kazakhstan_vertices"], record["sea_vertices"])
    labelled = next((i for i, (_, in_kz, _) in enumerate(pieces) if in_kz), 0)
    abroad: dict[int, dict[str, Any]] = {}  # pieces drawn alike share one style object
    features: list[dict[str, Any]] = []
    for i, (coords, in_kz, sea) in enumerate(pieces):
        for style in sea_styles if sea else styles:
            drawn = style if in_kz else abroad.setdefault(id(style), _abroad(style))
            piece = {"route": record["id"], "sea": sea, "kazakhstan": in_kz, "style": drawn, **props}
            if label and i == labelled and style is (sea_styles if sea else styles)[0]:
                piece["label"], piece["label_zoom"] = label
            features.append(_line_feature(coords, piece))
    return features


# --------------------------------------------------------------------------- layers


def pipeline_layer(
    pipelines: gpd.GeoDataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    name: str = "Export routes",
    time_control: bool = False,
) -> Overlay:
    """Return the export routes as they stood in `year`.

    Routes not yet announced in `year` are left out; the rest are coloured by
    market direction, sized by capacity, patterned by status, and dash-dot at sea
    (see :func:`route_style`).

    Parameters
    ----------
    pipelines : geopandas.GeoDataFrame
        From :func:`kzviz.load_pipelines`.
    year : int or numpy.integer, optional
        Year to show.
    as_of : int, optional
        Deprecated name of `year`.
    name : str
        Layer name in the layer control.
    time_control : bool
        Mark each route's stage in its tooltip and popup, so that a
        :class:`~kzviz.maps.TimeControl` can rewrite it for the year it shows.

    Returns
    -------
    Overlay
        One feature per land or sea segment; ``properties.route`` is the route id.
    """
    require_frames("pipeline_layer", {"pipelines": (pipelines, PIPELINE_NEEDS)})
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    stages = route_stage(pipelines, year)
    labels = _route_popup_labels(year, time_control)
    features: list[dict[str, Any]] = []
    legend: dict[tuple[str, str, bool], list[LegendRow]] = {}
    for route, stage in zip(_records(pipelines), stages, strict=True):
        if pd.isna(stage):
            continue
        weight = capacity_weight(route["capacity"], route["capacity_unit"])
        style = {**route_style(route["market"], weight, stage), "className": "kz-route kz-pipeline"}
        sea_style = {**style, "dashArray": palette.SEA_LEG_DASH}
        years = {
            "announced": _year(route["announced_year"]),
            "construction": _year(route["construction_start_year"]),
            "first": _year(route["first_year"]),
        }
        props = {
            "tooltip": _route_tooltip(route, stage, time_control),
            "popup": _route_popup(route, stage, labels, time_control),
            "years": years,
        }
        label = (esc(short_name(route["name"])), LABEL_ZOOM["route"])
        features += _route_features(route, [style], [sea_style], props, label)
        key = (route["market"], stage, route["sea_vertices"] is not None)
        if key not in legend:
            legend[key] = _route_legend(*key)
    rows = [row for key_rows in legend.values() for row in key_rows]
    return Overlay(name, features, legend=rows, attribution=route_attribution(pipelines) or None)


def route_attribution(routes: pd.DataFrame) -> str:
    """Return the credit line for the route lines of `routes`: who drew them, under which licences.

    Parameters
    ----------
    routes : pandas.DataFrame
        From :func:`kzviz.load_pipelines`.

    Returns
    -------
    str
        Plain text, for example ``"Pipeline routes: Global Energy Monitor, ...
        (licences: CC BY 4.0, ODbL 1.0)"``.
    """
    if routes.empty:
        return ""
    credits = dict.fromkeys(part for text in routes["geometry_attribution"] for part in str(text).split("; "))
    licences = dict.fromkeys(
        part.split(" (")[0] for text in routes["geometry_licence"] for part in str(text).split("; ")
    )
    return f"Pipeline routes: {'; '.join(credits)} (licences: {', '.join(licences)})"


def _stage_text(stage: str, time_control: bool) -> tuple[str, str]:
    """Return a route's stage as popup value and tooltip note.

    For a time map (`time_control`) both are marked: a
    :class:`~kzviz.maps.TimeControl` rewrites the text inside ``kz-stage``
    and ``kz-stage-note`` (and the year in ``kz-stage-year``) to follow the
    year it shows.
    """
    value, note = STAGE_LABELS[stage], ("" if stage == "operating" else f", {STAGE_LABELS[stage]}")
    if not time_control:
        return value, note
    return f'<span class="kz-stage">{value}</span>', f'<span class="kz-stage-note">{note}</span>'


def _route_tooltip(route: dict[str, Any], stage: str, time_control: bool) -> str:
    direction = palette.MARKET_LABELS[route["market"]]
    note = _stage_text(stage, time_control)[1]
    return f"{esc(route['name'])} ({esc(route['commodity'])}, {esc(direction)}{note})"


ROUTE_POPUP_ROWS = (
    "Carries",
    "Exports",
    "From",
    "To",
    "Capacity",
    "Length",
    "Announced",
    "Construction began",
    "First operation",
    "Operator",
    "Owners",
    "Via",
    "Line",
    "Line drawn from",
)
"""Rows of a route's popup after its status, in order."""


def _route_popup_labels(year: int, time_control: bool) -> tuple[str, ...]:
    """Return the row labels of route popups for `year` (the status row names the year, marked on time maps)."""
    status = f'Status in <span class="kz-stage-year">{year}</span>' if time_control else f"Status in {year}"
    return (status, *(esc(row) for row in ROUTE_POPUP_ROWS))


def _route_popup(route: dict[str, Any], stage: str, labels: tuple[str, ...], time_control: bool) -> Popup:
    length = None if pd.isna(route["length_km"]) else f"{route['length_km']:,.0f} km"
    values = (
        route["commodity"],
        palette.MARKET_LABELS[route["market"]],
        route["from_place"],
        route["to_place"],
        f"{route['capacity']:g} {route['capacity_unit']}",
        length,
        _year(route["announced_year"]),
        _year(route["construction_start_year"]),
        _year(route["first_year"]),
        route["operator"],
        None if pd.isna(route["owners"]) else route["owners"],
        " – ".join(route["places"]),
        _line_label(route),
        route["geometry_attribution"],
    )
    return Popup(
        labels,
        esc(route["name"]),
        (_stage_text(stage, time_control)[0], *("" if value is None else esc(value) for value in values)),
        _reader_text(route["description"], route["certainty_note"]),
        source_links(route["sources"]),
    )


def _route_legend(market: str, stage: str, sea: bool) -> list[LegendRow]:
    """Return the legend rows a route of this market, stage and sea crossing adds."""
    partner = palette.MARKET_PARTNERS[market]
    colour_sample = line_sample(route_style(market, 4, "operating"))
    rows = [
        _partner_row(
            partner,
            colour_sample,
            "home-market routes" if market == "domestic" else f"routes {palette.MARKET_LABELS[market]}",
        ),
        LegendRow(
            PATTERN_SECTION,
            stage,
            _pattern_sample(palette.STATUS_STYLES[stage]["dashArray"]),
            f"route {STAGE_LABELS[stage]}",
        ),
        LegendRow(
            ROUTE_SECTION,
            "width",
            _width_sample(),
            "width: capacity (4 and 60 Mt of oil a year shown; gas as oil equivalent)",
        ),
        _kazakhstan_row(),
    ]
    if sea:
        rows.append(_sea_row())
    return rows


def _pattern_sample(dash: str | None) -> str:
    style = {"color": palette.PATTERN_SAMPLE_COLOUR, "dashArray": dash, "lineCap": palette.ROUTE_LINE_CAP}
    return line_sample({**style, "weight": 3}) + line_sample({**style, "weight": 8})


def _width_sample() -> str:
    style = {"color": palette.PATTERN_SAMPLE_COLOUR, "lineCap": palette.ROUTE_LINE_CAP, "opacity": 0.9}
    return line_sample({**style, "weight": capacity_weight(4, "Mt/yr")}) + line_sample(
        {**style, "weight": capacity_weight(60, "Mt/yr")}, max_weight=12
    )


def _kazakhstan_row() -> LegendRow:
    style = {"color": palette.PATTERN_SAMPLE_COLOUR, "lineCap": palette.ROUTE_LINE_CAP, "opacity": 0.9}
    sample = line_sample({**style, "weight": 6}) + line_sample(_abroad({**style, "weight": 6}))
    return LegendRow(PATTERN_SECTION, "kazakhstan", sample, "thick in Kazakhstan, thin beyond")


def _sea_row() -> LegendRow:
    return LegendRow(PATTERN_SECTION, "sea", _pattern_sample(palette.SEA_LEG_DASH), "crossing by sea (tanker or ferry)")


def energy_site_layer(sites: pd.DataFrame, *, name: str = "Oil and gas fields, terminals") -> Overlay:
    """Return the fields, terminals, ports and stations, each kind with its own symbol.

    Parameters
    ----------
    sites : pandas.DataFrame
        From :func:`kzviz.load_energy_sites` (positions are read from ``lat`` and ``lon``).
    name : str
        Layer name in the layer control.

    Returns
    -------
    Overlay
        One marker per site.

    Raises
    ------
    TypeError, ValueError
        If `sites` is not a frame with the columns in :data:`SITE_NEEDS`.
    """
    require_frames("energy_site_layer", {"sites": (sites, SITE_NEEDS)})
    features, legend = [], []
    for site in _records(sites):
        spec = palette.SITE_SYMBOLS[site["site_type"]]
        rows = [("Type", str(site["site_type"]).replace("_", " ")), ("Country", site["country"])]
        style = {**symbol_style(spec), "className": f"kz-marker kz-site kz-id-{site['id']}"}
        props = {
            "id": site["id"],
            "style": style,
            "tooltip": f"{esc(site['name'])} ({esc(spec['label'])})",
            "popup": build_popup(
                site["name"],
                rows,
                source_links([site["source_url"]], [site["source_title"]]),
                extra=_reader_text(site["description"], site["certainty_note"]),
            ),
            "label": esc(short_name(site["name"])),
            "label_zoom": LABEL_ZOOM["site"],
        }
        features.append(_point_feature(site["lat"], site["lon"], props))
        legend.append(
            LegendRow(SITE_SECTION, str(spec["label"]), symbol_sample(symbol_style(spec)), str(spec["label"]))
        )
    return Overlay(name, features, legend=legend)


def corridor_layer(
    corridors: gpd.GeoDataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    name: str = "Belt and Road corridors",
) -> Overlay:
    """Return the corridor legs open by `year`, styled by mode (see :func:`corridor_styles`).

    Parameters
    ----------
    corridors : geopandas.GeoDataFrame
        From :func:`kzviz.load_corridors`.
    year : int or numpy.integer, optional
        Year to show.
    as_of : int, optional
        Deprecated name of `year`.
    name : str
        Layer name in the layer control.

    Returns
    -------
    Overlay
        One feature per land or sea segment (two for a road: casing and
        centre); ``properties.route`` is the leg id.

    Raises
    ------
    TypeError, ValueError
        If `corridors` is not a GeoDataFrame with the columns in :data:`CORRIDOR_NEEDS`.
    """
    require_frames("corridor_layer", {"corridors": (corridors, CORRIDOR_NEEDS)})
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    stages = route_stage(corridors, year)
    features: list[dict[str, Any]] = []
    legend: list[LegendRow] = []
    for leg, stage in zip(_records(corridors), stages, strict=True):
        if pd.isna(stage):
            continue
        rows = [
            ("Corridor", leg["corridor"]),
            ("Mode", leg["mode"]),
            ("Opened", int(leg["opened_year"])),
            ("Via", " – ".join(leg["places"])),
            ("Line", _line_label(leg)),
        ]
        reader = _reader_text(leg["description"], leg["certainty_note"])
        props = {
            "tooltip": f"{esc(leg['name'])} ({esc(leg['mode'])}, opened {int(leg['opened_year'])})",
            "popup": build_popup(leg["name"], rows, source_links(leg["sources"]), extra=reader),
            "years": {"first": int(leg["opened_year"])},
        }
        cls = "kz-route kz-corridor"
        land = [{**s, "className": cls} for s in corridor_styles(leg["mode"])]
        sea = [{**s, "className": cls} for s in corridor_styles(leg["mode"], sea=True)]
        label = (esc(short_name(leg["corridor"])), LABEL_ZOOM["corridor"])
        features += _route_features(leg, land, sea, props, label)
        mode = "rail" if leg["mode"] == "multimodal" else leg["mode"]
        legend.append(LegendRow(CORRIDOR_SECTION, mode, line_sample(*corridor_styles(mode)), f"{mode} corridor"))
        legend.append(_kazakhstan_row())
        if leg["sea_vertices"] is not None:
            legend.append(_sea_row())
    return Overlay(name, features, legend=legend)


def corridor_node_layer(
    nodes: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    name: str = "Border crossings and ports",
) -> Overlay:
    """Return the dry ports, seaports and border crossings open by `year`.

    Parameters
    ----------
    nodes : pandas.DataFrame
        From :func:`kzviz.load_corridor_nodes` (positions are read from ``lat`` and ``lon``).
    year : int or numpy.integer, optional
        Year to show.
    as_of : int, optional
        Deprecated name of `year`.
    name : str
        Layer name in the layer control.

    Returns
    -------
    Overlay
        One marker per node; dry ports come first and are larger, so a dry port
        next to a border crossing shows around it.

    Raises
    ------
    TypeError, ValueError
        If `nodes` is not a frame with the columns in :data:`NODE_NEEDS`.
    """
    require_frames("corridor_node_layer", {"nodes": (nodes, NODE_NEEDS)})
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    features: list[dict[str, Any]] = []
    legend: list[LegendRow] = []
    shown = nodes[nodes["opened_year"] <= year]
    # A dry port sits next to its border crossing (Khorgos Gateway and Altynkol
    # are under 1 km apart): draw dry ports first and larger, so they show
    # around the crossing instead of hiding beneath it.
    shown = shown.iloc[(shown["node_type"] != "dry_port").to_numpy().argsort(kind="stable")]
    for node in _records(shown):
        spec = palette.NODE_SYMBOLS[node["node_type"]]
        rows = [
            ("Type", str(node["node_type"]).replace("_", " ")),
            ("Country", node["country"]),
            ("Opened", int(node["opened_year"])),
        ]
        style = {**symbol_style(spec), "className": f"kz-marker kz-node kz-id-{node['id']}"}
        zoom = LABEL_ZOOM["dry_port" if node["node_type"] == "dry_port" else "site"]
        props = {
            "id": node["id"],
            "years": {"first": int(node["opened_year"])},
            "style": style,
            "tooltip": f"{esc(node['name'])} ({esc(spec['label'])}, opened {int(node['opened_year'])})",
            "popup": build_popup(
                node["name"],
                rows,
                source_links([node["source_url"]], [node["source_title"]]),
                extra=_reader_text(node["description"], node["certainty_note"]),
            ),
            "label": esc(short_name(node["name"])),
            "label_zoom": zoom,
        }
        features.append(_point_feature(node["lat"], node["lon"], props))
        legend.append(
            LegendRow(SITE_SECTION, str(spec["label"]), symbol_sample(symbol_style(spec)), str(spec["label"]))
        )
    return Overlay(name, features, legend=legend)


def _meeting_list(events: pd.DataFrame) -> str:
    items = []
    for event in _records(events):
        partners = ", ".join(event["partners"]) or "domestic"
        source = link(event["source_url"], "source")
        items.append(f"<li><b>{esc(event['date'])}</b> {esc(event['title'])} <i>({esc(partners)})</i> {source}</li>")
    return f'<ul class="kz-meetings">{"".join(items)}</ul>'


def meetings_until(events: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return the summits, meetings and state visits among `events` held up to `year`.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kzviz.load_events`.
    year : int
        Last year included.

    Returns
    -------
    pandas.DataFrame
        The rows of kinds :data:`kzviz.vocab.MEETING_KINDS`, in their order.
    """
    return events[events["kind"].isin(vocab.MEETING_KINDS) & (events["year"] <= year)]


def summit_radius(count: int) -> float:
    """Return the marker radius in pixels for a place that hosted `count` meetings."""
    return round(5 + 2.2 * math.sqrt(count), 1)


def leading_text(leading: Sequence[str]) -> str:
    """Describe the partner group(s) met most often at a place, naming ties as ties."""
    if len(leading) == 1:
        return f"most often {leading[0]}"
    return f"tie between {', '.join(leading[:-1])} and {leading[-1]}"


def summit_layer(
    events: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    name: str = "Summits and visits",
) -> Overlay:
    """Return one marker per place that hosted summits, meetings or state visits.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kzviz.load_events` (all kinds; only meeting kinds are drawn).
    year : int or numpy.integer, optional
        Last year included.
    as_of : int, optional
        Deprecated name of `year`.
    name : str
        Layer name in the layer control.

    Returns
    -------
    Overlay
        Markers filled with the partner met most often there (a pie of
        equal slices when several tie), sized by the number of meetings; each
        popup lists every meeting with date and source.

    Raises
    ------
    TypeError, ValueError
        If `events` is not a frame with the columns in :data:`MEETING_NEEDS`.
    """
    require_frames("summit_layer", {"events": (events, MEETING_NEEDS)})
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    meetings = meetings_until(events, year)
    by_id = meetings.set_index("id")
    features, legend = [], []
    for place in _records(group_by_place(meetings)):
        here = by_id.loc[list(place["event_ids"])].reset_index()
        years = here["year"]
        noun = "meeting" if place["n_events"] == 1 else "meetings"
        leading = tuple(place["leading_partners"])
        rows = [
            ("Meetings", place["n_events"]),
            ("Years", f"{years.min()}–{years.max()}"),
            ("Partners", ", ".join(place["partners"])),
            ("Met most often", leading_text(leading).removeprefix("most often ")),
        ]
        style = {**_partner_style(leading, summit_radius(place["n_events"])), "className": "kz-marker kz-summit"}
        props = {
            "events": list(place["event_ids"]),
            "start": int(years.min()),
            "style": style,
            "tooltip": f"{esc(place['label'])}: {place['n_events']} {noun}, {esc(leading_text(leading))}",
            "popup": build_popup(place["label"], rows, (), extra=_meeting_list(here)),
            "label": esc(place["label"]),
            "label_zoom": LABEL_ZOOM["place"],
        }
        features.append(_point_feature(place["lat"], place["lon"], props))
        legend += _place_legend(leading)
    ties = [tuple(p) for p in group_by_place(meetings)["leading_partners"] if len(p) > 1]
    if ties:
        sample = symbol_sample(_partner_style(ties[0], 8))
        legend.append(LegendRow(PLACE_SECTION, "tie", sample, "pie: partners met equally often (a tie)"))
    return Overlay(name, features, legend=legend, ties=ties)


def _place_legend(leading: Sequence[str]) -> list[LegendRow]:
    """Rows for a place: its size and its partner(s)."""
    rows = [LegendRow(PLACE_SECTION, "size", _size_sample(), "circle size: number of meetings")]
    return rows + [_partner_row(partner, symbol_sample(_partner_style([partner], 7))) for partner in leading]


def _size_sample() -> str:
    style = {"color": palette.OUTLINE, "weight": 1, "fill": False}
    return symbol_sample({**style, "radius": summit_radius(1)}) + symbol_sample(
        {**style, "radius": summit_radius(10)}, max_radius=12
    )


def courtship_layer(
    events: pd.DataFrame, *, year: YearLike | None = None, as_of: YearLike | None = None, name: str = "2022 courtship"
) -> Overlay:
    """Return rings around the places of the first-half-2022 meetings.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kzviz.load_events`.
    year : int or numpy.integer, optional
        The layer is empty before 2022.
    as_of : int, optional
        Deprecated name of `year`.
    name : str
        Layer name in the layer control.

    Returns
    -------
    Overlay
        One ring per place, with a popup listing the meetings held there in
        :data:`COURTSHIP_WINDOW`.

    Raises
    ------
    TypeError, ValueError
        If `events` is not a frame with the columns in :data:`MEETING_NEEDS`.
    """
    require_frames("courtship_layer", {"events": (events, MEETING_NEEDS)})
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    meetings = meetings_until(events, year)
    start, end = (pd.Timestamp(d) for d in COURTSHIP_WINDOW)
    window = meetings[meetings["date_start"].between(start, end)]
    by_id = window.set_index("id")
    hosts = group_by_place(meetings)
    count_of = {
        event_id: count for ids, count in zip(hosts["event_ids"], hosts["n_events"], strict=True) for event_id in ids
    }
    features, legend = [], []
    for place in _records(group_by_place(window)):
        here = by_id.loc[list(place["event_ids"])].reset_index()
        style = {
            "radius": summit_radius(count_of[place["event_ids"][0]]) + 6,
            "color": palette.HIGHLIGHT,
            "weight": 3,
            "fill": False,
            "dashArray": "4 3",
        }
        props = {
            "events": list(place["event_ids"]),
            "start": 2022,
            "style": {**style, "className": "kz-marker kz-courtship"},
            "tooltip": f"2022 courtship: {esc(place['label'])}",
            "popup": build_popup(f"2022 courtship: {place['label']}", [], (), extra=_meeting_list(here)),
        }
        features.append(_point_feature(place["lat"], place["lon"], props))
        legend = [
            LegendRow(PLACE_SECTION, "courtship", symbol_sample({**style, "radius": 7}), "ring: met in Jan–Jun 2022")
        ]
    return Overlay(name, features, legend=legend)


def event_layer(events: pd.DataFrame, *, name: str = "Events") -> Overlay:
    """Return one marker per event, filled with its first partner group.

    Events at the same place share a point; a click there lists them all.

    Parameters
    ----------
    events : pandas.DataFrame
        From :func:`kzviz.load_events` (any subset).
    name : str
        Layer name in the layer control.

    Returns
    -------
    Overlay
        Markers whose properties carry ``id`` and ``year`` so a time control
        can filter them in the browser.

    Raises
    ------
    TypeError, ValueError
        If `events` is not a frame with the columns in :data:`EVENT_NEEDS`.
    """
    require_frames("event_layer", {"events": (events, EVENT_NEEDS)})
    features, legend = [], []
    for event in _records(events):
        partner = event["partners"][0] if event["partners"] else "domestic"
        rows = [
            ("Date", event["date"]),
            ("Where", event["place_name"]),
            ("Partners", ", ".join(event["partners"]) or "none (domestic)"),
            ("Category", str(event["category"]).replace("_", " ")),
        ]
        style = {**_partner_style([partner], 6, weight=1), "className": "kz-marker kz-event"}
        summary = f"<p>{esc(event['summary'])}</p>"
        props = {
            "id": event["id"],
            "event": True,
            "year": int(event["year"]),
            "style": style,
            "tooltip": f"{esc(event['date'])}: {esc(event['title'])}",
            "popup": build_popup(
                event["title"], rows, source_links([event["source_url"]], [event["source_title"]]), extra=summary
            ),
        }
        features.append(_point_feature(event["lat"], event["lon"], props))
        detail = "events with no foreign partner" if partner == "domestic" else ""
        legend.append(_partner_row(partner, symbol_sample(_partner_style([partner], 6, weight=1)), detail))
    return Overlay(name, features, legend=legend)
