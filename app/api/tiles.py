"""`/tiles`: Mapbox vector tiles of the big layers, with ETag and Cache-Control."""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import SessionDep
from app.api.params import comma_list
from app.db.models import AREA_STATUSES, CLASSIFICATIONS, RELEASE_KINDS, TASK_STATUSES
from app.services.tiles import tile

router = APIRouter(prefix="/tiles", tags=["tiles"])
MVT = "application/vnd.mapbox-vector-tile"
LAYER_PATHS = {"hazardous-areas": "hazardous_areas", "releases": "releases", "tasks": "tasks"}
STATUSES = {"hazardous_areas": AREA_STATUSES, "tasks": TASK_STATUSES}
Values = Annotated[list[str] | None, Query()]


@router.get("/{layer}/{z}/{x}/{y}.mvt", response_class=Response, responses={200: {"content": {MVT: {}}}})
def vector_tile(
    layer: Literal["hazardous-areas", "releases", "tasks"],
    z: int,
    x: int,
    y: int,
    request: Request,
    session: SessionDep,
    status: Values = None,
    classification: Values = None,
    kind: Values = None,
) -> Response:
    """One MVT tile; the tile's layer is named like the path with `_` (e.g. `hazardous_areas`); 304 when current.

    Filters: `status` (areas, tasks), `classification` (areas), `kind` (releases).
    """
    name = LAYER_PATHS[layer]
    filters = {
        key: values
        for key, values in (
            ("status", comma_list("status", status, STATUSES.get(name, ()))),
            ("classification", comma_list("classification", classification, CLASSIFICATIONS)),
            ("kind", comma_list("kind", kind, RELEASE_KINDS)),
        )
        if values
    }
    content = tile(session, name, z, x, y, filters)
    etag = '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=60"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=MVT, headers=headers)
