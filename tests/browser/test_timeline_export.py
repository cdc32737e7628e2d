"""Exported HTML of the timeline notebook: its maps react to their own time control with no kernel."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from offline import NODE_MODULES, LocalServer, OfflinePage

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04-timeline-1991-2022.ipynb"
pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, kernel_name="python3", store_widget_state=True, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    html, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    site = tmp_path_factory.mktemp("export")
    (site / "timeline.html").write_text(html, encoding="utf-8")
    # @jupyter-widgets/html-manager asks for its icon fonts (used by the Play
    # button) relative to the page, not to its CDN script; a host serving the
    # export must serve them there too, so this test does.
    dist = NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist"
    for target in (site / "@jupyter-widgets", site / "@jupyter-widgets" / "html-manager" / "dist"):
        target.mkdir(parents=True, exist_ok=True)
        for font in dist.iterdir():
            if font.suffix in {".woff", ".woff2", ".ttf", ".eot", ".svg"}:
                shutil.copy(font, target / font.name)
    return site


def _shown(frame: object) -> int:
    return int(frame.evaluate("Number(document.body.getAttribute('data-kz-shown'))"))  # type: ignore[attr-defined]


def test_exported_maps_follow_their_slider_without_a_kernel(offline_page: OfflinePage, exported: Path) -> None:
    with LocalServer(exported) as server:
        offline_page.page.set_viewport_size({"width": 1300, "height": 900})
        offline_page.goto(server.url("timeline.html"))
        offline_page.page.wait_for_selector(
            ".widget-slider", timeout=20_000
        )  # the explorer's widgets render from saved state
        frames = []
        for handle in offline_page.page.query_selector_all("iframe"):
            frame = handle.content_frame()
            assert frame is not None
            frame.wait_for_function(
                "document.body && document.body.getAttribute('data-kz-year') !== null", timeout=20_000
            )
            frames.append(frame)
        assert len(frames) == 2  # the standalone map and the explorer's map
        standalone = frames[0]
        assert standalone.evaluate("document.body.getAttribute('data-kz-year')") == "2006"
        before = _shown(standalone)
        standalone.fill("input.kz-year", "1995")
        standalone.dispatch_event("input.kz-year", "input")
        assert standalone.evaluate("document.body.getAttribute('data-kz-year')") == "1995"
        assert _shown(standalone) < before
        standalone.fill("input.kz-year", "2022")
        standalone.dispatch_event("input.kz-year", "input")
        assert _shown(standalone) > before
        standalone.click("button.kz-play")  # Play restarts from 1991 when at the end
        standalone.wait_for_function("Number(document.body.getAttribute('data-kz-year')) > 1992", timeout=10_000)
        explorer_map = frames[1]
        assert explorer_map.evaluate("document.body.getAttribute('data-kz-year')") == "2022"
        offline_page.screenshot("timeline_export")
        offline_page.assert_clean()
