"""Every map leaves a picture where the live map cannot run (GitHub), drawn from the map's own layers."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from PIL import Image

from kzviz import maps
from kzviz.collection import collection_notebooks, read_notebook
from kzviz.maps.picture import (
    SEA_COLOUR,
    legend_sections,
    map_description,
    map_picture_html,
    map_picture_png,
    map_view,
    shown_layers,
)
from tests.conftest import COLLECTION_DIR

GITHUB_MAX_BYTES = 2_000_000
"""GitHub renders notebook previews "generally less than 2 MB"."""

PICTURE_MAX_BYTES = 150_000
"""The issue's guide for one map picture."""

NOTEBOOK_MAPS: dict[str, Callable[[dict[str, Any]], maps.KzMap]] = {
    "00 atlas 2022": lambda f: maps.atlas(**f, year=2022),
    "01 routes 2000": lambda f: maps.pipeline_map(f["pipelines"], f["sites"], year=2000, outlines=f["outlines"]),
    "01 routes 2022": lambda f: maps.pipeline_map(f["pipelines"], f["sites"], year=2022, outlines=f["outlines"]),
    "02 corridors 2012": lambda f: maps.corridor_map(f["corridors"], f["nodes"], year=2012, outlines=f["outlines"]),
    "02 corridors 2022": lambda f: maps.corridor_map(f["corridors"], f["nodes"], year=2022, outlines=f["outlines"]),
    "03 summits 2022": lambda f: maps.summit_map(f["events"], year=2022, outlines=f["outlines"]),
    "03 summits 1999": lambda f: maps.summit_map(f["events"], year=1999, outlines=f["outlines"]),
    "04 timeline 2006": lambda f: maps.timeline_map(**f, year=2006),
}
"""The maps the notebooks show, with the outlines drawn beneath."""


class GitHubView(HTMLParser):
    """What GitHub keeps of a notebook's HTML output: no iframe, script or style elements, no style attributes."""

    DROPPED = frozenset({"iframe", "script", "style"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.images: list[dict[str, str]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.DROPPED:
            self.depth += 1
        elif not self.depth and tag == "img":
            self.images.append({name: value or "" for name, value in attrs if name not in ("style", "id")})

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.DROPPED:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.DROPPED and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.chunks.append(data)


def picture_problems(html: str) -> list[str]:
    """Return what is wrong with a map output as GitHub shows it (empty if a picture with alt text remains)."""
    view = GitHubView(html)
    problems = []
    pictures = [img for img in view.images if img.get("src", "").startswith("data:image/png;base64,")]
    if not pictures:
        problems.append(f"no <img> with a PNG data: URI remains; the reader sees only {view.text[:80]!r}")
    for img in pictures:
        png = base64.b64decode(img["src"].split(",", 1)[1], validate=True)
        if not png.startswith(b"\x89PNG\r\n\x1a\n"):
            problems.append("the picture is not a PNG")
        if len(png) > PICTURE_MAX_BYTES:
            problems.append(f"the picture is {len(png):,} bytes (guide {PICTURE_MAX_BYTES:,})")
        if len(img.get("alt", "").strip()) < 40:
            problems.append(f"the picture's alt text says too little: {img.get('alt')!r}")
    if "Trust" in view.text:
        problems.append(f"the output still tells GitHub readers to trust the notebook: {view.text[:120]!r}")
    if "interactive map" not in view.text:
        problems.append("no line says where the interactive map is")
    return problems


def map_outputs(nb: Any) -> list[tuple[int, str]]:
    """Return (cell index, text/html) of every output that holds a live map (an iframe)."""
    found = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            if "<iframe" in html:
                found.append((i, html))
    return found


# ---------------------------------------------------------------------------
# The picture
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NOTEBOOK_MAPS))
def test_picture_is_small_deterministic_and_leaves_github_a_picture(frames: dict[str, Any], name: str) -> None:
    first = map_picture_png(NOTEBOOK_MAPS[name](frames))
    assert map_picture_png(NOTEBOOK_MAPS[name](frames)) == first  # same bytes from a fresh build
    assert len(first) <= PICTURE_MAX_BYTES
    image = Image.open(io.BytesIO(first))
    assert image.format == "PNG"
    assert image.width == map_view(NOTEBOOK_MAPS[name](frames)).width
    assert picture_problems(NOTEBOOK_MAPS[name](frames)._repr_html_()) == []


def test_the_readers_matplotlib_settings_do_not_change_the_picture(frames: dict[str, Any]) -> None:
    import matplotlib as mpl

    expected = map_picture_png(NOTEBOOK_MAPS["03 summits 2022"](frames))
    settings = {
        "path.sketch": (1.0, 100.0, 2.0),  # what plt.xkcd() sets
        "lines.scale_dashes": True,
        "font.style": "italic",
        "patch.force_edgecolor": True,
        "lines.linewidth": 9.0,
        "font.size": 30.0,
    }
    with mpl.rc_context(settings):
        assert map_picture_png(NOTEBOOK_MAPS["03 summits 2022"](frames)) == expected
    assert mpl.rcParams["lines.scale_dashes"] is True  # the picture leaves the reader's settings alone


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour for _, colour in image.getcolors(1 << 24) or []}


