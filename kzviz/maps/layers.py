"""Turn validated frames into map layers (:class:`~kzviz.maps._base.Overlay`).

Each function takes a frame from :mod:`kzviz.datasets` and a year and
returns one toggleable layer. Features carry ``start`` and ``end`` years so
browser-side time controls can filter them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from kzviz import palette, vocab
from kzviz._html import esc, link, popup_html, sources_html
from kzviz.maps._base import Overlay
from kzviz.places import group_by_place
from kzviz.timeframe import YearLike, route_stage, year_or_deprecated

GAS_MTOE_PER_BCM = 0.86
"""Oil-equivalent of one bcm of natural gas (million tonnes), for line widths."""

COURTSHIP_WINDOW = ("2022-01-01", "2022-06-30")
"""The first half of 2022, when Russia, China and the EU courted Kazakhstan."""

_STAGE_LABELS = {"operating": "operating", "under_construction": "under construction", "announced": "announced"}


ABROAD_WEIGHT_SHARE = 0.45
"""Outside Kazakhstan a route is drawn at this share of its width (at least
:data:`MIN_ABROAD_WEIGHT` pixels), so the Kazakh sections stand out."""

MIN_ABROAD_WEIGHT = 1.5


def split_sections(
    coords: Sequence[tuple[float, ...]],
    kazakhstan_vertices: Sequence[Sequence[int]] | None,
    sea_vertices: Sequence[int] | None,
) -> list[tuple[list[list[float]], bool, bool]]:
    """Split a line where it enters or leaves Kazakhstan and where a sea crossing starts or ends.

    Parameters
    ----------
    coords : sequence of (lon, lat)
        The line's vertices.
    kazakhstan_vertices : sequence of (first, last) or None
        Vertex index ranges inside Kazakhstan.
    sea_vertices : (first, last) or None
        Vertex index range of the sea crossing.

    Returns
    -------
    list of (list of [lon, lat], bool, bool)
        Pieces in order, each with two flags: in Kazakhstan, and at sea.
        Neighbouring pieces share their end vertex.
    """
    points = [[round(c[0], 5), round(c[1], 5)] for c in coords]
    last = len(points) - 1
    inside = [tuple(r) for r in kazakhstan_vertices or ()]
    sea = tuple(sea_vertices) if sea_vertices is not None else None
    cuts = sorted({0, last, *(v for r in inside for v in r), *(sea or ())})
    pieces: list[tuple[list[list[float]], bool, bool]] = []
    for start, end in itertools.pairwise(cuts):
        in_kz = any(a <= start and end <= b for a, b in inside)
        at_sea = sea is not None and sea[0] <= start and end <= sea[1]
        if pieces and pieces[-1][1:] == (in_kz, at_sea):
            pieces[-1][0].extend(points[start + 1 : end + 1])
        else:
            pieces.append((points[start : end + 1], in_kz, at_sea))
    return pieces


def _line_feature(coords: list[list[float]], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "LineString", "coordinates": coords}, "properties": props}


def _segment_features(
    record: dict[str, Any],
    style: dict[str, Any],
    sea_style: dict[str, Any],
    *,
    tooltip: str,
    popup: str,
    years: dict[str, int | None],
) -> list[dict[str, Any]]:
    """Return a route's pieces as features: sea pieces get `sea_style` on top, pieces abroad are thinner.

    ``years`` (announced, construction, first) lets browser-side time controls
    restyle the route for any year.
    """
    pieces = split_sections(record["geometry"].coords, record["kazakhstan_vertices"], record["sea_vertices"])
    features = []
    for coords, in_kz, sea in pieces:
        piece_style = {**style, **sea_style} if sea else dict(style)
        if not in_kz:
            piece_style["weight"] = max(round(style["weight"] * ABROAD_WEIGHT_SHARE, 1), MIN_ABROAD_WEIGHT)
            piece_style["className"] = f"{style['className']} kz-abroad"
        props = {
            "route": record["id"],
            "sea": sea,
            "kazakhstan": in_kz,
            "style": piece_style,
            "tooltip": tooltip,
            "popup": popup,
            "years": years,
        }
        features.append(_line_feature(coords, props))
    return features


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


def _point_feature(lat: float, lon: float, props: dict[str, Any]) -> dict[str, Any]:
    point = [round(float(lon), 5), round(float(lat), 5)]
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": point}, "properties": props}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows of `frame` as plain dicts (geometry included)."""
    return [dict(zip(frame.columns, values, strict=True)) for values in frame.itertuples(index=False, name=None)]


