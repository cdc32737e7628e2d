"""The compact form in which an overlay's features travel to the browser.

A map of ten thousand routes would otherwise repeat, for every feature, its
style, its popup markup and its vertices at full precision. Here each thing
is written once:

* **Lines** are simplified and rounded for the map's zoom range
  (:class:`LineDetail`): no vertex moves by more than half a pixel at the
  map's largest zoom, so the simplification cannot be seen at any zoom the
  reader can reach. They travel as encoded polylines (the delta and
  base-64 coding of Google's polyline format, at :attr:`LineDetail.precision`
  decimals), about four characters a vertex instead of twenty.
* **Text** is stored once per distinct string, and **other values** (styles,
  years) once per distinct value; each feature's properties are columns of
  references to them.
* **Popups** (:class:`kzviz._html.Popup`) travel as parts: the row labels
  once per layer, and per feature only its escaped text. The browser joins
  them with the same markup as :meth:`kzviz._html.Popup.html`.

Every string is HTML escaped in Python before it gets here; the browser only
joins strings with fixed markup. The map's runtime script
(:mod:`kzviz.maps._runtime`) turns the compact form back into the GeoJSON
FeatureCollection the rest of the map works with.

Format (``compact_collection``)::

    {"n": number of features,
     "lines": {"max_zoom": int, "tolerance": degrees, "precision": decimals},
     "geometries": [encoded polyline string, or a GeoJSON geometry, per feature],
     "strings": [every distinct string],
     "objects": [every distinct other value],
     "layouts": [[string index of each row label], ...],
     "popups": [string index (an HTML popup), or
                [layout, title, [value], extra, [[href, label], ...]]],
     "properties": {name: [cell per feature]}}

In a popup's parts, a string used more than once in the collection is
written as its index in ``strings``, any other as itself. A property cell
is 0 where the feature lacks the property, ``k > 0`` for ``strings[k - 1]``,
``-k`` for ``objects[k - 1]``; cells of ``popup`` are ``k`` for
``popups[k - 1]``. Each column is written as differences from the
cell before it (the first from 0): neighbouring features mostly refer to
neighbouring entries, so the numbers stay short.
"""

from __future__ import annotations

import collections
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from kzviz._html import Popup

MAX_ZOOM = 12
"""Largest zoom of a kzviz map. At 12 a pixel is about 25 m at Kazakhstan's
latitudes, finer than any line in kzviz's data (routes are simplified at
500 m, corridor towns are city centres)."""

MAX_PRECISION = 6
"""Most decimals a line keeps (the browser decodes 32-bit integers)."""


@dataclass(frozen=True)
class LineDetail:
    """How much detail lines keep for a map whose largest zoom is `max_zoom`.

    Parameters
    ----------
    max_zoom : int
        The map's largest zoom.
    """

    max_zoom: int

    @property
    def tolerance(self) -> float:
        """Simplification tolerance in degrees of longitude: half a pixel at `max_zoom`.

        A line is simplified with this tolerance times the cosine of its
        largest latitude, so that no vertex moves by more than half a pixel
        in either direction.
        """
        return 360.0 / (256 * 2.0**self.max_zoom) / 2

    @property
    def precision(self) -> int:
        """Decimals kept: enough that rounding moves a vertex by at most a fifth of a pixel at `max_zoom`."""
        return min(MAX_PRECISION, max(0, math.ceil(-math.log10(self.tolerance * 0.8))))

    def summary(self) -> dict[str, Any]:
        """Return the detail as recorded in the map: largest zoom, tolerance and precision."""
        return {"max_zoom": self.max_zoom, "tolerance": self.tolerance, "precision": self.precision}


def encode_lines(lines: Sequence[Sequence[Sequence[float]]], detail: LineDetail) -> list[str]:
    """Simplify, round and encode lines as polyline strings, all in one pass.

    Parameters
    ----------
    lines : sequence of numpy.ndarray or of sequence of (lon, lat)
        LineString coordinates, each with at least two vertices.
    detail : LineDetail
        Tolerance and precision.

    Returns
    -------
    list of str
        One encoded polyline per line (latitude first in each pair, as in
        Google's format), at ``detail.precision`` decimals.
    """
    if not lines:
        return []
    arrays = [np.asarray(line, dtype=float).reshape(-1, 2) for line in lines]
    counts = np.fromiter((len(line) for line in arrays), dtype=np.int64, count=len(arrays))
    flat = np.concatenate(arrays)
    owner = np.repeat(np.arange(len(lines)), counts)
    geometries = shapely.linestrings(flat, indices=owner)
    top = np.zeros(len(lines))
    np.maximum.at(top, owner, np.abs(flat[:, 1]))
    tolerance = detail.tolerance * np.cos(np.radians(np.minimum(top, 89.0)))
    simplified = shapely.simplify(geometries, tolerance, preserve_topology=False)
    coords, index = shapely.get_coordinates(simplified, return_index=True)
    return _polylines(coords, index, len(lines), detail.precision)


