"""Point symbols of kzviz maps: circles, squares, diamonds and triangles.

The live map (:mod:`kzviz.maps._runtime`), the legend samples
(:mod:`kzviz.maps._base`) and the static picture (:mod:`kzviz.maps.picture`)
draw a point's ``shape`` with the same proportions.
"""

from __future__ import annotations

SHAPES = ("circle", "square", "diamond", "triangle")
"""The shapes a point's style may name."""

_SHAPE_SCALE = {"square": 0.9, "diamond": 1.25, "triangle": 1.25}


def shape_path(x: float, y: float, r: float, shape: str) -> str:
    """Return the SVG path of a point symbol centred on (x, y), as the map draws it."""
    if shape == "square":
        h = r * _SHAPE_SCALE["square"]
        return f"M{x - h:g} {y - h:g}h{2 * h:g}v{2 * h:g}h{-2 * h:g}z"
    if shape == "diamond":
        h = r * _SHAPE_SCALE["diamond"]
        return f"M{x:g} {y - h:g}L{x + h:g} {y:g}L{x:g} {y + h:g}L{x - h:g} {y:g}z"
    if shape == "triangle":
        h = r * _SHAPE_SCALE["triangle"]
        return f"M{x:g} {y - h:g}L{x + h:g} {y + 0.7 * h:g}L{x - h:g} {y + 0.7 * h:g}z"
    return f"M{x - r:g} {y:g}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0z"


def shape_vertices(x: float, y: float, r: float, shape: str) -> list[tuple[float, float]] | None:
    """Return the corners of a point symbol centred on (x, y) (y down), or None for a circle.

    Parameters
    ----------
    x, y : float
        Centre, in pixels.
    r : float
        The point's radius (Leaflet's ``radius``).
    shape : str
        One of :data:`SHAPES`; anything else is a circle.

    Returns
    -------
    list of (float, float) or None
        The corners in drawing order, as :func:`shape_path` draws them.
    """
    if shape == "square":
        h = r * _SHAPE_SCALE["square"]
        return [(x - h, y - h), (x + h, y - h), (x + h, y + h), (x - h, y + h)]
    if shape == "diamond":
        h = r * _SHAPE_SCALE["diamond"]
        return [(x, y - h), (x + h, y), (x, y + h), (x - h, y)]
    if shape == "triangle":
        h = r * _SHAPE_SCALE["triangle"]
        return [(x, y - h), (x + h, y + 0.7 * h), (x - h, y + 0.7 * h)]
    return None