def _year(value: Any) -> int | None:
    return None if pd.isna(value) else int(value)


def capacity_weight(capacity: float, unit: str) -> float:
    """Return a line width in pixels that grows with the square root of capacity.

    Gas capacity is converted to oil equivalent (:data:`GAS_MTOE_PER_BCM`)
    so oil and gas routes share one scale.
    """
    mtoe = capacity * (GAS_MTOE_PER_BCM if unit == "bcm/yr" else 1.0)
    return round(2.0 + 1.1 * math.sqrt(max(mtoe, 0.0)), 1)


def pipeline_layer(
    pipelines: pd.DataFrame, *, year: YearLike | None = None, as_of: YearLike | None = None, name: str = "Export routes"
) -> Overlay:
    """Return the export routes as they stood in `year`.

    Routes not yet announced in `year` are left out; the rest are coloured by
    market direction, sized by capacity, dashed by stage, and dotted at sea.

    Parameters
    ----------
    pipelines : pandas.DataFrame
        From :func:`kzviz.load_pipelines`.
    year : int or numpy.integer, optional
        Year to show.
    as_of : int, optional
        Deprecated name of `year`.
    name : str
        Layer name in the layer control.

    Returns
    -------
    Overlay
        One feature per land or sea segment; ``properties.route`` is the route id.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    stages = route_stage(pipelines, year)
    features = []
    for route, stage in zip(_records(pipelines), stages, strict=True):
        if pd.isna(stage):
            continue
        capacity = f"{route['capacity']:g} {route['capacity_unit']}"
        length = None if pd.isna(route["length_km"]) else f"{route['length_km']:,.0f} km"
        rows = [
            ("Carries", route["commodity"]),
            ("Market", palette.MARKET_LABELS[route["market"]]),
            ("From / to", f"{route['from_place']} to {route['to_place']}"),
            ("Capacity", capacity),
            ("Length", length),
            ("First operation", _year(route["first_year"])),
            (f"Status in {year}", _STAGE_LABELS[stage]),
            ("Operator", route["operator"]),
            ("Owners", None if pd.isna(route["owners"]) else route["owners"]),
            ("Via", " – ".join(route["places"])),
            ("Line", _line_label(route)),
            ("Line drawn from", route["geometry_attribution"]),
        ]
        popup = popup_html(
            route["name"],
            rows,
            sources_html(route["sources"]),
            extra=_reader_text(route["description"], route["certainty_note"]),
        )
        tooltip = esc(route["name"]) + ("" if stage == "operating" else f" ({esc(_STAGE_LABELS[stage])})")
        status = palette.STATUS_STYLES[stage]
        base = {
            "color": palette.MARKET_COLOURS[route["market"]],
            "weight": capacity_weight(route["capacity"], route["capacity_unit"]),
            "opacity": status["opacity"],
            "dashArray": status["dashArray"],
            "lineCap": "round",
            "className": f"kz-route kz-pipeline kz-id-{route['id']}",
        }
        sea_style = {"dashArray": palette.SEA_LEG_DASH}
        years = {
            "announced": _year(route["announced_year"]),
            "construction": _year(route["construction_start_year"]),
            "first": _year(route["first_year"]),
        }
        features += _segment_features(route, base, sea_style, tooltip=tooltip, popup=popup, years=years)
    return Overlay(name, features, attribution=route_attribution(pipelines) or None)


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


def energy_site_layer(sites: pd.DataFrame, *, name: str = "Oil and gas fields, terminals") -> Overlay:
    """Return the fields, terminals and ports as circle markers.

    Parameters
    ----------
    sites : pandas.DataFrame
        From :func:`kzviz.load_energy_sites`.
    name : str
        Layer name in the layer control.

    Returns
    -------
    Overlay
        One marker per site.
    """
    features = []
    for site in _records(sites):
        rows = [("Type", str(site["site_type"]).replace("_", " ")), ("Country", site["country"])]
        style = {
            "radius": 6 if "field" in site["site_type"] else 5,
            "color": palette.OUTLINE,
            "weight": 1.5,
            "fillColor": palette.SITE_COLOURS[site["site_type"]],
            "fillOpacity": 1.0,
            "className": f"kz-marker kz-site kz-id-{site['id']}",
        }
        props = {
            "id": site["id"],
            "style": style,
            "tooltip": esc(site["name"]),
            "popup": popup_html(
                site["name"],
                rows,
                sources_html([site["source_url"]], [site["source_title"]]),
                extra=_reader_text(site["description"], site["certainty_note"]),
            ),
        }
        features.append(_point_feature(site["lat"], site["lon"], props))
    return Overlay(name, features)


def corridor_layer(
    corridors: pd.DataFrame,
    *,
    year: YearLike | None = None,
    as_of: YearLike | None = None,
    name: str = "Belt and Road corridors",
) -> Overlay:
    """Return the corridor legs open by `year`, styled by mode.

    Parameters
    ----------
    corridors : pandas.DataFrame
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
        One feature per land or sea segment; ``properties.route`` is the leg id.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    stages = route_stage(corridors, year)
    features = []
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
        popup = popup_html(
            leg["name"],
            rows,
            sources_html(leg["sources"]),
            extra=_reader_text(leg["description"], leg["certainty_note"]),
        )
        land = palette.MODE_STYLES["rail" if leg["mode"] == "multimodal" else leg["mode"]]
        base = {"weight": 3, "opacity": 0.85, "className": f"kz-route kz-corridor kz-id-{leg['id']}", **land}
        sea = dict(palette.MODE_STYLES["sea"])
        years: dict[str, int | None] = {"first": int(leg["opened_year"])}
        features += _segment_features(leg, base, sea, tooltip=esc(leg["name"]), popup=popup, years=years)
    return Overlay(name, features)


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
        From :func:`kzviz.load_corridor_nodes`.
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
        next to a border crossing shows as a ring around it.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    features = []
    shown = nodes[nodes["opened_year"] <= year]
    # A dry port sits next to its border crossing (Khorgos Gateway and Altynkol
    # are under 1 km apart): draw dry ports first and larger, so they show as a
    # ring around the crossing instead of hiding beneath it.
    shown = shown.iloc[(shown["node_type"] != "dry_port").to_numpy().argsort(kind="stable")]
    for node in _records(shown):
        rows = [
            ("Type", str(node["node_type"]).replace("_", " ")),
            ("Country", node["country"]),
            ("Opened", int(node["opened_year"])),
        ]
        style = {
            "radius": 9 if node["node_type"] == "dry_port" else 6,
            "color": palette.OUTLINE,
            "weight": 2,
            "fillColor": palette.NODE_COLOURS[node["node_type"]],
            "fillOpacity": 1.0,
            "className": f"kz-marker kz-node kz-id-{node['id']}",
        }
        props = {
            "id": node["id"],
            "years": {"first": int(node["opened_year"])},
            "style": style,
            "tooltip": esc(node["name"]),
            "popup": popup_html(
                node["name"],
                rows,
                sources_html([node["source_url"]], [node["source_title"]]),
                extra=_reader_text(node["description"], node["certainty_note"]),
            ),
        }
        features.append(_point_feature(node["lat"], node["lon"], props))
    return Overlay(name, features)


