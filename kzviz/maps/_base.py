"""The pieces every kzviz map is made of.

* :class:`KzMap`: a folium Map that loads only Leaflet, renders
  deterministically, can be rendered again without growing, and shows in a
  notebook as a frame that stays usable on a phone.
* :class:`Overlay`: one toggleable layer drawn from a single GeoJSON object
  with pre-escaped tooltips, popups and labels (no per-marker script, no jQuery).
* :class:`Legend`: a collapsible HTML legend on the map, built from
  :class:`LegendRow` samples drawn with the same styles as the features.

Every element here renders through
:class:`~kzviz.maps._literal.LiteralMacroElement`, so text from the data is
written out as text and never compiled as a template.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element, Figure
from folium.template import Template

from kzviz import palette
from kzviz._html import esc
from kzviz.maps._compact import MAX_ZOOM, LineDetail, compact_collection
from kzviz.maps._ids import StableFigure, render_page
from kzviz.maps._literal import LiteralMacroElement, LiteralText, LiteralTileLayer
from kzviz.maps._runtime import CSS, RUNTIME_JS
from kzviz.maps._shapes import shape_path
from kzviz.maps.picture import map_description, map_picture_png, picture_img_html

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
TILES = "OpenStreetMap"
"""Default base map: OpenStreetMap's standard ("Mapnik") tiles from tile.openstreetmap.org,
credited "© OpenStreetMap contributors" with a link to their copyright page."""
REGION_CENTER = (46.0, 57.5)
REGION_ZOOM = 4
"""Centre and zoom that frame Kazakhstan, BTC in the west and Xinjiang in the east
(the view before a map fits itself to its features)."""

FOLIUM_MAX_ZOOM = 18
"""Largest zoom of a folium map that sets none (that of its default tiles)."""

CANVAS_FEATURES = 2000
"""An overlay with more features than this is drawn on a canvas instead of as SVG paths."""

FRAME_STYLE = "position:relative;width:100%;aspect-ratio:5/3;min-height:440px;max-height:88vh"
"""Box of a map in a notebook: 5:3 on a wide page, never shorter than 440 px (a phone)."""


def script_json(value: Any) -> str:
    r"""Serialise `value` as JSON that is safe inside an HTML ``<script>``.

    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, so no string in the
    data can close the script element or open a comment.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def add_runtime(root: Element) -> None:
    """Write the kzviz map script and styles into the head of `root`, a page (once, however often called)."""
    if not isinstance(root, Figure):
        return  # not on a page yet: rendering will say so
    figure = root
    figure.header.add_child(LiteralText(f"<style>{CSS}</style>"), name="kz_css")
    figure.header.add_child(LiteralText(f"<script>{RUNTIME_JS}</script>"), name="kz_runtime")


