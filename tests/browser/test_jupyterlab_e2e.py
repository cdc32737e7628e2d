"""The timeline explorer in a real JupyterLab, with a kernel: keys, drag, Play, range, filters, two explorers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from explorer_checks import TWO_EXPLORERS, ExplorerView, assert_shows, write_two_explorers
from lab_server import JupyterLabServer, copy_notebook
from offline import OfflineBrowser, OfflinePage
from playwright.sync_api import TimeoutError as PlaywrightTimeout

NOTEBOOK = "04-timeline-1991-2022.ipynb"
pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLabServer]:
    root = tmp_path_factory.mktemp("lab")
    copy_notebook(NOTEBOOK, root)
    write_two_explorers(root)
    with JupyterLabServer(root) as server:
        yield server


def run_all(page: OfflinePage, lab: JupyterLabServer, notebook: str) -> None:
    """Open `notebook` alone, in a fresh JupyterLab workspace of its own, and run all its cells."""
    page.page.set_viewport_size({"width": 1400, "height": 1000})
    workspace = notebook.removesuffix(".ipynb")
    page.page.goto(lab.url(f"lab/workspaces/{workspace}/tree/{notebook}?reset"), wait_until="domcontentloaded")
    page.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    select = page.page.locator(".jp-Dialog button", has_text="Select")
    with contextlib.suppress(PlaywrightTimeout):  # JupyterLab may ask which kernel to start
        select.click(timeout=5_000)
    page.page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.page.click("text=Run", timeout=10_000)
    page.page.click("text=Run All Cells", timeout=10_000)


def assert_no_errors(page: OfflinePage) -> None:
    """Fail on error outputs in the notebook and on page errors."""
    errors = page.page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
    assert errors == 0
    assert page.page_errors == []
    assert page.unmapped == []


def test_explorer_in_jupyterlab(offline_browser: OfflineBrowser, lab: JupyterLabServer, frames: dict[str, Any]) -> None:
    events = frames["events"]
    with offline_browser.new_page() as page:
        run_all(page, lab, NOTEBOOK)
        try:
            view = ExplorerView(page.page)
            view.wait_for_year(2022)
        except Exception:
            page.screenshot("jupyterlab_explorer_failed")
            raise
        assert view.year_controls() == 1
        view.press("ArrowLeft", 12)
        assert_shows(view, events, 1991, 2010)
        view.press("Home")
        assert_shows(view, events, 1991, 1991)
        view.press("End")
        assert_shows(view, events, 1991, 2022)

        view.press("Home")
        view.wait_for_year(1991)
        play = view.root.locator(".kz-explorer-steps .widget-play button").first
        play.click()
        page.page.wait_for_function(
            "el => Number(el.getAttribute('data-kz-year')) >= 1994", arg=view.root.element_handle(), timeout=15_000
        )
        play.click()  # pause
        assert_shows(view, events, 1991, view.years()[1])

        view.root.locator(".kz-explorer-mode button", has_text="Year range").click()
        view.press("ArrowRight", 23, slider="range", handle=0)
        view.press("ArrowLeft", 7, slider="range", handle=1)
        assert_shows(view, events, 2014, 2015)
        view.root.locator(".kz-explorer-mode button", has_text="Up to the year").click()
        view.press("End")
        for name in ("Russia", "USA", "EU", "multilateral", "other", "domestic"):
            view.root.locator(".kz-explorer-partners button", has_text=name).click()
        view.root.locator(".kz-explorer-categories button", has_text="security").click()
        view.root.locator(".kz-explorer-search input").fill("pipeline")
        categories = ["membership", "diplomacy", "energy", "economy", "belt_and_road", "domestic"]
        assert_shows(view, events, 1991, 2022, partners=["China"], categories=categories, query="pipeline")
        page.screenshot("jupyterlab_explorer")
        assert_no_errors(page)


def test_two_explorers_in_jupyterlab(
    offline_browser: OfflineBrowser, lab: JupyterLabServer, frames: dict[str, Any]
) -> None:
    events = frames["events"]
    energy = events[events["category"] == "energy"]
    with offline_browser.new_page() as page:
        run_all(page, lab, TWO_EXPLORERS)
        page.page.wait_for_function("document.querySelectorAll('.kz-explorer').length === 3", timeout=60_000)
        both, only_energy, both_again = (ExplorerView(page.page, i) for i in range(3))
        # the last cell sets filters from Python after the explorer is shown: the page follows
        assert_shows(only_energy, energy, 1991, 2022, partners=["Russia", "China"], query="pipeline")
        assert_shows(both, events, 1991, 2000)
        only_energy.press("Home")
        assert_shows(only_energy, energy, 1991, 1991, partners=["Russia", "China"], query="pipeline")
        assert_shows(both, events, 1991, 2000)
        assert_shows(both_again, events, 1991, 2000)
        both.press("ArrowRight", 5)
        assert_shows(both, events, 1991, 2005)
        assert_shows(both_again, events, 1991, 2005)
        assert_shows(only_energy, energy, 1991, 1991, partners=["Russia", "China"], query="pipeline")
        page.screenshot("jupyterlab_two_explorers", full_page=True)
        assert_no_errors(page)
