"""`/api/v1/dashboard`: what the dashboard shows beside the map (figures, an area's details, accidents)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from app.api.access import Caller
from app.api.deps import SessionDep
from app.api.params import area_filter
from app.domain.vocabulary import RANK_BAND_LIMITS
from app.services.area_filter import AreaFilter
from app.services.dashboard import figures as service
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
def area_details(area_id: int, session: SessionDep, actor: Caller) -> dict[str, Any]:
    """An area's key attributes, m² original/remaining/released by kind, tasks, finds, accidents, bounds."""
    return service.area_details(session, area_id, actor=actor)


@router.get("/accidents.geojson", responses={200: {"content": {"application/geo+json": {}}}})
def accident_points(
    session: SessionDep,
    since: Annotated[date | None, Query(description="accidents on or after this date")] = None,
) -> Response:
    """Live accidents as points: date, type and number of victims (never who they were)."""
    return Response(service.accident_points(session, since=since), media_type="application/geo+json")


@router.get("/settlements.geojson", responses={200: {"content": {"application/geo+json": {}}}})
def settlement_points(session: SessionDep) -> Response:
    """Settlements as points with name and population: context that makes the map read without a base map."""
    return Response(
        service.settlement_points(session),
        media_type="application/geo+json",
        headers={"Cache-Control": "public, max-age=300"},
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
