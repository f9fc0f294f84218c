"""Priority scenario and ranking models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from app.schemas.common import StrictModel


class ScenarioCreate(StrictModel):
    """A named weight set; weights are points per criterion (≥ 0), parameters override the defaults."""

    name: str = Field(min_length=1)
    description: str | None = None
    weights: dict[str, float]
    parameters: dict[str, Any] = Field(default_factory=dict)
    note: str | None = None


class ScenarioUpdate(StrictModel):
    """Any change to weights or parameters makes a new version; older versions stay as they were."""

    description: str | None = None
    weights: dict[str, float] | None = None
    parameters: dict[str, Any] | None = None
    note: str | None = Field(None, description="Why this version (recorded)")


class ScenarioVersion(BaseModel):
    """One saved version of a scenario."""

    version: int
    weights: dict[str, float]
    parameters: dict[str, Any]
    note: str | None
    created_at: datetime
    created_by: str


class ScenarioPublic(BaseModel):
    """A scenario with its current version."""

    id: int
    name: str
    description: str | None
    version: int
    weights: dict[str, float]
    parameters: dict[str, Any]


class RankedArea(BaseModel):
    """One area in a ranking, with the contribution of every criterion to its score."""

    rank: int
    national_rank: int
    hazardous_area_id: int
    national_id: str | None
    name: str | None
    classification: str
    status: str
    oblast_code: str | None
    raion_code: str | None = None
    hromada_code: str | None = None
    contamination_types: list[str] = Field(default_factory=list)
    remaining_area_m2: float
    score: float
    contributions: dict[str, float]
    inputs: dict[str, float]
    gated: str | None
    facts: dict[str, float] | None = Field(
        None, description="reasons in units: people within the reach, casualties, farmland ha, cost USD (JSON only)"
    )
    active_tasks: list[dict[str, Any]] | None = Field(None, description="active tasks on the area and their operator")
    other_operator_task: bool | None = Field(
        None, description="an active task of an organisation other than the caller's (any, for non-operators)"
    )
    place: str | None = Field(None, description="hromada, raion, oblast by name, in the request's language")
    contamination: list[str] | None = Field(None, description="contamination types as labels")


class Ranking(BaseModel):
    """A ranked list and the scenario version and time that produced its scores."""

    scenario: str
    scenario_version: int
    computed_at: datetime | None
    total: int = Field(description="ranked areas the filter selects")
    items: list[RankedArea]
