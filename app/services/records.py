"""Record keeping shared by every resource: live/deleted checks and who/when marks."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import func

from app.db.models import Recorded
from app.domain.errors import Gone, NotFound, PreconditionFailed

R = TypeVar("R", bound=Recorded)


def require_live(record: R | None, what: str) -> R:
    """The record itself, or 404 if it never existed, or 410 naming who deleted it and when."""
    if record is None:
        raise NotFound(f"{what} does not exist")
    if record.deleted_at is not None:
        raise Gone(
            f"{what} was deleted on {record.deleted_at:%Y-%m-%d %H:%M} UTC by {record.deleted_by}",
            deleted_at=record.deleted_at.isoformat(),
            deleted_by=record.deleted_by,
            delete_reason=record.delete_reason,
        )
    return record


def touch(record: Recorded, user: str) -> None:
    """Mark a correction with who and when.

    The wall clock, not the transaction's start (`now()`): every change makes a new version (`version_of`).
    """
    record.updated_by = user
    record.updated_at = func.clock_timestamp()


def version_of(record_id: int, updated_at: datetime) -> str:
    """The version of a record as an HTTP entity tag: its id and the microsecond it last changed."""
    return f'"{record_id}.{round(updated_at.timestamp() * 1_000_000)}"'


def require_version(current: str, if_match: str) -> None:
    """412 unless `if_match` (an If-Match header) names the `current` version or is `*`.

    Call it with the row locked: two clients that read the same version cannot both change it.
    Weak tags (`W/"…"`) never match, as HTTP requires for If-Match.
    """
    given = [tag.strip() for tag in if_match.split(",")]
    if "*" not in given and current not in given:
        raise PreconditionFailed(
            "the record changed since you read it: read it again, check the changes, and send its new ETag in If-Match",
            current_etag=current,
        )


def mark_deleted(record: Recorded, user: str, reason: str | None) -> None:
    """Nothing is deleted (docs/mine-action.md §4.6): the row stays, marked with who, when and why."""
    record.deleted_at = func.now()
    record.deleted_by = user
    record.delete_reason = reason
