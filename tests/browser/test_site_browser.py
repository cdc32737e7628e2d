"""The static site of the collection, opened page by page in headless Chromium, offline.

Two sites are built into a temporary folder: one from the fixture notebooks
in tests/input_data/notebooks and one from the notebooks in notebooks/ (their
fresh, normalised executions, laid out beside copies of README.md and
data/README.md as in the repository, so this checks what ``python -m kzviz
build`` publishes whether or not the stored files are up to date).
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from exported_site import build_site, site_links, wait_until_rendered
from offline import LocalServer, OfflinePage

from kzviz.notebook_files import collection_notebooks
from tests.conftest import COLLECTION_DIR, FIXTURE_NOTEBOOKS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]

DOCUMENT_PAGES = ["readme.html", "data-readme.html"]
"""The pages made from README.md and data/README.md, which the collection's notebooks link to."""

PAGES = [("fixtures", f"{p.stem}.html") for p in collection_notebooks(FIXTURE_NOTEBOOKS_DIR)]
PAGES += [("collection", f"{p.stem}.html") for p in collection_notebooks(COLLECTION_DIR)]
PAGES += [("collection", name) for name in DOCUMENT_PAGES]

OUTPUTS = """els => els.map(el => ({
    trust: el.textContent.includes("Make this Notebook Trusted"),
    iframes: el.querySelectorAll("iframe").length,
    height: el.getBoundingClientRect().height,
}))"""


@pytest.fixture(scope="module")
def sites_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sites")


@pytest.fixture(scope="module")
def fixtures_site(sites_root: Path, fixture_runs: dict[str, Any]) -> list[str]:
    return build_site(sites_root, "fixtures", {name: runs[0] for name, runs in fixture_runs.items()})


@pytest.fixture(scope="module")
def collection_site(sites_root: Path, collection_runs: dict[str, Any]) -> list[str]:
    return build_site(sites_root, "collection", collection_runs)


@pytest.fixture(scope="module")
def sites_server(sites_root: Path) -> Iterator[LocalServer]:
    with LocalServer(sites_root) as server:
        yield server


def _open(offline_page: OfflinePage, server: LocalServer, label: str, page_name: str) -> None:
    offline_page.page.set_viewport_size({"width": 1280, "height": 900})
    offline_page.goto(server.url(f"{label}/{page_name}"), timeout_ms=30_000)


