"""`/api/v1/accidents`: explosive-ordnance accidents and their victims as GeoJSON.

Personal data rule (docs/mine-action.md §7): a victim's name and contact are accepted on creation
and stored sealed in `victim_identity`; every response here carries only each victim's outcome,
sex, age band and role, and the killed/injured counts. The one exception is
`GET /api/v1/accidents/{id}/identities`: admins only (capability read.victim_identities), logged,
never cached. Deleting an accident erases its victims' identities.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.etags import IfMatch, tagged
from app.api.params import comma_list, page_limit, parse_bbox
from app.api.responses import GEOJSON, JSONBody, feature, feature_collection
from app.domain.vocabulary import ACCIDENT_TYPES
from app.schemas.accident import AccidentCollection, AccidentCreate, AccidentFeature, VictimIdentityPublic
from app.services.pagination import decode_cursor
from app.services.registry import accidents as service

router = APIRouter(prefix="/api/v1/accidents", tags=["accidents"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such accident"},
    410: {"description": "The accident was deleted (who/when in the body)"},
    422: {"description": "Invalid point or attributes; the body says what and how to fix it"},
}
FEATURE_DOC: dict[int | str, dict[str, Any]] = {200: {"model": AccidentFeature, "content": {GEOJSON: {}}}}


@router.get("", response_class=JSONBody, responses={200: {"model": AccidentCollection}, 422: ERRORS[422]})
def list_accidents(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat (WGS 84)")] = None,
    occurred_from: Annotated[date | None, Query(description="accidents on or after this date")] = None,
    occurred_to: Annotated[date | None, Query(description="accidents on or before this date")] = None,
    accident_type: Annotated[list[str] | None, Query(alias="type", description=", ".join(ACCIDENT_TYPES))] = None,
    hazardous_area_id: Annotated[int | None, Query(description="accidents linked to this area")] = None,
    limit: Annotated[int | None, Query(description="page size")] = None,
    cursor: Annotated[str | None, Query(description="from a `next` link")] = None,
) -> JSONBody:
    """Live accidents with victim counts (never names) as a FeatureCollection, in pages linked by `next`."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    flt = service.AccidentFilter(
        bbox=parse_bbox(bbox),
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        type=comma_list("type", accident_type, ACCIDENT_TYPES),
        hazardous_area_id=hazardous_area_id,
    )
    rows = service.list_accidents(session, flt, after_id=decode_cursor(cursor), limit=size + 1)
    return feature_collection(request, rows, size)


@router.post("", status_code=201, response_class=JSONBody, responses={**ERRORS, 201: FEATURE_DOC[200]})
def create_accident(body: AccidentCreate, session: SessionDep, actor: Caller) -> JSONBody:
    """Record an accident and its victims at once; victims' names and contacts are stored but never returned."""
    accident_id = service.create_accident(session, body, actor=actor)
    headers = {"Location": f"{router.prefix}/{accident_id}"}
    body_out = feature(service.get_accident(session, accident_id))
    return JSONBody(body_out, status_code=201, media_type=GEOJSON, headers=headers)


@router.get("/{accident_id}", response_class=JSONBody, responses={**FEATURE_DOC, 404: ERRORS[404], 410: ERRORS[410]})
def get_accident(accident_id: int, session: SessionDep) -> JSONBody:
    """One accident as a GeoJSON Feature, victims without names or contacts; `ETag` for If-Match."""
    row = service.get_accident(session, accident_id)
    return tagged(JSONBody(feature(row), media_type=GEOJSON), row["id"], row["updated_at"])


@router.get(
    "/{accident_id}/identities",
    response_model=list[VictimIdentityPublic],
    responses={
        403: {"description": "Only admins read victims' names and contacts"},
        404: ERRORS[404],
        409: {"description": "MAIS_IDENTITY_KEY is not the key the identities were sealed with"},
        410: ERRORS[410],
    },
)
def list_identities(
    accident_id: int, session: SessionDep, actor: Caller, response: Response
) -> list[VictimIdentityPublic]:
    """The accident's victims with their names and contacts (admins only; every read is logged)."""
    victims = service.list_identities(session, accident_id, actor=actor)
    response.headers["Cache-Control"] = "no-store"
    return [VictimIdentityPublic.model_validate(victim) for victim in victims]


@router.delete("/{accident_id}", status_code=204, responses={404: ERRORS[404], 410: ERRORS[410]})
def delete_accident(
    accident_id: int,
    session: SessionDep,
    actor: Caller,
    if_match: IfMatch,
    reason: Annotated[str | None, Query(description="why the record is withdrawn")] = None,
) -> Response:
    """Mark an accident deleted; it stays in the database with who, when and why (412 if it changed meanwhile)."""
    service.delete_accident(session, accident_id, actor=actor, reason=reason, if_match=if_match)
    return Response(status_code=204)
