"""Deterministic element ids for folium/branca output.

branca names every element ``<name>_<32 hex>`` from ``os.urandom`` through
the classmethod ``Element._generate_id`` (the override point added by
branca PR #203). Inside :func:`stable_ids`, ids come from a counter instead,
so the same map built from the same data renders to the same bytes.
Outside it, branca's own random ids are used, so importing kzviz changes
nothing for other folium code.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from branca.element import Element

_counter: ContextVar[Iterator[int] | None] = ContextVar("kzviz_element_ids", default=None)
_random_id = Element._generate_id.__func__  # type: ignore[attr-defined]


def _generate_id(cls: type[Any]) -> str:
    counter = _counter.get()
    if counter is None:
        return str(_random_id(cls))
    return f"{next(counter):032x}"


Element._generate_id = classmethod(_generate_id)  # type: ignore[method-assign,assignment]


@contextmanager
def stable_ids(start: int = 0) -> Iterator[None]:
    """Give elements created in this block counter-based ids.

    Parameters
    ----------
    start : int
        First id number. Builders start at 0; rendering starts far above so
        render-time elements never collide with built ones. Nested blocks
        keep the outer block's counter.

    Yields
    ------
    None
    """
    if _counter.get() is not None:  # already inside a block: keep its counter
        yield
        return
    token = _counter.set(itertools.count(start))
    try:
        yield
    finally:
        _counter.reset(token)
