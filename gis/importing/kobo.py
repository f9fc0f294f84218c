"""KoboToolbox / ODK geometry answers: `geopoint`, `geotrace` and `geoshape` strings as shapes.

ODK writes a point as "latitude longitude altitude accuracy" (latitude first, unlike GeoJSON), and
a trace or a shape as such points separated by ";"; a shape repeats its first point at the end.
Exports keep these strings in one column per question (KoboToolbox adds `_<name>_latitude` and
`_<name>_longitude` columns for a geopoint, which can be mapped as plain coordinates instead).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
ODK_POSITION = re.compile(rf"^\s*({_NUMBER})\s+({_NUMBER})(?:\s+{_NUMBER}){{0,2}}\s*$")


def is_odk(values: Iterable[object]) -> bool:
    """Whether every non-empty value is an ODK geo string (and there is at least one).

    >>> is_odk(["50.01 36.2 120 5", None, "50.0 36.2 0 0;50.0 36.3 0 0"]), is_odk(["POINT (36.2 50.01)"])
    (True, False)
    """
    seen = False
    for value in values:
        if value is None or value == "":
            continue
        if not isinstance(value, str) or not all(ODK_POSITION.match(p) for p in value.strip().strip(";").split(";")):
            return False
        seen = True
    return seen


def is_shape_column(values: Iterable[object]) -> bool:
    """A `geoshape` column: some answer is a closed ring (a `geotrace` answer never needs to be)."""
    for value in values:
        if isinstance(value, str) and value.strip():
            try:
                positions = _positions(value)
            except ValueError:
                continue
            if len(positions) >= 4 and positions[0] == positions[-1]:
                return True
    return False


def parse_odk(text: str, *, shape: bool) -> tuple[BaseGeometry, str | None]:
    """The answer as a Point, a LineString or (for a `geoshape` column) a Polygon, and any repair made.

    A shape whose last point does not repeat its first is closed, and that repair is reported.

    >>> parse_odk("50.0 36.0 0 0;50.0 36.1 0 0;50.1 36.1 0 0;50.0 36.0 0 0", shape=True)[0].wkt
    'POLYGON ((36 50, 36.1 50, 36.1 50.1, 36 50))'
    >>> parse_odk("50.0 36.0 0 0;50.0 36.1 0 0;50.1 36.1 0 0", shape=True)[1]
    'closed the geoshape: its last point did not repeat its first'
    """
    positions = _positions(text)
    if len(positions) == 1:
        return Point(positions[0]), None
    if not shape:
        return LineString(positions), None
    repair = None
    if positions[0] != positions[-1]:
        positions.append(positions[0])
        repair = "closed the geoshape: its last point did not repeat its first"
    if len(positions) < 4:
        raise ValueError(f"the geoshape has {len(positions) - 1} distinct points: an area needs at least three")
    return Polygon(positions), repair


def _positions(text: str) -> list[tuple[float, float]]:
    """(longitude, latitude) of each "lat lon alt acc" position."""
    out = []
    for part in text.strip().strip(";").split(";"):
        match = ODK_POSITION.match(part)
        if match is None:
            raise ValueError(f"{part.strip()[:40]!r} is not an ODK position 'latitude longitude altitude accuracy'")
        out.append((float(match.group(2)), float(match.group(1))))
    return out
