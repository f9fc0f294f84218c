"""Survey and clearance activities and the land they release."""

from __future__ import annotations

from datetime import date

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    Double,
    ForeignKey,
    Identity,
    SmallInteger,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Created, Recorded
from app.domain.vocabulary import ACTIVITY_STATUSES, ACTIVITY_TYPES, RELEASE_DATE_PRECISIONS, RELEASE_KINDS, check_in

activity_hazardous_area = Table(
    "activity_hazardous_area",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id"), primary_key=True),
    Column("hazardous_area_id", ForeignKey("hazardous_area.id"), primary_key=True, index=True),
)


class Activity(Recorded, Base):
    """Non-technical survey, technical survey, clearance, BAC or an EOD spot task."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint(check_in("type", ACTIVITY_TYPES), name="type"),
        CheckConstraint(check_in("status", ACTIVITY_STATUSES), name="status"),
        CheckConstraint("clearance_depth_cm >= 0", name="clearance_depth_non_negative"),
        CheckConstraint("team_days >= 0", name="team_days_non_negative"),
        UniqueConstraint("source", "external_id", name="uq_activity_source_external_id"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    # Where an imported record came from and its id there: re-importing updates it, never duplicates it.
    source: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id"), index=True)
    team: Mapped[str | None] = mapped_column(Text)
    methods: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    status: Mapped[str] = mapped_column(Text, server_default="planned")
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_end: Mapped[date | None] = mapped_column(Date)
    clearance_depth_cm: Mapped[int | None] = mapped_column(SmallInteger)
    team_days: Mapped[float | None] = mapped_column(Double)
    notes: Mapped[str | None] = mapped_column(Text)


class Release(Created, Base):
    """Land released by an activity from one hazardous area: the land-release product (IMAS 07.11).

    `geom` is what this release counts: the submitted polygon clipped to the hazard, minus land
    released before it. Releases are never edited; a correction is a new record.
    """

    __tablename__ = "release"
    __table_args__ = (
        CheckConstraint(check_in("kind", RELEASE_KINDS), name="kind"),
        CheckConstraint("area_m2 >= 0", name="area_non_negative"),
        CheckConstraint(check_in("released_on_precision", RELEASE_DATE_PRECISIONS), name="released_on_precision"),
        # One released polygon of a file may fall on several areas: one release each.
        UniqueConstraint("source", "external_id", "hazardous_area_id", name="uq_release_source_external_id"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    # Where an imported record came from and its id there: re-importing updates it, never duplicates it.
    source: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    hazardous_area_id: Mapped[int] = mapped_column(ForeignKey("hazardous_area.id"), index=True)
    kind: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(ForeignKey("method.code"))
    released_on: Mapped[date] = mapped_column(Date, index=True)
    # A release keeps a date (the account is kept in date order); history may know only its month or year.
    released_on_precision: Mapped[str] = mapped_column(Text, server_default="day")
    submitted_area_m2: Mapped[float] = mapped_column(Double)
    outside_area_m2: Mapped[float] = mapped_column(Double)
    overlap_area_m2: Mapped[float] = mapped_column(Double)
    area_m2: Mapped[float] = mapped_column(Double)
    notes: Mapped[str | None] = mapped_column(Text)
    submitted_geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=False), nullable=False)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)
