"""Vector tiles (MVT) of the big layers, built by PostGIS next to the spatial index (docs/architecture.md §2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.access import Actor, Capability, funded_donor, require
from app.domain.errors import Invalid
from app.domain.vocabulary import SQL_VALUES
from app.services.area_filter import AreaFilter, area_where
from app.services.dashboard.funded import RELEASE_FUNDED_BY_DONOR
from gis.units import WEB_MERCATOR_METRES_PER_PIXEL_Z0

MAX_ZOOM = 22
DOT_BELOW_PIXELS = 4
EXTENT = 4096
# Below zoom 10 a tile covers tens of km: cap its features (largest first) so a national view
# stays light; from zoom 10 on a tile holds every feature it touches.
FEATURE_CAP = {z: 3_000 if z < 7 else 10_000 for z in range(10)}


@dataclass(frozen=True)
class TileLayer:
    """What one layer puts in its tiles: SQL fragments written here, never taken from a request.

    `columns` starts with `t.id`, the MVT feature id; the query repeats it, and ST_AsMVT turns a
    repeated id column into a property, because VectorGrid's click events see properties only.
    `donor_scope` is the condition (donor bound as `:donor_id`) keeping a donor officer to the rows
    its donor funds; a layer that has one answers differently by caller.
    """

    source: str  # FROM … with the alias `t` for the row that has `geom`
    columns: str
    size: str  # larger first when a tile is capped
    filters: dict[str, str]  # attribute a client may filter on (`t.<name> = ANY(…)`) → its SQL type
    live: bool = True  # rows carry deleted_at
    geometry: str = "t.geom"
    capability: Capability = "read.registry"  # who may read the layer (app/domain/access.py)
    donor_scope: str | None = None


# Hazardous areas are filtered by the shared AreaFilter (see area_tile()), and scored under a scenario
# when one is asked for: `score`, and `gated` when a gate keeps the area out of the ranking.
SCORED_AREAS = """hazardous_area t
    LEFT JOIN priority_current pc ON pc.hazardous_area_id = t.id AND pc.scenario_id = :scenario
    LEFT JOIN priority_score ps ON ps.run_id = pc.run_id AND ps.hazardous_area_id = t.id"""
LAYERS = {
    "hazardous_areas": TileLayer(
        source="hazardous_area t",
        columns="t.id, t.national_id, t.name, t.classification, t.status, "
        "round(t.remaining_area_m2)::bigint AS remaining_area_m2, "
        "array_to_string(t.contamination_types, ',') AS contamination, t.original_area_m2 < :dot_below_m2 AS dot",
        size="t.remaining_area_m2",
        filters={},  # area_tile() takes the shared AreaFilter instead
        # An area smaller than a few pixels at the tile's zoom goes out as a point the map draws as a
        # dot: a national view then shows where contamination is instead of sub-pixel slivers.
        geometry="CASE WHEN t.original_area_m2 < :dot_below_m2 THEN ST_PointOnSurface(t.geom) ELSE t.geom END",
    ),
    "releases": TileLayer(
        source="release t",
        columns="t.id, t.hazardous_area_id, t.activity_id, t.kind, t.method, t.released_on::text AS released_on, "
        "round(t.area_m2)::bigint AS area_m2, t.area_m2 < :dot_below_m2 AS dot",
        size="t.area_m2",
        filters={"kind": "text"},
        live=False,  # releases are never marked deleted
        # As for hazardous areas: land smaller than a few pixels at the tile's zoom is a dot, so a donor's
        # released land shows on a national view instead of vanishing below a pixel.
        geometry="CASE WHEN t.area_m2 < :dot_below_m2 THEN ST_PointOnSurface(t.geom) ELSE t.geom END",
        capability="read.released_land",
        donor_scope=RELEASE_FUNDED_BY_DONOR.format(release="t"),
    ),
    "tasks": TileLayer(
        source="task t JOIN organisation o ON o.id = t.organisation_id",
        columns="t.id, t.reference, t.status, t.priority, t.organisation_id, o.name AS organisation, "
        "round(t.area_m2)::bigint AS area_m2",
        size="t.area_m2",
        filters={"status": "text", "organisation_id": "bigint"},
    ),
    "context": TileLayer(
        source="context_feature t",
        columns="t.id, t.layer, t.name",
        size="ST_Area(t.geom) + ST_Length(t.geom)",
        filters={"layer": "text"},
        capability="read.reference",  # roads, services, farmland: context for whoever reads the map
    ),
}


# Below CELL_ZOOM an area is a speck: hazard tiles then carry one dot per CELL_PIXELS grid cell
# holding the areas whose label point (on the area, stored in Web Mercator) falls in it, styled as
# the most urgent of them (a live CHA over a live SHA; open over worked on over closed; the best
# score), with their count and, when alone, the area's id. A national view stays a few hundred kB
# however many areas there are, and no area is left out.
CELL_ZOOM = 10
CELL_PIXELS = 4
CELLS_SQL = """
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS merc),
    points AS (
        SELECT t.id AS area_id, t.classification, t.status = ANY(:live_statuses) AS live_area, t.status{scored},
               ST_AsMVTGeom(t.label_point, bounds.merc, :extent, 0, true) AS g
        FROM {source} CROSS JOIN bounds
        WHERE t.label_point && bounds.merc{filters}
    ),
    cells AS (
        SELECT floor(ST_X(g) / :cell) AS cx, floor(ST_Y(g) / :cell) AS cy, count(*) AS areas,
               CASE WHEN count(*) = 1 THEN min(area_id) END AS id,
               CASE WHEN bool_or(live_area AND classification = :v_CHA) THEN :v_CHA ELSE :v_SHA END AS classification,
               CASE WHEN bool_or(status = :v_open) THEN :v_open WHEN bool_or(status = :v_worked_on) THEN :v_worked_on
                    ELSE :v_closed END AS status{cell_score}
        FROM points WHERE g IS NOT NULL GROUP BY 1, 2
    )
    SELECT ST_AsMVT(c, :name, :extent, 'geom', 'id')
    FROM (SELECT id, classification, status, areas, true AS dot{score_out}, id,
                 ST_Point(cx * :cell + :cell / 2, cy * :cell + :cell / 2) AS geom FROM cells) c
