"""ORM models. Vocabulary follows IMAS and the IMSMA information model (domain.md §2–3)."""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Identity,
    Index,
    MetaData,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CLASSIFICATIONS = ("SHA", "CHA")
AREA_STATUSES = ("open", "worked_on", "closed", "handed_over")
DEVICE_PERSISTENCE = ("persistent", "self_deactivating", "unknown")
ORGANISATION_KINDS = ("ngo", "commercial", "state", "military", "national_authority", "donor", "other")
EVIDENCE_KINDS = ("direct", "indirect")
SOURCE_RELIABILITY = ("A", "B", "C", "D", "E", "F")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    """Declarative base with constraint names that Alembic can compare and drop."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Recorded:
    """Who/when columns: nothing is deleted, a deletion is a mark (domain.md §4.6)."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_by: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by: Mapped[str | None] = mapped_column(Text)
    delete_reason: Mapped[str | None] = mapped_column(Text)


class Lookup:
    """A row of a list that programmes tailor: data, not an enum (design.md §3)."""

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(SmallInteger, server_default="0")


class ContaminationType(Lookup, Base):
    """Lookup: kinds of explosive ordnance an area may hold (AP mine, UXO, …)."""

    __tablename__ = "contamination_type"


class EvidenceType(Lookup, Base):
    """Lookup: evidence of contamination; direct evidence makes an area a CHA."""

    __tablename__ = "evidence_type"
    __table_args__ = (CheckConstraint(_in("kind", EVIDENCE_KINDS), name="kind"),)
    kind: Mapped[str] = mapped_column(Text)


class BlockageType(Lookup, Base):
    """Lookup: resources a hazardous area blocks (farmland, road, school, …)."""

    __tablename__ = "blockage_type"


class Organisation(Recorded, Base):
    """An operator, national authority or donor."""

    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint(_in("kind", ORGANISATION_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    acronym: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text)
    accreditation_ref: Mapped[str | None] = mapped_column(Text)
    accredited_until: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class HazardousArea(Recorded, Base):
    """A suspected or confirmed hazardous area (SHA/CHA) and its land-release account."""

    __tablename__ = "hazardous_area"
    __table_args__ = (
        CheckConstraint(_in("classification", CLASSIFICATIONS), name="classification"),
        CheckConstraint(_in("status", AREA_STATUSES), name="status"),
        CheckConstraint(_in("device_persistence", DEVICE_PERSISTENCE), name="device_persistence"),
        CheckConstraint("information_reliability BETWEEN 1 AND 6", name="information_reliability"),
        CheckConstraint(_in("source_reliability", SOURCE_RELIABILITY), name="source_reliability"),
        CheckConstraint("original_area_m2 > 0", name="original_area_positive"),
        CheckConstraint("remaining_area_m2 >= 0", name="remaining_area_non_negative"),
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
    oblast_code: Mapped[str | None] = mapped_column(Text, index=True)
    raion_code: Mapped[str | None] = mapped_column(Text, index=True)
    hromada_code: Mapped[str | None] = mapped_column(Text, index=True)
    blockages: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    landowner: Mapped[str | None] = mapped_column(Text)
    returnees_expected: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    original_area_m2: Mapped[float] = mapped_column(Double)
    remaining_area_m2: Mapped[float] = mapped_column(Double)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)
    remaining_geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=False), nullable=False)
