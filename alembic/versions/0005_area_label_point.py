"""Areas keep a label point in Web Mercator: the dot that stands for them on zoomed-out tiles.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_geospatial_column(
        "hazardous_area",
        sa.Column(
            "label_point",
            Geometry(
                geometry_type="POINT",
                srid=3857,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
            ),
            sa.Computed("ST_Transform(ST_PointOnSurface(geom), 3857)", persisted=True),
            nullable=True,
        ),
    )
    op.create_geospatial_index(
        "idx_hazardous_area_label_point",
        "hazardous_area",
        ["label_point"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_geospatial_index(
        "idx_hazardous_area_label_point",
        table_name="hazardous_area",
        postgresql_using="gist",
        column_name="label_point",
    )
    op.drop_geospatial_column("hazardous_area", "label_point")
