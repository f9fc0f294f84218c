"""Foundation: organisations, hazardous areas and the lookup lists programmes tailor.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTAMINATION_TYPES = [
    ("ap_mine", "Anti-personnel mine"),
    ("at_mine", "Anti-vehicle (anti-tank) mine"),
    ("uxo", "Unexploded ordnance"),
    ("axo", "Abandoned explosive ordnance"),
    ("submunition", "Cluster munition remnant (submunition)"),
    ("ied", "Improvised explosive device"),
    ("booby_trap", "Booby trap"),
]
EVIDENCE_TYPES = [
    ("detonation", "Detonations", "direct"),
    ("accident_known_location", "Accident with known location", "direct"),
    ("reliable_record", "Reliable records", "direct"),
    ("mine_sign_or_fencing", "Mine signs or fencing", "direct"),
    ("item_seen", "Explosive items seen", "direct"),
    ("former_front_line", "Former front line or combatant zone", "indirect"),
    ("accident_unknown_location", "Accident with unknown location", "indirect"),
    ("unreliable_record", "Unreliable records", "indirect"),
    ("unused_productive_land", "Productive land left unused", "indirect"),
    ("verbal_report", "Verbal reports", "indirect"),
    ("old_survey", "Old survey", "indirect"),
]
BLOCKAGE_TYPES = [
    ("farmland", "Farmland"),
    ("water", "Water"),
    ("road", "Road"),
    ("housing", "Housing"),
    ("school", "School"),
    ("health", "Health facility"),
    ("infrastructure", "Infrastructure"),
]


def upgrade() -> None:
    """Apply this revision."""
    # A no-op where PostGIS is already installed (it needs superuser rights to create).
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "blockage_type",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.SmallInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_blockage_type")),
    )
    op.create_table(
        "contamination_type",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.SmallInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_contamination_type")),
    )
    op.create_table(
        "evidence_type",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.SmallInteger(), server_default="0", nullable=False),
        sa.CheckConstraint("kind IN ('direct', 'indirect')", name=op.f("ck_evidence_type_kind")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_evidence_type")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("acronym", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("accreditation_ref", sa.Text(), nullable=True),
        sa.Column("accredited_until", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('ngo', 'commercial', 'state', 'military', 'national_authority', 'donor', 'other')",
            name=op.f("ck_organisation_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
    )
    op.create_geospatial_table(
        "hazardous_area",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("national_id", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("classification", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column("status_changed_on", sa.Date(), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column(
            "contamination_types",
            postgresql.ARRAY(sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("evidence", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("information_reliability", sa.SmallInteger(), nullable=True),
        sa.Column("source_reliability", sa.Text(), nullable=True),
        sa.Column("device_persistence", sa.Text(), server_default="unknown", nullable=False),
        sa.Column("emplacement_date", sa.Date(), nullable=True),
        sa.Column("reporting_organisation_id", sa.BigInteger(), nullable=True),
        sa.Column("reporting_source", sa.Text(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("oblast_code", sa.Text(), nullable=True),
        sa.Column("raion_code", sa.Text(), nullable=True),
        sa.Column("hromada_code", sa.Text(), nullable=True),
        sa.Column(
            "blockages",
            postgresql.ARRAY(sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("landowner", sa.Text(), nullable=True),
        sa.Column("returnees_expected", sa.BigInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("original_area_m2", sa.Double(), nullable=False),
        sa.Column("remaining_area_m2", sa.Double(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column(
            "remaining_geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "classification IN ('SHA', 'CHA')",
            name=op.f("ck_hazardous_area_classification"),
        ),
        sa.CheckConstraint(
            "device_persistence IN ('persistent', 'self_deactivating', 'unknown')",
            name=op.f("ck_hazardous_area_device_persistence"),
        ),
        sa.CheckConstraint(
            "source_reliability IN ('A', 'B', 'C', 'D', 'E', 'F')",
            name=op.f("ck_hazardous_area_source_reliability"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'worked_on', 'closed', 'handed_over')",
            name=op.f("ck_hazardous_area_status"),
        ),
        sa.CheckConstraint(
            "information_reliability BETWEEN 1 AND 6",
            name=op.f("ck_hazardous_area_information_reliability"),
        ),
        sa.CheckConstraint(
            "original_area_m2 > 0",
            name=op.f("ck_hazardous_area_original_area_positive"),
        ),
        sa.CheckConstraint(
            "remaining_area_m2 >= 0",
            name=op.f("ck_hazardous_area_remaining_area_non_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["reporting_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_hazardous_area_reporting_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazardous_area")),
        sa.UniqueConstraint("national_id", name=op.f("uq_hazardous_area_national_id")),
        sa.UniqueConstraint("source", "external_id", name="uq_hazardous_area_source_external_id"),
    )
    op.create_geospatial_index(
        "idx_hazardous_area_geom",
        "hazardous_area",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(
        op.f("ix_hazardous_area_classification"),
        "hazardous_area",
        ["classification"],
        unique=False,
    )
    op.create_index(
        "ix_hazardous_area_contamination_types",
        "hazardous_area",
        ["contamination_types"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        op.f("ix_hazardous_area_hromada_code"),
        "hazardous_area",
        ["hromada_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hazardous_area_oblast_code"),
        "hazardous_area",
        ["oblast_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hazardous_area_raion_code"),
        "hazardous_area",
        ["raion_code"],
        unique=False,
    )
    op.create_index(
        op.f("ix_hazardous_area_reported_on"),
        "hazardous_area",
        ["reported_on"],
        unique=False,
    )
    op.create_index(op.f("ix_hazardous_area_status"), "hazardous_area", ["status"], unique=False)

    # Defaults from docs/mine-action.md §2; programmes edit these rows, the code never enumerates them.
    op.bulk_insert(
        sa.table(
            "contamination_type",
            sa.column("code"),
            sa.column("label"),
            sa.column("sort_order"),
        ),
        [{"code": code, "label": label, "sort_order": i} for i, (code, label) in enumerate(CONTAMINATION_TYPES)],
    )
    op.bulk_insert(
        sa.table(
            "evidence_type",
            sa.column("code"),
            sa.column("label"),
            sa.column("kind"),
            sa.column("sort_order"),
        ),
        [
            {"code": code, "label": label, "kind": kind, "sort_order": i}
            for i, (code, label, kind) in enumerate(EVIDENCE_TYPES)
        ],
    )
    op.bulk_insert(
        sa.table(
            "blockage_type",
            sa.column("code"),
            sa.column("label"),
            sa.column("sort_order"),
        ),
        [{"code": code, "label": label, "sort_order": i} for i, (code, label) in enumerate(BLOCKAGE_TYPES)],
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_hazardous_area_status"), table_name="hazardous_area")
    op.drop_index(op.f("ix_hazardous_area_reported_on"), table_name="hazardous_area")
    op.drop_index(op.f("ix_hazardous_area_raion_code"), table_name="hazardous_area")
    op.drop_index(op.f("ix_hazardous_area_oblast_code"), table_name="hazardous_area")
    op.drop_index(op.f("ix_hazardous_area_hromada_code"), table_name="hazardous_area")
    op.drop_index(
        "ix_hazardous_area_contamination_types",
        table_name="hazardous_area",
        postgresql_using="gin",
    )
    op.drop_index(op.f("ix_hazardous_area_classification"), table_name="hazardous_area")
    op.drop_geospatial_index(
        "idx_hazardous_area_geom",
        table_name="hazardous_area",
        postgresql_using="gist",
        column_name="geom",
    )
    op.drop_geospatial_table("hazardous_area")
    op.drop_table("organisation")
    op.drop_table("evidence_type")
    op.drop_table("contamination_type")
    op.drop_table("blockage_type")