"""


def check_tile(z: int, x: int, y: int) -> None:
    """Zoom 0–22 and x, y inside the zoom's grid (Web Mercator, XYZ scheme)."""
    if not 0 <= z <= MAX_ZOOM:
        raise Invalid(f"zoom must be between 0 and {MAX_ZOOM}", field="z")
    size = 2**z
    if not (0 <= x < size and 0 <= y < size):
        raise Invalid(f"at zoom {z} tile x and y run from 0 to {size - 1}", field="x/y")


def depends_on_caller(name: str) -> bool:
    """Whether two callers may get different tiles of the layer at the same URL (then no shared cache may keep them)."""
    return LAYERS[name].donor_scope is not None


def tile(session: Session, name: str, z: int, x: int, y: int, filters: dict[str, list[Any]], *, actor: Actor) -> bytes:
    """One MVT tile of released land, tasks or context features, filtered on the layer's attributes.

    The actor must hold the layer's capability; a donor officer's released land is what its donor funds.
    """
    layer = LAYERS[name]
    require(actor, layer.capability)
    check_tile(z, x, y)
    unknown = sorted(set(filters) - set(layer.filters))
    if unknown:
        raise Invalid(f"layer {name} cannot be filtered by {', '.join(unknown)}", field=unknown[0])
    where = "".join(
        f" AND t.{column} = ANY(CAST(:{column} AS {layer.filters[column]}[]))" for column, v in filters.items() if v
    )
    params: dict[str, Any] = {k: v for k, v in filters.items() if v}
    if actor.is_donor and layer.donor_scope is not None:
        where += f" AND {layer.donor_scope}"
        params["donor_id"] = funded_donor(actor)
    return _features(session, name, z, x, y, where, params)


def area_tile(session: Session, z: int, x: int, y: int, flt: AreaFilter, *, scenario_id: int | None = None) -> bytes:
    """One MVT tile of the hazardous areas the shared filter selects: cells below CELL_ZOOM, shapes from it."""
    check_tile(z, x, y)
    where, params = area_where(flt, "t")
    source, scored = LAYERS["hazardous_areas"].source, ""
    if scenario_id is not None:
        source = SCORED_AREAS
        scored = ", round(ps.score::numeric, 3)::float AS score, ps.gated IS NOT NULL AS gated"
        params["scenario"] = scenario_id
    if z >= CELL_ZOOM:
        return _features(session, "hazardous_areas", z, x, y, where, params, source=source, scored=scored)
    sql = CELLS_SQL.format(
        source=source,
        scored=scored,
        filters=" AND t.deleted_at IS NULL" + where,
        cell_score=", max(score) FILTER (WHERE NOT gated) AS score, bool_and(gated) AS gated" if scored else "",
        score_out=", score, gated" if scored else "",
    )
    params.update(SQL_VALUES)
    params.update(
        {"z": z, "x": x, "y": y, "extent": EXTENT, "name": "hazardous_areas", "cell": CELL_PIXELS * EXTENT // 256}
    )
    return bytes(session.execute(text(sql), params).scalar() or b"")


def _features(
    session: Session,
    name: str,
    z: int,
    x: int,
    y: int,
    where: str,
    params: dict[str, Any],
    *,
    source: str | None = None,
    scored: str = "",
) -> bytes:
    """A tile of the layer's live rows matching `where`, largest first up to the zoom's cap."""
    layer = LAYERS[name]
    live = " AND t.deleted_at IS NULL" if layer.live else ""
    sql = f"""
        WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS merc,
                               ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326) AS geo),
        features AS (
            SELECT {layer.columns}{scored}, t.id,
                   ST_AsMVTGeom(ST_Transform({layer.geometry}, 3857), bounds.merc, :extent, 64, true) AS geom
            FROM {source or layer.source} CROSS JOIN bounds
            WHERE t.geom && bounds.geo{live}{where}
            ORDER BY {layer.size} DESC, t.id
            LIMIT :cap
        )
        SELECT ST_AsMVT(features, :name, :extent, 'geom', 'id') FROM features WHERE geom IS NOT NULL
    """
    params = {
        **params,
        "z": z,
        "x": x,
        "y": y,
        "extent": EXTENT,
        "name": name,
        "cap": FEATURE_CAP.get(z, 1_000_000),
        "dot_below_m2": (DOT_BELOW_PIXELS * WEB_MERCATOR_METRES_PER_PIXEL_Z0 / 2**z) ** 2,
    }
    return bytes(session.execute(text(sql), params).scalar() or b"")
