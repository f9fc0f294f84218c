"""Hazardous areas: create, read, list, correct and mark deleted, with geometry hygiene on every write."""

from __future__ import annotations

from typing import Any

from geoalchemy2.shape import from_shape
from sqlalchemy import Select, func, literal_column, select, true
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.models import HazardousArea, Organisation, QualityFlag, Release
from app.domain import clock
from app.domain.access import Actor, require
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.vocabulary import LIVE_AREA_STATUSES
from app.schemas.hazardous_area import HazardousAreaCreate, HazardousAreaProperties, HazardousAreaUpdate
from app.services.area_filter import AreaFilter, area_condition
from app.services.pagination import keyset_page
from app.services.priorities.stale import mark_areas_stale
from app.services.records import mark_deleted, require_live, require_version, touch, version_of
from app.services.registry.area_admin_codes import settle_admin_codes
from app.services.registry.area_lifecycle import change_classification, change_status, locked_area
from app.services.registry.lookups import check_codes
from app.services.registry.quality import refresh_quality
from gis.geometry import CleanArea, clean_area_geometry

RELEASED_BY_KIND = ("cancelled_m2", "reduced_m2", "cleared_m2")
PROPERTY_COLUMNS = [
    getattr(HazardousArea, name)
    for name in HazardousAreaProperties.model_fields
    if name not in ("geometry_repairs", "quality_flags", *RELEASED_BY_KIND)
]
AREA_LOOKUPS = ("contamination_types", "evidence", "blockages")


def released_by_kind() -> Any:
    """m² released from each area, by kind: a LATERAL aggregate over that area's releases only."""
    sums = [
        func.coalesce(func.sum(Release.area_m2).filter(Release.kind == name.removesuffix("_m2")), 0.0).label(name)
        for name in RELEASED_BY_KIND
    ]
    return select(*sums).where(Release.hazardous_area_id == HazardousArea.id).lateral("released")


def quality_flags() -> Any:
    """The area's data-quality flags as one JSON array: a LATERAL aggregate over that area's flags only."""
    names = ("kind", "other_area_id", "area_m2", "detail")
    flag = func.json_build_object(*(part for name in names for part in (name, getattr(QualityFlag, name))))
    flags = func.coalesce(func.json_agg(aggregate_order_by(flag, QualityFlag.id)), literal_column("'[]'::json"))
    mine = QualityFlag.hazardous_area_id == HazardousArea.id
    return select(flags.label("quality_flags")).where(mine).lateral("quality")


def feature_select() -> Select[Any]:
    """Columns of an area as the API returns it; the geometry stays GeoJSON text from PostGIS."""
    released, flags = released_by_kind(), quality_flags()
    geometry = func.ST_AsGeoJSON(HazardousArea.geom, 6).label("geometry")
    return (
        select(*PROPERTY_COLUMNS, *released.c, flags.c.quality_flags, geometry)
        .join_from(HazardousArea, released, true(), isouter=True)
        .join(flags, true(), isouter=True)
    )


def list_areas(session: Session, flt: AreaFilter, *, after_id: int | None, limit: int) -> list[RowMapping]:
    """One page of live areas in id order, starting after `after_id`."""
    query = feature_select().where(HazardousArea.deleted_at.is_(None), area_condition(flt))
    return keyset_page(session, query, HazardousArea.id, after_id=after_id, limit=limit)


def get_area(session: Session, area_id: int) -> RowMapping:
    """One live area as the API returns it."""
    _live(session, area_id)
    return session.execute(feature_select().where(HazardousArea.id == area_id)).mappings().one()


