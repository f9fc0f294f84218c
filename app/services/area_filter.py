"""The hazardous-area filter shared by the listing, the ranking, the tiles and the dashboard figures.

One SQLAlchemy condition per filter, so the list beside the map and the tiles on it can never
disagree about which areas a filter selects. ORM queries use `area_condition`; queries written as
SQL (ranking, tiles, figures) embed the same condition through `area_where`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    FromClause,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import BindParameter

from app.db.models import HazardousArea, QualityFlag, Task, task_hazardous_area
from app.domain.vocabulary import ACTIVE_TASK_STATUSES
from app.services.sql import sql_text

AREAS = HazardousArea.__table__
TASKS = Task.__table__
FLAGS = QualityFlag.__table__


@dataclass
class AreaFilter:
    """Filters on hazardous areas; empty lists and None mean 'any'.

    `organisation_id` (the operator) selects areas with a live task of that organisation or
    reported by it. `reported_from`/`reported_to` bound the date
    the area's information was reported. `quality` selects areas with a data-quality flag of any
    of these kinds (app/services/registry/quality.py).
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
    quality: list[str] = field(default_factory=list)
    # Areas with an active task (assigned, in progress, suspended) of an organisation other than this
    # one; 0: of any organisation (docs/dashboard.md, "active task of another operator").
    active_task_not_of: int | None = None

    def is_empty(self) -> bool:
        """True when no filter is set."""
        return self == AreaFilter()


def area_condition(flt: AreaFilter, area: FromClause = AREAS) -> ColumnElement[bool]:
    """The filter as one condition on `area` (the hazardous_area table or an alias of it); bound names start `f_`."""
    h = area.c
    conditions: list[ColumnElement[bool]] = []
    if flt.bbox:
        corners = zip(("west", "south", "east", "north"), flt.bbox, strict=True)
        envelope = func.ST_MakeEnvelope(*(bindparam(f"f_{k}", v, Float) for k, v in corners), literal_column("4326"))
        # `&&` first: the planner then uses the GiST index before the exact test.
        conditions += [h.geom.op("&&")(envelope), func.ST_Intersects(h.geom, envelope)]
    for name in ("status", "classification"):
        if values := getattr(flt, name):
            conditions.append(h[name] == any_(cast(bindparam(f"f_{name}", values), ARRAY(Text))))
    if flt.contamination_type:
        wanted = cast(bindparam("f_contamination", flt.contamination_type), ARRAY(Text))
        conditions.append(h.contamination_types.op("&&")(wanted))
    for name in ("oblast_code", "raion_code", "hromada_code"):
        if value := getattr(flt, name):
            conditions.append(h[name] == bindparam(f"f_{name}", value))
    if flt.organisation_id is not None:
        org: BindParameter[int] = bindparam("f_org", flt.organisation_id)
        link, task = task_hazardous_area.alias("f_link"), TASKS.alias("f_task")
        tasked = (
            select(link.c.hazardous_area_id)
            .join(task, task.c.id == link.c.task_id)
            .where(task.c.organisation_id == org, task.c.deleted_at.is_(None))
        )
        conditions.append(or_(h.reporting_organisation_id == org, h.id.in_(tasked)))
    if flt.active_task_not_of is not None:
        link, task = task_hazardous_area.alias("f_alink"), TASKS.alias("f_atask")
        busy = select(link.c.hazardous_area_id).join(task, task.c.id == link.c.task_id)
        busy = busy.where(
            task.c.deleted_at.is_(None),
            task.c.status == any_(cast(bindparam("f_active", list(ACTIVE_TASK_STATUSES)), ARRAY(Text))),
            task.c.organisation_id != bindparam("f_not_of", flt.active_task_not_of),
        )
        conditions.append(h.id.in_(busy))
    if flt.reported_from:
        conditions.append(h.reported_on >= bindparam("f_reported_from", flt.reported_from))
    if flt.reported_to:
        conditions.append(h.reported_on <= bindparam("f_reported_to", flt.reported_to))
    if flt.updated_since:
        conditions.append(h.updated_at >= bindparam("f_updated_since", flt.updated_since))
    if flt.quality:
        # Uncorrelated, so that the condition also compiles alone for the SQL-text queries (area_where).
        flags = FLAGS.alias("f_flag")
        wanted = cast(bindparam("f_quality", flt.quality), ARRAY(Text))
        conditions.append(h.id.in_(select(flags.c.hazardous_area_id).where(flags.c.kind == any_(wanted))))
    return and_(true(), *conditions)


def area_where(flt: AreaFilter, alias: str) -> tuple[str, dict[str, Any]]:
    """`AND …` conditions on the hazardous_area row called `alias` ("" when no filter is set), and their values."""
    if flt.is_empty():
        return "", {}
    sql, params = sql_text(area_condition(flt, AREAS.alias(alias)))
    # Bracketed: a lone condition may be an OR (the operator filter) that must not swallow the caller's ANDs.
    return f" AND ({sql})", params
