"""Pieces shared by several resources: links, pages, KATOTTG codes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# KATOTTG: `UA` + 17 digits for a hromada; OCHA p-codes are its prefixes (domain.md §8).
OblastCode = Annotated[str, StringConstraints(pattern=r"^UA\d{2}$")]
RaionCode = Annotated[str, StringConstraints(pattern=r"^UA\d{4}$")]
HromadaCode = Annotated[str, StringConstraints(pattern=r"^UA\d{17}$")]


class StrictModel(BaseModel):
    """Unknown fields are refused so that a typo is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Link(BaseModel):
    """A hypermedia link (OGC API style)."""

    href: str
    rel: str
    type: str = "application/json"
