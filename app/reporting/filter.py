"""What a donor report covers: one model for the API's query parameters and the CLI's options."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.domain.errors import Invalid
from app.domain.vocabulary import SQL_VALUES
from app.schemas.common import HROMADA_PATTERN, OBLAST_PATTERN, RAION_PATTERN

DEFAULT_DISTANCE_M = 5_000.0
MAX_DISTANCE_M = 50_000.0
AdminLevel = Literal["oblast", "raion", "hromada"]
# (parameter, pattern, example), most precise unit first
ADMIN_UNITS = (
    ("hromada_code", HROMADA_PATTERN, "UA63120270000028556"),
    ("raion_code", RAION_PATTERN, "UA6312"),
    ("oblast_code", OBLAST_PATTERN, "UA63"),
)


class ReportFilter(BaseModel):
    """The filters of a report; every output repeats them.

    A filter that cannot select anything sensible is refused with the reason (`Invalid`, a 422
    naming the field), whether it comes from a query string or the command line.
    """

    model_config = ConfigDict(frozen=True)

    donor_id: int | None = Field(None, description="Work funded by this donor (through task → agreement)")
    agreement_id: int | None = Field(None, description="Work funded by this agreement")
    organisation_id: int | None = Field(None, description="Work of this organisation")
    oblast_code: str | None = Field(None, examples=["UA63"])
    raion_code: str | None = Field(None, examples=["UA6312"])
    hromada_code: str | None = Field(None, examples=["UA63120270000028556"])
    date_from: date | None = Field(None, description="First day of the period")
    date_to: date | None = Field(None, description="Last day of the period")
    distance_m: float = Field(DEFAULT_DISTANCE_M, description="People living within this distance of released land")

    @model_validator(mode="after")
    def _sensible(self) -> ReportFilter:
        # Invalid is no ValueError: pydantic lets it through, and it answers as every domain refusal does.
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise Invalid(f"date_to {self.date_to} is before date_from {self.date_from}", field="date_to")
        for name, pattern, example in reversed(ADMIN_UNITS):  # the widest unit's error first
            value = getattr(self, name)
            if value is not None and not re.match(pattern, value):
                raise Invalid(f"{name} {value!r} is not a KATOTTG code like {example}", field=name)
        if not 0 < self.distance_m <= MAX_DISTANCE_M:
            raise Invalid(f"distance_m must be more than 0 and at most {MAX_DISTANCE_M:,.0f}", field="distance_m")
        return self

    @property
    def admin(self) -> tuple[str, str] | None:
        """The most precise admin-unit filter as (column, code), if any."""
        for name, _, _ in ADMIN_UNITS:
            if getattr(self, name):
                return name, getattr(self, name)
        return None

    @property
    def remaining_by(self) -> AdminLevel:
        """The admin level remaining land is grouped by: the one below the unit filtered on."""
        unit = self.admin
        if unit is None:
            return "oblast"
        return "raion" if unit[0] == "oblast_code" else "hromada"

    @property
    def funded(self) -> bool:
        """Whether the report is restricted to an organisation, agreement or donor."""
        return any(v is not None for v in (self.donor_id, self.agreement_id, self.organisation_id))

    def params(self) -> dict[str, Any]:
        """Bound parameters of every report query."""
        return {**SQL_VALUES, **self.model_dump()}
