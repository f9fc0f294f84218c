"""The offline base map's features, stored in Web Mercator for the tiles (docs/base-map.md)."""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import BigInteger, Identity, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class BasemapFeature(Base):
    """One piece of the base map: a reference feature (water, roads, places) or one derived from the admin units.

    Reference rows (`source` 'reference') are loaded by migration 0010 from gis/data/basemap/, cut into
    pieces of at most a few hundred vertices so a tile clips little. Rows with `source` 'admin_unit'
    (each unit's label point, each country's outline) are kept current by triggers on admin_unit.
    """

    __tablename__ = "basemap_feature"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # 'reference' or 'admin_unit'
    theme: Mapped[str] = mapped_column(Text)  # the tile layer it goes to: land, water, urban, rivers, roads, …
    kind: Mapped[str] = mapped_column(Text)  # sea, lake, river, international, place, oblast, …
    name: Mapped[str | None] = mapped_column(Text)  # in the country's language
    name_en: Mapped[str | None] = mapped_column(Text)
    min_zoom: Mapped[int] = mapped_column(SmallInteger)
    max_zoom: Mapped[int | None] = mapped_column(SmallInteger)
    country: Mapped[str | None] = mapped_column(Text)  # admin-derived rows: the unit's country and code
    code: Mapped[str | None] = mapped_column(Text)
    geom = mapped_column(Geometry("GEOMETRY", srid=3857, spatial_index=True), nullable=False)
