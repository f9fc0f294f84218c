"""Which admin units each imported area touches, found for the whole file at once.

An import derives the admin codes of 100,000 areas (app/services/importing/area_admin.py); asking
PostGIS unit by unit and then rewriting every area took longer than the rest of the import. Here
the areas go into one STRtree and each unit asks it, prepared once, which areas it intersects (the
`ST_Intersects` of the API's derivation, the same GEOS predicate). Where an area touches more than
one unit of a level, the planar area of each part is measured as PostGIS measures it there
(`ST_Area(ST_Intersection(unit, area))`): the unit holding the largest part wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely


@dataclass(frozen=True)
class UnitHits:
    """Aligned arrays, one entry per (area, unit) that intersect: indexes into the inputs, and the part's area.

    `part` is NaN where the area touches only this unit of the level (no comparison needed).
    """

    area: npt.NDArray[np.intp]
    unit: npt.NDArray[np.intp]
    part: npt.NDArray[np.float64]


def unit_hits(areas: npt.NDArray[np.object_], units: npt.NDArray[np.object_], levels: npt.NDArray[np.int_]) -> UnitHits:
    """Every (area, unit) pair that intersects, with the planar area of the part where a level has several.

    >>> from shapely.geometry import box
    >>> units = np.array([box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 0, 2, 1)])
    >>> hits = unit_hits(np.array([box(0.2, 0.2, 0.4, 0.4), box(0.5, 0.5, 1.5, 0.7)]), units, np.array([2, 2, 1]))
    >>> sorted(zip(hits.area.tolist(), hits.unit.tolist(), np.round(hits.part, 3).tolist()))
    [(0, 0, nan), (0, 2, nan), (1, 0, 0.1), (1, 1, 0.1), (1, 2, nan)]
    """
    if len(areas) == 0 or len(units) == 0:
        empty = np.zeros(0, dtype=np.intp)
        return UnitHits(empty, empty, np.zeros(0))
    tree = shapely.STRtree(areas)
    unit, area = tree.query(units, predicate="intersects")  # each unit prepared once, as input
    group = area.astype(np.int64) * (int(levels.max()) + 1) + levels[unit]
    _, inverse, counts = np.unique(group, return_inverse=True, return_counts=True)
    several = counts[inverse] > 1
    part = np.full(len(area), np.nan)
    if several.any():
        part[several] = shapely.area(shapely.intersection(units[unit[several]], areas[area[several]]))
    return UnitHits(area, unit, part)
