"""Country outlines: a quiet base that still shows when the tiles don't load.

Every builder draws the outlines from :func:`kzviz.load_country_outlines`
in their own map pane *beneath* the tiles. Online, the tiles cover them;
offline, behind a firewall or in the map's picture (:mod:`kzviz.maps.picture`)
they are the base map: land in a light fill with thin borders, on a sea
coloured background. They take no clicks and have no entry in the layer
control.

Disputed areas (``kind == "disputed"``, such as Crimea) are drawn over the
countries with a dashed outline from their ``start_year``; data/README.md
states the convention.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
from folium.template import Template
from shapely.geometry import mapping

from kzviz.maps._base import Overlay
from kzviz.maps._literal import LiteralMacroElement
from kzviz.maps.picture import SEA_COLOUR

OUTLINE_PANE = "kz-outlines"
"""Name of the map pane holding the outlines."""

OUTLINE_PANE_Z_INDEX = 150
"""Beneath Leaflet's tile pane (200), above the map's background."""

COUNTRY_STYLE = {
    "color": "#A3A3A3",
    "weight": 0.8,
    "opacity": 1.0,
    "fillColor": "#F4F2EE",
    "fillOpacity": 1.0,
    "interactive": False,
    "pane": OUTLINE_PANE,
    "className": "kz-outline",
}
"""Leaflet path options of the countries: a light land fill with thin grey borders."""

DISPUTED_STYLE = {
    "color": "#555555",
    "weight": 1.2,
    "opacity": 1.0,
    "dashArray": "4 3",
    "fill": False,
    "interactive": False,
    "pane": OUTLINE_PANE,
    "className": "kz-outline kz-disputed",
}
"""Leaflet path options of a disputed area: a dashed outline, no fill."""


class OutlinePane(folium.map.CustomPane, LiteralMacroElement):
    """The map pane beneath the tiles that holds the outlines; it also sets the sea colour.

    Parameters
    ----------
    name : str
        Pane name, as the outline features' ``style.pane`` gives it.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {{ this._parent.get_name() }}.createPane({{ this.name|tojson }});
            {{ this.get_name() }}.style.zIndex = {{ this.z_index|tojson }};
            {{ this.get_name() }}.style.pointerEvents = "none";
            {{ this._parent.get_name() }}.getContainer().style.background = {{ this.background|tojson }};
        {% endmacro %}
        """
    )

    def __init__(self, name: str = OUTLINE_PANE) -> None:
        super().__init__(name, z_index=OUTLINE_PANE_Z_INDEX, pointer_events=False)
        self.background = SEA_COLOUR


def _polygons(geometry: Any) -> list[Any]:
    """Return the GeoJSON polygon coordinates of a Polygon or MultiPolygon."""
    geojson = mapping(geometry)
    return [geojson["coordinates"]] if geojson["type"] == "Polygon" else list(geojson["coordinates"])


def outline_layer(outlines: gpd.GeoDataFrame, *, year: int, name: str = "Country outlines") -> Overlay:
    """Return the country outlines as one quiet layer for maps showing `year`.

    Parameters
    ----------
    outlines : geopandas.GeoDataFrame
        From :func:`kzviz.load_country_outlines`.
    year : int
        Disputed areas are drawn from their ``start_year`` on.
    name : str
        Layer name.

    Returns
    -------
    Overlay
        One MultiPolygon feature holding every country (one style, one
        path in the browser), then one dashed feature per disputed area
        shown in `year`. The layer stays out of the layer control.
    """
    countries = outlines[outlines["kind"] == "country"]
    land = [polygon for geometry in countries.geometry for polygon in _polygons(geometry)]
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "MultiPolygon", "coordinates": land},
            "properties": {"style": dict(COUNTRY_STYLE)},
        }
    ]
    started = outlines["start_year"].isna() | (outlines["start_year"] <= year)
    disputed = outlines[(outlines["kind"] == "disputed") & started]
    features += [
        {"type": "Feature", "geometry": mapping(geometry), "properties": {"style": dict(DISPUTED_STYLE)}}
        for geometry in disputed.geometry
    ]
    layer = Overlay(name, features, attribution="Country outlines: Natural Earth")
    layer.control = False
    return layer


def add_outlines(m: folium.Map, outlines: gpd.GeoDataFrame, *, year: int) -> None:
    """Add the outline pane and layer to `m`; call it before adding any other layer.

    Parameters
    ----------
    m : folium.Map
        The map.
    outlines : geopandas.GeoDataFrame
        From :func:`kzviz.load_country_outlines`.
    year : int
        Year the map shows.
    """
    OutlinePane().add_to(m)
    outline_layer(outlines, year=year).add_to(m)
