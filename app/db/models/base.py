"""Declarative base and the column groups every record shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, SmallInteger, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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


class Created:
    """Who recorded a row and when; for rows that are never corrected in place."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str] = mapped_column(Text)


class Recorded(Created):
    """Who/when columns: nothing is deleted, a deletion is a mark (docs/mine-action.md §4.6)."""

    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_by: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by: Mapped[str | None] = mapped_column(Text)
    delete_reason: Mapped[str | None] = mapped_column(Text)


class Lookup:
    """A row of a list that programmes tailor: data, not an enum (docs/architecture.md §3)."""

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    label: Mapped[str] = mapped_column(Text)  # in English
    # The label in other languages, by language code ({"uk": "…"}): a programme that adds a row names it
    # in its own language too (app/i18n; the dashboard and reports never show a code).
    translations: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    sort_order: Mapped[int] = mapped_column(SmallInteger, server_default="0")
