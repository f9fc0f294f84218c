"""The audit trail, written by the session itself: every record a request changes, before and after.

A session whose `info["audit"]` names who and what (`audit_session`, set by the API's unit of work
for every write) records, at each flush, one `audit_change` per record it created, corrected,
deleted or restored, under one `audit_entry` per transaction. Because it hangs on the session and
not on the services, a new model with who/when columns (`Created`, `Recorded`) is audited without a
line of code.

What it does not see: rows of models without those columns (the victims' aggregate rows, task
deconfliction decisions, derived priority data, browser sessions), the victims' identities
(personal data never goes into the trail; password and token hashes show as "(secret)"), link rows
and statements written by Core or bulk COPY (activity and task area links, demo seed, context
loads), hard deletes (the API never deletes), and commands that do not set `audit_session`.
Geometry is recorded as the SHA-256 of its WKB (shape only, normalised, so equal shapes hash
alike); the m² columns beside it carry the measures.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from geoalchemy2.elements import WKBElement, WKTElement
from geoalchemy2.shape import to_shape
from sqlalchemy import event, insert, inspect, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.sql import ClauseElement

from app.db.models import AuditChange, AuditEntry, Created, VictimIdentity
from app.domain.access import Actor
from app.logging import request_id

# Columns the entry already says (who and when), or that follow from others.
SKIPPED = frozenset(
    {"created_at", "created_by", "updated_at", "updated_by", "deleted_at", "deleted_by", "label_point", "last_login_at"}
)
# Secrets (even hashed) never go into the trail: it says that one was set or changed, not what it is.
SECRET = frozenset({"password_hash", "token_hash"})
HIDDEN = "(secret)"
NOT_AUDITED = (VictimIdentity,)


def audit_session(session: Session, *, actor: Actor, request: str, import_job_id: int | None = None) -> None:
    """Record what this session changes, as done by `actor` through `request` (e.g. "PATCH /api/v1/…").

    An import names its job (`import_job_id`); what is changed from here on goes into a new entry.
    """
    session.info["audit"] = {
        "user": actor.name,
        "user_id": actor.user_id,
        "organisation_id": actor.organisation_id,
        "request": request,
        "import_job_id": import_job_id,
    }
    for key in ("audit_entry_id", "audit_recorded"):
        session.info.pop(key, None)


def audit_entry_id(session: Session) -> int:
    """The id of the session's audit entry, begun now if nothing was recorded yet (for set-based writes)."""
    if (entry_id := session.info.get("audit_entry_id")) is None:
        who = session.info["audit"]
        entry = insert(AuditEntry).values(
            user_name=who["user"],
            user_id=who.get("user_id"),
            organisation_id=who.get("organisation_id"),
            import_job_id=who.get("import_job_id"),
            request=who["request"],
            request_id=request_id.get(),
        )
        entry_id = session.connection().execute(entry.returning(AuditEntry.id)).scalar_one()
        session.info["audit_entry_id"] = entry_id
    return int(entry_id)


def _value(value: Any) -> Any:
    """A column value as JSON: geometry by the hash of its WKB, dates in ISO 8601."""
    if isinstance(value, WKBElement | WKTElement):
        # Loaded rows hold hex EWKB text, new ones raw WKB bytes: hash the shape itself.
        return {"wkb_sha256": hashlib.sha256(to_shape(value).wkb).hexdigest()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _audited(obj: Any) -> bool:
    return isinstance(obj, Created) and not isinstance(obj, NOT_AUDITED)


def _record_id(obj: Any) -> int:
    """The record's id; a scenario version (keyed by scenario and number) is filed under its scenario."""
    return int(inspect(obj).mapper.primary_key_from_instance(obj)[0])


def _columns(obj: Any) -> list[str]:
    return [a.key for a in inspect(obj).mapper.column_attrs if a.key not in SKIPPED]


def _created(obj: Any) -> dict[str, Any]:
    loaded = inspect(obj).dict
    return {k: _shown(k, loaded[k]) for k in _columns(obj) if k in loaded and k != "id"}


def _shown(key: str, value: Any) -> Any:
    return HIDDEN if key in SECRET and value is not None else _value(value)


def _changed(obj: Any) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """(action, before, after) of a corrected record, or None when nothing it records changed."""
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key in _columns(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if isinstance(new, ClauseElement) or _value(old) == _value(new):
            continue
        before[key], after[key] = _shown(key, old), _shown(key, new)
    action = "update"
    marked = state.attrs["deleted_at"].history if "deleted_at" in state.mapper.attrs else None
    if marked is not None and marked.has_changes():
        was, now = (marked.deleted or [None])[0], (marked.added or [None])[0]
        if was is None and now is not None:
            action = "delete"
        elif was is not None and now is None:
            action = "restore"
    if action == "update" and not after:
        return None
    return action, before, after


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _: UOWTransaction, __: Any) -> None:
    # Before the flush: afterwards the history of values set by SQL (`now()`) is gone.
    if "audit" not in session.info:
        return
    pending = session.info.setdefault("audit_pending", [])
    pending.extend((obj, "create", None, None) for obj in session.new if _audited(obj))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj) and (changed := _changed(obj)) is not None:
            pending.append((obj, *changed))


@event.listens_for(Session, "after_flush")
def _record(session: Session, _: UOWTransaction) -> None:
    # After the flush new records have their ids. One change row per record and unit of work:
    # a record flushed twice (an area corrected, then its status moved) gets one row, merged.
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    connection = session.connection()
    entry_id = audit_entry_id(session)
    recorded: dict[tuple[str, int], dict[str, Any]] = session.info.setdefault("audit_recorded", {})
    for obj, action, before, after in pending:
        key = (obj.__tablename__, _record_id(obj))
        if action == "create":
            after = _created(obj)
        if key not in recorded:
            row = {"entity": key[0], "record_id": key[1], "action": action, "before": before, "after": after}
            row["id"] = connection.execute(
                insert(AuditChange).values(entry_id=entry_id, **row).returning(AuditChange.id)
            ).scalar_one()
            recorded[key] = row
            continue
        row = recorded[key]
        if row["action"] != "create":
            row["before"] = {**(before or {}), **(row["before"] or {})}  # the first value before wins
            row["action"] = action if action != "update" else row["action"]
        row["after"] = {**(row["after"] or {}), **(after or {})}  # the last value after wins
        values = {k: row[k] for k in ("action", "before", "after")}
        connection.execute(update(AuditChange).where(AuditChange.id == row["id"]).values(**values))


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: Any) -> None:
    # A savepoint rolled back took the entry or change rows it held with it: start afresh (a
    # second entry for the request at worst), never update or refer to rows that are gone.
    if previous_transaction.nested:
        for key in ("audit_entry_id", "audit_recorded", "audit_pending"):
            session.info.pop(key, None)


@event.listens_for(Session, "after_transaction_end")
def _new_entry_next_time(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction: the unit of work is over
        for key in ("audit_entry_id", "audit_recorded", "audit_pending"):
            session.info.pop(key, None)
