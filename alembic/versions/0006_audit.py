"""The audit trail: one entry per unit of work, one change per record it touched, before and after.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("clock_timestamp()"), nullable=False),
        sa.Column("user_name", sa.Text(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index(op.f("ix_audit_entry_at"), "audit_entry", ["at"], unique=False)
    op.create_index("ix_audit_entry_user_name", "audit_entry", ["user_name"], unique=False)
    op.create_table(
        "audit_change",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("entry_id", sa.BigInteger(), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.CheckConstraint("action IN ('create', 'update', 'delete', 'restore')", name=op.f("ck_audit_change_action")),
        sa.ForeignKeyConstraint(["entry_id"], ["audit_entry.id"], name=op.f("fk_audit_change_entry_id_audit_entry")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_change")),
    )
    op.create_index(op.f("ix_audit_change_entry_id"), "audit_change", ["entry_id"], unique=False)
    op.create_index("ix_audit_change_record", "audit_change", ["entity", "record_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_audit_change_record", table_name="audit_change")
    op.drop_index(op.f("ix_audit_change_entry_id"), table_name="audit_change")
    op.drop_table("audit_change")
    op.drop_index("ix_audit_entry_user_name", table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_at"), table_name="audit_entry")
    op.drop_table("audit_entry")
