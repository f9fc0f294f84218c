"""Release (land-release product) request and response models, GeoJSON Feature shaped."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from geojson_pydantic import Feature, FeatureCollection, MultiPolygon
from pydantic import BaseModel, Field

from app.domain.vocabulary import ReleaseKind
from app.schemas.common import Link, NamedCrs, StrictModel


class ReleaseCreateProperties(StrictModel):
    """What was released, by which activity, from which area, how and when."""

    activity_id: int
    hazardous_area_id: int
    kind: ReleaseKind = Field(description="cancelled by NTS, reduced by TS, cleared by clearance/BAC")
    method: str = Field(description="Method code from /api/v1/lookups (nts, manual, mechanical, mdd, …)")
    released_on: date
    notes: str | None = None


class ReleaseCreate(StrictModel):
    """A GeoJSON Feature whose (Multi)Polygon is the land the team reports as released."""

    type: Literal["Feature"]
    geometry: dict[str, Any] | None
    properties: ReleaseCreateProperties
    crs: NamedCrs | None = None
    id: Any = None
    bbox: list[float] | None = None


class ReleaseProperties(ReleaseCreateProperties):
    """A stored release: the geometry is what it counts, clipped and net of earlier releases."""

    id: int
    submitted_area_m2: float = Field(description="Area of the polygon as submitted")
    outside_area_m2: float = Field(description="Part outside the hazardous area: reported, not counted")
    overlap_area_m2: float = Field(description="Part already released earlier: counted once, by the earlier release")
    area_m2: float = Field(description="m² this release counts")
    created_at: datetime
    created_by: str


class AreaAccount(BaseModel):
    """The hazardous area's account right after the release."""

    status: str
    original_area_m2: float
    remaining_area_m2: float
    information_date: date | None


class ReleaseWritten(ReleaseProperties):
    """Extra facts returned when a release is recorded."""

    geometry_repairs: list[str]
    dated_before_latest_information: bool
    hazardous_area: AreaAccount


class ReleaseFeature(Feature[MultiPolygon, ReleaseProperties]):
    """Documentation model of one release."""


class ReleaseCollection(FeatureCollection[ReleaseFeature]):
    """Documentation model of a page of releases."""

    numberReturned: int
    links: list[Link]
