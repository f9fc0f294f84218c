"""Data-quality flags of hazardous areas: what a programme should look at, recomputed whenever an area changes.

Flags are derived data (`quality_flag`), never edited and not in the audit trail. Each write of an
area (and each release, since overlaps are measured on remaining land) calls `refresh_quality`,
which recomputes the flags of the areas written and the pair flags of every area they pair with.
It is set-based: an import refreshes thousands of areas with the same handful of statements.

Kinds (app/domain/vocabulary.py `QualityFlagKind`):
- `sliver`: the original polygon is smaller than `MAIS_SLIVER_M2` (a digitising slip, or a scrap to merge);
- `duplicate_geometry`: exactly the same polygon as another live area (both carry the flag);
- `overlap`: its remaining land and another live area's overlap by more than 1 m² (m² on the ellipsoid);
- `geometry_repaired`: the geometry hygiene changed the shape on writing (gis/geometry.py);
- `outside_country`: boundaries are loaded and the area touches none of their level-1 units;
- `date_unknown`: no date of information, or one whose precision is unknown.

Only live areas (open, worked on) pair: a closed, handed-over or deleted area keeps no overlap
or duplicate flags. A deleted area keeps only its repair note, so that a restored area has it back.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.config import get_settings
from app.domain.access import Actor, require
from app.domain.vocabulary import QUALITY_FLAG_KINDS, SQL_VALUES, UNKNOWN_DATE
from app.services.area_filter import AreaFilter, area_where
from gis.land_release import EXHAUSTED_M2

# Bound names of the flag kinds (`:q_overlap`, …): SQL never spells a vocabulary value. Id arrays are
# cast to bigint[]: a Python list of small ints arrives as integer[], and `bigint = ANY(integer[])` is
# then a linear search per row (10 s for 100,000 ids) where bigint[] is hashed.
QUALITY_SQL_VALUES: dict[str, str] = {f"q_{kind}": kind for kind in QUALITY_FLAG_KINDS}
# Two areas sharing an edge are not overlapping: below 1 m² the intersection is digitising noise
# (the same threshold as the overlap of two tasks, tasking/tasks.py).
OVERLAP_MIN_M2 = EXHAUSTED_M2
# What the geometry hygiene reports that leaves the shape as drawn: a declared CRS reprojected to
# WGS 84 and Z/M dropped are bookkeeping, not repairs a programme needs to check.
NOT_SHAPE_REPAIRS = ("reprojected ", "dropped Z/M")

_DELETE = (
    # The areas' own flags, but a repair note survives unless this write reports the repairs anew.
    """DELETE FROM quality_flag WHERE hazardous_area_id = ANY(CAST(:ids AS bigint[]))
       AND (kind <> :q_geometry_repaired OR hazardous_area_id = ANY(CAST(:repaired_ids AS bigint[])))""",
    # The other half of every pair the areas were in (only pair flags name another area).
    "DELETE FROM quality_flag WHERE other_area_id = ANY(CAST(:ids AS bigint[]))",
)

_OWN_FLAGS = """
    INSERT INTO quality_flag (hazardous_area_id, kind, area_m2, detail)
    SELECT h.id, f.kind, f.area_m2, f.detail
    FROM hazardous_area h
    CROSS JOIN LATERAL (VALUES
        (:q_sliver, h.original_area_m2, h.original_area_m2 < :sliver_m2,
         format('%s m², under the sliver threshold of %s m² (MAIS_SLIVER_M2): merge it or correct the geometry',
                trim_scale(round(h.original_area_m2::numeric, 2)), :sliver_m2)),
        (:q_date_unknown, NULL::double precision,
         h.reported_on IS NULL OR h.reported_on_precision = ANY(:unknown_date),
         'the date of information is unknown: add reported_on (and its precision) when the report is found')
    ) AS f(kind, area_m2, flagged, detail)
    WHERE h.id = ANY(CAST(:ids AS bigint[])) AND h.deleted_at IS NULL AND f.flagged
