"""Survey and clearance activities: who worked which areas, how, when, and with what result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, insert, select, true
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.models import (
    Activity,
    DeviceFound,
    HazardousArea,
    Organisation,
    Release,
    Task,
    activity_hazardous_area,
    task_hazardous_area,
)
from app.domain import clock
from app.domain.access import SCOPED_ROLES, Actor, require
from app.domain.errors import Conflict, Forbidden, Invalid
from app.domain.transitions import check_activity_status
from app.domain.vocabulary import ACTIVE_TASK_STATUSES, LIVE_AREA_STATUSES, RELEASE_KINDS, WORKING_ACTIVITY_STATUSES
from app.schemas.activity import ActivityCreate, ActivityFields
from app.services.pagination import keyset_page
from app.services.records import require_live, require_version, touch, version_of
from app.services.registry.area_lifecycle import locked_area, progress_after_work
from app.services.registry.lookups import check_codes
from app.services.sql import id_array


@dataclass
class ActivityFilter:
    """Filters of the activity listing."""

    organisation_id: int | None = None
    type: list[str] | None = None
    status: list[str] | None = None
    hazardous_area_id: int | None = None
    task_id: int | None = None


def live_activity(session: Session, activity_id: int, *, lock: bool = False) -> Activity:
    """A live activity, optionally locked for the rest of the transaction."""
    return require_live(session.get(Activity, activity_id, with_for_update=lock), f"activity {activity_id}")


def create_activity(session: Session, body: ActivityCreate, *, actor: Actor) -> int:
    """Record an activity on its areas; an activity under way moves open areas to worked on (the caller commits)."""
    require(actor, "activity.edit", organisation_id=body.organisation_id)
    user = actor.name
    require_live(session.get(Organisation, body.organisation_id), f"organisation {body.organisation_id}")
    area_ids = list(dict.fromkeys(body.hazardous_area_ids))
    if not area_ids and body.type != "eod_spot_task":
        raise Invalid(f"a {body.type} activity works at least one hazardous area", field="hazardous_area_ids")
    # Locked in id order, as everywhere: two requests naming the same areas in another order cannot deadlock.
    areas = [locked_area(session, i) for i in sorted(area_ids)]
    if body.task_id is not None:
        _check_task(session, body.task_id, body.organisation_id, area_ids)
    if actor.role in SCOPED_ROLES:
        _refuse_others_tasked_ground(session, area_ids, body.organisation_id)
    values = body.model_dump(exclude_none=True, exclude={"hazardous_area_ids"})
    values["methods"] = check_codes(session, "methods", values.get("methods", []))
    values.setdefault("status", "planned")
    _refuse_future_work(values)
    _check_dates(values)
    activity = Activity(**values, created_by=user, updated_by=user)
    session.add(activity)
    session.flush()
    if area_ids:
        session.execute(
            insert(activity_hazardous_area), [{"activity_id": activity.id, "hazardous_area_id": i} for i in area_ids]
        )
    if activity.status in WORKING_ACTIVITY_STATUSES:
        _start_work(session, activity, areas, user=user)
    session.flush()
    return activity.id


def update_activity(session: Session, activity_id: int, body: ActivityFields, *, actor: Actor, if_match: str) -> None:
    """Correct the version of an activity the client read, or move it along its lifecycle (the caller commits)."""
    user = actor.name
    activity = live_activity(session, activity_id, lock=True)
    require(actor, "activity.edit", organisation_id=activity.organisation_id)
    require_version(version_of(activity.id, activity.updated_at), if_match)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    if "status" in changes:
        if changes["status"] is None:
            raise Invalid("status cannot be removed", field="status")
        if changes["status"] != activity.status:
            check_activity_status(activity.status, changes["status"])
    if "methods" in changes:
        changes["methods"] = check_codes(session, "methods", changes["methods"] or [])
    starting = changes.get("status") in WORKING_ACTIVITY_STATUSES and activity.status not in WORKING_ACTIVITY_STATUSES
    _refuse_future_work(changes)
    _check_dates({**_current(activity), **changes})
    for name, value in changes.items():
        setattr(activity, name, value)
    if starting:
        _start_work(session, activity, areas_of(session, activity_id, lock=True), user=user)
    touch(activity, user)
    session.flush()


def areas_of(session: Session, activity_id: int, *, lock: bool = False) -> list[HazardousArea]:
    """The hazardous areas an activity works."""
    query = (
        select(HazardousArea)
        .join(activity_hazardous_area, activity_hazardous_area.c.hazardous_area_id == HazardousArea.id)
        .where(activity_hazardous_area.c.activity_id == activity_id)
        .order_by(HazardousArea.id)
    )
    return list(session.scalars(query.with_for_update() if lock else query))


def activity_select() -> Select[Any]:
    """An activity as the API returns it: its areas, m² released by kind, devices found."""
    area_id = activity_hazardous_area.c.hazardous_area_id
    areas = (
        select(id_array(area_id, "hazardous_area_ids"))
        .where(activity_hazardous_area.c.activity_id == Activity.id)
        .lateral("areas")
    )
    released = (
        select(
            *[
                func.coalesce(func.sum(Release.area_m2).filter(Release.kind == kind), 0.0).label(f"{kind}_m2")
                for kind in RELEASE_KINDS
            ]
        )
        .where(Release.activity_id == Activity.id)
        .lateral("released")
    )
    finds = (
        select(func.coalesce(func.sum(DeviceFound.quantity), 0).label("devices_found"))
        .where(DeviceFound.activity_id == Activity.id, DeviceFound.deleted_at.is_(None))
        .lateral("finds")
    )
    columns = [c for c in Activity.__table__.columns if c.name not in ("deleted_at", "deleted_by", "delete_reason")]
    return (
        select(*columns, *areas.c, *released.c, *finds.c)
        .join_from(Activity, areas, true(), isouter=True)
        .join(released, true(), isouter=True)
        .join(finds, true(), isouter=True)
    )


def get_activity(session: Session, activity_id: int) -> RowMapping:
    """One live activity as the API returns it."""
    live_activity(session, activity_id)
    return session.execute(activity_select().where(Activity.id == activity_id)).mappings().one()


def list_activities(session: Session, flt: ActivityFilter, *, after_id: int | None, limit: int) -> list[RowMapping]:
    """One page of live activities in id order."""
    query = activity_select().where(Activity.deleted_at.is_(None))
    if flt.organisation_id is not None:
        query = query.where(Activity.organisation_id == flt.organisation_id)
    if flt.type:
        query = query.where(Activity.type.in_(flt.type))
    if flt.status:
        query = query.where(Activity.status.in_(flt.status))
    if flt.task_id is not None:
        query = query.where(Activity.task_id == flt.task_id)
    if flt.hazardous_area_id is not None:
        linked = select(activity_hazardous_area.c.activity_id).where(
            activity_hazardous_area.c.hazardous_area_id == flt.hazardous_area_id
        )
        query = query.where(Activity.id.in_(linked))
    return keyset_page(session, query, Activity.id, after_id=after_id, limit=limit)


def _start_work(session: Session, activity: Activity, areas: list[HazardousArea], *, user: str) -> None:
    """Work on the ground changes the areas' status; closed ground must be reopened first."""
    for area in areas:
        if area.status not in LIVE_AREA_STATUSES:
            raise Conflict(
                f"hazardous area {area.id} is {area.status}: reopen it (with the reason) before working it again",
                hazardous_area_id=area.id,
            )
        on = activity.actual_start or clock.today()
        progress_after_work(session, area, on=on, why=f"{activity.type} activity {activity.id} under way", user=user)
        touch(area, user)  # a new version of the area: its status and date of information moved


