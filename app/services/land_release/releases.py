"""Recording land release: clip to the hazard, count once, keep the account, move the status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import MultiPolygon
from sqlalchemy import Select, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.models import HazardousArea, Release, activity_hazardous_area
from app.domain import clock
from app.domain.access import Actor, require
from app.domain.errors import Conflict, Invalid, NotFound
from app.domain.vocabulary import LIVE_AREA_STATUSES, RELEASE_KIND_OF_ACTIVITY, WORKING_ACTIVITY_STATUSES
from app.schemas.release import ReleaseCreate
from app.services.land_release.activities import live_activity
from app.services.pagination import keyset_page
from app.services.priorities.stale import mark_areas_stale
from app.services.records import require_live, touch
from app.services.registry.area_lifecycle import note_information, progress_after_work
from app.services.registry.lookups import check_codes
from app.services.registry.quality import refresh_quality
from gis.geometry import CleanArea, clean_area_geometry, polygonal
from gis.land_release import EXHAUSTED_M2, Account, ReleaseOutcome, apply_release


@dataclass(frozen=True)
class Recorded:
    """What recording a release did."""

    release_id: int
    clean: CleanArea
    late: bool


def record_release(session: Session, body: ReleaseCreate, *, actor: Actor, max_vertices: int) -> Recorded:
    """Apply one release to its hazardous area in a single transaction (the caller commits)."""
    user = actor.name
    props = body.properties
    clock.refuse_future(props.released_on, "properties.released_on", what="the land was released")
    activity = live_activity(session, props.activity_id)
    require(actor, "release.record", organisation_id=activity.organisation_id)
    expected = RELEASE_KIND_OF_ACTIVITY.get(activity.type)
    if expected is None:
        raise Invalid("an EOD spot task deals with single items: it releases no land", field="properties.activity_id")
    if props.kind != expected:
        raise Invalid(
            f"a {activity.type} activity releases land as {expected!r}, not {props.kind!r} "
            "(NTS cancels, TS reduces, clearance and BAC clear)",
            field="properties.kind",
        )
    if activity.status not in WORKING_ACTIVITY_STATUSES:
        raise Conflict(
            f"activity {activity.id} is {activity.status}: land is released only by work under way or completed",
            field="properties.activity_id",
        )
    check_codes(session, "methods", [props.method])
    area = require_live(
        session.get(HazardousArea, props.hazardous_area_id, with_for_update=True),
        f"hazardous area {props.hazardous_area_id}",
    )
    if not _works(session, activity.id, area.id):
        raise Invalid(
            f"activity {activity.id} does not work hazardous area {area.id}: link the area to the activity first",
            field="properties.hazardous_area_id",
        )
    if area.status not in LIVE_AREA_STATUSES:
        raise Conflict(f"hazardous area {area.id} is {area.status}: there is no land left to release")
    clean = clean_area_geometry(body.geometry, crs=body.crs.name if body.crs else None, max_vertices=max_vertices)
    outcome = apply_release(account_of(area), clean.geometry)
    if outcome.counted_m2 < EXHAUSTED_M2:
        raise Invalid(
            f"the release counts no land: {outcome.outside_m2:.0f} m² lie outside hazardous area {area.id} and "
            f"{outcome.overlap_m2:.0f} m² were released before",
            field="geometry",
        )
    late = area.information_date is not None and props.released_on < area.information_date
    release = book_release(
        session,
        area,
        outcome,
        submitted=clean.geometry,
        activity_id=activity.id,
        kind=props.kind,
        method=props.method,
        released_on=props.released_on,
        notes=props.notes,
        user=user,
    )
    refresh_quality(session, [area.id])  # overlaps are measured on remaining land, which just shrank
    return Recorded(release_id=release.id, clean=clean, late=late)


# --- the account of one area, shared by single releases and historic ones (land_release/history.py) ---


def account_of(area: HazardousArea) -> Account:
    """The land account of an area as stored (lock the row first: releases change it)."""
    return Account(
        original=polygonal(to_shape(area.geom)),
        remaining=polygonal(to_shape(area.remaining_geom)),
        original_m2=area.original_area_m2,
        remaining_m2=area.remaining_area_m2,
    )


def book_release(
    session: Session,
    area: HazardousArea,
    outcome: ReleaseOutcome,
    *,
    submitted: MultiPolygon,
    activity_id: int,
    kind: str,
    method: str,
    released_on: date,
    user: str,
    notes: str | None = None,
    released_on_precision: str = "day",
    source: str | None = None,
    external_id: str | None = None,
) -> Release:
    """Write a release `apply_release` computed on the locked `area`: the row, the land left, the status, the date."""
    release = Release(
        activity_id=activity_id,
        hazardous_area_id=area.id,
        kind=kind,
        method=method,
        released_on=released_on,
        released_on_precision=released_on_precision,
        source=source,
        external_id=external_id,
        notes=notes,
        submitted_area_m2=outcome.submitted_m2,
        outside_area_m2=outcome.outside_m2,
        overlap_area_m2=outcome.overlap_m2,
        area_m2=outcome.counted_m2,
        submitted_geom=from_shape(submitted, srid=4326),
        geom=from_shape(outcome.counted, srid=4326),
        created_by=user,
    )
    session.add(release)
    session.flush()
    area.remaining_geom = from_shape(outcome.account.remaining, srid=4326)
    area.remaining_area_m2 = outcome.account.remaining_m2
    progress_after_work(session, area, on=released_on, why=f"release {release.id}", user=user)
    note_information(area, released_on)
    touch(area, user)
    mark_areas_stale(session, [area.id])  # less land left: cost, farmland share and status change
    session.flush()
    return release


def release_select() -> Select[Any]:
    """Columns of a release as the API returns it; the counted geometry as GeoJSON text."""
    hidden = ("geom", "submitted_geom")
    columns = [c for c in Release.__table__.columns if c.name not in hidden]
    return select(*columns, func.ST_AsGeoJSON(Release.geom, 6).label("geometry"))


def get_release(session: Session, release_id: int) -> RowMapping:
    """One release."""
    row = session.execute(release_select().where(Release.id == release_id)).mappings().first()
    if row is None:
        raise NotFound(f"release {release_id} does not exist")
    return row


def list_releases(
    session: Session,
    *,
    hazardous_area_id: int | None,
    activity_id: int | None,
    kind: list[str],
    released_from: date | None,
    released_to: date | None,
    after_id: int | None,
    limit: int,
) -> list[RowMapping]:
    """One page of releases in id order."""
    query = release_select()
    if hazardous_area_id is not None:
        query = query.where(Release.hazardous_area_id == hazardous_area_id)
    if activity_id is not None:
        query = query.where(Release.activity_id == activity_id)
    if kind:
        query = query.where(Release.kind.in_(kind))
    if released_from:
        query = query.where(Release.released_on >= released_from)
    if released_to:
        query = query.where(Release.released_on <= released_to)
    return keyset_page(session, query, Release.id, after_id=after_id, limit=limit)


def _works(session: Session, activity_id: int, area_id: int) -> bool:
    link = activity_hazardous_area.c
    query = select(link.activity_id).where(link.activity_id == activity_id, link.hazardous_area_id == area_id)
    return session.scalar(query) is not None
