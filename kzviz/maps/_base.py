"""The pieces every kzviz map is made of.

* :class:`KzMap`: a folium Map that loads only Leaflet, renders
  deterministically and can be rendered again without growing.

Every element here renders through
:class:`~kzviz.maps._literal.LiteralMacroElement`, so text from the data is
written out as text and never compiled as a template.
* :class:`Overlay`: one toggleable layer drawn from a single GeoJSON object
  with pre-escaped tooltips and popups (no per-marker script, no jQuery).
* :class:`Legend`: an HTML legend control on the map.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

import folium
from branca.element import Element
from folium.template import Template

from kzviz._html import esc
from kzviz.maps._ids import StableFigure, render_page
from kzviz.maps._literal import LiteralMacroElement, LiteralTileLayer
from kzviz.maps.picture import map_description, map_picture_png, picture_img_html

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
TILES = "OpenStreetMap"
REGION_CENTER = (46.0, 57.5)
REGION_ZOOM = 4
"""Centre and zoom that frame Kazakhstan, BTC in the west and Xinjiang in the east."""

CSS = """
.kz-popup h4 {margin: 0 0 4px; font-size: 14px;}
.kz-popup table {border-collapse: collapse; font-size: 12px;}
.kz-popup th {text-align: left; padding: 1px 8px 1px 0; color: #444; font-weight: 600; vertical-align: top;}
.kz-popup td {padding: 1px 0;}
.kz-popup ul {margin: 2px 0 0; padding-left: 16px; font-size: 12px;}
.kz-popup .kz-sources-head {margin-top: 6px; font-size: 11px; color: #555; text-transform: uppercase;}
.kz-popup .kz-meetings {max-height: 220px; overflow-y: auto;}
.kz-legend {background: rgba(255,255,255,0.92); padding: 4px 8px; font: 11px/1.3 sans-serif;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.35); max-height: 55vh; overflow-y: auto;}
.kz-legend summary {font-weight: 700; cursor: pointer;}
.kz-legend h5 {margin: 3px 0 1px; font-size: 11px;}
.kz-legend .kz-row {display: flex; align-items: center; gap: 6px; white-space: nowrap;}
.kz-legend svg {flex: none;}
.kz-time {background: #fff; padding: 4px 8px; display: flex; gap: 8px; align-items: center; font: 13px sans-serif;}
.kz-time input {width: 240px;}
.kz-time button {border: 1px solid #888; background: #f4f4f4; border-radius: 3px; cursor: pointer; width: 30px;}
"""


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


class KzMap(folium.Map, LiteralMacroElement):
    """A folium Map trimmed to Leaflet, with deterministic, repeatable output.

    In a notebook it shows as the live map over a static picture of it
    (:mod:`kzviz.maps.picture`), so the picture remains where the live map
    cannot run (GitHub strips iframes and scripts).

    Parameters
    ----------
    title : str, optional
        What the map shows, in a sentence: the page title, the frame's
        accessible name and the start of the picture's text alternative.
    year : int, optional
        The year the map shows when it opens.
    **kwargs
        Passed to :class:`folium.Map`; defaults frame the region on a light
        base map with a scale bar.
    """

    default_js = [("leaflet", LEAFLET_JS)]  # noqa: RUF012 - folium reads these class lists
    default_css = [("leaflet_css", LEAFLET_CSS)]  # noqa: RUF012

    def __init__(self, *, title: str | None = None, year: int | None = None, **kwargs: Any) -> None:
        tiles = kwargs.pop("tiles", TILES)
        kwargs["tiles"] = None
        kwargs.setdefault("control_scale", True)
        kwargs.setdefault("location", REGION_CENTER)
        kwargs.setdefault("zoom_start", REGION_ZOOM)
        kwargs.setdefault("prefer_canvas", False)
        super().__init__(**kwargs)
        StableFigure().add_child(self)  # the page names its elements by order of appearance
        if tiles is not None:
            LiteralTileLayer(tiles, name="Base map: OpenStreetMap").add_to(self)
        root: Any = self.get_root()
        root.header.add_child(Element(f"<style>{CSS}</style>"), name="kz_css")
        self.title = title
        self.year = year
        root.title = esc(title) if title else None

    def __repr__(self) -> str:
        return "<kzviz map: display it in a notebook or save it with kzviz.maps.map_html>"

    def _repr_html_(self, **kwargs: Any) -> str:
        """Return the notebook output: the live map in a titled frame, layered over its picture."""
        page = render_page(self.get_root())
        description = map_description(self)
        style = "display:block;max-width:100%;height:auto;"
        picture = picture_img_html(map_picture_png(self), description, style=style)
        return notebook_map_html(page, picture, title=self.title or description)


PICTURE_NOTE = (
    "A static picture of the map. For the interactive map (zoom, popups, layers), run this notebook, "
    "or open it on nbviewer or on the kzviz site."
)
"""The line shown with a map's picture where the live map cannot run."""


def notebook_map_html(page: str, picture: str, *, title: str, ratio: str = "60%") -> str:
    """Return a map page as notebook HTML: a titled iframe layered over a picture of the map.

    The picture and :data:`PICTURE_NOTE` sit beneath the iframe. Where the
    live map runs (JupyterLab, VS Code, nbviewer) the iframe covers them;
    where iframes, scripts and styles are stripped (GitHub) they are what
    remains.

    Parameters
    ----------
    page : str
        The map's standalone HTML page.
    picture : str
        An ``<img>`` element (see :func:`kzviz.maps.picture.picture_img_html`).
    title : str
        Accessible name of the frame (plain text; escaped here).
    ratio : str
        Height of the map as a percentage of its width.

    Returns
    -------
    str
        HTML for a notebook's ``text/html`` output.
    """
    box = "position:absolute;left:0;top:0;width:100%;height:100%;"
    return (
        '<div class="kz-map-output" style="width:100%;">'
        f'<div style="position:relative;width:100%;height:0;padding-bottom:{esc(ratio)};">'
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

    Each feature's ``properties`` carry ``style`` (Leaflet path options),
    and optionally ``tooltip`` and ``popup``: HTML that the caller has
    already escaped (see :mod:`kzviz._html`). Points are drawn as
    circle markers.

    Parameters
    ----------
    name : str
        Name shown in the layer control.
    features : sequence of dict
        GeoJSON features.
    show : bool
        Whether the layer is on when the map opens.
    attribution : str, optional
        Plain text credited in the map's attribution line while the layer is
        shown (escaped here).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data_json }}, {
            attribution: {{ this.attribution_json }},
            style: function (f) { return f.properties.style; },
            pointToLayer: function (f, latlng) { return L.circleMarker(latlng, f.properties.style); },
            onEachFeature: function (f, layer) {
                if (f.properties.tooltip) { layer.bindTooltip(f.properties.tooltip, {sticky: true}); }
                if (f.properties.popup) { layer.bindPopup(f.properties.popup, {maxWidth: 360}); }
            }
        });
        {% endmacro %}
        """
    )

    def __init__(
        self, name: str, features: Sequence[dict[str, Any]], *, show: bool = True, attribution: str | None = None
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "Overlay"
        self.features = list(features)
        self.attribution = attribution
        self.attribution_json = script_json(esc(attribution) if attribution else None)
        self.data_json = script_json({"type": "FeatureCollection", "features": self.features})


def swatch(
    colour: str, *, shape: str = "line", dash: str | None = None, outline: str = "#222222", width: int = 4
) -> str:
    """Return a small inline SVG legend symbol: a line or a circle."""
    if shape == "circle":
        body = f'<circle cx="9" cy="9" r="6" fill="{esc(colour)}" stroke="{esc(outline)}" stroke-width="1.5"/>'
    elif shape == "ring":
        body = f'<circle cx="9" cy="9" r="7" fill="none" stroke="{esc(colour)}" stroke-width="2.5"/>'
    else:
        dash_attr = f' stroke-dasharray="{esc(dash)}"' if dash else ""
        body = f'<line x1="1" y1="9" x2="29" y2="9" stroke="{esc(colour)}" stroke-width="{width}"{dash_attr}/>'
    size = 'width="30" height="18"' if shape == "line" else 'width="18" height="18"'
    return f'<svg {size} aria-hidden="true">{body}</svg>'


LegendSection = tuple[str, Sequence[tuple[str, str]]]
"""A legend heading and its (symbol HTML, label text) rows."""


class Legend(LiteralMacroElement):
    """An HTML legend drawn as a Leaflet control.

    Parameters
    ----------
    sections : sequence of (str, sequence of (str, str))
        Headings (plain text) with rows of symbol HTML (from :func:`swatch`)
        and label text. Headings and labels are escaped here.
    position : {"bottomright", "bottomleft", "topright", "topleft"}
        Corner of the map.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "kz-legend");
            div.innerHTML = {{ this.html_json }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, sections: Sequence[LegendSection], *, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        self.position = position
        parts = []
        for heading, rows in sections:
            parts.append(f"<h5>{esc(heading)}</h5>")
            parts += [f'<div class="kz-row">{symbol}<span>{esc(label)}</span></div>' for symbol, label in rows]
        self.html = f"<details open><summary>Legend</summary>{''.join(parts)}</details>"
        self.html_json = script_json(self.html)
