"""Small builders for request bodies used across the API tests."""

from __future__ import annotations

from typing import Any

KHARKIV_HROMADA = "UA63120270000028556"  # Kharkivska miska hromada (raion UA6312, oblast UA63)
KHERSON_HROMADA = "UA65100150000057191"  # Khersonska miska hromada (raion UA6510)


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    """A lon/lat-aligned square Polygon with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def area_feature(geometry: dict[str, Any] | None = None, **properties: Any) -> dict[str, Any]:
    """A hazardous-area Feature: an SHA square near Kharkiv unless told otherwise."""
    props: dict[str, Any] = {"classification": "SHA"}
    props.update(properties)
    return {"type": "Feature", "geometry": geometry or square(36.20, 50.00), "properties": props}
