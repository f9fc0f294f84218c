"""Areas on the WGS 84 ellipsoid, in square metres (domain.md §4.1: never in degrees)."""

from __future__ import annotations

from pyproj import Geod
from shapely.geometry.base import BaseGeometry

WGS84 = Geod(ellps="WGS84")


def geodesic_area_m2(geometry: BaseGeometry) -> float:
    """Area of a (multi)polygon in lon/lat degrees, in m² on the WGS 84 ellipsoid.

    >>> from shapely.geometry import box
    >>> round(geodesic_area_m2(box(30.0, 50.0, 30.01, 50.01)))
    797383
    """
    if geometry.is_empty:
        return 0.0
    area, _perimeter = WGS84.geometry_area_perimeter(geometry)
    return abs(float(area))
