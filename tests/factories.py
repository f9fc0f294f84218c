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


# ETRS89 / LAEA Europe is equal-area: rectangles given in its metres have known m² on the ellipsoid.
LAEA = "EPSG:3035"
LAEA_X0, LAEA_Y0 = 6_153_000.0, 3_320_000.0  # near Kharkiv


def laea_rectangle(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    """A Polygon of (x0..x1) x (y0..y1) metres from a point near Kharkiv, in EPSG:3035."""
    a, b, c, d = LAEA_X0 + x0, LAEA_Y0 + y0, LAEA_X0 + x1, LAEA_Y0 + y1
    return {"type": "Polygon", "coordinates": [[[a, b], [c, b], [c, d], [a, d], [a, b]]]}


def laea_feature(geometry: dict[str, Any], **properties: Any) -> dict[str, Any]:
    """A Feature whose geometry is declared in EPSG:3035."""
    return {
        "type": "Feature",
        "geometry": geometry,
        "crs": {"type": "name", "properties": {"name": LAEA}},
        "properties": properties,
    }


def assert_ids_are_checked(client: Any, url: str, *, what: str, path_param: str) -> None:
    """An unknown id is a 404 naming it; one beyond bigint and one that is no number are 422s saying why."""
    unknown = client.get(f"{url}/12345")
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == f"{what} 12345 does not exist"
    too_big = client.get(f"{url}/99999999999999999999")
    assert too_big.status_code == 422
    assert too_big.json()["detail"] == "a value is out of range or malformed: bigint out of range"
    not_a_number = client.get(f"{url}/abc")
    assert not_a_number.status_code == 422
    [error] = not_a_number.json()["detail"]
    assert (error["loc"], error["type"]) == (["path", path_param], "int_parsing")


def if_match(client: Any, url: str, **headers: str) -> dict[str, str]:
    """Headers for changing the record at `url`: the ETag it has now in If-Match, and any others given."""
    etag = client.get(url).headers["etag"]
    return {"If-Match": etag, **{k.replace("_", "-"): v for k, v in headers.items()}}
