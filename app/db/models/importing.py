"""Imports of files: the job, its row-by-row report, and field mappings kept for the next file."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, DateTime, ForeignKey, Identity, Integer, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Created, Recorded
from app.domain.vocabulary import IMPORT_KINDS, IMPORT_OUTCOMES, IMPORT_STATUSES, check_in


class ImportJob(Created, Base):
    """One file brought in (or tried, for a dry run): what, from where, how far, and the counts."""

    __tablename__ = "import_job"
    __table_args__ = (
        CheckConstraint(check_in("kind", IMPORT_KINDS), name="kind"),
        CheckConstraint(check_in("status", IMPORT_STATUSES), name="status"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    # With each row's external id, what makes a re-import update rather than duplicate.
    source: Mapped[str] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, server_default="queued")
    dry_run: Mapped[bool] = mapped_column(Boolean, server_default="false")
    skip_refused: Mapped[bool] = mapped_column(Boolean, server_default="false")
    mapping: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, server_default="0")
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # created / updated / repaired / refused
    cancel_requested: Mapped[bool] = mapped_column(Boolean, server_default="false")
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ImportReportRow(Base):
    """What happened (or would) to one row or feature of the file, and each problem with its fix."""

    __tablename__ = "import_report_row"
    __table_args__ = (CheckConstraint(check_in("outcome", IMPORT_OUTCOMES), name="outcome"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("import_job.id", ondelete="CASCADE"), index=True)
    row_no: Mapped[int] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(Text)
    problem: Mapped[str | None] = mapped_column(Text)
    suggestion: Mapped[str | None] = mapped_column(Text)
    record_id: Mapped[int | None] = mapped_column(BigInteger)


class ImportMapping(Recorded, Base):
    """A field mapping (source column → field, with value maps) saved under a name for the next file."""

    __tablename__ = "import_mapping"
    __table_args__ = (CheckConstraint(check_in("kind", IMPORT_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(Text)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONB)
