"""Query-parameter parsing shared by list endpoints: comma lists, bbox, page size."""

from __future__ import annotations

from collections.abc import Sequence

from app.errors import Invalid


def comma_list(name: str, values: list[str] | None, allowed: Sequence[str] | None = None) -> list[str]:
    """`a,b` and repeated parameters both give [a, b]; values outside `allowed` are refused."""
    items = [v.strip() for value in values or [] for v in value.split(",") if v.strip()]
    if allowed is not None:
        bad = [v for v in items if v not in allowed]
        if bad:
            raise Invalid(f"{name}: unknown value(s) {', '.join(bad)}; allowed: {', '.join(allowed)}", field=name)
    return items


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`minLon,minLat,maxLon,maxLat` in WGS 84, as in OGC API - Features."""
    if value is None:
        return None
    try:
        parts = tuple(float(v) for v in value.split(","))
    except ValueError as error:
        raise Invalid("bbox must be four numbers: minLon,minLat,maxLon,maxLat", field="bbox") from error
    if len(parts) != 4:
        raise Invalid("bbox must be four numbers: minLon,minLat,maxLon,maxLat", field="bbox")
    west, south, east, north = parts
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise Invalid(
            "bbox must satisfy -180 ≤ minLon ≤ maxLon ≤ 180 and -90 ≤ minLat ≤ maxLat ≤ 90 "
            "(order: minLon,minLat,maxLon,maxLat)",
            field="bbox",
        )
    return west, south, east, north


def page_limit(limit: int | None, default: int, maximum: int) -> int:
    """The requested page size, defaulted, refused above the maximum."""
    if limit is None:
        return default
    if not 1 <= limit <= maximum:
        raise Invalid(f"limit must be between 1 and {maximum}", field="limit")
    return limit
