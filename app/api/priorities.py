"""`/api/v1/priorities`: explainable rankings under named, versioned scenarios; CSV export; comparison."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.etags import IfMatch, tagged
from app.api.language import RequestLanguage
from app.api.params import area_filter, page_limit
from app.schemas.priority import Ranking, ScenarioCreate, ScenarioPublic, ScenarioUpdate, ScenarioVersion
from app.services.area_filter import AreaFilter
from app.services.dashboard.labels import label_rows
from app.services.priorities import ranking as service
from app.services.priorities import scenarios
from gis.priorities import CRITERIA, CRITERION_NAMES

router = APIRouter(tags=["priorities"])


@router.get("/api/v1/priority-criteria")
def list_criteria() -> list[dict[str, str]]:
    """Every criterion with its unit, formula and direction."""
    return [{"name": c.name, "unit": c.unit, "formula": c.formula, "direction": c.direction} for c in CRITERIA]


@router.get("/api/v1/priority-scenarios", response_model=list[ScenarioPublic])
def list_scenarios(session: SessionDep) -> list[dict[str, Any]]:
    """Scenarios with their current weights and parameters."""
    return scenarios.list_scenarios(session)


@router.post("/api/v1/priority-scenarios", status_code=201, response_model=ScenarioPublic)
def create_scenario(body: ScenarioCreate, session: SessionDep, actor: Caller) -> dict[str, Any]:
    """A new scenario (version 1); unknown criteria, negative weights or unknown parameters are a 422."""
    scenario_id = scenarios.create_scenario(session, body, actor=actor)
    return scenarios.public(session, scenarios.live_scenario(session, scenario_id))


@router.get("/api/v1/priority-scenarios/{scenario_id}", response_model=ScenarioPublic)
def get_scenario(scenario_id: int, session: SessionDep, response: Response) -> dict[str, Any]:
    """One scenario with its current weights and parameters; `ETag` for If-Match."""
    return _tagged(session, scenario_id, response)


@router.patch("/api/v1/priority-scenarios/{scenario_id}", response_model=ScenarioPublic)
def update_scenario(
    scenario_id: int,
    body: ScenarioUpdate,
    session: SessionDep,
    actor: Caller,
    if_match: IfMatch,
    response: Response,
) -> dict[str, Any]:
    """New weights or parameters make a new version; earlier rankings keep naming the version they used."""
    scenarios.update_scenario(session, scenario_id, body, actor=actor, if_match=if_match)
    return _tagged(session, scenario_id, response)


def _tagged(session: SessionDep, scenario_id: int, response: Response) -> dict[str, Any]:
    scenario = scenarios.live_scenario(session, scenario_id)
    tagged(response, scenario.id, scenario.updated_at)
    return scenarios.public(session, scenario)


@router.get("/api/v1/priority-scenarios/{scenario_id}/versions", response_model=list[ScenarioVersion])
def scenario_versions(scenario_id: int, session: SessionDep) -> list[Any]:
    """Every version of a scenario, oldest first."""
    return scenarios.versions(session, scenario_id)


@router.get("/api/v1/priorities", response_model=Ranking, responses={200: {"content": {"text/csv": {}}}})
def priorities(
    session: SessionDep,
    settings: SettingsDep,
    flt: Annotated[AreaFilter, Depends(area_filter)],
    scenario: str = "humanitarian",
    limit: int | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    format: Literal["json", "csv"] = "json",
    *,
    actor: Caller,
    language: RequestLanguage,
) -> Any:
    """Areas ranked by score with every criterion's contribution (scores follow every write).

    Filters are those of the area listing (closed areas are not ranked); `total` counts the
    ranked areas the filter selects. Ties break by area id, so the order is deterministic. `rank` is within the filter,
    `national_rank` over every ranked area. Gated areas (e.g. too close to the line of
    contact) come last, with the reason. JSON rows also carry the reasons in units (`facts`), the
    active tasks and whether one is another operator's, and names instead of codes.
    """
    chosen = scenarios.scenario_named(session, scenario)
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    rows, total = service.ranking(session, chosen, flt, limit=size, offset=offset)
    if format == "csv":
        return _csv(rows, chosen.name, chosen.version)
    service.explain(session, chosen, rows, viewer_organisation=service.viewer_organisation(actor))
    label_rows(session, rows, language)
    return {
        "scenario": chosen.name,
        "scenario_version": chosen.version,
        "computed_at": service.computed_at(session, chosen),
        "total": total,
        "items": rows,
    }


@router.get("/api/v1/priorities/compare")
def compare(
    session: SessionDep,
    settings: SettingsDep,
    flt: Annotated[AreaFilter, Depends(area_filter)],
    scenario: str,
    other: str,
    limit: int | None = None,
) -> dict[str, Any]:
    """How ranks change between two scenarios, for the top areas of the first."""
    first, second = scenarios.scenario_named(session, scenario), scenarios.scenario_named(session, other)
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    top, _ = service.ranking(session, first, flt, limit=size)
    everyone, _ = service.ranking(session, second, flt, limit=10**9)
    rank_in_other = {r["hazardous_area_id"]: r["rank"] for r in everyone}
    items = [
        {
            "hazardous_area_id": r["hazardous_area_id"],
            "name": r["name"],
            "rank": r["rank"],
            "other_rank": rank_in_other.get(r["hazardous_area_id"]),
            "change": None
            if r["hazardous_area_id"] not in rank_in_other
            else r["rank"] - rank_in_other[r["hazardous_area_id"]],
        }
        for r in top
    ]
    return {
        "scenario": first.name,
        "scenario_version": first.version,
        "other": second.name,
        "other_version": second.version,
        "items": items,
    }


@router.post("/api/v1/priorities/recompute")
def recompute(session: SessionDep, actor: Caller, scenario: str | None = None) -> list[dict[str, Any]]:
    """A full run now, for one scenario or all of them."""
    chosen = [scenarios.scenario_named(session, scenario)] if scenario else scenarios.live_scenarios(session)
    runs = service.recompute(session, chosen, actor=actor)
    return [
        {
            "run_id": r.id,
            "scenario_id": r.scenario_id,
            "scenario_version": r.scenario_version,
            "kind": r.kind,
            "areas_scored": r.areas_scored,
            "seconds": round(r.seconds, 3),
        }
        for r in runs
    ]


def _csv(rows: list[dict[str, Any]], scenario: str, version: int) -> Response:
    """One row per area: rank, identity, score and the contribution of every criterion."""
    out = io.StringIO()
    writer = csv.writer(out)
    base = [
        "rank",
        "national_rank",
        "hazardous_area_id",
        "national_id",
        "name",
        "classification",
        "status",
        "oblast_code",
        "remaining_area_m2",
        "score",
        "gated",
    ]
    writer.writerow(["scenario", "scenario_version", *base, *(f"contribution_{n}" for n in CRITERION_NAMES)])
    for r in rows:
        writer.writerow([scenario, version, *(r[k] for k in base), *(r["contributions"][n] for n in CRITERION_NAMES)])
    filename = f"priorities-{scenario.replace(' ', '-')}-v{version}.csv"
    return Response(
        out.getvalue(), media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
