"""Data-quality flags of hazardous areas, recomputed whenever an area (or a neighbour) changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Double, ForeignKey, Identity, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base
from app.domain.vocabulary import QUALITY_FLAG_KINDS, check_in


class QualityFlag(Base):
    """Something about an area a programme should look at: a sliver, a duplicate, an overlap, a repair.

    Derived data (recomputed, never edited), so not in the audit trail.
    """

    __tablename__ = "quality_flag"
    __table_args__ = (CheckConstraint(check_in("kind", QUALITY_FLAG_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    hazardous_area_id: Mapped[int] = mapped_column(ForeignKey("hazardous_area.id"), index=True)
    kind: Mapped[str] = mapped_column(Text, index=True)
    other_area_id: Mapped[int | None] = mapped_column(ForeignKey("hazardous_area.id"))
    area_m2: Mapped[float | None] = mapped_column(Double)  # the sliver's or the overlap's m²
    detail: Mapped[str | None] = mapped_column(Text)
    flagged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
