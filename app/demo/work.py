"""Load the synthetic record of work (gis.demo.work) onto demo areas already in the database."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import geopandas as gpd
import shapely
from geoalchemy2.shape import from_shape
from sqlalchemy import insert, text, update
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
from app.domain.vocabulary import QA_TASK_STATUSES, SQL_VALUES
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
    """Tasks (with their status events and monthly progress reports), activities, releases, finds and accidents.

    Work runs up to the day of loading, so the dashboard's "this year" figures are never empty.
    """
    plan = plan_demo_work(frame, n_operators=len(operators), seed=seed, today=clock.today())
    task_of = _tasks(session, plan, frame, area_ids, operators, user)
    activity_ids = _activities(session, plan.activities, area_ids, operators, task_of, user)
    _releases(session, plan, frame, area_ids, activity_ids, user)
    _finds(session, plan, area_ids, activity_ids, user)
    _accidents(session, plan, area_ids, user)
    _task_history(session, user)
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


# A task's record follows its activities: work started on the first one's start, ended with the last one's
# end; QA a week after completion. Dates are never after today (docs/mine-action.md §4.4).
TASK_EVENTS_SQL = """
    INSERT INTO task_event (task_id, from_status, to_status, occurred_on, reason, created_by, created_at)
    SELECT id, from_status, to_status, occurred_on, 'SYNTHETIC DEMO DATA', :user, now() FROM (
        SELECT t.id, CAST(:v_assigned AS text) AS from_status, CAST(:v_in_progress AS text) AS to_status,
               min(a.actual_start) AS occurred_on
        FROM task t JOIN activity a ON a.task_id = t.id
        WHERE t.reference LIKE 'DEMO-T-%' AND t.status <> ALL(:not_started) GROUP BY t.id
        UNION ALL
        SELECT t.id, CAST(:v_in_progress AS text), CAST(:v_completed AS text), max(a.actual_end)
        FROM task t JOIN activity a ON a.task_id = t.id
        WHERE t.reference LIKE 'DEMO-T-%' AND t.status = ANY(:done) GROUP BY t.id
        UNION ALL
        SELECT t.id, CAST(:v_completed AS text), t.status, least(max(a.actual_end) + 7, CAST(:today AS date))
        FROM task t JOIN activity a ON a.task_id = t.id
        WHERE t.reference LIKE 'DEMO-T-%' AND t.status = ANY(:qa) GROUP BY t.id, t.status
    ) e WHERE occurred_on IS NOT NULL
"""
# One progress report per task and calendar month in which it released land: the m² by kind, the
# items found, and the activities' team-days shared out by the m² each month holds.
PROGRESS_SQL = """
    WITH per_activity AS (SELECT activity_id, sum(area_m2) AS m2 FROM release GROUP BY 1),
    monthly AS (
        SELECT a.task_id, date_trunc('month', r.released_on)::date AS month,
               sum(r.area_m2) FILTER (WHERE r.kind = :v_cancelled) AS cancelled_m2,
               sum(r.area_m2) FILTER (WHERE r.kind = :v_reduced) AS reduced_m2,
               sum(r.area_m2) FILTER (WHERE r.kind = :v_cleared) AS cleared_m2,
               sum(coalesce(a.team_days, 0) * r.area_m2 / nullif(pa.m2, 0)) AS team_days
        FROM release r JOIN activity a ON a.id = r.activity_id JOIN per_activity pa ON pa.activity_id = a.id
        JOIN task t ON t.id = a.task_id
        WHERE t.reference LIKE 'DEMO-T-%'
        GROUP BY 1, 2),
    finds AS (
        SELECT a.task_id, date_trunc('month', d.found_on)::date AS month, sum(d.quantity) AS items
        FROM device_found d JOIN activity a ON a.id = d.activity_id WHERE a.task_id IS NOT NULL GROUP BY 1, 2)
    INSERT INTO task_progress_report (task_id, period_start, period_end, cancelled_m2, reduced_m2, cleared_m2,
                                      items_found, team_days, notes, created_by, created_at)
    SELECT m.task_id, m.month, least((m.month + interval '1 month - 1 day')::date, CAST(:today AS date)),
           coalesce(m.cancelled_m2, 0), coalesce(m.reduced_m2, 0), coalesce(m.cleared_m2, 0),
           coalesce(f.items, 0), round(coalesce(m.team_days, 0)::numeric, 1), 'SYNTHETIC DEMO DATA', :user, now()
    FROM monthly m LEFT JOIN finds f ON f.task_id = m.task_id AND f.month = m.month
"""


def _task_history(session: Session, user: str) -> None:
    """Status events and monthly progress reports of the demo tasks, so reports count tasks and team-days."""
    params = {
        **SQL_VALUES,
        "user": user,
        "today": clock.today(),
        "not_started": ["draft", "assigned"],
        "done": ["completed", *QA_TASK_STATUSES],
        "qa": list(QA_TASK_STATUSES),
    }
    session.execute(text(TASK_EVENTS_SQL), params)
    session.execute(text(PROGRESS_SQL), params)
