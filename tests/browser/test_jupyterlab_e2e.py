"""The timeline notebook in a real JupyterLab: run it, move the slider, press Play."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from lab_server import JupyterLabServer, copy_notebook
from offline import OfflineBrowser, OfflinePage
from playwright.sync_api import Frame
from playwright.sync_api import TimeoutError as PlaywrightTimeout

NOTEBOOK = "04-timeline-1991-2022.ipynb"
pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLabServer]:
    root = tmp_path_factory.mktemp("lab")
    copy_notebook(NOTEBOOK, root)
    with JupyterLabServer(root) as server:
        yield server


def explorer_map(page: OfflinePage) -> Frame:
    """Return the frame of the map inside the explorer widget."""
    try:
        handle = page.page.wait_for_selector(".widget-html iframe", timeout=60_000)
    except Exception:
        page.screenshot("jupyterlab_explorer_failed")
        raise
    frame = handle.content_frame() if handle else None
    assert frame is not None
    frame.wait_for_function("document.body && document.body.getAttribute('data-kz-year') !== null", timeout=30_000)
    return frame


def run_all(page: OfflinePage, lab: JupyterLabServer) -> None:
    page.page.set_viewport_size({"width": 1400, "height": 1000})
    page.page.goto(lab.url(f"lab/tree/{NOTEBOOK}"), wait_until="domcontentloaded")
    page.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    select = page.page.locator(".jp-Dialog button", has_text="Select")
    with contextlib.suppress(PlaywrightTimeout):  # JupyterLab may ask which kernel to start
        select.click(timeout=5_000)
    page.page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.page.click("text=Run", timeout=10_000)
    page.page.click("text=Run All Cells", timeout=10_000)


def test_explorer_in_jupyterlab(offline_browser: OfflineBrowser, lab: JupyterLabServer) -> None:
    with offline_browser.new_page() as page:
        run_all(page, lab)
        frame = explorer_map(page)
        status = page.page.locator(".widget-html", has_text="events,").first
        assert frame.evaluate("document.body.getAttribute('data-kz-year')") == "2022"
        before = status.inner_text()
        slider = page.page.locator(".widget-slider .noUi-handle").first  # the explorer's year slider
        slider.focus()
        for _ in range(12):
            page.page.keyboard.press("ArrowLeft")
        frame.wait_for_function("document.body.getAttribute('data-kz-year') === '2010'", timeout=10_000)
        assert status.inner_text() != before
        assert "2010" in status.inner_text()
        rows_2010 = page.page.locator(".kz-event-list tr").count()
        assert rows_2010 > 1
        page.page.locator(".widget-play button").first.click()
        frame.wait_for_function("Number(document.body.getAttribute('data-kz-year')) >= 2012", timeout=15_000)
        assert page.page.locator(".kz-event-list tr").count() > rows_2010
        page.screenshot("jupyterlab_explorer")
        errors = page.page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        assert errors == 0
        assert page.page_errors == []
        assert page.unmapped == []
