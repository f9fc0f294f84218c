"""Record keeping shared by every resource: live/deleted checks and who/when marks."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import func

from app.db.models import Recorded
from app.domain.errors import Gone, NotFound

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
    """Mark a correction with who and when."""
    record.updated_by = user
    record.updated_at = func.now()


def mark_deleted(record: Recorded, user: str, reason: str | None) -> None:
    """Nothing is deleted (docs/domain.md §4.6): the row stays, marked with who, when and why."""
    record.deleted_at = func.now()
    record.deleted_by = user
    record.delete_reason = reason
