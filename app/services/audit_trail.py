"""Reading the audit trail that `app.db.audit` writes: who changed what, when, from what to what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.db.models import AuditChange, AuditEntry
from app.domain.access import Actor, require
from app.services.pagination import keyset_page


@dataclass
class AuditFilter:
    """Filters of the trail; None means any."""

    user: str | None = None
    organisation_id: int | None = None
    entity: str | None = None
    record_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def list_entries(
    session: Session, flt: AuditFilter, *, actor: Actor, after_id: int | None, limit: int
) -> list[dict[str, Any]]:
    """A page of entries in id (time) order, each with the changes the filter selects (admins and coordinators)."""
    require(actor, "read.audit")
    on_changes = _change_conditions(flt)
    query = select(AuditEntry.__table__)
    if on_changes:
        query = query.where(AuditEntry.id.in_(select(AuditChange.entry_id).where(*on_changes)))
    if flt.user is not None:
        query = query.where(AuditEntry.user_name == flt.user)
    if flt.organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == flt.organisation_id)
    if flt.since is not None:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until is not None:
        query = query.where(AuditEntry.at < flt.until)
    entries = [dict(e) for e in keyset_page(session, query, AuditEntry.id, after_id=after_id, limit=limit)]
    changes = select(AuditChange.__table__).where(AuditChange.entry_id.in_([e["id"] for e in entries]), *on_changes)
    by_entry: dict[int, list[dict[str, Any]]] = {}
    for change in session.execute(changes.order_by(AuditChange.id)).mappings():
        by_entry.setdefault(change["entry_id"], []).append(dict(change))
    return [{**e, "changes": by_entry.get(e["id"], [])} for e in entries]


def _change_conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    """The filters on changes: an entry is listed when one of its changes passes them, with those changes."""
    wanted = {AuditChange.entity: flt.entity, AuditChange.record_id: flt.record_id, AuditChange.action: flt.action}
    return [column == value for column, value in wanted.items() if value is not None]