def create_area(
    session: Session, body: HazardousAreaCreate, *, actor: Actor, max_vertices: int
) -> tuple[int, CleanArea]:
    """Store a new area after geometry hygiene and attribute checks (the caller commits)."""
    require(actor, "area.edit")
    user = actor.name
    clean = clean_area_geometry(body.geometry, crs=body.crs.name if body.crs else None, max_vertices=max_vertices)
    values = _checked(session, body.properties.model_dump(exclude_none=True), current=None)
    status = values.setdefault("status", "open")
    if status not in LIVE_AREA_STATUSES:
        raise Conflict(
            f"a new area cannot be {status}: it has {clean.area_m2:.0f} m² remaining; "
            f"create it as one of {', '.join(LIVE_AREA_STATUSES)} and release its land",
            field="properties.status",
        )
    _check_unique(session, values, area_id=None)
    shape = from_shape(clean.geometry, srid=4326)
    area = HazardousArea(
        **values,
        status_changed_on=values.get("reported_on"),
        information_date=values.get("reported_on"),
        original_area_m2=clean.area_m2,
        remaining_area_m2=clean.area_m2,
        geom=shape,
        remaining_geom=shape,
        created_by=user,
        updated_by=user,
    )
    session.add(area)
    session.flush()
    settle_admin_codes(session, area, body.properties, geometry_changed=True)
    mark_areas_stale(session, [area.id])
    session.flush()
    refresh_quality(session, [area.id], {area.id: list(clean.repairs)})
    return area.id, clean


def update_area(
    session: Session, area_id: int, body: HazardousAreaUpdate, *, actor: Actor, max_vertices: int, if_match: str
) -> tuple[int, CleanArea | None]:
    """Apply a partial correction to the version of a live area the client read (the caller commits)."""
    require(actor, "area.edit")
    user = actor.name
    area = locked_area(session, area_id)
    require_version(version_of(area.id, area.updated_at), if_match)
    clean = None
    if body.geometry is not None:
        clean = clean_area_geometry(body.geometry, crs=body.crs.name if body.crs else None, max_vertices=max_vertices)
    changes = _checked(session, body.properties.model_dump(exclude_unset=True), current=area)
    if "classification" in changes and changes["classification"] is None:
        raise Invalid("classification cannot be removed: an area is SHA or CHA", field="properties.classification")
    if "status" in changes and changes["status"] is None:
        raise Invalid("status cannot be removed", field="properties.status")
    _check_unique(session, {**_identity(area), **changes}, area_id=area_id)
    today = clock.today()
    # Status and classification follow the lifecycle rules, like every other way of changing them.
    status, reason = changes.pop("status", None), changes.pop("status_reason", None)
    if "classification" in changes:
        evidence = changes.get("evidence", area.evidence)
        change_classification(
            session, area, changes.pop("classification"), evidence=evidence, on=today, user=user, reason=reason
        )
    for name, value in changes.items():
        setattr(area, name, value)
    if status and status != area.status:
        change_status(session, area, status, on=today, user=user, reason=reason)
    if clean is not None:
        if area.remaining_area_m2 != area.original_area_m2 or _has_releases(session, area_id):
            raise Conflict(
                f"hazardous area {area_id} already has land released: its geometry can no longer be corrected; "
                "record a new area for newly found ground",
                field="geometry",
            )
        shape = from_shape(clean.geometry, srid=4326)
        area.geom = shape
        area.remaining_geom = shape
        area.original_area_m2 = clean.area_m2
        area.remaining_area_m2 = clean.area_m2
    settle_admin_codes(session, area, body.properties, geometry_changed=clean is not None)
    touch(area, user)
    mark_areas_stale(session, [area_id])
    session.flush()
    refresh_quality(session, [area_id], {area_id: list(clean.repairs)} if clean else None)
    return area_id, clean


def delete_area(session: Session, area_id: int, *, actor: Actor, reason: str | None, if_match: str) -> None:
    """Mark the version of an area the client read deleted with who/when/why; the row and its history stay."""
    require(actor, "area.edit")
    user = actor.name
    area = locked_area(session, area_id)
    require_version(version_of(area.id, area.updated_at), if_match)
    mark_deleted(area, user, reason)
    mark_areas_stale(session, [area_id])
    session.flush()
    refresh_quality(session, [area_id])


def restore_area(session: Session, area_id: int, *, actor: Actor) -> None:
    """Bring a deleted area back exactly as it was: the deletion mark goes, nothing else changes."""
    require(actor, "area.restore")
    user = actor.name
    area = session.get(HazardousArea, area_id, with_for_update=True)
    if area is None:
        raise NotFound(f"hazardous area {area_id} does not exist")
    if area.deleted_at is None:
        raise Conflict(f"hazardous area {area_id} is not deleted: there is nothing to restore")
    area.deleted_at = area.deleted_by = area.delete_reason = None
    touch(area, user)
    mark_areas_stale(session, [area_id])
    session.flush()
    refresh_quality(session, [area_id])


