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
from app.domain.access import SCOPED_ROLES, Actor, require
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
               h.oblast_code, h.raion_code, h.hromada_code, h.contamination_types,
               h.remaining_area_m2, s.score, s.contributions, s.inputs, s.gated, r.criteria, p.total
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


# The reasons of a page of the ranking in real units: people living within the population reach,
# people killed or injured within the accident reach in the last `older_months`, and who has an
# active task there. Box tests first (degrees, widened generously), then exact metres.
FACTS_SQL = """
    SELECT h.id,
        (SELECT coalesce(sum(s.population), 0) FROM settlement s
         WHERE s.deleted_at IS NULL AND s.geom && ST_Expand(h.remaining_geom, :pop_deg)
           AND ST_DWithin(s.geom::geography, h.remaining_geom::geography, :pop_m)) AS people,
        (SELECT count(v.id) FROM accident a JOIN victim v ON v.accident_id = a.id
         WHERE a.deleted_at IS NULL AND a.occurred_on >= :since AND a.occurred_on_precision = ANY(:month_known)
           AND a.geom && ST_Expand(h.remaining_geom, :acc_deg)
           AND ST_DWithin(a.geom::geography, h.remaining_geom::geography, :acc_m)) AS casualties
    FROM hazardous_area h WHERE h.id = ANY(:ids)
"""
ACTIVE_TASKS_SQL = """
    SELECT ta.hazardous_area_id, t.id, t.reference, t.status, t.organisation_id, o.name AS organisation,
           o.acronym
    FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id JOIN organisation o ON o.id = t.organisation_id
    WHERE ta.hazardous_area_id = ANY(:ids) AND t.deleted_at IS NULL AND t.status = ANY(:active_task_statuses)
    ORDER BY ta.hazardous_area_id, t.id
"""


def area_rank(session: Session, scenario: PriorityScenario, flt: AreaFilter, area_id: int) -> dict[str, Any] | None:
    """One area's place in the ranking: score, contributions, gate, national rank and rank within `flt`.

    None when the scenario has no current score for the area (closed, or never scored). `rank` is
    None when the filter does not select the area. Any area can be looked up, not only a listed page.
    """
    where, params = area_where(flt, "h")
    params.update({"scenario": scenario.id, "id": area_id})
    query = f"""
        WITH national AS (
            SELECT c.hazardous_area_id, c.run_id, s.score, s.gated,
                   row_number() OVER (ORDER BY s.gated IS NOT NULL, s.score DESC, c.hazardous_area_id) AS national_rank
            FROM priority_current c
            JOIN priority_score s ON s.run_id = c.run_id AND s.hazardous_area_id = c.hazardous_area_id
            WHERE c.scenario_id = :scenario
        ),
        me AS (SELECT * FROM national WHERE hazardous_area_id = :id)
        SELECT me.national_rank, me.score, me.gated, s.contributions, s.inputs, r.criteria,
               (SELECT count(*) FROM national n JOIN hazardous_area h ON h.id = n.hazardous_area_id
                WHERE n.national_rank <= me.national_rank{where}) AS rank,
               EXISTS (SELECT 1 FROM hazardous_area h WHERE h.id = :id{where}) AS selected
        FROM me
        JOIN priority_score s ON s.run_id = me.run_id AND s.hazardous_area_id = me.hazardous_area_id
        JOIN priority_run r ON r.id = me.run_id
    """
    row = session.execute(text(query), params).mappings().first()
    if row is None:
        return None
    names = row["criteria"]
    return {
        "hazardous_area_id": area_id,
        "rank": int(row["rank"]) if row["selected"] else None,
        "national_rank": int(row["national_rank"]),
        "score": row["score"],
        "gated": row["gated"],
        "contributions": dict(zip(names, row["contributions"], strict=True)),
        "inputs": dict(zip(names, row["inputs"], strict=True)),
    }


def viewer_organisation(actor: Actor) -> int:
    """Whose tasks are "another operator's" for this viewer: all but its own for an operator; all (0) otherwise.

    An admin, coordinator or viewer works for the authority that tasks operators, not for one of them,
    so any operator's active task is another's for them (docs/dashboard.md).
    """
    return (actor.organisation_id or 0) if actor.role in SCOPED_ROLES else 0


def explain(
    session: Session,
    scenario: PriorityScenario,
    rows: list[dict[str, Any]],
    *,
    viewer_organisation: int,
    today: date | None = None,
) -> None:
    """Add to each ranked row its reasons in units (`facts`), its active tasks and `other_operator_task`.

    `other_operator_task`: an active task of an organisation other than `viewer_organisation`
    (0: of any organisation; docs/dashboard.md).
    """
    if not rows:
        return
    ids = [r["hazardous_area_id"] for r in rows]
    p = Parameters.from_dict(current_version(session, scenario).parameters)
    today = today or clock.today()
    since = date.fromordinal(today.toordinal() - int(p.older_months * 30.4375))
    facts = {
        r.id: r
        for r in session.execute(
            text(FACTS_SQL),
            {
                "ids": ids,
                "pop_m": p.population_reach_m,
                "pop_deg": p.population_reach_m / MIN_METRES_PER_DEGREE,
                "acc_m": p.accident_reach_m,
                "acc_deg": p.accident_reach_m / MIN_METRES_PER_DEGREE,
                "since": since,
                "month_known": list(MONTH_KNOWN),
            },
        )
    }
    tasks: dict[int, list[dict[str, Any]]] = {}
    for t in session.execute(text(ACTIVE_TASKS_SQL), {**SQL_VALUES, "ids": ids}).mappings():
        task = dict(t)
        tasks.setdefault(task.pop("hazardous_area_id"), []).append(task)
    for row in rows:
        inputs, fact = row["inputs"], facts.get(row["hazardous_area_id"])
        row["facts"] = {
            "people": int(fact.people) if fact else 0,
            "people_reach_km": p.population_reach_m / 1000,
            "casualties": int(fact.casualties) if fact else 0,
            "casualty_months": p.older_months,
            "casualty_reach_km": p.accident_reach_m / 1000,
            "farmland_ha": round(inputs.get("farmland", 0.0) / 10_000, 2),
            "roads_m": round(inputs.get("roads", 0.0)),
            "returnees": round(inputs.get("returns", 0.0)),
            "cost_usd": round(inputs.get("feasibility", 0.0)),
        }
        row["active_tasks"] = tasks.get(row["hazardous_area_id"], [])
        row["other_operator_task"] = any(t["organisation_id"] != viewer_organisation for t in row["active_tasks"])


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
