"""Where the map looks: the recorded areas before its tiles load, a filter's unit or areas when it changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services.area_filter import AreaFilter, area_where

# The planner's estimate (from ANALYZE statistics) is instant and close enough for a first view;
# reading every polygon took 150 ms at 100,000 areas. Tables never analysed get the exact extent
# (COALESCE stops at the first value, so the scan only runs then).
EXTENT_SQL = text(
    """SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
       FROM (SELECT coalesce(ST_EstimatedExtent('public', 'hazardous_area', 'geom'),
                             (SELECT ST_Extent(geom) FROM hazardous_area WHERE deleted_at IS NULL)) AS b) extent"""
)


def area_extent(session: Session) -> tuple[float, float, float, float] | None:
    """West, south, east, north of the recorded areas (None when there are none)."""
    west, south, east, north = session.execute(EXTENT_SQL).one()
    return None if west is None else (west, south, east, north)


UNIT_EXTENT_SQL = text(
    """SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
       FROM (SELECT ST_Extent(geom) AS b FROM admin_unit WHERE code = :code) extent"""
)
FILTERED_EXTENT_SQL = """SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
       FROM (SELECT ST_Extent(h.geom) AS b FROM hazardous_area h WHERE h.deleted_at IS NULL{where}) extent"""


def filter_extent(session: Session, flt: AreaFilter) -> dict[str, Any]:
    """Where the map should look for a filter: the narrowest chosen admin unit's boundary, else the selected areas.

    `source` says which ("admin_unit", "areas"); `bounds` is None when the filter selects nothing
    to look at (or sets nothing, which leaves the view where the user has it).
    """
    code = flt.hromada_code or flt.raion_code or flt.oblast_code
    if code:
        west, south, east, north = session.execute(UNIT_EXTENT_SQL, {"code": code}).one()
        if west is not None:
            return {"code": code, "source": "admin_unit", "bounds": [west, south, east, north]}
    where, params = area_where(flt, "h")
    if not where:
        return {"code": None, "source": None, "bounds": None}
    west, south, east, north = session.execute(text(FILTERED_EXTENT_SQL.format(where=where)), params).one()
    bounds = None if west is None else [west, south, east, north]
    return {"code": code, "source": "areas" if bounds else None, "bounds": bounds}
