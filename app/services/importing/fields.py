"""The fields each kind of import fills, and how a cell is read for each (docs/mine-action.md §2–3).

The names are those of the API's request bodies, so that a mapping reads like the API docs; a few
take what files carry instead of ids: an organisation by its name or acronym, an area or activity
by its external id in the same source (or its id in MAIS), areas of an activity as a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.domain.vocabulary import (
    ACCIDENT_TYPES,
    ACTIVITY_STATUSES,
    ACTIVITY_TYPES,
    AREA_STATUSES,
    CLASSIFICATIONS,
    DATE_PRECISIONS,
    DEVICE_FATES,
    DEVICE_PERSISTENCE,
    RELEASE_DATE_PRECISIONS,
    RELEASE_KINDS,
    SOURCE_RELIABILITY,
    DatePrecision,
    ImportKind,
)
from app.schemas.common import HROMADA_PATTERN, OBLAST_PATTERN, RAION_PATTERN

Reader = Literal[
    "text", "int", "number", "date", "choice", "code", "codes", "organisation", "area", "areas", "activity"
]
GeometryNeed = Literal["area", "point", "optional_point", "none"]
DAY_ONLY: tuple[DatePrecision, ...] = ("day",)


@dataclass(frozen=True)
class FieldSpec:
    """A field an import fills: how its cells are read, and whether a row needs it."""

    name: str
    reader: Reader = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    lookup: str | None = None  # a tailorable list (app/services/registry/lookups.py)
    minimum: float | None = None
    maximum: float | None = None
    precisions: tuple[DatePrecision, ...] = DAY_ONLY  # how little of a date may be known
    pattern: str | None = None  # a regular expression a text must match (admin codes)


def _text(*names: str) -> tuple[FieldSpec, ...]:
    return tuple(FieldSpec(name) for name in names)


FIELDS: dict[ImportKind, tuple[FieldSpec, ...]] = {
    "hazardous_areas": (
        FieldSpec("external_id"),
        *_text("national_id", "name"),
        FieldSpec("classification", "choice", required=True, choices=CLASSIFICATIONS),
        FieldSpec("status", "choice", choices=AREA_STATUSES),
        FieldSpec("status_reason"),
        FieldSpec("contamination_types", "codes", lookup="contamination_types"),
        FieldSpec("evidence", "codes", lookup="evidence"),
        FieldSpec("information_reliability", "int", minimum=1, maximum=6),
        FieldSpec("source_reliability", "choice", choices=SOURCE_RELIABILITY),
        FieldSpec("device_persistence", "choice", choices=DEVICE_PERSISTENCE),
        FieldSpec("emplacement_date", "date"),
        FieldSpec("reporting_organisation_id", "organisation"),
        FieldSpec("reporting_source"),
        FieldSpec("reported_on", "date", precisions=DATE_PRECISIONS),
        FieldSpec("oblast_code", pattern=OBLAST_PATTERN),
        FieldSpec("raion_code", pattern=RAION_PATTERN),
        FieldSpec("hromada_code", pattern=HROMADA_PATTERN),
        FieldSpec("blockages", "codes", lookup="blockages"),
        FieldSpec("landowner"),
        FieldSpec("returnees_expected", "int", minimum=0, maximum=2**63 - 1),
        FieldSpec("notes"),
    ),
    "releases": (
        FieldSpec("external_id"),
        FieldSpec("organisation_id", "organisation", required=True),
        FieldSpec("kind", "choice", required=True, choices=RELEASE_KINDS),
        FieldSpec("method", "code", required=True, lookup="methods"),
        FieldSpec("released_on", "date", required=True, precisions=RELEASE_DATE_PRECISIONS),
        FieldSpec("notes"),
    ),
    "activities": (
        FieldSpec("external_id"),
        FieldSpec("type", "choice", required=True, choices=ACTIVITY_TYPES),
        FieldSpec("organisation_id", "organisation", required=True),
        FieldSpec("hazardous_area_ids", "areas"),
        FieldSpec("task_id", "int", minimum=1, maximum=2**63 - 1),
        FieldSpec("team"),
        FieldSpec("methods", "codes", lookup="methods"),
        FieldSpec("status", "choice", choices=ACTIVITY_STATUSES),
        *(FieldSpec(name, "date") for name in ("planned_start", "planned_end", "actual_start", "actual_end")),
        FieldSpec("clearance_depth_cm", "int", minimum=0, maximum=1000),
        FieldSpec("team_days", "number", minimum=0),
        FieldSpec("notes"),
    ),
    "devices_found": (
        FieldSpec("external_id"),
        FieldSpec("activity_id", "activity", required=True),
        FieldSpec("hazardous_area_id", "area"),
        FieldSpec("found_on", "date", required=True),
        FieldSpec("category", "code", required=True, lookup="contamination_types"),
        *_text("model", "condition"),
        FieldSpec("depth_cm", "int", minimum=0, maximum=10_000),
        FieldSpec("quantity", "int", minimum=1, maximum=2**31 - 1),
        FieldSpec("fate", "choice", required=True, choices=DEVICE_FATES),
        FieldSpec("persistence", "choice", choices=DEVICE_PERSISTENCE),
        FieldSpec("emplacement_date", "date"),
        FieldSpec("reopen_reason"),
    ),
    "accidents": (
        FieldSpec("external_id"),
        FieldSpec("occurred_on", "date", precisions=DATE_PRECISIONS),
        FieldSpec("type", "choice", required=True, choices=ACCIDENT_TYPES),
        FieldSpec("device_category", "code", lookup="contamination_types"),
        FieldSpec("hazardous_area_id", "area"),
        FieldSpec("activity_id", "activity"),
        FieldSpec("description"),
        FieldSpec("killed", "int", minimum=0, maximum=1000),
        FieldSpec("injured", "int", minimum=0, maximum=1000),
    ),
}
GEOMETRY: dict[ImportKind, GeometryNeed] = {
    "hazardous_areas": "area",
    "releases": "area",
    "accidents": "point",
    "devices_found": "optional_point",
    "activities": "none",
}
# Mapping targets that say where a table keeps its geometry.
GEOMETRY_FIELDS = ("geometry", "longitude", "latitude")


def field_names(kind: ImportKind) -> list[str]:
    """Every field a mapping of this kind may name, geometry columns included."""
    names = [spec.name for spec in FIELDS[kind]]
    return names + list(GEOMETRY_FIELDS) if GEOMETRY[kind] != "none" else names
