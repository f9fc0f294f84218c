"""`/api/v1/quality`: data-quality flags of hazardous areas, summarised."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from app.api.access import Caller
from app.api.deps import SessionDep
from app.api.params import area_filter
from app.schemas.quality import QualitySummary
from app.services.area_filter import AreaFilter
from app.services.registry.quality import quality_summary

router = APIRouter(prefix="/api/v1/quality", tags=["data quality"])


@router.get("", response_model=QualitySummary)
def summary(
    session: SessionDep,
    actor: Caller,
    flt: Annotated[AreaFilter, Depends(area_filter)],
    top: Annotated[int, Query(ge=1, le=100, description="how many of the largest overlaps to list")] = 10,
) -> dict[str, Any]:
    """Areas flagged by kind, the m² a plain sum of remaining land counts twice, and the largest overlaps.

    Filters are those of `/api/v1/hazardous-areas`; `?quality=overlap` lists the flagged areas themselves.
    """
    return quality_summary(session, flt, top=top, actor=actor)
