"""Explosive ordnance found, accidents and their victims."""

from __future__ import annotations

from datetime import date

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Identity,
    Integer,
    LargeBinary,
    SmallInteger,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Recorded
from app.domain.vocabulary import (
    ACCIDENT_TYPES,
    AGE_BANDS,
    DATE_PRECISIONS,
    DEVICE_FATES,
    DEVICE_PERSISTENCE,
    SEXES,
    UNKNOWN_DATE,
    VICTIM_OUTCOMES,
    VICTIM_ROLES,
    check_in,
)


class DeviceFound(Recorded, Base):
    """An explosive item found by an activity and what was done with it."""

    __tablename__ = "device_found"
    __table_args__ = (
        CheckConstraint(check_in("fate", DEVICE_FATES), name="fate"),
        CheckConstraint(check_in("persistence", DEVICE_PERSISTENCE), name="persistence"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("depth_cm >= 0", name="depth_non_negative"),
        UniqueConstraint("source", "external_id", name="uq_device_found_source_external_id"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    # Where an imported record came from and its id there: re-importing updates it, never duplicates it.
    source: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    hazardous_area_id: Mapped[int | None] = mapped_column(ForeignKey("hazardous_area.id"), index=True)
    found_on: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(ForeignKey("contamination_type.code"))
    model: Mapped[str | None] = mapped_column(Text)
    condition: Mapped[str | None] = mapped_column(Text)
    depth_cm: Mapped[int | None] = mapped_column(SmallInteger)
    quantity: Mapped[int] = mapped_column(Integer, server_default="1")
    fate: Mapped[str] = mapped_column(Text)
    persistence: Mapped[str] = mapped_column(Text, server_default="unknown")
    emplacement_date: Mapped[date | None] = mapped_column(Date)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=True)


class Accident(Recorded, Base):
    """An explosive-ordnance accident; victims are listed separately, identities apart from them."""

    __tablename__ = "accident"
    __table_args__ = (
        CheckConstraint(check_in("type", ACCIDENT_TYPES), name="type"),
        CheckConstraint(check_in("occurred_on_precision", DATE_PRECISIONS), name="occurred_on_precision"),
        CheckConstraint(
            f"(occurred_on IS NULL) = ({check_in('occurred_on_precision', UNKNOWN_DATE)})", name="occurred_on_known"
        ),
        UniqueConstraint("source", "external_id", name="uq_accident_source_external_id"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    # Where an imported record came from and its id there: re-importing updates it, never duplicates it.
    source: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text)
    # Unknown for an accident whose date nobody recorded: kept out of time series and recency weights.
    occurred_on: Mapped[date | None] = mapped_column(Date, index=True)
    occurred_on_precision: Mapped[str] = mapped_column(Text, server_default="day")
    type: Mapped[str] = mapped_column(Text)
    device_category: Mapped[str | None] = mapped_column(ForeignKey("contamination_type.code"))
    hazardous_area_id: Mapped[int | None] = mapped_column(ForeignKey("hazardous_area.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"))
    description: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)


class Victim(Base):
    """A person killed or injured, described only by aggregate attributes."""

    __tablename__ = "victim"
    __table_args__ = (
        CheckConstraint(check_in("outcome", VICTIM_OUTCOMES), name="outcome"),
        CheckConstraint(check_in("sex", SEXES), name="sex"),
        CheckConstraint(check_in("age_band", AGE_BANDS), name="age_band"),
        CheckConstraint(check_in("role", VICTIM_ROLES), name="role"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    accident_id: Mapped[int] = mapped_column(ForeignKey("accident.id"), index=True)
    outcome: Mapped[str] = mapped_column(Text)
    sex: Mapped[str] = mapped_column(Text, server_default="unknown")
    age_band: Mapped[str] = mapped_column(Text, server_default="unknown")
    role: Mapped[str] = mapped_column(Text, server_default="unknown")


class VictimIdentity(Base):
    """Personal data of a victim: its own table, admin only, never in lists or exports, deleted with its accident.

    Name and contact are sealed together (Fernet, key MAIS_IDENTITY_KEY: app/services/registry/identities.py):
    a copy of the database or a backup does not give them away.
    """

    __tablename__ = "victim_identity"
    victim_id: Mapped[int] = mapped_column(ForeignKey("victim.id"), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
