"""Administrative units of any country, as polygons: what admin codes, filters and reports refer to."""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import BigInteger, CheckConstraint, Identity, Index, SmallInteger, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Created


class AdminUnit(Created, Base):
    """One unit of one level (1: oblast/province, 2: raion/district, 3: hromada/commune) of a country.

    `code` is what records carry in oblast_code / raion_code / hromada_code (levels 1–3); for
    Ukraine the p-codes of levels 1–2 and the KATOTTG code of hromadas (gis/data/ukraine-admin/).
    """

    __tablename__ = "admin_unit"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 3", name="level"),
        CheckConstraint("country ~ '^[A-Z]{2}$'", name="country_code"),
        UniqueConstraint("country", "code", name="uq_admin_unit_country_code"),
        Index("ix_admin_unit_level_code", "level", "code"),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    country: Mapped[str] = mapped_column(Text)  # ISO 3166-1 alpha-2
    level: Mapped[int] = mapped_column(SmallInteger)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)  # in the country's language
    name_en: Mapped[str | None] = mapped_column(Text)
    parent_code: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)
