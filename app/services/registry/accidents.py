"""Accidents and their victims: record in one transaction, read, list and mark deleted.

Victims' names and contacts go to `victim_identity`, sealed (app/services/registry/identities.py).
Every query of this module selects victims' aggregate attributes only (docs/mine-action.md §7,
personal data), except `list_identities`, which only an admin may call and which logs who read
them. Deleting an accident erases its victims' identities for good; the aggregate rows stay.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from geoalchemy2.shape import from_shape
from sqlalchemy import Select, delete, func, literal_column, select, true
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.models import Accident, Activity, HazardousArea, Recorded, Victim, VictimIdentity
from app.domain import clock
from app.domain.access import Actor, require
from app.domain.errors import Invalid
from app.domain.vocabulary import UNKNOWN_DATE
from app.schemas.accident import AccidentCreate, AccidentFields, VictimCreate
from app.services.pagination import keyset_page
from app.services.priorities.stale import mark_stale_near
from app.services.records import mark_deleted, require_live, require_version, version_of
from app.services.registry.identities import seal, unseal
from app.services.registry.lookups import check_codes
from gis.geometry import clean_point_geometry

PROPERTY_COLUMNS = [getattr(Accident, name) for name in ("id", *AccidentFields.model_fields)]
RECORD_COLUMNS = [Accident.created_at, Accident.created_by, Accident.updated_at, Accident.updated_by]
VICTIM_ATTRIBUTES = ("outcome", "sex", "age_band", "role")
log = logging.getLogger(__name__)


@dataclass
class AccidentFilter:
    """Filters of the accident listing; empty lists mean 'any'."""

    bbox: tuple[float, float, float, float] | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    type: list[str] = field(default_factory=list)
    hazardous_area_id: int | None = None


def feature_select() -> Select[Any]:
    """Columns of an accident as the API returns it, victims aggregated in SQL, geometry as GeoJSON text."""
    pairs = [part for name in VICTIM_ATTRIBUTES for part in (name, getattr(Victim, name))]
    victims = (
        select(
            func.count().filter(Victim.outcome == "killed").label("killed"),
            func.count().filter(Victim.outcome == "injured").label("injured"),
            func.coalesce(
                func.json_agg(aggregate_order_by(func.json_build_object(*pairs), Victim.id)),
                literal_column("'[]'::json"),
            ).label("victims"),
        )
        .where(Victim.accident_id == Accident.id)
        .lateral("victims")
    )
    # An aggregate without GROUP BY yields exactly one row, so the lateral join never drops an accident.
    return select(
        *PROPERTY_COLUMNS,
        victims.c.killed,
        victims.c.injured,
        victims.c.victims,
        *RECORD_COLUMNS,
        func.ST_AsGeoJSON(Accident.geom, 6).label("geometry"),
    ).join(victims, true())


def list_accidents(session: Session, flt: AccidentFilter, *, after_id: int | None, limit: int) -> list[RowMapping]:
    """One page of live accidents in id order, starting after `after_id`."""
    query = feature_select().where(Accident.deleted_at.is_(None))
    if flt.bbox:
        query = query.where(func.ST_Intersects(Accident.geom, func.ST_MakeEnvelope(*flt.bbox, 4326)))
    if flt.occurred_from:
        query = query.where(Accident.occurred_on >= flt.occurred_from)
    if flt.occurred_to:
        query = query.where(Accident.occurred_on <= flt.occurred_to)
    if flt.type:
        query = query.where(Accident.type.in_(flt.type))
    if flt.hazardous_area_id is not None:
        query = query.where(Accident.hazardous_area_id == flt.hazardous_area_id)
    return keyset_page(session, query, Accident.id, after_id=after_id, limit=limit)


def get_accident(session: Session, accident_id: int) -> RowMapping:
    """One live accident as the API returns it."""
    _live(session, accident_id)
    return session.execute(feature_select().where(Accident.id == accident_id)).mappings().one()


def create_accident(session: Session, body: AccidentCreate, *, actor: Actor) -> int:
    """Store an accident, its victims and their identities in one transaction (the caller commits)."""
    require(actor, "accident.edit")
    user = actor.name
    point = clean_point_geometry(body.geometry, crs=body.crs.name if body.crs else None)
    values = _checked(session, body.properties.model_dump(exclude={"victims"}, exclude_none=True))
    accident = Accident(**values, geom=from_shape(point, srid=4326), created_by=user, updated_by=user)
    session.add(accident)
    session.flush()  # the accident id the victims refer to; nothing is visible before the commit
    victims = [
        Victim(accident_id=accident.id, **victim.model_dump(include=set(VICTIM_ATTRIBUTES)))
        for victim in body.properties.victims
    ]
    session.add_all(victims)
    session.flush()
    for row, victim in zip(victims, body.properties.victims, strict=True):
        if victim.name is not None or victim.contact is not None:
            _store_identity(session, row.id, victim)
    mark_stale_near(session, "accident", [accident.id])  # casualties near areas raise their priority
    session.flush()
    return accident.id


def delete_accident(session: Session, accident_id: int, *, actor: Actor, reason: str | None, if_match: str) -> None:
    """Mark the version of an accident the client read deleted with who/when/why, and erase its victims' identities.

    The accident and its victims' aggregate rows stay, marked; the names and contacts are deleted
    for good in the same transaction: personal data is not kept for a withdrawn record (§7).
    """
    require(actor, "accident.edit")
    user = actor.name
    accident = require_live(session.get(Accident, accident_id, with_for_update=True), f"accident {accident_id}")
    require_version(version_of(accident.id, accident.updated_at), if_match)
    mark_deleted(accident, user, reason)
    victims = select(Victim.id).where(Victim.accident_id == accident_id).scalar_subquery()
    erase = delete(VictimIdentity).where(VictimIdentity.victim_id.in_(victims)).returning(VictimIdentity.victim_id)
    erased = session.scalars(erase).all()
    log.info("accident %s deleted by %s: %s victim identities erased", accident_id, user, len(erased))
    mark_stale_near(session, "accident", [accident_id])
    session.flush()


def list_identities(session: Session, accident_id: int, *, actor: Actor) -> list[dict[str, Any]]:
    """The victims of a live accident with their names and contacts unsealed (admins only; logged).

    Victims recorded without a name or contact come with None for both.
    """
    require(actor, "read.victim_identities")
    _live(session, accident_id)
    query = (
        select(Victim.id, *(getattr(Victim, name) for name in VICTIM_ATTRIBUTES), VictimIdentity.sealed)
        .outerjoin(VictimIdentity, VictimIdentity.victim_id == Victim.id)
        .where(Victim.accident_id == accident_id)
        .order_by(Victim.id)
    )
    victims = []
    for row in session.execute(query).mappings():
        sealed = row["sealed"]
        identity = unseal(sealed, victim_id=row["id"]) if sealed is not None else {"name": None, "contact": None}
        victims.append({**{key: row[key] for key in ("id", *VICTIM_ATTRIBUTES)}, **identity})
    named = sum(1 for victim in victims if victim["name"] is not None or victim["contact"] is not None)
    log.info(
        "victims' identities of accident %s read by %s (%s, user %s): %s of %s victims named",
        accident_id,
        actor.name,
        actor.role,
        actor.user_id,
        named,
        len(victims),
    )
    return victims


def _store_identity(session: Session, victim_id: int, victim: VictimCreate) -> None:
    """Personal data in its own table, sealed, for admins only (docs/mine-action.md §7)."""
    session.add(VictimIdentity(victim_id=victim_id, sealed=seal(victim.name, victim.contact)))
    session.flush()


def _live(session: Session, accident_id: int) -> Accident:
    return require_live(session.get(Accident, accident_id), f"accident {accident_id}")


def _checked(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Date known as far as its precision says and not in the future, device category known, links live."""
    _check_date(values.get("occurred_on"), values["occurred_on_precision"])
    if "device_category" in values:
        check_codes(session, "contamination_types", [values["device_category"]], where="properties.device_category")
    _require_reference(session, HazardousArea, values.get("hazardous_area_id"), "hazardous area", "hazardous_area_id")
    _require_reference(session, Activity, values.get("activity_id"), "activity", "activity_id")
    return values


