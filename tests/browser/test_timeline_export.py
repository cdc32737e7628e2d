"""The exported site, with no kernel: the timeline explorer's own controls drive its map, list and chart.

The notebooks are executed fresh (saved widget state) and exported with
:func:`kzviz.site.export_site`, as the site build does; the pages load
``@jupyter-widgets/html-manager`` from the pinned npm package, so nothing but
the browser runs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from explorer_checks import TWO_EXPLORERS, ExplorerView, assert_shows, write_two_explorers
from exported_site import PROJECT_DOCUMENTS, ROOT
from offline import NODE_MODULES, LocalServer, OfflinePage
from playwright.sync_api import Frame

from kzviz import palette
from kzviz.collection import collection_notebooks, execute_notebooks
from kzviz.maps.layers import STAGE_LABELS
from kzviz.site import export_site
from kzviz.timeframe import route_stage

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04-timeline-1991-2022.ipynb"
pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A copy of the project: the stored notebooks and the documents they link
    # to (the site refuses links it cannot follow), with 04 and the
    # two-explorer notebook executed afresh.
    project = tmp_path_factory.mktemp("project")
    notebooks = project / "notebooks"
    shutil.copytree(NOTEBOOK.parent, notebooks)
    for document in PROJECT_DOCUMENTS:
        (project / document).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / document, project / document)
    paths = [notebooks / NOTEBOOK.name, write_two_explorers(notebooks)]
    for path, executed in zip(paths, execute_notebooks(paths, jobs=2), strict=True):
        nbformat.write(executed, path)
    folder = tmp_path_factory.mktemp("site")
    export_site(collection_notebooks(notebooks), folder)
    # @jupyter-widgets/html-manager asks for its icon fonts (used by the Play
    # button) relative to the page, not to its CDN script; a host serving the
    # export must serve them there too, so this test does.
    dist = NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist"
    for target in (folder / "@jupyter-widgets", folder / "@jupyter-widgets" / "html-manager" / "dist"):
        target.mkdir(parents=True, exist_ok=True)
        for font in dist.iterdir():
            if font.suffix in {".woff", ".woff2", ".ttf", ".eot", ".svg"}:
                shutil.copy(font, target / font.name)
    return folder


def _open(page: OfflinePage, server: LocalServer, name: str, width: int = 1366) -> None:
    page.page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url(name), timeout_ms=30_000)
    page.page.wait_for_selector(".kz-explorer[data-kz-year]", timeout=30_000)


def _drag_year(view: ExplorerView, share: float) -> None:
    """Drag the year slider's handle to `share` of its track with the mouse."""
    track = view.root.locator(".kz-explorer-year .noUi-target").bounding_box()
    handle = view.root.locator(".kz-explorer-year .noUi-handle").bounding_box()
    assert track is not None
    assert handle is not None
    mouse = view.page.mouse
    mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    mouse.down()
    mouse.move(track["x"] + track["width"] * share, handle["y"] + handle["height"] / 2, steps=8)
    mouse.up()


def test_explorer_follows_its_own_controls_without_a_kernel(
    offline_page: OfflinePage, site: Path, frames: dict[str, pd.DataFrame]
) -> None:
    events = frames["events"]
    with LocalServer(site) as server:
        _open(offline_page, server, NOTEBOOK.with_suffix(".html").name)
        view = ExplorerView(offline_page.page)
        assert view.year_controls() == 1  # the map inside the explorer draws no slider of its own
        assert_shows(view, events, 1991, 2022)
        view.press("Home")
        assert_shows(view, events, 1991, 1991)
        view.press("ArrowRight", 9)
        assert_shows(view, events, 1991, 2000)
        view.press("End")
        assert_shows(view, events, 1991, 2022)
        _drag_year(view, 0.4)
        dragged = view.years()[1]
        assert 1995 < dragged < 2015
        assert_shows(view, events, 1991, dragged)

        view.press("Home")
        view.wait_for_year(1991)
        play = view.root.locator(".kz-explorer-steps .widget-play button").first
        play.click()
        offline_page.page.wait_for_function(
            "el => Number(el.getAttribute('data-kz-year')) >= 1994", arg=view.root.element_handle(), timeout=15_000
        )
        play.click()  # pause
        paused = view.years()[1]
        assert_shows(view, events, 1991, paused)
        offline_page.screenshot("timeline_export_play")
        offline_page.assert_clean()


