"""kzviz: maps and timelines of Kazakhstan's balancing act, 1991-2022.

The package is layered, and no layer imports one after it:

* data: load and validate the shipped tables (:mod:`kzviz.datasets`, with
  :mod:`kzviz.vocab` and :mod:`kzviz.paths`); it never imports folium or
  ipywidgets, so ``import kzviz`` loads neither;
* views, built from validated frames and never reading files: folium maps
  (:mod:`kzviz.maps`), SVG charts (:mod:`kzviz.charts`) and the ipywidgets
  timeline explorer (:mod:`kzviz.timeline`), sharing what is visible in a
  year (:mod:`kzviz.timeframe`);
* the notebook collection, composed from the public API, and its build
  (:mod:`kzviz.collection`, :mod:`kzviz.site`, ``python -m kzviz``).
"""

from __future__ import annotations

from kzviz._errors import DataError, Problem
from kzviz.datasets import (
    load_corridor_nodes,
    load_corridors,
    load_country_outlines,
    load_energy_sites,
    load_events,
    load_figures,
    load_map_frames,
    load_pipelines,
)
from kzviz.paths import data_dir

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "Problem",
    "__version__",
    "data_dir",
    "load_corridor_nodes",
    "load_corridors",
    "load_country_outlines",
    "load_energy_sites",
    "load_events",
    "load_figures",
    "load_map_frames",
    "load_pipelines",
]
