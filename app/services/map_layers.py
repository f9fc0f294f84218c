"""Layers for the map page, built as GeoJSON text inside PostGIS."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

# ~1 m at Ukrainian latitudes: invisible on screen, and it keeps the page light.
SIMPLIFY_DEGREES = 0.00001

HAZARD_LAYER_SQL = text(
    """
    WITH page AS (
        SELECT id, national_id, name, classification, status, contamination_types,
               round(remaining_area_m2) AS remaining_area_m2, geom
        FROM hazardous_area
        WHERE deleted_at IS NULL
        ORDER BY id
        LIMIT :cap
    )
    SELECT json_build_object(
        'type', 'FeatureCollection',
        'features', coalesce(json_agg(json_build_object(
            'type', 'Feature',
            'id', id,
            'geometry', ST_AsGeoJSON(ST_Multi(ST_SimplifyPreserveTopology(geom, :tolerance)), 6)::json,
            'properties', json_build_object(
                'id', id, 'national_id', national_id, 'name', name,
                'classification', classification, 'status', status,
                'contamination', array_to_string(contamination_types, ', '),
                'remaining_area_m2', remaining_area_m2)
        )), '[]'::json)
    )::text AS collection,
    ST_XMin(ST_Extent(geom)) AS west, ST_YMin(ST_Extent(geom)) AS south,
    ST_XMax(ST_Extent(geom)) AS east, ST_YMax(ST_Extent(geom)) AS north,
    (SELECT count(*) FROM hazardous_area WHERE deleted_at IS NULL) AS total
    FROM page
    """
)


@dataclass(frozen=True)
class HazardLayer:
    """Up to `cap` live areas as FeatureCollection text, their extent, and how many live areas exist."""

    collection: str
    bounds: tuple[float, float, float, float] | None
    total: int


def hazard_layer(session: Session, cap: int) -> HazardLayer:
    """The hazard layer of the map page."""
    row = session.execute(HAZARD_LAYER_SQL, {"cap": cap, "tolerance": SIMPLIFY_DEGREES}).one()
    bounds = None if row.west is None else (row.west, row.south, row.east, row.north)
    return HazardLayer(collection=row.collection, bounds=bounds, total=int(row.total))
