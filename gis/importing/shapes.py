"""Geometry hygiene for a whole file at once, by the very rules of the API (gis/geometry.py).

Rows that are plainly fine (2D polygons, valid, within range and the vertex limit) are measured and
normalised in one vectorised pass; every other row goes through `clean_area_geometry` or
`clean_point_geometry` itself, so an imported row is accepted, repaired or refused exactly as the
same shape posted to the API would be, with the same words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import shapely

from gis.area import ellipsoid_areas_m2
from gis.geometry import GeometryError, clean_area_geometry, clean_point_geometry
from gis.importing.positions import RowProblem

_POLYGON, _MULTIPOLYGON = 3, 6  # shapely geometry type ids


@dataclass
class CleanAreas:
    """Per row: a valid WGS 84 MultiPolygon and its m² (None / NaN where refused), repairs and refusals."""

    geometry: np.ndarray
    area_m2: np.ndarray
    repairs: dict[int, tuple[str, ...]] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)


def clean_areas(geometry: np.ndarray, *, max_vertices: int) -> CleanAreas:
    """Validate, repair where safe, normalise and measure every row's area geometry (WGS 84 input).

    >>> from shapely.geometry import box, Point
    >>> bow_tie = shapely.from_wkt("POLYGON ((30 50, 30.01 50.01, 30.01 50, 30 50.01, 30 50))")
    >>> clean = clean_areas(np.array([box(30, 50, 30.01, 50.01), bow_tie, Point(30, 50), None]), max_vertices=100)
    >>> [round(a) if a == a else None for a in clean.area_m2], sorted(clean.repairs), [p.index for p in clean.problems]
    ([797383, 398692, None, None], [1], [2, 3])
    """
    n = len(geometry)
    out = np.full(n, None, dtype=object)
    area = np.full(n, np.nan)
    type_id = shapely.get_type_id(geometry)
    plain = np.isin(type_id, (_POLYGON, _MULTIPOLYGON)) & ~shapely.is_empty(geometry)
    plain[plain] &= ~shapely.has_z(geometry[plain])
    plain[plain] &= shapely.get_num_coordinates(geometry[plain]) <= max_vertices
    bounds = shapely.bounds(geometry[plain])
    plain[plain] &= (np.abs(bounds[:, [0, 2]]) <= 180).all(axis=1) & (np.abs(bounds[:, [1, 3]]) <= 90).all(axis=1)
    plain[plain] &= shapely.is_valid(geometry[plain])
    if plain.any():
        parts, owner = shapely.get_parts(geometry[plain], return_index=True)
        multi = shapely.normalize(shapely.multipolygons(parts, indices=owner))
        out[plain], area[plain] = multi, ellipsoid_areas_m2(multi)
        plain[plain] &= area[plain] > 0  # collapsed rings: let the API's rule word the refusal
    clean = CleanAreas(out, area)
    for i in np.flatnonzero(~plain):
        try:
            checked = clean_area_geometry(_geojson(geometry[i]), max_vertices=max_vertices)
        except GeometryError as error:
            out[i], area[i] = None, np.nan
            clean.problems.append(RowProblem(int(i), "geometry", str(error), "correct the shape, or leave the row out"))
            continue
        out[i], area[i] = checked.geometry, checked.area_m2
        if checked.repairs:
            clean.repairs[int(i)] = checked.repairs
    return clean


def clean_points(geometry: np.ndarray, *, required: bool) -> tuple[np.ndarray, list[RowProblem]]:
    """Every row's point checked as the API checks one; a row without one is refused if `required`.

    >>> from shapely.geometry import Point
    >>> points, problems = clean_points(np.array([Point(36.2, 50.0, 120), None]), required=True)
    >>> points[0].wkt, problems[0].problem
    ('POINT (36.2 50)', 'geometry is missing: give a GeoJSON Point [longitude, latitude]')
    """
    out = np.full(len(geometry), None, dtype=object)
    problems = []
    for i, shape in enumerate(geometry):
        if (shape is None or shape.is_empty) and not required:
            continue
        try:
            out[i] = clean_point_geometry(_geojson(shape))
        except GeometryError as error:
            problems.append(RowProblem(i, "geometry", str(error), "give the position as a point, or leave the row out"))
    return out, problems


def _geojson(shape: object) -> dict[str, object] | None:
    """A shape as the GeoJSON dict the API's checks take (lists, not tuples), None when absent."""
    if shape is None or shapely.is_empty(shape):
        return None
    parsed: dict[str, object] = json.loads(shapely.to_geojson(shape))
    return parsed
