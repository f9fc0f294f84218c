"""The offline base map: reference features (Natural Earth, OSM roads) and what is derived from the admin units.

The reference layers ship with the package (gis/data/basemap/) and are loaded here, so every
database at head has them. Admin-unit label points and each country's outline are kept current by
statement triggers on admin_unit, whoever loads boundaries (`mais load-boundaries`, `mais seed`, a
test): a GET that draws a tile never writes. docs/base-map.md.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import shapely
import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Pieces of at most this many vertices: a tile then clips a few short lines, not a country's coast.
PIECE_VERTICES = 256
INSERT_REFERENCE = f"""
    INSERT INTO basemap_feature (source, theme, kind, name, name_en, min_zoom, max_zoom, geom)
    SELECT 'reference', :theme, :kind, :name, :name_en, :min_zoom, :max_zoom, piece
    FROM ST_Subdivide(ST_Transform(ST_MakeValid(ST_GeomFromWKB(:wkb, 4326)), 3857), {PIECE_VERTICES}) AS piece"""
# Names from zoom 5 (oblasts) until the next level's take over; the label sits at the centre of the
# widest circle inside the unit (on a slightly simplified outline: the exact one costs ten times more).
# Each country's level-1 units, dissolved, give its outline and its land (drawn light, neighbours grey).
REFRESH_FUNCTION = f"""
CREATE FUNCTION basemap_admin_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM basemap_feature WHERE source = 'admin_unit';
        RETURN NULL;
    END IF;
    DELETE FROM basemap_feature b USING changed c
    WHERE b.source = 'admin_unit' AND b.theme = 'label' AND b.country = c.country AND b.code = c.code;
    INSERT INTO basemap_feature (source, theme, kind, name, name_en, min_zoom, max_zoom, country, code, geom)
    SELECT 'admin_unit', 'label', CASE u.level WHEN 1 THEN 'oblast' WHEN 2 THEN 'raion' ELSE 'hromada' END,
           u.name, u.name_en, CASE u.level WHEN 1 THEN 5 WHEN 2 THEN 8 ELSE 10 END,
           CASE u.level WHEN 1 THEN 7 WHEN 2 THEN 9 END, u.country, u.code,
           ST_Transform((ST_MaximumInscribedCircle(ST_SimplifyPreserveTopology(u.geom, 0.002))).center, 3857)
    FROM admin_unit u WHERE u.id IN (SELECT id FROM changed);
    DELETE FROM basemap_feature b
    WHERE b.source = 'admin_unit' AND b.theme IN ('outline', 'land')
          AND b.country IN (SELECT country FROM changed WHERE level = 1);
    WITH country AS (
        SELECT u.country, ST_Transform(ST_Union(u.geom), 3857) AS area
        FROM admin_unit u
        WHERE u.level = 1 AND u.country IN (SELECT country FROM changed WHERE level = 1)
        GROUP BY u.country
    )
    INSERT INTO basemap_feature (source, theme, kind, min_zoom, country, geom)
    SELECT 'admin_unit', 'outline', 'country', 0, c.country, ST_Subdivide(ST_Boundary(c.area), {PIECE_VERTICES})
    FROM country c
    UNION ALL
    SELECT 'admin_unit', 'land', 'home', 0, c.country, ST_Subdivide(c.area, {PIECE_VERTICES}) FROM country c;
    RETURN NULL;
END $$"""
TRIGGERS = {
    "basemap_admin_inserted": "AFTER INSERT ON admin_unit REFERENCING NEW TABLE AS changed",
    "basemap_admin_updated": "AFTER UPDATE ON admin_unit REFERENCING NEW TABLE AS changed",
    "basemap_admin_deleted": "AFTER DELETE ON admin_unit REFERENCING OLD TABLE AS changed",
    "basemap_admin_truncated": "AFTER TRUNCATE ON admin_unit",
}


def upgrade() -> None:
    """Apply this revision."""
    op.create_geospatial_table(
        "basemap_feature",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("theme", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("min_zoom", sa.SmallInteger(), nullable=False),
        sa.Column("max_zoom", sa.SmallInteger(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("code", sa.Text(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="GEOMETRY",
                srid=3857,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_basemap_feature")),
    )
    op.create_geospatial_index(
        "idx_basemap_feature_geom",
        "basemap_feature",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    _load_reference()
    op.execute(REFRESH_FUNCTION)
    for name, when in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION basemap_admin_refresh()")
    # Units loaded before this revision get their labels and outlines now.
    op.execute("UPDATE admin_unit SET name = name")


def downgrade() -> None:
    """Revert this revision."""
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON admin_unit")
    op.execute("DROP FUNCTION basemap_admin_refresh()")
    op.drop_geospatial_index(
        "idx_basemap_feature_geom", table_name="basemap_feature", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("basemap_feature")


def _load_reference() -> None:
    from gis.basemap import read_basemap  # the shipped files as they are at this revision

    frame = read_basemap()
    rows = [
        {
            "theme": row.theme,
            "kind": row.kind,
            "name": _present(row.name),
            "name_en": _present(row.name_en),
            "min_zoom": int(row.min_zoom),
            "max_zoom": None if _present(row.max_zoom) is None else int(row.max_zoom),
            "wkb": shapely.to_wkb(row.geometry),
        }
        for row in frame.itertuples(index=False)
    ]
    op.get_bind().execute(sa.text(INSERT_REFERENCE), rows)


def _present(value: object) -> object:
    """The value, or None for a missing one (None or NaN)."""
    return None if value is None or value != value else value
