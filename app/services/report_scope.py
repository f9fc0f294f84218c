"""What a report covers: its filters, checked, and the SQL conditions that attribute records to them.

Attribution (documented in the README):
- a release, a device found and progress belong to the activity's organisation; to an agreement
  and its donor through the activity's task (`activity → task → funding_agreement → donor`); to an
  admin unit through the hazardous area they were recorded on; to the period by their own date;
- tasks, beneficiaries and team-days belong to the task's organisation and agreement, and to an
  admin unit when any of the task's areas lies in it;
- remaining land, handovers and accidents belong to a hazardous area: to an organisation or
  agreement when a task of theirs covers the area;
- expenditure belongs to its agreement only: it is not recorded by admin unit, so a report filtered
  by admin unit gives no cost per m².
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import Invalid

DEFAULT_DISTANCE_M = 5_000.0
MAX_DISTANCE_M = 50_000.0
ADMIN_CODES = {"oblast_code": r"^UA\d{2}$", "raion_code": r"^UA\d{4}$", "hromada_code": r"^UA\d{17}$"}


@dataclass(frozen=True)
class ReportFilter:
    """The filters of a report; every output repeats them."""

    donor_id: int | None = None
    agreement_id: int | None = None
    organisation_id: int | None = None
    oblast_code: str | None = None
    raion_code: str | None = None
    hromada_code: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    distance_m: float = DEFAULT_DISTANCE_M

    def check(self) -> None:
        """Refuse filters that cannot select anything sensible, saying which and why."""
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise Invalid(f"date_to {self.date_to} is before date_from {self.date_from}", field="date_to")
        for name, pattern in ADMIN_CODES.items():
            value = getattr(self, name)
            if value is not None and not re.match(pattern, value):
                example = {"oblast_code": "UA63", "raion_code": "UA6312", "hromada_code": "UA63120270000028556"}
                raise Invalid(f"{name} {value!r} is not a KATOTTG code like {example[name]}", field=name)
        if not 0 < self.distance_m <= MAX_DISTANCE_M:
            raise Invalid(f"distance_m must be more than 0 and at most {MAX_DISTANCE_M:,.0f}", field="distance_m")

    @property
    def admin(self) -> tuple[str, str] | None:
        """The most precise admin-unit filter as (column, code), if any."""
        for name in ("hromada_code", "raion_code", "oblast_code"):
            if getattr(self, name):
                return name, getattr(self, name)
        return None

    @property
    def funded(self) -> bool:
        """Whether the report is restricted to an organisation, agreement or donor."""
        return any(v is not None for v in (self.donor_id, self.agreement_id, self.organisation_id))

    def params(self) -> dict[str, Any]:
        """Bound parameters of every report query."""
        return asdict(self)


def described(session: Session, flt: ReportFilter) -> dict[str, Any]:
    """The filters with the names of what they refer to; an id that does not exist is a 422."""
    out: dict[str, Any] = {k: v for k, v in asdict(flt).items()}
    for key, table, label in (
        ("donor_id", "donor", "name"),
        ("agreement_id", "funding_agreement", "reference"),
        ("organisation_id", "organisation", "name"),
    ):
        if flt.params()[key] is None:
            continue
        sql = text(f"SELECT {label} FROM {table} WHERE id = :id AND deleted_at IS NULL")
        name = session.execute(sql, {"id": flt.params()[key]}).scalar()
        if name is None:
            raise Invalid(f"{key} {flt.params()[key]}: no such {table.replace('_', ' ')}", field=key)
        out[key.removesuffix("_id")] = name
    return out


def period(column: str, flt: ReportFilter) -> list[str]:
    """Conditions keeping `column` (a date) inside the report's period."""
    out = []
    if flt.date_from:
        out.append(f"{column} >= :date_from")
    if flt.date_to:
        out.append(f"{column} <= :date_to")
    return out


def funding(flt: ReportFilter, *, org: str, agreement: str, donor: str) -> list[str]:
    """Conditions on the organisation, agreement and donor columns named."""
    out = []
    if flt.organisation_id is not None:
        out.append(f"{org} = :organisation_id")
    if flt.agreement_id is not None:
        out.append(f"{agreement} = :agreement_id")
    if flt.donor_id is not None:
        out.append(f"{donor} = :donor_id")
    return out


def admin(flt: ReportFilter, area: str) -> list[str]:
    """Condition keeping hazardous area `area` inside the admin unit filtered on."""
    unit = flt.admin
    return [f"{area}.{unit[0]} = :{unit[0]}"] if unit else []


def task_in_unit(flt: ReportFilter, task: str) -> list[str]:
    """A task is in an admin unit when any of its areas is."""
    unit = flt.admin
    if not unit:
        return []
    return [
        f"EXISTS (SELECT 1 FROM task_hazardous_area tha JOIN hazardous_area th ON th.id = tha.hazardous_area_id "
        f"WHERE tha.task_id = {task}.id AND th.{unit[0]} = :{unit[0]})"
    ]


def area_funded(flt: ReportFilter, area: str) -> list[str]:
    """An area belongs to an organisation, agreement or donor when one of their tasks covers it."""
    if not flt.funded:
        return []
    conds = " AND ".join(
        [
            "ft.deleted_at IS NULL",
            *funding(flt, org="ft.organisation_id", agreement="ft.funding_agreement_id", donor="ffa.donor_id"),
        ]
    )
    return [
        "EXISTS (SELECT 1 FROM task_hazardous_area fha JOIN task ft ON ft.id = fha.task_id "
        f"LEFT JOIN funding_agreement ffa ON ffa.id = ft.funding_agreement_id "
        f"WHERE fha.hazardous_area_id = {area}.id AND {conds})"
    ]


RELEASES_FROM = """
    FROM release r
    JOIN hazardous_area h ON h.id = r.hazardous_area_id
    JOIN activity a ON a.id = r.activity_id
    LEFT JOIN task t ON t.id = a.task_id
    LEFT JOIN funding_agreement fa ON fa.id = t.funding_agreement_id
"""


def by_activity(flt: ReportFilter) -> list[str]:
    """Conditions on the organisation, agreement and donor of an activity `a` (task `t`, agreement `fa`)."""
    return funding(flt, org="a.organisation_id", agreement="t.funding_agreement_id", donor="fa.donor_id")


def releases_where(flt: ReportFilter) -> str:
    """The releases a report counts, selected `FROM` `RELEASES_FROM`."""
    return where(["h.deleted_at IS NULL", *by_activity(flt), *admin(flt, "h"), *period("r.released_on", flt)])


def remaining_where(flt: ReportFilter) -> str:
    """The hazardous areas `h` whose remaining land a report shows."""
    live = ["h.deleted_at IS NULL", "h.status IN ('open', 'worked_on')"]
    return where([*live, *admin(flt, "h"), *area_funded(flt, "h")])


def where(conditions: list[str]) -> str:
    """A WHERE clause of all conditions (TRUE when none)."""
    return "WHERE " + (" AND ".join(conditions) if conditions else "TRUE")
