"""Tasking orders: what ground a team works, deconflicted from every other active task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shapely
import shapely.geometry
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Select, func, insert, select, text, true
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.models import (
    HazardousArea,
    Organisation,
    Task,
    TaskDeconfliction,
    TaskEvent,
    TaskProgressReport,
    task_hazardous_area,
)
from app.domain import clock
from app.domain.access import Actor, allowed, require
from app.domain.errors import Conflict, Invalid
from app.domain.transitions import check_task_status
from app.domain.vocabulary import ACTIVE_TASK_STATUSES, LIVE_AREA_STATUSES, QA_TASK_STATUSES, WORK_STARTED_TASK_STATUSES
from app.schemas.task import DeconflictionOverride, ProgressReportCreate, TaskCreate, TaskStatusChange
from app.services.pagination import keyset_page
from app.services.periods import refuse_overlap
from app.services.records import require_live, touch
from app.services.sql import id_array
from gis.area import ellipsoid_area_m2
from gis.geometry import clean_area_geometry, polygonal
from gis.land_release import EXHAUSTED_M2

# Shared edges between neighbouring tasks give zero or sub-m² intersections: not a conflict.
OVERLAP_TOLERANCE_M2 = 1.0
# Active tasks whose ground overlaps `this`: a stored task (by id) or the ground a new one would cover.
# m² by ST_Area(geography), a reported, unaccounted figure (docs/architecture.md §2).
_OVERLAPS = """
    SELECT other.id AS task_id, other.reference, other.status, other.organisation_id, org.name AS organisation,
           ST_Area(ST_Intersection(other.geom, this.geom)::geography) AS overlap_m2
    FROM {this} AS this
    JOIN task AS other ON other.id IS DISTINCT FROM this.id AND other.deleted_at IS NULL
         AND other.status = ANY(:active) AND ST_Intersects(other.geom, this.geom)
    JOIN organisation AS org ON org.id = other.organisation_id
    ORDER BY other.id
    """
OVERLAPS_SQL = text(_OVERLAPS.format(this="(SELECT id, geom FROM task WHERE id = :task_id)"))
OVERLAPS_OF_GROUND_SQL = text(_OVERLAPS.format(this="(SELECT NULL::bigint AS id, ST_GeomFromWKB(:wkb, 4326) AS geom)"))


@dataclass
class TaskFilter:
    """Filters of the task listing."""

    status: list[str]
    organisation_id: int | None = None
    hazardous_area_id: int | None = None


@dataclass
class PlannedTask:
    """What a tasking order would cover: its areas and the ground left in them (clipped to the part drawn)."""

    area_ids: list[int]
    ground: BaseGeometry
    area_m2: float


def _plan(session: Session, body: TaskCreate, *, actor: Actor, max_vertices: int) -> PlannedTask:
    """Every check of a new task but deconfliction, and the ground it would cover (nothing written)."""
    require(actor, "task.create")
    require_live(session.get(Organisation, body.organisation_id), f"organisation {body.organisation_id}")
    if session.scalar(select(Task.id).where(Task.reference == body.reference)) is not None:
        raise Conflict(f"task reference {body.reference!r} is already used", field="reference")
    if body.planned_start and body.planned_end and body.planned_end < body.planned_start:
        raise Invalid("planned_end is before planned_start", field="planned_end")
    area_ids = list(dict.fromkeys(body.hazardous_area_ids))
    areas = [require_live(session.get(HazardousArea, i), f"hazardous area {i}") for i in area_ids]
    for area in areas:
        if area.status not in LIVE_AREA_STATUSES:
            raise Conflict(f"hazardous area {area.id} is {area.status}: there is no land left to task")
    ground = polygonal(shapely.union_all([to_shape(a.remaining_geom) for a in areas]))
    if body.geometry is not None:
        part = clean_area_geometry(body.geometry, crs=body.crs.name if body.crs else None, max_vertices=max_vertices)
        ground = polygonal(shapely.intersection(ground, part.geometry))
    area_m2 = ellipsoid_area_m2(ground)
    if area_m2 < EXHAUSTED_M2:
        raise Invalid("the task geometry does not overlap land remaining in its hazardous areas", field="geometry")
    return PlannedTask(area_ids, ground, area_m2)


def create_task(session: Session, body: TaskCreate, *, actor: Actor, max_vertices: int) -> int:
    """Issue a tasking order on the land still remaining in its areas (the caller commits)."""
    user = actor.name
    plan = _plan(session, body, actor=actor, max_vertices=max_vertices)
    values = body.model_dump(exclude={"hazardous_area_ids", "geometry", "crs", "deconfliction_override"})
    task = Task(
        **values, area_m2=plan.area_m2, geom=from_shape(plan.ground, srid=4326), created_by=user, updated_by=user
    )
    session.add(task)
    session.flush()
    session.execute(insert(task_hazardous_area), [{"task_id": task.id, "hazardous_area_id": i} for i in plan.area_ids])
    if task.status in ACTIVE_TASK_STATUSES:
        _deconflict(session, task, body.deconfliction_override, actor=actor)
    session.flush()
    return task.id


def check_task(session: Session, body: TaskCreate, *, actor: Actor, max_vertices: int) -> dict[str, Any]:
    """What saving `body` would do, without writing: the ground, the overlaps and whether it would be refused.

    The same checks as `create_task` (a used reference, a closed area, ground outside the areas: the same
    errors); overlaps with active tasks are answered rather than refused, measured as deconfliction
    measures them. docs/tasking.md.
    """
    plan = _plan(session, body, actor=actor, max_vertices=max_vertices)
    params = {"wkb": shapely.to_wkb(plan.ground), "active": list(ACTIVE_TASK_STATUSES)}
    rows = session.execute(OVERLAPS_OF_GROUND_SQL, params).mappings()
    conflicts = [dict(r) for r in rows if r["overlap_m2"] > OVERLAP_TOLERANCE_M2]
    outcome, reason = _outcome(body, conflicts, actor=actor)
    return {
        "outcome": outcome,
        "reason": reason,
        "conflicts": conflicts,
        "hazardous_area_ids": plan.area_ids,
        "area_m2": plan.area_m2,
        "geometry": shapely.geometry.mapping(plan.ground),
    }


def _outcome(body: TaskCreate, conflicts: list[dict[str, Any]], *, actor: Actor) -> tuple[str, str]:
    """clear, warned (saved, the overlap recorded or checked later) or refused (a save would be a 409)."""
    if not conflicts:
        return "clear", "no active task overlaps this ground"
    if body.status not in ACTIVE_TASK_STATUSES:
        return "warned", "a draft is saved; the overlap is checked again when the task is assigned"
    if body.deconfliction_override is None:
        return "refused", "overlaps active tasks: give deconfliction_override with a reason to proceed"
    if not allowed(actor, "task.override"):
        return "refused", f"the role {actor.role} may not override a deconfliction warning"
    return "warned", "saved with the override: the decision is recorded for each overlap"


def change_task_status(session: Session, task_id: int, body: TaskStatusChange, *, actor: Actor) -> None:
    """Move a task along its lifecycle; activating it deconflicts it first (the caller commits)."""
    user = actor.name
    task = require_live(session.get(Task, task_id, with_for_update=True), f"task {task_id}")
    require(actor, "task.status", organisation_id=task.organisation_id)
    if body.status in QA_TASK_STATUSES:
        require(actor, "task.qa")  # an operator does not pass its own work
    check_task_status(task.status, body.status)
    clock.refuse_future(body.on, "on", what="the task's status changed")
    activating = body.status in ACTIVE_TASK_STATUSES and task.status not in ACTIVE_TASK_STATUSES
    session.add(
        TaskEvent(
            task_id=task.id,
            from_status=task.status,
            to_status=body.status,
            occurred_on=body.on or clock.today(),
            reason=body.reason,
            created_by=user,
        )
    )
    task.status = body.status
    if activating:
        session.flush()
        _deconflict(session, task, body.deconfliction_override, actor=actor)
    touch(task, user)
    session.flush()


def _deconflict(session: Session, task: Task, override: DeconflictionOverride | None, *, actor: Actor) -> None:
    """Two active tasks must not overlap on the ground without an explicit, recorded decision (§4.5)."""
    rows = session.execute(OVERLAPS_SQL, {"task_id": task.id, "active": list(ACTIVE_TASK_STATUSES)}).mappings()
    conflicts = [dict(r) for r in rows if r["overlap_m2"] > OVERLAP_TOLERANCE_M2]
    if not conflicts:
        return
    if override is None:
        names = "; ".join(
            f"task {c['reference']} of {c['organisation']} ({c['overlap_m2']:,.0f} m²)" for c in conflicts
        )
        raise Conflict(
            f"task {task.reference} overlaps active {names}; give deconfliction_override with a reason to proceed",
            conflicts=conflicts,
        )
    require(actor, "task.override")  # deciding that overlapping work may go ahead is the coordinator's
    for c in conflicts:
        session.add(
            TaskDeconfliction(
                task_id=task.id,
                other_task_id=c["task_id"],
                overlap_m2=c["overlap_m2"],
                reason=override.reason,
                decided_by=actor.name,
            )
        )


def add_progress_report(session: Session, task_id: int, body: ProgressReportCreate, *, actor: Actor) -> int:
    """Record one period's work on a task; periods never overlap, so nothing counts twice (the caller commits)."""
    user = actor.name
    task = require_live(session.get(Task, task_id, with_for_update=True), f"task {task_id}")
    require(actor, "task.progress", organisation_id=task.organisation_id)
    if task.status not in WORK_STARTED_TASK_STATUSES:
        raise Conflict(f"task {task.reference} is {task.status}: progress is reported once work has started")
    if body.period_end < body.period_start:
        raise Invalid("period_end is before period_start", field="period_end")
    clock.refuse_future(body.period_end, "period_end", what="the period ended (report work once it is done)")
    refuse_overlap(
        session,
        TaskProgressReport,
        TaskProgressReport.task_id,
        task_id,
        body.period_start,
        body.period_end,
        what="report",
        advice="report each day once",
    )
    report = TaskProgressReport(task_id=task_id, **body.model_dump(), created_by=user)
    session.add(report)
    session.flush()
    return report.id


