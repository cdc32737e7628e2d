"""folium maps built from validated kzviz frames.

Import this module explicitly (``from kzviz import maps``); the data layer
does not load folium.
"""

from __future__ import annotations

from kzviz.maps._base import KzMap, Legend, Overlay, map_html
from kzviz.maps._ids import stable_ids
from kzviz.maps.builders import atlas, corridor_map, pipeline_map, summit_map, timeline_map
from kzviz.maps.picture import map_picture_html
from kzviz.maps.time_control import TimeControl

__all__ = [
    "KzMap",
    "Legend",
    "Overlay",
    "TimeControl",
    "atlas",
    "corridor_map",
    "map_html",
    "map_picture_html",
    "pipeline_map",
    "stable_ids",
    "summit_map",
    "timeline_map",
]
