"""`/tiles`: Mapbox vector tiles of the big layers, with ETag and Cache-Control."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import SessionDep
from app.api.params import comma_list
from app.db.models import AREA_STATUSES, CLASSIFICATIONS
from app.services.tiles import hazard_tile

router = APIRouter(prefix="/tiles", tags=["tiles"])
MVT = "application/vnd.mapbox-vector-tile"


@router.get("/hazardous-areas/{z}/{x}/{y}.mvt", response_class=Response, responses={200: {"content": {MVT: {}}}})
def hazardous_area_tile(
    z: int,
    x: int,
    y: int,
    request: Request,
    session: SessionDep,
    status: Annotated[list[str] | None, Query(description="open, worked_on, closed, handed_over")] = None,
    classification: Annotated[list[str] | None, Query(description="SHA, CHA")] = None,
) -> Response:
    """Hazardous areas as an MVT tile (layer `hazardous_areas`); 304 when the client's copy is current."""
    tile = hazard_tile(
        session, z, x, y,
        status=comma_list("status", status, AREA_STATUSES),
        classification=comma_list("classification", classification, CLASSIFICATIONS),
    )  # fmt: skip
    etag = '"' + hashlib.blake2b(tile, digest_size=12).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(tile, media_type=MVT, headers=headers)
