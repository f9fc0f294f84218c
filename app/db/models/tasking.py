"""Tasking orders, their progress reports, and deconfliction decisions."""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Identity,
    Integer,
    Table,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Created, Recorded
from app.domain.vocabulary import TASK_STATUSES, check_in

task_hazardous_area = Table(
    "task_hazardous_area",
    Base.metadata,
    Column("task_id", ForeignKey("task.id"), primary_key=True),
    Column("hazardous_area_id", ForeignKey("hazardous_area.id"), primary_key=True, index=True),
)


class Task(Recorded, Base):
    """A tasking order: which team works which ground, when, at what priority."""

    __tablename__ = "task"
    __table_args__ = (CheckConstraint(check_in("status", TASK_STATUSES), name="status"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    reference: Mapped[str] = mapped_column(Text, unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    team: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, server_default="draft", index=True)
    priority: Mapped[int | None] = mapped_column(Integer)
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    funding_agreement_ref: Mapped[str | None] = mapped_column(Text)
    # One agreement per task, so that summing a report over donors gives the national total.
    funding_agreement_id: Mapped[int | None] = mapped_column(ForeignKey("funding_agreement.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    area_m2: Mapped[float] = mapped_column(Double)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)


class TaskEvent(Created, Base):
    """A status change of a task."""

    __tablename__ = "task_event"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    from_status: Mapped[str] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)


class TaskDeconfliction(Base):
    """An explicit decision to let two active tasks overlap on the ground (docs/mine-action.md §4.5)."""

    __tablename__ = "task_deconfliction"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    other_task_id: Mapped[int] = mapped_column(ForeignKey("task.id"))
    overlap_m2: Mapped[float] = mapped_column(Double)
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TaskProgressReport(Created, Base):
    """Work done on a task in one reporting period."""

    __tablename__ = "task_progress_report"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint(
            "cancelled_m2 >= 0 AND reduced_m2 >= 0 AND cleared_m2 >= 0 AND items_found >= 0 AND team_days >= 0",
            name="non_negative",
        ),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    cancelled_m2: Mapped[float] = mapped_column(Double, server_default="0")
    reduced_m2: Mapped[float] = mapped_column(Double, server_default="0")
    cleared_m2: Mapped[float] = mapped_column(Double, server_default="0")
    items_found: Mapped[int] = mapped_column(Integer, server_default="0")
    team_days: Mapped[float] = mapped_column(Double, server_default="0")
    notes: Mapped[str | None] = mapped_column(Text)
