"""Pytest fixtures for the offline real-browser tests.

Nothing here skips: if Chromium or the npm assets are missing, every browser
test fails with a message saying how to install them (the project's test
script installs both before running pytest).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from offline import (
    INSTALL_HINT,
    NODE_MODULES,
    LocalServer,
    OfflineBrowser,
    OfflinePage,
    asset_problems,
    setup_problems,
)


def _fail_setup(problems: list[str]) -> None:
    """Fail the requesting test (never skip) with how to install what is missing."""
    pytest.fail(
        "offline browser harness is not set up:\n  " + "\n  ".join(problems) + f"\n{INSTALL_HINT}",
        pytrace=False,
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers used here (also listed in pyproject.toml; repeating is harmless)."""
    config.addinivalue_line("markers", "browser: runs headless Chromium")
    config.addinivalue_line("markers", "notebooks: executes notebooks in a fresh kernel")


@pytest.fixture(scope="session")
def npm_assets() -> Path:
    """Return ``tests/browser/node_modules``; fail (not skip) if missing or stale."""
    problems = asset_problems()
    if problems:
        _fail_setup(problems)
    return NODE_MODULES


@pytest.fixture(scope="session")
def offline_browser(npm_assets: Path) -> Iterator[OfflineBrowser]:
    """Start headless Chromium for the whole session, with offline routing per page.

    Fails (does not skip) when Chromium or ``tests/browser/node_modules`` is
    missing or stale.
    """
    problems = setup_problems(npm_assets)
    if problems:
        _fail_setup(problems)
    with OfflineBrowser(node_modules=npm_assets) as browser:
        yield browser


@pytest.fixture
def offline_page(offline_browser: OfflineBrowser) -> Iterator[OfflinePage]:
    """Open a fresh page (own browser context) that records unmapped requests and errors."""
    with offline_browser.new_page() as page:
        yield page


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """Make an empty directory for the test's HTML pages, served by :func:`local_server`."""
    directory = tmp_path / "site"
    directory.mkdir()
    return directory


@pytest.fixture
def local_server(site_dir: Path) -> Iterator[LocalServer]:
    """Serve :func:`site_dir` on ``127.0.0.1`` at a free port for one test."""
    with LocalServer(site_dir) as server:
        yield server
