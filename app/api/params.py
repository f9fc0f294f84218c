"""Query-parameter parsing shared by endpoints: comma lists, bbox, page size, the hazardous-area filter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated

from fastapi import Query

from app.domain.errors import Invalid
from app.domain.vocabulary import AREA_STATUSES, CLASSIFICATIONS, QUALITY_FLAG_KINDS
from app.schemas.common import HromadaCode, OblastCode, RaionCode
from app.services.area_filter import AreaFilter


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


def area_filter(
    bbox: Annotated[str | None, Query(description="minLon,minLat,maxLon,maxLat (WGS 84)")] = None,
    status: Annotated[list[str] | None, Query(description="open, worked_on, closed, handed_over")] = None,
    classification: Annotated[list[str] | None, Query(description="SHA, CHA")] = None,
    contamination_type: Annotated[list[str] | None, Query(description="any of these codes")] = None,
    oblast_code: OblastCode | None = None,
    raion_code: RaionCode | None = None,
    hromada_code: HromadaCode | None = None,
    organisation_id: Annotated[
        int | None, Query(ge=1, le=2**63 - 1, description="operator: areas it reported or has a task on")
    ] = None,
    reported_from: Annotated[date | None, Query(description="information dated on or after")] = None,
    reported_to: Annotated[date | None, Query(description="information dated on or before")] = None,
    updated_since: datetime | None = None,
    active_task_not_of: Annotated[
        int | None,
        Query(ge=0, le=2**63 - 1, description="areas with an active task of an organisation other than this; 0: any"),
    ] = None,
    quality: Annotated[
        list[str] | None, Query(description="areas flagged with any of: " + ", ".join(QUALITY_FLAG_KINDS))
    ] = None,
) -> AreaFilter:
    """The hazardous-area filter, the same wherever areas are selected (list, ranking, tiles, figures)."""
    if reported_from and reported_to and reported_from > reported_to:
        raise Invalid("reported_from is after reported_to", field="reported_from")
    return AreaFilter(
        bbox=parse_bbox(bbox),
        status=comma_list("status", status, AREA_STATUSES),
        classification=comma_list("classification", classification, CLASSIFICATIONS),
        contamination_type=comma_list("contamination_type", contamination_type),
        oblast_code=oblast_code,
        raion_code=raion_code,
        hromada_code=hromada_code,
        organisation_id=organisation_id,
        reported_from=reported_from,
        reported_to=reported_to,
        updated_since=updated_since,
        quality=comma_list("quality", quality, QUALITY_FLAG_KINDS),
        active_task_not_of=active_task_not_of,
    )
