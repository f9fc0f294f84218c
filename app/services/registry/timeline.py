"""An area's history in date order, with the m² still remaining after each step."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Accident,
    Activity,
    DeviceFound,
    HazardousArea,
    HazardousAreaEvent,
    Organisation,
    Release,
    Task,
    activity_hazardous_area,
    task_hazardous_area,
)
from app.domain.access import Actor, allowed, require
from app.services.records import require_live

# Same-day events read in the order work happens.
ORDER = ["reported", "classification", "task", "activity_started", "release", "device_found", "accident"]
ORDER += ["status", "activity_completed"]


def timeline(session: Session, area_id: int, *, actor: Actor) -> dict[str, Any]:
    """Report, tasks, activities, releases, finds, accidents and status changes of one area.

    Finds and accidents are listed only for those who may read them (not anonymous public readers).
    """
    require(actor, "read.registry")
    area = require_live(session.get(HazardousArea, area_id), f"hazardous area {area_id}")
    steps: list[tuple[date, str, str, dict[str, Any], float]] = []  # date, event, summary, ref, m² released

    def add(on: date | None, event: str, summary: str, released: float = 0.0, **ref: Any) -> None:
        if on is not None:
            steps.append((on, event, summary, ref, released))

    add(
        area.reported_on or area.created_at.date(),
        "reported",
        f"{area.classification} reported by "
        f"{area.reporting_source or 'unknown source'}: {area.original_area_m2:,.0f} m²",
    )
    _tasks(session, area_id, add)
    _activities(session, area_id, add)
    for r in session.scalars(select(Release).where(Release.hazardous_area_id == area_id)):
        add(
            r.released_on,
            "release",
            f"{r.area_m2:,.0f} m² {r.kind} ({r.method})",
            r.area_m2,
            release_id=r.id,
            activity_id=r.activity_id,
            kind=r.kind,
        )
    finds = live(DeviceFound).where(DeviceFound.hazardous_area_id == area_id)
    for d in session.scalars(finds) if allowed(actor, "read.finds") else []:
        add(
            d.found_on,
            "device_found",
            f"{d.quantity} × {d.category}{f' ({d.model})' if d.model else ''}, {d.fate.replace('_', ' ')}",
            device_found_id=d.id,
            activity_id=d.activity_id,
        )
    accidents = live(Accident).where(Accident.hazardous_area_id == area_id)
    for a in session.scalars(accidents) if allowed(actor, "read.accidents") else []:
        add(a.occurred_on, "accident", f"{a.type.replace('_', ' ')} accident", accident_id=a.id)
    for e in session.scalars(select(HazardousAreaEvent).where(HazardousAreaEvent.hazardous_area_id == area_id)):
        why = f": {e.reason}" if e.reason else ""
        add(e.occurred_on, e.kind, f"{e.kind} {e.from_value} → {e.to_value}{why}", recorded_by=e.created_by)
    steps.sort(key=lambda s: (s[0], ORDER.index(s[1])))
    remaining = area.original_area_m2
    entries = []
    for on, event, summary, ref, released in steps:
        remaining -= released
        entries.append(
            {"date": on, "event": event, "summary": summary, "remaining_area_m2": max(remaining, 0.0), "ref": ref}
        )
    return {
        "hazardous_area_id": area.id,
        "original_area_m2": area.original_area_m2,
        "remaining_area_m2": area.remaining_area_m2,
        "entries": entries,
    }


def live(model: Any) -> Any:
    """Rows of `model` that are not marked deleted."""
    return select(model).where(model.deleted_at.is_(None))


def _tasks(session: Session, area_id: int, add: Any) -> None:
    query = (
        select(Task, Organisation.name)
        .join(Organisation, Organisation.id == Task.organisation_id)
        .join(task_hazardous_area, task_hazardous_area.c.task_id == Task.id)
        .where(task_hazardous_area.c.hazardous_area_id == area_id, Task.deleted_at.is_(None))
    )
    for task, org in session.execute(query):
        add(
            task.planned_start or task.created_at.date(),
            "task",
            f"task {task.reference} to {org} ({task.status})",
            task_id=task.id,
        )


def _activities(session: Session, area_id: int, add: Any) -> None:
    query = (
        select(Activity, Organisation.name)
        .join(Organisation, Organisation.id == Activity.organisation_id)
        .join(activity_hazardous_area, activity_hazardous_area.c.activity_id == Activity.id)
        .where(activity_hazardous_area.c.hazardous_area_id == area_id, Activity.deleted_at.is_(None))
    )
    for activity, org in session.execute(query):
        label = f"{activity.type.upper()} by {org}{f' ({activity.team})' if activity.team else ''}"
        add(activity.actual_start, "activity_started", f"{label} started", activity_id=activity.id)
        add(activity.actual_end, "activity_completed", f"{label} completed", activity_id=activity.id)
