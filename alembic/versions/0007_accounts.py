"""Accounts: users with roles, API tokens, browser sessions; the audit names the account; identities sealed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet

from app.config import get_settings

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "app_user",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=True),
        sa.Column("organisation_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("donor_id", sa.BigInteger(), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "role IN ('admin', 'coordinator', 'operator', 'donor', 'viewer')", name=op.f("ck_app_user_role")
        ),
        sa.CheckConstraint(
            "(role IN ('donor')) = (donor_id IS NOT NULL)", name=op.f("ck_app_user_donor_role_has_donor")
        ),
        sa.CheckConstraint(
            "username = lower(username) AND username ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'",
            name=op.f("ck_app_user_username"),
        ),
        sa.ForeignKeyConstraint(["donor_id"], ["donor.id"], name=op.f("fk_app_user_donor_id_donor")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_app_user_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_index(op.f("ix_app_user_organisation_id"), "app_user", ["organisation_id"], unique=False)
    op.create_table(
        "api_token",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_api_token_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"], unique=False)
    op.create_table(
        "login_session",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("session_hash", sa.Text(), nullable=False),
        sa.Column("csrf_token", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_login_session_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("session_hash", name=op.f("uq_login_session_session_hash")),
    )
    op.create_index(op.f("ix_login_session_user_id"), "login_session", ["user_id"], unique=False)
    op.add_column("audit_entry", sa.Column("user_id", sa.BigInteger(), nullable=True))
    op.add_column("audit_entry", sa.Column("organisation_id", sa.BigInteger(), nullable=True))
    op.create_index(op.f("ix_audit_entry_user_id"), "audit_entry", ["user_id"], unique=False)
    op.create_index(op.f("ix_audit_entry_organisation_id"), "audit_entry", ["organisation_id"], unique=False)
    op.create_foreign_key(op.f("fk_audit_entry_user_id_app_user"), "audit_entry", "app_user", ["user_id"], ["id"])
    op.create_foreign_key(
        op.f("fk_audit_entry_organisation_id_organisation"), "audit_entry", "organisation", ["organisation_id"], ["id"]
    )
    _seal_identities()


def _seal_identities() -> None:
    """Names and contacts recorded in the clear are sealed with the configured key, then the clear columns go."""
    op.add_column("victim_identity", sa.Column("sealed", sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    fernet = Fernet(get_settings().identity_key.encode())
    rows = bind.execute(sa.text("SELECT victim_id, name, contact FROM victim_identity")).all()
    for victim_id, name, contact in rows:
        sealed = fernet.encrypt(json.dumps({"name": name, "contact": contact}).encode())
        bind.execute(
            sa.text("UPDATE victim_identity SET sealed = :s WHERE victim_id = :v"), {"s": sealed, "v": victim_id}
        )
    op.alter_column("victim_identity", "sealed", nullable=False)
    op.drop_column("victim_identity", "name")
    op.drop_column("victim_identity", "contact")


def downgrade() -> None:
    """Revert this revision (identities come back in the clear)."""
    op.add_column("victim_identity", sa.Column("name", sa.Text(), nullable=True))
    op.add_column("victim_identity", sa.Column("contact", sa.Text(), nullable=True))
    bind = op.get_bind()
    fernet = Fernet(get_settings().identity_key.encode())
    for victim_id, sealed in bind.execute(sa.text("SELECT victim_id, sealed FROM victim_identity")).all():
        identity = json.loads(fernet.decrypt(bytes(sealed)))
        bind.execute(
            sa.text("UPDATE victim_identity SET name = :n, contact = :c WHERE victim_id = :v"),
            {"n": identity["name"], "c": identity["contact"], "v": victim_id},
        )
    op.drop_column("victim_identity", "sealed")
    op.drop_constraint(op.f("fk_audit_entry_organisation_id_organisation"), "audit_entry", type_="foreignkey")
    op.drop_constraint(op.f("fk_audit_entry_user_id_app_user"), "audit_entry", type_="foreignkey")
    op.drop_index(op.f("ix_audit_entry_organisation_id"), table_name="audit_entry")
    op.drop_index(op.f("ix_audit_entry_user_id"), table_name="audit_entry")
    op.drop_column("audit_entry", "organisation_id")
    op.drop_column("audit_entry", "user_id")
    op.drop_index(op.f("ix_login_session_user_id"), table_name="login_session")
    op.drop_table("login_session")
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_index(op.f("ix_app_user_organisation_id"), table_name="app_user")
    op.drop_table("app_user")
