"""What the dashboard shows beside the map: headline figures, an area's details, accidents, filter choices."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain import clock
from app.domain.access import Actor, allowed, require
from app.domain.vocabulary import RELEASE_KINDS, SQL_VALUES, DeviceFate
from app.services.area_filter import AreaFilter, area_where
from app.services.registry.admin_units import admin_choices
from app.services.registry.hazardous_areas import get_area
from app.services.registry.quality import LIVE_AREAS, QUALITY_SQL_VALUES, counted_twice_sql

# Items whose fate ends the threat on the spot or by removal for demolition.
DESTROYED_FATES: tuple[DeviceFate, ...] = ("destroyed_in_situ", "removed")

HEADLINE_SQL = """
    WITH areas AS (SELECT h.id, h.classification, h.status, h.remaining_area_m2
                   FROM hazardous_area h WHERE h.deleted_at IS NULL{where})
    SELECT
        (SELECT count(*) FROM areas) AS areas,
        (SELECT coalesce(sum(remaining_area_m2), 0) FROM areas
         WHERE classification = :v_SHA AND status = ANY(:live_statuses)) AS suspected_remaining_m2,
        (SELECT coalesce(sum(remaining_area_m2), 0) FROM areas
         WHERE classification = :v_CHA AND status = ANY(:live_statuses)) AS confirmed_remaining_m2,
        (SELECT coalesce(json_object_agg(kind, m2), '{{}}')
         FROM (SELECT r.kind, sum(r.area_m2) AS m2 FROM release r JOIN areas a ON a.id = r.hazardous_area_id
               WHERE r.released_on >= :year_start AND r.released_on <= :today GROUP BY r.kind) k
        ) AS released_this_year_m2,
        (SELECT count(DISTINCT t.id) FROM task t
         JOIN task_hazardous_area ta ON ta.task_id = t.id JOIN areas a ON a.id = ta.hazardous_area_id
         WHERE t.deleted_at IS NULL AND t.status = ANY(:active_task_statuses)) AS active_tasks,
        (SELECT coalesce(sum(d.quantity), 0) FROM device_found d JOIN areas a ON a.id = d.hazardous_area_id
         WHERE d.deleted_at IS NULL AND d.fate = ANY(:destroyed)) AS devices_destroyed
"""


def headline(session: Session, flt: AreaFilter, *, today: date | None = None) -> dict[str, Any]:
    """Remaining SHA/CHA m², m² released this calendar year by kind, active tasks, devices destroyed.

    Land that overlapping live areas share counts once in the remaining m² (as CHA where an SHA and
    a CHA share it); `overlap_counted_once_m2` says how much land that was.
    """
    today = today or clock.today()
    where, params = area_where(flt, "h")
    params.update(SQL_VALUES, year_start=date(today.year, 1, 1), today=today, destroyed=list(DESTROYED_FATES))
    row = session.execute(text(HEADLINE_SQL.format(where=where)), params).mappings().one()
    figures = dict(row)
    released = figures["released_this_year_m2"]
    figures["released_this_year_m2"] = {kind: round(released.get(kind, 0), 1) for kind in RELEASE_KINDS}
    twice = session.execute(text(counted_twice_sql(LIVE_AREAS + where)), {**params, **QUALITY_SQL_VALUES}).first()
    sha_twice, cha_twice = (twice.sha_m2, twice.cha_m2) if twice else (0.0, 0.0)
    figures["suspected_remaining_m2"] = round(figures["suspected_remaining_m2"] - sha_twice, 1)
    figures["confirmed_remaining_m2"] = round(figures["confirmed_remaining_m2"] - cha_twice, 1)
    figures["overlap_counted_once_m2"] = round(sha_twice + cha_twice, 1)
    return {"year": today.year, **figures}


DETAIL_SQL = {
    "tasks": """
        SELECT t.id, t.reference, t.status, t.team, o.name AS organisation, t.planned_start, t.planned_end
        FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id JOIN organisation o ON o.id = t.organisation_id
        WHERE ta.hazardous_area_id = :id AND t.deleted_at IS NULL ORDER BY t.planned_start NULLS LAST, t.id""",
    "finds": """
        SELECT category, sum(quantity) AS items, sum(quantity) FILTER (WHERE fate = ANY(:destroyed)) AS destroyed
        FROM device_found WHERE hazardous_area_id = :id AND deleted_at IS NULL
        GROUP BY category ORDER BY category""",
    "accidents": """
        SELECT count(DISTINCT a.id) AS accidents, count(v.id) FILTER (WHERE v.outcome = :v_killed) AS killed,
               count(v.id) FILTER (WHERE v.outcome = :v_injured) AS injured
        FROM accident a LEFT JOIN victim v ON v.accident_id = a.id
        WHERE a.hazardous_area_id = :id AND a.deleted_at IS NULL""",
    "bounds": """
        SELECT ST_XMin(geom) AS west, ST_YMin(geom) AS south, ST_XMax(geom) AS east, ST_YMax(geom) AS north
        FROM hazardous_area WHERE id = :id""",
}
AREA_FIELDS = (
    "id",
    "national_id",
    "name",
    "classification",
    "status",
    "contamination_types",
    "evidence",
    "oblast_code",
    "raion_code",
    "hromada_code",
    "reported_on",
    "information_date",
    "original_area_m2",
    "remaining_area_m2",
    "cancelled_m2",
    "reduced_m2",
    "cleared_m2",
)


def area_details(session: Session, area_id: int, *, actor: Actor) -> dict[str, Any]:
    """An area's key attributes and m² by kind, its tasks, finds by category and accident counts.

    Finds and accidents are left out (empty, null) for readers who may not read them (public reading).
    """
    require(actor, "read.registry")
    area = get_area(session, area_id)  # 404/410 for unknown or deleted areas
    params = {**SQL_VALUES, "id": area_id, "destroyed": list(DESTROYED_FATES)}
    details: dict[str, Any] = {name: area[name] for name in AREA_FIELDS}
    details["tasks"] = [dict(r) for r in session.execute(text(DETAIL_SQL["tasks"]), params).mappings()]
    details["finds"] = []
    if allowed(actor, "read.finds"):
        details["finds"] = [dict(r) for r in session.execute(text(DETAIL_SQL["finds"]), params).mappings()]
    details["accidents"] = None
    if allowed(actor, "read.accidents"):
        details["accidents"] = dict(session.execute(text(DETAIL_SQL["accidents"]), params).mappings().one())
    details["bounds"] = list(session.execute(text(DETAIL_SQL["bounds"]), params).one())
    details["timeline"] = f"/api/v1/hazardous-areas/{area_id}/timeline"
    return details


ACCIDENT_POINTS_SQL = """
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
        'type', 'Feature', 'id', a.id,
        'geometry', ST_AsGeoJSON(a.geom, 5)::json,
        'properties', json_build_object('id', a.id, 'occurred_on', a.occurred_on, 'type', a.type,
                                        'victims', (SELECT count(*) FROM victim v WHERE v.accident_id = a.id))
    ) ORDER BY a.id), '[]'::json))::text
    FROM accident a WHERE a.deleted_at IS NULL
      AND (CAST(:since AS date) IS NULL OR a.occurred_on >= :since)
