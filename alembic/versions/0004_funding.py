"""Funding: donors, funding agreements linked to tasks, expenditure, beneficiaries as recorded.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "donor",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("acronym", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("iati_org_ref", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_donor")),
        sa.UniqueConstraint("name", name=op.f("uq_donor_name")),
    )
    op.create_table(
        "funding_agreement",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("donor_id", sa.BigInteger(), nullable=False),
        sa.Column("organisation_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("amount", sa.Double(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f("ck_funding_agreement_currency_code")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_funding_agreement_amount_non_negative")),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_funding_agreement_period_order")),
        sa.ForeignKeyConstraint(["donor_id"], ["donor.id"], name=op.f("fk_funding_agreement_donor_id_donor")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_funding_agreement_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_agreement")),
        sa.UniqueConstraint("reference", name=op.f("uq_funding_agreement_reference")),
    )
    op.create_index(op.f("ix_funding_agreement_donor_id"), "funding_agreement", ["donor_id"], unique=False)
    op.create_index(
        op.f("ix_funding_agreement_organisation_id"), "funding_agreement", ["organisation_id"], unique=False
    )
    op.create_table(
        "expenditure",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("funding_agreement_id", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("amount", sa.Double(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_expenditure_amount_non_negative")),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_expenditure_period_order")),
        sa.ForeignKeyConstraint(
            ["funding_agreement_id"],
            ["funding_agreement.id"],
            name=op.f("fk_expenditure_funding_agreement_id_funding_agreement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenditure")),
    )
    op.create_index(op.f("ix_expenditure_funding_agreement_id"), "expenditure", ["funding_agreement_id"], unique=False)
    op.create_table(
        "beneficiary_count",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("task_id", sa.BigInteger(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("reach", sa.Text(), nullable=False),
        sa.Column("women", sa.Integer(), server_default="0", nullable=False),
        sa.Column("men", sa.Integer(), server_default="0", nullable=False),
        sa.Column("girls", sa.Integer(), server_default="0", nullable=False),
        sa.Column("boys", sa.Integer(), server_default="0", nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint("reach IN ('direct', 'indirect')", name=op.f("ck_beneficiary_count_reach")),
        sa.CheckConstraint(
            "women >= 0 AND men >= 0 AND girls >= 0 AND boys >= 0", name=op.f("ck_beneficiary_count_non_negative")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_beneficiary_count_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beneficiary_count")),
    )
    op.create_index(op.f("ix_beneficiary_count_task_id"), "beneficiary_count", ["task_id"], unique=False)
    op.add_column("task", sa.Column("funding_agreement_id", sa.BigInteger(), nullable=True))
    op.create_index(op.f("ix_task_funding_agreement_id"), "task", ["funding_agreement_id"], unique=False)
    op.create_foreign_key(
        op.f("fk_task_funding_agreement_id_funding_agreement"),
        "task",
        "funding_agreement",
        ["funding_agreement_id"],
        ["id"],
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_constraint(op.f("fk_task_funding_agreement_id_funding_agreement"), "task", type_="foreignkey")
    op.drop_index(op.f("ix_task_funding_agreement_id"), table_name="task")
    op.drop_column("task", "funding_agreement_id")
    op.drop_index(op.f("ix_beneficiary_count_task_id"), table_name="beneficiary_count")
    op.drop_table("beneficiary_count")
    op.drop_index(op.f("ix_expenditure_funding_agreement_id"), table_name="expenditure")
    op.drop_table("expenditure")
    op.drop_index(op.f("ix_funding_agreement_organisation_id"), table_name="funding_agreement")
    op.drop_index(op.f("ix_funding_agreement_donor_id"), table_name="funding_agreement")
    op.drop_table("funding_agreement")
    op.drop_table("donor")
