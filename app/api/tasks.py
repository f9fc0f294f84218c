"""`/api/v1/tasks`: tasking orders, their lifecycle, deconfliction and progress reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.json_body import JSONBody
from app.api.params import comma_list, page_limit
from app.api.responses import GEOJSON, feature, feature_collection
from app.domain.vocabulary import TASK_STATUSES
from app.schemas.task import (
    ProgressReport,
    ProgressReportCreate,
    ProgressSummary,
    TaskCheck,
    TaskCreate,
    TaskStatusChange,
)
from app.services.pagination import decode_cursor
from app.services.tasking import tasks as service

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such task, organisation or area"},
    409: {"description": "Overlaps another active task (named, with the m²), or not allowed by the lifecycle"},
    410: {"description": "Deleted"},
    422: {"description": "Invalid attributes or geometry"},
}


@router.post("", status_code=201, response_class=JSONBody, responses=ERRORS)
def create_task(body: TaskCreate, session: SessionDep, settings: SettingsDep, actor: Caller) -> JSONBody:
    """Issue a tasking order; an assigned task that overlaps another active task is a 409 unless overridden."""
    task_id = service.create_task(session, body, actor=actor, max_vertices=settings.max_vertices)
    headers = {"Location": f"{router.prefix}/{task_id}"}
    return JSONBody(feature(service.get_task(session, task_id)), status_code=201, media_type=GEOJSON, headers=headers)


@router.post("/check", response_model=TaskCheck, responses=ERRORS)
def check_task(body: TaskCreate, session: SessionDep, settings: SettingsDep, actor: Caller) -> dict[str, Any]:
    """What creating this task would do, nothing written: its ground, the active tasks it overlaps, refused or not."""
    return service.check_task(session, body, actor=actor, max_vertices=settings.max_vertices)


@router.get("", response_class=JSONBody, responses={422: ERRORS[422]})
def list_tasks(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    status: Annotated[list[str] | None, Query(description=", ".join(TASK_STATUSES))] = None,
    organisation_id: int | None = None,
    hazardous_area_id: int | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> JSONBody:
    """Tasks as a GeoJSON FeatureCollection of the ground each covers."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    flt = service.TaskFilter(
        status=comma_list("status", status, TASK_STATUSES),
        organisation_id=organisation_id,
        hazardous_area_id=hazardous_area_id,
    )
    return feature_collection(
        request, service.list_tasks(session, flt, after_id=decode_cursor(cursor), limit=size + 1), size
    )


@router.get("/{task_id}", response_class=JSONBody, responses=ERRORS)
def get_task(task_id: int, session: SessionDep) -> JSONBody:
    """One task as a GeoJSON Feature, with its progress summary."""
    row = service.get_task(session, task_id)
    return JSONBody(feature(row, progress=service.progress_summary(session, task_id)), media_type=GEOJSON)


@router.post("/{task_id}/status", response_class=JSONBody, responses=ERRORS)
def change_status(task_id: int, body: TaskStatusChange, session: SessionDep, actor: Caller) -> JSONBody:
    """Move a task along its lifecycle; activating it checks overlap with every other active task."""
    service.change_task_status(session, task_id, body, actor=actor)
    return JSONBody(feature(service.get_task(session, task_id)), media_type=GEOJSON)


@router.post("/{task_id}/progress-reports", status_code=201, response_model=ProgressSummary, responses=ERRORS)
def add_progress_report(task_id: int, body: ProgressReportCreate, session: SessionDep, actor: Caller) -> dict[str, Any]:
    """Report one period's work; returns the task's totals, as of its newest period."""
    service.add_progress_report(session, task_id, body, actor=actor)
    return service.progress_summary(session, task_id)


@router.get("/{task_id}/progress-reports", response_model=list[ProgressReport], responses=ERRORS)
def list_progress_reports(task_id: int, session: SessionDep) -> list[Any]:
    """A task's progress reports by period."""
    service.get_task(session, task_id)
    return service.list_reports(session, task_id)
