"""Organisations: operators, national authority and donors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db.models import Organisation
from app.domain.access import Actor, require
from app.domain.errors import Conflict, Invalid
from app.schemas.organisation import OrganisationCreate, OrganisationFields
from app.services.records import mark_deleted, require_live, require_version, touch, version_of


def list_organisations(
    session: Session, *, kind: list[str], q: str | None, after_id: int | None, limit: int
) -> list[Organisation]:
    """One page of live organisations in id order."""
    query = select(Organisation).where(Organisation.deleted_at.is_(None))
    if kind:
        query = query.where(Organisation.kind.in_(kind))
    if q:
        pattern = f"%{q}%"
        query = query.where(Organisation.name.ilike(pattern) | Organisation.acronym.ilike(pattern))
    if after_id is not None:
        query = query.where(Organisation.id > after_id)
    return list(session.scalars(query.order_by(Organisation.id).limit(limit)))


def get_organisation(session: Session, org_id: int) -> Organisation:
    """One live organisation."""
    return require_live(session.get(Organisation, org_id), f"organisation {org_id}")


def create_organisation(session: Session, body: OrganisationCreate, *, actor: Actor) -> Organisation:
    """Store a new organisation; names are unique."""
    require(actor, "organisation.edit")
    user = actor.name
    values = body.model_dump(exclude_none=True)
    _check_name(session, values["name"], org_id=None)
    org = Organisation(**values, created_by=user, updated_by=user)
    session.add(org)
    session.flush()
    return get_organisation(session, org.id)


def update_organisation(
    session: Session, org_id: int, body: OrganisationFields, *, actor: Actor, if_match: str
) -> Organisation:
    """Apply a partial correction to the version the client read."""
    require(actor, "organisation.edit")
    user = actor.name
    org = _locked(session, org_id, if_match)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    for required in ("name", "kind"):
        if required in changes and changes[required] is None:
            raise Invalid(f"{required} cannot be removed", field=required)
    if "name" in changes:
        _check_name(session, changes["name"], org_id=org_id)
    for name, value in changes.items():
        setattr(org, name, value)
    touch(org, user)
    session.flush()
    session.refresh(org)
    return org


def delete_organisation(session: Session, org_id: int, *, actor: Actor, reason: str | None, if_match: str) -> None:
    """Mark the version of an organisation the client read deleted with who/when/why."""
    require(actor, "organisation.edit")
    user = actor.name
    mark_deleted(_locked(session, org_id, if_match), user, reason)
    session.flush()


def _locked(session: Session, org_id: int, if_match: str) -> Organisation:
    org = require_live(session.get(Organisation, org_id, with_for_update=True), f"organisation {org_id}")
    require_version(version_of(org.id, org.updated_at), if_match)
    return org


def _check_name(session: Session, name: str, *, org_id: int | None) -> None:
    query = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if org_id is not None:
        query = query.where(Organisation.id != org_id)
    holder = session.scalar(query)
    if holder is not None:
        raise Conflict(f"an organisation named {name!r} already exists (id {holder})", existing_id=holder)