"""

# Level-1 units of the loaded boundaries; with none loaded nothing is outside. The areas inside are
# found unit by unit (not area by area): PostGIS then prepares each unit's large polygon once, which
# took 100,000 areas against Ukraine's 27 oblasts from 16 s to 0.3 s.
_OUTSIDE = """
    WITH inside AS MATERIALIZED (
        SELECT DISTINCT a.id FROM admin_unit u
        CROSS JOIN LATERAL (SELECT a.id FROM hazardous_area a
                            WHERE a.id = ANY(CAST(:ids AS bigint[])) AND a.geom && u.geom
                              AND ST_Intersects(u.geom, a.geom)) a
        WHERE u.level = 1
    )
    INSERT INTO quality_flag (hazardous_area_id, kind, detail)
    SELECT h.id, :q_outside_country,
           'touches no level-1 unit of the loaded admin boundaries: check the coordinates (swapped lat/lon?) or the CRS'
    FROM hazardous_area h
    WHERE h.id = ANY(CAST(:ids AS bigint[])) AND h.deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM admin_unit WHERE level = 1)
      AND NOT EXISTS (SELECT 1 FROM inside i WHERE i.id = h.id)
"""

_REPAIRED = """
    INSERT INTO quality_flag (hazardous_area_id, kind, detail)
    SELECT r.id, :q_geometry_repaired, r.detail
    FROM unnest(CAST(:flag_ids AS bigint[]), CAST(:flag_details AS text[])) AS r(id, detail)
    JOIN hazardous_area h ON h.id = r.id
"""

# Pairs are found on the original polygons (GiST index on geom) and measured on remaining land,
# each pair once, then written on both areas. The overlap is a reported figure, not an account:
# PostGIS geography measures it on the ellipsoid (docs/mine-action.md §4.1).
_PAIRS = """
    WITH mine AS (
        SELECT h.id, h.geom FROM hazardous_area h
        WHERE h.id = ANY(CAST(:ids AS bigint[])) AND h.deleted_at IS NULL AND h.status = ANY(:live_statuses)
    ), pairs AS (
        SELECT DISTINCT least(m.id, o.id) AS a, greatest(m.id, o.id) AS b
        FROM mine m JOIN hazardous_area o ON o.geom && m.geom AND o.id <> m.id AND ST_Intersects(o.geom, m.geom)
        WHERE o.deleted_at IS NULL AND o.status = ANY(:live_statuses)
    ), measured AS MATERIALIZED (  -- measured once, not again for each of the pair's two flags
        SELECT p.a, p.b, ST_Equals(x.geom, y.geom) AS same,
               ST_Area(ST_CollectionExtract(ST_Intersection(x.remaining_geom, y.remaining_geom), 3)::geography) AS m2
        FROM pairs p JOIN hazardous_area x ON x.id = p.a JOIN hazardous_area y ON y.id = p.b
    )
    INSERT INTO quality_flag (hazardous_area_id, kind, other_area_id, area_m2, detail)
    SELECT s.id, k.kind, s.other, k.area_m2, k.detail
    FROM measured p
    CROSS JOIN LATERAL (VALUES (p.a, p.b), (p.b, p.a)) AS s(id, other)
    CROSS JOIN LATERAL (VALUES
        (:q_duplicate_geometry, NULL::double precision, p.same,
         format('the same geometry as hazardous area %s: one of them is probably recorded twice', s.other)),
        (:q_overlap, p.m2, p.m2 > :overlap_min_m2,
         format('its remaining land overlaps hazardous area %s by %s m²: totals count that land once', s.other,
                trim_scale(round(p.m2::numeric, 1))))
    ) AS k(kind, area_m2, flagged, detail)
    WHERE k.flagged