def _check_task(session: Session, task_id: int, organisation_id: int, area_ids: list[int]) -> None:
    """An activity carries out its own organisation's task, on that task's areas."""
    task = require_live(session.get(Task, task_id), f"task {task_id}")
    if task.organisation_id != organisation_id:
        raise Invalid(f"task {task.reference} belongs to another organisation", field="task_id")
    tasked = set(
        session.scalars(select(task_hazardous_area.c.hazardous_area_id).where(task_hazardous_area.c.task_id == task_id))
    )
    outside = [i for i in area_ids if i not in tasked]
    if outside:
        raise Invalid(f"task {task.reference} does not cover hazardous area(s) {outside}", field="hazardous_area_ids")


def _refuse_others_tasked_ground(session: Session, area_ids: list[int], organisation_id: int) -> None:
    """An operator does not work an area another organisation is tasked on (403 naming the task).

    Otherwise its releases could close, and its finds reopen, land it was never tasked on. The
    coordinator changes the tasking; an admin may still record such work on an operator's behalf.
    """
    others = session.execute(
        select(Task.reference, Organisation.name, task_hazardous_area.c.hazardous_area_id)
        .join(task_hazardous_area, task_hazardous_area.c.task_id == Task.id)
        .join(Organisation, Organisation.id == Task.organisation_id)
        .where(
            task_hazardous_area.c.hazardous_area_id.in_(area_ids),
            Task.organisation_id != organisation_id,
            Task.status.in_(ACTIVE_TASK_STATUSES),
            Task.deleted_at.is_(None),
        )
        .order_by(task_hazardous_area.c.hazardous_area_id, Task.reference)
    ).first()
    if others is not None:
        reference, organisation, area_id = others
        raise Forbidden(
            f"hazardous area {area_id} is tasked to {organisation} (task {reference}): "
            "an operator works only where it is tasked or no one is",
            field="hazardous_area_ids",
        )


def _refuse_future_work(values: dict[str, Any]) -> None:
    """Work that has started or ended did so by today (planned dates may lie ahead)."""
    clock.refuse_future(values.get("actual_start"), "actual_start", what="the work started")
    clock.refuse_future(values.get("actual_end"), "actual_end", what="the work ended")


def _check_dates(values: dict[str, Any]) -> None:
    """Ends follow starts; work under way has started, finished work has ended."""
    for first, last in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if values.get(first) and values.get(last) and values[last] < values[first]:
            raise Invalid(f"{last} ({values[last]}) is before {first} ({values[first]})", field=last)
    status = values.get("status")
    if status in WORKING_ACTIVITY_STATUSES and not values.get("actual_start"):
        raise Invalid(f"an activity that is {status} needs actual_start", field="actual_start")
    if status == "completed" and not values.get("actual_end"):
        raise Invalid("a completed activity needs actual_end", field="actual_end")


def _current(activity: Activity) -> dict[str, Any]:
    names = ("status", "planned_start", "planned_end", "actual_start", "actual_end")
    return {name: getattr(activity, name) for name in names}
