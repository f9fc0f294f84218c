"""Lookup rows carry their label in other languages (Ukrainian first), so no screen or report shows a code.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOOKUPS = ("contamination_type", "evidence_type", "blockage_type", "method", "context_layer")


def upgrade() -> None:
    """Apply this revision."""
    for table in LOOKUPS:
        op.add_column(table, sa.Column("translations", JSONB(), server_default="{}", nullable=False))


def downgrade() -> None:
    """Revert this revision."""
    for table in LOOKUPS:
        op.drop_column(table, "translations")
