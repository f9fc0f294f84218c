"""Hazardous areas by the fast path: COPY into a staging table, checks as set-based SQL, then one INSERT … SELECT.

A national file holds 100,000 areas: one ORM object (and one round trip) per row would take
minutes. The rows that passed the checks in Python (fields, geometry hygiene) are copied into a
temporary table, where a handful of UPDATE … FROM statements refuse what only the database can
tell (an area of this source and id deleted, a national id taken, a geometry corrected after land
was released, an admin code that names no loaded unit, a status the lifecycle forbids) and mark
what a re-import leaves unchanged. Writing the rest (app/services/importing/area_writes.py) is a
few set-based statements more. Nothing here writes to the register.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db.bulk import ewkb
from app.db.models import EvidenceType, ImportJob
from app.domain import clock
from app.domain.errors import IllegalTransition
from app.domain.transitions import AreaState, check_area_status, check_classification
from app.domain.vocabulary import SQL_VALUES, DevicePersistence
from app.services.importing.bulk import copy_frame
from app.services.importing.fields import FIELDS
from app.services.importing.progress import Tracker
from app.services.importing.report import Report, RowOutcome
from app.services.importing.validation import Checked, Problem
from app.services.registry.admin_units import ADMIN_COLUMNS
from gis.importing.shapes import CleanAreas

STAGING = "import_area"
SQL_TYPES = {"int": "bigint", "number": "double precision", "date": "date", "codes": "text[]", "organisation": "bigint"}
ATTRIBUTES = [spec.name for spec in FIELDS["hazardous_areas"]]
# Status and classification change through the lifecycle rules, not by overwriting (docs/mine-action.md §4.3).
LIFECYCLE = ("status", "classification")
UNKNOWN_PERSISTENCE: DevicePersistence = "unknown"  # what a blank cell says, as the API's default
CHUNK_ROWS = 20_000  # rows copied between two looks at the job's progress and cancellation
STAGING_DDL = f"""
    CREATE TEMP TABLE {STAGING} (
        row_no integer PRIMARY KEY,
        {", ".join(f"{spec.name} {SQL_TYPES.get(spec.reader, 'text')}" for spec in FIELDS["hazardous_areas"])},
        reported_on_precision text, area_m2 double precision, geom geometry(MultiPolygon, 4326), geom_sha256 text,
        existing_id bigint, refusal text, refusal_field text, changed boolean,
        geometry_changed boolean
    ) ON COMMIT DROP"""

# Checks only the database can make, each refusing a staged row with the reason and the fix.
_MATCH_EXISTING = f"""
    UPDATE {STAGING} AS s SET existing_id = h.id,
        refusal = CASE WHEN h.deleted_at IS NOT NULL THEN format(
            'hazardous area %s, which has this external id, was deleted on %s by %s: restore it '
            '(POST /api/v1/hazardous-areas/%s/restore) to update it, or give the row another external id',
            h.id, h.deleted_at::date, h.deleted_by, h.id) END,
        refusal_field = CASE WHEN h.deleted_at IS NOT NULL THEN CAST(:field_external_id AS text) END
    FROM hazardous_area AS h
    WHERE h.source = :source AND h.external_id = s.external_id"""
_CHECKS = (
    f"""UPDATE {STAGING} AS s SET refusal = format('national id %s is already used by hazardous area %s',
            s.national_id, h.id), refusal_field = CAST(:field_national_id AS text)
        FROM hazardous_area AS h
        WHERE s.refusal IS NULL AND h.national_id = s.national_id AND h.id IS DISTINCT FROM s.existing_id""",
    f"""UPDATE {STAGING} SET refusal = format('a new area cannot be %s: it has %s m² remaining; import it as one '
            'of %s and release its land', status, round(area_m2), array_to_string(:live_statuses, ', ')),
            refusal_field = CAST(:field_status AS text)
        WHERE refusal IS NULL AND existing_id IS NULL AND status IS NOT NULL AND NOT status = ANY(:live_statuses)""",
    f"""UPDATE {STAGING} AS s SET geometry_changed = NOT (h.geom = s.geom) FROM hazardous_area AS h
        WHERE h.id = s.existing_id AND s.refusal IS NULL""",
    f"""UPDATE {STAGING} AS s SET refusal = format('hazardous area %s already has land released: its geometry can '
            'no longer be corrected; record a new area for newly found ground', h.id),
            refusal_field = CAST(:field_geometry AS text)
        FROM hazardous_area AS h
        WHERE h.id = s.existing_id AND s.refusal IS NULL AND s.geometry_changed
          AND (h.remaining_area_m2 <> h.original_area_m2
               OR EXISTS (SELECT 1 FROM release AS r WHERE r.hazardous_area_id = h.id))""",
)
# A given admin code must be a loaded unit of its level, once boundaries of that level are loaded.
_ADMIN_CHECK = f"""
    UPDATE {STAGING} AS s SET refusal = format('%s %s is not a loaded level-%s admin unit: see '
        'GET /api/v1/admin-units?level=%s, or leave it blank to derive it from the geometry',
        CAST(:column AS text), s.{{column}}, :level, :level), refusal_field = CAST(:column AS text)
    WHERE s.refusal IS NULL AND s.{{column}} IS NOT NULL
      AND EXISTS (SELECT 1 FROM admin_unit WHERE level = :level)
      AND NOT EXISTS (SELECT 1 FROM admin_unit AS u WHERE u.level = :level AND u.code = s.{{column}})"""
# Given codes must nest as the loaded units' parents say (the wider given code is blamed).
_NESTING_CHECK = f"""
    UPDATE {STAGING} AS s SET refusal = format('%s %s lies in %s %s, not %s: give codes that nest, or leave the '
        'wider ones blank to derive them', CAST(:child AS text), s.{{child}}, CAST(:parent AS text), u.parent_code,
        s.{{parent}}), refusal_field = CAST(:parent AS text)
    FROM admin_unit AS u
    WHERE s.refusal IS NULL AND s.{{child}} IS NOT NULL AND s.{{parent}} IS NOT NULL
      AND u.level = :level AND u.code = s.{{child}} AND u.parent_code IS NOT NULL AND u.parent_code <> s.{{parent}}"""
# Ukrainian KATOTTG codes nest by prefix, boundaries loaded or not, as through the API
# (app/services/registry/hazardous_areas.py): the wider code comes from the narrower, and must match it.
_KATOTTG_WIDER = f"""
    UPDATE {STAGING} AS s SET {{parent}} = left(s.{{child}}, :width)
    WHERE s.refusal IS NULL AND s.{{parent}} IS NULL AND starts_with(s.{{child}}, 'UA')"""
_KATOTTG_NESTING = f"""
    UPDATE {STAGING} AS s SET refusal = format('%s %s is not in %s %s (KATOTTG codes nest)',
        CAST(:child_word AS text), s.{{child}}, CAST(:parent_word AS text), s.{{parent}}),
        refusal_field = CAST(:parent AS text)
    WHERE s.refusal IS NULL AND starts_with(s.{{child}}, 'UA') AND starts_with(s.{{parent}}, 'UA')
      AND NOT starts_with(s.{{child}}, s.{{parent}})"""
_LIFECYCLE_ROWS = f"""
    SELECT s.row_no, h.id, h.status, h.classification, h.remaining_area_m2, h.information_date, h.evidence,
           s.status AS new_status, s.classification AS new_classification, s.status_reason, s.reported_on,
           s.evidence AS new_evidence
    FROM {STAGING} AS s JOIN hazardous_area AS h ON h.id = s.existing_id
    WHERE s.refusal IS NULL AND ((s.status IS NOT NULL AND s.status <> h.status)
                                 OR s.classification <> h.classification)"""


@dataclass(frozen=True)
class LifecycleChange:
    """A status or classification an update moves an area to, through the lifecycle (checked already)."""

    area_id: int
    status: str | None
    classification: str | None
    evidence: list[str]
    on: date
    reason: str | None


@dataclass
class AreaPlan:
    """What writing the staged rows will do: rows to create, to update, left unchanged, lifecycle moves."""

    mapped: set[str]
    geometry: np.ndarray  # each row's clean geometry (by index), as staged
    created: list[int] = field(default_factory=list)  # row indexes
    updated: dict[int, int] = field(default_factory=dict)  # row index → area id
    lifecycle: list[LifecycleChange] = field(default_factory=list)


def plan_areas(
    session: Session,
    job: ImportJob,
    checked: Checked,
    clean: CleanAreas,
    report: Report,
    *,
    mapped: set[str],
    tracker: Tracker,
) -> AreaPlan:
    """Stage the rows not refused yet, refuse those the database finds wrong, and settle the others' outcomes."""
    session.execute(text(f"DROP TABLE IF EXISTS {STAGING}"))
    session.execute(text(STAGING_DDL))
    rows = report.good()
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        copy_frame(session, STAGING, _staged(checked, clean, chunk))
        tracker.advance(start + len(chunk))
    # Statistics of the columns the checks join on; those of the geometries would cost more than the checks.
    session.execute(text(f"ANALYZE {STAGING} (row_no, external_id, national_id)"))
    # The fields a refusal names are bound too: some of them are words of the vocabulary ("status").
    fields = {f"field_{name}": name for name in ("external_id", "national_id", "status", "geometry")}
    params = {**SQL_VALUES, **fields, "source": job.source}
    session.execute(text(_MATCH_EXISTING), params)
    for sql in _CHECKS:
        session.execute(text(sql), params)
    for level, width in ((3, 6), (2, 4)):  # a hromada code gives its raion's, a raion code its oblast's
        child, parent = ADMIN_COLUMNS[level], ADMIN_COLUMNS[level - 1]
        words = {"child_word": child.removesuffix("_code"), "parent_word": parent.removesuffix("_code")}
        session.execute(text(_KATOTTG_NESTING.format(child=child, parent=parent)), {**words, "parent": parent})
        session.execute(text(_KATOTTG_WIDER.format(child=child, parent=parent)), {"width": width})
    for level, column in ADMIN_COLUMNS.items():
        session.execute(text(_ADMIN_CHECK.format(column=column)), {"level": level, "column": column})
    for level in (3, 2):
        child, parent = ADMIN_COLUMNS[level], ADMIN_COLUMNS[level - 1]
        nesting = _NESTING_CHECK.format(child=child, parent=parent)
        session.execute(text(nesting), {"level": level, "child": child, "parent": parent})
    plan = AreaPlan(mapped=mapped, geometry=clean.geometry)
    _check_lifecycle(session, plan)
    _mark_changed(session, mapped)
    for row_no, problem, where in session.execute(
        text(f"SELECT row_no, refusal, refusal_field FROM {STAGING} WHERE refusal IS NOT NULL")
    ):
        report.refuse(Problem(row_no - 1, where, problem, _FIX.get(where)))
    outcomes = text(f"SELECT row_no, existing_id, changed FROM {STAGING} WHERE refusal IS NULL ORDER BY row_no")
    for row_no, existing_id, changed in session.execute(outcomes):
        index = row_no - 1
        if existing_id is None:
            plan.created.append(index)
            report.settle(index, RowOutcome("created"))
        elif changed:
            plan.updated[index] = existing_id
            report.settle(index, RowOutcome("updated", existing_id))
        else:
            report.settle(index, RowOutcome("skipped", existing_id, "unchanged: the area already holds these values"))
    return plan


