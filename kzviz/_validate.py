"""Field parsers and record checks used by the loaders.

Each parser turns one raw value (a CSV cell or a GeoJSON property) into a
typed value or raises :class:`Invalid` with a short reason. The
:class:`RecordChecker` applies a schema to many records and collects every
problem instead of stopping at the first one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kzviz._errors import Problem

MISSING = ("", None)


class Invalid(Exception):  # noqa: N818 - reads as "raise Invalid(reason)"
    """Raised by a parser; the message completes "<field> ..."."""


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Field:
    """One column or property of a dataset.

    Parameters
    ----------
    name : str
        Column or property name.
    parse : callable
        Turns the raw value into a typed one or raises :class:`Invalid`.
    required : bool
        Whether an empty value is a problem. Optional fields become ``None``.
    dtype : str
        pandas dtype of the loaded column: ``"string"``, ``"Int64"``,
        ``"float64"``, ``"bool"``, ``"category"`` or ``"object"`` (tuples).
    categories : sequence of str, optional
        The allowed values, in display order, for ``dtype="category"``.
    """

    name: str
    parse: Parser
    required: bool = True
    dtype: str = "string"
    categories: Sequence[str] | None = None


def enum_field(name: str, options: Sequence[str], *, required: bool = True) -> Field:
    """Return a categorical field that accepts one value from `options`."""
    return Field(name, choice(options), required, "category", options)


def is_missing(value: object) -> bool:
    """Return True for an empty CSV cell, a JSON null or a float NaN."""
    if isinstance(value, float) and math.isnan(value):
        return True
    return value in MISSING


def text(value: Any) -> str:
    """Parse non-blank text."""
    if not isinstance(value, str):
        raise Invalid("must be text")
    if not value.strip():
        raise Invalid("must not be blank")
    if value != value.strip():
        raise Invalid("must not start or end with whitespace")
    return value


_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug(value: Any) -> str:
    """Parse an identifier made of lowercase letters, digits and hyphens."""
    if not isinstance(value, str) or not _SLUG.match(value):
        raise Invalid("must be lowercase letters, digits and single hyphens")
    return value


def choice(options: Sequence[str]) -> Parser:
    """Return a parser accepting one value from `options`."""

    def parse(value: Any) -> str:
        if value not in options:
            raise Invalid(f"must be one of {', '.join(options)}")
        return str(value)

    return parse


def choices(options: Sequence[str], sep: str = ";") -> Parser:
    """Return a parser for a `sep`-separated, non-empty, duplicate-free list."""

    def parse(value: Any) -> tuple[str, ...]:
        if not isinstance(value, str):
            raise Invalid(f"must be {sep!r}-separated text")
        items = value.split(sep)
        bad = [item for item in items if item not in options]
        if bad:
            raise Invalid(f"has unknown value(s) {bad}; allowed: {', '.join(options)}")
        if len(set(items)) != len(items):
            raise Invalid("repeats a value")
        return tuple(items)

    return parse


def integer(low: int, high: int) -> Parser:
    """Return a parser for a whole number between `low` and `high` inclusive."""

    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise Invalid("must be a whole number")
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            value = int(value)
        if not isinstance(value, int):
            raise Invalid("must be a whole number")
        if not low <= value <= high:
            raise Invalid(f"must be between {low} and {high}")
        return value

    return parse


def number(low: float, high: float, *, exclusive_low: bool = False) -> Parser:
    """Return a parser for a finite number in ``[low, high]`` (or ``(low, high]``)."""

    def parse(value: Any) -> float:
        if isinstance(value, bool):
            raise Invalid("must be a number")
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise Invalid("must be a number") from None
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise Invalid("must be a finite number")
        too_low = value <= low if exclusive_low else value < low
        if too_low or value > high:
            bracket = "(" if exclusive_low else "["
            raise Invalid(f"must be in {bracket}{low}, {high}]")
        return float(value)

    return parse


def flag(value: Any) -> bool:
    """Parse a boolean (JSON true/false or CSV ``true``/``false``)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return bool(value == "true")
    raise Invalid("must be true or false")


