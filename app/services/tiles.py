"""Vector tiles (MVT) of the big layers, built by PostGIS next to the spatial index (design.md §2)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import Invalid

MAX_ZOOM = 22
EXTENT = 4096
# Below zoom 10 a tile covers tens of km: cap its features (largest remaining land first) so a
# national view stays light; from zoom 10 on a tile holds every area it touches.
FEATURE_CAP = {z: 3_000 if z < 7 else 10_000 for z in range(10)}

HAZARD_TILE_SQL = text(
    """
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS merc, ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326) AS geo),
    features AS (
        SELECT h.id, h.national_id, h.name, h.classification, h.status,
               round(h.remaining_area_m2)::bigint AS remaining_area_m2,
               array_to_string(h.contamination_types, ',') AS contamination,
               ST_AsMVTGeom(ST_Transform(h.geom, 3857), bounds.merc, :extent, 64, true) AS geom
        FROM hazardous_area h, bounds
        WHERE h.deleted_at IS NULL AND h.geom && bounds.geo
          AND (CAST(:status AS text[]) IS NULL OR h.status = ANY(CAST(:status AS text[])))
          AND (CAST(:classification AS text[]) IS NULL OR h.classification = ANY(CAST(:classification AS text[])))
        ORDER BY h.remaining_area_m2 DESC, h.id
        LIMIT :cap
    )
    SELECT ST_AsMVT(features, 'hazardous_areas', :extent, 'geom', 'id') FROM features WHERE geom IS NOT NULL
    """
)


def check_tile(z: int, x: int, y: int) -> None:
    """Zoom 0–22 and x, y inside the zoom's grid (Web Mercator, XYZ scheme)."""
    if not 0 <= z <= MAX_ZOOM:
        raise Invalid(f"zoom must be between 0 and {MAX_ZOOM}", field="z")
    size = 2**z
    if not (0 <= x < size and 0 <= y < size):
        raise Invalid(f"at zoom {z} tile x and y run from 0 to {size - 1}", field="x/y")


def hazard_tile(
    session: Session, z: int, x: int, y: int, *, status: list[str] | None, classification: list[str] | None
) -> bytes:
    """One MVT tile of live hazardous areas, with the attributes the map styles and labels."""
    check_tile(z, x, y)
    params = {"z": z, "x": x, "y": y, "extent": EXTENT, "cap": FEATURE_CAP.get(z, 1_000_000),
              "status": status or None, "classification": classification or None}  # fmt: skip
    tile = session.execute(HAZARD_TILE_SQL, params).scalar()
    return bytes(tile or b"")
