"""Donor, funding agreement, expenditure and beneficiary request and response models."""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

from pydantic import BaseModel, Field, field_validator, model_validator

from app.domain.vocabulary import ReachKind
from app.schemas.common import Link, StrictModel
from app.schemas.currency import CURRENCIES

MAX_PEOPLE = 100_000_000  # more than any country's population: a typo, refused before it reaches an int column


class DonorCreate(StrictModel):
    """A donor; the name is unique."""

    name: str = Field(min_length=1)
    acronym: str | None = None
    country: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    iati_org_ref: str | None = Field(None, description="IATI organisation identifier, e.g. GB-GOV-1")
    notes: str | None = None


class DonorPublic(DonorCreate):
    """A donor as the API returns it."""

    id: int
    created_at: datetime
    created_by: str


class DonorPage(BaseModel):
    """A page of donors."""

    items: list[DonorPublic]
    numberReturned: int
    links: list[Link]


class Period(StrictModel):
    """A period of whole days, both ends included."""

    period_start: date
    period_end: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.period_end < self.period_start:
            raise ValueError(f"period_end {self.period_end} is before period_start {self.period_start}")
        return self


class FundingAgreementCreate(Period):
    """A grant from a donor to an operating organisation."""

    reference: str = Field(min_length=1, description="Grant or agreement number, unique")
    donor_id: int
    organisation_id: int = Field(description="The organisation funded (usually an operator)")
    title: str | None = None
    amount: float = Field(ge=0, allow_inf_nan=False)
    currency: str = Field(description="ISO 4217 code, e.g. EUR, USD, UAH")
    notes: str | None = None

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in CURRENCIES:
            raise ValueError(f"{value!r} is not an ISO 4217 currency code in use (e.g. EUR, USD, GBP, UAH)")
        return value


class FundingAgreementPublic(FundingAgreementCreate):
    """A funding agreement with its donor, organisation and spending so far."""

    id: int
    donor: str
    organisation: str
    expenditure: float
    task_ids: list[int]
    created_at: datetime
    created_by: str


class FundingAgreementPage(BaseModel):
    """A page of funding agreements."""

    items: list[FundingAgreementPublic]
    numberReturned: int
    links: list[Link]


class ExpenditureCreate(Period):
    """Money spent in one reporting period, in the agreement's currency."""

    amount: float = Field(ge=0, allow_inf_nan=False)
    notes: str | None = None


class ExpenditurePublic(ExpenditureCreate):
    """A stored expenditure."""

    id: int
    funding_agreement_id: int
    created_at: datetime
    created_by: str


class TaskLinks(StrictModel):
    """Tasks to fund from an agreement."""

    task_ids: list[int] = Field(min_length=1)


class BeneficiaryCountCreate(StrictModel):
    """People a task served, as recorded: women and men are adults, girls and boys under 18."""

    recorded_on: date
    reach: ReachKind
    women: int = Field(0, ge=0, le=MAX_PEOPLE)
    men: int = Field(0, ge=0, le=MAX_PEOPLE)
    girls: int = Field(0, ge=0, le=MAX_PEOPLE)
    boys: int = Field(0, ge=0, le=MAX_PEOPLE)
    notes: str | None = None


class BeneficiaryCountPublic(BeneficiaryCountCreate):
    """A stored beneficiary count."""

    id: int
    task_id: int
    created_at: datetime
    created_by: str
