"""Scoring runs and rankings: inputs from PostGIS, criteria in gis.priorities, scores back by COPY."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import numpy as np
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db.bulk import copy_keyed_float_rows
from app.db.models import PriorityRun, PriorityScenario
from app.domain import clock
from app.domain.access import Actor, require
from app.domain.vocabulary import LIVE_AREA_STATUSES, MONTH_KNOWN, SQL_VALUES
from app.services.area_filter import AreaFilter, area_where
from app.services.priorities.scenarios import current_version, live_scenarios
from gis.priorities import CRITERION_NAMES, Areas, Context, Parameters, Scored, score
from gis.units import MIN_METRES_PER_DEGREE

AREAS_SQL = """
    SELECT id, remaining_geom AS wkb, classification, contamination_types, information_reliability,
           blockages, returnees_expected, remaining_area_m2
    FROM hazardous_area
    WHERE deleted_at IS NULL AND status = ANY(:statuses) {only}
    ORDER BY id
"""
# Whether a refresh has work: areas queued, or a live scenario version never fully scored.
PENDING_SQL = """
    SELECT EXISTS (SELECT 1 FROM priority_stale) OR EXISTS (
        SELECT 1 FROM priority_scenario s
        WHERE s.deleted_at IS NULL AND NOT EXISTS (
            SELECT 1 FROM priority_run r
            WHERE r.scenario_id = s.id AND r.scenario_version = s.version AND r.kind = :v_full))
"""
# Context near the areas being scored: an indexed box test against their extent, widened by the reach.
NEAR = """ AND geom && (SELECT ST_Expand(ST_Extent(remaining_geom)::geometry, :reach_deg)
                       FROM hazardous_area WHERE id = ANY(:ids))"""


def run(
    session: Session,
    scenario: PriorityScenario,
    *,
    user: str,
    area_ids: list[int] | None = None,
    reason: str | None = None,
    today: date | None = None,
) -> PriorityRun:
    """Score all scorable areas (or only `area_ids`) under the scenario's current version (caller commits)."""
    started = time.perf_counter()
    version = current_version(session, scenario)
    params = Parameters.from_dict(version.parameters)
    ids, areas = _areas(session, area_ids)
    context = _context(session, params, near=ids if area_ids is not None else None, today=today or clock.today())
    result = score(areas, context, version.weights, params, today or clock.today())
    names = list(CRITERION_NAMES)
    record = PriorityRun(
        scenario_id=scenario.id,
        scenario_version=scenario.version,
        kind="full" if area_ids is None else "incremental",
        seconds=0.0,
        areas_scored=len(ids),
        triggered_by=user,
        reason=reason,
        criteria=names,
    )
    session.add(record)
    session.flush()
    _store_scores(session, record.id, ids, result, names)
    _point_current_at(session, scenario.id, record.id, area_ids)
    if area_ids is None:  # a full run rewrites most rows: keep the rankings' join plans honest
        session.execute(text("ANALYZE priority_score, priority_current"))
    record.seconds = time.perf_counter() - started
    return record


# One scorer at a time: two runs at once would both write the current scores of the same areas.
SCORING_LOCK = 0x4D414953  # "MAIS"


def lock_scoring(session: Session, *, wait: bool = True) -> bool:
    """Hold the scoring lock until the transaction ends; without `wait`, False at once if another holds it."""
    if wait:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCORING_LOCK})
        return True
    return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": SCORING_LOCK}).scalar())


def pending(session: Session) -> bool:
    """Whether scores are behind their inputs: areas queued, or a scenario version never fully scored."""
    return bool(session.execute(text(PENDING_SQL), SQL_VALUES).scalar())


def recompute(session: Session, scenarios: list[PriorityScenario], *, actor: Actor) -> list[PriorityRun]:
    """Full runs now, on request (coordinators and admins); waits for a rescoring in progress."""
    require(actor, "scenario.edit")
    lock_scoring(session)  # a requested run is worth the wait
    return [run(session, s, user=actor.name, reason="requested") for s in scenarios]


def refresh(session: Session, *, user: str, wait: bool = True) -> list[PriorityRun] | None:
    """Bring every scenario up to date: a full run for a new version, else rescore the stale areas (caller commits).

    Without `wait`, None when another transaction is scoring: that one looks at the queue again
    once it has committed, so the areas queued meanwhile are not forgotten.
    """
    if not pending(session):
        return []
    if not lock_scoring(session, wait=wait):
        return None
    stale = [r[0] for r in session.execute(text("SELECT hazardous_area_id FROM priority_stale FOR UPDATE"))]
    runs = []
    for scenario in live_scenarios(session):
        latest = session.execute(
            text(
                "SELECT max(id) FROM priority_run WHERE scenario_id = :s AND scenario_version = :v AND kind = :v_full"
            ),
            {**SQL_VALUES, "s": scenario.id, "v": scenario.version},
        ).scalar()
        if latest is None:
            runs.append(run(session, scenario, user=user, reason=f"first ranking of version {scenario.version}"))
        elif stale:
            runs.append(run(session, scenario, user=user, area_ids=stale, reason="inputs changed"))
    if stale:
        session.execute(text("DELETE FROM priority_stale WHERE hazardous_area_id = ANY(:ids)"), {"ids": stale})
    return runs


