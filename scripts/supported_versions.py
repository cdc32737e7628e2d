"""Print pip requirements for the oldest or the newest runtime that pyproject.toml supports.

``oldest`` pins every runtime dependency to the lower bound of its range
(``folium>=0.17,<0.21`` becomes ``folium==0.17``); ``newest`` repeats the
ranges, for ``pip install --upgrade --upgrade-strategy eager`` to take the
newest release each allows. Both add the test tools the version check needs
(pytest and playwright, with the constraints of the ``test`` extra).

``check oldest`` and ``check newest`` compare what is installed in the
running interpreter with the ranges instead and exit non-zero, naming the
package, if a runtime dependency is outside its range or, for ``oldest``,
not at its lower bound.

Run: ``python scripts/supported_versions.py {oldest,newest}`` or
``python scripts/supported_versions.py check {oldest,newest}``.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("pytest", "playwright")
"""Test tools installed beside the runtime, with their ``test`` extra constraints."""

_REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)\s*(?P<spec>.*)$")


def _project() -> dict[str, object]:
    project: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project


def runtime() -> dict[str, str]:
    """Return each runtime dependency's name and version specifier, from pyproject.toml."""
    out = {}
    for requirement in _project()["dependencies"]:  # type: ignore[attr-defined]
        match = _REQUIREMENT.match(requirement)
        if match is None:
            msg = f"cannot read the requirement {requirement!r}"
            raise ValueError(msg)
        out[match["name"].lower()] = match["spec"].replace(" ", "")
    return out


def lower_bound(spec: str) -> str:
    """Return the ``>=`` version of a specifier such as ``>=0.17,<0.21``."""
    bounds = [part[2:] for part in spec.split(",") if part.startswith(">=")]
    if len(bounds) != 1:
        msg = f"the range {spec!r} needs exactly one '>=' lower bound to test the oldest supported version"
        raise ValueError(msg)
    return bounds[0]


def tools() -> list[str]:
    """Return the requirements of the test tools, as the ``test`` extra writes them."""
    extra = _project()["optional-dependencies"]["test"]  # type: ignore[index]
    return [r for r in extra if _REQUIREMENT.match(r)["name"].lower() in TOOLS]  # type: ignore[index]


def requirements(which: str) -> list[str]:
    """Return the pip requirements for the `which` (``oldest`` or ``newest``) runtime and the test tools."""
    deps = runtime()
    if which == "oldest":
        pins = [f"{name}=={lower_bound(spec)}" for name, spec in deps.items()]
    else:
        pins = [f"{name}{spec}" for name, spec in deps.items()]
    return [*pins, *tools()]


def _release(text: str) -> tuple[int, ...]:
    """Return the numeric release of a version string: ``"2.2.0"`` gives ``(2, 2)``."""
    numbers = [int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3]]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def problems(which: str) -> list[str]:
    """Return what is wrong with the installed runtime for `which`; empty when it matches."""
    found = []
    for name, spec in runtime().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            found.append(f"{name} is not installed")
            continue
        low = lower_bound(spec)
        highs = [part[1:] for part in spec.split(",") if part.startswith("<") and not part.startswith("<=")]
        if _release(installed) < _release(low) or any(_release(installed) >= _release(h) for h in highs):
            found.append(f"{name} {installed} is outside the supported range {spec}")
        elif which == "oldest" and _release(installed) != _release(low):
            found.append(f"{name} {installed} is not the oldest supported version {low}")
    return found


def main(argv: list[str]) -> int:
    """Print requirements, or check the installed runtime (see the module docstring)."""
    if len(argv) == 1 and argv[0] in ("oldest", "newest"):
        print("\n".join(requirements(argv[0])))
        return 0
    if len(argv) == 2 and argv[0] == "check" and argv[1] in ("oldest", "newest"):
        found = problems(argv[1])
        for problem in found:
            print(f"supported_versions: {problem}", file=sys.stderr)
        return 1 if found else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
