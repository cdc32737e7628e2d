"""Text from the data never reaches a template engine as template source.

Every text field and every URL field of every dataset gets a template
payload; the files are loaded through the public loaders and drawn through
every builder, both charts, the timeline explorer and the site export. Each
payload must come out literally, nothing may be evaluated, and the payload
that would create a file must not create it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

import kzviz
from kzviz import charts, datasets
from kzviz._validate import text, url
from kzviz.maps import atlas, corridor_map, map_html, pipeline_map, summit_map, timeline_map

PWNED = "kzpwned"
"""File the ``file`` payload creates in the working directory if it is ever evaluated."""

PAYLOADS: dict[str, tuple[str, tuple[str, ...]]] = {
    # name: (payload, what it would turn into if evaluated)
    "expression": ("KZ{{ 7*7 }}KZ", ("KZ49KZ",)),
    "statement": ("KZ{% if true %}IF{% endif %}KZ", ("KZIFKZ",)),
    "comment": ("KZ{# hidden #}KZ", ("KZKZ",)),
    "raw_block": ("KZ{% raw %}RAW{% endraw %}KZ", ("KZRAWKZ",)),
    "unbalanced_expression": ("KZ{{ unclosed KZ", ()),
    "unbalanced_statement": ("KZ{% unclosed KZ", ()),
    "unbalanced_comment": ("Treaty (see note {#3})", ()),
    "closers_only": ("KZ }} %} #} KZ", ()),
    "braced_name": ("Talks on {{Minsk}} format", ("Talks on  format",)),
    "creates_a_file": (f"KZ{{{{lipsum.__globals__.os.open(dict({PWNED}=1)|first,65)}}}}KZ", ()),
}

COUNTS_ONLY = {"events_per_year", "explorer chart"}
"""Surfaces that draw counts and no text from the data."""

LIST_OF_TEXT = ("places",)
LIST_OF_URLS = ("sources",)

SCHEMAS = {
    "events.csv": datasets.EVENT_FIELDS,
    "figures.csv": datasets.FIGURE_FIELDS,
    "energy_sites.csv": datasets.ENERGY_SITE_FIELDS,
    "corridor_nodes.csv": datasets.CORRIDOR_NODE_FIELDS,
    "pipelines.geojson": datasets.PIPELINE_FIELDS,
    "corridors.geojson": datasets.CORRIDOR_FIELDS,
}


def _in_url(payload: str) -> str:
    """Return the payload as a URL path segment (URLs may not hold spaces)."""
    return "".join(payload.split())


def _text_fields(schema: tuple[Any, ...]) -> tuple[list[str], list[str]]:
    """Names of the free-text fields and the URL fields of a schema."""
    texts = [f.name for f in schema if f.parse is text and f.name != "date"]  # a date has its own grammar
    urls = [f.name for f in schema if f.parse is url]
    return texts, urls


def _poison(value: Any, name: str, texts: list[str], urls: list[str], payload: str) -> Any:
    if value in ("", None):
        return value
    if name in texts:
        return f"{value} {payload}"
    if name in urls:
        return f"{value}/{_in_url(payload)}"
    if name in LIST_OF_TEXT:
        return [f"{item} {payload}" for item in value]
    if name in LIST_OF_URLS:
        return [f"{item}/{_in_url(payload)}" for item in value]
    return value


def _write_poisoned(folder: Path, payload: str) -> None:
    """Copy every shipped dataset into `folder` with `payload` in each text and URL field."""
    for name, schema in SCHEMAS.items():
        texts, urls = _text_fields(schema)
        source = kzviz.data_dir() / name
        if name.endswith(".csv"):
            with source.open(newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                header = list(reader.fieldnames or ())
                rows = [{k: _poison(v, k, texts, urls, payload) for k, v in row.items()} for row in reader]
            with (folder / name).open("w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, header, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
        else:
            doc = json.loads(source.read_text(encoding="utf-8"))
            for feature in doc["features"]:
                props = feature["properties"]
                feature["properties"] = {k: _poison(v, k, texts, urls, payload) for k, v in props.items()}
            (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _load(folder: Path) -> dict[str, Any]:
    return {
        "events": kzviz.load_events(folder / "events.csv"),
        "pipelines": kzviz.load_pipelines(folder / "pipelines.geojson"),
        "sites": kzviz.load_energy_sites(folder / "energy_sites.csv"),
        "corridors": kzviz.load_corridors(folder / "corridors.geojson"),
        "nodes": kzviz.load_corridor_nodes(folder / "corridor_nodes.csv"),
        "figures": kzviz.load_figures(folder / "figures.csv"),
    }


def _map_outputs(frames: dict[str, Any], payload: str) -> dict[str, str]:
    own = {  # text a reader passes to a builder is as untrusted as the data
        "tiles": "https://tiles.example.org/{z}/{x}/{y}.png",
        "tiles_attribution": f"Tiles: {payload}",
        "names": {"pipelines": f"Routes {payload}", "events": f"Events {payload}"},
    }
    built = {
        "pipeline_map": pipeline_map(frames["pipelines"], frames["sites"]),
        "corridor_map": corridor_map(frames["corridors"], frames["nodes"]),
        "summit_map": summit_map(frames["events"]),
        "atlas": atlas(**{k: v for k, v in frames.items() if k != "figures"}),
        "timeline_map": timeline_map(**{k: v for k, v in frames.items() if k != "figures"}, year=2005),
        "timeline_map with a reader's settings": timeline_map(
            **{k: v for k, v in frames.items() if k != "figures"}, **own
        ),
    }
    out = {}
    for name, m in built.items():
        out[name] = map_html(m)
        out[f"{name} in a notebook"] = m._repr_html_()
    return out


def _chart_outputs(frames: dict[str, Any]) -> dict[str, str]:
    figures = frames["figures"]
    out = {"events_per_year": charts.events_per_year(frames["events"])._repr_html_()}
    for metric in pd.unique(figures["metric"]):
        out[f"figure_bars {metric}"] = charts.figure_bars(figures, str(metric))._repr_html_()
    return out


def _explorer_outputs(frames: dict[str, Any]) -> dict[str, str]:
    from kzviz.timeline import TimelineExplorer

    explorer = TimelineExplorer(**{k: v for k, v in frames.items() if k != "figures"}, year=2010)
    return {f"explorer {part}": getattr(explorer, part).value for part in ("map", "list", "chart")}


def _site_output(frames: dict[str, Any], folder: Path) -> dict[str, str]:
    from kzviz.site import export_site

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Hostile data\n\nA map drawn from data with template syntax in every text."),
        nbformat.v4.new_code_cell("m", outputs=[]),
    ]
    html = summit_map(frames["events"])._repr_html_()
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "map"})]
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    path = notebooks / "01-hostile.ipynb"
    nbformat.write(nb, path)
    pages = export_site([path], folder / "site")
    return {f"site {page.name}": page.read_text(encoding="utf-8") for page in pages if page.name != "index.html"}


@pytest.mark.parametrize("payload_name", sorted(PAYLOADS))
def test_template_payloads_come_out_literally_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload_name: str
) -> None:
    payload, evaluated = PAYLOADS[payload_name]
    monkeypatch.chdir(tmp_path)
    _write_poisoned(tmp_path, payload)
    frames = _load(tmp_path)
    assert frames["events"]["title"].str.endswith(payload).all()  # the loaders keep the text as written

    outputs = {**_map_outputs(frames, payload), **_chart_outputs(frames), **_explorer_outputs(frames)}
    outputs.update(_site_output(frames, tmp_path))

    assert not (tmp_path / PWNED).exists(), "a payload in the data was evaluated and created a file"
    reader = outputs["timeline_map with a reader's settings"]
    for own in (f"Tiles: {payload}", f"Routes {payload}", f"Events {payload}"):
        assert own in reader, f"the reader's own text {own!r} is not shown literally"
    for surface, html in outputs.items():
        if surface not in COUNTS_ONLY:
            assert payload in html, f"{surface}: the payload is not shown literally"
        for form in evaluated:
            assert form not in html, f"{surface}: the payload was evaluated to {form!r}"


def test_every_surface_is_covered() -> None:
    """The payload test draws every public map builder: a new builder must be added to it."""
    from kzviz import maps

    builders = {name for name in maps.__all__ if name.endswith("_map") or name == "atlas"}
    assert builders == {"pipeline_map", "corridor_map", "summit_map", "atlas", "timeline_map"}


def _elements(element: Any) -> list[Any]:
    out = [element]
    for child in element._children.values():
        out += _elements(child)
    return out


@pytest.mark.parametrize("builder", ["pipeline_map", "corridor_map", "summit_map", "atlas", "timeline_map"])
def test_every_element_of_a_map_renders_literally(frames: dict[str, Any], builder: str) -> None:
    """No element in a kzviz map compiles its output as a template (folium's own included)."""
    from branca.element import MacroElement

    from kzviz import maps
    from kzviz.maps._literal import LiteralMacroElement

    m = getattr(maps, builder)(**{k: frames[k] for k in _BUILDER_FRAMES[builder]})
    maps.map_html(m)  # rendering adds the macro-only children (a layer's addTo call)
    for element in _elements(m):
        if isinstance(element, MacroElement) and not isinstance(element, LiteralMacroElement):
            assert type(element).render is MacroElement.render, f"{type(element).__name__} has its own render"
            assert isinstance(element._parent, LiteralMacroElement), f"{type(element).__name__} is rendered by folium"


_BUILDER_FRAMES = {
    "pipeline_map": ("pipelines", "sites"),
    "corridor_map": ("corridors", "nodes"),
    "summit_map": ("events",),
    "atlas": ("events", "pipelines", "sites", "corridors", "nodes"),
    "timeline_map": ("events", "pipelines", "sites", "corridors", "nodes"),
}


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", chr(0xD800), chr(0xDFFF), "\ufffe"])
def test_text_html_cannot_carry_is_refused_not_written(frames: dict[str, Any], char: str) -> None:
    """A hand-built frame with an unwritable character fails loudly instead of writing broken HTML or SVG."""
    from kzviz import maps

    events = frames["events"].copy()
    events.loc[events.index[0], "title"] = f"Bad {char} title"
    with pytest.raises(ValueError, match="cannot carry"):
        maps.map_html(maps.timeline_map(**{**frames, "events": events}))
    figures = kzviz.load_figures()
    figures.loc[figures.index[0], "source_title"] = f"Bad {char} source"
    with pytest.raises(ValueError, match="cannot carry"):
        charts.figure_bars(figures, str(figures.loc[figures.index[0], "metric"]))
