"""A static picture of a kzviz map, for places that cannot run the live map.

GitHub shows a notebook's stored HTML without iframes, scripts or styles, so
a live map is blank there. :func:`map_picture_html` draws the map as a PNG
with matplotlib, from the map's own layers: the same GeoJSON features with
the same Leaflet styles (colour, width, dashes, opacity, marker radius), in
the same Web Mercator view the map opens with, so the picture and the live
map cannot disagree. A title sits above the map and the map's legend below
it. No browser is involved and the same map always gives the same bytes.

What the picture reads from a map (a :class:`folium.Map`, normally a
:class:`~kzviz.maps.KzMap`):

* ``title`` and ``year`` attributes, when present (``KzMap`` has them);
* the view: the first of a child's ``views`` (``(label, bounds)`` pairs,
  as :class:`~kzviz.maps.controls.MapSetup` fits them), else a
  :class:`folium.map.FitBounds`, else ``location`` and zoom;
* every child layer with ``features`` (GeoJSON features whose
  ``properties.style`` holds Leaflet path options; a point's ``shape`` and
  a fill of a partner pattern are drawn as on the map, patterns as their
  partner's colour) and ``show``, such as :class:`~kzviz.maps.Overlay`, in
  the order they were added; layers switched off when the map opens are left
  out, layers a child draws after fitting its view (its ``deferred_layers``)
  are drawn;
* a child with an ``overlays`` list of such layers, such as
  :class:`~kzviz.maps.TimeControl`: it filters and restyles those layers for
  the map's ``year`` exactly as it does in the browser;
* a child with a legend ``html`` (:class:`~kzviz.maps.Legend`): headings
  and rows of SVG samples (lines and point symbols) and a label.

Other folium elements (tiles, plain folium markers) are not drawn.
"""

from __future__ import annotations

import base64
import io
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Protocol, runtime_checkable

import folium
import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, PathPatch
from matplotlib.path import Path
from PIL import Image

from kzviz import palette, vocab
from kzviz._html import esc
from kzviz.maps._shapes import shape_vertices

MAP_SIZE = (960, 576)
"""Width and height of the map part of the picture, in pixels (the notebook map's 5:3)."""

SEA_COLOUR = "#DCE3E8"
"""Background where no country outline is drawn (as on the live map when tiles don't load)."""

PICTURE_COLOURS = 256
"""Colours kept in the PNG's palette (an octree keeps small areas' colours, such as legend symbols)."""

_TITLE_HEIGHT = 30
_LEGEND_LINE = 17
_LEGEND_COLUMNS = 3
_FONT: dict[str, Any] = {"family": "DejaVu Sans", "color": palette.TEXT_COLOUR}
_LEAFLET_DEFAULTS = {
    "stroke": True,
    "color": "#3388ff",
    "weight": 3,
    "opacity": 1.0,
    "dashArray": None,
    "lineCap": "round",
    "lineJoin": "round",
    "fillOpacity": 0.2,
    "radius": 10,
}
"""Leaflet's default path options, for anything a style leaves out."""


@runtime_checkable
class FeatureLayer(Protocol):
    """A layer the picture draws: GeoJSON features with Leaflet styles (:class:`~kzviz.maps.Overlay`)."""

    layer_name: str
    features: list[dict[str, Any]]
    show: bool


def year_filtered_layers(m: folium.Map) -> list[FeatureLayer]:
    """Return the layers of `m` that a year filter (:class:`~kzviz.maps.TimeControl`) filters in the browser.

    A year filter is a child whose ``overlays`` is a list of feature layers.

    Parameters
    ----------
    m : folium.Map
        The map.

    Returns
    -------
    list of FeatureLayer
        Empty when the map has no year filter.
    """
    layers = []
    for child in m._children.values():
        overlays = getattr(child, "overlays", None)
        if isinstance(overlays, list) and overlays and all(isinstance(o, FeatureLayer) for o in overlays):
            layers += overlays
    return layers


@dataclass(frozen=True)
class ShownLayer:
    """One layer as the map shows it when it opens.

    Parameters
    ----------
    name : str
        The layer's name in the layer control.
    features : tuple of dict
        The GeoJSON features drawn, in drawing order; ``properties.style``
        is the Leaflet style each is drawn with.
    """

    name: str
    features: tuple[dict[str, Any], ...]


