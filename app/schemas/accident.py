"""Accident and victim request and response models, GeoJSON Feature shaped.

Victims are described by aggregate attributes only. A victim's name and contact are personal
data (docs/mine-action.md §7): accepted on creation, stored apart and sealed in `victim_identity`,
and absent from every response model here but `VictimIdentityPublic`, which only the admins' route
`GET /api/v1/accidents/{id}/identities` returns, so no other endpoint can return them by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from geojson_pydantic import Feature, FeatureCollection, Point
from pydantic import AfterValidator, Field

from app.domain.vocabulary import ACCIDENT_TYPES, AGE_BANDS, SEXES, VICTIM_OUTCOMES, VICTIM_ROLES, DatePrecision
from app.schemas.common import Link, NamedCrs, StrictModel


def _one_of(values: tuple[str, ...]) -> Callable[[str], str]:
    """A validator keeping the vocabulary in one place (app/domain/vocabulary.py)."""

    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"unknown value {value!r}; allowed: {', '.join(values)}")
        return value

    return check


AccidentType = Annotated[
    str, AfterValidator(_one_of(ACCIDENT_TYPES)), Field(json_schema_extra={"enum": [*ACCIDENT_TYPES]})
]
Outcome = Annotated[
    str, AfterValidator(_one_of(VICTIM_OUTCOMES)), Field(json_schema_extra={"enum": [*VICTIM_OUTCOMES]})
]
Sex = Annotated[str, AfterValidator(_one_of(SEXES)), Field(json_schema_extra={"enum": [*SEXES]})]
AgeBand = Annotated[str, AfterValidator(_one_of(AGE_BANDS)), Field(json_schema_extra={"enum": [*AGE_BANDS]})]
Role = Annotated[str, AfterValidator(_one_of(VICTIM_ROLES)), Field(json_schema_extra={"enum": [*VICTIM_ROLES]})]
# Ids are PostgreSQL bigint: a larger number is refused here, naming the field, not by the database.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]
WRITE_ONLY: dict[str, Any] = {"writeOnly": True}


class VictimPublic(StrictModel):
    """A person killed or injured, as every endpoint returns it: no name, no contact."""

    outcome: Outcome
    sex: Sex = "unknown"
    age_band: AgeBand = "unknown"
    role: Role = "unknown"


class VictimCreate(VictimPublic):
    """A victim as recorded; name and contact are write-only personal data."""

    name: str | None = Field(
        None, description="Personal data: stored apart, never returned", json_schema_extra=WRITE_ONLY
    )
    contact: str | None = Field(
        None, description="Personal data: stored apart, never returned", json_schema_extra=WRITE_ONLY
    )


class VictimIdentityPublic(VictimPublic):
    """A victim with its name and contact: personal data, returned to admins only by the identities route."""

    id: int = Field(description="The victim's id")
    name: str | None = Field(description="Personal data; null if none was recorded")
    contact: str | None = Field(description="Personal data; null if none was recorded")


class AccidentFields(StrictModel):
    """Attributes of an accident that a client sets (docs/mine-action.md §3)."""

    occurred_on: date | None = Field(
        None, description="Date of the accident, not in the future; with month or year precision any day in it"
    )
    occurred_on_precision: DatePrecision = Field(
        "day",
        description="How much of the date is known: day, month, year, or unknown (then no occurred_on: "
        "the accident is counted apart from time series and weighs nothing in casualty recency)",
    )
    type: AccidentType
    device_category: str | None = Field(None, description="A contamination_types code from /api/v1/lookups")
    hazardous_area_id: RecordId | None = Field(None, description="The live hazardous area it happened in, if any")
    activity_id: RecordId | None = Field(None, description="The activity during which it happened (demining accidents)")
    description: str | None = None


class AccidentCreateProperties(AccidentFields):
    """Attributes and victims of a new accident."""

    victims: list[VictimCreate] = Field(default_factory=list)


class AccidentCreate(StrictModel):
    """A GeoJSON Feature: the accident's Point plus its attributes and victims."""

    type: Literal["Feature"]
    geometry: dict[str, Any] | None = Field(description="GeoJSON Point [longitude, latitude]")
    properties: AccidentCreateProperties
    crs: NamedCrs | None = None
    id: Any = Field(None, description="Ignored: the server assigns ids")
    bbox: list[float] | None = None


class AccidentProperties(AccidentFields):
    """What the API returns for an accident: attributes, victim counts and attributes, record marks."""

    id: int
    killed: int
    injured: int
    victims: list[VictimPublic]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


class AccidentFeature(Feature[Point, AccidentProperties]):
    """Documentation model of one accident."""


class AccidentCollection(FeatureCollection[AccidentFeature]):
    """Documentation model of a page of accidents."""

    numberReturned: int
    links: list[Link]
