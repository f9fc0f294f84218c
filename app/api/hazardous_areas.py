"""`/api/v1/hazardous-areas`: suspected and confirmed hazardous areas as GeoJSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.etags import IfMatch, tagged
from app.api.params import area_filter, page_limit
from app.api.responses import GEOJSON, JSONBody, feature, feature_collection
from app.schemas.hazardous_area import (
    ClassificationChange,
    HazardousAreaCollection,
    HazardousAreaCreate,
    HazardousAreaFeature,
    HazardousAreaUpdate,
    StatusChange,
    Timeline,
)
from app.services.area_filter import AreaFilter
from app.services.pagination import decode_cursor
from app.services.registry import area_lifecycle as lifecycle
from app.services.registry import hazardous_areas as service
from app.services.registry.timeline import timeline
from gis.geometry import CleanArea

router = APIRouter(prefix="/api/v1/hazardous-areas", tags=["hazardous areas"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such area"},
    409: {"description": "Conflicts with the area's state or another record"},
    410: {"description": "The area was deleted (who/when in the body)"},
    413: {"description": "Geometry has more vertices than the limit"},
    422: {"description": "Invalid geometry or attributes; the body says what and how to fix it"},
}
FEATURE_DOC: dict[int | str, dict[str, Any]] = {200: {"model": HazardousAreaFeature, "content": {GEOJSON: {}}}}


@router.get("", response_class=JSONBody, responses={200: {"model": HazardousAreaCollection}, 422: ERRORS[422]})
def list_hazardous_areas(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    flt: Annotated[AreaFilter, Depends(area_filter)],
    limit: Annotated[int | None, Query(description="page size")] = None,
    cursor: Annotated[str | None, Query(description="from a `next` link")] = None,
) -> JSONBody:
    """Live areas as a GeoJSON FeatureCollection, filtered, in pages linked by `next`."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    rows = service.list_areas(session, flt, after_id=decode_cursor(cursor), limit=size + 1)
    return feature_collection(request, rows, size)


@router.post("", status_code=201, response_class=JSONBody, responses={**ERRORS, 201: FEATURE_DOC[200]})
def create_hazardous_area(
    body: HazardousAreaCreate, session: SessionDep, settings: SettingsDep, actor: Caller
) -> JSONBody:
    """Record a hazardous area from a GeoJSON Feature; the response lists any geometry repairs."""
    area_id, clean = service.create_area(session, body, actor=actor, max_vertices=settings.max_vertices)
    return _written(session, area_id, clean, status_code=201, location=f"{router.prefix}/{area_id}")


@router.get("/{area_id}", response_class=JSONBody, responses={**FEATURE_DOC, 404: ERRORS[404], 410: ERRORS[410]})
def get_hazardous_area(area_id: int, session: SessionDep) -> Response:
    """One area as a GeoJSON Feature; its `ETag` is what a correction or deletion sends in If-Match."""
    row = service.get_area(session, area_id)
    return tagged(JSONBody(feature(row), media_type=GEOJSON), row["id"], row["updated_at"])


@router.patch("/{area_id}", response_class=JSONBody, responses={**ERRORS, **FEATURE_DOC})
def update_hazardous_area(
    area_id: int,
    body: HazardousAreaUpdate,
    session: SessionDep,
    settings: SettingsDep,
    actor: Caller,
    if_match: IfMatch,
) -> Response:
    """Correct some attributes and/or the geometry of an area (412 if it changed since you read it)."""
    _, clean = service.update_area(
        session, area_id, body, actor=actor, max_vertices=settings.max_vertices, if_match=if_match
    )
    return _written(session, area_id, clean, status_code=200)


@router.delete("/{area_id}", status_code=204, responses={404: ERRORS[404], 410: ERRORS[410]})
def delete_hazardous_area(
    area_id: int,
    session: SessionDep,
    actor: Caller,
    if_match: IfMatch,
    reason: Annotated[str | None, Query(description="why the record is withdrawn")] = None,
) -> Response:
    """Mark an area deleted; it stays in the database with who, when and why (412 if it changed since you read it)."""
    service.delete_area(session, area_id, actor=actor, reason=reason, if_match=if_match)
    return Response(status_code=204)


def _written(
    session: SessionDep, area_id: int, clean: CleanArea | None, *, status_code: int, location: str | None = None
) -> JSONBody:
    repairs = list(clean.repairs) if clean else []
    row = service.get_area(session, area_id)
    headers = {"Location": location} if location else None
    answer = JSONBody(
        feature(row, geometry_repairs=repairs), status_code=status_code, media_type=GEOJSON, headers=headers
    )
    return tagged(answer, row["id"], row["updated_at"])


@router.post("/{area_id}/restore", response_class=JSONBody, responses={**FEATURE_DOC, 404: ERRORS[404]})
def restore_hazardous_area(area_id: int, session: SessionDep, actor: Caller) -> JSONBody:
    """Undo a deletion: the area comes back exactly as it was (the audit trail records the restoration)."""
    service.restore_area(session, area_id, actor=actor)
    return _written(session, area_id, None, status_code=200)


@router.post("/{area_id}/status", response_class=JSONBody, responses={**ERRORS, **FEATURE_DOC})
def change_status(area_id: int, body: StatusChange, session: SessionDep, actor: Caller) -> JSONBody:
    """Move an area along its lifecycle; 409 names the current state and the allowed ones."""
    lifecycle.set_status(session, area_id, body, actor=actor)
    return _written(session, area_id, None, status_code=200)


@router.post("/{area_id}/classification", response_class=JSONBody, responses={**ERRORS, **FEATURE_DOC})
def change_classification(area_id: int, body: ClassificationChange, session: SessionDep, actor: Caller) -> JSONBody:
    """Reclassify: SHA → CHA on direct evidence, CHA → SHA only with a reason."""
    lifecycle.set_classification(session, area_id, body, actor=actor)
    return _written(session, area_id, None, status_code=200)


@router.get("/{area_id}/timeline", response_model=Timeline, responses={404: ERRORS[404], 410: ERRORS[410]})
def area_timeline(area_id: int, session: SessionDep, actor: Caller) -> dict[str, Any]:
    """Report, tasks, activities, releases, finds, accidents and status changes in date order."""
    return timeline(session, area_id, actor=actor)