def _meeting_list(events: pd.DataFrame) -> str:
    items = []
    for event in _records(events):
        partners = ", ".join(event["partners"]) or "domestic"
        source = link(event["source_url"], "source")
        items.append(f"<li><b>{esc(event['date'])}</b> {esc(event['title'])} <i>({esc(partners)})</i> {source}</li>")
    return f'<ul class="kz-meetings">{"".join(items)}</ul>'


def summit_radius(count: int) -> float:
    """Return the marker radius in pixels for a place that hosted `count` meetings."""
    return round(5 + 2.2 * math.sqrt(count), 1)


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
        Markers coloured by the partner met most often there, sized by the
        number of meetings; each popup lists every meeting with date and source.
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    meetings = events[events["kind"].isin(vocab.MEETING_KINDS) & (events["year"] <= year)]
    by_id = meetings.set_index("id")
    features = []
    for place in _records(group_by_place(meetings)):
        here = by_id.loc[list(place["event_ids"])].reset_index()
        years = here["year"]
        noun = "meeting" if place["n_events"] == 1 else "meetings"
        rows = [
            ("Meetings", place["n_events"]),
            ("Years", f"{years.min()}–{years.max()}"),
            ("Partners", ", ".join(place["partners"])),
        ]
        style = {
            "radius": summit_radius(place["n_events"]),
            "color": palette.OUTLINE,
            "weight": 1.5,
            "fillColor": palette.PARTNER_COLOURS[place["partner"]],
            "fillOpacity": 0.9,
            "className": "kz-marker kz-summit",
        }
        sources = sources_html(list(here["source_url"]), list(here["source_title"]))
        props = {
            "events": list(place["event_ids"]),
            "start": int(years.min()),
            "style": style,
            "tooltip": f"{esc(place['label'])}: {place['n_events']} {noun}",
            "popup": popup_html(place["label"], rows, sources, extra=_meeting_list(here)),
        }
        features.append(_point_feature(place["lat"], place["lon"], props))
    return Overlay(name, features)


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
    """
    year = year_or_deprecated(year, as_of, old_name="as_of", default=vocab.LAST_YEAR)
    start, end = (pd.Timestamp(d) for d in COURTSHIP_WINDOW)
    window = events[events["kind"].isin(vocab.MEETING_KINDS) & events["date_start"].between(start, end)]
    if year < start.year:
        window = window.iloc[0:0]
    by_id = window.set_index("id")
    hosts = group_by_place(events[events["kind"].isin(vocab.MEETING_KINDS) & (events["year"] <= year)])
    count_of = {
        event_id: count for ids, count in zip(hosts["event_ids"], hosts["n_events"], strict=True) for event_id in ids
    }
    features = []
    for place in _records(group_by_place(window)):
        here = by_id.loc[list(place["event_ids"])].reset_index()
        style = {
            "radius": summit_radius(count_of[place["event_ids"][0]]) + 6,
            "color": palette.HIGHLIGHT,
            "weight": 3,
            "fill": False,
            "dashArray": "4 3",
            "className": "kz-marker kz-courtship",
        }
        sources = sources_html(list(here["source_url"]), list(here["source_title"]))
        props = {
            "events": list(place["event_ids"]),
            "start": 2022,
            "style": style,
            "tooltip": f"2022: {esc(place['label'])}",
            "popup": popup_html(f"2022 courtship: {place['label']}", [], sources, extra=_meeting_list(here)),
        }
        features.append(_point_feature(place["lat"], place["lon"], props))
    return Overlay(name, features)


def event_layer(events: pd.DataFrame, *, name: str = "Events") -> Overlay:
    """Return one marker per event, coloured by its first partner group.

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
    """
    features = []
    for event in _records(events):
        partner = event["partners"][0] if event["partners"] else "other"
        rows = [
            ("Date", event["date"]),
            ("Where", event["place_name"]),
            ("Partners", ", ".join(event["partners"]) or "domestic"),
            ("Category", str(event["category"]).replace("_", " ")),
            ("Note", None if pd.isna(event["certainty_note"]) else event["certainty_note"]),
        ]
        style = {
            "radius": 6,
            "color": palette.OUTLINE,
            "weight": 1,
            "fillColor": palette.PARTNER_COLOURS[partner],
            "fillOpacity": 0.85,
            "className": "kz-marker kz-event",
        }
        summary = f"<p>{esc(event['summary'])}</p>"
        props = {
            "id": event["id"],
            "event": True,
            "year": int(event["year"]),
            "style": style,
            "tooltip": f"{esc(event['date'])}: {esc(event['title'])}",
            "popup": popup_html(
                event["title"], rows, sources_html([event["source_url"]], [event["source_title"]]), extra=summary
            ),
        }
        features.append(_point_feature(event["lat"], event["lon"], props))
    return Overlay(name, features)
