"""The audit trail: who changed which record, when, from what to what (docs/mine-action.md §4.6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Identity, Index, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base
from app.domain.vocabulary import AUDIT_ACTIONS, check_in


class AuditEntry(Base):
    """One unit of work that changed records: one request."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_user_name", "user_name"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.clock_timestamp(), index=True)
    user_name: Mapped[str] = mapped_column(Text)
    # The account and its organisation; none for the command line and the demo seed.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    import_job_id: Mapped[int | None] = mapped_column(ForeignKey("import_job.id"), index=True)
    request: Mapped[str] = mapped_column(Text)  # e.g. "PATCH /api/v1/hazardous-areas/12"
    request_id: Mapped[str | None] = mapped_column(Text)


class AuditChange(Base):
    """What one unit of work did to one record: the fields it changed, before and after."""

    __tablename__ = "audit_change"
    __table_args__ = (
        CheckConstraint(check_in("action", AUDIT_ACTIONS), name="action"),
        Index("ix_audit_change_record", "entity", "record_id"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_entry.id"), index=True)
    entity: Mapped[str] = mapped_column(Text)  # the table, e.g. hazardous_area
    record_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