class KzMap(folium.Map, LiteralMacroElement):
    """A folium Map trimmed to Leaflet, with deterministic, repeatable output.

    In a notebook it shows as the live map over a static picture of it
    (:mod:`kzviz.maps.picture`), so the picture remains where the live map
    cannot run (GitHub strips iframes and scripts).

    Parameters
    ----------
    title : str
        What the map shows, in a sentence: the map's heading, the page title,
        the frame's accessible name and the start of the picture's text alternative.
    year : int, optional
        The year the map shows when it opens.
    tiles : str or None
        The base map: a tile provider folium knows by name (``"OpenStreetMap"``,
        the default: OpenStreetMap's standard tiles; ``"CartoDB positron"``...),
        a URL template such as ``"https://tiles.example.org/{z}/{x}/{y}.png"``,
        or None for no tiles (with ``outlines=`` a builder still draws the countries).
    tiles_attribution : str, optional
        Plain text crediting the tiles (escaped, so it shows as written).
        Required for a URL; a named provider is credited as its maker asks.
    max_zoom : int, optional
        Largest zoom the reader can reach (default :data:`~kzviz.maps._compact.MAX_ZOOM`);
        lines keep the detail this zoom can show.
    **kwargs
        Passed to :class:`folium.Map` (``width``, ``height``, ``location``,
        ``zoom_start``...); defaults frame the region. A ``width`` or
        ``height`` in pixels also sizes the map's frame in a notebook.

    Raises
    ------
    ValueError
        If `tiles` is a URL and no `tiles_attribution` is given.
    """

    default_js = [("leaflet", LEAFLET_JS)]  # noqa: RUF012 - folium reads these class lists
    default_css = [("leaflet_css", LEAFLET_CSS)]  # noqa: RUF012

    def __init__(
        self,
        *,
        title: str = "Map",
        year: int | None = None,
        tiles: str | None = TILES,
        tiles_attribution: str | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs["tiles"] = None
        kwargs.setdefault("location", REGION_CENTER)
        kwargs.setdefault("zoom_start", REGION_ZOOM)
        kwargs.setdefault("prefer_canvas", False)
        kwargs.setdefault("zoom_snap", 0.25)
        self.max_zoom = int(kwargs.pop("max_zoom", MAX_ZOOM))
        super().__init__(**kwargs, maxZoom=self.max_zoom)  # the map's option; folium's max_zoom is the tiles'
        StableFigure().add_child(self)  # the page names its elements by order of appearance
        self.title = title
        self.year = year
        self.base_layer: LiteralTileLayer | None = None
        if tiles is not None:
            self.base_layer = base_tile_layer(tiles, tiles_attribution, max_zoom=self.max_zoom)
            self.base_layer.add_to(self)
        root: Any = self.get_root()
        root.title = esc(title)
        add_runtime(root)
        if self.width[1] == "px":  # a map wider than a phone shrinks to the page instead of hiding its controls
            root.header.add_child(LiteralText("<style>.folium-map {max-width: 100%;}</style>"), name="kz_max_width")

    def __repr__(self) -> str:
        return "<kzviz map: display it in a notebook or save it with kzviz.maps.map_html>"

    def _repr_html_(self, **kwargs: Any) -> str:
        """Return the notebook output: the live map in a titled frame, layered over its picture."""
        page = render_page(self.get_root())
        description = map_description(self)
        style = "display:block;max-width:100%;height:auto;"
        picture = picture_img_html(map_picture_png(self), description, style=style)
        return notebook_map_html(page, picture, title=self.title or description, frame_style=self.frame_style())

    def frame_style(self) -> str:
        """Return the CSS box of the map in a notebook: :data:`FRAME_STYLE`, or the map's own size in pixels.

        A width in pixels is kept at most as wide as the page; a height in
        pixels replaces the 5:3 shape.
        """
        (width, width_unit), (height, height_unit) = self.width, self.height
        if width_unit != "px" and height_unit != "px":
            return FRAME_STYLE
        style = "position:relative;" + (f"width:{width:g}px;max-width:100%;" if width_unit == "px" else "width:100%;")
        if height_unit == "px":
            return style + f"height:{height:g}px"
        return style + "aspect-ratio:5/3;min-height:440px;max-height:88vh"


def base_tile_layer(tiles: str, attribution: str | None, *, max_zoom: int = MAX_ZOOM) -> LiteralTileLayer:
    """Return the base map of a :class:`KzMap`, named and credited for the tiles it really shows.

    Parameters
    ----------
    tiles : str
        A provider folium knows by name, or a URL template.
    attribution : str, optional
        Plain text crediting the tiles (escaped here); None credits a named
        provider as its maker asks.
    max_zoom : int
        Largest zoom the tiles are asked for (the map's).

    Returns
    -------
    LiteralTileLayer
        Kept out of the layer control; named ``"Base map: <provider name>"``,
        or ``"Base map: custom tiles"`` for a URL.

    Raises
    ------
    ValueError
        If `tiles` is a URL and `attribution` is None.
    """
    try:
        attr = None if attribution is None else esc(attribution)
        layer = LiteralTileLayer(tiles, attr=attr, control=False, max_zoom=max_zoom)
    except ValueError as error:
        if attribution is not None:
            raise
        msg = f"tiles={tiles!r} is not a tile provider folium knows: pass tiles_attribution= to credit the tiles"
        raise ValueError(msg) from error
    named = layer.tiles != tiles  # folium put the named provider's URL in its place
    layer.layer_name = f"Base map: {tiles if named else 'custom tiles'}"
    return layer


PICTURE_NOTE = (
    "A static picture of the map. For the interactive map (zoom, popups, layers), run this notebook, "
    "or open it on nbviewer or on the kzviz site."
)
"""The line shown with a map's picture where the live map cannot run."""


def notebook_map_html(page: str, picture: str, *, title: str, frame_style: str = FRAME_STYLE) -> str:
    """Return a map page as notebook HTML: a titled iframe layered over a picture of the map.

    The picture and :data:`PICTURE_NOTE` sit beneath the iframe, in a box of
    :data:`FRAME_STYLE`. Where the live map runs (JupyterLab, VS Code,
    nbviewer) the iframe covers them; where iframes, scripts and styles are
    stripped (GitHub) they are what remains.

    Parameters
    ----------
    page : str
        The map's standalone HTML page.
    picture : str
        An ``<img>`` element (see :func:`kzviz.maps.picture.picture_img_html`).
    title : str
        Accessible name of the frame (plain text; escaped here).
    frame_style : str
        CSS of the box holding the frame and the picture.

    Returns
    -------
    str
        HTML for a notebook's ``text/html`` output.
    """
    box = "position:absolute;left:0;top:0;width:100%;height:100%;"
    return (
        '<div class="kz-map-output" style="width:100%;">'
        f'<div style="{frame_style}">'
        f'<div class="kz-map-picture" style="{box}overflow:hidden;">'
        f'<p style="margin:0 0 4px;font-size:13px;">{esc(PICTURE_NOTE)}</p>{picture}</div>'
        f'<iframe title="{esc(title)}" srcdoc="{html.escape(page, quote=True)}" '
        f'style="{box}border:none !important;background:#fff;" '
        "allowfullscreen webkitallowfullscreen mozallowfullscreen></iframe>"
        "</div></div>"
    )


def map_html(m: folium.Map) -> str:
    """Return the full HTML page of a map; the same map always gives the same bytes.

    Parameters
    ----------
    m : folium.Map
        A map built by kzviz, or any folium map.

    Returns
    -------
    str
        A standalone HTML document.
    """
    return render_page(m.get_root())


class Overlay(folium.map.Layer, LiteralMacroElement):
    """A toggleable layer drawn from one GeoJSON FeatureCollection.

    Each feature's ``properties`` carry ``style`` (Leaflet path options; a
    point's ``shape`` is circle, square, diamond or triangle), and optionally
    ``tooltip``, ``popup`` and ``label`` (with ``label_zoom``, the lowest zoom
    at which it shows): HTML that the caller has already escaped (see
    :mod:`kzviz._html`); a ``popup`` may also be a :class:`kzviz._html.Popup`.
    A click where several points overlap lists them, so each can be opened.

    The features reach the page in compact form (:mod:`kzviz.maps._compact`):
    lines simplified and rounded to what the map's largest zoom can show,
    each distinct string, style and popup layout written once. An overlay of
    more than :data:`CANVAS_FEATURES` features is drawn on a canvas, which
    stays fast with tens of thousands of lines.

    Parameters
    ----------
    name : str
        Name shown in the layer control and the map's list of features.
    features : sequence of dict
        GeoJSON features; a LineString's coordinates may also be a numpy
        array of (lon, lat) rows.
    show : bool
        Whether the layer is on when the map opens.
    legend : sequence of LegendRow
        What the features look like and mean, for the map's legend.
    ties : sequence of tuple of str
        Partner groups that tie at a place, drawn as pies; the map adds their
        fill patterns (see :func:`fill_patterns`).
    attribution : str, optional
        Plain text credited in the map's attribution line while the layer is
        shown (escaped here).

    A layer kept out of the layer control (``control = False``, such as the
    country outlines) is a backdrop: it is left out of the map's list of
    features, its labels and the fitting of views.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = kzMaps.overlay(
            {{ this._parent.get_name() }}, {{ this.name_json }}, {{ this.data_json }}, {{ this.attribution_json }},
            {{ this.control|tojson }}, {{ this.canvas|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        name: str,
        features: Sequence[dict[str, Any]],
        *,
        show: bool = True,
        legend: Sequence[LegendRow] = (),
        ties: Sequence[tuple[str, ...]] = (),
        attribution: str | None = None,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "Overlay"
        self.features = list(features)
        self.legend = list(legend)
        self.ties = list(dict.fromkeys(ties))
        self.attribution = attribution
        self.attribution_json = script_json(esc(attribution) if attribution else None)
        self.name_json = script_json(esc(name))
        self.line_detail: LineDetail | None = None

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as LiteralMacroElement.render
        """Write the features in compact form for the map's zoom range, then render.

        Lines keep the detail the map can show (:class:`LineDetail` for the
        map's ``max_zoom``; 18, Leaflet's usual largest zoom, on a map that
        does not say). A backdrop is written without its name. The page
        gets the kzviz map script.
        """
        add_runtime(self.get_root())
        self.line_detail = LineDetail(int(getattr(self._parent, "max_zoom", FOLIUM_MAX_ZOOM)))
        self.canvas = len(self.features) > CANVAS_FEATURES
        self.data_json = script_json(compact_collection(self.features, self.line_detail))
        self.name_json = script_json(esc(self.layer_name) if self.control else None)
        super().render(**kwargs)


# --------------------------------------------------------------------------- legend samples


def _paint(style: Mapping[str, Any], *, line: bool) -> str:
    """SVG paint attributes of a Leaflet path style."""
    stroke = style.get("stroke", True)
    attrs = [
        f'stroke="{esc(style.get("color", "#3388ff")) if stroke else "none"}"',
        f'stroke-width="{style.get("weight", 3):g}"',
        f'stroke-opacity="{style.get("opacity", 1.0):g}"',
    ]
    if style.get("dashArray"):
        attrs.append(f'stroke-dasharray="{esc(style["dashArray"])}"')
    if line:
        attrs += [f'stroke-linecap="{esc(style.get("lineCap", "round"))}"', 'fill="none"']
    elif style.get("fill", True):
        attrs += [
            f'fill="{esc(style.get("fillColor", style.get("color")))}"',
            f'fill-opacity="{style.get("fillOpacity", 0.2):g}"',
        ]
    else:
        attrs.append('fill="none"')
    return " ".join(attrs)


def line_sample(*styles: Mapping[str, Any], max_weight: float = 8.0) -> str:
    """Return a legend sample of a line drawn with the given Leaflet styles, bottom first.

    Widths above `max_weight` are drawn at `max_weight`, so the sample fits a legend row.
    """
    lines = []
    for style in styles:
        weight = min(float(style.get("weight", 3)), max_weight)
        lines.append(f'<path d="M2 8H36" {_paint({**style, "weight": weight}, line=True)}/>')
    return f'<svg width="38" height="16" aria-hidden="true">{"".join(lines)}</svg>'


def symbol_sample(style: Mapping[str, Any], *, max_radius: float = 9.0) -> str:
    """Return a legend sample of a point drawn with the given Leaflet style (circle, square, ...)."""
    radius = min(float(style.get("radius", 6)), max_radius)
    side = int(2 * radius * 1.3 + float(style.get("weight", 1)) + 3)
    centre = side / 2
    path = shape_path(centre, centre, radius, str(style.get("shape", "circle")))
    return (
        f'<svg width="{side}" height="{side}" aria-hidden="true"><path d="{path}" {_paint(style, line=False)}/></svg>'
    )


@dataclass(frozen=True)
class LegendRow:
    """One row of a legend: a heading it belongs to, a sample and what it means.

    Rows with the same ``section`` and ``key`` are one row: their samples are
    drawn side by side (a partner's route and its places, say), the first
    label is kept and the details of all are listed after it.

    Attributes
    ----------
    section : str
        Heading (plain text).
    key : str
        What the row stands for (a partner, a status, a kind of site).
    sample : str
        SVG of the sample (from :func:`line_sample` or :func:`symbol_sample`).
    label : str
        Plain text.
    detail : str
        Plain text added in brackets after the label (what the sample shows on this kind of feature).
    """

    section: str
    key: str
    sample: str
    label: str
    detail: str = ""


LegendSection = tuple[str, Sequence[tuple[str, str]]]
"""A legend heading and its (symbol HTML, label text) rows."""


def legend_sections(rows: Sequence[LegendRow], section_order: Sequence[str] = ()) -> list[LegendSection]:
    """Merge legend rows into sections: one row per (section, key), samples side by side.

    Parameters
    ----------
    rows : sequence of LegendRow
        In drawing order.
    section_order : sequence of str
        Headings that come first, in this order; others follow in order of first use.

    Returns
    -------
    list of (str, list of (str, str))
        For :class:`Legend`.
    """
    merged: dict[tuple[str, str], tuple[list[str], str, list[str]]] = {}
    for row in rows:
        samples, _, details = merged.setdefault((row.section, row.key), ([], row.label, []))
        if row.sample not in samples:
            samples.append(row.sample)
        if row.detail and row.detail not in details:
            details.append(row.detail)
    used = [r.section for r in rows]
    headings = list(dict.fromkeys([*[s for s in section_order if s in used], *used]))
    out: list[LegendSection] = []
    for heading in headings:
        entries = [
            (
                f'<span class="kz-samples">{"".join(samples)}</span>',
                f"{label} ({'; '.join(details)})" if details else label,
            )
            for (section, _), (samples, label, details) in merged.items()
            if section == heading
        ]
        out.append((heading, entries))
    return out


class Legend(LiteralMacroElement):
    """A collapsible HTML legend drawn as a Leaflet control (open on large maps).

    Parameters
    ----------
    sections : sequence of (str, sequence of (str, str))
        Headings (plain text) with rows of symbol HTML (from
        :func:`line_sample` or :func:`symbol_sample`) and label text.
        Headings and labels are escaped here.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = kzMaps.legend({{ this._parent.get_name() }}, {{ this.html_json }});
        {% endmacro %}
        """
    )

    def __init__(self, sections: Sequence[LegendSection]) -> None:
        super().__init__()
        self._name = "Legend"
        parts = []
        for heading, rows in sections:
            parts.append(f"<h5>{esc(heading)}</h5>")
            parts += [f'<div class="kz-row">{symbol}<span>{esc(label)}</span></div>' for symbol, label in rows]
        body = f'<div class="kz-legend-body" tabindex="0" role="group" aria-label="Legend">{"".join(parts)}</div>'
        self.html = f"<details open><summary>Legend</summary>{body}</details>"
        self.html_json = script_json(self.html)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as LiteralMacroElement.render
        """Make sure the page carries the kzviz map script, then render."""
        add_runtime(self.get_root())
        super().render(**kwargs)


def fill_patterns(tie_groups: Sequence[Sequence[str]] = ()) -> str:
    """Return the SVG ``<defs>`` of the partner fill patterns and of the given ties.

    Parameters
    ----------
    tie_groups : sequence of sequence of str
        Partner groups (two or more each) drawn as a pie of equal slices.

    Returns
    -------
    str
        A zero-size ``<svg>`` holding one ``<pattern>`` per partner
        (``kz-fill-<partner>``) and per tie (``kz-tie-<partner>-<partner>...``).
    """
    size, white = 5, 'fill="#FFFFFF" fill-opacity="0.85"'
    marks = {
        "diagonal": f'<rect width="1.6" height="{size}" {white} transform="rotate(45 2.5 2.5)"/>'
        f'<rect x="-3.6" width="1.6" height="{size}" {white} transform="rotate(45 2.5 2.5)"/>'
        f'<rect x="3.5" width="1.6" height="{size}" {white} transform="rotate(45 2.5 2.5)"/>',
        "dots": f'<circle cx="2.5" cy="2.5" r="1.15" {white}/>',
        "horizontal": f'<rect y="1.7" width="{size}" height="1.6" {white}/>',
        "grid": f'<rect y="2" width="{size}" height="1" {white}/><rect x="2" width="1" height="{size}" {white}/>',
        "solid": "",
    }
    defs = []
    for partner, pattern in palette.PARTNER_PATTERNS.items():
        colour = palette.PARTNER_COLOURS.get(partner, palette.DOMESTIC_COLOUR)
        defs.append(
            f'<pattern id="kz-fill-{partner.lower()}" patternUnits="userSpaceOnUse" width="{size}" height="{size}">'
            f'<rect width="{size}" height="{size}" fill="{colour}"/>{marks[pattern]}</pattern>'
        )
    for group in tie_groups:
        defs.append(_tie_pattern(group))
    return (
        '<svg id="kz-defs" width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
        f"<defs>{''.join(defs)}</defs></svg>"
    )


def _tie_pattern(group: Sequence[str]) -> str:
    """Return a pie of equal slices, one per partner, in each partner's colour (bounding-box units)."""
    slices, n = [], len(group)
    for i, partner in enumerate(group):
        a0, a1 = 2 * math.pi * i / n - math.pi / 2, 2 * math.pi * (i + 1) / n - math.pi / 2
        x0, y0 = 0.5 + 0.5 * math.cos(a0), 0.5 + 0.5 * math.sin(a0)
        x1, y1 = 0.5 + 0.5 * math.cos(a1), 0.5 + 0.5 * math.sin(a1)
        large = 1 if a1 - a0 > math.pi else 0
        colour = palette.PARTNER_COLOURS.get(partner, palette.DOMESTIC_COLOUR)
        slices.append(
            f'<path d="M0.5 0.5L{x0:.4f} {y0:.4f}A0.5 0.5 0 {large} 1 {x1:.4f} {y1:.4f}Z" fill="{colour}" '
            'stroke="#FFFFFF" stroke-width="0.05"/>'
        )
    return (
        f'<pattern id="{tie_id(group)}" patternContentUnits="objectBoundingBox" width="1" height="1">'
        f"{''.join(slices)}</pattern>"
    )


def tie_id(group: Sequence[str]) -> str:
    """Return the pattern id of a tie between partner groups (see :func:`fill_patterns`)."""
    return "kz-tie-" + "-".join(p.lower() for p in group)


class FillPatterns(LiteralMacroElement):
    """The SVG patterns that fill partner places and events (see :func:`fill_patterns`).

    Parameters
    ----------
    tie_groups : sequence of sequence of str
        Ties drawn on the map.
    """

    _template = Template("{% macro html(this, kwargs) %}{{ this.svg }}{% endmacro %}")

    def __init__(self, tie_groups: Sequence[Sequence[str]] = ()) -> None:
        super().__init__()
        self._name = "FillPatterns"
        self.svg = fill_patterns(tie_groups)
