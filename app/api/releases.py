"""`/api/v1/releases`: land cancelled, reduced or cleared, and the area account it leaves."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.json_body import JSONBody
from app.api.params import comma_list, page_limit
from app.api.responses import GEOJSON, feature, feature_collection
from app.domain.vocabulary import RELEASE_KINDS
from app.schemas.release import ReleaseCollection, ReleaseCreate, ReleaseFeature
from app.services.land_release import releases as service
from app.services.pagination import decode_cursor
from app.services.registry.hazardous_areas import get_area

router = APIRouter(prefix="/api/v1/releases", tags=["land release"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such release, activity or area"},
    409: {"description": "The activity or the area is not in a state that releases land"},
    413: {"description": "Geometry has more vertices than the limit"},
    422: {"description": "Invalid geometry, kind not fitting the activity, or no land counted"},
}
FEATURE_DOC: dict[int | str, dict[str, Any]] = {200: {"model": ReleaseFeature, "content": {GEOJSON: {}}}}


@router.post("", status_code=201, response_class=JSONBody, responses={**ERRORS, 201: FEATURE_DOC[200]})
def record_release(body: ReleaseCreate, session: SessionDep, settings: SettingsDep, actor: Caller) -> JSONBody:
    """Record released land: clipped to the area, counted once, the area's account and status updated.

    The response's geometry is the land this release counts; `outside_area_m2` and
    `overlap_area_m2` report what was not counted and why, and `hazardous_area` gives the
    account after it. A release dated before the area's latest information is accepted and
    flagged; it never rolls the summary back.
    """
    done = service.record_release(session, body, actor=actor, max_vertices=settings.max_vertices)
    area = get_area(session, body.properties.hazardous_area_id)
    account = {k: area[k] for k in ("status", "original_area_m2", "remaining_area_m2", "information_date")}
    payload = feature(
        service.get_release(session, done.release_id),
        geometry_repairs=list(done.clean.repairs),
        dated_before_latest_information=done.late,
        hazardous_area=account,
    )
    location = {"Location": f"{router.prefix}/{done.release_id}"}
    return JSONBody(payload, status_code=201, media_type=GEOJSON, headers=location)


@router.get("", response_class=JSONBody, responses={200: {"model": ReleaseCollection}, 422: ERRORS[422]})
def list_releases(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    hazardous_area_id: int | None = None,
    activity_id: int | None = None,
    kind: Annotated[list[str] | None, Query(description="cancelled, reduced, cleared")] = None,
    released_from: date | None = None,
    released_to: date | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> JSONBody:
    """Releases as a GeoJSON FeatureCollection of the land each counts."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    rows = service.list_releases(
        session,
        hazardous_area_id=hazardous_area_id,
        activity_id=activity_id,
        kind=comma_list("kind", kind, RELEASE_KINDS),
        released_from=released_from,
        released_to=released_to,
        after_id=decode_cursor(cursor),
        limit=size + 1,
    )
    return feature_collection(request, rows, size)


@router.get("/{release_id}", response_class=JSONBody, responses={**FEATURE_DOC, 404: ERRORS[404]})
def get_release(release_id: int, session: SessionDep) -> JSONBody:
    """One release as a GeoJSON Feature."""
    return JSONBody(feature(service.get_release(session, release_id)), media_type=GEOJSON)
