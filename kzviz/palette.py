"""One colour-blind-safe palette for every map, chart and legend.

Colours come from the Okabe-Ito set, which stays distinguishable under the
common forms of colour-vision deficiency. Each hue has one meaning: the
partner (and, for an export route, the partner its market direction leads
to). Black, white and greys are ink: what they mean is carried by a shape or
a line pattern, and each shape or pattern has one meaning. Nothing depends on
colour alone: partners also differ by fill pattern (:data:`PARTNER_PATTERNS`),
route statuses by dash pattern (:data:`STATUS_STYLES`), corridor modes by
line style (:data:`MODE_STYLES`) and points by shape (:data:`SITE_SYMBOLS`,
:data:`NODE_SYMBOLS`).
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

PARTNER_PATTERNS = MappingProxyType(
    {
        "Russia": "solid",
        "China": "diagonal",
        "USA": "dots",
        "EU": "horizontal",
        "multilateral": "grid",
        "other": "solid",
        "domestic": "solid",
    }
)
"""White pattern drawn over a partner's colour in map markers and their legend
samples, so places and events do not depend on colour alone. Russia's
vermillion and the greys of ``other`` and ``domestic`` differ in lightness
as well as hue, so they stay solid."""

DOMESTIC_COLOUR = "#BBBBBB"
"""Events with no foreign partner, and routes that serve Kazakhstan's own
market (maps and charts). Lighter than the ``other`` grey so the two never
merge in a stacked column."""

MARKET_COLOURS = MappingProxyType(
    {
        "russia": PARTNER_COLOURS["Russia"],
        "china": PARTNER_COLOURS["China"],
        "west": PARTNER_COLOURS["EU"],
        "domestic": DOMESTIC_COLOUR,
    }
)
"""Export routes take the colour of the partner their market direction leads to."""

MARKET_PARTNERS = MappingProxyType({"russia": "Russia", "china": "China", "west": "EU", "domestic": "domestic"})
"""The partner group (legend row) of each market direction."""

MARKET_LABELS = MappingProxyType(
    {
        "russia": "to or through Russia",
        "china": "to China",
        "west": "west via the Caspian and Turkey",
        "domestic": "domestic",
    }
)

CORRIDOR_COLOUR = "#333333"
"""Ink of every Belt and Road corridor leg; the mode is told by line style."""

SEA_LEG_DASH = "12 4 2 4"
"""Dash-dot pattern of every sea crossing, pipelines and corridors alike (tanker or ferry)."""

MODE_STYLES: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "rail": {"color": CORRIDOR_COLOUR, "dashArray": None, "weight": 3},
        "road": {"color": CORRIDOR_COLOUR, "dashArray": None, "weight": 6, "centre": "#FFFFFF"},
        "sea": {"color": CORRIDOR_COLOUR, "dashArray": SEA_LEG_DASH, "weight": 3},
        "multimodal": {"color": CORRIDOR_COLOUR, "dashArray": None, "weight": 3},
    }
)
"""Line style of corridor legs by mode: rail is a solid line, road a cased line
(dark edges, with a ``centre`` line drawn on top), sea crossings dash-dot."""

STATUS_STYLES: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        "operating": {"dashArray": None, "opacity": 0.9},
        "under_construction": {"dashArray": "12 6", "opacity": 0.8},
        "announced": {"dashArray": "2 6", "opacity": 0.65},
    }
)
"""How a route looks in a given year, by its status that year. Routes are drawn
with butt line caps, so long dashes (under construction) and short ticks
(announced) stay distinct at every capacity width."""

ROUTE_LINE_CAP = "butt"
"""Line cap of every route, so dash patterns keep their length at any width."""

PATTERN_SAMPLE_COLOUR = "#666666"
"""Legend samples of line patterns (status, sea crossing); no feature is drawn in it."""

SymbolSpec = Mapping[str, Any]
"""A point symbol: ``shape`` (circle, square, diamond, triangle), ``fill``,
``radius`` in pixels and the legend ``label``."""

SITE_SYMBOLS: Mapping[str, SymbolSpec] = MappingProxyType(
    {
        "oil_field": {"shape": "circle", "fill": "#000000", "radius": 6, "label": "oil or gas field"},
        "gas_field": {"shape": "circle", "fill": "#000000", "radius": 6, "label": "oil or gas field"},
        "oil_terminal": {"shape": "square", "fill": "#FFFFFF", "radius": 6, "label": "oil or gas terminal"},
        "gas_terminal": {"shape": "square", "fill": "#FFFFFF", "radius": 6, "label": "oil or gas terminal"},
        "port": {"shape": "triangle", "fill": "#FFFFFF", "radius": 7, "label": "sea port"},
        "border_station": {"shape": "diamond", "fill": "#FFFFFF", "radius": 6, "label": "border crossing"},
        "pumping_station": {
            "shape": "circle",
            "fill": "#FFFFFF",
            "radius": 4,
            "label": "pumping station, junction or refinery",
        },
        "refinery": {
            "shape": "circle",
            "fill": "#FFFFFF",
            "radius": 4,
            "label": "pumping station, junction or refinery",
        },
    }
)
"""Energy sites: the shape tells the kind of site."""

NODE_SYMBOLS: Mapping[str, SymbolSpec] = MappingProxyType(
    {
        "dry_port": {"shape": "square", "fill": "#F0E442", "radius": 9, "label": "dry port"},
        "seaport": {"shape": "triangle", "fill": "#FFFFFF", "radius": 7, "label": "sea port"},
        "border_crossing": {"shape": "diamond", "fill": "#FFFFFF", "radius": 6, "label": "border crossing"},
        "rail_station": {"shape": "circle", "fill": "#FFFFFF", "radius": 4, "label": "rail station"},
    }
)
"""Corridor nodes: a sea port or border crossing looks the same in both
datasets; a dry port is a large yellow square."""

NODE_COLOURS = MappingProxyType({kind: str(spec["fill"]) for kind, spec in NODE_SYMBOLS.items()})
"""Fill of each corridor node type (see :data:`NODE_SYMBOLS`)."""

SITE_COLOURS = MappingProxyType({kind: str(spec["fill"]) for kind, spec in SITE_SYMBOLS.items()})
"""Fill of each energy site type (see :data:`SITE_SYMBOLS`)."""

OUTLINE = "#222222"
"""Outline colour of point markers."""

HIGHLIGHT = "#000000"
"""Ring colour for highlighted places (the 2022 courtship)."""

TEXT_COLOUR = OUTLINE
"""Charts: titles, labels and axes."""

MUTED_TEXT_COLOUR = "#555555"
"""Charts: subtitles, tick labels and the source line."""

GRID_COLOUR = "#DDDDDD"
"""Charts: grid lines behind bars and columns."""

BACKGROUND = "#FFFFFF"
"""Charts: background, and the gap drawn between stacked segments."""
