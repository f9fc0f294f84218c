"""Lookup tables: the lists a programme tailors (evidence, contamination, blockages, methods)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Lookup
from app.domain.vocabulary import EVIDENCE_KINDS, check_in


class ContaminationType(Lookup, Base):
    """Kinds of explosive ordnance an area may hold (AP mine, UXO, …); also device categories."""

    __tablename__ = "contamination_type"


class EvidenceType(Lookup, Base):
    """Evidence of contamination; direct evidence makes an area a CHA."""

    __tablename__ = "evidence_type"
    __table_args__ = (CheckConstraint(check_in("kind", EVIDENCE_KINDS), name="kind"),)
    kind: Mapped[str] = mapped_column(Text)


class BlockageType(Lookup, Base):
    """Resources a hazardous area blocks (farmland, road, school, …)."""

    __tablename__ = "blockage_type"


class Method(Lookup, Base):
    """Survey and clearance assets and methods (manual, mechanical, dogs, drones, …)."""

    __tablename__ = "method"
