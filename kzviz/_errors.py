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
        The offending value, shown with ``repr`` (cut after 200 characters in
        the message; the attribute keeps it whole).
    """

    file: str
    where: str
    field: str
    message: str
    value: object

    def __str__(self) -> str:
        where, name, value = _shorten(self.where), _shorten(repr(self.field)), _shorten(repr(self.value))
        return f"{self.file} {where}: {name} {self.message}, got {value}"


MAX_SHOWN = 200
"""Longest text a message shows for one value; longer ones are cut, with their length."""


def _shorten(text: str) -> str:
    """Return `text`, or its start and its length when it is longer than MAX_SHOWN."""
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[: MAX_SHOWN - 40]}... ({len(text)} characters)"


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