def ranking(
    session: Session, scenario: PriorityScenario, flt: AreaFilter, *, limit: int, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """A page of areas by score (gated ones last, ties by id), ranked nationally and within the filter; the total."""
    where, params = area_where(flt, "h")
    params.update({"scenario": scenario.id, "limit": limit, "offset": offset})
    # Rank on narrow rows (id, score, gate) and fetch the wide ones (contributions, inputs, area
    # attributes) for the page only: carrying them through the national sort took 1 s at 100,000 areas.
    # Without a filter the (wide) area rows are not read for the ranking at all.
    join_areas = " JOIN hazardous_area h ON h.id = n.hazardous_area_id" if where else ""
    query = f"""
        WITH national AS (
            SELECT c.hazardous_area_id, c.run_id, s.score,
                   row_number() OVER (ORDER BY s.gated IS NOT NULL, s.score DESC, c.hazardous_area_id) AS national_rank
            FROM priority_current c
            JOIN priority_score s ON s.run_id = c.run_id AND s.hazardous_area_id = c.hazardous_area_id
            WHERE c.scenario_id = :scenario
        ),
        page AS (
            SELECT row_number() OVER (ORDER BY n.national_rank) AS rank, n.national_rank, n.hazardous_area_id,
                   n.run_id, count(*) OVER () AS total
            FROM national n{join_areas}
            WHERE true{where}
            ORDER BY n.national_rank
            LIMIT :limit OFFSET :offset
        )
        SELECT p.rank, p.national_rank, p.hazardous_area_id, h.national_id, h.name, h.classification, h.status,
               h.oblast_code, h.remaining_area_m2, s.score, s.contributions, s.inputs, s.gated, r.criteria, p.total
        FROM page p
        JOIN hazardous_area h ON h.id = p.hazardous_area_id
        JOIN priority_score s ON s.run_id = p.run_id AND s.hazardous_area_id = p.hazardous_area_id
        JOIN priority_run r ON r.id = p.run_id
        ORDER BY p.rank
    """
    rows, total = [], None
    for row in session.execute(text(query), params).mappings():
        item = dict(row)
        total = item.pop("total")
        names = item.pop("criteria")
        item["contributions"] = dict(zip(names, item["contributions"], strict=True))
        item["inputs"] = dict(zip(names, item["inputs"], strict=True))
        rows.append(item)
    if total is None:  # an empty page: past the end, or nothing selected
        total = (
            0
            if offset == 0
            else session.execute(
                text(f"SELECT count(*) FROM ({query}) q"), {**params, "limit": None, "offset": 0}
            ).scalar_one()
        )
    return rows, int(total)


def computed_at(session: Session, scenario: PriorityScenario) -> Any:
    """When the newest scores of the scenario were computed."""
    return session.execute(
        text("SELECT max(started_at) FROM priority_run WHERE scenario_id = :s"), {"s": scenario.id}
    ).scalar()


def _areas(session: Session, only: list[int] | None) -> tuple[list[int], Areas]:
    query = AREAS_SQL.format(only="AND id = ANY(%(ids)s)" if only is not None else "").replace(
        ":statuses", "%(statuses)s"
    )
    # Straight from the driver: 100,000 rows through ORM-level row processing cost seconds.
    # Binary results: geometries arrive as EWKB bytes, with no hex text to encode and decode.
    cursor = session.connection().connection.driver_connection.cursor(binary=True)  # type: ignore[union-attr]
    rows = cursor.execute(query, {"statuses": list(LIVE_AREA_STATUSES), "ids": only or []}).fetchall()
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in range(8)]
    ids, wkb, classification, types, reliability, blockages, returnees, remaining = columns
    return list(ids), Areas(
        geometry=_geoms(list(wkb)),
        classification=list(classification),
        contamination_types=[list(t) for t in types],
        information_reliability=list(reliability),
        blockages=[list(b) for b in blockages],
        returnees_expected=list(returnees),
        remaining_m2=np.array(remaining, dtype=float),
    )