class _Ids(HTMLParser):
    """Collect the ``id`` and ``name`` attributes of a page: the targets of its ``#fragment`` links."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name in {"id", "name"} and value)


def _check_links(offline_page: OfflinePage, server: LocalServer, label: str) -> int:
    """Check that every link of the page and of its frames resolves; return how many links were followed.

    A link into the site must stay in the site's folder and answer 200, and
    its ``#fragment`` must name an element of the target page. A link out of
    the site must be an absolute http(s) URL (the machine is offline, so it
    is not fetched) or a mailto: address.
    """
    problems, followed = [], 0
    pages: dict[str, set[str] | None] = {}
    for link in site_links(offline_page.page):
        parts = urlsplit(link["url"])
        if parts.scheme == "mailto" or (parts.scheme in {"http", "https"} and parts.hostname != "127.0.0.1"):
            if parts.scheme != "mailto" and not parts.netloc:
                problems.append(f"{link['href']!r}: not a full URL")
            continue
        if parts.scheme not in {"http", "https"} or not parts.path.startswith(f"/{label}/"):
            problems.append(f"{link['href']!r} ({link['text']!r}) leads out of the site: {link['url']}")
            continue
        target = parts._replace(fragment="").geturl()
        if target not in pages:
            response = offline_page.page.request.get(target)
            ids = _Ids()
            ids.feed(response.text() if response.ok else "")
            pages[target] = ids.ids if response.ok else None
        followed += 1
        found = pages[target]
        if found is None:
            problems.append(f"{link['href']!r} ({link['text']!r}): {target} does not answer")
        elif parts.fragment and not {parts.fragment, unquote(parts.fragment)} & found:  # as browsers look it up
            problems.append(f"{link['href']!r} ({link['text']!r}): no element #{parts.fragment} in {target}")
    assert problems == []
    return followed


def _check_navigation(offline_page: OfflinePage, label: str, page_name: str) -> None:
    """Check that the page links back to the index, and a notebook page to the notebooks on either side."""
    page = offline_page.page
    home = page.locator('header nav a[href="index.html"]')
    assert home.count() == 1
    assert home.is_visible()
    notebooks = [name for site, name in PAGES if site == label and name[:2].isdigit()]
    if page_name not in notebooks:
        return
    position = notebooks.index(page_name)
    for rel, expected in (
        ("prev", notebooks[position - 1 : position]),
        ("next", notebooks[position + 1 : position + 2]),
    ):
        links = page.locator(f'nav a[rel="{rel}"]')
        assert sorted({links.nth(i).get_attribute("href") for i in range(links.count())}) == expected


@pytest.mark.parametrize(("label", "page_name"), PAGES)
def test_page_renders_offline(
    request: pytest.FixtureRequest,
    sites_server: LocalServer,
    offline_page: OfflinePage,
    label: str,
    page_name: str,
) -> None:
    failed = request.getfixturevalue(f"{label}_site")
    assert f"{page_name[:-5]}.ipynb" not in failed, f"{page_name[:-5]}.ipynb failed to execute"
    _open(offline_page, sites_server, label, page_name)
    page = offline_page.page
    maps = wait_until_rendered(page)  # every map iframe draws Leaflet layers, every widget view renders

    # No output is just the "Make this Notebook Trusted" fallback text.
    outputs = page.eval_on_selector_all(".jp-OutputArea-output", OUTPUTS)
    trust_only = [i for i, out in enumerate(outputs) if out["trust"] and (not out["iframes"] or out["height"] < 100)]
    assert trust_only == []
    assert maps >= sum(out["trust"] for out in outputs)

    if page_name == "00-summit-map.html":
        assert maps == 1
    if page_name == "01-linked-sliders.html":
        assert page.locator(".widget-slider").count() == 2
    if page_name in DOCUMENT_PAGES:
        assert page.locator("main h1").count() == 1
        heading = page.locator("main h1").inner_text().strip()
        assert page.title() == (f"About {heading}" if page_name == "readme.html" else heading)

    _check_navigation(offline_page, label, page_name)
    assert _check_links(offline_page, sites_server, label) >= (1 if page_name in DOCUMENT_PAGES else 2)
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
    request: pytest.FixtureRequest, sites_server: LocalServer, offline_page: OfflinePage, label: str
) -> None:
    request.getfixturevalue(f"{label}_site")
    expected = [name for site, name in PAGES if site == label and name[:2].isdigit()]
    _open(offline_page, sites_server, label, "index.html")
    page = offline_page.page
    cards = page.locator(".card h3 a")
    assert [cards.nth(i).get_attribute("href") for i in range(cards.count())] == expected
    assert all(cards.nth(i).inner_text().strip() for i in range(cards.count()))
    assert ".ipynb" not in page.locator("body").inner_text()  # cards show titles, not file names
    assert all(p.inner_text().strip() for p in page.locator(".card p").all())
    assert page.locator("main .intro").inner_text().strip()
    documents = [name for site, name in PAGES if site == label and not name[:2].isdigit()]
    assert [a.get_attribute("href") for a in page.locator("header nav a").all()] == ["index.html", *documents]
    assert _check_links(offline_page, sites_server, label) == len(expected) + 2 * len(documents) + 1
    offline_page.screenshot(f"site_{label}_index")
    if expected:
        title = cards.first.inner_text().strip()
        cards.first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/{label}/{expected[0]}")
        assert page.title() == title
        page.locator('header nav a[href="index.html"]').click()
        page.wait_for_load_state("load")
        assert page.url.endswith(f"/{label}/index.html")
    offline_page.assert_clean()
