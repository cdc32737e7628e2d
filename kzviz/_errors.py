"""Exceptions raised by kzviz."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one value in one data file.

    Parameters
    ----------
    file : str
        Name of the file (or source label) the value came from.
    where : str
        The record: ``"row 17 (id 'ev-2013-x')"`` or ``"feature 3 (id 'cpc')"``.
    field : str
        The column or property, or ``"geometry"``.
    message : str
        What is wrong, phrased to follow the field name.
    value : object
        The offending value, shown with ``repr``.
    """

    file: str
    where: str
    field: str
    message: str
    value: object

    def __str__(self) -> str:
        return f"{self.file} {self.where}: {self.field!r} {self.message}, got {self.value!r}"


class DataError(ValueError):
    """A data file failed validation.

    The message lists every problem found, one per line, so one run shows
    everything that needs fixing.

    Parameters
    ----------
    problems : list of Problem
        Every problem found. Must not be empty.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines = [f"{len(self.problems)} {noun} found:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))
