"""Data-quality flags as the API returns them: on each area, and summarised by `/api/v1/quality`."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.domain.vocabulary import QualityFlagKind


class QualityFlagPublic(BaseModel):
    """One thing about an area to look at (app/services/registry/quality.py)."""

    kind: QualityFlagKind
    other_area_id: int | None = Field(None, description="The other area of a duplicate or an overlap")
    area_m2: float | None = Field(None, description="The sliver's m², or the m² of remaining land two areas share")
    detail: str | None = Field(None, description="What was found and what to do about it")


class OverlapPair(BaseModel):
    """Two live areas whose remaining land overlaps."""

    hazardous_area_id: int
    other_area_id: int
    area_m2: float = Field(description="Land both areas hold, measured on the ellipsoid")


class QualitySummary(BaseModel):
    """Data quality of the areas a filter selects."""

    areas_flagged: dict[QualityFlagKind, int] = Field(description="Areas (not deleted) carrying each kind of flag")
    overlapping_pairs: int
    live_areas: int = Field(description="Open and worked-on areas")
    remaining_m2: float = Field(description="Sum of the live areas' remaining m², overlaps counted as often as held")
    double_counted_m2: float = Field(description="What that sum counts more than once: sum minus the union")
    remaining_once_m2: float = Field(description="The live areas' remaining land, overlaps counted once")
    sliver_m2: float = Field(description="The sliver threshold in force (MAIS_SLIVER_M2)")
    top_overlaps: list[OverlapPair] = Field(description="The largest overlaps, largest first")
