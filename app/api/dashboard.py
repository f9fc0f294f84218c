"""`/api/v1/dashboard`: what the dashboard shows beside the map (figures, an area's details, accidents)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from app.api.access import Caller
from app.api.deps import SessionDep
from app.api.language import RequestLanguage
from app.api.params import area_filter
from app.domain.errors import Invalid
from app.domain.vocabulary import RANK_BAND_LIMITS
from app.services.area_filter import AreaFilter
from app.services.dashboard import figures as service
from app.services.dashboard.map_layers import filter_extent
from app.services.priorities import ranking as priorities
from app.services.priorities.scenarios import scenario_named

router = APIRouter(prefix="/api/v1/dashboard", tags=["dashboard"])


@router.get("/headline")
def headline(session: SessionDep, flt: Annotated[AreaFilter, Depends(area_filter)]) -> dict[str, Any]:
    """Suspected and confirmed m² remaining, m² released this year by kind, active tasks, devices destroyed.

    Takes the area filters of `/api/v1/hazardous-areas`; releases, tasks and finds count when
    they belong to a selected area.
    """
    return service.headline(session, flt)


@router.get("/areas/{area_id}")
def area_details(
    area_id: int,
    session: SessionDep,
    actor: Caller,
    language: RequestLanguage,
    flt: Annotated[AreaFilter, Depends(area_filter)],
    scenario: Annotated[str | None, Query(description="add the area's rank and reasons under this scenario")] = None,
) -> dict[str, Any]:
    """An area's key attributes, m² original/remaining/released by kind, tasks, finds, accidents, bounds.

    Also names instead of codes, a point inside it in decimal degrees and MGRS, its history in the
    request's language and, with `scenario`, its rank (within the area filters given) and reasons in units.
    """
    chosen = scenario_named(session, scenario) if scenario else None
    return service.area_details(session, area_id, actor=actor, language=language, scenario=chosen, flt=flt)


@router.get("/extent")
def extent(session: SessionDep, flt: Annotated[AreaFilter, Depends(area_filter)]) -> dict[str, Any]:
    """Where to look for a filter: the chosen admin unit's boundary extent, else that of the areas it selects."""
    return filter_extent(session, flt)


@router.get("/accidents.geojson", responses={200: {"content": {"application/geo+json": {}}}})
def accident_points(
    session: SessionDep,
    flt: Annotated[AreaFilter, Depends(area_filter)],
    since: Annotated[date | None, Query(description="accidents on or after this date")] = None,
    occurred_from: Annotated[date | None, Query(description="accidents on or after this date")] = None,
    occurred_to: Annotated[date | None, Query(description="accidents on or before this date")] = None,
) -> Response:
    """Live accidents as points: date, type and number of victims (never who they were), newest first.

    Admin-unit filters select accidents inside the unit; the other area filters, accidents linked
    to a selected area. An accident without a known date drops out once a date bound is set.
    """
    start = max(d for d in (since, occurred_from) if d) if since or occurred_from else None
    if start and occurred_to and start > occurred_to:
        raise Invalid("occurred_from is after occurred_to", field="occurred_from")
    points = service.accident_points(session, since=start, until=occurred_to, flt=flt)
    return Response(points, media_type="application/geo+json")


@router.get("/settlements.geojson", responses={200: {"content": {"application/geo+json": {}}}})
def settlement_points(session: SessionDep, language: RequestLanguage) -> Response:
    """Settlements as points with name and population: context that makes the map read without a base map.

    Names are in the request's language (the official Latin form in English: docs/languages.md).
    """
    return Response(
        service.settlement_points(session, language),
        media_type="application/geo+json",
        headers={
            "Cache-Control": "public, max-age=300",
            "Content-Language": language,
            "Vary": "Accept-Language, Cookie",
        },
    )


@router.get("/rank-bands")
def rank_bands(
    session: SessionDep,
    flt: Annotated[AreaFilter, Depends(area_filter)],
    scenario: str = "humanitarian",
) -> dict[str, Any]:
    """Lowest score in the top 10, 50 and 250 of the filtered ranking, for colouring the map by rank."""
    chosen = scenario_named(session, scenario)
    rows, total = priorities.ranking(session, chosen, flt, limit=RANK_BAND_LIMITS[-1])
    ranked = [r for r in rows if r["gated"] is None]
    bands = [
        {"up_to_rank": n, "min_score": ranked[min(n, len(ranked)) - 1]["score"]} for n in RANK_BAND_LIMITS if ranked
    ]
    return {"scenario": chosen.name, "scenario_version": chosen.version, "total": total, "bands": bands}
