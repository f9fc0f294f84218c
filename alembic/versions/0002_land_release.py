"""Land release: activities, releases, tasks with deconfliction, finds, accidents, area events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

METHODS = [
    ("nts", "Non-technical survey (visits, interviews, records)"),
    ("manual", "Manual (deminers with detectors and prodders)"),
    ("mechanical", "Mechanical (flails, tillers, excavators)"),
    ("mdd", "Mine detection dogs"),
    ("drone_remote_sensing", "Drone or remote sensing"),
]


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "method",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.SmallInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_method")),
    )
    op.create_geospatial_table(
        "task",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.BigInteger(), nullable=False),
        sa.Column("team", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), server_default="draft", nullable=False),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("funding_agreement_ref", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("area_m2", sa.Double(), nullable=False),
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
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'assigned', 'in_progress', 'suspended', 'completed', 'qa_passed', 'qa_failed')",
            name=op.f("ck_task_status"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_task_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
        sa.UniqueConstraint("reference", name=op.f("uq_task_reference")),
    )
    op.create_geospatial_index(
        "idx_task_geom", "task", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_task_organisation_id"), "task", ["organisation_id"], unique=False)
    op.create_index(op.f("ix_task_status"), "task", ["status"], unique=False)
    op.create_table(
        "activity",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.BigInteger(), nullable=False),
        sa.Column("task_id", sa.BigInteger(), nullable=True),
        sa.Column("team", sa.Text(), nullable=True),
        sa.Column("methods", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("status", sa.Text(), server_default="planned", nullable=False),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("actual_start", sa.Date(), nullable=True),
        sa.Column("actual_end", sa.Date(), nullable=True),
        sa.Column("clearance_depth_cm", sa.SmallInteger(), nullable=True),
        sa.Column("team_days", sa.Double(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'ongoing', 'suspended', 'completed', 'cancelled')", name=op.f("ck_activity_status")
        ),
        sa.CheckConstraint("type IN ('nts', 'ts', 'clearance', 'bac', 'eod_spot_task')", name=op.f("ck_activity_type")),
        sa.CheckConstraint("clearance_depth_cm >= 0", name=op.f("ck_activity_clearance_depth_non_negative")),
        sa.CheckConstraint("team_days >= 0", name=op.f("ck_activity_team_days_non_negative")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_activity_organisation_id_organisation")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_activity_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    op.create_index(op.f("ix_activity_organisation_id"), "activity", ["organisation_id"], unique=False)
    op.create_index(op.f("ix_activity_task_id"), "activity", ["task_id"], unique=False)
    op.create_table(
        "hazardous_area_event",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("hazardous_area_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("from_value", sa.Text(), nullable=False),
        sa.Column("to_value", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("certificate_ref", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('status', 'classification')", name=op.f("ck_hazardous_area_event_kind")),
        sa.ForeignKeyConstraint(
            ["hazardous_area_id"],
            ["hazardous_area.id"],
            name=op.f("fk_hazardous_area_event_hazardous_area_id_hazardous_area"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazardous_area_event")),
    )
    op.create_index(
        op.f("ix_hazardous_area_event_hazardous_area_id"), "hazardous_area_event", ["hazardous_area_id"], unique=False
    )
    op.create_table(
        "task_deconfliction",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("task_id", sa.BigInteger(), nullable=False),
        sa.Column("other_task_id", sa.BigInteger(), nullable=False),
        sa.Column("overlap_m2", sa.Double(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["other_task_id"], ["task.id"], name=op.f("fk_task_deconfliction_other_task_id_task")),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_deconfliction_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_deconfliction")),
    )
    op.create_index(op.f("ix_task_deconfliction_task_id"), "task_deconfliction", ["task_id"], unique=False)
    op.create_table(
        "task_event",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("task_id", sa.BigInteger(), nullable=False),
        sa.Column("from_status", sa.Text(), nullable=False),
        sa.Column("to_status", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_event_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_event")),
    )
    op.create_index(op.f("ix_task_event_task_id"), "task_event", ["task_id"], unique=False)
    op.create_table(
        "task_hazardous_area",
        sa.Column("task_id", sa.BigInteger(), nullable=False),
        sa.Column("hazardous_area_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hazardous_area_id"],
            ["hazardous_area.id"],
            name=op.f("fk_task_hazardous_area_hazardous_area_id_hazardous_area"),
        ),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_hazardous_area_task_id_task")),
        sa.PrimaryKeyConstraint("task_id", "hazardous_area_id", name=op.f("pk_task_hazardous_area")),
    )
    op.create_index(
        op.f("ix_task_hazardous_area_hazardous_area_id"), "task_hazardous_area", ["hazardous_area_id"], unique=False
    )
    op.create_table(
        "task_progress_report",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("task_id", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("cancelled_m2", sa.Double(), server_default="0", nullable=False),
        sa.Column("reduced_m2", sa.Double(), server_default="0", nullable=False),
        sa.Column("cleared_m2", sa.Double(), server_default="0", nullable=False),
        sa.Column("items_found", sa.Integer(), server_default="0", nullable=False),
        sa.Column("team_days", sa.Double(), server_default="0", nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "cancelled_m2 >= 0 AND reduced_m2 >= 0 AND cleared_m2 >= 0 AND items_found >= 0 AND team_days >= 0",
            name=op.f("ck_task_progress_report_non_negative"),
        ),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_task_progress_report_period_order")),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_progress_report_task_id_task")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_progress_report")),
    )
    op.create_index(op.f("ix_task_progress_report_task_id"), "task_progress_report", ["task_id"], unique=False)
    op.create_geospatial_table(
        "accident",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("device_category", sa.Text(), nullable=True),
        sa.Column("hazardous_area_id", sa.BigInteger(), nullable=True),
        sa.Column("activity_id", sa.BigInteger(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
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
        sa.CheckConstraint(
            "type IN ('mine', 'uxo_axo', 'cluster', 'ied', 'demining_accident', 'other')", name=op.f("ck_accident_type")
        ),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], name=op.f("fk_accident_activity_id_activity")),
        sa.ForeignKeyConstraint(
            ["device_category"],
            ["contamination_type.code"],
            name=op.f("fk_accident_device_category_contamination_type"),
        ),
        sa.ForeignKeyConstraint(
            ["hazardous_area_id"], ["hazardous_area.id"], name=op.f("fk_accident_hazardous_area_id_hazardous_area")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accident")),
    )
    op.create_geospatial_index(
        "idx_accident_geom", "accident", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_accident_hazardous_area_id"), "accident", ["hazardous_area_id"], unique=False)
    op.create_index(op.f("ix_accident_occurred_on"), "accident", ["occurred_on"], unique=False)
    op.create_table(
        "activity_hazardous_area",
        sa.Column("activity_id", sa.BigInteger(), nullable=False),
        sa.Column("hazardous_area_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activity.id"], name=op.f("fk_activity_hazardous_area_activity_id_activity")
        ),
        sa.ForeignKeyConstraint(
            ["hazardous_area_id"],
            ["hazardous_area.id"],
            name=op.f("fk_activity_hazardous_area_hazardous_area_id_hazardous_area"),
        ),
        sa.PrimaryKeyConstraint("activity_id", "hazardous_area_id", name=op.f("pk_activity_hazardous_area")),
    )
    op.create_index(
        op.f("ix_activity_hazardous_area_hazardous_area_id"),
        "activity_hazardous_area",
        ["hazardous_area_id"],
        unique=False,
    )
    op.create_geospatial_table(
        "device_found",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("activity_id", sa.BigInteger(), nullable=False),
        sa.Column("hazardous_area_id", sa.BigInteger(), nullable=True),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=True),
        sa.Column("condition", sa.Text(), nullable=True),
        sa.Column("depth_cm", sa.SmallInteger(), nullable=True),
        sa.Column("quantity", sa.Integer(), server_default="1", nullable=False),
        sa.Column("fate", sa.Text(), nullable=False),
        sa.Column("persistence", sa.Text(), server_default="unknown", nullable=False),
        sa.Column("emplacement_date", sa.Date(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            nullable=True,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.Text(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "fate IN ('destroyed_in_situ', 'removed', 'rendered_safe')", name=op.f("ck_device_found_fate")
        ),
        sa.CheckConstraint(
            "persistence IN ('persistent', 'self_deactivating', 'unknown')", name=op.f("ck_device_found_persistence")
        ),
        sa.CheckConstraint("depth_cm >= 0", name=op.f("ck_device_found_depth_non_negative")),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_device_found_quantity_positive")),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], name=op.f("fk_device_found_activity_id_activity")),
        sa.ForeignKeyConstraint(
            ["category"], ["contamination_type.code"], name=op.f("fk_device_found_category_contamination_type")
        ),
        sa.ForeignKeyConstraint(
            ["hazardous_area_id"], ["hazardous_area.id"], name=op.f("fk_device_found_hazardous_area_id_hazardous_area")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_found")),
    )
    op.create_geospatial_index(
        "idx_device_found_geom", "device_found", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_device_found_activity_id"), "device_found", ["activity_id"], unique=False)
    op.create_index(op.f("ix_device_found_hazardous_area_id"), "device_found", ["hazardous_area_id"], unique=False)
    op.create_geospatial_table(
        "release",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("activity_id", sa.BigInteger(), nullable=False),
        sa.Column("hazardous_area_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("submitted_area_m2", sa.Double(), nullable=False),
        sa.Column("outside_area_m2", sa.Double(), nullable=False),
        sa.Column("overlap_area_m2", sa.Double(), nullable=False),
        sa.Column("area_m2", sa.Double(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "submitted_geom",
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
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('cancelled', 'reduced', 'cleared')", name=op.f("ck_release_kind")),
        sa.CheckConstraint("area_m2 >= 0", name=op.f("ck_release_area_non_negative")),
        sa.ForeignKeyConstraint(["activity_id"], ["activity.id"], name=op.f("fk_release_activity_id_activity")),
        sa.ForeignKeyConstraint(
            ["hazardous_area_id"], ["hazardous_area.id"], name=op.f("fk_release_hazardous_area_id_hazardous_area")
        ),
        sa.ForeignKeyConstraint(["method"], ["method.code"], name=op.f("fk_release_method_method")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release")),
    )
    op.create_geospatial_index(
        "idx_release_geom", "release", ["geom"], unique=False, postgresql_using="gist", postgresql_ops={}
    )
    op.create_index(op.f("ix_release_activity_id"), "release", ["activity_id"], unique=False)
    op.create_index(op.f("ix_release_hazardous_area_id"), "release", ["hazardous_area_id"], unique=False)
    op.create_index(op.f("ix_release_released_on"), "release", ["released_on"], unique=False)
    op.create_table(
        "victim",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("accident_id", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("sex", sa.Text(), server_default="unknown", nullable=False),
        sa.Column("age_band", sa.Text(), server_default="unknown", nullable=False),
        sa.Column("role", sa.Text(), server_default="unknown", nullable=False),
        sa.CheckConstraint("age_band IN ('0-4', '5-17', '18-59', '60+', 'unknown')", name=op.f("ck_victim_age_band")),
        sa.CheckConstraint("outcome IN ('killed', 'injured')", name=op.f("ck_victim_outcome")),
        sa.CheckConstraint("role IN ('civilian', 'deminer', 'unknown')", name=op.f("ck_victim_role")),
        sa.CheckConstraint("sex IN ('female', 'male', 'unknown')", name=op.f("ck_victim_sex")),
        sa.ForeignKeyConstraint(["accident_id"], ["accident.id"], name=op.f("fk_victim_accident_id_accident")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim")),
    )
    op.create_index(op.f("ix_victim_accident_id"), "victim", ["accident_id"], unique=False)
    op.create_table(
        "victim_identity",
        sa.Column("victim_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["victim_id"], ["victim.id"], name=op.f("fk_victim_identity_victim_id_victim")),
        sa.PrimaryKeyConstraint("victim_id", name=op.f("pk_victim_identity")),
    )
    op.add_column("hazardous_area", sa.Column("information_date", sa.Date(), nullable=True))
    op.add_column("hazardous_area", sa.Column("handed_over_on", sa.Date(), nullable=True))
    op.add_column("hazardous_area", sa.Column("handover_certificate_ref", sa.Text(), nullable=True))

    # Defaults; programmes add their own (e.g. flails, tillers, satellite imagery) as rows.
    op.bulk_insert(
        sa.table("method", sa.column("code"), sa.column("label"), sa.column("sort_order")),
        [{"code": code, "label": label, "sort_order": i} for i, (code, label) in enumerate(METHODS)],
    )
    # Areas recorded before this revision: their date of information is their report date.
    op.execute("UPDATE hazardous_area SET information_date = reported_on")


def downgrade() -> None:
    """Revert this revision."""
    op.drop_column("hazardous_area", "handover_certificate_ref")
    op.drop_column("hazardous_area", "handed_over_on")
    op.drop_column("hazardous_area", "information_date")
    op.drop_table("victim_identity")
    op.drop_index(op.f("ix_victim_accident_id"), table_name="victim")
    op.drop_table("victim")
    op.drop_index(op.f("ix_release_released_on"), table_name="release")
    op.drop_index(op.f("ix_release_hazardous_area_id"), table_name="release")
    op.drop_index(op.f("ix_release_activity_id"), table_name="release")
    op.drop_geospatial_index("idx_release_geom", table_name="release", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("release")
    op.drop_index(op.f("ix_device_found_hazardous_area_id"), table_name="device_found")
    op.drop_index(op.f("ix_device_found_activity_id"), table_name="device_found")
    op.drop_geospatial_index(
        "idx_device_found_geom", table_name="device_found", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("device_found")
    op.drop_index(op.f("ix_activity_hazardous_area_hazardous_area_id"), table_name="activity_hazardous_area")
    op.drop_table("activity_hazardous_area")
    op.drop_index(op.f("ix_accident_occurred_on"), table_name="accident")
    op.drop_index(op.f("ix_accident_hazardous_area_id"), table_name="accident")
    op.drop_geospatial_index("idx_accident_geom", table_name="accident", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("accident")
    op.drop_index(op.f("ix_task_progress_report_task_id"), table_name="task_progress_report")
    op.drop_table("task_progress_report")
    op.drop_index(op.f("ix_task_hazardous_area_hazardous_area_id"), table_name="task_hazardous_area")
    op.drop_table("task_hazardous_area")
    op.drop_index(op.f("ix_task_event_task_id"), table_name="task_event")
    op.drop_table("task_event")
    op.drop_index(op.f("ix_task_deconfliction_task_id"), table_name="task_deconfliction")
    op.drop_table("task_deconfliction")
    op.drop_index(op.f("ix_hazardous_area_event_hazardous_area_id"), table_name="hazardous_area_event")
    op.drop_table("hazardous_area_event")
    op.drop_index(op.f("ix_activity_task_id"), table_name="activity")
    op.drop_index(op.f("ix_activity_organisation_id"), table_name="activity")
    op.drop_table("activity")
    op.drop_index(op.f("ix_task_status"), table_name="task")
    op.drop_index(op.f("ix_task_organisation_id"), table_name="task")
    op.drop_geospatial_index("idx_task_geom", table_name="task", postgresql_using="gist", column_name="geom")
    op.drop_geospatial_table("task")
    op.drop_table("method")