def _stage(year: int, years: dict[str, int | None]) -> str | None:
    """Return a route's stage in `year`, as :class:`~kzviz.maps.TimeControl` computes it."""
    for key, stage in (("first", "operating"), ("construction", "under_construction"), ("announced", "announced")):
        since = years.get(key)
        if since is not None and since <= year:
            return stage
    return None


def _in_year(feature: dict[str, Any], year: int) -> dict[str, Any] | None:
    """Return `feature` as a year filter shows it in `year`, or None if it is hidden."""
    props = feature["properties"]
    if props.get("event"):
        return feature if vocab.FIRST_YEAR <= props["year"] <= year else None
    if not props.get("years"):
        return feature
    stage = _stage(year, props["years"])
    if stage is None:
        return None
    if feature["geometry"]["type"] == "Point":
        return feature
    status = palette.STATUS_STYLES[stage]
    dash = props["style"].get("dashArray") if props.get("sea") else status["dashArray"]
    style = {**props["style"], "opacity": status["opacity"], "dashArray": dash}
    return {**feature, "properties": {**props, "style": style}}


def shown_layers(m: folium.Map) -> list[ShownLayer]:
    """Return the layers `m` shows when it opens, with every feature's drawn style.

    Parameters
    ----------
    m : folium.Map
        A map built by kzviz (see the module docstring for what is read).

    Returns
    -------
    list of ShownLayer
        In drawing order (bottom first). Layers switched off when the map
        opens are left out; layers under a year filter hold only the
        features shown in the map's ``year``, restyled for it.
    """
    filtered = {id(layer) for layer in year_filtered_layers(m)}
    deferred = {id(layer) for child in m._children.values() for layer in getattr(child, "deferred_layers", [])}
    year = getattr(m, "year", None) or vocab.LAST_YEAR
    shown = []
    for child in m._children.values():
        if not isinstance(child, FeatureLayer) or not (child.show or id(child) in deferred):
            continue
        features = child.features
        if id(child) in filtered:
            features = [f for f in (_in_year(feature, year) for feature in features) if f is not None]
        shown.append(ShownLayer(child.layer_name, tuple(features)))
    return shown


@dataclass(frozen=True)
class View:
    """The part of the Web Mercator world a map shows, in Leaflet's pixels.

    Parameters
    ----------
    zoom : float
        Leaflet zoom level.
    left, top : float
        World pixel coordinates of the view's top-left corner at `zoom`.
    width, height : int
        Size of the view in pixels.
    """

    zoom: float
    left: float
    top: float
    width: int
    height: int

    def pixels(self, coordinates: Iterable[Sequence[float]]) -> list[tuple[float, float]]:
        """Return view pixel positions (x right, y down) of ``[lon, lat]`` positions."""
        return [(x - self.left, y - self.top) for x, y in (_project(c[0], c[1], self.zoom) for c in coordinates)]


_MAX_LATITUDE = 85.0511287798