def _near(colours: set[tuple[int, int, int]], hex_colour: str, tolerance: int = 6) -> bool:
    target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return any(sum(abs(a - b) for a, b in zip(c, target, strict=True)) <= tolerance for c in colours)


def _one_layer_map(colour: str, *, show: bool, geometry: dict[str, Any], style: dict[str, Any]) -> maps.KzMap:
    m = maps.KzMap(title="Test map", year=2000)
    feature = {"type": "Feature", "geometry": geometry, "properties": {"style": {"color": colour, **style}}}
    maps.Overlay("Test layer", [feature], show=show).add_to(m)
    return m


LINE = {"type": "LineString", "coordinates": [[50.0, 46.0], [65.0, 46.0]]}
POINT = {"type": "Point", "coordinates": [57.5, 46.0]}


@pytest.mark.parametrize(
    ("geometry", "style"),
    [(LINE, {"weight": 8}), (POINT, {"radius": 12, "fillColor": "#CC79A7", "fillOpacity": 1.0})],
)
def test_the_picture_draws_shown_layers_in_their_style_and_not_hidden_ones(
    geometry: dict[str, Any], style: dict[str, Any]
) -> None:
    shown = _colours(map_picture_png(_one_layer_map("#D55E00", show=True, geometry=geometry, style=style)))
    hidden = _colours(map_picture_png(_one_layer_map("#D55E00", show=False, geometry=geometry, style=style)))
    assert _near(shown, "#D55E00")
    assert not _near(hidden, "#D55E00")
    assert _near(shown, SEA_COLOUR)  # no outlines on this map: the sea shows
    assert _near(shown, "#CC79A7") == ("fillColor" in style)


def test_the_timeline_picture_shows_the_year_the_map_opens_with(frames: dict[str, Any]) -> None:
    events = frames["events"]
    for year in (1995, 2006, 2022):
        (layer,) = [layer for layer in shown_layers(maps.timeline_map(**frames, year=year)) if layer.name == "Events"]
        assert len(layer.features) == int((events["year"] <= year).sum())
    early = maps.timeline_map(**frames, year=1995)
    routes = next(layer for layer in shown_layers(early) if layer.name == "Export routes")
    drawn = {f["properties"]["route"] for f in routes.features}
    pipelines = frames["pipelines"]
    assert "cpc" in drawn  # announced by 1995
    assert drawn == set(
        pipelines.loc[pipelines[["announced_year", "construction_start_year", "first_year"]].min(axis=1) <= 1995, "id"]
    )
    assert map_picture_png(early) != map_picture_png(maps.timeline_map(**frames, year=2022))
    assert "1991–2022: routes, corridors and events, as shown for 1995. Static picture" in map_description(early)


def test_the_picture_carries_the_legend(frames: dict[str, Any]) -> None:
    sections = legend_sections(maps.atlas(**frames))
    headings = [section.heading for section in sections]
    assert "Export routes: width shows capacity" in headings
    labels = {row.label: row for section in sections for row in section.rows}
    assert labels["rail corridor"].shape == "path"
    assert labels["rail corridor"].attributes["d"] == "M2 8H36"
    assert labels["China (routes to China)"].attributes["stroke"] == "#CC79A7"
    dry_port = next(row for label, row in labels.items() if label.startswith("dry port"))
    assert dry_port.shape == "path"
    assert "fill" in dry_port.attributes


def test_alt_text_describes_the_map_and_is_escaped(frames: dict[str, Any]) -> None:
    m = maps.pipeline_map(frames["pipelines"], frames["sites"], year=2000, outlines=frames["outlines"])
    description = map_description(m)
    assert description.startswith("Oil and gas export routes in 2000. ")
    assert "Export routes (5)" in description
    assert "over country outlines" in description
    img = GitHubView(map_picture_html(m)).images[0]
    assert img["alt"] == description
    hostile = map_picture_html(m, alt='<script>alert("x")</script> & more')
    assert 'alt="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"' in hostile
    assert "<script>" not in hostile