"""


# With the areas' shapes at hand (an import), the same flags by another way, for 100,000 areas at once:
# the ids in a temporary table (an array of 100,000 ids is probed one by one), pairs among the areas
# found by one STRtree over their shapes (GEOS's intersects, as ST_Intersects), PostGIS asked only
# for pairs with the other areas, and only when there are others; outside from the level-1 units,
# each prepared once. Pairs are then measured in PostGIS exactly as above.
_IDS = "quality_ids"
_MANY_DELETE = (
    f"""DELETE FROM quality_flag WHERE hazardous_area_id IN (SELECT id FROM {_IDS})
       AND (kind <> :q_geometry_repaired OR hazardous_area_id = ANY(CAST(:repaired_ids AS bigint[])))""",
    f"DELETE FROM quality_flag WHERE other_area_id IN (SELECT id FROM {_IDS})",
)
_MANY_OWN_FLAGS = _OWN_FLAGS.replace("h.id = ANY(CAST(:ids AS bigint[]))", f"h.id IN (SELECT id FROM {_IDS})")
_MANY_OUTSIDE = """
    INSERT INTO quality_flag (hazardous_area_id, kind, detail)
    SELECT h.id, :q_outside_country,
           'touches no level-1 unit of the loaded admin boundaries: check the coordinates (swapped lat/lon?) or the CRS'
    FROM hazardous_area h
    WHERE h.id = ANY(CAST(:outside_ids AS bigint[])) AND h.deleted_at IS NULL
"""
_OTHERS = f"""
    SELECT EXISTS (SELECT FROM hazardous_area o WHERE o.deleted_at IS NULL AND o.status = ANY(:live_statuses)
                   AND o.id NOT IN (SELECT id FROM {_IDS}))"""
_MANY_PAIRS = _PAIRS.replace(
    """    WITH mine AS (
        SELECT h.id, h.geom FROM hazardous_area h
        WHERE h.id = ANY(CAST(:ids AS bigint[])) AND h.deleted_at IS NULL AND h.status = ANY(:live_statuses)
    ), pairs AS (
        SELECT DISTINCT least(m.id, o.id) AS a, greatest(m.id, o.id) AS b
        FROM mine m JOIN hazardous_area o ON o.geom && m.geom AND o.id <> m.id AND ST_Intersects(o.geom, m.geom)
        WHERE o.deleted_at IS NULL AND o.status = ANY(:live_statuses)
    ),""",
    f"""    WITH among AS (
        SELECT p.a, p.b FROM unnest(CAST(:pair_a AS bigint[]), CAST(:pair_b AS bigint[])) AS p(a, b)
        JOIN hazardous_area x ON x.id = p.a JOIN hazardous_area y ON y.id = p.b
        WHERE x.deleted_at IS NULL AND x.status = ANY(:live_statuses)
          AND y.deleted_at IS NULL AND y.status = ANY(:live_statuses)
    ), mine AS (
        SELECT h.id, h.geom FROM hazardous_area h
        WHERE :others AND h.id IN (SELECT id FROM {_IDS}) AND h.deleted_at IS NULL AND h.status = ANY(:live_statuses)
    ), pairs AS (
        SELECT a, b FROM among
        UNION
        SELECT least(m.id, o.id) AS a, greatest(m.id, o.id) AS b
        FROM mine m CROSS JOIN LATERAL (
            SELECT o.id FROM hazardous_area o
            WHERE o.geom && m.geom AND ST_Intersects(o.geom, m.geom) AND o.id NOT IN (SELECT id FROM {_IDS})
              AND o.deleted_at IS NULL AND o.status = ANY(:live_statuses)
            OFFSET 0
        ) AS o
    ),""",
)
assert _MANY_PAIRS != _PAIRS and _MANY_OWN_FLAGS != _OWN_FLAGS


def refresh_quality(
    session: Session,
    area_ids: list[int],
    repaired: dict[int, list[str]] | None = None,
    *,
    shapes: dict[int, BaseGeometry] | None = None,
) -> None:
    """Recompute the flags of `area_ids` and the pair flags of the areas they pair with (the caller commits).

    `repaired` maps an area to the repairs its geometry cleaning reported on this write (an empty
    list when the new geometry needed none); areas it leaves out keep their repair note. `shapes`,
    when given, holds each area's geometry exactly as stored (`geom`): an import has them, and they
    make the work of 100,000 areas take seconds instead of a minute; the flags are the same.
    """
    ids = sorted(set(area_ids))
    if not ids:
        return
    notes = {area_id: _shape_repairs(repairs) for area_id, repairs in (repaired or {}).items()}
    flagged = {area_id: "; ".join(kept) for area_id, kept in notes.items() if kept}
    params: dict[str, Any] = {
        **SQL_VALUES,
        **QUALITY_SQL_VALUES,
        "ids": ids,
        "repaired_ids": sorted(notes),
        "flag_ids": list(flagged),
        "flag_details": list(flagged.values()),
        "sliver_m2": get_settings().sliver_m2,
        "unknown_date": list(UNKNOWN_DATE),
        "overlap_min_m2": OVERLAP_MIN_M2,
    }
    if shapes is None:
        for sql in (*_DELETE, _OWN_FLAGS, _OUTSIDE, _REPAIRED, _PAIRS):
            session.execute(text(sql), params)
        return
    session.execute(text(f"DROP TABLE IF EXISTS {_IDS}"))
    ids_sql = f"CREATE TEMP TABLE {_IDS} ON COMMIT DROP AS SELECT unnest(CAST(:ids AS bigint[])) AS id"
    session.execute(text(ids_sql), params)
    session.execute(text(f"ANALYZE {_IDS}"))
    geoms = np.array([shapes[i] for i in ids], dtype=object)
    tree = shapely.STRtree(geoms)
    first, second = tree.query(geoms, predicate="intersects")
    pair = first < second  # each pair once; ids are sorted, so the first is the smaller
    id_array = np.asarray(ids, dtype=np.int64)
    params |= {
        "pair_a": id_array[first[pair]].tolist(),
        "pair_b": id_array[second[pair]].tolist(),
        "others": bool(session.execute(text(_OTHERS), params).scalar()),
        "outside_ids": id_array[_outside(session, tree, len(ids))].tolist(),
    }
    for sql in (*_MANY_DELETE, _MANY_OWN_FLAGS, _MANY_OUTSIDE, _REPAIRED, _MANY_PAIRS):
        session.execute(text(sql), params)


def _outside(session: Session, tree: shapely.STRtree, n: int) -> npt.NDArray[np.bool_]:
    """Which of the tree's areas touch no level-1 unit (all False when no boundaries are loaded)."""
    units = session.scalars(text("SELECT ST_AsBinary(geom) FROM admin_unit WHERE level = 1")).all()
    outside = np.zeros(n, dtype=bool)
    if units:
        outside[:] = True
        _, inside = tree.query(shapely.from_wkb([bytes(u) for u in units]), predicate="intersects")
        outside[inside] = False
    return outside