_FIX = {
    "external_id": "restore the area, or give the row a new external id",
    "national_id": "give the row its own national id, or correct the other area's",
    "status": "import it open or worked on, then record its releases",
    "geometry": "leave the geometry as it was recorded, or record the new ground as a new area",
    **{column: "correct the code, or leave it blank to derive it" for column in ADMIN_COLUMNS.values()},
}


def _staged(checked: Checked, clean: CleanAreas, rows: list[int]) -> pd.DataFrame:
    """The rows as text COPY takes: arrays as literals, geometry as EWKB hex."""
    index = np.asarray(rows, dtype=int)
    frame = pd.DataFrame({"row_no": index + 1}, dtype=object)
    for spec in FIELDS["hazardous_areas"]:
        values = [checked.values[spec.name][i] for i in rows]
        if spec.reader == "codes":
            values = [_array(v) for v in values]
        elif spec.name == "device_persistence":
            values = [v or UNKNOWN_PERSISTENCE for v in values]
        frame[spec.name] = pd.Series(values, dtype=object)  # ints with blanks stay ints, not floats
    frame["reported_on_precision"] = pd.Series([checked.precision["reported_on"][i] for i in rows], dtype=object)
    frame["area_m2"] = [repr(float(a)) for a in clean.area_m2[index]]
    frame["geom"] = ewkb(clean.geometry[index]) if rows else []
    # The audit trail's hash of the shape (app/db/audit.py), made here at once rather than by SQL row by row.
    frame["geom_sha256"] = [hashlib.sha256(wkb).hexdigest() for wkb in shapely.to_wkb(clean.geometry[index])]
    return frame


