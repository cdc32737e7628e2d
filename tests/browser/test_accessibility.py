"""axe-core on every page of the exported site, in the page and in every frame, at desktop and phone width.

The site is built as ``python -m kzviz build`` publishes it, from fresh
executions of notebooks/ (see exported_site.py). Each page is opened at
1366 x 900 and at 390 x 844 and left to render (maps drawn, widgets restored
from their saved state); then axe-core 4.14.1, pinned in package.json, is
injected into the page and into each of its frames (the map iframes, the
iframes inside widgets) and run there with its default rules. No rule is
disabled. Any violation of serious or critical impact fails the test, which
lists them by rule with where they are: the frame (``page`` or ``iframe N``),
the notebook cell, the element and its HTML, so each can be sent to the part
of kzviz that draws it.

Each frame is checked on its own (``iframes: false``), so that a violation
names its frame; the frames' own elements (an ``<iframe>`` without a title,
for example) are checked in the page that holds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from exported_site import build_site, wait_until_rendered
from offline import AXE_CORE_JS, LocalServer, OfflinePage
from playwright.sync_api import Frame, Page

from kzviz.collection import collection_notebooks
from tests.conftest import COLLECTION_DIR

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]

SIZES = {"1366px": (1366, 900), "390px": (390, 844)}
"""Desktop and phone viewports, as issue 13 asks."""

FAILING_IMPACTS = ("serious", "critical")

PAGES = [f"{path.stem}.html" for path in collection_notebooks(COLLECTION_DIR)]
PAGES += ["readme.html", "data-readme.html", "index.html"]
"""Every page of the collection's site: the notebooks, the README and the data dictionary, the index."""

RUN_AXE = """async () => {
    const results = await axe.run(document, {iframes: false, resultTypes: ["violations"]});
    return results.violations.flatMap(rule => rule.nodes.map(node => {
        let element = null;
        try { element = document.querySelector(node.target[node.target.length - 1]); } catch (e) {}
        const cell = element && element.closest(".jp-Cell");
        return {
            rule: rule.id, impact: node.impact || rule.impact, help: rule.help,
            target: node.target.join(" >>> "), cell: cell ? cell.id : "", html: node.html,
        };
    }));
}"""
"""Run axe-core in one document; return one record per failing element."""

FRAME_PLACE = """iframe => {
    const cell = iframe.closest(".jp-Cell");
    const index = Array.from(document.querySelectorAll("iframe")).indexOf(iframe);
    return `iframe ${index}` + (cell ? ` in ${cell.id}` : "");
}"""


def _frame_name(frame: Frame) -> str:
    """Name a frame by its place: ``page``, or ``iframe 2 in cell-id=cell-04`` (nested frames joined by ``/``)."""
    if frame.parent_frame is None:
        return "page"
    place = str(frame.frame_element().evaluate(FRAME_PLACE))
    parent = _frame_name(frame.parent_frame)
    return place if parent == "page" else f"{parent} / {place}"


def axe_violations(page: Page) -> list[dict[str, str]]:
    """Inject axe-core into the page and every frame, run it in each, and return every violation with its frame."""
    source = AXE_CORE_JS.read_text(encoding="utf-8")
    violations: list[dict[str, str]] = []
    for frame in page.frames:
        frame.evaluate(source)
        found: list[dict[str, str]] = frame.evaluate(RUN_AXE)
        violations += [{**violation, "frame": _frame_name(frame)} for violation in found]
    return violations


def describe(violations: list[dict[str, str]]) -> str:
    """List violations by rule, then frame, one element a line, for the test's failure message."""
    lines = []
    for rule in sorted({v["rule"] for v in violations}):
        found = [v for v in violations if v["rule"] == rule]
        lines.append(f"{found[0]['impact']} {rule}: {found[0]['help']} ({len(found)})")
        for v in sorted(found, key=lambda v: (v["frame"], v["cell"], v["target"])):
            where = v["frame"] + (f", {v['cell']}" if v["cell"] and v["frame"] == "page" else "")
            lines.append(f"    [{where}] {v['target']}  {' '.join(v['html'].split())[:160]}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, collection_runs: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    """Build the collection's site and serve it; yield its folder and base URL."""
    root = tmp_path_factory.mktemp("a11y")
    failed = build_site(root, "site", collection_runs)
    assert failed == [], f"notebooks failed to execute: {failed}"
    with LocalServer(root / "site") as server:
        yield root / "site", server.url()


def test_every_page_of_the_site_is_checked(site: tuple[Path, str]) -> None:
    folder, _ = site
    assert sorted(path.name for path in folder.glob("*.html")) == sorted(PAGES)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("page_name", PAGES)
def test_no_serious_accessibility_violations(
    site: tuple[Path, str], offline_page: OfflinePage, page_name: str, size: str
) -> None:
    _, base = site
    width, height = SIZES[size]
    offline_page.page.set_viewport_size({"width": width, "height": height})
    offline_page.goto(base + page_name, timeout_ms=60_000)
    wait_until_rendered(offline_page.page)
    offline_page.screenshot(f"a11y_{page_name[:-5]}_{size}")
    violations = axe_violations(offline_page.page)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if failing:
        summary = f"{page_name} at {size}: {len(failing)} serious or critical axe-core violations"
        pytest.fail(f"{summary}\n{describe(failing)}", pytrace=False)
    offline_page.assert_clean()


SAMPLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sample</title></head>
<body><main><h1>Sample</h1>
<p style="color: #bbb">Faint text.</p>
<div class="jp-Cell" id="cell-id=x"><iframe srcdoc="<p>A frame with a nameless button: <button></button></p>"></iframe></div>
</main></body></html>
"""
"""A page with known violations: faint text in the page, and in a cell an untitled iframe holding an unnamed button."""


def test_the_check_finds_violations_in_the_page_and_in_its_frames(
    offline_page: OfflinePage, site_dir: Path, local_server: LocalServer
) -> None:
    (site_dir / "sample.html").write_text(SAMPLE, encoding="utf-8")
    offline_page.goto(local_server.url("sample.html"))
    violations = axe_violations(offline_page.page)
    found = {(v["rule"], v["impact"], v["frame"], v["cell"]) for v in violations}
    assert {
        ("color-contrast", "serious", "page", ""),
        ("frame-title", "serious", "page", "cell-id=x"),
        ("button-name", "critical", "iframe 0 in cell-id=x", ""),
        ("html-has-lang", "serious", "iframe 0 in cell-id=x", ""),
    } <= found
    listing = describe([v for v in violations if v["impact"] in FAILING_IMPACTS])
    assert "critical button-name" in listing
    assert "[iframe 0 in cell-id=x] button" in listing
