"""The static site as ``python -m kzviz build`` publishes it, built for the browser tests from fresh executions.

:func:`build_site` lays the executed notebooks out as in the repository
(``<project>/notebooks/NN-*.ipynb`` beside ``README.md`` and
``data/README.md``, which the notebooks link to) and exports them, so the
site holds the same pages as the one the build writes. :func:`wait_until_rendered`
waits for what a reader waits for: every Leaflet map drawn and every widget
view rendered from its saved state. :func:`site_links` lists every link of a
page and of its frames.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from kzviz.notebook_files import collection_notebooks, write_notebook
from kzviz.notebook_outputs import normalise_notebook
from kzviz.site import export_site

ROOT = Path(__file__).resolve().parents[2]
"""The repository."""

PROJECT_DOCUMENTS = ("README.md", "data/README.md")
"""The Markdown files of the repository that the notebooks link to; the site makes them pages."""

MAP_READY = """() => typeof L === "object"
    && document.querySelectorAll(".leaflet-map-pane path:not(.leaflet-kz-outlines-pane path)").length > 0"""
"""A map has drawn its features (points have a pane of their own; the country outlines do not count)."""

LINKS = """els => els.map(a => ({href: a.getAttribute("href"), url: a.href, text: a.textContent.trim()}))"""


def build_site(root: Path, label: str, runs: dict[str, Any]) -> list[str]:
    """Write the executed notebooks into a copy of the project and export it to ``root/label``.

    Parameters
    ----------
    root : Path
        The folder the test server serves.
    label : str
        Name of the site's folder under `root`.
    runs : dict
        Executed notebook (or the exception it raised) by file name.

    Returns
    -------
    list of str
        The names of the notebooks that failed to execute (left out of the site).
    """
    project = root / "projects" / label
    notebooks = project / "notebooks"
    notebooks.mkdir(parents=True)
    for document in PROJECT_DOCUMENTS:
        (project / document).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / document, project / document)
    failed = []
    for name, run in runs.items():
        if isinstance(run, BaseException):
            failed.append(name)
        else:
            write_notebook(normalise_notebook(run), notebooks / name)
    export_site(collection_notebooks(notebooks), root / label)
    return failed


def wait_until_rendered(page: Page) -> int:
    """Wait until every Leaflet map of the page is drawn and every widget view rendered; return the map count."""
    maps = 0
    for handle in page.query_selector_all("iframe"):
        if "leaflet" not in (handle.get_attribute("srcdoc") or "").lower():
            continue
        frame = handle.content_frame()
        assert frame is not None
        frame.wait_for_function(MAP_READY, timeout=15_000)
        maps += 1
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if views:
        page.wait_for_function(
            f"() => document.querySelectorAll('.widget-subarea > .jupyter-widgets').length >= {views}",
            timeout=20_000,
        )
        for frame in page.frames[1:]:  # maps inside widgets appear once the views render
            if frame.evaluate("() => typeof L === 'object'"):
                frame.wait_for_function(MAP_READY, timeout=15_000)
    return maps


def site_links(page: Page) -> list[dict[str, str]]:
    """Return every ``<a href>`` of the page and of its frames: the href as written, the resolved URL, the text."""
    links: list[dict[str, str]] = []
    for frame in page.frames:
        links += frame.eval_on_selector_all("a[href]", LINKS)
    return links