def _has_releases(session: Session, area_id: int) -> bool:
    return session.scalar(select(Release.id).where(Release.hazardous_area_id == area_id).limit(1)) is not None


def _live(session: Session, area_id: int) -> HazardousArea:
    return require_live(session.get(HazardousArea, area_id), f"hazardous area {area_id}")


def _checked(session: Session, values: dict[str, Any], *, current: HazardousArea | None) -> dict[str, Any]:
    """Dates not in the future, lookup codes known, admin codes consistent, reporting organisation existing."""
    clock.refuse_future(values.get("reported_on"), "properties.reported_on", what="the information was reported")
    clock.refuse_future(values.get("emplacement_date"), "properties.emplacement_date", what="the devices were laid")
    for name in AREA_LOOKUPS:
        if values.get(name) is not None:
            values[name] = check_codes(session, name, values[name])
        elif name in values:
            values[name] = []
    admin = {k: values.get(k, getattr(current, k, None)) for k in ("oblast_code", "raion_code", "hromada_code")}
    values.update({k: v for k, v in _admin_codes(**admin).items() if v != getattr(current, k, None)})
    org_id = values.get("reporting_organisation_id")
    if org_id is not None:
        org = session.get(Organisation, org_id)
        if org is None or org.deleted_at is not None:
            raise Invalid(
                f"reporting organisation {org_id} does not exist", field="properties.reporting_organisation_id"
            )
    return values


def _admin_codes(oblast_code: str | None, raion_code: str | None, hromada_code: str | None) -> dict[str, str | None]:
    """KATOTTG codes nest: a hromada code starts with its raion's, which starts with its oblast's.

    Other countries' codes need not nest by prefix: their nesting is checked against the loaded
    admin units (app/services/registry/area_admin_codes.py).
    """
    if not all(code is None or code.startswith("UA") for code in (oblast_code, raion_code, hromada_code)):
        return {"oblast_code": oblast_code, "raion_code": raion_code, "hromada_code": hromada_code}
    if hromada_code:
        raion_code = raion_code or hromada_code[:6]
        if not hromada_code.startswith(raion_code):
            raise Invalid(
                f"hromada {hromada_code} is not in raion {raion_code} (KATOTTG codes nest)",
                field="properties.raion_code",
            )
    if raion_code:
        oblast_code = oblast_code or raion_code[:4]
        if not raion_code.startswith(oblast_code):
            raise Invalid(
                f"raion {raion_code} is not in oblast {oblast_code} (KATOTTG codes nest)",
                field="properties.oblast_code",
            )
    return {"oblast_code": oblast_code, "raion_code": raion_code, "hromada_code": hromada_code}


def _identity(area: HazardousArea) -> dict[str, Any]:
    return {"source": area.source, "external_id": area.external_id, "national_id": area.national_id}


def _check_unique(session: Session, values: dict[str, Any], *, area_id: int | None) -> None:
    """External ids are unique per source, national ids unique overall: name the holder on a clash."""
    clauses = []
    if values.get("external_id") is not None:
        clauses.append(
            (
                (HazardousArea.source.is_not_distinct_from(values.get("source")))
                & (HazardousArea.external_id == values["external_id"]),
                f"external id {values['external_id']!r} from source {values.get('source')!r}",
            )
        )
    if values.get("national_id") is not None:
        clauses.append((HazardousArea.national_id == values["national_id"], f"national id {values['national_id']!r}"))
    for clause, what in clauses:
        query = select(HazardousArea.id, HazardousArea.deleted_at).where(clause)
        if area_id is not None:
            query = query.where(HazardousArea.id != area_id)
        holder = session.execute(query).first()
        if holder:
            state = " (deleted)" if holder.deleted_at else ""
            raise Conflict(f"{what} is already used by hazardous area {holder.id}{state}", existing_id=holder.id)
