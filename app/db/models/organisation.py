"""Organisations: operators, the national authority, donors."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, Identity, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base, Recorded
from app.domain.vocabulary import ORGANISATION_KINDS, check_in


class Organisation(Recorded, Base):
    """An operator, national authority or donor."""

    __tablename__ = "organisation"
    __table_args__ = (CheckConstraint(check_in("kind", ORGANISATION_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    acronym: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text)
    accreditation_ref: Mapped[str | None] = mapped_column(Text)
    accredited_until: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
