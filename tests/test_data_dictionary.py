"""data/README.md describes exactly the columns the files have and the loaders check."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from kzviz import datasets

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMAS = {
    "events.csv": datasets.EVENT_FIELDS,
    "pipelines.geojson": datasets.PIPELINE_FIELDS,
    "corridors.geojson": datasets.CORRIDOR_FIELDS,
    "corridor_nodes.csv": datasets.CORRIDOR_NODE_FIELDS,
    "energy_sites.csv": datasets.ENERGY_SITE_FIELDS,
    "figures.csv": datasets.FIGURE_FIELDS,
    "country_outlines.geojson": datasets.COUNTRY_OUTLINE_FIELDS,
}


def documented_columns() -> dict[str, list[tuple[str, str]]]:
    """Return {file: [(column, type), ...]} from the tables in data/README.md."""
    out: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in (DATA / "README.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (\S+\.(?:csv|geojson))$", line)
        if heading:
            current = heading.group(1)
            out[current] = []
        elif line.startswith("#"):
            current = None  # any other heading ends the file's section
        elif current and line.startswith("| ") and not line.startswith(("| column", "| property", "|---")):
            cells = [c.strip() for c in line.strip("|").split("|")]
            out[current].append((cells[0], cells[1]))
    return out


def file_columns(name: str) -> list[str]:
    path = DATA / name
    if name.endswith(".csv"):
        with path.open(newline="", encoding="utf-8") as f:
            return next(csv.reader(f))
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    keys = [list(f["properties"]) for f in features]
    assert all(k == keys[0] for k in keys), f"{name}: features have different property lists"
    return keys[0]


def test_every_data_file_is_documented() -> None:
    shipped = sorted(p.name for p in DATA.iterdir() if p.suffix in (".csv", ".geojson"))
    assert sorted(documented_columns()) == shipped
    assert sorted(SCHEMAS) == shipped


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_dictionary_matches_file_and_schema(name: str) -> None:
    documented = documented_columns()[name]
    columns = [c for c, _ in documented]
    assert columns == file_columns(name)
    assert columns == [f.name for f in SCHEMAS[name]]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_optional_columns_are_marked_optional(name: str) -> None:
    for (column, kind), spec in zip(documented_columns()[name], SCHEMAS[name], strict=True):
        assert ("optional" in kind) == (not spec.required), (name, column, kind)
