"""Hazardous areas (SHA/CHA) and the record of their status and classification changes."""

from __future__ import annotations

from datetime import date

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    Double,
    ForeignKey,
    Identity,
    Index,
    SmallInteger,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Created, Recorded
from app.domain.vocabulary import (
    AREA_EVENT_KINDS,
    AREA_STATUSES,
    CLASSIFICATIONS,
    DATE_PRECISIONS,
    DEVICE_PERSISTENCE,
    SOURCE_RELIABILITY,
    check_in,
)


class HazardousArea(Recorded, Base):
    """A suspected or confirmed hazardous area (SHA/CHA) and its land-release account."""

    __tablename__ = "hazardous_area"
    __table_args__ = (
        CheckConstraint(check_in("classification", CLASSIFICATIONS), name="classification"),
        CheckConstraint(check_in("status", AREA_STATUSES), name="status"),
        CheckConstraint(check_in("device_persistence", DEVICE_PERSISTENCE), name="device_persistence"),
        CheckConstraint("information_reliability BETWEEN 1 AND 6", name="information_reliability"),
        CheckConstraint(check_in("source_reliability", SOURCE_RELIABILITY), name="source_reliability"),
        CheckConstraint("original_area_m2 > 0", name="original_area_positive"),
        CheckConstraint("remaining_area_m2 >= 0", name="remaining_area_non_negative"),
        CheckConstraint(check_in("reported_on_precision", DATE_PRECISIONS), name="reported_on_precision"),
        UniqueConstraint("source", "external_id", name="uq_hazardous_area_source_external_id"),
        Index("ix_hazardous_area_contamination_types", "contamination_types", postgresql_using="gin"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    national_id: Mapped[str | None] = mapped_column(Text, unique=True)
    source: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(Text)
    classification: Mapped[str] = mapped_column(Text, index=True)
    status: Mapped[str] = mapped_column(Text, index=True, server_default="open")
    status_changed_on: Mapped[date | None] = mapped_column(Date)
    status_reason: Mapped[str | None] = mapped_column(Text)
    contamination_types: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    evidence: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    information_reliability: Mapped[int | None] = mapped_column(SmallInteger)
    source_reliability: Mapped[str | None] = mapped_column(Text)
    device_persistence: Mapped[str] = mapped_column(Text, server_default="unknown")
    emplacement_date: Mapped[date | None] = mapped_column(Date)
    reporting_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    reporting_source: Mapped[str | None] = mapped_column(Text)
    reported_on: Mapped[date | None] = mapped_column(Date, index=True)
    reported_on_precision: Mapped[str] = mapped_column(Text, server_default="day")
    oblast_code: Mapped[str | None] = mapped_column(Text, index=True)
    raion_code: Mapped[str | None] = mapped_column(Text, index=True)
    hromada_code: Mapped[str | None] = mapped_column(Text, index=True)
    blockages: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    landowner: Mapped[str | None] = mapped_column(Text)
    returnees_expected: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    original_area_m2: Mapped[float] = mapped_column(Double)
    remaining_area_m2: Mapped[float] = mapped_column(Double)
    # Latest date of information folded into the summary; older reports never move it back (§4.4).
    information_date: Mapped[date | None] = mapped_column(Date)
    handed_over_on: Mapped[date | None] = mapped_column(Date)
    handover_certificate_ref: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)
    remaining_geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=False), nullable=False)
    # The dot that stands for the area on zoomed-out map tiles, kept in Web Mercator by PostgreSQL so
    # that a national tile reads points from an index instead of transforming polygons.
    label_point = mapped_column(
        Geometry("POINT", srid=3857, spatial_index=True),
        Computed("ST_Transform(ST_PointOnSurface(geom), 3857)", persisted=True),
    )


class HazardousAreaEvent(Created, Base):
    """A status or classification change of an area: what, when, why and who."""

    __tablename__ = "hazardous_area_event"
    __table_args__ = (CheckConstraint(check_in("kind", AREA_EVENT_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    hazardous_area_id: Mapped[int] = mapped_column(ForeignKey("hazardous_area.id"), index=True)
    kind: Mapped[str] = mapped_column(Text)
    from_value: Mapped[str] = mapped_column(Text)
    to_value: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    certificate_ref: Mapped[str | None] = mapped_column(Text)
