"""Offline real-browser harness: headless Chromium with every CDN request served locally.

folium pages and ``jupyter nbconvert --to html`` exports load their JavaScript,
CSS, fonts and map tiles from public CDNs and tile servers. This machine (and
CI) reaches none of them, so this module answers those requests itself:

* CDN files come from the npm packages pinned in ``tests/browser/package.json``
  and installed into ``tests/browser/node_modules`` by ``install_assets.sh``
  (see :func:`map_url_to_file` for the URL rules);
* two tiny stylesheets that exist on no package registry are generated
  (see :func:`synthetic_asset`);
* map tiles (any ``.../{z}/{x}/{y}.png`` URL) get one plain grey PNG made with
  :mod:`zlib` and :mod:`struct` (see :func:`tile_png`).

Pages themselves are served by :class:`LocalServer` on ``127.0.0.1``.
:class:`OfflineBrowser` launches Debian's Chromium through Playwright's sync
API, and each :class:`OfflinePage` routes every request, records whatever it
could not answer, page errors and console errors, and fails
:meth:`OfflinePage.assert_clean` if any were seen.

Examples
--------
>>> with LocalServer(site_dir) as server, OfflineBrowser() as browser:  # doctest: +SKIP
...     with browser.new_page() as page:
...         page.goto(server.url("map.html"))
...         page.assert_clean()
"""

from __future__ import annotations

import functools
import http.server
import json
import mimetypes
import re
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Playwright,
        Request,
        Response,
        Route,
    )

LoadState = Literal["commit", "domcontentloaded", "load", "networkidle"]

HERE = Path(__file__).resolve().parent
"""Directory of this module, ``tests/browser``."""

NODE_MODULES = HERE / "node_modules"
"""Where ``install_assets.sh`` installs the pinned npm packages."""

AXE_CORE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
"""axe-core, the accessibility checker that ``test_accessibility.py`` injects into every page and frame.

It is no CDN stand-in: pages never ask for it. It is pinned in
``package.json`` with the CDN packages so that ``install_assets.sh``
installs it and :func:`asset_problems` notices when it is missing.
"""

ARTIFACTS_DIR = HERE / "artifacts"
"""Where :meth:`OfflinePage.screenshot` writes PNG files (ignored by git)."""

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium; Playwright's own browser downloads cannot work offline."""

CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Command-line flags for Chromium: no sandbox (root), no GPU, no background traffic."""

INSTALL_SCRIPT = "bash tests/browser/install_assets.sh"
"""The command that installs (or refreshes) ``node_modules``."""

INSTALL_HINT = (
    f"Install the browser test assets with `{INSTALL_SCRIPT}` "
    "(runs `npm ci` in tests/browser) and Chromium with "
    "`apt-get update && apt-get install -y chromium`."
)
"""How to fix a missing or stale setup; quoted in :class:`HarnessSetupError`."""

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
"""Hosts whose requests go to the network untouched (the :class:`LocalServer`)."""

# --------------------------------------------------------------------------
# URL -> npm file table
# --------------------------------------------------------------------------
# URLs are compared without scheme and query string: "host/path".

FILE_RULES: dict[str, str] = {
    # folium.Map default_js
    "code.jquery.com/jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",
    "cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": "jquery/dist/jquery.min.js",
    # folium.plugins.Timeline / TimelineSlider
    "cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": "moment/min/moment.min.js",
    # nbconvert HTMLExporter.require_js_url (npm ships only the unminified file)
    "cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js": "requirejs/require.js",
}
"""Exact CDN files (``host/path``) served by one file under ``node_modules``."""

PREFIX_RULES: tuple[tuple[str, str], ...] = (
    # npm has no 2.0.2; 2.0.5's dist/ holds the same js, css and images/.
    (
        "cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/",
        "leaflet.awesome-markers/dist/",
    ),
    # nbconvert's MathJax URL is .../2.7.7/latest.js?config=...; in a browser with
    # document.currentScript that file just loads MathJax.js from the same folder,
    # which then loads config/, jax/, extensions/ and fonts/ below it.
    ("cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/", "mathjax/"),
    # Fonts referenced by the generated bootstrap-glyphicons.css (see synthetic_asset).
    ("netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/", "bootstrap3/dist/fonts/"),
)
"""CDN folders (``host/path/``) served by a folder under ``node_modules``."""

NPM_CDN_PREFIXES: tuple[str, ...] = ("cdn.jsdelivr.net/npm/", "unpkg.com/")
"""CDNs whose URLs read ``<prefix><package>@<version>/<path>``, the generic rule."""

GLYPHICONS_CSS_URL = "netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css"
ROTATE_CSS_URL = "cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css"

TILE_PATH = re.compile(r"/\d+/\d+/\d+(?:@2x)?\.(?:png|jpe?g|webp)$")
"""Path of a slippy-map tile: ``.../{z}/{x}/{y}.png`` (also ``{r}`` retina and jpg/webp)."""

CONTENT_TYPES: dict[str, str] = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".eot": "application/vnd.ms-fontobject",
}
"""Content types by file suffix; anything else falls back to :mod:`mimetypes`."""


class HarnessSetupError(RuntimeError):
    """Chromium or the npm assets are missing or out of date."""


@dataclass(frozen=True)
class Asset:
    """A response body for an intercepted request.

    Attributes
    ----------
    body : bytes
        The response body.
    content_type : str
        Value of the ``Content-Type`` header.
    source : str
        Where the body came from (a ``node_modules`` path, ``"tile"`` or
        ``"generated"``), for reports.
    """

    body: bytes
    content_type: str
    source: str


def _strip_url(url: str) -> str:
    """Return ``host/path`` of `url`, without scheme, query string and fragment."""
    parts = urlsplit(url)
    return f"{parts.netloc}{parts.path}"


def content_type_for(path: str | Path) -> str:
    """Return the ``Content-Type`` to serve a file with.

    Parameters
    ----------
    path : str or Path
        File name or URL path (or a bare suffix such as ``".css"``); only its
        suffix matters.

    Returns
    -------
    str
        A MIME type, with a charset for text types.
    """
    name = str(path)
    suffix = (name if name.startswith(".") else Path(name).suffix).lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(f"x{suffix}")
    return guessed or "application/octet-stream"


# --------------------------------------------------------------------------
# Generic npm CDN rule
# --------------------------------------------------------------------------


def _version_tuple(version: str) -> tuple[int, ...] | None:
    """Parse ``"1.2.3"`` (or a prefix such as ``"1.2"``) into integers; None if not numeric."""
    pieces = version.split("-")[0].split(".")
    if not all(piece.isdigit() for piece in pieces):
        return None
    return tuple(int(piece) for piece in pieces)


def version_matches(spec: str, installed: str) -> bool:
    """Tell whether an installed npm version satisfies a version in a CDN URL.

    Supports what CDN URLs use: an exact version, nothing, ``*`` or
    ``latest`` (any version, as in nbconvert's ``html-manager@*``), a partial
    version (``1``, ``1.9``) and simple ``^``/``~`` ranges (as in ipywidgets'
    ``html-manager@^1.0.1``).

    Parameters
    ----------
    spec : str
        The version part of the URL, after ``@``.
    installed : str
        The ``version`` field of the installed package.

    Returns
    -------
    bool
        True if serving the installed package answers the URL faithfully.
    """
    if spec in {"", "*", "latest", installed}:
        return True
    have = _version_tuple(installed)
    if have is None:
        return False
    operator = spec[0] if spec[0] in "^~" else ""
    want = _version_tuple(spec[len(operator) :])
    if want is None:
        return False
    if not operator:  # partial version: "1.9" matches "1.9.x"
        return have[: len(want)] == want
    if have < want:
        return False
    if operator == "~":
        fixed = 2 if len(want) >= 2 else 1
    else:  # caret: the first non-zero component is fixed
        fixed = next((i + 1 for i, part in enumerate(want) if part != 0), len(want))
    return have[:fixed] == want[:fixed]


@functools.cache
def _installed_packages(node_modules: Path) -> dict[str, list[tuple[Path, str]]]:
    """Map npm package names to ``(folder, version)`` of their top-level installs.

    Aliases from ``package.json`` (``"bootstrap3": "npm:bootstrap@3.4.1"``)
    are listed under the real name, so one name may have several installs.
    """
    found: dict[str, list[tuple[Path, str]]] = {}
    manifest = node_modules.parent / "package.json"
    if not manifest.is_file():
        return found
    dependencies = json.loads(manifest.read_text(encoding="utf-8")).get("dependencies", {})
    for folder_name in dependencies:
        meta_file = node_modules / folder_name / "package.json"
        if meta_file.is_file():
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            found.setdefault(meta["name"], []).append((meta_file.parent, meta["version"]))
    return found


def _package_entry(package_dir: Path) -> str:
    """Return the file a CDN serves for a bare ``<pkg>@<ver>`` URL."""
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    for key in ("jsdelivr", "unpkg", "browser", "main"):
        if isinstance(meta.get(key), str):
            return str(meta[key])
    return "index.js"


def _existing_file(package_dir: Path, relative: str) -> Path | None:
    """Find `relative` inside `package_dir`, as a CDN would.

    jsDelivr minifies on the fly, so ``x.min.js`` falls back to ``x.js`` when
    the package ships only the unminified file (leaflet.timeline,
    leaflet.fullscreen). Paths escaping the package are refused.
    """
    relative = relative.strip("/") or _package_entry(package_dir)
    candidates = [relative]
    for minified in (".min.js", ".min.css"):
        if relative.endswith(minified):
            candidates.append(relative[: -len(minified)] + minified[4:])
    root = package_dir.resolve()
    for candidate in candidates:
        path = (package_dir / candidate).resolve()
        if path.is_relative_to(root) and path.is_file():
            return path
    return None


def _map_npm_cdn(rest: str, node_modules: Path) -> Path | None:
    """Apply the generic rule to ``<pkg>@<ver>/<path>`` (the URL after the CDN prefix)."""
    match = re.match(r"^((?:@[^/@]+/)?[^/@]+)(?:@([^/]*))?(/.*)?$", rest)
    if match is None:
        return None
    name, spec, path = match.group(1), match.group(2) or "", match.group(3) or ""
    for package_dir, version in _installed_packages(node_modules).get(name, []):
        if version_matches(spec, version):
            return _existing_file(package_dir, path)
    return None


def map_url_to_file(url: str, node_modules: Path = NODE_MODULES) -> Path | None:
    """Map a CDN URL to the file under ``node_modules`` that serves it.

    Rules, in order (URLs compared without scheme and query string):

    1. :data:`FILE_RULES`: exact files whose CDN name differs from npm's;
    2. :data:`PREFIX_RULES`: CDN folders mirrored by a package folder;
    3. the generic rule: ``cdn.jsdelivr.net/npm/<pkg>@<ver>/<path>`` and
       ``unpkg.com/<pkg>@<ver>/<path>`` map to ``node_modules/<pkg>/<path>``
       when the installed version satisfies ``<ver>`` (see
       :func:`version_matches`; npm aliases such as ``bootstrap3`` count).

    Relative URLs inside CSS (fonts, images) resolve against the CDN URL of
    the stylesheet, so they fall under the same rule as the stylesheet.

    Parameters
    ----------
    url : str
        The requested URL.
    node_modules : Path, optional
        The installed packages, :data:`NODE_MODULES` by default.

    Returns
    -------
    Path or None
        The local file, or None if no rule applies or the file is missing.
    """
    stripped = _strip_url(url)
    if stripped in FILE_RULES:
        path = node_modules / FILE_RULES[stripped]
        return path if path.is_file() else None
    for prefix, folder in PREFIX_RULES:
        if stripped.startswith(prefix):
            return _existing_file(node_modules / folder, stripped[len(prefix) :])
    for prefix in NPM_CDN_PREFIXES:
        if stripped.startswith(prefix):
            return _map_npm_cdn(stripped[len(prefix) :], node_modules)
    return None


# --------------------------------------------------------------------------
# Generated responses
# --------------------------------------------------------------------------


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    """Encode one PNG chunk: length, tag, data, CRC."""
    crc = zlib.crc32(tag + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)


@functools.cache
def tile_png(size: int = 256) -> bytes:
    """Return a plain grey map tile as PNG bytes, generated once and cached.

    The tile is light grey with a slightly darker line on its right and bottom
    edges, so a screenshot shows the tile grid.

    Parameters
    ----------
    size : int, optional
        Width and height in pixels (256, as slippy-map tiles).

    Returns
    -------
    bytes
        An 8-bit RGB PNG file.
    """
    fill, edge = b"\xdd\xdd\xdd", b"\xc4\xc4\xc4"
    row = fill * (size - 1) + edge
    rows = [row] * (size - 1) + [edge * size]
    raw = b"".join(b"\x00" + r for r in rows)  # filter type 0 (None) per row
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw, 9))
        + _png_chunk(b"IEND", b"")
    )


def is_tile_url(url: str) -> bool:
    """Tell whether `url` looks like a slippy-map tile (``.../{z}/{x}/{y}.png``)."""
    return bool(TILE_PATH.search(urlsplit(url).path))


def _css_blocks(css: str) -> list[tuple[str, str]]:
    """Split a stylesheet into top-level ``(prelude, body)`` blocks (comments removed)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    blocks: list[tuple[str, str]] = []
    depth, start, prelude = 0, 0, ""
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude, start = css[start:index].strip(), index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                blocks.append((prelude, css[start:index]))
                start = index + 1
    return blocks


@functools.cache
def glyphicons_css(node_modules: Path = NODE_MODULES) -> bytes:
    """Build ``bootstrap-glyphicons.css`` from bootstrap 3.4.1's stylesheet.

    folium asks for bootstrap 3.0.0's separate glyphicons stylesheet, which no
    registry ships. Serving all of bootstrap 3 would restyle the page, so only
    the ``Glyphicons Halflings`` ``@font-face`` and the ``.glyphicon*`` rules
    are kept. Their ``../fonts/`` URLs resolve to the CDN's fonts folder,
    which :data:`PREFIX_RULES` maps to ``bootstrap3/dist/fonts``.

    Parameters
    ----------
    node_modules : Path, optional
        The installed packages, :data:`NODE_MODULES` by default.

    Returns
    -------
    bytes
        The stylesheet, UTF-8 encoded.
    """
    source = node_modules / "bootstrap3" / "dist" / "css" / "bootstrap.css"
    kept = []
    for prelude, body in _css_blocks(source.read_text(encoding="utf-8")):
        selectors = [s.strip() for s in prelude.split(",")]
        is_font = prelude == "@font-face" and "Glyphicons Halflings" in body
        if is_font or all(s.startswith(".glyphicon") for s in selectors):
            kept.append(f"{prelude} {{{body}}}")
    return "\n".join(kept).encode()


@functools.cache
def rotate_css() -> bytes:
    """Build folium's ``leaflet.awesome.rotate.min.css``.

    It lives only in folium's GitHub repository and holds nothing but
    ``.fa-rotate-N`` transform rules for ``Icon(angle=N)``.

    Returns
    -------
    bytes
        The stylesheet, UTF-8 encoded.
    """
    rules = (f".fa-rotate-{n}{{transform:rotate({n}deg)}}" for n in range(1, 360))
    return "\n".join(rules).encode()


def synthetic_asset(url: str, node_modules: Path = NODE_MODULES) -> Asset | None:
    """Return a generated response for URLs that no npm package serves.

    Parameters
    ----------
    url : str
        The requested URL.
    node_modules : Path, optional
        The installed packages, :data:`NODE_MODULES` by default.

    Returns
    -------
    Asset or None
        A grey tile for tile URLs, a generated stylesheet for folium's
        glyphicons and rotate CSS, else None.
    """
    stripped = _strip_url(url)
    if stripped == GLYPHICONS_CSS_URL:
        if not (node_modules / "bootstrap3" / "dist" / "css" / "bootstrap.css").is_file():
            return None
        return Asset(glyphicons_css(node_modules), content_type_for(".css"), "generated")
    if stripped == ROTATE_CSS_URL:
        return Asset(rotate_css(), content_type_for(".css"), "generated")
    if is_tile_url(url):
        return Asset(tile_png(), "image/png", "tile")
    return None


@functools.cache
def _read_bytes(path: Path) -> bytes:
    """Read a file once per test session (embed-amd.js alone is 3.6 MB)."""
    return path.read_bytes()


def resolve_url(url: str, node_modules: Path = NODE_MODULES) -> Asset | None:
    """Answer an external request: npm file, generated file or tile.

    Parameters
    ----------
    url : str
        The requested URL.
    node_modules : Path, optional
        The installed packages, :data:`NODE_MODULES` by default.

    Returns
    -------
    Asset or None
        The response, or None if the URL is unmapped (the test should fail).
    """
    path = map_url_to_file(url, node_modules)
    if path is not None:
        return Asset(_read_bytes(path), content_type_for(path), str(path.relative_to(HERE)))
    return synthetic_asset(url, node_modules)


def is_local_url(url: str) -> bool:
    """Tell whether a request stays on this machine (loopback, file:, data:, blob:)."""
    parts = urlsplit(url)
    if parts.scheme in {"file", "data", "blob", "about"}:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


# --------------------------------------------------------------------------
# Setup checks
# --------------------------------------------------------------------------


def asset_problems(node_modules: Path = NODE_MODULES) -> list[str]:
    """List problems with the npm assets, each with how to fix it.

    Parameters
    ----------
    node_modules : Path, optional
        The installed packages; their ``.package-lock.json`` must match the
        committed ``package-lock.json`` (same check as ``install_assets.sh``).

    Returns
    -------
    list of str
        Empty when the assets are installed and current.
    """
    lock = node_modules.parent / "package-lock.json"
    installed_lock = node_modules / ".package-lock.json"
    if not installed_lock.is_file():
        return [f"npm assets not installed in {node_modules}: run `{INSTALL_SCRIPT}`."]
    if _lock_packages(lock) != _lock_packages(installed_lock):
        return [f"npm assets in {node_modules} do not match {lock.name}: run `{INSTALL_SCRIPT}`."]
    return []


def setup_problems(node_modules: Path = NODE_MODULES, executable: Path = CHROMIUM) -> list[str]:
    """List what is missing for the browser harness to run, each with how to fix it.

    Parameters
    ----------
    node_modules : Path, optional
        The installed packages (see :func:`asset_problems`).
    executable : Path, optional
        The Chromium binary.

    Returns
    -------
    list of str
        Empty when everything is in place.
    """
    problems = []
    if not executable.is_file():
        problems.append(
            f"Chromium not found at {executable}: run `apt-get update && apt-get install -y "
            "chromium` (never `playwright install`, which downloads a browser)."
        )
    return problems + asset_problems(node_modules)


def _lock_packages(lock: Path) -> dict[str, Any]:
    """Return the ``packages`` of an npm lock file, without the root project entry."""
    packages = dict(json.loads(lock.read_text(encoding="utf-8")).get("packages", {}))
    packages.pop("", None)
    return packages


# --------------------------------------------------------------------------
# Local HTTP server
# --------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that logs nothing and never caches."""

    def log_message(self, format: str, *args: Any) -> None:
        """Drop the access log line."""

    def end_headers(self) -> None:
        """Send ``Cache-Control: no-store`` so rebuilt pages are always reloaded."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore a browser closing a connection early (no traceback on stderr)."""


class LocalServer:
    """Serve a directory over HTTP on ``127.0.0.1`` from a background thread.

    Parameters
    ----------
    directory : Path
        The directory to serve.

    Examples
    --------
    >>> with LocalServer(tmp_path) as server:  # doctest: +SKIP
    ...     server.url("map.html")
    'http://127.0.0.1:41234/map.html'
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> LocalServer:
        """Bind a free port and start serving; return self."""
        handler = functools.partial(_QuietHandler, directory=str(self.directory))
        self._server = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="offline-http", daemon=True)
        self._thread.start()
        return self

    @property
    def port(self) -> int:
        """The bound port."""
        if self._server is None:
            raise RuntimeError("LocalServer is not started")
        return int(self._server.server_address[1])

    def url(self, path: str = "") -> str:
        """Return the URL of `path` (relative to the served directory)."""
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def close(self) -> None:
        """Stop serving and release the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------


@dataclass
class OfflinePage:
    """A Chromium page whose external requests are answered locally.

    Create it with :meth:`OfflineBrowser.new_page`. Every request to a host
    other than the loopback is intercepted: answered from :func:`resolve_url`
    with status 200 (and ``Access-Control-Allow-Origin: *``, as CDNs send,
    so cross-origin fonts and modules load) or, if unmapped, recorded in
    :attr:`unmapped` and aborted.

    Attributes
    ----------
    page : playwright.sync_api.Page
        The Playwright page, for locators and ``evaluate``.
    unmapped : list of str
        External URLs that no rule answered.
    page_errors : list of str
        Uncaught exceptions in the page.
    console_errors : list of str
        Console messages of type ``error``.
    failed_requests : list of str
        Other requests that failed (``url: reason``) or got an HTTP error status.
    served : dict of str to str
        Every answered external URL and where its body came from.
    """

    page: Page
    node_modules: Path = NODE_MODULES
    artifacts_dir: Path = ARTIFACTS_DIR
    unmapped: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    served: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.page.route("**/*", self._handle_route)
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("console", self._on_console)
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("response", self._on_response)

    # -- event handlers ----------------------------------------------------
    def _handle_route(self, route: Route) -> None:
        url = route.request.url
        if is_local_url(url):
            route.continue_()
            return
        asset = resolve_url(url, self.node_modules)
        if asset is None:
            self.unmapped.append(url)
            route.abort("blockedbyclient")
            return
        self.served[url] = asset.source
        route.fulfill(
            status=200,
            body=asset.body,
            headers={
                "Content-Type": asset.content_type,
                "Access-Control-Allow-Origin": "*",
            },
        )

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location or {}
            where = f" ({location.get('url', '')}:{location.get('lineNumber', '')})"
            self.console_errors.append(message.text + (where if location.get("url") else ""))

    def _on_request_failed(self, request: Request) -> None:
        if request.url not in self.unmapped:
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.url}: HTTP {response.status}")

    # -- API -----------------------------------------------------------------
    @property
    def tile_urls(self) -> list[str]:
        """External URLs answered with the generated tile."""
        return [url for url, source in self.served.items() if source == "tile"]

    def goto(self, url: str, *, wait_until: LoadState = "networkidle", timeout_ms: float = 15_000) -> None:
        """Open `url` and wait until the network has been idle for 500 ms.

        Parameters
        ----------
        url : str
            Usually :meth:`LocalServer.url`.
        wait_until : str, optional
            Playwright load state: ``"load"``, ``"domcontentloaded"`` or
            ``"networkidle"`` (default).
        timeout_ms : float, optional
            Navigation timeout in milliseconds.
        """
        self.page.goto(url, wait_until=wait_until, timeout=timeout_ms)

    def problems(self) -> list[str]:
        """Return every recorded problem as a readable line (empty if clean)."""
        groups = (
            ("unmapped external request", self.unmapped),
            ("page error", self.page_errors),
            ("console error", self.console_errors),
            ("failed request", self.failed_requests),
        )
        return [f"{label}: {item}" for label, items in groups for item in items]

    def assert_clean(self) -> None:
        """Fail unless the page made no unmapped request and logged no error.

        Raises
        ------
        AssertionError
            Listing unmapped URLs, page errors, console errors and failed
            requests. To serve a new URL, add an exact-version npm package to
            ``tests/browser/package.json`` or a rule to this module.
        """
        problems = self.problems()
        if problems:
            listing = "\n  ".join(problems)
            raise AssertionError(f"page was not clean ({len(problems)} problems):\n  {listing}")

    def screenshot(self, name: str, *, full_page: bool = False) -> Path:
        """Save a PNG screenshot to :data:`ARTIFACTS_DIR` and return its path.

        Parameters
        ----------
        name : str
            File name without extension.
        full_page : bool, optional
            Capture the whole scrollable page instead of the viewport.

        Returns
        -------
        Path
            The written file.
        """
        self.artifacts_dir.mkdir(parents=True, exist_ok=True)
        path = self.artifacts_dir / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        """Close the page and its browser context."""
        context = self.page.context
        self.page.close()
        context.close()

    def __enter__(self) -> OfflinePage:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class OfflineBrowser:
    """Headless Debian Chromium driven by Playwright's sync API, fully offline.

    Parameters
    ----------
    executable : Path, optional
        Chromium binary, :data:`CHROMIUM` by default.
    node_modules : Path, optional
        The installed npm assets, :data:`NODE_MODULES` by default.
    artifacts_dir : Path, optional
        Where screenshots go, :data:`ARTIFACTS_DIR` by default.
    viewport : tuple of int, optional
        Page width and height in CSS pixels.

    Raises
    ------
    HarnessSetupError
        From :meth:`start`, if Chromium or the npm assets are missing or stale.

    Examples
    --------
    >>> with OfflineBrowser() as browser, browser.new_page() as page:  # doctest: +SKIP
    ...     page.goto(url)
    ...     page.assert_clean()
    """

    def __init__(
        self,
        executable: Path = CHROMIUM,
        node_modules: Path = NODE_MODULES,
        artifacts_dir: Path = ARTIFACTS_DIR,
        viewport: tuple[int, int] = (1024, 768),
    ) -> None:
        self.executable = Path(executable)
        self.node_modules = Path(node_modules)
        self.artifacts_dir = Path(artifacts_dir)
        self.viewport = viewport
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def start(self) -> OfflineBrowser:
        """Check the setup and launch Chromium; return self."""
        problems = setup_problems(self.node_modules, self.executable)
        if problems:
            raise HarnessSetupError("\n".join([*problems, INSTALL_HINT]))
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(self.executable), headless=True, args=list(CHROMIUM_ARGS)
            )
        except BaseException:
            self._playwright.stop()
            self._playwright = None
            raise
        return self

    def new_page(self) -> OfflinePage:
        """Open a page in a fresh browser context, with routing and recording set up."""
        if self._browser is None:
            raise RuntimeError("OfflineBrowser is not started")
        width, height = self.viewport
        context: BrowserContext = self._browser.new_context(viewport={"width": width, "height": height})
        return OfflinePage(context.new_page(), self.node_modules, self.artifacts_dir)

    def close(self) -> None:
        """Close Chromium and stop Playwright."""
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None

    def __enter__(self) -> OfflineBrowser:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