def _shape_repairs(repairs: list[str]) -> list[str]:
    return [r for r in repairs if not r.startswith(NOT_SHAPE_REPAIRS)]


def counted_twice_sql(areas_where: str, group: str = "''") -> str:
    """SQL giving, per `group`, the SHA and CHA m² that a plain sum of remaining land counts more than once.

    `areas_where` is the WHERE clause (on `hazardous_area h`) of the live areas being totalled;
    `group` an expression on `h` the totals are grouped by (one group by default). Land where an
    SHA and a CHA overlap counts as CHA. Subtracting these from the sums of `remaining_area_m2`
    gives each group's land once.

    Why this way: a union of every area took 15 s for 100,000 simple squares on the 2-core
    development machine, and subtracting the pairwise overlaps over-corrects where three areas share
    land. The overlap flags already name the few areas that overlap, so only those are unioned, per
    connected group (ST_ClusterDBSCAN at distance 0): exact for any number of layers, and the whole
    dashboard headline took 0.09 s with 1,000 overlapping pairs among the 100,000. Members and
    unions are both measured with PostGIS geography, so the difference compares like with like.
    """
    return f"""
        WITH overlapping AS (
            SELECT h.classification, h.remaining_geom AS geom, {group} AS grp
            FROM hazardous_area h {areas_where}
              AND h.id IN (SELECT q.hazardous_area_id FROM quality_flag q WHERE q.kind = :q_overlap)
        ), clustered AS (
            SELECT o.*, ST_ClusterDBSCAN(o.geom, 0, 1) OVER (PARTITION BY o.grp) AS cluster FROM overlapping o
        ), once AS (
            SELECT grp,
                   coalesce(sum(ST_Area(geom::geography)) FILTER (WHERE classification = :v_SHA), 0) AS sha_sum,
                   coalesce(sum(ST_Area(geom::geography)) FILTER (WHERE classification = :v_CHA), 0) AS cha_sum,
                   coalesce(ST_Area((ST_Union(geom) FILTER (WHERE classification = :v_CHA))::geography), 0)
                       AS cha_once,
                   ST_Area(ST_Union(geom)::geography) AS all_once
            FROM clustered GROUP BY grp, cluster HAVING count(*) > 1
        )
        SELECT grp,
               sum(greatest(sha_sum - (all_once - cha_once), 0)) AS sha_m2,
               sum(greatest(cha_sum - cha_once, 0)) AS cha_m2
        FROM once GROUP BY grp
    """


