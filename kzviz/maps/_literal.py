"""Render folium elements without ever compiling their output as a template.

branca renders a :class:`~branca.element.MacroElement` in two passes: it
calls the element's ``header``, ``html`` and ``script`` macros, then wraps
each result in a new ``Element(text)``, which *compiles that text as a Jinja
template* and renders it again when the page is written. Any text from the
data that reached a macro's output (a popup, a tooltip, a legend label) is
therefore template source: ``{{ 7*7 }}`` in an event title becomes ``49``,
``{#`` breaks the render, and a crafted title can run code.

:class:`LiteralMacroElement` renders the same macros once and stores their
output as :class:`LiteralText`, which is written out verbatim. Every element
kzviz adds to a map derives from it, and the macro-only children folium adds
to them (such as the ``addTo`` call of a layer) are rendered the same way.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.plugins import Fullscreen

_MACRO_PARTS = ("header", "html", "script")


class LiteralText(Element):
    """Finished HTML or JavaScript that is written out exactly as given.

    Parameters
    ----------
    text : str
        The text to write; it is never parsed as a template.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


def _render_macros(element: MacroElement, kwargs: dict[str, Any]) -> None:
    """Add the output of `element`'s macros to its figure as literal text."""
    figure = element.get_root()
    if not isinstance(figure, Figure):
        msg = f"{type(element).__name__} can only be rendered inside a map (a branca Figure)"
        raise TypeError(msg)
    module = element._template.module
    for part in _MACRO_PARTS:
        macro = getattr(module, part, None)
        if macro is not None:
            getattr(figure, part).add_child(LiteralText(str(macro(element, kwargs))), name=element.get_name())


class LiteralMacroElement(MacroElement):
    """A MacroElement whose macro output is never compiled as a template.

    Subclass it, or list it after a folium class (``class X(folium.LayerControl,
    LiteralMacroElement)``) so the folium class keeps its own ``render`` steps
    and only the final macro pass changes.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # branca's MacroElement.render returns None
        """Render the macros literally, then the children."""
        _render_macros(self, kwargs)
        for child in self._children.values():
            if isinstance(child, MacroElement) and type(child).render is MacroElement.render:
                _render_macros(child, kwargs)  # plain macro children, e.g. a layer's addTo call
            else:
                child.render(**kwargs)


class LiteralTileLayer(folium.TileLayer, LiteralMacroElement):
    """:class:`folium.TileLayer`, rendered literally."""


class LiteralLayerControl(folium.LayerControl, LiteralMacroElement):
    """:class:`folium.LayerControl`, rendered literally (layer names stay text)."""


class LiteralFullscreen(Fullscreen, LiteralMacroElement):
    """:class:`folium.plugins.Fullscreen`, rendered literally."""
