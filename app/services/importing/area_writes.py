"""Writing the staged areas (app/services/importing/areas.py): a few set-based statements for any number of rows.

First the admin codes of every row to write are settled (given, kept, or derived from the
geometry: app/services/importing/area_admin.py) and the new areas' ids taken, into a narrow table
beside staging, so that each area is written once. New areas go in by one INSERT … SELECT,
changed ones by one UPDATE … FROM (only the fields the mapping names, as a PATCH changes only the
properties it gives, and the codes). Status and classification moves go through the lifecycle
functions, which record their events. Then, still set-based: the areas queued for rescoring, their
quality flags (found from the shapes in memory, measured by PostGIS), and the audit trail: one
change per area created or corrected, under the import's entry, `after` holding the area's columns
and its geometry as the SHA-256 of its WKB, as app/db/audit.py records them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db.audit import SKIPPED, audit_entry_id
from app.db.models import HazardousArea
from app.domain.access import Actor
from app.domain.vocabulary import SQL_VALUES
from app.services.importing.area_admin import staged_codes
from app.services.importing.areas import ATTRIBUTES, LIFECYCLE, STAGING, AreaPlan, LifecycleChange
from app.services.importing.bulk import copy_frame
from app.services.priorities.stale import mark_areas_stale
from app.services.records import touch
from app.services.registry.admin_units import ADMIN_COLUMNS
from app.services.registry.area_lifecycle import change_classification, change_status, locked_area
from app.services.registry.quality import refresh_quality

BEFORE = "import_area_before"
GEOMETRIES = ("geom", "remaining_geom")
# Every column the audit trail records of an area; geometries by the hash of their WKB (app/db/audit.py).
AUDITED = [c.name for c in HazardousArea.__table__.columns if c.name not in {*SKIPPED, "id", *GEOMETRIES}]


def _record_json(hashes: dict[str, str]) -> str:
    """SQL of an area's audited columns as JSON (alias `h`), each geometry given as the SQL of its hash."""
    # One flat jsonb_build_object (the same JSON as to_jsonb of the row): a subquery per area cost a
    # third of the audit's time for 100,000 areas.
    pairs = [f"{_key(name)}, h.{name}" for name in AUDITED]
    pairs += [f"{_key(name)}, jsonb_build_object('wkb_sha256', {sql})" for name, sql in hashes.items()]
    return f"jsonb_build_object({', '.join(pairs)})"


def _key(column: str) -> str:
    """A JSON key as an SQL literal: the model's own column names, never a value from a file or a request."""
    assert column.isidentifier(), column
    return "'" + column + "'"


RECORD_JSON = _record_json({name: f"encode(sha256(ST_AsBinary(h.{name}, 'NDR')), 'hex')" for name in GEOMETRIES})
# A new area's two geometries are the staged one, hashed on staging.
NEW_RECORD_JSON = _record_json(dict.fromkeys(GEOMETRIES, "s.geom_sha256"))
NEW_ROWS = "s.existing_id IS NULL AND s.refusal IS NULL"
CHANGED_ROWS = "s.existing_id IS NOT NULL AND s.refusal IS NULL AND s.changed"
WRITTEN_ROWS = f"({NEW_ROWS}) OR ({CHANGED_ROWS})"
INSERTED = [name for name in ATTRIBUTES if name != "status"]


# Beside staging, one narrow row per row written: the new area's id (taken from the sequence
# beforehand, in row order) and the admin codes as settled (app/services/importing/area_admin.py).
# Neither is written into the wide staging rows: rewriting them cost seconds for 100,000 areas.
WRITTEN = "import_area_written"
WRITTEN_DDL = f"""
    CREATE TEMP TABLE {WRITTEN} (
        row_no integer PRIMARY KEY, record_id bigint, oblast_code text, raion_code text, hromada_code text
    ) ON COMMIT DROP"""


def _staged(name: str) -> str:
    """A staged value as written: admin codes as settled, the rest as staged."""
    return f"c.{name}" if name in ADMIN_COLUMNS.values() else f"s.{name}"


