"""Field parsers and record checks used by the loaders.

Each parser turns one raw JSON value (a GeoJSON property, or a CSV cell first
read by :func:`from_cell`) into a typed value or raises :class:`Invalid`
with a short reason. Parsers are strict: numbers must be numbers, booleans
booleans, and text must pass :func:`check_text`. The :class:`RecordChecker`
applies a schema to many records and collects every problem instead of
stopping at the first one.
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

MAX_TEXT_LENGTH = 10_000
"""Longest text value (CSV cell or JSON string) any field accepts, in characters."""

MAX_NUMBER_LENGTH = 32
"""Longest number, as written in the file, any field accepts, in characters."""

_INTEGER_TEXT = re.compile(r"-?[0-9]+")
_DECIMAL_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane | 0xFFFE) + chr(plane | 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
_UNSAFE_CHARACTER = re.compile(
    "(?P<control>[\x00-\x1f\x7f-\x9f])|(?P<surrogate>[\ud800-\udfff])"
    f"|(?P<bidi>[\u202a-\u202e\u2066-\u2069])|(?P<noncharacter>[{_NONCHARACTERS}])"
)
_CHARACTER_KIND = {
    "control": "control character",
    "surrogate": "lone surrogate",
    "bidi": "bidirectional control",
    "noncharacter": "noncharacter",
}


class Invalid(Exception):  # noqa: N818 - reads as "raise Invalid(reason)"
    """Raised by a parser; the message completes "<field> ..."."""


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class RawNumber:
    """A number from a JSON file that no Python number holds faithfully.

    The JSON reader keeps ``NaN``, ``Infinity`` and ``-Infinity`` (which
    Python's ``json`` accepts but JSON does not), numbers written in more than
    :data:`MAX_NUMBER_LENGTH` characters, and floats that would overflow to
    infinity or underflow to zero as this object, so that the field's parser
    reports them with their place in the file.

    Parameters
    ----------
    text : str
        The number as written in the file.
    reason : str
        What is wrong, phrased to follow the field name.
    """

    text: str
    reason: str

    def __repr__(self) -> str:
        return self.text


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
        In a CSV file it also says how :func:`from_cell` reads the cell.
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


def is_missing(value: object, *, cells: bool = False) -> bool:
    """Return True for a JSON null or an absent value, or an empty cell when `cells` (CSV) is true.

    In JSON an empty string is blank text, not a missing value; a NaN is
    never missing (the parsers refuse it).
    """
    return value is None or (cells and value == "")


def from_cell(spec: Field, cell: str) -> Any:
    """Read a CSV cell as the JSON value the field's parser takes.

    Parameters
    ----------
    spec : Field
        The column. ``Int64`` cells must be ``-?[0-9]+``, ``float64`` cells
        ``-?[0-9]+(.[0-9]+)?`` (ASCII digits only, no spaces, no exponent, at
        most :data:`MAX_NUMBER_LENGTH` characters) and ``bool`` cells ``true``
        or ``false``. Other cells stay text.
    cell : str
        The cell as found in the file.

    Returns
    -------
    object
        An int, a float, a bool or the text.

    Raises
    ------
    Invalid
        If the cell does not follow its column's grammar.
    """
    short = len(cell) <= MAX_NUMBER_LENGTH
    if spec.dtype == "Int64":
        if not (short and _INTEGER_TEXT.fullmatch(cell)):
            msg = "must be a whole number like 2013: ASCII digits and an optional leading minus"
            raise Invalid(f"{msg}, at most {MAX_NUMBER_LENGTH} characters")
        return int(cell)
    if spec.dtype == "float64":
        if not (short and _DECIMAL_TEXT.fullmatch(cell)):
            msg = "must be a number like 12 or -12.5: ASCII digits, an optional leading minus and decimal point"
            raise Invalid(f"{msg}, at most {MAX_NUMBER_LENGTH} characters")
        return float(cell)
    if spec.dtype == "bool":
        if cell not in ("true", "false"):
            raise Invalid("must be true or false")
        return cell == "true"
    return cell


def check_text(value: str) -> None:
    """Refuse text that is too long or holds characters unsafe to show.

    Parameters
    ----------
    value : str
        Any text value.

    Raises
    ------
    Invalid
        If `value` is longer than :data:`MAX_TEXT_LENGTH` or contains a C0
        or C1 control character (tab and newline included), DEL, a lone
        surrogate, a bidirectional embedding/override/isolate control
        (U+202A-U+202E, U+2066-U+2069) or a Unicode noncharacter.
    """
    if len(value) > MAX_TEXT_LENGTH:
        raise Invalid(f"must be at most {MAX_TEXT_LENGTH} characters long")
    bad = _UNSAFE_CHARACTER.search(value)
    if bad:
        kind = _CHARACTER_KIND[bad.lastgroup or ""]
        raise Invalid(f"must not contain the {kind} U+{ord(bad.group()):04X} (character {bad.start() + 1})")


def text(value: Any) -> str:
    """Parse non-blank text that passes :func:`check_text`."""
    if not isinstance(value, str):
        raise Invalid("must be text")
    check_text(value)
    if not value.strip():
        raise Invalid("must not be blank")
    if value != value.strip():
        raise Invalid("must not start or end with whitespace")
    return value


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug(value: Any) -> str:
    """Parse an identifier made of lowercase letters, digits and hyphens."""
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
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


def _not_a_number(value: Any, kind: str) -> Invalid:
    """Return the error for a value that is not a JSON number at all."""
    if isinstance(value, RawNumber):
        return Invalid(value.reason)
    return Invalid(f"must be {kind}" + (" (a JSON number, not text)" if isinstance(value, str) else ""))


def integer(low: int, high: int) -> Parser:
    """Return a parser for a whole number (a JSON integer) between `low` and `high` inclusive."""

    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _not_a_number(value, "a whole number")
        if not low <= value <= high:
            raise Invalid(f"must be between {low} and {high}")
        return value

    return parse


def number(low: float, high: float, *, exclusive_low: bool = False) -> Parser:
    """Return a parser for a finite number in ``[low, high]`` (or ``(low, high]``)."""

    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _not_a_number(value, "a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise Invalid("must be a finite number")
        too_low = value <= low if exclusive_low else value < low
        if too_low or value > high:
            bracket = "(" if exclusive_low else "["
            raise Invalid(f"must be in {bracket}{low}, {high}]")
        return float(value)

    return parse


def flag(value: Any) -> bool:
    """Parse a boolean (JSON true/false; :func:`from_cell` reads CSV ``true``/``false``)."""
    if isinstance(value, bool):
        return value
    raise Invalid("must be true or false" + (" (JSON true/false, not text)" if isinstance(value, str) else ""))


def url(value: Any) -> str:
    """Parse an absolute http(s) URL with a host, no whitespace, that passes :func:`check_text`."""
    if not isinstance(value, str):
        raise Invalid("must be an http(s) URL without spaces")
    check_text(value)
    if any(ch.isspace() for ch in value):
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
    forms = {"day": "[0-9]{4}-[0-9]{2}-[0-9]{2}", "month": "[0-9]{4}-[0-9]{2}", "year": "[0-9]{4}"}
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
    cells : bool
        True when records come from a CSV file: each non-empty cell is read
        with :func:`from_cell` before the field's parser sees it.
    """

    file: str
    fields: Sequence[Field]
    cells: bool = False
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

    def unknown_names(self, where: str, record: Mapping[str, Any], noun: str) -> None:
        """Record every key of `record` that is not a field of the schema.

        Parameters
        ----------
        where : str
            The record, or ``"header"`` for a CSV header.
        record : mapping
            Names to values; the value is shown in the message.
        noun : {"column", "property"}
            What the dataset calls its fields.
        """
        known = [f.name for f in self.fields]
        for name, value in record.items():
            if name not in known:
                self.add(where, name, f"is not a {noun} of this dataset (see data/README.md); remove it", value)

    def parse(self, where: str, record: Mapping[str, Any]) -> dict[str, Any]:
        """Parse one record; problems are recorded and their fields set to None."""
        out: dict[str, Any] = {}
        for spec in self.fields:
            raw = record.get(spec.name)
            if is_missing(raw, cells=self.cells):
                if spec.required:
                    self.add(where, spec.name, "is required", raw)
                out[spec.name] = None
                continue
            try:
                if isinstance(raw, str) and len(raw) > MAX_TEXT_LENGTH:
                    raise Invalid(f"must be at most {MAX_TEXT_LENGTH} characters long")
                out[spec.name] = spec.parse(from_cell(spec, raw) if self.cells and isinstance(raw, str) else raw)
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
