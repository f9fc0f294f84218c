"""What the dashboard shows beside the map: headline figures, an area's details, accidents, filter choices."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import mgrs
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db.models import PriorityScenario
from app.domain import clock
from app.domain.access import Actor, allowed, require
from app.domain.vocabulary import RELEASE_KINDS, SQL_VALUES, DeviceFate
from app.i18n import DEFAULT_LANGUAGE
from app.services.area_filter import AreaFilter, area_where
from app.services.dashboard.labels import label_rows, lookup_labels
from app.services.priorities import ranking as priorities
from app.services.registry.admin_units import admin_choices
from app.services.registry.hazardous_areas import get_area
from app.services.registry.place_names import named_choices, named_features
from app.services.registry.quality import LIVE_AREAS, QUALITY_SQL_VALUES, counted_twice_sql
from app.services.registry.timeline import timeline

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
        SELECT t.id, t.reference, t.status, t.team, t.organisation_id, o.name AS organisation, o.acronym,
               t.status = ANY(:active_task_statuses) AS active, t.planned_start, t.planned_end
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
    # A point inside the area (not its centroid, which a crescent's may miss): where a team drives to.
    "point": """SELECT ST_Y(p) AS lat, ST_X(p) AS lon FROM (SELECT ST_PointOnSurface(geom) AS p
                FROM hazardous_area WHERE id = :id) q""",
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


def area_details(
    session: Session,
    area_id: int,
    *,
    actor: Actor,
    language: str = DEFAULT_LANGUAGE,
    scenario: PriorityScenario | None = None,
    flt: AreaFilter | None = None,
) -> dict[str, Any]:
    """An area's key attributes and m² by kind, its tasks, finds by category and accident counts.

    Finds and accidents are left out (empty, null) for readers who may not read them (public reading).
    Names instead of codes (`place`, `contamination`), a point inside it in decimal degrees and MGRS
    (`coordinates`), its history (`history`, in `language`), and with a `scenario` its place in the
    ranking under `flt` with the reasons in units (`priority`, null when the area is not scored).
    """
    require(actor, "read.registry")
    area = get_area(session, area_id)  # 404/410 for unknown or deleted areas
    params = {**SQL_VALUES, "id": area_id, "destroyed": list(DESTROYED_FATES)}
    details: dict[str, Any] = {name: area[name] for name in AREA_FIELDS}
    label_rows(session, [details], language)
    lat, lon = session.execute(text(DETAIL_SQL["point"]), params).one()
    details["coordinates"] = {"lat": round(lat, 6), "lon": round(lon, 6), "mgrs": mgrs_reference(lat, lon)}
    details["tasks"] = [dict(r) for r in session.execute(text(DETAIL_SQL["tasks"]), params).mappings()]
    viewer = priorities.viewer_organisation(actor)
    details["other_operator_task"] = any(t["active"] and t["organisation_id"] != viewer for t in details["tasks"])
    details["priority"] = None
    if scenario is not None:
        ranked = priorities.area_rank(session, scenario, flt or AreaFilter(), area_id)
        if ranked is not None:
            priorities.explain(session, scenario, [ranked], viewer_organisation=viewer)
            ranked["scenario"], ranked["scenario_version"] = scenario.name, scenario.version
            details["priority"] = ranked
    details["history"] = timeline(session, area_id, actor=actor, language=language)["entries"]
    details["finds"] = []
    if allowed(actor, "read.finds"):
        details["finds"] = [dict(r) for r in session.execute(text(DETAIL_SQL["finds"]), params).mappings()]
    details["accidents"] = None
    if allowed(actor, "read.accidents"):
        details["accidents"] = dict(session.execute(text(DETAIL_SQL["accidents"]), params).mappings().one())
    details["bounds"] = list(session.execute(text(DETAIL_SQL["bounds"]), params).one())
    details["timeline"] = f"/api/v1/hazardous-areas/{area_id}/timeline"
    return details


def mgrs_reference(lat: float, lon: float) -> str:
    """The MGRS reference to 1 m, spaced as printed on maps: `37U CR 01454 41196`."""
    plain = str(mgrs.MGRS().toMGRS(lat, lon, MGRSPrecision=5))
    return f"{plain[:-15]} {plain[-15:-10]} {plain[-10:-5]} {plain[-5:]}"


# Accidents newest first; `victims` counts people, never names them. The area filter applies through
# space for admin units (inside the loaded unit's boundary, else near an area of that unit) and
# through the accident's area for the attributes of areas (status, classification, operator…).
ACCIDENT_POINTS_SQL = """
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
        'type', 'Feature', 'id', a.id,
        'geometry', ST_AsGeoJSON(a.geom, 5)::json,
        'properties', json_build_object('id', a.id, 'occurred_on', a.occurred_on, 'type', a.type,
                                        'hazardous_area_id', a.hazardous_area_id,
                                        'deaths', (SELECT count(*) FROM victim v WHERE v.accident_id = a.id
                                                   AND v.outcome = :v_killed),
                                        'victims', (SELECT count(*) FROM victim v WHERE v.accident_id = a.id))
    ) ORDER BY a.occurred_on DESC NULLS LAST, a.id), '[]'::json))::text
    FROM accident a WHERE a.deleted_at IS NULL
      AND (CAST(:since AS date) IS NULL OR a.occurred_on >= :since)
      AND (CAST(:until AS date) IS NULL OR a.occurred_on <= :until){unit}{areas}
