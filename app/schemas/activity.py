"""Survey and clearance activity request and response models."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from app.domain.vocabulary import ActivityStatus, ActivityType
from app.schemas.common import Link, StrictModel


class ActivityFields(StrictModel):
    """Attributes a client may set or correct."""

    team: str | None = None
    methods: list[str] | None = Field(None, description="Method codes from /api/v1/lookups (manual, mdd, …)")
    status: ActivityStatus | None = Field(None, description="planned → ongoing ⇄ suspended → completed; or cancelled")
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    clearance_depth_cm: int | None = Field(None, ge=0, le=1000, description="Required depth set by the authority")
    team_days: float | None = Field(None, ge=0)
    notes: str | None = None


class ActivityCreate(ActivityFields):
    """A new activity on one or more hazardous areas."""

    type: ActivityType
    organisation_id: int
    hazardous_area_ids: list[int] = Field(default_factory=list, description="Areas worked (none for EOD spot tasks)")
    task_id: int | None = None


class ActivityPublic(ActivityFields):
    """An activity as the API returns it, with what it released and found."""

    id: int
    type: ActivityType
    organisation_id: int
    task_id: int | None
    hazardous_area_ids: list[int]
    source: str | None = Field(None, description="where an imported activity came from")
    external_id: str | None = Field(None, description="its id there")
    cancelled_m2: float
    reduced_m2: float
    cleared_m2: float
    devices_found: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


class ActivityPage(BaseModel):
    """A page of activities."""

    items: list[ActivityPublic]
    numberReturned: int
    links: list[Link]
