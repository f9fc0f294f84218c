"""Activities, finds and accidents, one row at a time, through the services the API uses.

They are few beside areas (thousands, not hundreds of thousands), and each passes every rule its
API request would: the same service records it, with the import's actor. A row whose (source,
external id) is recorded already is an update where the API allows one (an activity's PATCH), is
left alone when nothing changed, and is refused otherwise, saying why.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import shapely
from geoalchemy2.shape import to_shape
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Accident, Activity, DeviceFound, ImportJob, Victim, activity_hazardous_area
from app.domain.access import Actor
from app.domain.errors import Invalid
from app.schemas.accident import AccidentCreate, AccidentFields
from app.schemas.activity import ActivityCreate, ActivityFields
from app.schemas.device_found import DeviceFoundCreate, DeviceFoundFields
from app.services.importing.report import RowOutcome
from app.services.land_release.activities import create_activity, update_activity
from app.services.land_release.devices_found import record_find
from app.services.registry.accidents import create_accident

M = TypeVar("M", bound=BaseModel)
# Records an import writes row by row, each with its source and external id.
Sourced = TypeVar("Sourced", Activity, DeviceFound, Accident)
UNCHANGED = "unchanged: the record already holds these values"
FIXED_ACTIVITY_FIELDS = ("type", "organisation_id", "task_id")
PLURAL = {"accident": "accidents", "device found": "finds"}


def import_activity(session: Session, row: dict[str, Any], *, job: ImportJob, actor: Actor) -> RowOutcome:
    """Create the activity, or correct it as a PATCH would (its type, organisation, task and areas stay)."""
    found = _existing(session, Activity, job.source, row["external_id"], "activity")
    if found is None:
        given = {k: v for k, v in row.items() if k in ActivityCreate.model_fields and v is not None}
        activity_id = create_activity(session, _model(ActivityCreate, given), actor=actor)
        _tag(session, Activity, activity_id, job.source, row["external_id"])
        return RowOutcome("created", activity_id)
    areas = set(
        session.scalars(
            select(activity_hazardous_area.c.hazardous_area_id).where(activity_hazardous_area.c.activity_id == found.id)
        )
    )
    fixed = [name for name in FIXED_ACTIVITY_FIELDS if name in row and row[name] != getattr(found, name)]
    if "hazardous_area_ids" in row and set(row["hazardous_area_ids"] or []) != areas:
        fixed.append("hazardous_area_ids")
    if fixed:
        raise Invalid(
            f"activity {found.id}, which has this external id, records other {', '.join(fixed)}: an activity's "
            "type, organisation, task and areas are not corrected; record the work as a new activity",
            field=fixed[0],
        )
    changes = {
        name: row[name]
        for name in ActivityFields.model_fields
        if name in row and not _same(row[name], getattr(found, name))
    }
    if not changes:
        return RowOutcome("skipped", found.id, UNCHANGED)
    update_activity(session, found.id, _model(ActivityFields, changes), actor=actor, if_match="*")
    return RowOutcome("updated", found.id)


def import_find(session: Session, row: dict[str, Any], *, job: ImportJob, actor: Actor) -> RowOutcome:
    """Record the find (which may reopen its area); one recorded already is left as it is."""
    found = _existing(session, DeviceFound, job.source, row["external_id"], "device found")
    fields = {k: v for k, v in row.items() if k in DeviceFoundFields.model_fields and v is not None}
    if found is not None:
        return _unchanged_or_refused(found, fields, row.get("geometry"), "device found")
    properties = {**fields, **({"reopen_reason": row["reopen_reason"]} if row.get("reopen_reason") else {})}
    body = _model(
        DeviceFoundCreate, {"type": "Feature", "geometry": _geojson(row.get("geometry")), "properties": properties}
    )
    find_id = record_find(session, body, actor=actor)
    _tag(session, DeviceFound, find_id, job.source, row["external_id"])
    return RowOutcome("created", find_id)


def import_accident(session: Session, row: dict[str, Any], *, job: ImportJob, actor: Actor) -> RowOutcome:
    """Record the accident and its victims (counts of killed and injured, nothing personal)."""
    found = _existing(session, Accident, job.source, row["external_id"], "accident")
    fields = {k: v for k, v in row.items() if k in AccidentFields.model_fields and v is not None}
    killed, injured = row.get("killed") or 0, row.get("injured") or 0
    if found is not None:
        victims = dict(
            session.execute(
                select(Victim.outcome, func.count()).where(Victim.accident_id == found.id).group_by(Victim.outcome)
            ).all()
        )
        if (victims.get("killed", 0), victims.get("injured", 0)) != (killed, injured):
            raise _not_corrected(found.id, "accident", ["victims"])
        return _unchanged_or_refused(found, fields, row.get("geometry"), "accident")
    victims_list = [{"outcome": "killed"}] * killed + [{"outcome": "injured"}] * injured
    properties = {**fields, "victims": victims_list}
    body = _model(
        AccidentCreate, {"type": "Feature", "geometry": _geojson(row.get("geometry")), "properties": properties}
    )
    accident_id = create_accident(session, body, actor=actor)
    _tag(session, Accident, accident_id, job.source, row["external_id"])
    return RowOutcome("created", accident_id)


def _existing(session: Session, model: type[Sourced], source: str, external_id: str, what: str) -> Sourced | None:
    """The record of this source and external id; a deleted one refuses the row."""
    found = session.scalar(select(model).where(model.source == source, model.external_id == external_id))
    if found is not None and found.deleted_at is not None:
        raise Invalid(
            f"{what} {found.id}, which has this external id, was deleted on {found.deleted_at:%Y-%m-%d} by "
            f"{found.deleted_by}: it is not imported again; give the row another external id to record it anew",
            field="external_id",
        )
    return found


def _unchanged_or_refused(found: Any, fields: dict[str, Any], point: Any, what: str) -> RowOutcome:
    """A find or an accident is not corrected in place (the API has no PATCH for them): unchanged, or refused."""
    differ = [name for name, value in fields.items() if not _same(value, getattr(found, name, value))]
    recorded = to_shape(found.geom) if found.geom is not None else None
    if (point is None) != (recorded is None) or (point is not None and not point.equals(recorded)):
        differ.append("geometry")
    if differ:
        raise _not_corrected(found.id, what, differ)
    return RowOutcome("skipped", found.id, UNCHANGED)


def _not_corrected(record_id: int, what: str, differ: list[str]) -> Invalid:
    return Invalid(
        f"{what} {record_id}, which has this external id, records other {', '.join(differ)}: {PLURAL[what]} are not "
        f"corrected in place; delete {what} {record_id} and import the row again, or leave the row as it was",
        field=differ[0],
    )


def _same(given: Any, recorded: Any) -> bool:
    """A file's value equals the record's (an empty list and none are the same)."""
    if isinstance(given, list) or isinstance(recorded, list):
        return list(given or []) == list(recorded or [])
    return bool(given == recorded)


def _tag(session: Session, model: type[Sourced], record_id: int, source: str, external_id: str) -> None:
    """Mark the record with its source and external id: the next import of the file finds it."""
    record = session.get(model, record_id)
    assert record is not None
    record.source, record.external_id = source, external_id
    session.flush()


def _model(model: type[M], data: dict[str, Any]) -> M:
    """The API's request model of the row; its refusal becomes the row's, naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if p != "properties")
        raise Invalid(f"{where}: {first['msg']}", field=where) from error


def _geojson(shape: Any) -> dict[str, Any] | None:
    return None if shape is None else dict(json.loads(shapely.to_geojson(shape)))
