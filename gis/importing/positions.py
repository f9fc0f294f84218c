"""Geometries of imported rows: from the columns that hold them, in WGS 84, with swapped axes caught.

A spatial file gives each row its geometry in the CRS it declares; a table gives it in columns: WKT,
an ODK geo string (gis/importing/kobo.py), or a longitude and a latitude. Either way the result is
one shapely geometry per row in WGS 84 lon/lat (None where the row has none), and one problem per
row that could not be read, each with the fix to make in the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from gis.geometry import DENSIFY_DEGREES, DENSIFY_METRES, WGS84
from gis.importing.kobo import is_odk, is_shape_column, parse_odk
from gis.importing.readers import ReadError

# Positions more than this far (in degrees) from where the other rows lie, and within it once their
# axes are swapped, are taken for latitude given before longitude.
SWAP_MARGIN_DEGREES = 1.0
MIN_ROWS_TO_COMPARE = 5  # a position is compared with the others only when there are enough of them


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row (0-based `index`), in which field, and how to fix it."""

    index: int
    field: str
    problem: str
    suggestion: str | None = None


@dataclass
class Positions:
    """One geometry per row in WGS 84 (None where missing), and what reading them found."""

    geometry: np.ndarray
    problems: list[RowProblem]  # rows refused
    repairs: list[RowProblem]  # rows repaired (e.g. an ODK shape closed)


def from_columns(
    frame: pd.DataFrame, *, geometry: str | None = None, lon: str | None = None, lat: str | None = None
) -> Positions:
    """Geometries from a WKT or ODK column (`geometry`), or points from `lon` and `lat` columns (WGS 84).

    >>> frame = pd.DataFrame({"x": ["36.2", None, "abc"], "y": ["50.0", None, "50.1"]})
    >>> read = from_columns(frame, lon="x", lat="y")
    >>> read.geometry[0].wkt, read.geometry[1], read.problems[0].problem
    ('POINT (36.2 50)', None, "longitude 'abc' is not a number")
    """
    n = len(frame)
    out = np.full(n, None, dtype=object)
    problems: list[RowProblem] = []
    repairs: list[RowProblem] = []
    if geometry is not None:
        values = frame[geometry].tolist()
        if is_odk(values):
            shape = is_shape_column(values)
            for i, value in enumerate(values):
                if value:
                    try:
                        out[i], repair = parse_odk(value, shape=shape)
                    except ValueError as error:
                        problems.append(RowProblem(i, "geometry", f"column {geometry!r}: {error}", _ODK_FIX))
                        continue
                    if repair:
                        repairs.append(RowProblem(i, "geometry", repair))
        else:
            _parse_wkt(values, geometry, out, problems)
    elif lon is not None and lat is not None:
        _parse_lon_lat(frame, lon, lat, out, problems)
    return Positions(out, problems, repairs)


_ODK_FIX = "export the form again; an ODK position is 'latitude longitude altitude accuracy', positions joined by ';'"


def _parse_wkt(values: Sequence[object], column: str, out: np.ndarray, problems: list[RowProblem]) -> None:
    for i, value in enumerate(values):
        if value is None or value == "":
            continue
        try:
            out[i] = shapely.from_wkt(str(value), on_invalid="raise")
        except shapely.errors.GEOSException as error:
            problems.append(
                RowProblem(
                    i,
                    "geometry",
                    f"column {column!r}: {str(value)[:60]!r} is not WKT ({str(error).split(':')[0]})",
                    "write the shape as WKT, e.g. POLYGON ((30 50, 30.01 50, 30.01 50.01, 30 50))",
                )
            )


def _parse_lon_lat(frame: pd.DataFrame, lon: str, lat: str, out: np.ndarray, problems: list[RowProblem]) -> None:
    for i, (x, y) in enumerate(zip(frame[lon].tolist(), frame[lat].tolist(), strict=True)):
        if _blank(x) and _blank(y):
            continue
        numbers = []
        for name, value in (("longitude", x), ("latitude", y)):
            number = _number(value)
            if number is None:
                problems.append(
                    RowProblem(i, name, f"{name} {value!r} is not a number", "give decimal degrees, e.g. 36.2513")
                )
            numbers.append(number)
        if None not in numbers:
            out[i] = shapely.points(numbers[0], numbers[1])


def _blank(value: object) -> bool:
    return (
        value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)
    )


def _number(value: object) -> float | None:
    """A finite number from a cell; a decimal comma is accepted (36,2513)."""
    if _blank(value):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if np.isfinite(number) else None


