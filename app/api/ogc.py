"""`/ogc`: OGC API – Features (Part 1 Core + GeoJSON, Part 3 Filtering with CQL2) for QGIS, GDAL and OWSLib.

Only what is implemented and tested is declared in /conformance (docs/ogc.md): QGIS pushes filters to
the server only when Part 3 and CQL2 text are declared, so a false claim would give users wrong maps.
Access follows the roles (docs/permissions.md): each collection needs its own capability, and a
caller sees only the collections it may read; token auth works from QGIS and GDAL.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from sqlalchemy import and_, true

from app.api.access import Caller
from app.api.deps import SessionDep
from app.api.json_body import JSONBody
from app.api.params import parse_bbox
from app.api.responses import GEOJSON, feature
from app.domain.access import allowed, require
from app.domain.errors import Forbidden, Invalid
from app.services.ogc.collections import COLLECTIONS, Collection
from app.services.ogc.cql import equals, parse_filter
from app.services.ogc.items import ItemQuery, collection_of, extent, item, items, parse_datetime
from app.services.ogc.openapi import ogc_openapi
from app.services.pagination import decode_cursor, encode_cursor

router = APIRouter(prefix="/ogc", tags=["OGC API – Features"])
JSON = "application/json"
SCHEMA = "application/schema+json"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
MAX_LIMIT = 10_000
DEFAULT_LIMIT = 100
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
]
ITEM_PARAMETERS = {"bbox", "datetime", "limit", "cursor", "filter", "filter-lang", "filter-crs", "f"}

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CollectionId = Annotated[str, Path(description="one of " + ", ".join(COLLECTIONS))]


def _bad_request(error: Invalid) -> HTTPException:
    """OGC API answers a malformed query parameter with 400 (Part 1, /req/core/query-param-invalid)."""
    return HTTPException(400, error.detail)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _readable(actor: Any, collection: Collection) -> Collection:
    require(actor, collection.capability)
    if actor.is_donor and collection.capability == "read.released_land":
        # A donor officer reads only the land its donor funds (docs/permissions.md); this collection is not
        # narrowed that way yet, so it is refused rather than shown whole.
        raise Forbidden("a donor officer reads its released land on the map and in its report, not here")
    return collection


@router.get("", response_class=JSONBody)
def landing(request: Request) -> JSONBody:
    """The landing page: what this service is and where its parts are."""
    base = _base(request)
    return JSONBody(
        {
            "title": "Mine Action Information System: OGC API – Features",
            "description": "Hazardous areas, released land, tasks, finds, accidents and context layers.",
            "links": [
                {"href": base, "rel": "self", "type": JSON, "title": "this document"},
                {"href": f"{base}/api", "rel": "service-desc", "type": JSON, "title": "the API (OpenAPI 3.1)"},
                {"href": f"{base}/conformance", "rel": "conformance", "type": JSON, "title": "conformance classes"},
                {"href": f"{base}/collections", "rel": "data", "type": JSON, "title": "collections"},
            ],
        }
    )


@router.get("/api", response_class=JSONBody)
def api_definition(request: Request) -> JSONBody:
    """The OGC service's part of the OpenAPI document: paths relative to /ogc, one items path per collection.

    GDAL's OAPIF driver learns here which query parameters filter a collection (its queryables) and
    which filter languages the server takes; QGIS reads /conformance and /queryables instead.
    """
    return JSONBody(ogc_openapi(request.app.openapi(), _base(request)))


@router.get("/conformance", response_class=JSONBody)
def conformance() -> JSONBody:
    """The conformance classes implemented and tested (docs/ogc.md)."""
    return JSONBody({"conformsTo": CONFORMANCE})


def _collection_json(request: Request, session: Any, collection: Collection) -> dict[str, Any]:
    base = f"{_base(request)}/collections/{collection.id}"
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": extent(session, collection),
        "links": [
            {"href": base, "rel": "self", "type": JSON},
            {"href": f"{base}/items", "rel": "items", "type": GEOJSON},
            {"href": f"{base}/queryables", "rel": QUERYABLES_REL, "type": SCHEMA},
        ],
    }


@router.get("/collections", response_class=JSONBody)
def collections(request: Request, session: SessionDep, actor: Caller) -> JSONBody:
    """The collections this caller may read, each with its extent."""
    shown = [
        c
        for c in COLLECTIONS.values()
        if allowed(actor, c.capability) and not (actor.is_donor and c.capability == "read.released_land")
    ]
    return JSONBody(
        {
            "collections": [_collection_json(request, session, c) for c in shown],
            "links": [{"href": f"{_base(request)}/collections", "rel": "self", "type": JSON}],
        }
    )


@router.get("/collections/{collection_id}", response_class=JSONBody)
def collection(collection_id: CollectionId, request: Request, session: SessionDep, actor: Caller) -> JSONBody:
    """One collection's description and extent."""
    return JSONBody(_collection_json(request, session, _readable(actor, collection_of(collection_id))))


