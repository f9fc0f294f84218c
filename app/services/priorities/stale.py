"""Which areas need rescoring: every change to a priority input marks the areas it can touch."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

from gis.priorities import Parameters
from gis.units import MIN_METRES_PER_DEGREE

# The farthest any criterion looks from an area with the default parameters, in metres.
MAX_REACH_M = Parameters().max_reach_m


def mark_areas_stale(session: Session, area_ids: Iterable[int]) -> None:
    """Queue these areas for rescoring (in the caller's transaction)."""
    ids = sorted(set(area_ids))
    if ids:
        session.execute(
            text(
                "INSERT INTO priority_stale (hazardous_area_id) SELECT unnest(CAST(:ids AS bigint[])) "
                "ON CONFLICT DO NOTHING"
            ),
            {"ids": ids},
        )


def mark_stale_near(session: Session, table: str, ids: Iterable[int], reach_m: float = MAX_REACH_M) -> None:
    """Queue the live areas within `reach_m` of rows `ids` of `table` (a point, line or polygon layer)."""
    if table not in ("context_feature", "settlement", "accident"):
        raise ValueError(table)
    id_list = sorted(set(ids))
    if not id_list:
        return
    # The degree box is a cheap indexed prefilter; the geography test is exact.
    session.execute(
        text(
            f"""
            INSERT INTO priority_stale (hazardous_area_id)
            SELECT DISTINCT h.id FROM {table} AS c
            JOIN hazardous_area AS h
              ON h.geom && ST_Expand(c.geom, :reach_m / :min_metres_per_degree)
             AND ST_DWithin(h.geom::geography, c.geom::geography, :reach_m)
            WHERE c.id = ANY(CAST(:ids AS bigint[])) AND h.deleted_at IS NULL
            ON CONFLICT DO NOTHING
            """
        ),
        {"ids": id_list, "reach_m": reach_m, "min_metres_per_degree": MIN_METRES_PER_DEGREE},
    )


def mark_all_stale(session: Session) -> None:
    """Queue every live area (after a bulk change such as loading a context layer)."""
    session.execute(
        text(
            "INSERT INTO priority_stale (hazardous_area_id) SELECT id FROM hazardous_area "
            "WHERE deleted_at IS NULL ON CONFLICT DO NOTHING"
        )
    )