def to_wgs84(geometry: np.ndarray, crs: str | None) -> tuple[np.ndarray, list[RowProblem], str | None]:
    """Geometries transformed from `crs` to WGS 84, densified first as the API does (gis/geometry.py).

    Returns the geometries, the rows whose positions fall outside the CRS's area of use, and a note
    for the whole file (None when nothing was transformed). A file that declares no CRS must hold
    degrees: anything else is refused, not guessed.
    """
    present = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    if crs is None:
        coords = shapely.get_coordinates(geometry[present])
        if len(coords) and (np.abs(coords[:, 0]).max() > 180 or np.abs(coords[:, 1]).max() > 90):
            raise ReadError(
                "the file declares no coordinate reference system and its positions are not degrees: "
                "add one (a Shapefile's .prj, a GeoPackage's SRS, `ogr2ogr -a_srs EPSG:xxxx`) so they are not guessed"
            )
        return geometry, [], None
    try:
        source = CRS.from_user_input(crs)
    except CRSError as error:
        raise ReadError(f"the file's CRS {crs!r} is unknown: declare an EPSG code such as EPSG:32637") from error
    if source.to_2d().equals(WGS84, ignore_axis_order=True):
        return geometry, [], None
    transformer = Transformer.from_crs(source, WGS84, always_xy=True)
    step = DENSIFY_DEGREES if source.is_geographic else DENSIFY_METRES
    out = np.array(geometry, dtype=object)
    areal = present & np.isin(shapely.get_type_id(geometry), (2, 3, 5, 6))  # rings and polygons keep their edges
    dense = shapely.force_2d(out[present])
    dense[areal[present]] = shapely.segmentize(dense[areal[present]], step)
    out[present] = shapely.transform(dense, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    coords, owner = shapely.get_coordinates(out[present], return_index=True)
    bad = np.zeros(int(present.sum()), dtype=bool)
    np.logical_or.at(bad, owner, ~np.isfinite(coords).all(axis=1))
    problems = [
        RowProblem(int(i), "geometry", f"positions fall outside the area of use of {crs}", "check the declared CRS")
        for i in np.flatnonzero(present)[bad]
    ]
    out[np.flatnonzero(present)[bad]] = None
    return out, problems, f"reprojected from {crs} to WGS 84 (EPSG:4326)"


def swapped_axes(geometry: np.ndarray, *, region: tuple[float, float, float, float] | None = None) -> list[RowProblem]:
    """Rows whose positions look like (latitude, longitude): far from the others, or from `region`, until swapped.

    `region` (west, south, east, north) is where the data should lie (e.g. the loaded country); without
    it a row is compared with where most rows of the file lie, when there are enough of them.

    >>> points = np.array([shapely.points(36 + i / 10, 50) for i in range(6)] + [shapely.points(50, 36.3)])
    >>> [p.index for p in swapped_axes(points)]
    [6]
    """
    present = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    if not present.any():
        return []
    bounds = shapely.bounds(geometry[present])
    x, y = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    if region is None:
        if len(x) < MIN_ROWS_TO_COMPARE:
            return []
        # Where most rows lie: a few stray rows (the ones sought) do not move these percentiles.
        (west_x, east_x), (south_y, north_y) = np.percentile(x, (5, 95)), np.percentile(y, (5, 95))
        region = (float(west_x), float(south_y), float(east_x), float(north_y))
    west, south, east, north = (
        region[0] - SWAP_MARGIN_DEGREES,
        region[1] - SWAP_MARGIN_DEGREES,
        region[2] + SWAP_MARGIN_DEGREES,
        region[3] + SWAP_MARGIN_DEGREES,
    )
    inside = (x >= west) & (x <= east) & (y >= south) & (y <= north)
    inside_swapped = (y >= west) & (y <= east) & (x >= south) & (x <= north)
    return [
        RowProblem(
            int(i),
            "geometry",
            f"position (longitude {x[k]:.4f}, latitude {y[k]:.4f}) lies far from the other rows "
            f"(longitude {west + SWAP_MARGIN_DEGREES:.1f}…{east - SWAP_MARGIN_DEGREES:.1f}, "
            f"latitude {south + SWAP_MARGIN_DEGREES:.1f}…{north - SWAP_MARGIN_DEGREES:.1f}) "
            "and among them with its axes swapped",
            "latitude and longitude look swapped: give longitude first (or map the columns the other way)",
        )
        for k, i in enumerate(np.flatnonzero(present))
        if not inside[k] and inside_swapped[k]
    ]