_INSERT = f"""
    INSERT INTO hazardous_area (id, {", ".join(INSERTED)}, source, status, reported_on_precision,
        status_changed_on, information_date, original_area_m2, remaining_area_m2, geom, remaining_geom,
        created_by, updated_by)
    SELECT c.record_id, {", ".join(_staged(name) for name in INSERTED)}, :source, coalesce(s.status, :v_open),
        s.reported_on_precision, s.reported_on, s.reported_on, s.area_m2, s.area_m2, s.geom, s.geom, :user, :user
    FROM {STAGING} AS s JOIN {WRITTEN} AS c ON c.row_no = s.row_no WHERE {NEW_ROWS}"""
_SNAPSHOT = f"""
    CREATE TEMP TABLE {BEFORE} ON COMMIT DROP AS
    SELECT h.id, {RECORD_JSON} AS j FROM hazardous_area AS h JOIN {STAGING} AS s ON h.id = s.existing_id
    WHERE {CHANGED_ROWS}"""
_UPDATE = f"""
    UPDATE hazardous_area AS h SET {{assignments}}
        remaining_geom = CASE WHEN s.geometry_changed THEN s.geom ELSE h.remaining_geom END,
        original_area_m2 = CASE WHEN s.geometry_changed THEN s.area_m2 ELSE h.original_area_m2 END,
        remaining_area_m2 = CASE WHEN s.geometry_changed THEN s.area_m2 ELSE h.remaining_area_m2 END,
        geom = s.geom, updated_at = clock_timestamp(), updated_by = :user
    FROM {STAGING} AS s JOIN {WRITTEN} AS c ON c.row_no = s.row_no WHERE h.id = s.existing_id AND {CHANGED_ROWS}"""
_AUDIT_CREATED = f"""
    INSERT INTO audit_change (entry_id, entity, record_id, action, before, after)
    SELECT :entry, :entity, h.id, :create, NULL, {NEW_RECORD_JSON}
    FROM hazardous_area AS h JOIN {WRITTEN} AS c ON c.record_id = h.id JOIN {STAGING} AS s ON s.row_no = c.row_no"""
# Before and after hold only the columns that changed, as for a PATCH.
_CHANGED_KEYS = "FROM jsonb_object_keys(n.j) AS k WHERE b.j -> k IS DISTINCT FROM n.j -> k"
_AUDIT_UPDATED = f"""
    INSERT INTO audit_change (entry_id, entity, record_id, action, before, after)
    SELECT :entry, :entity, b.id, :update,
           (SELECT jsonb_object_agg(k, b.j -> k) {_CHANGED_KEYS}),
           (SELECT jsonb_object_agg(k, n.j -> k) {_CHANGED_KEYS})
    FROM {BEFORE} AS b
    CROSS JOIN LATERAL (SELECT {RECORD_JSON} AS j FROM hazardous_area AS h WHERE h.id = b.id) AS n
    WHERE n.j IS DISTINCT FROM b.j"""


def write_areas(
    session: Session, plan: AreaPlan, *, source: str, actor: Actor, repairs: dict[int, list[str]]
) -> dict[int, int]:
    """Create and correct the planned areas (the caller commits); returns row index → area id of each.

    `repairs` holds the geometry repairs of each row (by index), for the quality flags.
    """
    if not plan.created and not plan.updated:
        return {}
    params: dict[str, Any] = {**SQL_VALUES, "source": source, "user": actor.name}
    entry = audit_entry_id(session)
    _settle_written(session, plan)
    session.execute(text(_INSERT), params)
    if plan.updated:
        session.execute(text(f"DROP TABLE IF EXISTS {BEFORE}"))
        session.execute(text(_SNAPSHOT))
        session.execute(text(_update_sql(plan.mapped)), params)
    for change in plan.lifecycle:
        _move(session, change, actor)
    rows = session.execute(
        text(
            f"SELECT s.row_no - 1, coalesce(c.record_id, s.existing_id), s.existing_id IS NULL OR s.geometry_changed "
            f"FROM {STAGING} AS s JOIN {WRITTEN} AS c ON c.row_no = s.row_no"
        )
    ).all()
    written = {index: area_id for index, area_id, _ in rows}
    area_ids = sorted(written.values())
    audit = {"entry": entry, "entity": HazardousArea.__tablename__, "create": "create", "update": "update"}
    session.execute(text(_AUDIT_CREATED), audit)
    if plan.updated:
        session.execute(text(_AUDIT_UPDATED), audit)
    mark_areas_stale(session, area_ids)
    # Repairs are noted for the geometries written now; an area whose geometry stayed keeps its note.
    refresh_quality(
        session,
        area_ids,
        {area_id: repairs.get(i, []) for i, area_id, reshaped in rows if reshaped},
        shapes={area_id: plan.geometry[i] for i, area_id in written.items()},
    )
    return written


