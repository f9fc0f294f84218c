"""Load the synthetic record of work (gis.demo.work) onto demo areas already in the database."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import geopandas as gpd
import shapely
from geoalchemy2.shape import from_shape
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from app.db.bulk import copy_rows, ewkb
from app.db.models import (
    Accident,
    Activity,
    HazardousArea,
    Task,
    Victim,
    activity_hazardous_area,
    task_hazardous_area,
)
from app.domain import clock
from gis.area import ellipsoid_area_m2
from gis.demo.work import DemoWork, PlannedActivity, PlannedRelease, plan_demo_work
from gis.geometry import polygonal
from gis.land_release import Account, apply_release

RELEASE_COLUMNS = [
    "activity_id",
    "hazardous_area_id",
    "kind",
    "method",
    "released_on",
    "submitted_area_m2",
    "outside_area_m2",
    "overlap_area_m2",
    "area_m2",
    "submitted_geom",
    "geom",
    "created_by",
]
FIND_COLUMNS = [
    "activity_id",
    "hazardous_area_id",
    "found_on",
    "category",
    "model",
    "condition",
    "depth_cm",
    "quantity",
    "fate",
    "persistence",
    "emplacement_date",
    "geom",
    "created_by",
    "updated_by",
]


def load_demo_work(
    session: Session, frame: gpd.GeoDataFrame, area_ids: list[int], operators: list[int], *, seed: int, user: str
) -> DemoWork:
    """Tasks, activities, releases (through the same accounting as the API), finds and accidents.

    Work runs up to the day of loading, so the dashboard's "this year" figures are never empty.
    """
    plan = plan_demo_work(frame, n_operators=len(operators), seed=seed, today=clock.today())
    task_of = _tasks(session, plan, frame, area_ids, operators, user)
    activity_ids = _activities(session, plan.activities, area_ids, operators, task_of, user)
    _releases(session, plan, frame, area_ids, activity_ids, user)
    _finds(session, plan, area_ids, activity_ids, user)
    _accidents(session, plan, area_ids, user)
    return plan


def _tasks(
    session: Session, plan: DemoWork, frame: gpd.GeoDataFrame, area_ids: list[int], operators: list[int], user: str
) -> dict[int, int]:
    """Insert the tasks; returns activity position → task id."""
    tasks = []
    for t in plan.tasks:
        ground = polygonal(shapely.union_all([frame.geometry.iloc[i] for i in t.area_indices]))
        tasks.append(
            Task(
                reference=t.reference,
                organisation_id=operators[t.operator_index],
                team=t.team,
                status=t.status,
                priority=t.priority,
                planned_start=t.planned_start,
                planned_end=t.planned_end,
                area_m2=ellipsoid_area_m2(ground),
                geom=from_shape(ground, srid=4326),
                created_by=user,
                updated_by=user,
            )
        )
    session.add_all(tasks)
    session.flush()
    links = [
        {"task_id": task.id, "hazardous_area_id": area_ids[i]}
        for task, t in zip(tasks, plan.tasks, strict=True)
        for i in t.area_indices
    ]
    if links:
        session.execute(insert(task_hazardous_area), links)
    return {pos: task.id for task, t in zip(tasks, plan.tasks, strict=True) for pos in t.activity_positions}


def _activities(
    session: Session,
    planned: list[PlannedActivity],
    area_ids: list[int],
    operators: list[int],
    task_of: dict[int, int],
    user: str,
) -> list[int]:
    """Insert the activities and their area links; returns their ids in plan order."""
    rows = [
        Activity(
            type=a.type,
            organisation_id=operators[a.operator_index],
            task_id=task_of.get(pos),
            team=a.team,
            methods=a.methods,
            status=a.status,
            planned_start=a.planned_start,
            planned_end=a.planned_end,
            actual_start=a.actual_start,
            actual_end=a.actual_end,
            clearance_depth_cm=a.clearance_depth_cm,
            team_days=a.team_days,
            created_by=user,
            updated_by=user,
        )
        for pos, a in enumerate(planned)
    ]
    session.add_all(rows)
    session.flush()
    links = [
        {"activity_id": row.id, "hazardous_area_id": area_ids[a.area_index]}
        for row, a in zip(rows, planned, strict=True)
    ]
    if links:
        session.execute(insert(activity_hazardous_area), links)
    return [row.id for row in rows]


def _releases(
    session: Session, plan: DemoWork, frame: gpd.GeoDataFrame, area_ids: list[int], activity_ids: list[int], user: str
) -> None:
    """Replay each worked area's releases in date order through gis.land_release; store account and history."""
    by_area: dict[int, list[tuple[date, int, PlannedRelease]]] = defaultdict(list)
    started: dict[int, date] = {}
    for pos, a in enumerate(plan.activities):
        if a.actual_start:
            started[a.area_index] = min(started.get(a.area_index, a.actual_start), a.actual_start)
        for r in a.releases:
            by_area[a.area_index].append((r.released_on, pos, r))
    rows, updates, events = [], [], []
    for i, begun in started.items():
        account = Account.open(frame.geometry.iloc[i])
        for on, pos, r in sorted(by_area[i], key=lambda item: item[0]):
            outcome = apply_release(account, r.geometry)
            account = outcome.account
            submitted, counted = ewkb([polygonal(r.geometry), outcome.counted])
            rows.append(
                [
                    activity_ids[pos],
                    area_ids[i],
                    r.kind,
                    r.method,
                    on,
                    outcome.submitted_m2,
                    outcome.outside_m2,
                    outcome.overlap_m2,
                    outcome.counted_m2,
                    submitted,
                    counted,
                    user,
                ]
            )
        latest = max([begun, *(on for on, _, _ in by_area[i])])
        status = "closed" if account.is_exhausted else "worked_on"
        updates.append(
            {
                "id": area_ids[i],
                "status": status,
                "remaining_area_m2": account.remaining_m2,
                "remaining_geom": from_shape(account.remaining, srid=4326),
                "information_date": latest,
                "status_changed_on": latest,
            }
        )
        events.append([area_ids[i], "status", "open", "worked_on", begun, "work under way", user])
        if status == "closed":
            events.append([area_ids[i], "status", "worked_on", "closed", latest, "all land released", user])
    copy_rows(session, "release", RELEASE_COLUMNS, rows)
    if updates:
        session.execute(update(HazardousArea), updates)  # ORM bulk update by primary key
    event_columns = ["hazardous_area_id", "kind", "from_value", "to_value", "occurred_on", "reason", "created_by"]
    copy_rows(session, "hazardous_area_event", event_columns, events)


