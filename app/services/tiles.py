"""Vector tiles (MVT) of the big layers, built by PostGIS next to the spatial index (design.md §2)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import Invalid

MAX_ZOOM = 22
EXTENT = 4096
# Below zoom 10 a tile covers tens of km: cap its features (largest first) so a national view
# stays light; from zoom 10 on a tile holds every feature it touches.
FEATURE_CAP = {z: 3_000 if z < 7 else 10_000 for z in range(10)}


@dataclass(frozen=True)
class TileLayer:
    """What one layer puts in its tiles: SQL fragments written here, never taken from a request."""

    source: str  # FROM … with the alias `t` for the row that has `geom`
    columns: str
    size: str  # larger first when a tile is capped
    filters: tuple[str, ...]  # attribute names a client may filter on (`t.<name> = ANY(…)`)


LAYERS = {
    "hazardous_areas": TileLayer(
        source="hazardous_area t",
        columns="t.id, t.national_id, t.name, t.classification, t.status, "
        "round(t.remaining_area_m2)::bigint AS remaining_area_m2, "
        "array_to_string(t.contamination_types, ',') AS contamination",
        size="t.remaining_area_m2",
        filters=("status", "classification"),
    ),
    "releases": TileLayer(
        source="release t",
        columns="t.id, t.hazardous_area_id, t.activity_id, t.kind, t.method, t.released_on::text AS released_on, "
        "round(t.area_m2)::bigint AS area_m2",
        size="t.area_m2",
        filters=("kind",),
    ),
    "tasks": TileLayer(
        source="task t JOIN organisation o ON o.id = t.organisation_id",
        columns="t.id, t.reference, t.status, t.priority, o.name AS organisation, round(t.area_m2)::bigint AS area_m2",
        size="t.area_m2",
        filters=("status",),
    ),
}


def check_tile(z: int, x: int, y: int) -> None:
    """Zoom 0–22 and x, y inside the zoom's grid (Web Mercator, XYZ scheme)."""
    if not 0 <= z <= MAX_ZOOM:
        raise Invalid(f"zoom must be between 0 and {MAX_ZOOM}", field="z")
    size = 2**z
    if not (0 <= x < size and 0 <= y < size):
        raise Invalid(f"at zoom {z} tile x and y run from 0 to {size - 1}", field="x/y")


def tile(session: Session, name: str, z: int, x: int, y: int, filters: dict[str, list[str]]) -> bytes:
    """One MVT tile of a layer's live rows, with the attributes the map styles and labels."""
    layer = LAYERS[name]
    check_tile(z, x, y)
    unknown = sorted(set(filters) - set(layer.filters))
    if unknown:
        raise Invalid(f"layer {name} cannot be filtered by {', '.join(unknown)}", field=unknown[0])
    where = "".join(f" AND t.{column} = ANY(CAST(:{column} AS text[]))" for column, v in filters.items() if v)
    live = " AND t.deleted_at IS NULL" if name != "releases" else ""  # releases are never marked deleted
    sql = f"""
        WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS merc,
                               ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326) AS geo),
        features AS (
            SELECT {layer.columns}, ST_AsMVTGeom(ST_Transform(t.geom, 3857), bounds.merc, :extent, 64, true) AS geom
            FROM {layer.source} CROSS JOIN bounds
            WHERE t.geom && bounds.geo{live}{where}
            ORDER BY {layer.size} DESC, t.id
            LIMIT :cap
        )
        SELECT ST_AsMVT(features, :name, :extent, 'geom', 'id') FROM features WHERE geom IS NOT NULL
    """
    params = {"z": z, "x": x, "y": y, "extent": EXTENT, "cap": FEATURE_CAP.get(z, 1_000_000), "name": name,
              **{k: v for k, v in filters.items() if v}}  # fmt: skip
    return bytes(session.execute(text(sql), params).scalar() or b"")
