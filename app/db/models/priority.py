"""Priority scenarios (versioned weight sets), scoring runs and scores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Double, ForeignKey, Identity, Integer, Text, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Created, Recorded
from app.domain.vocabulary import PRIORITY_RUN_KINDS, check_in


class PriorityScenario(Recorded, Base):
    """A named way of ranking areas, e.g. humanitarian, agricultural recovery, infrastructure."""

    __tablename__ = "priority_scenario"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class PriorityScenarioVersion(Created, Base):
    """The weights and parameters of one version of a scenario; versions are never edited."""

    __tablename__ = "priority_scenario_version"
    scenario_id: Mapped[int] = mapped_column(ForeignKey("priority_scenario.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    weights: Mapped[dict[str, Any]] = mapped_column(JSONB)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONB)
    note: Mapped[str | None] = mapped_column(Text)


class PriorityRun(Base):
    """One computation of scores: which scenario version, when, on how many areas, why."""

    __tablename__ = "priority_run"
    __table_args__ = (CheckConstraint(check_in("kind", PRIORITY_RUN_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("priority_scenario.id"), index=True)
    scenario_version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    seconds: Mapped[float] = mapped_column(Double)
    areas_scored: Mapped[int] = mapped_column(Integer)
    triggered_by: Mapped[str] = mapped_column(Text)
    criteria: Mapped[list[str]] = mapped_column(ARRAY(Text))
    reason: Mapped[str | None] = mapped_column(Text)


class PriorityScore(Base):
    """An area's score in a run, with each criterion's contribution (the "why").

    Derived data written only by the scoring service, 100,000 rows a run: no foreign keys, whose
    per-row checks would cost more than the scoring itself (runs are append-only, areas never deleted).
    """

    __tablename__ = "priority_score"
    run_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hazardous_area_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    score: Mapped[float] = mapped_column(Double)
    # Arrays in the order of the run's `criteria`: compact, and written by COPY without JSON encoding.
    contributions: Mapped[list[float]] = mapped_column(ARRAY(Double))
    inputs: Mapped[list[float]] = mapped_column(ARRAY(Double))
    gated: Mapped[str | None] = mapped_column(Text)


class PriorityCurrent(Base):
    """Where each area's latest score for a scenario lives: the run that scored it last (derived, no FKs)."""

    __tablename__ = "priority_current"
    scenario_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hazardous_area_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    run_id: Mapped[int] = mapped_column(BigInteger)


class PriorityStale(Base):
    """Areas whose inputs changed since they were scored; the next ranking rescores them first."""

    __tablename__ = "priority_stale"
    hazardous_area_id: Mapped[int] = mapped_column(ForeignKey("hazardous_area.id"), primary_key=True)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
