"""The OGC service's own API definition: the /ogc paths of the app's OpenAPI document, relative to /ogc.

Clients of OGC API – Features read the definition the landing page points to (`service-desc`) with
paths relative to the service. GDAL's OAPIF driver looks for the items path of each collection and
learns from its query parameters what it may filter on the server: the collection's queryables and
the filter languages. So each collection gets its own items path listing its queryables.
"""

from __future__ import annotations

import copy
from typing import Any

from app.services.ogc.collections import COLLECTIONS
from app.services.ogc.cql import FILTER_LANGS

PREFIX = "/ogc"
ITEMS = "/collections/{collection_id}/items"


def ogc_openapi(document: dict[str, Any], base_url: str) -> dict[str, Any]:
    """The /ogc part of `document` (FastAPI's), served from `base_url`, with one items path per collection."""
    out = {key: value for key, value in document.items() if key != "paths"}
    out["servers"] = [{"url": base_url}]
    paths = {
        path.removeprefix(PREFIX) or "/": item
        for path, item in document.get("paths", {}).items()
        if path == PREFIX or path.startswith(PREFIX + "/")
    }
    template = paths.get(ITEMS)
    if template is not None:
        for collection in COLLECTIONS.values():
            item = copy.deepcopy(template)
            get = item["get"]
            get["operationId"] = f"items_{collection.id}"
            get["summary"] = f"{collection.title}: items"
            get["parameters"] = [
                _declared(p) for p in get.get("parameters", []) if p.get("name") != "collection_id"
            ] + [
                {
                    "name": p.name,
                    "in": "query",
                    "required": False,
                    "description": f"equal to ({p.title or p.name.replace('_', ' ')})",
                    "schema": {"type": "string", "format": "date"} if p.type == "date" else {"type": p.type},
                }
                for p in collection.properties
            ]
            paths[f"/collections/{collection.id}/items"] = item
    out["paths"] = paths
    return out


def _declared(parameter: dict[str, Any]) -> dict[str, Any]:
    """A parameter as clients read it: `filter-lang` with its values listed (GDAL looks for them there)."""
    if parameter.get("name") == "filter-lang":
        return {**parameter, "schema": {"type": "string", "enum": list(FILTER_LANGS), "default": "cql2-text"}}
    return parameter
