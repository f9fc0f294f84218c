"""Explosive ordnance found: request and response models, GeoJSON Feature shaped (point optional)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from app.domain.vocabulary import DeviceFate, DevicePersistence
from app.schemas.common import NamedCrs, StrictModel


class DeviceFoundFields(StrictModel):
    """What was found, where, how deep, and what was done with it."""

    activity_id: int
    hazardous_area_id: int | None = Field(None, description="Default: the activity's area containing the point")
    found_on: date
    category: str = Field(description="Contamination type code from /api/v1/lookups (ap_mine, uxo, …)")
    model: str | None = Field(None, examples=["PMN-2", "TM-62M", "PFM-1"])
    condition: str | None = None
    depth_cm: int | None = Field(None, ge=0, le=10_000)
    quantity: int = Field(1, ge=1)
    fate: DeviceFate
    persistence: DevicePersistence = Field(
        "unknown", description="self_deactivating devices still fail: a find never releases land by itself"
    )
    emplacement_date: date | None = None


class DeviceFoundProperties(DeviceFoundFields):
    """A find whose area was closed or handed over reopens it; say why."""

    reopen_reason: str | None = Field(None, description="Required when the area is closed or handed over")


class DeviceFoundCreate(StrictModel):
    """A GeoJSON Feature with a Point (or null geometry when the position was not recorded)."""

    type: Literal["Feature"]
    geometry: dict[str, Any] | None = None
    properties: DeviceFoundProperties
    crs: NamedCrs | None = None


class DeviceFoundPublic(DeviceFoundFields):
    """A stored find."""

    id: int
    created_at: datetime
    created_by: str