def _check_date(occurred_on: date | None, precision: str) -> None:
    """A date goes with a precision of day, month or year; an unknown date with none (docs/mine-action.md §4.4)."""
    if precision in UNKNOWN_DATE and occurred_on is not None:
        raise Invalid(
            f"occurred_on_precision is {precision!r} but occurred_on gives a date: leave occurred_on out, "
            "or say how much of the date is known (day, month or year)",
            field="properties.occurred_on_precision",
        )
    if precision not in UNKNOWN_DATE and occurred_on is None:
        raise Invalid(
            f"occurred_on is missing: give the date of the accident (with occurred_on_precision month or year, any "
            f"day in it), or set occurred_on_precision to {UNKNOWN_DATE[0]!r} when nobody recorded it",
            field="properties.occurred_on",
        )
    clock.refuse_future(occurred_on, "properties.occurred_on", what="the accident happened")


def _require_reference(
    session: Session, model: type[Recorded], record_id: int | None, what: str, field_name: str
) -> None:
    """A linked record must exist and not be deleted; a bad link is the client's input (422), not a 404."""
    if record_id is None:
        return
    record = session.get(model, record_id)
    if record is None or record.deleted_at is not None:
        state = "does not exist" if record is None else f"was deleted by {record.deleted_by}"
        raise Invalid(f"{what} {record_id} {state}", field=f"properties.{field_name}")
