"""Pieces shared by several resources: links, pages, KATOTTG codes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# KATOTTG: `UA` + 17 digits for a hromada; OCHA p-codes are its prefixes (docs/mine-action.md §8).
OBLAST_PATTERN, RAION_PATTERN, HROMADA_PATTERN = r"^UA\d{2}$", r"^UA\d{4}$", r"^UA\d{17}$"
OblastCode = Annotated[str, StringConstraints(pattern=OBLAST_PATTERN)]
RaionCode = Annotated[str, StringConstraints(pattern=RAION_PATTERN)]
HromadaCode = Annotated[str, StringConstraints(pattern=HROMADA_PATTERN)]


class StrictModel(BaseModel):
    """Unknown fields are refused so that a typo is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Link(BaseModel):
    """A hypermedia link (OGC API style)."""

    href: str
    rel: str
    type: str = "application/json"


class NamedCrs(StrictModel):
    """GeoJSON 2008 `crs` member; coordinates in another CRS are reprojected to WGS 84."""

    type: Literal["name"] = "name"
    properties: dict[str, str] = Field(examples=[{"name": "EPSG:32637"}])

    @field_validator("properties")
    @classmethod
    def _has_name(cls, value: dict[str, str]) -> dict[str, str]:
        if not value.get("name"):
            raise ValueError("crs.properties.name is required, e.g. 'EPSG:32637'")
        return value

    @property
    def name(self) -> str:
        """The declared CRS, e.g. 'EPSG:32637'."""
        return self.properties["name"]
