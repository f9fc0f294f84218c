"""Pieces shared by several resources: links, pages, admin codes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# Admin codes of any country (the units loaded in admin_unit): letters, digits, - _ . up to 32, starting with a
# letter as OCHA p-codes start with the ISO country code. A Ukrainian code (`UA` and a digit) must also have
# the KATOTTG shape of its level (p-codes UA63, UA6312; hromada `UA` + 17 digits, docs/mine-action.md §8), so a
# mistyped one is refused even where no boundaries are loaded. No look-ahead: pydantic's regex engine lacks it.
_C = "[A-Za-z0-9._-]"
_NOT_UKRAINIAN = rf"[A-TV-Za-z]{_C}{{0,31}}|U(?:[B-Za-z0-9._-]{_C}{{0,30}})?|UA(?:[A-Za-z._-]{_C}{{0,29}})?"
OBLAST_PATTERN, RAION_PATTERN, HROMADA_PATTERN = (
    rf"^(?:{katottg}|{_NOT_UKRAINIAN})$" for katottg in (r"UA\d{2}", r"UA\d{4}", r"UA\d{17}")
)
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
