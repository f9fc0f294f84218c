"""The collections OGC API – Features serves: their tables, queryable properties and who may read them (docs/ogc.md).

Each property is a whitelisted SQLAlchemy Core expression: a CQL2 filter or a query parameter can
only ever name these, and values reach PostgreSQL as bound parameters (app/services/ogc/cql.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, FromClause, func, literal_column, select
from sqlalchemy.sql import Select

from app.db.models import (
    Accident,
    Activity,
    AdminUnit,
    ContextFeature,
    DeviceFound,
    HazardousArea,
    Organisation,
    Release,
    Task,
    Victim,
)
from app.domain.access import Capability

JsonType = Literal["string", "integer", "number", "boolean", "date"]

AREA = HazardousArea.__table__
RELEASE = Release.__table__
TASK = Task.__table__
ACTIVITY = Activity.__table__
FIND = DeviceFound.__table__
ACCIDENT = Accident.__table__
VICTIM = Victim.__table__
ADMIN = AdminUnit.__table__
CONTEXT = ContextFeature.__table__
ORG = Organisation.__table__


@dataclass(frozen=True)
class Property:
    """A queryable, returned property: its name, its SQL and its JSON Schema type."""

    name: str
    sql: ColumnElement[Any]
    type: JsonType
    title: str = ""


@dataclass(frozen=True)
class Collection:
    """One collection: where its rows come from, its properties, geometry, time and the capability to read it."""

    id: str
    title: str
    description: str
    source: FromClause
    key: ColumnElement[Any]
    geometry: ColumnElement[Any] | None
    geometry_type: str
    properties: tuple[Property, ...]
    capability: Capability
    temporal: ColumnElement[Any] | None = None
    live: ColumnElement[bool] | None = None  # rows a deletion mark has not hidden

    def property(self, name: str) -> Property | None:
        """The property called `name`, if this collection has one."""
        return next((p for p in self.properties if p.name == name), None)

    def base_query(self) -> Select[Any]:
        """Every property, the key as `id` and the geometry as GeoJSON text, for live rows."""
        geometry = (
            func.ST_AsGeoJSON(self.geometry, 6).label("geometry")
            if self.geometry is not None
            else literal_column("NULL").label("geometry")
        )
        query = select(self.key.label("id"), *(p.sql.label(p.name) for p in self.properties), geometry)
        query = query.select_from(self.source)
        return query.where(self.live) if self.live is not None else query


def _p(name: str, sql: Any, kind: JsonType, title: str = "") -> Property:
    return Property(name, sql, kind, title)


def _list(column: Any) -> Any:
    return func.array_to_string(column, ";")


_killed = (
    select(func.count()).where(VICTIM.c.accident_id == ACCIDENT.c.id, VICTIM.c.outcome == "killed").scalar_subquery()
)
_injured = (
    select(func.count()).where(VICTIM.c.accident_id == ACCIDENT.c.id, VICTIM.c.outcome == "injured").scalar_subquery()
)
_area_org = ORG.alias("reporting_org")
_release_activity = ACTIVITY.alias("release_activity")
_release_org = ORG.alias("release_org")
_task_org = ORG.alias("task_org")
_activity_org = ORG.alias("activity_org")

COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        Collection(
            id="hazardous_areas",
            title="Hazardous areas (SHA/CHA)",
            description="Suspected and confirmed hazardous areas with their land-release figures (m²).",
            source=AREA.outerjoin(_area_org, _area_org.c.id == AREA.c.reporting_organisation_id),
            key=AREA.c.id,
            geometry=AREA.c.geom,
            geometry_type="MultiPolygon",
            capability="read.registry",
            temporal=AREA.c.reported_on,
            live=AREA.c.deleted_at.is_(None),
            properties=(
                _p("national_id", AREA.c.national_id, "string"),
                _p("name", AREA.c.name, "string"),
                _p("classification", AREA.c.classification, "string", "SHA or CHA"),
                _p("status", AREA.c.status, "string", "open, worked_on, closed, handed_over"),
                _p("contamination_types", _list(AREA.c.contamination_types), "string", "codes, ;-separated"),
                _p("reported_on", AREA.c.reported_on, "date"),
                _p("reporting_organisation", _area_org.c.name, "string"),
                _p("oblast_code", AREA.c.oblast_code, "string"),
                _p("raion_code", AREA.c.raion_code, "string"),
                _p("hromada_code", AREA.c.hromada_code, "string"),
                _p("original_area_m2", AREA.c.original_area_m2, "number"),
                _p("remaining_area_m2", AREA.c.remaining_area_m2, "number"),
                _p("returnees_expected", AREA.c.returnees_expected, "integer"),
                _p("source", AREA.c.source, "string"),
                _p("external_id", AREA.c.external_id, "string"),
            ),
        ),
        Collection(
            id="releases",
            title="Released land",
            description="Land cancelled (NTS), reduced (TS) or cleared, with the operator, method and date.",
            source=RELEASE.join(_release_activity, _release_activity.c.id == RELEASE.c.activity_id).join(
                _release_org, _release_org.c.id == _release_activity.c.organisation_id
            ),
            key=RELEASE.c.id,
            geometry=RELEASE.c.geom,
            geometry_type="MultiPolygon",
            capability="read.released_land",
            temporal=RELEASE.c.released_on,
            properties=(
                _p("hazardous_area_id", RELEASE.c.hazardous_area_id, "integer"),
                _p("activity_id", RELEASE.c.activity_id, "integer"),
                _p("organisation", _release_org.c.name, "string"),
                _p("kind", RELEASE.c.kind, "string", "cancelled, reduced, cleared"),
                _p("method", RELEASE.c.method, "string"),
                _p("released_on", RELEASE.c.released_on, "date"),
                _p("area_m2", RELEASE.c.area_m2, "number"),
            ),
        ),
        Collection(
            id="tasks",
            title="Tasks",
            description="Survey and clearance tasks given to operators.",
            source=TASK.join(_task_org, _task_org.c.id == TASK.c.organisation_id),
            key=TASK.c.id,
            geometry=TASK.c.geom,
            geometry_type="MultiPolygon",
            capability="read.registry",
            temporal=TASK.c.planned_start,
            live=TASK.c.deleted_at.is_(None),
            properties=(
                _p("reference", TASK.c.reference, "string"),
                _p("organisation", _task_org.c.name, "string"),
                _p("organisation_id", TASK.c.organisation_id, "integer"),
                _p("status", TASK.c.status, "string"),
                _p("priority", TASK.c.priority, "integer"),
                _p("planned_start", TASK.c.planned_start, "date"),
                _p("planned_end", TASK.c.planned_end, "date"),
                _p("area_m2", TASK.c.area_m2, "number"),
            ),
        ),
        Collection(
            id="activities",
            title="Survey and clearance activities",
            description="Activities of operators; no geometry of their own (their land is in releases).",
            source=ACTIVITY.join(_activity_org, _activity_org.c.id == ACTIVITY.c.organisation_id),
            key=ACTIVITY.c.id,
            geometry=None,
            geometry_type="Unknown",
            capability="read.registry",
            temporal=ACTIVITY.c.actual_start,
            live=ACTIVITY.c.deleted_at.is_(None),
            properties=(
                _p("type", ACTIVITY.c.type, "string", "nts, ts, clearance, bac, eod_spot_task"),
                _p("organisation", _activity_org.c.name, "string"),
                _p("task_id", ACTIVITY.c.task_id, "integer"),
                _p("status", ACTIVITY.c.status, "string"),
                _p("actual_start", ACTIVITY.c.actual_start, "date"),
                _p("actual_end", ACTIVITY.c.actual_end, "date"),
                _p("team_days", ACTIVITY.c.team_days, "number"),
            ),
        ),
        Collection(
            id="devices_found",
            title="Explosive ordnance found",
            description="Devices found and what became of them.",
            source=FIND,
            key=FIND.c.id,
            geometry=FIND.c.geom,
            geometry_type="Point",
            capability="read.finds",
            temporal=FIND.c.found_on,
            live=FIND.c.deleted_at.is_(None),
            properties=(
                _p("activity_id", FIND.c.activity_id, "integer"),
                _p("hazardous_area_id", FIND.c.hazardous_area_id, "integer"),
                _p("found_on", FIND.c.found_on, "date"),
                _p("category", FIND.c.category, "string"),
                _p("quantity", FIND.c.quantity, "integer"),
                _p("fate", FIND.c.fate, "string"),
            ),
        ),
        Collection(
            id="accidents",
            title="Accidents",
            description="Accidents with the number killed and injured; never any victim's details.",
            source=ACCIDENT,
            key=ACCIDENT.c.id,
            geometry=ACCIDENT.c.geom,
            geometry_type="Point",
            capability="read.accidents",
            temporal=ACCIDENT.c.occurred_on,
            live=ACCIDENT.c.deleted_at.is_(None),
            properties=(
                _p("occurred_on", ACCIDENT.c.occurred_on, "date"),
                _p("type", ACCIDENT.c.type, "string"),
                _p("device_category", ACCIDENT.c.device_category, "string"),
                _p("hazardous_area_id", ACCIDENT.c.hazardous_area_id, "integer"),
                _p("killed", _killed, "integer"),
                _p("injured", _injured, "integer"),
            ),
        ),
        Collection(
            id="admin_units",
            title="Administrative units",
            description="Country, oblast, raion and hromada boundaries with their codes and names.",
            source=ADMIN,
            key=ADMIN.c.id,
            geometry=ADMIN.c.geom,
            geometry_type="MultiPolygon",
            capability="read.reference",
            properties=(
                _p("country", ADMIN.c.country, "string"),
                _p("code", ADMIN.c.code, "string"),
                _p("level", ADMIN.c.level, "integer", "1 oblast, 2 raion, 3 hromada"),
                _p("name", ADMIN.c.name, "string"),
                _p("name_en", ADMIN.c.name_en, "string"),
            ),
        ),
        Collection(
            id="context",
            title="Context layers",
            description="Roads, services, farmland, line of contact and other layers used to set priorities.",
            source=CONTEXT,
            key=CONTEXT.c.id,
            geometry=CONTEXT.c.geom,
            geometry_type="Geometry",
            capability="read.reference",
            properties=(
                _p("layer", CONTEXT.c.layer, "string"),
                _p("name", CONTEXT.c.name, "string"),
            ),
        ),
    )
}
