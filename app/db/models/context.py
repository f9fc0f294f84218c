"""Context layers used to set priorities: settlements with population, infrastructure, land use."""

from __future__ import annotations

from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import BigInteger, ForeignKey, Identity, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Lookup, Recorded


class ContextLayer(Lookup, Base):
    """A kind of context feature (road, school, health, water, farmland, power, front_line, …)."""

    __tablename__ = "context_layer"


class Settlement(Recorded, Base):
    """A populated place: population within reach of a hazardous area raises its priority."""

    __tablename__ = "settlement"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str | None] = mapped_column(Text, unique=True)  # KATOTTG where known
    name: Mapped[str] = mapped_column(Text)
    population: Mapped[int] = mapped_column(BigInteger)
    population_year: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)


class ContextFeature(Recorded, Base):
    """One feature of a context layer: a point, line or polygon with a type and free attributes."""

    __tablename__ = "context_feature"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    layer: Mapped[str] = mapped_column(ForeignKey("context_layer.code"), index=True)
    name: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    geom = mapped_column(Geometry("GEOMETRY", srid=4326, spatial_index=True), nullable=False)