@router.get("/collections/{collection_id}/queryables", response_class=JSONBody)
def queryables(collection_id: CollectionId, request: Request, actor: Caller) -> JSONBody:
    """The properties a filter may name, as JSON Schema (Part 3)."""
    found = _readable(actor, collection_of(collection_id))
    properties: dict[str, Any] = {}
    for p in found.properties:
        schema: dict[str, Any] = {"type": "string", "format": "date"} if p.type == "date" else {"type": p.type}
        properties[p.name] = {"title": p.title or p.name.replace("_", " "), **schema}
    if found.geometry is not None:
        properties["geometry"] = {"$ref": "https://geojson.org/schema/Geometry.json"}
    return JSONBody(
        {
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "$id": f"{_base(request)}/collections/{found.id}/queryables",
            "type": "object",
            "title": found.title,
            "properties": properties,
            "additionalProperties": False,
        },
        media_type=SCHEMA,
    )


@router.get(
    "/collections/{collection_id}/items",
    response_class=JSONBody,
    responses={200: {"content": {GEOJSON: {}}}, 400: {"description": "A malformed or unknown query parameter"}},
)
def collection_items(
    collection_id: CollectionId,
    request: Request,
    session: SessionDep,
    actor: Caller,
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat (CRS84)")] = None,
    datetime: Annotated[str | None, Query(description="a date or interval: 2025-01-01/2025-06-30")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"at most {MAX_LIMIT:,}")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="from a `next` link")] = None,
    filter: Annotated[str | None, Query(description="CQL2 text or JSON on the queryables")] = None,
    filter_lang: Annotated[str | None, Query(alias="filter-lang", description="cql2-text (default), cql2-json")] = None,
    filter_crs: Annotated[str | None, Query(alias="filter-crs", description="CRS84 only")] = None,
) -> JSONBody:
    """A page of the collection's features (GeoJSON), filtered, with `numberMatched`, `numberReturned` and `next`."""
    found = _readable(actor, collection_of(collection_id))
    # A queryable named as a parameter filters by equality (Part 3, queryables as query parameters).
    by_value = {name: request.query_params[name] for name in request.query_params if found.property(name)}
    unknown = sorted(set(request.query_params) - ITEM_PARAMETERS - set(by_value))
    if unknown:
        known = ", ".join(sorted(ITEM_PARAMETERS))
        raise HTTPException(400, f"unknown query parameter(s): {', '.join(unknown)}; known: {known}")
    if filter_crs not in (None, CRS84):
        raise HTTPException(400, f"filter-crs: only {CRS84} is supported")
    try:
        query = ItemQuery(
            bbox=parse_bbox(bbox),
            interval=parse_datetime(datetime),
            condition=and_(
                parse_filter(found, filter, filter_lang) if filter else true(),
                *(equals(found, name, value) for name, value in by_value.items()),
            ),
            after_id=decode_cursor(cursor),
            limit=limit,
        )
        rows, more, matched = items(session, found, query)
    except Invalid as error:
        raise _bad_request(error) from error
    features = [feature(row) for row in rows]
    links = [
        {"href": str(request.url), "rel": "self", "type": GEOJSON},
        {"href": f"{_base(request)}/collections/{found.id}", "rel": "collection", "type": JSON},
    ]
    if more:
        next_href = request.url.include_query_params(cursor=encode_cursor(int(rows[-1]["id"])), limit=limit)
        links.append({"href": str(next_href), "rel": "next", "type": GEOJSON})
    body = {
        "type": "FeatureCollection",
        "features": features,
        "numberMatched": matched,
        "numberReturned": len(features),
        "links": links,
    }
    return JSONBody(body, media_type=GEOJSON)


@router.get(
    "/collections/{collection_id}/items/{item_id}",
    response_class=JSONBody,
    responses={200: {"content": {GEOJSON: {}}}},
)
def collection_item(
    collection_id: CollectionId,
    item_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    request: Request,
    session: SessionDep,
    actor: Caller,
) -> JSONBody:
    """One feature."""
    found = _readable(actor, collection_of(collection_id))
    body = feature(item(session, found, item_id))
    base = f"{_base(request)}/collections/{found.id}"
    body["links"] = [
        {"href": f"{base}/items/{item_id}", "rel": "self", "type": GEOJSON},
        {"href": base, "rel": "collection", "type": JSON},
    ]
    return JSONBody(body, media_type=GEOJSON)
