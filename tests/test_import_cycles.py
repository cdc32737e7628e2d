"""No module of kzviz imports itself back, directly or through other modules.

Every import counts, wherever it stands: at the top of a module, inside a
function (a deferred import still closes the circle once it runs) or under
``if TYPE_CHECKING``. The graph is read from the source with :mod:`ast`, so
nothing is imported to draw it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kzviz"


def package_modules(package: Path) -> dict[str, Path]:
    """Map the dotted name of every module under `package` to its file."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """Return the absolute module name of ``from <node.module> import ...`` written in `module`."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_modules(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the modules of the package that `module` imports anywhere in its source.

    ``from a import b`` imports the module ``a.b`` when there is one, and the
    package ``a`` otherwise.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node, path.name == "__init__.py")
            for alias in node.names:
                found.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source)
    return {name for name in found if name in modules and name != module}


def import_cycles(package: Path) -> list[list[str]]:
    """Return every circle of imports in `package`, each as ``[a, b, ..., a]``, once per circle."""
    modules = package_modules(package)
    graph = {name: sorted(imported_modules(name, path, modules)) for name, path in modules.items()}
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(trail: list[str]) -> None:
        for target in graph[trail[-1]]:
            if target in trail:
                cycle = [*trail[trail.index(target) :], target]
                if frozenset(cycle) not in seen:
                    seen.add(frozenset(cycle))
                    cycles.append(cycle)
            elif target > trail[0]:  # each circle is walked from its smallest name only
                walk([*trail, target])

    for name in sorted(graph):
        walk([name])
    return cycles


def test_kzviz_has_no_import_cycle() -> None:
    assert import_cycles(PACKAGE) == []


def write_package(root: Path, files: dict[str, str]) -> Path:
    """Write a package named ``pkg`` under `root` from ``{relative path: source}``; return its folder."""
    for relative, source in {"__init__.py": "", **files}.items():
        path = root / "pkg" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root / "pkg"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # The circle kzviz had: a deferred import one way, a top-level import back.
        (
            {
                "collection.py": "def build():\n    from pkg.site import export\n",
                "site.py": "from pkg.collection import read\n",
            },
            [["pkg.collection", "pkg.site", "pkg.collection"]],
        ),
        # Relative imports, through a subpackage and three modules.
        (
            {
                "a.py": "from .sub import b\n",
                "sub/__init__.py": "",
                "sub/b.py": "from . import c\n",
                "sub/c.py": "from ..a import thing\n",
            },
            [["pkg.a", "pkg.sub.b", "pkg.sub.c", "pkg.a"]],
        ),
        # A package that imports its own submodule is no circle; nor is a chain.
        (
            {
                "__init__.py": "from pkg.maps import build\n",
                "maps/__init__.py": "from pkg.maps.build import x\n",
                "maps/build.py": "import pkg.base\n",
                "base.py": "import os\n",
            },
            [],
        ),
    ],
)
def test_import_cycles_finds_every_circle_and_only_circles(
    tmp_path: Path, files: dict[str, str], expected: list[list[str]]
) -> None:
    assert import_cycles(write_package(tmp_path, files)) == expected
