"""JSON responses that pass PostGIS GeoJSON through as text (docs/architecture.md §2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import orjson
from fastapi import Request

from app.api.json_body import JSONBody
from app.services.pagination import encode_cursor

GEOJSON = "application/geo+json"
T = TypeVar("T")


def feature(row: Mapping[Any, Any], **extra: Any) -> dict[str, Any]:
    """A GeoJSON Feature from a row whose `geometry` column is GeoJSON text."""
    properties = {k: v for k, v in row.items() if k != "geometry"}
    properties.update(extra)
    geometry = row["geometry"]
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": None if geometry is None else orjson.Fragment(geometry),
        "properties": properties,
    }


def page_links(request: Request, next_after: int | None, limit: int, media_type: str) -> list[dict[str, str]]:
    """`self`, and `next` when more records follow, keeping every filter of the request."""
    links = [{"href": str(request.url), "rel": "self", "type": media_type}]
    if next_after is not None:
        href = request.url.include_query_params(cursor=encode_cursor(next_after), limit=limit)
        links.append({"href": str(href), "rel": "next", "type": media_type})
    return links


def split_page(rows: Sequence[T], limit: int) -> tuple[Sequence[T], bool]:
    """Rows fetched with `limit + 1`: the page itself, and whether more follow."""
    return rows[:limit], len(rows) > limit


def feature_collection(request: Request, rows: Sequence[Mapping[Any, Any]], limit: int) -> JSONBody:
    """A page of features (fetched with `limit + 1`) with `numberReturned` and pagination links."""
    page, more = split_page(rows, limit)
    features = [feature(row) for row in page]
    body = {
        "type": "FeatureCollection",
        "features": features,
        "numberReturned": len(features),
        "links": page_links(request, features[-1]["id"] if more else None, limit, GEOJSON),
    }
    return JSONBody(body, media_type=GEOJSON)