def _polylines(coords: np.ndarray, index: np.ndarray, count: int, precision: int) -> list[str]:
    """Encode vertices (lon, lat), grouped by line `index`, as polyline strings."""
    units = np.rint(coords[:, ::-1] * 10.0**precision).astype(np.int64)  # (lat, lon) integers
    deltas = units.copy()
    deltas[1:] -= units[:-1]
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    deltas[starts] = units[starts]  # each line starts from its absolute position
    values = deltas.ravel()
    zigzag = np.where(values < 0, ~(values << 1), values << 1)
    length = np.ones(len(zigzag), dtype=np.int64)  # 5-bit chunks per value
    for k in range(1, 7):
        length += zigzag >= (1 << (5 * k))
    first = np.cumsum(length) - length  # position of each value's first character
    owner = np.repeat(np.arange(len(zigzag)), length)
    chunk = np.arange(len(owner)) - first[owner]
    bits = (zigzag[owner] >> (5 * chunk)) & 31
    characters = (bits + 63 + 32 * (chunk < length[owner] - 1)).astype(np.uint8)
    text = characters.tobytes().decode("ascii")
    per_vertex = length.reshape(-1, 2).sum(axis=1)
    ends = np.cumsum(np.bincount(index, weights=per_vertex, minlength=count).astype(np.int64))
    bounds = np.r_[0, ends].tolist()
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _value_key(value: Any) -> Any:
    """Return a hashable key that tells JSON values apart (``1``, ``1.0`` and ``True`` differ)."""
    if isinstance(value, dict) and all(isinstance(v, str | int | float | None) for v in value.values()):
        return tuple((k, type(v), v) for k, v in value.items())
    if isinstance(value, str | int | float | None):
        return (type(value), value)
    return json.dumps(value, sort_keys=True, allow_nan=False)


class _Collection:
    """Builds the compact form of one feature collection (see the module docstring)."""

    def __init__(self) -> None:
        self.strings: dict[str, int] = {}  # in order of first use: the table is the dict's keys
        self.objects: dict[Any, int] = {}
        self.object_values: list[Any] = []
        self.layouts: dict[tuple[str, ...], int] = {}
        self.popups: list[Any] = []
        self._seen: dict[int, tuple[Any, int]] = {}  # by id: features often share one value object
        self.uses: collections.Counter[str] = collections.Counter()

    def string(self, text: str) -> int:
        """Return the index of `text` in the string table."""
        return self.strings.setdefault(text, len(self.strings))

    def cell(self, value: Any) -> int:
        """Return a property cell: a reference to a string (positive) or another value (negative)."""
        if isinstance(value, str):
            return self.strings.setdefault(value, len(self.strings)) + 1
        seen = self._seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        index = self.objects.setdefault(_value_key(value), len(self.objects))
        if index == len(self.object_values):
            self.object_values.append(value)
        self._seen[id(value)] = (value, -(index + 1))
        return -(index + 1)

    def popup(self, popup: Popup | str) -> int:
        """Add a popup: its parts (or a reference to its HTML); return its cell."""
        self.popups.append(self.string(popup) if isinstance(popup, str) else self._popup_parts(popup))
        return len(self.popups)

    def _popup_parts(self, popup: Popup) -> list[Any]:
        layout = self.layouts.setdefault(popup.labels, len(self.layouts))
        text = self.text
        sources = [[text(href), text(label)] for href, label in popup.sources]
        return [layout, text(popup.title), [text(value) for value in popup.values], text(popup.extra), sources]

    def text(self, value: str) -> int | str:
        """Return a popup part: a reference to a string used more than once, else the string itself."""
        if value in self.strings or self.uses[value] > 1:
            return self.strings.setdefault(value, len(self.strings))
        return value

    def count_uses(self, popups: Iterable[Popup]) -> None:
        """Count how often each string is used by the popups (property strings are always in the table)."""
        uses = self.uses
        for popup in popups:
            uses.update(popup.values)
            uses.update((popup.title, popup.extra))
            uses.update(part for link in popup.sources for part in link)


def compact_collection(features: Sequence[dict[str, Any]], detail: LineDetail) -> dict[str, Any]:
    """Return `features` in the compact form described in the module docstring.

    Parameters
    ----------
    features : sequence of dict
        GeoJSON features whose properties hold JSON values, with ``popup``
        (if any) a :class:`kzviz._html.Popup` or an HTML string.
    detail : LineDetail
        How much detail LineStrings keep.

    Returns
    -------
    dict
        JSON-ready compact collection.
    """
    built = _Collection()
    popups: dict[int, Popup | str] = {}  # by id: the pieces of one route share its popup
    for feature in features:
        if "popup" in feature["properties"]:
            popups.setdefault(id(feature["properties"]["popup"]), feature["properties"]["popup"])
    built.count_uses(popup for popup in popups.values() if isinstance(popup, Popup))
    for text, uses in built.uses.most_common():  # the most used popup text gets the shortest indexes
        if uses < 2:
            break
        built.string(text)
    names = list(dict.fromkeys(name for feature in features for name in feature["properties"]))
    columns: dict[str, list[int]] = {name: [0] * len(features) for name in names}
    for i, feature in enumerate(features):
        for name, value in feature["properties"].items():
            if name != "popup":
                columns[name][i] = built.cell(value)
    if "popup" in columns:
        cells = {key: built.popup(popup) for key, popup in popups.items()}
        columns["popup"] = [cells[id(f["properties"]["popup"])] if "popup" in f["properties"] else 0 for f in features]
    line_rows = [i for i, feature in enumerate(features) if feature["geometry"]["type"] == "LineString"]
    encoded = encode_lines([features[i]["geometry"]["coordinates"] for i in line_rows], detail)
    geometries: list[Any] = [feature["geometry"] for feature in features]
    for i, text in zip(line_rows, encoded, strict=True):
        geometries[i] = text
    layouts = [[built.string(label) for label in labels] for labels in built.layouts]
    return {
        "n": len(features),
        "lines": detail.summary(),
        "geometries": geometries,
        "strings": list(built.strings),
        "objects": built.object_values,
        "layouts": layouts,
        "popups": built.popups,
        "properties": {name: _differences(cells) for name, cells in columns.items()},
    }


def _differences(cells: list[int]) -> list[int]:
    """Return each cell minus the one before it (the first minus 0)."""
    return [b - a for a, b in zip([0, *cells[:-1]], cells, strict=True)]
