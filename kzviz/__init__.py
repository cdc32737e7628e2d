"""kzviz: maps and timelines of Kazakhstan's balancing act, 1991-2022.

The package has three layers that never point backwards:

* data (:mod:`kzviz.datasets`): load and validate the shipped tables;
* maps: build folium maps from validated frames;
* timeline: build ipywidgets explorers from validated frames.
"""

from __future__ import annotations

from kzviz._errors import DataError, Problem
from kzviz._readers import data_dir
from kzviz.datasets import (
    load_corridor_nodes,
    load_corridors,
    load_energy_sites,
    load_events,
    load_figures,
    load_map_frames,
    load_pipelines,
)

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "Problem",
    "__version__",
    "data_dir",
    "load_corridor_nodes",
    "load_corridors",
    "load_energy_sites",
    "load_events",
    "load_figures",
    "load_map_frames",
    "load_pipelines",
]
