"""Organisation request and response models."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from app.domain.vocabulary import OrganisationKind
from app.schemas.common import Link, StrictModel


class OrganisationFields(StrictModel):
    """Attributes a client may set."""

    name: str | None = Field(None, min_length=1)
    acronym: str | None = None
    kind: OrganisationKind | None = None
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    accreditation_ref: str | None = None
    accredited_until: date | None = None
    notes: str | None = None


class OrganisationCreate(OrganisationFields):
    """Name and kind are required."""

    name: str = Field(min_length=1)
    kind: OrganisationKind


class OrganisationPublic(OrganisationFields):
    """An organisation as the API returns it."""

    id: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


class OrganisationPage(BaseModel):
    """A page of organisations."""

    items: list[OrganisationPublic]
    numberReturned: int
    links: list[Link]