def _finds(session: Session, plan: DemoWork, area_ids: list[int], activity_ids: list[int], user: str) -> None:
    points = ewkb([f.point for f in plan.finds])
    rows = [
        [
            activity_ids[f.activity_position],
            area_ids[plan.activities[f.activity_position].area_index],
            f.found_on,
            f.category,
            f.model,
            f.condition,
            f.depth_cm,
            f.quantity,
            f.fate,
            f.persistence,
            f.emplacement_date,
            points[n],
            user,
            user,
        ]
        for n, f in enumerate(plan.finds)
    ]
    copy_rows(session, "device_found", FIND_COLUMNS, rows)


def _accidents(session: Session, plan: DemoWork, area_ids: list[int], user: str) -> None:
    accidents = [
        Accident(
            occurred_on=a.occurred_on,
            type=a.type,
            device_category=a.device_category,
            hazardous_area_id=None if a.area_index is None else area_ids[a.area_index],
            description="SYNTHETIC DEMO DATA",
            geom=from_shape(a.point, srid=4326),
            created_by=user,
            updated_by=user,
        )
        for a in plan.accidents
    ]
    session.add_all(accidents)
    session.flush()
    victims = [
        {"accident_id": row.id, **v} for row, a in zip(accidents, plan.accidents, strict=True) for v in a.victims
    ]
    if victims:
        session.execute(insert(Victim), victims)