def test_range_mode_and_filters_work_without_a_kernel(
    offline_page: OfflinePage, site: Path, frames: dict[str, pd.DataFrame]
) -> None:
    events = frames["events"]
    with LocalServer(site) as server:
        _open(offline_page, server, NOTEBOOK.with_suffix(".html").name)
        view = ExplorerView(offline_page.page)
        view.root.locator(".kz-explorer-mode button", has_text="Year range").click()
        view.press("ArrowRight", 23, slider="range", handle=0)
        view.press("ArrowLeft", 7, slider="range", handle=1)
        assert_shows(view, events, 2014, 2015)
        assert view.root.locator(".kz-explorer-range").is_visible()
        assert not view.root.locator(".kz-explorer-steps").is_visible()
        assert view.year_controls() == 0  # in range mode the year slider gives way to the range slider

        view.root.locator(".kz-explorer-mode button", has_text="Up to the year").click()
        for name in ("Russia", "USA", "EU", "multilateral", "other", "domestic"):
            view.root.locator(".kz-explorer-partners button", has_text=name).click()
        assert view.root.locator(".kz-explorer-partners button[aria-pressed=true]").all_inner_texts() == ["China"]
        assert_shows(view, events, 1991, 2022, partners=["China"])
        view.root.locator(".kz-explorer-search input").fill("pipeline")
        china_pipelines = assert_shows(view, events, 1991, 2022, partners=["China"], query="pipeline")
        assert 0 < len(china_pipelines) < 10
        view.root.locator(".kz-explorer-search input").fill("no such words anywhere")
        assert_shows(view, events, 1991, 2022, partners=["China"], query="no such words anywhere")
        assert view.root.locator(".kz-empty").is_visible()
        offline_page.screenshot("timeline_export_filters")
        offline_page.page.set_viewport_size({"width": 390, "height": 844})
        offline_page.screenshot("timeline_export_filters_390", full_page=True)
        offline_page.assert_clean()


def _route_that_changes(pipelines: pd.DataFrame, year: int) -> tuple[str, str]:
    """Return the id and stage in `year` of a route whose stage then differs from its 2022 stage."""
    then, now = route_stage(pipelines, year), route_stage(pipelines, 2022)
    changed = pipelines[then.notna() & (then != now)]
    assert not changed.empty
    return str(changed["id"].iloc[0]), str(then[changed.index[0]])


def _open_route(frame: Frame, route: str) -> tuple[str, str]:
    """Open a route's tooltip and popup on a map, as hovering and clicking do; return their texts."""
    frame.evaluate(
        """id => { const path = document.querySelector('path.kz-id-' + id);
                   const box = path.getBoundingClientRect(), at = {bubbles: true, clientX: box.x + 1, clientY: box.y + 1};
                   path.dispatchEvent(new MouseEvent('mouseover', at));
                   path.dispatchEvent(new MouseEvent('click', at)); }""",
        route,
    )
    frame.wait_for_selector(".leaflet-popup-content")
    return frame.inner_text(".leaflet-tooltip"), frame.inner_text(".leaflet-popup-content")


def test_popups_and_tooltips_name_the_stage_of_the_year_shown(
    offline_page: OfflinePage, site: Path, frames: dict[str, pd.DataFrame]
) -> None:
    pipelines = frames["pipelines"]
    route, stage = _route_that_changes(pipelines, 1995)
    row = pipelines.set_index("id").loc[route]
    label = STAGE_LABELS[stage]
    # the stage follows the year; what the route carries and where stays (it was lost once)
    expected_tooltip = f"{row['name']} ({row['commodity']}, {palette.MARKET_LABELS[row['market']]}, {label})"
    with LocalServer(site) as server:
        _open(offline_page, server, NOTEBOOK.with_suffix(".html").name)
        standalone = next(f for f in offline_page.page.frames if f.query_selector("input.kz-year"))
        standalone.eval_on_selector("input.kz-year", "s => { s.value = 1995; s.dispatchEvent(new Event('input')); }")
        tooltip, popup = _open_route(standalone, route)
        assert f"Status in 1995\t{label}" in popup
        assert tooltip == expected_tooltip

        view = ExplorerView(offline_page.page)
        view.press("Home")
        view.press("ArrowRight", 4)
        view.wait_for_year(1995)
        tooltip, popup = _open_route(view.frame, route)
        assert f"Status in 1995\t{label}" in popup
        assert tooltip == expected_tooltip
        view.press("End")  # the open popup follows the year
        view.frame.wait_for_function("document.querySelector('.leaflet-popup-content').innerText.includes('2022')")
        now = STAGE_LABELS[str(route_stage(pipelines, 2022)[pipelines["id"] == route].iloc[0])]
        assert f"Status in 2022\t{now}" in view.frame.inner_text(".leaflet-popup-content")
        offline_page.assert_clean()


def test_two_explorers_stay_independent_without_a_kernel(
    offline_page: OfflinePage, site: Path, frames: dict[str, pd.DataFrame]
) -> None:
    events = frames["events"]
    energy = events[events["category"] == "energy"]
    with LocalServer(site) as server:
        _open(offline_page, server, Path(TWO_EXPLORERS).with_suffix(".html").name)
        offline_page.page.wait_for_function("document.querySelectorAll('.kz-explorer[data-kz-year]').length === 3")
        both, only_energy, both_again = (ExplorerView(offline_page.page, i) for i in range(3))
        assert_shows(both, events, 1991, 2000)
        assert_shows(both_again, events, 1991, 2000)
        # changed from Python after display: the saved state carries it
        assert_shows(only_energy, energy, 1991, 2022, partners=["Russia", "China"], query="pipeline")

        only_energy.press("Home")
        assert_shows(only_energy, energy, 1991, 1991, partners=["Russia", "China"], query="pipeline")
        assert_shows(both, events, 1991, 2000)
        both.press("ArrowRight", 5)
        assert_shows(both, events, 1991, 2005)
        assert_shows(both_again, events, 1991, 2005)  # a second view of the same widget follows it
        assert_shows(only_energy, energy, 1991, 1991, partners=["Russia", "China"], query="pipeline")
        offline_page.screenshot("timeline_export_two", full_page=True)
        offline_page.assert_clean()
