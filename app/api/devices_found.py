"""`/api/v1/devices-found`: explosive ordnance found by survey and clearance, and its fate."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.json_body import JSONBody
from app.api.params import comma_list, page_limit
from app.api.responses import GEOJSON, feature, feature_collection
from app.schemas.device_found import DeviceFoundCreate
from app.services.land_release import devices_found as service
from app.services.pagination import decode_cursor

router = APIRouter(prefix="/api/v1/devices-found", tags=["devices found"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such find, activity or area"},
    409: {"description": "The area is closed or handed over: give reopen_reason"},
    410: {"description": "Deleted"},
    422: {"description": "Invalid attributes or point"},
}


@router.post("", status_code=201, response_class=JSONBody, responses=ERRORS)
def record_find(body: DeviceFoundCreate, session: SessionDep, actor: Caller) -> JSONBody:
    """Record a find; it never releases land, and in a closed area it reopens the record (with a reason)."""
    find_id = service.record_find(session, body, actor=actor)
    headers = {"Location": f"{router.prefix}/{find_id}"}
    return JSONBody(feature(service.get_find(session, find_id)), status_code=201, media_type=GEOJSON, headers=headers)


@router.get("", response_class=JSONBody, responses={422: ERRORS[422]})
def list_finds(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    activity_id: int | None = None,
    hazardous_area_id: int | None = None,
    category: Annotated[list[str] | None, Query(description="contamination type codes")] = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> JSONBody:
    """Finds as a GeoJSON FeatureCollection (geometry null where no point was recorded)."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    rows = service.list_finds(
        session,
        activity_id=activity_id,
        hazardous_area_id=hazardous_area_id,
        category=comma_list("category", category),
        after_id=decode_cursor(cursor),
        limit=size + 1,
    )
    return feature_collection(request, rows, size)


@router.get("/{find_id}", response_class=JSONBody, responses=ERRORS)
def get_find(find_id: int, session: SessionDep) -> JSONBody:
    """One find."""
    return JSONBody(feature(service.get_find(session, find_id)), media_type=GEOJSON)
