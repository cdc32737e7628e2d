"""Deterministic element names in rendered folium/branca pages.

branca names every element ``<kind>_<32 hex digits>`` (its ``id``, random
from ``os.urandom``; folium's ``deep_copy`` uses ``uuid4``), and those names
end up in the page's JavaScript. kzviz leaves the ids alone while a map is
built, so ids stay random and unique however and whenever elements are
made, and two overlays can never take each other's place in a parent.
When a page is rendered, :func:`stable_html` walks the finished element
tree to learn each element's id (the ``_id`` attribute every branca release
sets in ``Element.__init__``) and renames them in the text in order of
first appearance: ``0…0``, ``0…1``, and so on. The same map therefore
always renders to the same bytes, and nothing of branca is patched: other
folium code keeps its random ids.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from branca.element import Element, Figure
from jinja2 import Template

_NAME_ID = re.compile(r"_([0-9a-f]{32})(?![0-9a-f])")
"""The underscore and 32-hex-digit id that end an element name (a literal first
character keeps the scan of a large page fast)."""

_FIGURE_PARTS = ("header", "html", "script")
"""The parts of a Figure that rendering fills."""


def element_ids(root: Element) -> set[str]:
    """Return the id of every element reachable from `root`.

    The walk follows each element's children and every attribute that holds
    an element: a Figure's header, html and script, a Popup's html, and so on.

    Parameters
    ----------
    root : branca.element.Element
        Usually a map's :class:`~branca.element.Figure`.

    Returns
    -------
    set of str
        The ids, as they appear in element names.
    """
    ids: set[str] = set()
    seen: set[int] = set()
    stack: list[Element] = [root]
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        ids.add(str(element._id))
        stack += element._children.values()
        stack += [value for value in vars(element).values() if isinstance(value, Element)]
    return ids


def stable_html(root: Element, html: str) -> str:
    """Rename the elements of `root` in its rendered `html` by order of first appearance.

    Parameters
    ----------
    root : branca.element.Element
        The element tree `html` was rendered from (after rendering, so
        elements added while rendering are included).
    html : str
        The rendered text (a page, or the escaped ``srcdoc`` of an iframe).

    Returns
    -------
    str
        `html` with each element id replaced by a counter, the first one
        met by ``00000000000000000000000000000000``. Text that is not an
        element id, such as data that happens to look like one, is left as
        it is; applying this twice changes nothing.
    """
    ids = element_ids(root)
    numbers: dict[str, str] = {}

    def renumber(match: re.Match[str]) -> str:
        found = match.group(1)
        if found not in ids:
            return match.group()
        return "_" + numbers.setdefault(found, f"{len(numbers):032x}")

    return _NAME_ID.sub(renumber, html)


def _render_once(figure: Element, render: Callable[..., Any], kwargs: Mapping[str, Any]) -> str:
    """Render `figure` with stable names, leaving its header, html and script as they were.

    Rendering adds each element's output to the figure's parts under the
    name of the element that wrote it; elements that folium creates while
    rendering (such as a layer's ``addTo`` call) are new each time, so a
    second render would add their output again. Restoring the parts keeps
    every render of the same figure identical.
    """
    parts = [part for part in (getattr(figure, name, None) for name in _FIGURE_PARTS) if isinstance(part, Element)]
    saved = [(part, part._children.copy()) for part in parts]
    try:
        return stable_html(figure, str(render(**kwargs)))
    finally:
        for part, children in saved:
            part._children = children


def render_page(root: Element) -> str:
    """Render the page of `root` with stable element names; rendering again gives the same text.

    Parameters
    ----------
    root : branca.element.Element
        The root of a map's element tree, usually a Figure.

    Returns
    -------
    str
        The page, as :func:`stable_html` names it.
    """
    if isinstance(root, StableFigure):
        return root.render()
    return _render_once(root, root.render, {})


class StableFigure(Figure):
    """A branca :class:`~branca.element.Figure` whose page has stable element names.

    Whatever renders the page, ``render()``, ``save()``, or ``_repr_html_()``
    in a notebook, the same map gives the same bytes (see :func:`stable_html`),
    however many times it is rendered.
    """

    _template = Template(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        "{% if this.title %}<title>{{ this.title }}</title>{% endif %}\n"
        "{{ this.header.render(**kwargs) }}\n</head>\n<body>\n{{ this.html.render(**kwargs) }}\n</body>\n"
        "<script>\n{{ this.script.render(**kwargs) }}\n</script>\n</html>\n"
    )
    """branca's page, with the language declared for screen readers (axe-core's html-has-lang)."""

    def render(self, **kwargs: Any) -> str:
        """Render the page, then name its elements by order of first appearance."""
        return _render_once(self, super().render, kwargs)


@contextmanager
def stable_ids(start: int = 0) -> Iterator[None]:
    """Warn that the block is no longer needed, and do nothing else.

    .. deprecated:: 0.1
        Element names are now made stable when a map is rendered (see
        :func:`stable_html` and :func:`kzviz.maps.map_html`), so no block is
        needed around code that builds a map. Kept for one release so code
        written for kzviz 0.1 still runs; remove the ``with`` line.

    Parameters
    ----------
    start : int
        Ignored.

    Yields
    ------
    None

    Warns
    -----
    DeprecationWarning
        Always, pointing at the ``with`` line.
    """
    msg = (
        "kzviz.maps.stable_ids() is no longer needed and does nothing: maps get stable element names "
        "when they are rendered; remove the `with stable_ids():` line"
    )
    warnings.warn(msg, DeprecationWarning, stacklevel=3)
    yield
