"""Hazardous-area (SHA/CHA) request and response models, GeoJSON Feature shaped."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from geojson_pydantic import Feature, FeatureCollection, MultiPolygon
from pydantic import BaseModel, Field, model_validator

from app.domain.errors import Invalid
from app.domain.vocabulary import (
    UNKNOWN_DATE,
    AreaStatus,
    Classification,
    DatePrecision,
    DevicePersistence,
    SourceReliability,
)
from app.schemas.common import HromadaCode, Link, NamedCrs, OblastCode, RaionCode, StrictModel
from app.schemas.quality import QualityFlagPublic


class HazardousAreaFields(StrictModel):
    """Attributes of a hazardous area that a client may set (docs/mine-action.md §3)."""

    national_id: str | None = Field(None, description="Identifier given by the national authority")
    source: str | None = Field(None, description="System or organisation the record comes from")
    external_id: str | None = Field(None, description="Identifier in the source system; unique per source")
    name: str | None = None
    classification: Classification | None = Field(None, description="SHA: indirect evidence; CHA: direct")
    status: AreaStatus | None = Field(None, description="open → worked_on → closed → handed_over")
    status_reason: str | None = None
    contamination_types: list[str] | None = Field(None, description="Codes from /api/v1/lookups")
    evidence: list[str] | None = Field(None, description="Evidence codes from /api/v1/lookups")
    information_reliability: int | None = Field(None, ge=1, le=6, description="1 confirmed … 6 not evaluated")
    source_reliability: SourceReliability | None = None
    device_persistence: DevicePersistence | None = Field(
        None, description="self_deactivating devices still fail: time alone never releases land"
    )
    emplacement_date: date | None = None
    reporting_organisation_id: int | None = None
    reporting_source: str | None = Field(None, description="e.g. non-technical survey, military handover")
    reported_on: date | None = Field(None, description="Date of the information")
    reported_on_precision: DatePrecision | None = Field(
        None, description="How much of reported_on is known: day, month or year (any day in it), or unknown (no date)"
    )
    oblast_code: OblastCode | None = Field(
        None, examples=["UA63"], description="Level-1 admin unit; if not given, the loaded unit holding most of it"
    )
    raion_code: RaionCode | None = Field(
        None, examples=["UA6312"], description="Level-2 admin unit (GET /api/v1/admin-units); derived if not given"
    )
    hromada_code: HromadaCode | None = Field(
        None, examples=["UA63120270000074373"], description="Level-3 admin unit; derived if not given"
    )
    blockages: list[str] | None = Field(None, description="Blocked resources, codes from /api/v1/lookups")
    landowner: str | None = None
    returnees_expected: int | None = Field(None, ge=0)
    notes: str | None = None


def _check_date_precision(fields: HazardousAreaFields, *, new: bool) -> None:
    """A date and its precision agree: an unknown date comes without a date, a day, month or year with one.

    Invalid is no ValueError: pydantic lets it through, and it answers as every domain refusal does.
    """
    precision, given = fields.reported_on_precision, fields.model_fields_set
    if precision in UNKNOWN_DATE and (fields.reported_on is not None or not (new or "reported_on" in given)):
        raise Invalid(
            f"reported_on_precision is {precision!r} but reported_on is "
            + ("given" if fields.reported_on else "not cleared")
            + ": send reported_on: null with it, or say how much of the date is known (day, month or year)",
            field="properties.reported_on",
        )
    if new and precision is not None and precision not in UNKNOWN_DATE and fields.reported_on is None:
        raise Invalid(
            f"reported_on_precision is {precision!r} but reported_on is missing: give the date (with month or year "
            f"precision any day in it, e.g. the 1st), or set reported_on_precision to {UNKNOWN_DATE[0]!r}",
            field="properties.reported_on",
        )


class HazardousAreaCreateProperties(HazardousAreaFields):
    """On creation the classification is required."""

    classification: Classification

    @model_validator(mode="after")
    def _dated(self) -> HazardousAreaCreateProperties:
        _check_date_precision(self, new=True)
        return self


class HazardousAreaUpdateProperties(HazardousAreaFields):
    """A correction: only the properties given change."""

    @model_validator(mode="after")
    def _dated(self) -> HazardousAreaUpdateProperties:
        _check_date_precision(self, new=False)
        return self


class HazardousAreaCreate(StrictModel):
    """A GeoJSON Feature: Polygon or MultiPolygon geometry plus the area's attributes."""

    type: Literal["Feature"]
    geometry: dict[str, Any] | None = Field(description="GeoJSON Polygon or MultiPolygon, lon/lat")
    properties: HazardousAreaCreateProperties
    crs: NamedCrs | None = None
    id: Any = Field(None, description="Ignored: the server assigns ids")
    bbox: list[float] | None = None


class HazardousAreaUpdate(StrictModel):
    """A partial Feature: only the given properties (and the geometry, if any) change."""

    type: Literal["Feature"] = "Feature"
    geometry: dict[str, Any] | None = None
    properties: HazardousAreaUpdateProperties = Field(default_factory=HazardousAreaUpdateProperties)
    crs: NamedCrs | None = None
    id: Any = None
    bbox: list[float] | None = None


class HazardousAreaProperties(HazardousAreaFields):
    """What the API returns for an area: its attributes, its m² account and its record."""

    id: int
    original_area_m2: float
    remaining_area_m2: float
    cancelled_m2: float = Field(description="Released by non-technical survey")
    reduced_m2: float = Field(description="Released by technical survey")
    cleared_m2: float = Field(description="Released by clearance")
    information_date: date | None = Field(None, description="Date of the newest information in this summary")
    handed_over_on: date | None = None
    handover_certificate_ref: str | None = None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    geometry_repairs: list[str] | None = Field(None, description="On writes: what the server repaired")
    quality_flags: list[QualityFlagPublic] = Field(
        default_factory=list, description="Data-quality flags: slivers, duplicates, overlaps, repairs, unknown dates"
    )


class HazardousAreaFeature(Feature[MultiPolygon, HazardousAreaProperties]):
    """Documentation model of one area."""


class HazardousAreaCollection(FeatureCollection[HazardousAreaFeature]):
    """Documentation model of a page of areas."""

    numberReturned: int
    links: list[Link]


class LookupEntry(BaseModel):
    """One row of a lookup list."""

    code: str
    label: str  # in English
    kind: str | None = None
    translations: dict[str, str] = Field(default_factory=dict, examples=[{"uk": "Протипіхотна міна"}])


class StatusChange(StrictModel):
    """Move an area along its lifecycle: open → worked_on → closed → handed_over, or reopen."""

    status: AreaStatus
    on: date | None = Field(None, description="Date of the change (default: today)")
    reason: str | None = Field(None, description="Required to step back or reopen (e.g. a later find)")
    certificate_ref: str | None = Field(None, description="Handover certificate, required for handed_over")


class ClassificationChange(StrictModel):
    """SHA → CHA on direct evidence (added here or already recorded); CHA → SHA only with a reason."""

    classification: Classification
    evidence: list[str] = Field(default_factory=list, description="Evidence codes to add to the area")
    on: date | None = None
    reason: str | None = None


class TimelineEntry(BaseModel):
    """One step in an area's history, with the m² still remaining after it."""

    date: date
    event: str
    summary: str
    remaining_area_m2: float
    ref: dict[str, Any] = Field(default_factory=dict)


class Timeline(BaseModel):
    """An area's history in date order."""

    hazardous_area_id: int
    original_area_m2: float
    remaining_area_m2: float
    entries: list[TimelineEntry]
