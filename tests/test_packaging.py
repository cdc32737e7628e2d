"""Packaging: pyproject and environment.yml agree; the wheel ships the data and py.typed."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

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


def test_runtime_dependencies_are_ranges_not_pins() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"[A-Za-z0-9_.-]+(>=[\d.]+),(<[\d.]+)", _normalise(requirement))
        assert match, f"{requirement!r} must be a range '>=low,<high' (scripts/test_versions.sh tests both ends)"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quoted = re.findall(r"`([a-z]+>=[\d.]+,<[\d.]+)`", readme)
    assert quoted, "README.md quotes no dependency range"
    assert set(quoted) <= set(project["dependencies"])


def test_one_python_floor_everywhere() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floor = project["project"]["requires-python"].removeprefix(">=")
    major, minor = (int(part) for part in floor.split("."))
    assert (major, minor) >= (3, 11), "the tests use tomllib, new in Python 3.11"
    assert sys.version_info >= (major, minor)
    assert project["tool"]["mypy"]["python_version"] == floor
    assert project["tool"]["ruff"]["target-version"] == f"py{major}{minor}"
    assert f"Programming Language :: Python :: {floor}" in project["project"]["classifiers"]
    assert f"  - python>={floor}" in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()
    setup = (ROOT / "scripts" / "_setup.sh").read_text(encoding="utf-8")
    assert f"sys.version_info < ({major}, {minor})" in setup
    assert f"needs Python {floor} or later" in setup
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {floor} or later" in readme
    stated = set(re.findall(r"Python (3\.\d+) or later", readme + setup))
    assert stated == {floor}


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