def progress_summary(session: Session, task_id: int) -> dict[str, Any]:
    """Totals over all reports, as of the newest period (a late report adds, it never rewinds)."""
    r = TaskProgressReport
    row = (
        session.execute(
            select(
                func.count(r.id).label("reports"),
                func.max(r.period_end).label("as_of"),
                *[
                    func.coalesce(func.sum(getattr(r, c)), 0).label(c)
                    for c in ("cancelled_m2", "reduced_m2", "cleared_m2")
                ],
                func.coalesce(func.sum(r.items_found), 0).label("items_found"),
                func.coalesce(func.sum(r.team_days), 0).label("team_days"),
            ).where(r.task_id == task_id)
        )
        .mappings()
        .one()
    )
    return dict(row)


def list_reports(session: Session, task_id: int) -> list[TaskProgressReport]:
    """A task's progress reports by period."""
    query = select(TaskProgressReport).where(TaskProgressReport.task_id == task_id)
    return list(session.scalars(query.order_by(TaskProgressReport.period_start)))


def task_select() -> Select[Any]:
    """A task as the API returns it: attributes, its areas, organisation name, geometry text."""
    link = task_hazardous_area.c
    areas = (
        select(id_array(link.hazardous_area_id, "hazardous_area_ids")).where(link.task_id == Task.id).lateral("areas")
    )
    hidden = ("geom", "deleted_at", "deleted_by", "delete_reason")
    columns = [c for c in Task.__table__.columns if c.name not in hidden]
    return (
        select(
            *columns,
            *areas.c,
            Organisation.name.label("organisation"),
            func.ST_AsGeoJSON(Task.geom, 6).label("geometry"),
        )
        .join_from(Task, areas, true(), isouter=True)
        .join(Organisation, Organisation.id == Task.organisation_id)
    )


def get_task(session: Session, task_id: int) -> RowMapping:
    """One live task."""
    require_live(session.get(Task, task_id), f"task {task_id}")
    return session.execute(task_select().where(Task.id == task_id)).mappings().one()


def list_tasks(session: Session, flt: TaskFilter, *, after_id: int | None, limit: int) -> list[RowMapping]:
    """One page of live tasks in id order."""
    query = task_select().where(Task.deleted_at.is_(None))
    if flt.status:
        query = query.where(Task.status.in_(flt.status))
    if flt.organisation_id is not None:
        query = query.where(Task.organisation_id == flt.organisation_id)
    if flt.hazardous_area_id is not None:
        tasked = select(task_hazardous_area.c.task_id).where(
            task_hazardous_area.c.hazardous_area_id == flt.hazardous_area_id
        )
        query = query.where(Task.id.in_(tasked))
    return keyset_page(session, query, Task.id, after_id=after_id, limit=limit)
