"""`/tiles`: Mapbox vector tiles of the big layers, with ETag and Cache-Control.

The ETag is of the bytes the caller gets, so a 304 only ever confirms what that caller may read.
A layer whose tiles differ by caller (released land: a donor sees what it funds) is `private`,
revalidated on every use and varies by credentials: no shared cache, and no browser cache across
a logout and another login, can hand one caller's tile to another.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from app.api.access import Caller
from app.api.deps import SessionDep
from app.api.params import area_filter, comma_list
from app.domain.errors import Invalid
from app.domain.vocabulary import RELEASE_KINDS, TASK_STATUSES
from app.services.area_filter import AreaFilter
from app.services.dashboard.basemap import basemap_tile
from app.services.dashboard.tiles import area_tile, depends_on_caller, tile
from app.services.priorities.scenarios import scenario_named

router = APIRouter(prefix="/tiles", tags=["tiles"])
MVT = "application/vnd.mapbox-vector-tile"
TILE_DOC: dict[int | str, dict[str, Any]] = {200: {"content": {MVT: {}}}}
# Alike for every reader, yet behind the login: the browser may keep them a minute, a shared proxy never
# (minefield maps are sensitive, docs/mine-action.md §7).
SHARED = {"Cache-Control": "private, max-age=60"}
# The base map holds no record and changes only when boundaries or reference data are loaded.
BASEMAP = {"Cache-Control": "public, max-age=3600"}
PER_CALLER = {"Cache-Control": "private, no-cache", "Vary": "Authorization, Cookie"}
LAYER_PATHS = {"releases": "releases", "tasks": "tasks", "context": "context"}
Values = Annotated[list[str] | None, Query()]


@router.get("/hazardous-areas/{z}/{x}/{y}.mvt", response_class=Response, responses=TILE_DOC)
def hazardous_area_tile(
    z: int,
    x: int,
    y: int,
    request: Request,
    session: SessionDep,
    flt: Annotated[AreaFilter, Depends(area_filter)],
    scenario: Annotated[str | None, Query(description="add `score` and `gated` under this scenario")] = None,
) -> Response:
    """One MVT tile of hazardous areas (layer `hazardous_areas`); 304 when current.

    Filters are those of `/api/v1/hazardous-areas` and `/api/v1/priorities`, so the map and the
    ranked list select the same areas.
    """
    scenario_id = scenario_named(session, scenario).id if scenario else None
    return _answer(request, area_tile(session, z, x, y, flt, scenario_id=scenario_id), SHARED)


@router.get("/basemap/{z}/{x}/{y}.mvt", response_class=Response, responses=TILE_DOC)
def basemap(z: int, x: int, y: int, request: Request, session: SessionDep, actor: Caller) -> Response:
    """One tile of the offline base map: land, water, urban, rivers, roads, boundaries, labels (docs/base-map.md).

    Boundaries and their names come from the loaded admin units (any country); water, roads and
    places from Natural Earth and OpenStreetMap (Ukraine). 304 when current.
    """
    return _answer(request, basemap_tile(session, z, x, y, actor=actor), BASEMAP)


@router.get("/{layer}/{z}/{x}/{y}.mvt", response_class=Response, responses=TILE_DOC)
def vector_tile(
    layer: Literal["releases", "tasks", "context"],
    z: int,
    x: int,
    y: int,
    request: Request,
    session: SessionDep,
    actor: Caller,
    status: Values = None,
    kind: Values = None,
    organisation_id: Values = None,
    context_layer: Annotated[list[str] | None, Query(alias="layer")] = None,
) -> Response:
    """One MVT tile; the tile's layer is named like the path (`releases`, `tasks`, `context`); 304 when current.

    Filters: `kind` (releases), `status` and `organisation_id` (tasks), `layer` (context: road,
    school, …). Tasks need the right to read the register; a donor officer's released land is the
    land released by work its donor funds.
    """
    name = LAYER_PATHS[layer]
    filters = {
        key: values
        for key, values in (
            ("status", comma_list("status", status, TASK_STATUSES)),
            ("kind", comma_list("kind", kind, RELEASE_KINDS)),
            ("organisation_id", _ids("organisation_id", organisation_id)),
            ("layer", comma_list("layer", context_layer)),
        )
        if values
    }
    content = tile(session, name, z, x, y, filters, actor=actor)
    return _answer(request, content, PER_CALLER if depends_on_caller(name) else SHARED)


def _ids(name: str, values: list[str] | None) -> list[int]:
    """Comma-separated ids as integers, refused with the reason when not positive 64-bit integers."""
    items = comma_list(name, values)
    # isdecimal() alone accepts other scripts' digits ('٣'); isdigit() even '²', which int() refuses.
    if not all(v.isascii() and v.isdecimal() and 0 < int(v) < 2**63 for v in items):
        raise Invalid(f"{name} must be positive integer ids", field=name)
    return [int(v) for v in items]


def _answer(request: Request, content: bytes, caching: dict[str, str]) -> Response:
    """The tile with an ETag of its bytes, or a 304 when the client already holds them."""
    etag = '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'
    headers = {"ETag": etag, **caching}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=MVT, headers=headers)