def _project(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Return Leaflet's world pixel coordinates of a position (EPSG:3857, 256-pixel tiles)."""
    scale = 256 * 2**zoom
    phi = math.radians(max(-_MAX_LATITUDE, min(_MAX_LATITUDE, lat)))
    return scale * (lon + 180) / 360, scale * (0.5 - math.log(math.tan(math.pi / 4 + phi / 2)) / (2 * math.pi))


def _fit_zoom(bounds: Sequence[Sequence[float]], options: dict[str, Any], size: tuple[int, int]) -> View:
    """Return the view Leaflet's ``fitBounds`` gives in a map of `size` (integer zoom snap)."""
    (south, west), (north, east) = bounds
    top_left = options.get("paddingTopLeft") or options.get("padding") or (0, 0)
    bottom_right = options.get("paddingBottomRight") or options.get("padding") or (0, 0)
    room = (size[0] - top_left[0] - bottom_right[0], size[1] - top_left[1] - bottom_right[1])
    x0, y0 = _project(west, north, 0)
    x1, y1 = _project(east, south, 0)
    scale = min(room[0] / max(x1 - x0, 1e-9), room[1] / max(y1 - y0, 1e-9))
    snap = options.get("zoomSnap") or 1
    zoom = min(math.floor(math.log2(scale) / snap) * snap, options.get("maxZoom", 18), 18)
    x0, y0 = _project(west, north, zoom)
    x1, y1 = _project(east, south, zoom)
    cx = (x0 + x1) / 2 + (bottom_right[0] - top_left[0]) / 2
    cy = (y0 + y1) / 2 + (bottom_right[1] - top_left[1]) / 2
    return View(zoom, round(cx - size[0] / 2), round(cy - size[1] / 2), *size)


def map_view(m: folium.Map, size: tuple[int, int] = MAP_SIZE) -> View:
    """Return the view `m` opens with in a map of `size` pixels.

    Parameters
    ----------
    m : folium.Map
        The map; a :class:`folium.map.FitBounds` child wins over its
        location and zoom, as in the browser.
    size : (int, int)
        Width and height in pixels.

    Returns
    -------
    View
        The view.
    """
    snap = {"zoomSnap": m.options.get("zoomSnap") or 1}
    for child in m._children.values():
        views = getattr(child, "views", None)
        if isinstance(views, list) and views:
            return _fit_zoom(views[0][1], snap, size)
    for child in m._children.values():
        if isinstance(child, folium.map.FitBounds):
            return _fit_zoom(child.bounds, child.options, size)
    zoom: float = m.options.get("zoom", 1)  # type: ignore[assignment]  # folium types options loosely
    cx, cy = _project(m.location[1], m.location[0], zoom)
    return View(zoom, round(cx - size[0] / 2), round(cy - size[1] / 2), *size)


def _dashes(dash: Any) -> tuple[float, ...] | None:
    """Return an SVG dash array (``"8 6"``) as numbers, or None for a solid line."""
    if not dash:
        return None
    numbers = tuple(float(n) for n in re.split(r"[\s,]+", str(dash).strip()) if n)
    return numbers if any(numbers) else None


_CAPS = {"butt": "butt", "round": "round", "square": "projecting"}
_JOINS = {"miter": "miter", "round": "round", "bevel": "bevel"}


def _stroke(style: dict[str, Any]) -> dict[str, Any]:
    """Return matplotlib keyword arguments for a Leaflet style's stroke (1 point = 1 pixel)."""
    if not style["stroke"] or not style["weight"]:
        return {"linewidth": 0, "edgecolor": "none"}
    dashes = _dashes(style["dashArray"])
    return {
        "linewidth": style["weight"],
        "edgecolor": to_rgba(style["color"], style["opacity"]),
        "linestyle": (0, dashes) if dashes else "solid",
        "capstyle": _CAPS.get(style["lineCap"], "round"),
        "joinstyle": _JOINS.get(style["lineJoin"], "round"),
    }


_PATTERN_FILL = re.compile(r"url\(#kz-(?:fill|tie)-([^-)]+)")
_PARTNER_KEYS = {partner.lower(): colour for partner, colour in palette.PARTNER_COLOURS.items()}


def _colour(value: str) -> str:
    """Return a colour; a partner pattern or tie (``url(#kz-fill-china)``) gives its (first) partner's colour."""
    pattern = _PATTERN_FILL.match(value)
    if pattern is None:
        return value
    return _PARTNER_KEYS.get(pattern.group(1), palette.DOMESTIC_COLOUR)


def _fill(style: dict[str, Any], default: bool) -> Any:
    """Return the RGBA fill of a Leaflet style, or "none"."""
    if not style.get("fill", default):
        return "none"
    return to_rgba(_colour(style.get("fillColor") or style["color"]), style["fillOpacity"])


def _rings_path(polygons: Sequence[Any], view: View) -> Path:
    """Return one compound path of every ring of every polygon."""
    vertices: list[tuple[float, float]] = []
    codes: list[Any] = []
    for polygon in polygons:
        for ring in polygon:
            points = view.pixels(ring)
            vertices += points
            codes += [Path.MOVETO] + [Path.LINETO] * (len(points) - 2) + [Path.CLOSEPOLY]
    return Path(vertices, codes)


def _draw_feature(ax: Any, feature: dict[str, Any], view: View, zorder: int) -> None:
    """Draw one GeoJSON feature with its Leaflet style."""
    geometry = feature["geometry"]
    style = {**_LEAFLET_DEFAULTS, **feature["properties"].get("style", {})}
    kind, coordinates = geometry["type"], geometry["coordinates"]
    stroke = _stroke(style)
    if kind == "Point":
        ((x, y),) = view.pixels([coordinates])
        corners = shape_vertices(x, y, style["radius"], str(style.get("shape", "circle")))
        face = _fill(style, True)
        if corners is None:
            ax.add_artist(Circle((x, y), style["radius"], facecolor=face, zorder=zorder, **stroke))
        else:
            outline = Path(
                [*corners, corners[0]], [Path.MOVETO] + [Path.LINETO] * (len(corners) - 1) + [Path.CLOSEPOLY]
            )
            ax.add_artist(PathPatch(outline, facecolor=face, zorder=zorder, **stroke))
    elif kind in ("LineString", "MultiLineString"):
        caps = {"solid_capstyle": stroke.pop("capstyle", "round"), "solid_joinstyle": stroke.pop("joinstyle", "round")}
        caps |= {"dash_capstyle": caps["solid_capstyle"], "dash_joinstyle": caps["solid_joinstyle"]}
        colour = stroke.pop("edgecolor")
        for line in [coordinates] if kind == "LineString" else coordinates:
            xs, ys = zip(*view.pixels(line), strict=True)
            ax.add_artist(Line2D(xs, ys, color=colour, zorder=zorder, **stroke, **caps))
    elif kind in ("Polygon", "MultiPolygon"):
        polygons = [coordinates] if kind == "Polygon" else coordinates
        ax.add_artist(PathPatch(_rings_path(polygons, view), facecolor=_fill(style, True), zorder=zorder, **stroke))


@dataclass
class LegendRow:
    """One legend row: the first shape of its SVG samples (``line``, ``circle`` or ``path``), and its label.

    ``attributes`` are the shape's SVG attributes, with the ``width`` and
    ``height`` of the ``<svg>`` holding it.
    """

    label: str = ""
    shape: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class LegendSection:
    """A legend heading and its rows."""

    heading: str
    rows: list[LegendRow] = field(default_factory=list)


class _LegendParser(HTMLParser):
    """Read :class:`~kzviz.maps.Legend` HTML: ``<h5>`` headings and ``kz-row`` rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[LegendSection] = []
        self._into: str | None = None
        self._svg: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "h5":
            self.sections.append(LegendSection(""))
            self._into = "heading"
        elif tag == "div" and "kz-row" in values.get("class", "").split():
            if not self.sections:
                self.sections.append(LegendSection(""))
            self.sections[-1].rows.append(LegendRow())
            self._into = "label"
        elif tag == "svg" and self._into == "label":
            self._svg = {key: values[key] for key in ("width", "height") if key in values}
        elif tag in ("line", "circle", "path") and self._into == "label" and self.sections[-1].rows[-1].shape is None:
            self.sections[-1].rows[-1].shape = tag
            self.sections[-1].rows[-1].attributes = {**self._svg, **values}

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h5", "div"):
            self._into = None
        elif tag == "svg":
            self._svg = {}

    def handle_data(self, data: str) -> None:
        if self._into == "heading":
            self.sections[-1].heading += data
        elif self._into == "label":
            self.sections[-1].rows[-1].label += data


def legend_sections(m: folium.Map) -> list[LegendSection]:
    """Return the headings and rows of the legends on `m`, as the picture draws them.

    Parameters
    ----------
    m : folium.Map
        The map; every child with a legend ``html`` string is read.

    Returns
    -------
    list of LegendSection
        In legend order; text is unescaped.
    """
    sections = []
    for child in m._children.values():
        html = getattr(child, "html", None)
        if isinstance(html, str) and "kz-row" in html:
            parser = _LegendParser()
            parser.feed(html)
            parser.close()
            sections += parser.sections
    return sections


_PATH_TOKEN = re.compile(r"[MLHVZmlhvza]|-?[\d.]+(?:e-?\d+)?")


def _path_shape(d: str) -> tuple[str, list[tuple[float, float]], float]:
    """Read an SVG sample path: ``("line", ends, 0)``, ``("circle", [centre], r)`` or ``("polygon", corners, 0)``.

    Reads the paths :func:`kzviz.maps._base.line_sample` and
    :func:`kzviz.maps._shapes.shape_path` write (M, L, H, V, h, v, a, z).
    """
    tokens = _PATH_TOKEN.findall(d)
    points: list[tuple[float, float]] = []
    x = y = 0.0
    i = 0
    while i < len(tokens):
        command = tokens[i]
        i += 1
        if command in ("M", "L"):
            x, y = float(tokens[i]), float(tokens[i + 1])
            i += 2
        elif command in ("H", "h"):
            x = float(tokens[i]) + (x if command == "h" else 0)
            i += 1
        elif command in ("V", "v"):
            y = float(tokens[i]) + (y if command == "v" else 0)
            i += 1
        elif command == "a":
            r = float(tokens[i])
            return "circle", [(x + r, y)], r
        else:
            continue
        points.append((x, y))
    if len(points) == 2 and points[0][1] == points[1][1]:
        return "line", points, 0.0
    return "polygon", points, 0.0


def _symbol(ax: Any, row: LegendRow, x: float, y: float) -> None:
    """Draw a legend row's symbol (an SVG line, circle or path) with its left edge at `x`, centred on `y`."""
    a = row.attributes
    if row.shape == "path":
        _path_symbol(ax, a, x, y)
    elif row.shape == "line":
        style = {"color": a.get("stroke", "#000"), "weight": float(a.get("stroke-width", 1)), "opacity": 1.0}
        stroke = _stroke({**_LEAFLET_DEFAULTS, **style, "dashArray": a.get("stroke-dasharray")})
        ax.add_artist(
            Line2D(
                [x + 1, x + 27],
                [y, y],
                color=stroke["edgecolor"],
                linewidth=stroke["linewidth"],
                linestyle=stroke.get("linestyle", "solid"),
                solid_capstyle="butt",
                dash_capstyle="butt",
            )
        )
    elif row.shape == "circle":
        fill = a.get("fill", "#000")
        ax.add_artist(
            Circle(
                (x + 9, y),
                float(a.get("r", 6)),
                facecolor="none" if fill == "none" else fill,
                edgecolor=a.get("stroke", "none"),
                linewidth=float(a.get("stroke-width", 1)),
            )
        )


def _path_symbol(ax: Any, a: dict[str, str], x: float, y: float) -> None:
    """Draw an SVG sample path (a line or a point symbol) at `x`, `y`, in the sample's own pixels."""
    kind, points, r = _path_shape(a.get("d", ""))
    dx, dy = x - 1, y - float(a.get("height", 16)) / 2
    stroke_colour = a.get("stroke", "none")
    width = float(a.get("stroke-width", 1)) if stroke_colour != "none" else 0.0
    edge = "none" if stroke_colour == "none" else to_rgba(stroke_colour, float(a.get("stroke-opacity", 1)))
    if kind == "line":
        dashes = _dashes(a.get("stroke-dasharray"))
        (x0, _), (x1, _) = points  # drawn 26 px long, as every line sample of the picture
        xs = tuple(x + 1 + (px - x0) * 26 / max(x1 - x0, 1e-9) for px, _ in points)
        ys = tuple(py + dy for _, py in points)
        ax.add_artist(
            Line2D(
                xs, ys, color=edge, linewidth=width, linestyle=(0, dashes) if dashes else "solid", solid_capstyle="butt"
            )
        )
        return
    fill = a.get("fill", "#000")
    face = "none" if fill == "none" else to_rgba(_colour(fill), float(a.get("fill-opacity", 1)))
    if kind == "circle":
        ((cx, cy),) = points
        ax.add_artist(Circle((cx + dx, cy + dy), r, facecolor=face, edgecolor=edge, linewidth=width))
    elif points:
        corners = [(px + dx, py + dy) for px, py in points]
        path = Path([*corners, corners[0]], [Path.MOVETO] + [Path.LINETO] * (len(corners) - 1) + [Path.CLOSEPOLY])
        ax.add_artist(PathPatch(path, facecolor=face, edgecolor=edge, linewidth=width))


def _section_lines(section: LegendSection, width: int) -> list[tuple[str, LegendRow | None]]:
    """Return a legend section as wrapped lines: ``("h:text", None)`` or ``("r:text", row or None)``."""
    heading = textwrap.wrap(section.heading, width // 7)
    lines: list[tuple[str, LegendRow | None]] = [("h:" + text, None) for text in heading]
    for row in section.rows:
        wrapped = textwrap.wrap(row.label, (width - 36) // 6) or [""]
        lines.append(("r:" + wrapped[0], row))
        lines += [("r:" + more, None) for more in wrapped[1:]]
    return lines


def _legend_lines(sections: Sequence[LegendSection], width: int) -> list[list[tuple[str, LegendRow | None]]]:
    """Lay the sections out in up to :data:`_LEGEND_COLUMNS` columns, in order, as evenly as they go."""
    blocks = [_section_lines(section, width) for section in sections]
    best: list[list[tuple[str, LegendRow | None]]] = [[line for block in blocks for line in block]]
    cuts = range(1, len(blocks))
    for first, second in [(a, b) for a in cuts for b in [*cuts, len(blocks)] if b > a]:
        parts = [blocks[:first], blocks[first:second], blocks[second:]]
        columns = [[line for block in part for line in block] for part in parts if part]
        if max(map(len, columns)) < max(map(len, best)):
            best = columns
    return best


def _draw_legend(ax: Any, columns: Sequence[Sequence[tuple[str, LegendRow | None]]], top: float, width: int) -> None:
    """Draw the legend columns below the map, starting at pixel row `top`."""
    for c, column in enumerate(columns):
        x = 12 + c * width
        for i, (line, row) in enumerate(column):
            y = top + (i + 0.5) * _LEGEND_LINE
            if line.startswith("h:"):
                ax.text(x, y, line[2:], fontsize=11, fontweight="bold", va="center", parse_math=False, **_FONT)
                continue
            if row is not None:
                _symbol(ax, row, x, y)
            ax.text(x + 34, y, line[2:], fontsize=11, va="center", parse_math=False, **_FONT)


_DEFAULT_SETTINGS = (
    "agg.path.chunksize",
    "font.stretch",
    "font.style",
    "font.variant",
    "lines.antialiased",
    "patch.antialiased",
    "patch.force_edgecolor",
    "path.effects",
    "path.sketch",
    "path.snap",
    "text.antialiased",
    "text.hinting",
    "text.hinting_factor",
    "text.kerning_factor",
    "text.usetex",
)
"""matplotlib settings that change how the picture is drawn and that nothing here passes explicitly."""


def _settings() -> dict[str, Any]:
    """Return matplotlib's defaults for :data:`_DEFAULT_SETTINGS` (whatever the user changed), dashes in pixels."""
    defaults = {key: mpl.rcParamsDefault[key] for key in _DEFAULT_SETTINGS}  # type: ignore[index]  # typed keys
    return {**defaults, "lines.scale_dashes": False, "path.simplify": False}


def _title(m: folium.Map) -> str:
    """Return the map's title, saying which year a year filter shows when the map opens."""
    title = str(getattr(m, "title", None) or "Map").rstrip(".")
    if year_filtered_layers(m):
        title += f", as shown for {getattr(m, 'year', None) or vocab.LAST_YEAR}"
    return title


def _draw(m: folium.Map) -> Figure:
    """Draw the title, the map and its legend on one matplotlib figure (1 point = 1 pixel)."""
    width, height = MAP_SIZE
    columns = _legend_lines(legend_sections(m), (width - 24) // _LEGEND_COLUMNS)
    legend_height = max(len(column) for column in columns) * _LEGEND_LINE + 14 if columns[0] else 0
    total = _TITLE_HEIGHT + height + legend_height
    figure = Figure(figsize=(width / 72, total / 72), dpi=72, facecolor=palette.BACKGROUND)
    page = figure.add_axes((0, 0, 1, 1))
    page.set(xlim=(0, width), ylim=(total, 0))
    page.set_axis_off()
    page.text(12, _TITLE_HEIGHT / 2, _title(m), fontsize=15, fontweight="bold", va="center", parse_math=False, **_FONT)
    _draw_legend(page, columns, _TITLE_HEIGHT + height + 7, (width - 24) // _LEGEND_COLUMNS)
    chart = figure.add_axes((0, legend_height / total, 1, height / total))
    chart.set(xlim=(0, width), ylim=(height, 0))
    chart.set_axis_off()
    chart.add_artist(PathPatch(Path([(0, 0), (width, 0), (width, height), (0, height), (0, 0)]), color=SEA_COLOUR))
    view = map_view(m, (width, height))
    features = [feature for layer in shown_layers(m) for feature in layer.features]
    for z, feature in enumerate(features, start=1):
        _draw_feature(chart, feature, view, z)
    return figure


def map_picture_png(m: folium.Map) -> bytes:
    """Return a PNG picture of `m`: its title, the map as it opens, and its legend.

    Parameters
    ----------
    m : folium.Map
        A map built by kzviz (see the module docstring for what is read).

    Returns
    -------
    bytes
        A palette PNG, :data:`MAP_SIZE` wide; the same map always gives
        the same bytes.
    """
    with mpl.rc_context(_settings()):  # type: ignore[arg-type]  # matplotlib >= 3.11 types rc keys as literals
        figure = _draw(m)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        pixels = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    image = pixels.quantize(PICTURE_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)  # level 9 saves 6 % of the bytes for 6x the time
    return out.getvalue()


def _count(layer: ShownLayer) -> int:
    """Return how many things a layer shows: routes (not their segments), or features."""
    routes = {f["properties"]["route"] for f in layer.features if "route" in f["properties"]}
    return len(routes) + sum(1 for f in layer.features if "route" not in f["properties"])


def map_description(m: folium.Map) -> str:
    """Return a short text alternative for `m`: its title and what each layer shows.

    Parameters
    ----------
    m : folium.Map
        A map built by kzviz.

    Returns
    -------
    str
        Plain text, for example ``"Kazakhstan's oil and gas export routes
        in 2000. Static picture of the interactive map, showing: Export
        routes (9); Oil and gas fields, terminals (18); over country
        outlines."``
    """
    parts = []
    outlines = False
    for layer in shown_layers(m):
        if any("kz-outline" in str(f["properties"].get("style", {}).get("className", "")) for f in layer.features):
            outlines = True
        elif layer.features:
            parts.append(f"{layer.name} ({_count(layer)})")
    shows = "; ".join(parts) if parts else "no features"
    base = ", over country outlines" if outlines else ""
    return f"{_title(m)}. Static picture of the interactive map, showing: {shows}{base}."


def map_picture_html(m: folium.Map, *, alt: str | None = None) -> str:
    """Return an ``<img>`` element holding a picture of `m` as a ``data:`` URI.

    Parameters
    ----------
    m : folium.Map
        A map built by kzviz, normally a :class:`~kzviz.maps.KzMap`.
    alt : str, optional
        Text alternative; defaults to :func:`map_description`. It is escaped.

    Returns
    -------
    str
        ``<img src="data:image/png;base64,..." alt="...">``; survives where
        iframes, scripts and styles are stripped (GitHub).
    """
    return picture_img_html(map_picture_png(m), map_description(m) if alt is None else alt)


def picture_img_html(png: bytes, alt: str, *, style: str | None = None) -> str:
    """Return an ``<img>`` element showing `png` from a ``data:`` URI.

    Parameters
    ----------
    png : bytes
        The PNG file.
    alt : str
        Text alternative (plain text; escaped here).
    style : str, optional
        Inline CSS for the element.

    Returns
    -------
    str
        The element.
    """
    data = base64.b64encode(png).decode("ascii")
    css = f' style="{esc(style)}"' if style else ""
    return f'<img src="data:image/png;base64,{data}" alt="{esc(alt)}"{css}>'
