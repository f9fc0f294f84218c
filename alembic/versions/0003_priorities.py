"""Priorities: context layers (settlements, infrastructure), versioned scenarios, runs and scores.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTEXT_LAYERS = [
    ("road", "Roads and tracks"),
    ("school", "Schools and kindergartens"),
    ("health", "Health facilities"),
    ("water", "Water points and supply"),
    ("farmland", "Farmland"),
    ("power", "Power lines and substations"),
    ("infrastructure", "Other infrastructure (bridges, rail, gas, telecom)"),
    ("front_line", "Line of contact (for distance gates)"),
]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "context_layer",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.SmallInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_context_layer")),
    )
    op.create_table(
        "priority_scenario",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_scenario")),
        sa.UniqueConstraint("name", name=op.f("uq_priority_scenario_name")),
    )
    op.create_geospatial_table(
        "settlement",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("code", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("population", sa.BigInteger(), nullable=False),
        sa.Column("population_year", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement")),
        sa.UniqueConstraint("code", name=op.f("uq_settlement_code")),
    )
    op.create_geospatial_index(
        "idx_settlement_geom", "settlement", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_geospatial_table(
        "context_feature",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("layer", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column(
            "geom",
            Geometry(
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["layer"], ["context_layer.code"], name=op.f("fk_context_feature_layer_context_layer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_context_feature")),
    )
    op.create_geospatial_index(
        "idx_context_feature_geom",
        "context_feature",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_context_feature_layer"), "context_feature", ["layer"], unique=False)
    op.create_table(
        "priority_run",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("scenario_id", sa.BigInteger(), nullable=False),
        sa.Column("scenario_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.Column("areas_scored", sa.Integer(), nullable=False),
        sa.Column("triggered_by", sa.Text(), nullable=False),
        sa.Column("criteria", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint("kind IN ('full', 'incremental')", name=op.f("ck_priority_run_kind")),
        sa.ForeignKeyConstraint(
            ["scenario_id"], ["priority_scenario.id"], name=op.f("fk_priority_run_scenario_id_priority_scenario")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_run")),
    )
    op.create_index(op.f("ix_priority_run_scenario_id"), "priority_run", ["scenario_id"], unique=False)
    op.create_table(
        "priority_scenario_version",
        sa.Column("scenario_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("weights", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("parameters", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["priority_scenario.id"],
            name=op.f("fk_priority_scenario_version_scenario_id_priority_scenario"),
        ),
        sa.PrimaryKeyConstraint("scenario_id", "version", name=op.f("pk_priority_scenario_version")),
    )
    op.create_table(
        "priority_current",
        sa.Column("scenario_id", sa.BigInteger(), nullable=False),
        sa.Column("hazardous_area_id", sa.BigInteger(), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scenario_id", "hazardous_area_id", name=op.f("pk_priority_current")),
    )
    op.create_table(
        "priority_score",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("hazardous_area_id", sa.BigInteger(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("contributions", postgresql.ARRAY(sa.Double()), nullable=False),
        sa.Column("inputs", postgresql.ARRAY(sa.Double()), nullable=False),
        sa.Column("gated", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("run_id", "hazardous_area_id", name=op.f("pk_priority_score")),
    )
    op.create_table(
        "priority_stale",
        sa.Column("hazardous_area_id", sa.BigInteger(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["hazardous_area_id"],
            ["hazardous_area.id"],
            name=op.f("fk_priority_stale_hazardous_area_id_hazardous_area"),
        ),
        sa.PrimaryKeyConstraint("hazardous_area_id", name=op.f("pk_priority_stale")),
    )

    # Default context layers; programmes add their own as rows.
    op.bulk_insert(
        sa.table("context_layer", sa.column("code"), sa.column("label"), sa.column("sort_order")),
        [{"code": code, "label": label, "sort_order": i} for i, (code, label) in enumerate(CONTEXT_LAYERS)],
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("priority_stale")
    op.drop_table("priority_score")
    op.drop_table("priority_current")
    op.drop_table("priority_scenario_version")
    op.drop_index(op.f("ix_priority_run_scenario_id"), table_name="priority_run")
    op.drop_table("priority_run")
    op.drop_index(op.f("ix_context_feature_layer"), table_name="context_feature")
    op.drop_geospatial_index(
        "idx_context_feature_geom", table_name="context_feature", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("context_feature")
    op.drop_geospatial_index(
        "idx_settlement_geom", table_name="settlement", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("settlement")
    op.drop_table("priority_scenario")
    op.drop_table("context_layer")