"""
# Inside the narrowest chosen unit's boundary when it is loaded; else inside an area that carries the code.
ACCIDENT_IN_UNIT = """
      AND (CASE WHEN EXISTS (SELECT 1 FROM admin_unit u WHERE u.code = :unit_code)
           THEN EXISTS (SELECT 1 FROM admin_unit u WHERE u.code = :unit_code AND ST_Intersects(u.geom, a.geom))
           ELSE EXISTS (SELECT 1 FROM hazardous_area ua WHERE ua.deleted_at IS NULL
                        AND :unit_code IN (ua.oblast_code, ua.raion_code, ua.hromada_code)
                        AND ST_DWithin(ua.geom, a.geom, 0.01)) END)"""
ACCIDENT_OF_AREA = """
      AND EXISTS (SELECT 1 FROM hazardous_area h WHERE h.id = a.hazardous_area_id AND h.deleted_at IS NULL{where})"""


SETTLEMENT_POINTS_SQL = """
    SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
        'type', 'Feature', 'geometry', ST_AsGeoJSON(geom, 4)::json,
        'properties', json_build_object('name', name, 'population', population)
    ) ORDER BY id), '[]'::json))::text
    FROM settlement WHERE deleted_at IS NULL
"""


def settlement_points(session: Session, language: str | None = None) -> str:
    """The settlement layer (name, population) as GeoJSON text; given a `language`, the names are in it."""
    collection = str(session.execute(text(SETTLEMENT_POINTS_SQL)).scalar_one())
    return named_features(collection, language) if language else collection


def accident_points(
    session: Session,
    *,
    since: date | None,
    until: date | None = None,
    flt: AreaFilter | None = None,
) -> str:
    """Live accidents as GeoJSON text (date, type, number of victims; nothing about the people).

    `flt` selects by admin unit through space and by the other area attributes through the
    accident's area (an accident linked to no area then drops out); bbox and dates of areas are ignored.
    """
    flt = flt or AreaFilter()
    params: dict[str, Any] = {**SQL_VALUES, "since": since, "until": until}
    unit_code = flt.hromada_code or flt.raion_code or flt.oblast_code
    unit = ACCIDENT_IN_UNIT if unit_code else ""
    params["unit_code"] = unit_code
    attributes = replace(flt, oblast_code=None, raion_code=None, hromada_code=None, bbox=None)
    attributes = replace(attributes, reported_from=None, reported_to=None)
    where, filter_params = area_where(attributes, "h")
    params.update(filter_params)
    areas = ACCIDENT_OF_AREA.format(where=where) if where else ""
    return str(session.execute(text(ACCIDENT_POINTS_SQL.format(unit=unit, areas=areas)), params).scalar_one())


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


def filter_choices(session: Session, language: str | None = None) -> dict[str, list[Any]]:
    """Values the filter form offers: admin units, operators, contamination types, scenarios.

    Admin units are the loaded ones (`admin_unit`, by name; `admin_names` holds [code, name] pairs),
    then any other code recorded on areas; at a level without loaded boundaries, the codes of
    recorded areas. Given a `language`, names and labels are in it (services.registry.place_names).
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
    # The lookup lists' labels in the page's language (dashboard.js labels finds, types… with them).
    choices["lookups"] = lookup_labels(session, language or DEFAULT_LANGUAGE)  # type: ignore[assignment]
    return named_choices(session, choices, language) if language else choices
