"""Read a timeline explorer in a page as a reader sees it, and check it against the Python rules.

Used by the exported-HTML tests (no kernel) and the JupyterLab tests (kernel).
Everything is read from what the page shows: the list rows that are not
hidden, the event markers drawn on the map, the chart segments that are
displayed, the status line, plus the documented state attributes
(``data-kz-year`` on the explorer and on the map's body).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import nbformat
import pandas as pd
from playwright.sync_api import Frame, Locator, Page

from kzviz.timeframe import PARTNER_FILTERS, filter_events
from kzviz.timeline import status_text
from kzviz.vocab import EVENT_CATEGORIES

TWO_EXPLORERS = "90-two-explorers.ipynb"
"""A notebook with two explorers over different events, the first shown twice, then changed from Python."""

TWO_EXPLORERS_CELLS = (
    "import kzviz\nfrom kzviz.timeline import TimelineExplorer\nframes = kzviz.load_map_frames()",
    (
        "energy = frames['events'][frames['events']['category'] == 'energy']\n"
        "both = TimelineExplorer(**frames, year=2000)\n"
        "only_energy = TimelineExplorer(**{**frames, 'events': energy}, year=2022)\nboth"
    ),
    "only_energy",
    "import ipywidgets as widgets\nwidgets.VBox([widgets.HTML('<b>The first explorer again, in a box</b>'), both])",
    "only_energy.partners = ['China', 'Russia']\nonly_energy.search.value = 'pipeline'",
)


def write_two_explorers(folder: Path) -> Path:
    """Write the two-explorer notebook (unexecuted) into `folder` and return its path."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Two explorers")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in TWO_EXPLORERS_CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / TWO_EXPLORERS
    nbformat.write(nb, path)
    return path


class ExplorerView:
    """One displayed explorer: its root element in `page` and the map frame inside it.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The page.
    index : int
        Which ``.kz-explorer`` in document order.
    """

    def __init__(self, page: Page, index: int = 0) -> None:
        self.page = page
        self.root: Locator = page.locator(".kz-explorer").nth(index)
        self.root.locator(".kz-explorer-map iframe").wait_for(timeout=60_000)
        handle = self.root.locator(".kz-explorer-map iframe").element_handle()
        frame = handle.content_frame() if handle else None
        assert frame is not None
        self.frame: Frame = frame
        self.frame.wait_for_function("document.body && document.body.getAttribute('data-kz-year') !== null")
        self.root.locator(".kz-explorer-year .noUi-handle").wait_for()

    def years(self) -> tuple[int, int]:
        """Return the years the explorer says it shows (``data-kz-start``, ``data-kz-year``)."""
        return int(self.root.get_attribute("data-kz-start") or 0), int(self.root.get_attribute("data-kz-year") or 0)

    def wait_for_year(self, end: int, start: int = 1991) -> None:
        """Wait until the explorer shows `start` to `end`."""
        self.page.wait_for_function(
            "([el, start, end]) => el.getAttribute('data-kz-start') === start && el.getAttribute('data-kz-year') === end",
            arg=[self.root.element_handle(), str(start), str(end)],
            timeout=15_000,
        )

    def press(self, key: str, times: int = 1, *, handle: int = 0, slider: str = "year") -> None:
        """Focus a slider handle and press `key` `times` times (keyboard only)."""
        self.root.locator(f".kz-explorer-{slider} .noUi-handle").nth(handle).focus()
        for _ in range(times):
            self.page.keyboard.press(key)

    def listed_ids(self) -> list[str]:
        """Return the ids of the list rows a reader sees, in order."""
        return list(
            self.root.locator(".kz-event-list tr[data-id]").evaluate_all(
                "rows => rows.filter(r => !r.hidden && r.offsetParent !== null).map(r => r.dataset.id)"
            )
        )

    def map_markers(self) -> int:
        """Return the number of event markers drawn on the explorer's map."""
        return int(self.frame.evaluate("document.querySelectorAll('.leaflet-map-pane path.kz-event').length"))

    def chart_counts(self) -> Counter[tuple[int, str]]:
        """Return the displayed chart segments as (year, partner group) -> count."""
        segments = self.root.locator(".kz-explorer-chart rect.segment").evaluate_all(
            "rs => rs.filter(r => r.getAttribute('display') !== 'none')"
            ".map(r => [Number(r.dataset.year), r.dataset.group, Number(r.dataset.count),"
            " Number(r.getAttribute('height'))])"
        )
        assert all(height > 0 for *_, height in segments)
        return Counter({(year, group): count for year, group, count, _ in segments})

    def status(self) -> str:
        """Return the status line (the live region) text."""
        return (self.root.locator(".kz-status").text_content() or "").strip()

    def year_controls(self) -> int:
        """Return how many year controls the reader sees: sliders in the explorer and in its map."""
        inside = self.root.locator(".kz-explorer-year .noUi-handle:visible").count()
        in_map = int(self.frame.evaluate("document.querySelectorAll('input[type=range], .kz-time').length"))
        return inside + in_map


def expected_counts(events: pd.DataFrame) -> Counter[tuple[int, str]]:
    """Return what the chart must show for `events`: (year, group) -> count, 'domestic' for no partner."""
    counts: Counter[tuple[int, str]] = Counter()
    for year, partners in zip(events["year"], events["partners"], strict=True):
        for group in partners or ("domestic",):
            counts[(int(year), group)] += 1
    return counts


def assert_shows(
    view: ExplorerView,
    events: pd.DataFrame,
    start: int,
    end: int,
    *,
    categories: Sequence[str] = EVENT_CATEGORIES,
    partners: Sequence[str] = PARTNER_FILTERS,
    query: str = "",
) -> pd.DataFrame:
    """Assert that map, list, chart and status all show what :func:`filter_events` selects; return it."""
    view.wait_for_year(end, start)
    expected = filter_events(
        events, start=start, end=end, categories=list(categories), partners=list(partners), query=query
    )
    listed, wanted_ids = view.listed_ids(), list(expected["id"])
    assert listed == wanted_ids, f"list shows {len(listed)} events, expected {len(wanted_ids)}"
    map_year = view.frame.evaluate("document.body.getAttribute('data-kz-year')")
    assert map_year == str(end), f"map shows {map_year}, expected {end}"
    markers = view.map_markers()
    assert markers == len(expected), f"map draws {markers} event markers, expected {len(expected)}"
    counts, wanted_counts = view.chart_counts(), expected_counts(expected)
    assert counts == wanted_counts, f"chart shows {sorted(counts.items())}, expected {sorted(wanted_counts.items())}"
    marked = view.root.locator(".kz-explorer-chart text.highlight-label").text_content()
    assert marked == str(end), f"chart marks {marked}, expected {end}"
    wanted = status_text(len(expected), start, end, categories=categories, partners=partners, query=query)
    status = view.status()
    assert status == wanted, f"status says {status!r}, expected {wanted!r}"
    return expected
