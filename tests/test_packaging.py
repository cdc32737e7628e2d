"""Packaging: pyproject and environment.yml agree; the wheel ships the data and py.typed."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent


def _normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower()


def test_environment_yml_pins_the_runtime_dependencies() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_normalise(r) for r in project["dependencies"]}
    lines = (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()
    conda = {_normalise(m.group(1)) for line in lines if (m := re.match(r"^  - ([A-Za-z][^#]*?)\s*$", line))}
    assert runtime <= conda, sorted(runtime - conda)
    names = {re.split(r"[<>=!~]", r)[0] for r in runtime}
    clashes = [c for c in conda if re.split(r"[<>=!~]", c)[0] in names and c not in runtime]
    assert clashes == []
    assert "name: kzviz" in lines
    assert "  - conda-forge" in lines
    assert "      - -e ." in lines


def test_supported_python() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.10"


def test_wheel_ships_data_and_py_typed(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("kzviz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"kzviz/data/{p.name}" for p in (ROOT / "data").iterdir() if p.suffix in (".csv", ".geojson", ".md")}
    assert shipped <= names, sorted(shipped - names)
    assert "kzviz/py.typed" in names
    assert not any("_parts" in n for n in names)