# ---------------------------------------------------------------------------
# The notebook output: live map on top, picture beneath
# ---------------------------------------------------------------------------


def test_notebook_output_layers_the_titled_live_map_over_the_picture(frames: dict[str, Any]) -> None:
    m = maps.corridor_map(frames["corridors"], frames["nodes"], year=2022, outlines=frames["outlines"])
    html = m._repr_html_()
    assert (
        html
        == maps.corridor_map(frames["corridors"], frames["nodes"], year=2022, outlines=frames["outlines"])._repr_html_()
    )
    assert html.index("<img ") < html.index("<iframe ")  # the iframe comes later: drawn on top
    assert '<iframe title="Belt and Road corridors through Kazakhstan in 2022"' in html
    assert "&lt;title&gt;Belt and Road corridors through Kazakhstan in 2022&lt;/title&gt;" in html
    assert "Make this Notebook Trusted" not in html
    assert picture_problems(html) == []


# ---------------------------------------------------------------------------
# The notebooks: every map output leaves a picture; every notebook fits GitHub
# ---------------------------------------------------------------------------

NOTEBOOKS = collection_notebooks(COLLECTION_DIR)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_stored_map_outputs_leave_a_picture_on_github(path: Any) -> None:
    problems = [f"cell {i}: {p}" for i, html in map_outputs(read_notebook(path)) for p in picture_problems(html)]
    assert problems == [], f"{path.name}: {problems}. Refresh it with `python -m kzviz build --only {path.name[:2]}`."
    assert path.stat().st_size <= GITHUB_MAX_BYTES


@pytest.mark.notebooks
@pytest.mark.parametrize("name", [path.name for path in NOTEBOOKS])
def test_fresh_map_outputs_leave_a_picture_on_github(collection_runs: dict[str, Any], name: str) -> None:
    nb = collection_runs[name]
    if isinstance(nb, BaseException):
        raise nb
    outputs = map_outputs(nb)
    assert outputs or name.startswith("05")  # every notebook but the figures one shows a map
    assert [f"cell {i}: {p}" for i, html in outputs for p in picture_problems(html)] == []


def widget_cells_without_picture(nb: Any) -> list[int]:
    """Return the cells that show a widget (blank on GitHub) but no picture output beside it."""
    missing = []
    for i, cell in enumerate(nb.cells):
        outputs = [output.get("data", {}) for output in cell.get("outputs", [])]
        if not any("application/vnd.jupyter.widget-view+json" in data for data in outputs):
            continue
        pictures = []
        for data in outputs:
            if "application/vnd.jupyter.widget-view+json" in data:
                continue  # GitHub shows this output as a blank
            html = data.get("text/html", "")
            view = GitHubView("".join(html) if isinstance(html, list) else html)
            pictures += [
                img
                for img in view.images
                if img.get("src", "").startswith("data:image/png;base64,") and len(img.get("alt", "")) >= 40
            ]
        if not pictures:
            missing.append(i)
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.name for path in NOTEBOOKS])
def test_stored_widget_outputs_leave_a_picture_on_github(path: Any) -> None:
    assert widget_cells_without_picture(read_notebook(path)) == []


def test_an_explorer_shown_alone_also_shows_its_picture(frames: dict[str, Any]) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    from kzviz.timeline import STATIC_PICTURE_CLASS, TimelineExplorer

    explorer = TimelineExplorer(**frames, year=2005)
    published: list[dict[str, Any]] = []
    shell = InteractiveShell.instance()
    original = shell.display_pub.publish
    shell.display_pub.publish = lambda data, **kwargs: published.append(data)
    try:
        explorer._ipython_display_()
    finally:
        shell.display_pub.publish = original
        InteractiveShell.clear_instance()
    assert "application/vnd.jupyter.widget-view+json" in published[0]
    assert STATIC_PICTURE_CLASS in published[1]["text/html"]
    nb = {"cells": [{"outputs": [{"data": data} for data in published]}]}
    assert widget_cells_without_picture(type("NB", (), {"cells": nb["cells"]})()) == []
    assert f".{STATIC_PICTURE_CLASS} {{display: none;}}" in explorer.map.value  # hidden where the widget renders