_COUNTS = """
    SELECT q.kind, count(DISTINCT q.hazardous_area_id) AS areas
    FROM quality_flag q JOIN hazardous_area h ON h.id = q.hazardous_area_id
    WHERE h.deleted_at IS NULL{where}
    GROUP BY q.kind
"""
_TOP_PAIRS = """
    SELECT least(q.hazardous_area_id, q.other_area_id) AS hazardous_area_id,
           greatest(q.hazardous_area_id, q.other_area_id) AS other_area_id,
           max(q.area_m2) AS area_m2
    FROM quality_flag q JOIN hazardous_area h ON h.id = q.hazardous_area_id
    WHERE q.kind = :q_overlap AND h.deleted_at IS NULL{where}
    GROUP BY 1, 2
"""
LIVE_AREAS = "WHERE h.deleted_at IS NULL AND h.status = ANY(:live_statuses)"
_TOTALS = f"""
    SELECT count(*) AS areas, coalesce(sum(h.remaining_area_m2), 0) AS m2
    FROM hazardous_area h {LIVE_AREAS}{{where}}
"""


def quality_summary(session: Session, flt: AreaFilter, *, top: int, actor: Actor) -> dict[str, Any]:
    """Areas flagged by kind, the m² a plain sum counts twice, and the `top` largest overlaps, for areas in `flt`."""
    require(actor, "read.registry")
    where, params = area_where(flt, "h")
    params.update({**SQL_VALUES, **QUALITY_SQL_VALUES, "top": top})
    counts = dict.fromkeys(QUALITY_FLAG_KINDS, 0)
    counts.update({r.kind: r.areas for r in session.execute(text(_COUNTS.format(where=where)), params)})
    pairs_sql = f"SELECT count(*) FROM ({_TOP_PAIRS.format(where=where)}) p"
    top_sql = f"{_TOP_PAIRS.format(where=where)} ORDER BY area_m2 DESC, 1, 2 LIMIT :top"
    twice = session.execute(text(counted_twice_sql(LIVE_AREAS + where)), params).mappings().first()
    totals = session.execute(text(_TOTALS.format(where=where)), params).one()
    double_counted = float(twice["sha_m2"] + twice["cha_m2"]) if twice else 0.0
    return {
        "areas_flagged": counts,
        "overlapping_pairs": session.execute(text(pairs_sql), params).scalar_one(),
        "live_areas": totals.areas,
        "remaining_m2": round(totals.m2, 1),
        "double_counted_m2": round(double_counted, 1),
        "remaining_once_m2": round(totals.m2 - double_counted, 1),
        "sliver_m2": get_settings().sliver_m2,
        "top_overlaps": [
            {**row, "area_m2": round(row["area_m2"], 1)} for row in session.execute(text(top_sql), params).mappings()
        ],
    }
