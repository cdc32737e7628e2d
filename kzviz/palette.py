"""One colour-blind-safe palette for every map, chart and legend.

Colours come from the Okabe-Ito set, which stays distinguishable under the
common forms of colour-vision deficiency. Each meaning has one colour:
partners (and the markets that lead to them), corridor modes, site types.
Line dash patterns carry the second dimension (status, sea legs) so nothing
depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

PARTNER_COLOURS = MappingProxyType(
    {
        "Russia": "#D55E00",  # vermillion
        "China": "#CC79A7",  # reddish purple
        "USA": "#0072B2",  # blue
        "EU": "#009E73",  # bluish green
        "multilateral": "#E69F00",  # orange
        "other": "#7F7F7F",  # grey
    }
)
"""Colour of each partner group in :data:`kzviz.vocab.PARTNERS`."""

MARKET_COLOURS = MappingProxyType(
    {
        "russia": PARTNER_COLOURS["Russia"],
        "china": PARTNER_COLOURS["China"],
        "west": PARTNER_COLOURS["EU"],
        "domestic": PARTNER_COLOURS["other"],
    }
)
"""Export routes take the colour of the partner their market direction leads to."""

MARKET_LABELS = MappingProxyType(
    {
        "russia": "to or through Russia",
        "china": "to China",
        "west": "west via the Caspian and Turkey",
        "domestic": "domestic",
    }
)

MODE_STYLES: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "rail": {"color": "#333333", "dashArray": None},
        "road": {"color": "#56B4E9", "dashArray": "10 5"},
        "sea": {"color": "#0072B2", "dashArray": "2 7"},
        "multimodal": {"color": "#333333", "dashArray": None},
    }
)
"""Line colour and dash of corridor legs by mode (sea crossings use ``sea``)."""

SEA_LEG_DASH = "2 7"
"""Dash pattern of every sea crossing, pipelines and corridors alike."""

STATUS_STYLES: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "operating": {"dashArray": None, "opacity": 0.9},
        "under_construction": {"dashArray": "8 6", "opacity": 0.75},
        "announced": {"dashArray": "1 6", "opacity": 0.6},
    }
)
"""How a route looks in a given year, by its status that year."""

NODE_COLOURS = MappingProxyType(
    {
        "dry_port": "#F0E442",  # yellow, dark outline
        "seaport": "#56B4E9",  # sky blue
        "border_crossing": "#FFFFFF",  # white, dark outline
        "rail_station": "#BBBBBB",
    }
)

SITE_COLOURS = MappingProxyType(
    {
        "oil_field": "#000000",
        "gas_field": "#555555",
        "oil_terminal": "#FFFFFF",
        "gas_terminal": "#FFFFFF",
        "port": "#56B4E9",
        "pumping_station": "#BBBBBB",
        "border_station": "#BBBBBB",
        "refinery": "#BBBBBB",
    }
)

OUTLINE = "#222222"
"""Outline colour of point markers."""

HIGHLIGHT = "#000000"
"""Ring colour for highlighted places (the 2022 courtship)."""

DOMESTIC_COLOUR = "#BBBBBB"
"""Charts: events with no foreign partner. Lighter than the ``other`` grey so
the two never merge in a stacked column."""

TEXT_COLOUR = OUTLINE
"""Charts: titles, labels and axes."""

MUTED_TEXT_COLOUR = "#555555"
"""Charts: subtitles, tick labels and the source line."""

GRID_COLOUR = "#DDDDDD"
"""Charts: grid lines behind bars and columns."""

BACKGROUND = "#FFFFFF"
"""Charts: background, and the gap drawn between stacked segments."""
