"""The static site of the collection, opened page by page in headless Chromium, offline.

Two sites are built into a temporary folder: one from the fixture notebooks
in tests/input_data/notebooks and one from the notebooks in notebooks/ (their
fresh, normalised executions, so this checks what ``python -m kzviz build``
publishes whether or not the stored files are up to date).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from offline import LocalServer, OfflinePage

from kzviz.collection import collection_notebooks, write_notebook
from kzviz.notebook_outputs import normalise_notebook
from kzviz.site import export_site
from tests.conftest import COLLECTION_DIR, FIXTURE_NOTEBOOKS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]

PAGES = [("fixtures", f"{p.stem}.html") for p in collection_notebooks(FIXTURE_NOTEBOOKS_DIR)]
PAGES += [("collection", f"{p.stem}.html") for p in collection_notebooks(COLLECTION_DIR)]

MAP_READY = """() => typeof L === "object" && document.querySelectorAll(".leaflet-overlay-pane path").length > 0"""

OUTPUTS = """els => els.map(el => ({
    trust: el.textContent.includes("Make this Notebook Trusted"),
    iframes: el.querySelectorAll("iframe").length,
    height: el.getBoundingClientRect().height,
}))"""


@pytest.fixture(scope="module")
def sites_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sites")


def _build(root: Path, label: str, runs: dict[str, Any]) -> list[str]:
    """Write each executed notebook (normalised) and export them as root/label; return failures."""
    notebooks = root / "notebooks" / label
    notebooks.mkdir(parents=True)
    failed = []
    for name, run in runs.items():
        if isinstance(run, BaseException):
            failed.append(name)
        else:
            write_notebook(normalise_notebook(run), notebooks / name)
    export_site(collection_notebooks(notebooks), root / label)
    return failed


@pytest.fixture(scope="module")
def fixtures_site(sites_root: Path, fixture_runs: dict[str, Any]) -> list[str]:
    return _build(sites_root, "fixtures", {name: runs[0] for name, runs in fixture_runs.items()})


@pytest.fixture(scope="module")
def collection_site(sites_root: Path, collection_runs: dict[str, Any]) -> list[str]:
    return _build(sites_root, "collection", collection_runs)


@pytest.fixture(scope="module")
def sites_server(sites_root: Path) -> Iterator[LocalServer]:
    with LocalServer(sites_root) as server:
        yield server


def _open(offline_page: OfflinePage, server: LocalServer, label: str, page_name: str) -> None:
    offline_page.page.set_viewport_size({"width": 1280, "height": 900})
    offline_page.goto(server.url(f"{label}/{page_name}"), timeout_ms=30_000)


def _check_links(offline_page: OfflinePage, site: Path) -> None:
    """Every relative link to a page of the site points at a page that exists."""
    hrefs = offline_page.page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    pages = [href.split("#")[0] for href in hrefs if href.endswith(".html") and "://" not in href]
    assert [p for p in pages if not (site / p).is_file()] == []


@pytest.mark.parametrize(("label", "page_name"), PAGES)
def test_page_renders_offline(
    request: pytest.FixtureRequest,
    sites_root: Path,
    sites_server: LocalServer,
    offline_page: OfflinePage,
    label: str,
    page_name: str,
) -> None:
    failed = request.getfixturevalue(f"{label}_site")
    assert f"{page_name[:-5]}.ipynb" not in failed, f"{page_name[:-5]}.ipynb failed to execute"
    _open(offline_page, sites_server, label, page_name)
    page = offline_page.page

    # Every map iframe (folium's srcdoc) draws Leaflet layers.
    maps = 0
    for handle in page.query_selector_all("iframe"):
        if "leaflet" not in (handle.get_attribute("srcdoc") or "").lower():
            continue
        frame = handle.content_frame()
        assert frame is not None
        frame.wait_for_function(MAP_READY, timeout=15_000)
        maps += 1

    # No output is just the "Make this Notebook Trusted" fallback text.
    outputs = page.eval_on_selector_all(".jp-OutputArea-output", OUTPUTS)
    trust_only = [i for i, out in enumerate(outputs) if out["trust"] and (not out["iframes"] or out["height"] < 100)]
    assert trust_only == []
    assert maps >= sum(out["trust"] for out in outputs)

    # Every widget view is rendered from the embedded state.
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        page.wait_for_function(
            f"() => document.querySelectorAll('.widget-subarea > .jupyter-widgets').length >= {views}",
            timeout=20_000,
        )

    if page_name == "00-summit-map.html":
        assert maps == 1
    if page_name == "01-linked-sliders.html":
        assert views == 1
        assert page.locator(".widget-slider").count() == 2

    _check_links(offline_page, sites_root / label)
    offline_page.screenshot(f"site_{label}_{page_name[:-5]}")
    offline_page.assert_clean()


def test_jslink_works_in_the_static_page(
    fixtures_site: list[str], sites_server: LocalServer, offline_page: OfflinePage
) -> None:
    _open(offline_page, sites_server, "fixtures", "01-linked-sliders.html")
    page = offline_page.page
    readouts = page.locator(".widget-readout")
    readouts.nth(1).wait_for(state="visible", timeout=20_000)
    assert [readouts.nth(i).inner_text().strip() for i in range(2)] == ["3", "3"]
    page.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelectorAll('.widget-readout')[1].textContent.trim() === '4'")
    assert readouts.nth(0).inner_text().strip() == "4"
    offline_page.assert_clean()


@pytest.mark.parametrize("label", ["fixtures", "collection"])
def test_index_links_every_page(
    request: pytest.FixtureRequest, sites_root: Path, sites_server: LocalServer, offline_page: OfflinePage, label: str
) -> None:
    request.getfixturevalue(f"{label}_site")
    expected = [name for site, name in PAGES if site == label]
    _open(offline_page, sites_server, label, "index.html")
    page = offline_page.page
    cards = page.locator(".card h2 a")
    assert [cards.nth(i).get_attribute("href") for i in range(cards.count())] == expected
    assert all(cards.nth(i).inner_text().strip() for i in range(cards.count()))
    assert all(p.inner_text().strip() for p in page.locator(".card p:not(.file)").all())
    _check_links(offline_page, sites_root / label)
    if expected:
        title = cards.first.inner_text().strip()
        cards.first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/{label}/{expected[0]}")
        assert page.title() == title
    offline_page.assert_clean()
