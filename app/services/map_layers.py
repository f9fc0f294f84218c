"""Facts the map page needs before its tiles load: how many areas there are and where."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

SUMMARY_SQL = text(
    """SELECT count(*) AS total, ST_XMin(ST_Extent(geom)) AS west, ST_YMin(ST_Extent(geom)) AS south,
              ST_XMax(ST_Extent(geom)) AS east, ST_YMax(ST_Extent(geom)) AS north
       FROM hazardous_area WHERE deleted_at IS NULL"""
)


@dataclass(frozen=True)
class HazardSummary:
    """How many live areas there are and their extent (None when there are none)."""

    total: int
    bounds: tuple[float, float, float, float] | None


def hazard_summary(session: Session) -> HazardSummary:
    """Count and extent of the live hazardous areas, for the legend and the first view."""
    row = session.execute(SUMMARY_SQL).one()
    bounds = None if row.west is None else (row.west, row.south, row.east, row.north)
    return HazardSummary(total=int(row.total), bounds=bounds)
