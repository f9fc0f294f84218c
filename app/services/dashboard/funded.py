"""Released land a donor funds: the one condition the releases tiles and the donor's map view share.

A release belongs to a donor through its activity's task and the task's agreement
(`activity → task → funding_agreement → donor`), as in the donor report (app/reporting/scope.py):
work without a task funds no one.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# `{release}` is the alias of the release row (a module constant, never a request's); the donor is bound.
RELEASE_FUNDED_BY_DONOR = """EXISTS (
    SELECT 1 FROM activity fd_a
    JOIN task fd_t ON fd_t.id = fd_a.task_id
    JOIN funding_agreement fd_fa ON fd_fa.id = fd_t.funding_agreement_id
    WHERE fd_a.id = {release}.activity_id AND fd_fa.donor_id = :donor_id)"""

EXTENT_SQL = text(
    f"""SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)
        FROM (SELECT ST_Extent(r.geom) AS b FROM release r
              WHERE {RELEASE_FUNDED_BY_DONOR.format(release="r")}) extent"""
)


def funded_release_extent(session: Session, donor_id: int) -> tuple[float, float, float, float] | None:
    """West, south, east, north of the land released by work the donor funds (None when there is none)."""
    west, south, east, north = session.execute(EXTENT_SQL, {"donor_id": donor_id}).one()
    return None if west is None else (west, south, east, north)