def _settle_written(session: Session, plan: AreaPlan) -> None:
    """The rows to write with their new ids and their admin codes as the areas will hold them: given, kept, or derived.

    A changed area keeps the codes the file does not map, unless its geometry moved: then they
    follow the geometry and are derived again, as through the API.
    """
    if plan.updated:
        kept = [column for column in ADMIN_COLUMNS.values() if column not in plan.mapped]
        if kept:
            assignments = ", ".join(f"{c} = CASE WHEN s.geometry_changed THEN NULL ELSE h.{c} END" for c in kept)
            session.execute(
                text(
                    f"UPDATE {STAGING} AS s SET {assignments} FROM hazardous_area AS h "
                    f"WHERE h.id = s.existing_id AND {CHANGED_ROWS}"
                )
            )
    indexes = np.array(sorted([*plan.created, *plan.updated]), dtype=int)
    codes = staged_codes(session, STAGING, WRITTEN_ROWS, indexes + 1, plan.geometry[indexes])
    record_ids = np.full(len(indexes), None, dtype=object)
    if plan.created:
        new_ids = session.scalars(
            text("SELECT nextval(pg_get_serial_sequence('hazardous_area', 'id')) FROM generate_series(1, :n)"),
            {"n": len(plan.created)},
        ).all()
        record_ids[np.isin(indexes, plan.created)] = sorted(new_ids)  # in row order, as one INSERT would give them
    session.execute(text(f"DROP TABLE IF EXISTS {WRITTEN}"))
    session.execute(text(WRITTEN_DDL))
    copy_frame(session, WRITTEN, pd.DataFrame({"row_no": indexes + 1, "record_id": record_ids, **codes}))
    session.execute(text(f"ANALYZE {WRITTEN}"))


def _update_sql(mapped: set[str]) -> str:
    """The UPDATE of changed areas: every mapped field but status and classification (the lifecycle moves them).

    The admin codes are all set, as settled on staging.
    """
    names = [name for name in ATTRIBUTES if name in mapped and name not in ("external_id", *LIFECYCLE)]
    names += [column for column in ADMIN_COLUMNS.values() if column not in names]
    assignments = [f"{name} = {_staged(name)}" for name in names]
    if "reported_on" in mapped:
        assignments += [
            "reported_on_precision = s.reported_on_precision",
            # The date of information only moves forward (docs/mine-action.md §4.4).
            "information_date = greatest(h.information_date, s.reported_on)",
        ]
    return _UPDATE.format(assignments="".join(f"{a}, " for a in assignments))


def _move(session: Session, change: LifecycleChange, actor: Actor) -> None:
    """A status or classification move of a re-imported area, through the lifecycle, recorded as an event."""
    area = locked_area(session, change.area_id)
    if change.classification is not None:
        area.evidence = change.evidence
        change_classification(
            session,
            area,
            change.classification,
            evidence=change.evidence,
            on=change.on,
            user=actor.name,
            reason=change.reason,
        )
    if change.status is not None:
        change_status(session, area, change.status, on=change.on, user=actor.name, reason=change.reason)
    touch(area, actor.name)
    session.flush()
