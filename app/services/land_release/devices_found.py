"""Explosive ordnance found during survey and clearance."""

from __future__ import annotations

from typing import Any

from geoalchemy2.shape import from_shape
from sqlalchemy import Select, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.models import DeviceFound, HazardousArea
from app.domain import clock
from app.domain.access import Actor, require
from app.domain.errors import Conflict, Invalid
from app.domain.vocabulary import LIVE_AREA_STATUSES
from app.schemas.device_found import DeviceFoundCreate
from app.services.land_release.activities import areas_of, live_activity
from app.services.pagination import keyset_page
from app.services.records import require_live, touch
from app.services.registry.area_lifecycle import change_status, locked_area, note_information
from app.services.registry.lookups import check_codes
from gis.geometry import clean_point_geometry


def record_find(session: Session, body: DeviceFoundCreate, *, actor: Actor) -> int:
    """Record a find; in a closed or handed-over area it reopens the area (with the reason) (the caller commits).

    A find never changes the land account: only survey and clearance release land, and a
    self-deactivating device is no exception (docs/mine-action.md §4.7).
    """
    user = actor.name
    props = body.properties
    clock.refuse_future(props.found_on, "properties.found_on", what="the item was found")
    activity = live_activity(session, props.activity_id)
    require(actor, "find.record", organisation_id=activity.organisation_id)
    check_codes(session, "contamination_types", [props.category], where="properties.category")
    if props.emplacement_date and props.emplacement_date > props.found_on:
        raise Invalid("emplacement_date is after found_on", field="properties.emplacement_date")
    point = None
    if body.geometry is not None:
        point = clean_point_geometry(body.geometry, crs=body.crs.name if body.crs else None)
    area = _area_of_find(session, activity.id, props.hazardous_area_id, point)
    if area is not None and area.status not in LIVE_AREA_STATUSES:
        if not props.reopen_reason:
            raise Conflict(
                f"hazardous area {area.id} is {area.status}: a later find reopens it; give reopen_reason",
                hazardous_area_id=area.id,
            )
        change_status(session, area, "open", on=props.found_on, user=user, reason=props.reopen_reason)
        touch(area, user)
    elif area is not None:
        note_information(area, props.found_on)
        touch(area, user)  # its date of information may have moved: a new version
    values = props.model_dump(exclude={"reopen_reason", "hazardous_area_id"})
    find = DeviceFound(
        **values,
        hazardous_area_id=area.id if area else None,
        geom=from_shape(point, srid=4326) if point is not None else None,
        created_by=user,
        updated_by=user,
    )
    session.add(find)
    session.flush()
    return find.id


def find_select() -> Select[Any]:
    """Columns of a find as the API returns it; the point as GeoJSON text (or null)."""
    hidden = ("geom", "updated_at", "updated_by", "deleted_at", "deleted_by", "delete_reason")
    columns = [c for c in DeviceFound.__table__.columns if c.name not in hidden]
    return select(*columns, func.ST_AsGeoJSON(DeviceFound.geom, 6).label("geometry"))


def get_find(session: Session, find_id: int) -> RowMapping:
    """One live find."""
    require_live(session.get(DeviceFound, find_id), f"device found {find_id}")
    return session.execute(find_select().where(DeviceFound.id == find_id)).mappings().one()


def list_finds(
    session: Session,
    *,
    activity_id: int | None,
    hazardous_area_id: int | None,
    category: list[str],
    after_id: int | None,
    limit: int,
) -> list[RowMapping]:
    """One page of live finds in id order."""
    query = find_select().where(DeviceFound.deleted_at.is_(None))
    if activity_id is not None:
        query = query.where(DeviceFound.activity_id == activity_id)
    if hazardous_area_id is not None:
        query = query.where(DeviceFound.hazardous_area_id == hazardous_area_id)
    if category:
        query = query.where(DeviceFound.category.in_(category))
    return keyset_page(session, query, DeviceFound.id, after_id=after_id, limit=limit)


def _area_of_find(session: Session, activity_id: int, area_id: int | None, point: Any) -> HazardousArea | None:
    """The named area (which the activity must work), else the activity's area containing the point."""
    areas = areas_of(session, activity_id, lock=True)
    if area_id is not None:
        area = next((a for a in areas if a.id == area_id), None)
        if area is None:
            locked_area(session, area_id)
            raise Invalid(f"activity {activity_id} does not work hazardous area {area_id}", field="hazardous_area_id")
        return area
    if point is None or not areas:
        return None
    containing = session.scalars(
        select(HazardousArea.id).where(
            HazardousArea.id.in_([a.id for a in areas]),
            func.ST_Intersects(HazardousArea.geom, func.ST_GeomFromText(point.wkt, 4326)),
        )
    ).first()
    return next((a for a in areas if a.id == containing), None)
