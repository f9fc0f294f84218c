"""Admin units as the API lists them: codes and names, without their polygons."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AdminUnitPublic(BaseModel):
    """One loaded unit (`mais load-boundaries`); `code` is what records carry at its level."""

    country: str = Field(description="ISO 3166-1 alpha-2", examples=["UA"])
    level: int = Field(description="1 oblast / province, 2 raion / district, 3 hromada / commune", examples=[2])
    code: str = Field(examples=["UA6312"])
    name: str = Field(description="In the country's language", examples=["Харківський"])
    name_en: str | None = Field(None, examples=["Kharkivskyi"])
    parent_code: str | None = Field(None, description="Code of the unit one level up", examples=["UA63"])


class AdminUnitList(BaseModel):
    """The units a filter selects, by country, level and name."""

    items: list[AdminUnitPublic]
    numberReturned: int
