"""The hazardous-area filter shared by the listing, the ranking, the tiles and the dashboard figures.

One SQL fragment per filter, so the list beside the map and the tiles on it can never disagree
about which areas a filter selects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import TextClause, text


@dataclass
class AreaFilter:
    """Filters on hazardous areas; empty lists and None mean 'any'.

    `organisation_id` (the operator) selects areas with a live task of that organisation or
    reported by it. `reported_from`/`reported_to` bound the date
    the area's information was reported.
    """

    bbox: tuple[float, float, float, float] | None = None
    status: list[str] = field(default_factory=list)
    classification: list[str] = field(default_factory=list)
    contamination_type: list[str] = field(default_factory=list)
    oblast_code: str | None = None
    raion_code: str | None = None
    hromada_code: str | None = None
    organisation_id: int | None = None
    reported_from: date | None = None
    reported_to: date | None = None
    updated_since: datetime | None = None

    def is_empty(self) -> bool:
        """True when no filter is set."""
        return self == AreaFilter()


def area_where(flt: AreaFilter, alias: str) -> tuple[str, dict[str, Any]]:
    """`AND …` conditions on the hazardous_area row called `alias`, and their bound values (names start `f_`)."""
    a = alias
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if flt.bbox:
        conditions.append(f"{a}.geom && ST_MakeEnvelope(:f_west, :f_south, :f_east, :f_north, 4326)")
        conditions.append(f"ST_Intersects({a}.geom, ST_MakeEnvelope(:f_west, :f_south, :f_east, :f_north, 4326))")
        params.update(zip(("f_west", "f_south", "f_east", "f_north"), flt.bbox, strict=True))
    for name in ("status", "classification"):
        if values := getattr(flt, name):
            conditions.append(f"{a}.{name} = ANY(CAST(:f_{name} AS text[]))")
            params[f"f_{name}"] = values
    if flt.contamination_type:
        conditions.append(f"{a}.contamination_types && CAST(:f_contamination AS text[])")
        params["f_contamination"] = flt.contamination_type
    for name in ("oblast_code", "raion_code", "hromada_code"):
        if value := getattr(flt, name):
            conditions.append(f"{a}.{name} = :f_{name}")
            params[f"f_{name}"] = value
    if flt.organisation_id is not None:
        conditions.append(
            f"""({a}.reporting_organisation_id = :f_org OR EXISTS (
                SELECT 1 FROM task_hazardous_area ta JOIN task tk ON tk.id = ta.task_id
                WHERE ta.hazardous_area_id = {a}.id AND tk.organisation_id = :f_org AND tk.deleted_at IS NULL))"""
        )
        params["f_org"] = flt.organisation_id
    if flt.reported_from:
        conditions.append(f"{a}.reported_on >= :f_reported_from")
        params["f_reported_from"] = flt.reported_from
    if flt.reported_to:
        conditions.append(f"{a}.reported_on <= :f_reported_to")
        params["f_reported_to"] = flt.reported_to
    if flt.updated_since:
        conditions.append(f"{a}.updated_at >= :f_updated_since")
        params["f_updated_since"] = flt.updated_since
    return "".join(f" AND {c}" for c in conditions), params


def area_clause(flt: AreaFilter) -> TextClause:
    """The filter as one SQLAlchemy clause on the `hazardous_area` table, for ORM selects."""
    sql, params = area_where(flt, "hazardous_area")
    return text("true" + sql).bindparams(**params)