def _array(codes: list[str] | None) -> str:
    """A PostgreSQL text[] literal, empty for a blank cell (codes hold no quotes: they come from the lookup lists)."""
    return "{" + ",".join(f'"{code}"' for code in codes or []) + "}"


def _check_lifecycle(session: Session, plan: AreaPlan) -> None:
    """A re-import that moves an area's status or classification must be a move the lifecycle allows."""
    direct = set(session.scalars(select(EvidenceType.code).where(EvidenceType.kind == "direct")))
    refusals = []
    for row in session.execute(text(_LIFECYCLE_ROWS)).mappings():
        evidence = list(dict.fromkeys([*row["evidence"], *(row["new_evidence"] or [])]))
        on = max(row["reported_on"] or clock.today(), row["information_date"] or date.min)
        status = row["new_status"] if row["new_status"] not in (None, row["status"]) else None
        classification = row["new_classification"] if row["new_classification"] != row["classification"] else None
        try:
            if classification is not None:
                has_direct = any(code in direct for code in evidence)
                check_classification(
                    row["classification"], classification, has_direct_evidence=has_direct, reason=row["status_reason"]
                )
            if status is not None:
                state = AreaState(row["status"], row["remaining_area_m2"], row["information_date"])
                check_area_status(state, status, on=on, reason=row["status_reason"])
        except IllegalTransition as error:
            field_name = "classification" if classification is not None and status is None else "status"
            refusals.append({"row_no": row["row_no"], "refusal": error.detail, "field": field_name})
            continue
        plan.lifecycle.append(LifecycleChange(row["id"], status, classification, evidence, on, row["status_reason"]))
    if refusals:
        session.execute(
            text(f"UPDATE {STAGING} SET refusal = :refusal, refusal_field = :field WHERE row_no = :row_no"), refusals
        )


def _mark_changed(session: Session, mapped: set[str]) -> None:
    """A staged row changes its area when a mapped field or the geometry differs from what is recorded."""
    compared = [name for name in ATTRIBUTES if name in mapped and name not in ("external_id", *LIFECYCLE)]
    if "reported_on" in mapped:
        compared.append("reported_on_precision")
    # A blank status keeps the area's: the lifecycle moves it, a file does not erase it.
    moved = [f"(s.{name} IS NOT NULL AND s.{name} <> h.{name})" for name in LIFECYCLE if name in mapped]
    differs = " OR ".join([*(f"h.{name} IS DISTINCT FROM s.{name}" for name in compared), *moved, "s.geometry_changed"])
    session.execute(
        text(
            f"UPDATE {STAGING} AS s SET changed = ({differs}) FROM hazardous_area AS h "
            "WHERE h.id = s.existing_id AND s.refusal IS NULL"
        )
    )
