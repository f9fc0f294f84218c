"""How records are attributed to a report's filters: the names they refer to, and SQL conditions per table.

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

Who reads a report narrows it too (`for_actor`): a donor officer's report covers only the work its
donor funds, whatever the query asks for (docs/mine-action.md §7).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.access import Actor, funded_donor
from app.domain.errors import Forbidden, Invalid
from app.reporting.filter import ReportFilter


def for_actor(flt: ReportFilter, actor: Actor) -> ReportFilter:
    """The filter `actor` may read: a donor officer's is its own donor's, asked for or not; another donor is a 403."""
    if not actor.is_donor:
        return flt
    donor_id = funded_donor(actor)
    if flt.donor_id is not None and flt.donor_id != donor_id:
        raise Forbidden(
            f"a donor officer reads the report of its own donor ({donor_id}) only, not of donor {flt.donor_id}: "
            "leave donor_id out or set it to your own",
            donor_id=donor_id,
        )
    return flt.model_copy(update={"donor_id": donor_id})


def described(session: Session, flt: ReportFilter, actor: Actor | None = None) -> dict[str, Any]:
    """The filters with the names of what they refer to; an id that does not exist is a 422.

    A donor officer may name only its own donor's agreements: another's reference is not its to read.
    """
    out: dict[str, Any] = flt.model_dump()
    if actor is not None and actor.is_donor and flt.agreement_id is not None:
        sql = text("SELECT 1 FROM funding_agreement WHERE id = :id AND donor_id = :donor AND deleted_at IS NULL")
        if session.execute(sql, {"id": flt.agreement_id, "donor": actor.donor_id}).scalar() is None:
            raise Forbidden(
                f"agreement_id {flt.agreement_id} is not an agreement of your donor ({actor.donor_id})",
                donor_id=actor.donor_id,
            )
    for key, table, label in (
        ("donor_id", "donor", "name"),
        ("agreement_id", "funding_agreement", "reference"),
        ("organisation_id", "organisation", "name"),
    ):
        given = out[key]
        if given is None:
            continue
        sql = text(f"SELECT {label} FROM {table} WHERE id = :id AND deleted_at IS NULL")
        name = session.execute(sql, {"id": given}).scalar()
        if name is None:
            raise Invalid(f"{key} {given}: no such {table.replace('_', ' ')}", field=key)
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
    live = ["h.deleted_at IS NULL", "h.status = ANY(:live_statuses)"]
    return where([*live, *admin(flt, "h"), *area_funded(flt, "h")])


def where(conditions: list[str]) -> str:
    """A WHERE clause of all conditions (TRUE when none)."""
    return "WHERE " + (" AND ".join(conditions) if conditions else "TRUE")
