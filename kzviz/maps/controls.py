"""The reader's controls of a kzviz map: title, views, list of features, fitting popups and labels.

:class:`MapSetup` is added last to every kzviz map. In the browser it

* writes the map's title at the top left, with "zoom to" buttons for the
  views the map offers and a list of every feature on the map (each button
  opens that feature's popup, so the whole map can be read by keyboard);
* fits the first view to the features, clear of the controls;
* keeps every popup within the map (it scrolls inside itself) and closes the
  legend, the list or the layer list when a popup opens beneath them;
* collapses the layer list and the legend on small maps;
* labels routes and places at the zoom levels where they do not overlap.

See :data:`kzviz.maps._runtime.RUNTIME_JS` for the script.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import folium
import numpy as np
from folium.template import Template

from kzviz._html import esc
from kzviz.maps._base import Overlay, add_runtime, script_json
from kzviz.maps._literal import LiteralMacroElement
from kzviz.maps._runtime import NARROW_PX

Bounds = tuple[tuple[float, float], tuple[float, float]]
"""South-west and north-east corners, each (lat, lon)."""

KAZAKHSTAN_BOUNDS: Bounds = ((40.5, 46.5), (55.5, 87.4))
"""Kazakhstan's extent, for the "Kazakhstan" view of maps that span the world."""


def feature_bounds(overlays: Iterable[Overlay]) -> Bounds | None:
    """Return the bounds of every point and line in `overlays`, or None if they draw nothing.

    Parameters
    ----------
    overlays : iterable of Overlay
        Layers built by :mod:`kzviz.maps.layers`.

    Returns
    -------
    ((float, float), (float, float)) or None
        South-west and north-east corners as (lat, lon), rounded to 3 decimals.
    """
    corners = []
    for overlay in overlays:
        for feature in overlay.features:
            geometry = feature["geometry"]
            points = np.asarray(geometry["coordinates"], dtype=float).reshape(-1, 2)  # a point or a line
            if len(points):
                corners += [points.min(axis=0), points.max(axis=0)]
    if not corners:
        return None
    (west, south), (east, north) = np.min(corners, axis=0).tolist(), np.max(corners, axis=0).tolist()
    return ((round(south, 3), round(west, 3)), (round(north, 3), round(east, 3)))


class MapSetup(LiteralMacroElement):
    """Title, views, list of features, popup fitting and labels of a kzviz map (add it last).

    Parameters
    ----------
    title : str
        Shown at the top of the map (plain text; escaped here).
    views : sequence of (str, bounds)
        Names (plain text) and bounds of the views the "zoom to" buttons
        show; the map opens on the first.
    layer_control : folium.LayerControl, optional
        Collapsed on small maps, expanded on large ones.
    base_layer : folium.TileLayer, optional
        The base map: added once the first view is set, so no tile is
        fetched for a view the reader never sees.
    overlays : sequence of Overlay
        Layers drawn once the first view is set (those shown when the map
        opens, kept as ``deferred_layers``), so no feature is drawn twice.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        Promise.resolve().then(function () {  // after every control of the page's script is on the map
            kzMaps.setup({{ this._parent.get_name() }}, {{ this.config_json }}, {{ this.layer_control_name }},
                         {{ this.base_layer_name }}, [{{ this.overlay_names|join(", ") }}]);
        });
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        views: Sequence[tuple[str, Bounds]],
        *,
        layer_control: folium.LayerControl | None = None,
        base_layer: folium.TileLayer | None = None,
        overlays: Sequence[Overlay] = (),
    ) -> None:
        super().__init__()
        if not views:
            msg = "views must name at least one view, the one the map opens on"
            raise ValueError(msg)
        self._name = "MapSetup"
        self.layer_control = layer_control
        self.base_layer = base_layer
        self.views = list(views)
        self.deferred_layers = [overlay for overlay in overlays if overlay.show]
        for layer in [*self.deferred_layers, *([base_layer] if base_layer is not None else [])]:
            layer.show = False  # the setup adds it after fitting the first view
        config: dict[str, Any] = {
            "title": esc(title),
            "label": f"Map: {title}",
            "views": [{"label": esc(label), "bounds": [list(sw), list(ne)]} for label, (sw, ne) in views],
            "narrow": NARROW_PX,
        }
        self.config_json = script_json(config)

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # as LiteralMacroElement.render
        """Render after the layer control, whose JavaScript name the setup needs."""
        add_runtime(self.get_root())
        self.layer_control_name = self.layer_control.get_name() if self.layer_control is not None else "null"
        self.base_layer_name = self.base_layer.get_name() if self.base_layer is not None else "null"
        self.overlay_names = [overlay.get_name() for overlay in self.deferred_layers]
        super().render(**kwargs)
