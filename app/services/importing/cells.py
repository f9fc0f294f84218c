"""What one cell of an imported file means: a date known in part, a number, a list of codes.

Files from the field say "2023", "05/2023", "12.05.2023", "2023-05-12T10:22:00" or nothing at all.
A date is read with how much of it is known (day, month, year or unknown: DatePrecision), never
filled in with a placeholder that would skew time series (docs/mine-action.md §4.4).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import numpy as np

from app.domain.vocabulary import DatePrecision

# Day first (12.05.2023 is 12 May), as in Ukraine and most programmes; ISO dates are unambiguous.
_DAY_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})(?: .*)?$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})$"),
    re.compile(r"^(?P<m>\d{1,2})[-/.](?P<y>\d{4})$"),
)
_YEAR = re.compile(r"^(?P<y>\d{4})(?:\.0)?$")
# Cells that say the date is not known, in the words programmes use.
UNKNOWN_WORDS = frozenset({"unknown", "n/a", "na", "none", "?", "-", "невідомо", "inconnu", "desconocido"})
LIST_SEPARATORS = re.compile(r"\s*[,;|]\s*")
EARLIEST_YEAR = 1900  # older dates are typing errors, not mine action records


class CellError(ValueError):
    """A cell that cannot mean a value of its field; the message says what was expected."""


def text(value: Any) -> str | None:
    """A cell as trimmed text (None when blank); whole numbers read as floats lose their ".0".

    >>> text(" A-7 "), text(17.0), text(float("nan")), text("")
    ('A-7', '17', None, None)
    """
    if isinstance(value, str):  # most cells: checked first, a national file has millions of them
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    out = str(value).strip()
    return out or None


def parse_date(value: str) -> tuple[date | None, DatePrecision]:
    """A date and how much of it is known; a partly known date is stored as its first day.

    >>> parse_date("12.05.2023"), parse_date("2023-05"), parse_date("2023")
    ((datetime.date(2023, 5, 12), 'day'), (datetime.date(2023, 5, 1), 'month'), (datetime.date(2023, 1, 1), 'year'))
    >>> parse_date("невідомо") == (None, "unknown")
    True
    """
    cell = value.strip()
    if cell.casefold() in UNKNOWN_WORDS:
        return None, "unknown"
    for pattern in _DAY_PATTERNS:
        if match := pattern.match(cell):
            return _date(cell, int(match["y"]), int(match["m"]), int(match["d"])), "day"
    for pattern in _MONTH_PATTERNS:
        if match := pattern.match(cell):
            return _date(cell, int(match["y"]), int(match["m"]), 1), "month"
    if match := _YEAR.match(cell):
        return _date(cell, int(match["y"]), 1, 1), "year"
    raise CellError(f"{cell!r} is not a date: write 2023-05-12 (or 12.05.2023), 2023-05 for a month, 2023 for a year")


def _date(cell: str, year: int, month: int, day: int) -> date:
    if year < EARLIEST_YEAR:
        raise CellError(f"{cell!r} is before {EARLIEST_YEAR}: check the year")
    try:
        return date(year, month, day)
    except ValueError as error:
        raise CellError(f"{cell!r} is not a date of the calendar ({error})") from error


def parse_int(value: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number ("12", "12.0"), within bounds.

    >>> parse_int("12.0", minimum=0)
    12
    """
    try:
        number = float(value.replace(",", "."))
    except ValueError as error:
        raise CellError(f"{value!r} is not a whole number") from error
    if not number.is_integer():
        raise CellError(f"{value!r} is not a whole number")
    return int(_bounded(value, number, minimum, maximum))


def parse_number(value: str, *, minimum: float | None = None, maximum: float | None = None) -> float:
    """A decimal number; a decimal comma is accepted ("12,5").

    >>> parse_number("12,5")
    12.5
    """
    try:
        number = float(value.replace(",", "."))
    except ValueError as error:
        raise CellError(f"{value!r} is not a number") from error
    if not math.isfinite(number):
        raise CellError(f"{value!r} is not a finite number")
    return _bounded(value, number, minimum, maximum)


def _bounded(value: str, number: float, minimum: float | None, maximum: float | None) -> float:
    if minimum is not None and number < minimum:
        raise CellError(f"{value} is below the least allowed, {minimum}")
    if maximum is not None and number > maximum:
        raise CellError(f"{value} is above the most allowed, {maximum}")
    return number


def split_list(value: str) -> list[str]:
    """The items of a list cell, separated by commas, semicolons or bars.

    >>> split_list("ap_mine; uxo,  at_mine")
    ['ap_mine', 'uxo', 'at_mine']
    """
    return [item for item in LIST_SEPARATORS.split(value.strip()) if item]