def _context(session: Session, p: Parameters, *, near: list[int] | None, today: date) -> Context:
    """Settlements, recent accidents and context layers, all of them or only those near `near`."""
    near_sql = NEAR if near is not None else ""
    args = {
        "ids": near or [],
        "reach_deg": p.max_reach_m / MIN_METRES_PER_DEGREE,
        "since": date.fromordinal(today.toordinal() - int(p.older_months * 30.4375) - 1),
        "month_known": list(MONTH_KNOWN),
    }
    settlements = session.execute(
        text(f"SELECT ST_AsBinary(geom) AS wkb, population FROM settlement WHERE deleted_at IS NULL {near_sql}"), args
    ).all()
    # An accident whose date nobody recorded (occurred_on NULL, precision unknown), or whose month is
    # unknown (a year alone, stored as 1 January), has no recency: it weighs nothing rather than
    # counting as recent or as old.
    accidents = session.execute(
        text(
            f"""SELECT ST_AsBinary(geom) AS wkb, occurred_on,
                       (SELECT count(*) FROM victim v WHERE v.accident_id = accident.id) AS victims
                FROM accident WHERE deleted_at IS NULL AND occurred_on >= :since
                  AND occurred_on_precision = ANY(:month_known) {near_sql}"""
        ),
        args,
    ).all()
    features = session.execute(
        text(f"SELECT layer, ST_AsBinary(geom) AS wkb FROM context_feature WHERE deleted_at IS NULL {near_sql}"), args
    ).all()
    layers: dict[str, list[bytes]] = {}
    for f in features:
        layers.setdefault(f.layer, []).append(bytes(f.wkb))
    return Context(
        settlements=_geoms([r.wkb for r in settlements]),
        population=np.array([r.population for r in settlements], dtype=float),
        accidents=_geoms([r.wkb for r in accidents]),
        accident_dates=[r.occurred_on for r in accidents],
        victims=np.array([r.victims for r in accidents], dtype=float),
        layers={layer: _geoms(wkbs) for layer, wkbs in layers.items()},
    )


def _store_scores(session: Session, run_id: int, ids: list[int], result: Scored, names: list[str]) -> None:
    """COPY the scores with contributions and raw inputs as arrays ordered like `names` (no JSON per row)."""
    if not ids:
        return
    copy_keyed_float_rows(
        session,
        "priority_score",
        ["run_id", "hazardous_area_id", "score", "contributions", "inputs"],
        keys=[np.full(len(ids), run_id, dtype=np.int64), np.asarray(ids, dtype=np.int64)],
        values=result.score,
        arrays=[
            np.column_stack([result.contributions[n] for n in names]),
            np.column_stack([result.raw[n] for n in names]),
        ],
    )
    gated = [{"r": run_id, "a": area_id, "g": why} for area_id, why in zip(ids, result.gated, strict=True) if why]
    if gated:
        session.execute(
            text("UPDATE priority_score SET gated = :g WHERE run_id = :r AND hazardous_area_id = :a"), gated
        )


def _point_current_at(session: Session, scenario_id: int, run_id: int, only: list[int] | None) -> None:
    """Make this run's scores current; areas no longer scorable (closed, deleted) leave the ranking."""
    if only is None:  # a full run replaces the whole ranking: no per-row conflict handling needed
        session.execute(text("DELETE FROM priority_current WHERE scenario_id = :s"), {"s": scenario_id})
        session.execute(
            text(
                """INSERT INTO priority_current (scenario_id, hazardous_area_id, run_id)
                   SELECT :s, hazardous_area_id, run_id FROM priority_score WHERE run_id = :r"""
            ),
            {"s": scenario_id, "r": run_id},
        )
        return
    stale_scope = "AND hazardous_area_id = ANY(:ids)" if only is not None else ""
    session.execute(
        text(
            f"""DELETE FROM priority_current WHERE scenario_id = :s {stale_scope}
                AND hazardous_area_id NOT IN (SELECT hazardous_area_id FROM priority_score WHERE run_id = :r)"""
        ),
        {"s": scenario_id, "r": run_id, "ids": only or []},
    )
    session.execute(
        text(
            """INSERT INTO priority_current (scenario_id, hazardous_area_id, run_id)
               SELECT :s, hazardous_area_id, run_id FROM priority_score WHERE run_id = :r
               ON CONFLICT (scenario_id, hazardous_area_id)
               DO UPDATE SET run_id = EXCLUDED.run_id"""
        ),
        {"s": scenario_id, "r": run_id},
    )


def _geoms(wkbs: list[Any]) -> np.ndarray:
    return np.asarray(shapely.from_wkb([bytes(w) for w in wkbs]), dtype=object) if wkbs else np.empty(0, dtype=object)
