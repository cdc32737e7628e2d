"""The data layer never imports folium, branca or ipywidgets."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kzviz"
DATA_LAYER = [
    "__init__.py",
    "__main__.py",
    "_errors.py",
    "_readers.py",
    "_validate.py",
    "datasets.py",
    "paths.py",
    "summary.py",
    "vocab.py",
]
FORBIDDEN = {"folium", "branca", "ipywidgets", "IPython"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_data_layer_source_imports_no_view_library() -> None:
    offenders = {name: sorted(_imports(PACKAGE / name) & FORBIDDEN) for name in DATA_LAYER}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_kzviz_loads_no_view_library() -> None:
    code = "import sys, kzviz; kzviz.load_events(); print(sorted(m for m in {'folium','branca','ipywidgets'} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"
