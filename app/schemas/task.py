"""Task (tasking order) and progress report models."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from app.domain.vocabulary import NewTaskStatus, TaskStatus
from app.schemas.common import NamedCrs, StrictModel


class DeconflictionOverride(StrictModel):
    """An explicit decision to let this task overlap other active tasks (recorded with who and when)."""

    reason: str = Field(min_length=3)


class TaskCreate(StrictModel):
    """A tasking order on whole hazardous areas, or on a polygon part of them."""

    reference: str = Field(min_length=1, description="Tasking order number, unique")
    organisation_id: int
    hazardous_area_ids: list[int] = Field(min_length=1)
    geometry: dict[str, Any] | None = Field(None, description="Optional (Multi)Polygon: the part of the areas tasked")
    crs: NamedCrs | None = None
    team: str | None = None
    status: NewTaskStatus = "draft"
    priority: int | None = Field(None, ge=1, description="Priority rank at tasking (1 = first)")
    planned_start: date | None = None
    planned_end: date | None = None
    funding_agreement_ref: str | None = None
    notes: str | None = None
    deconfliction_override: DeconflictionOverride | None = None


class TaskStatusChange(StrictModel):
    """draft → assigned → in_progress ⇄ suspended → completed → qa_passed | qa_failed (→ in_progress)."""

    status: TaskStatus
    on: date | None = None
    reason: str | None = None
    deconfliction_override: DeconflictionOverride | None = None


class ProgressReportCreate(StrictModel):
    """Work done in one reporting period."""

    period_start: date
    period_end: date
    cancelled_m2: float = Field(0, ge=0)
    reduced_m2: float = Field(0, ge=0)
    cleared_m2: float = Field(0, ge=0)
    items_found: int = Field(0, ge=0)
    team_days: float = Field(0, ge=0)
    notes: str | None = None


class ProgressReport(ProgressReportCreate):
    """A stored progress report."""

    id: int
    task_id: int
    created_at: datetime
    created_by: str


class ProgressSummary(BaseModel):
    """Totals over every report; `as_of` is the newest period end, never moved back by a late report."""

    reports: int
    as_of: date | None
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    items_found: int
    team_days: float


class TaskOverlap(BaseModel):
    """An active task the new one would overlap, with the overlap in m² by ST_Area(geography)."""

    task_id: int
    reference: str
    status: TaskStatus
    organisation_id: int
    organisation: str
    overlap_m2: float = Field(description="m² of the overlap, ST_Area(geography) as deconfliction measures it")


class TaskCheck(BaseModel):
    """What saving a task would do, answered without writing anything (docs/tasking.md)."""

    outcome: Literal["clear", "warned", "refused"] = Field(
        description="clear: no overlap; warned: saved, the overlap recorded (override) or checked on assignment "
        "(draft); refused: saving would be a 409"
    )
    reason: str
    conflicts: list[TaskOverlap]
    hazardous_area_ids: list[int]
    area_m2: float = Field(description="m² of the ground the task would cover, on the ellipsoid as stored")
    geometry: dict[str, Any] = Field(description="The ground the task would cover: the areas' remaining land, clipped")