def url(value: Any) -> str:
    """Parse an absolute http(s) URL with a host and no whitespace."""
    if not isinstance(value, str) or any(ch.isspace() for ch in value):
        raise Invalid("must be an http(s) URL without spaces")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc:
        raise Invalid("must be an absolute http(s) URL")
    return value


def list_of(item: Parser, *, min_items: int = 1) -> Parser:
    """Return a parser for a JSON list whose items all pass `item`."""

    def parse(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list) or len(value) < min_items:
            raise Invalid(f"must be a list of at least {min_items} item(s)")
        out = []
        for i, entry in enumerate(value):
            try:
                out.append(item(entry))
            except Invalid as exc:
                raise Invalid(f"item {i} {exc}") from None
        return tuple(out)

    return parse


def parse_date(value: str, precision: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day covered by a date of a given precision.

    Parameters
    ----------
    value : str
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.
    precision : {"day", "month", "year"}
        The precision the value must have.

    Returns
    -------
    tuple of datetime.date
        First and last day of the period the date stands for.

    Raises
    ------
    Invalid
        If the text is not a real date of that precision.
    """
    forms = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
    if not isinstance(value, str) or not re.fullmatch(forms[precision], value):
        shape = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}[precision]
        raise Invalid(f"must be {shape} to match date_precision {precision!r}")
    parts = [int(p) for p in value.split("-")]
    try:
        if precision == "day":
            day = dt.date(*parts)
            return day, day
        if precision == "month":
            year, month = parts
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    except ValueError:
        raise Invalid("is not a real calendar date") from None


@dataclass
class RecordChecker:
    """Apply a schema to records and collect every problem.

    Parameters
    ----------
    file : str
        File name used in problem messages.
    fields : sequence of Field
        The schema.
    """

    file: str
    fields: Sequence[Field]
    problems: list[Problem] = field(default_factory=list)

    def add(self, where: str, field_name: str, message: str, value: object) -> None:
        """Record one problem."""
        self.problems.append(Problem(self.file, where, field_name, message, value))

    def missing_columns(self, columns: Iterable[str], where: str = "header") -> list[str]:
        """Record required columns absent from `columns` and return their names."""
        present = set(columns)
        absent = [f.name for f in self.fields if f.name not in present]
        for name in absent:
            self.add(where, name, "is a required column but is missing", sorted(present))
        return absent

    def parse(self, where: str, record: Mapping[str, Any]) -> dict[str, Any]:
        """Parse one record; problems are recorded and their fields set to None."""
        out: dict[str, Any] = {}
        for spec in self.fields:
            raw = record.get(spec.name)
            if is_missing(raw):
                if spec.required:
                    self.add(where, spec.name, "is required", raw)
                out[spec.name] = None
                continue
            try:
                out[spec.name] = spec.parse(raw)
            except Invalid as exc:
                self.add(where, spec.name, str(exc), raw)
                out[spec.name] = None
        return out

    def unique(self, label: Callable[[int], str], name: str, values: Sequence[object]) -> None:
        """Record every repeat of a value that must be unique."""
        seen: dict[object, int] = {}
        for i, value in enumerate(values):
            if value is None:
                continue
            if value in seen:
                first = label(seen[value])
                self.add(label(i), name, f"repeats the value of {first}", value)
            else:
                seen[value] = i

    def year_order(self, where: str, record: Mapping[str, Any], names: Sequence[str]) -> None:
        """Record a problem if the given year fields are not in non-decreasing order."""
        years = [(n, record.get(n)) for n in names if record.get(n) is not None]
        for (name_a, a), (name_b, b) in itertools.pairwise(years):
            if a is not None and b is not None and a > b:
                self.add(where, name_b, f"must not be before {name_a} ({a})", b)


def check_point(checker: RecordChecker, where: str, lat: float | None, lon: float | None) -> None:
    """Record a problem for the null island (0, 0), a sure sign of a missing geocode."""
    if lat == 0.0 and lon == 0.0:
        checker.add(where, "lat/lon", "is 0,0, which is not a place in this story", (lat, lon))