"""


SETTLEMENT_POINTS_SQL = """
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
        'type', 'Feature', 'geometry', ST_AsGeoJSON(geom, 4)::json,
        'properties', json_build_object('name', name, 'population', population)
    ) ORDER BY id), '[]'::json))::text
    FROM settlement WHERE deleted_at IS NULL
"""


def settlement_points(session: Session) -> str:
    """The settlement layer (name, population) as GeoJSON text."""
    return str(session.execute(text(SETTLEMENT_POINTS_SQL)).scalar_one())


def accident_points(session: Session, *, since: date | None) -> str:
    """Live accidents as GeoJSON text (date, type, number of victims; nothing about the people)."""
    return str(session.execute(text(ACCIDENT_POINTS_SQL), {"since": since}).scalar_one())


# Distinct admin codes by walking the column's index (one probe per code) rather than reading every
# area: milliseconds at 100,000 areas where SELECT DISTINCT took a third of a second.
DISTINCT_CODES_SQL = """
    WITH RECURSIVE codes AS (
        (SELECT {column} AS code FROM hazardous_area WHERE {column} IS NOT NULL ORDER BY 1 LIMIT 1)
        UNION ALL
        SELECT (SELECT h.{column} FROM hazardous_area h WHERE h.{column} > codes.code ORDER BY 1 LIMIT 1)
        FROM codes WHERE codes.code IS NOT NULL
    )
    SELECT code FROM codes WHERE code IS NOT NULL"""
CHOICES_SQL = {
    "oblasts": DISTINCT_CODES_SQL.format(column="oblast_code"),
    "raions": DISTINCT_CODES_SQL.format(column="raion_code"),
    "hromadas": DISTINCT_CODES_SQL.format(column="hromada_code"),
    "operators": """SELECT id, name FROM organisation WHERE deleted_at IS NULL ORDER BY name""",
    "contamination_types": """SELECT code, label FROM contamination_type ORDER BY sort_order, code""",
    "scenarios": """SELECT name FROM priority_scenario WHERE deleted_at IS NULL ORDER BY id""",
}


ADMIN_CHOICES = {1: "oblasts", 2: "raions", 3: "hromadas"}


def filter_choices(session: Session) -> dict[str, list[Any]]:
    """Values the filter form offers: admin units, operators, contamination types, scenarios.

    Admin units are the loaded ones (`admin_unit`, by name; `admin_names` holds [code, name] pairs),
    then any other code recorded on areas; at a level without loaded boundaries, the codes of
    recorded areas.
    """
    choices: dict[str, list[Any]] = {}
    for name, sql in CHOICES_SQL.items():
        rows = session.execute(text(sql)).all()
        choices[name] = [row[0] if len(row) == 1 else tuple(row) for row in rows]
    units = admin_choices(session)
    for level, key in ADMIN_CHOICES.items():
        if level in units:
            loaded = [code for code, _ in units[level]]
            known = set(loaded)
            choices[key] = loaded + [code for code in choices[key] if code not in known]
    if units:
        choices["admin_names"] = [[code, name] for level in sorted(units) for code, name in units[level]]
    return choices
