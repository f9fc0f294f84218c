"""The offline base map as vector tiles: water, land, roads, admin boundaries of any country and names.

One tile holds up to seven MVT layers, drawn in this order: `land` (kind `home`: the country whose
units are loaded; `neighbour`: the countries around Ukraine), `water` (sea, lakes, coast), `urban`,
`rivers`, `roads`, `boundaries` (level 0 = a country's outline, 1–3 the admin levels) and `labels`
(points with kind, name, name_en; the page draws them as text). Reference features come from
`basemap_feature`; boundaries straight from `admin_unit`, clipped before they are reprojected, so a
tile never transforms a whole oblast. Each layer shows from its zoom (LEVEL_FROM_ZOOM, the rows'
min_zoom/max_zoom) and is simplified to half a pixel. docs/base-map.md.

Tiles are alike for every caller and change only when boundaries or reference data are loaded, so
they are kept in memory by (z, x, y, data version); the version moves with every row written to
`basemap_feature`, which the admin_unit triggers rewrite on any change of the units (migration 0010).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.access import Actor, require
from app.services.dashboard.tiles import EXTENT, check_tile
from gis.units import WEB_MERCATOR_METRES_PER_PIXEL_Z0

# The first zoom of each admin level's boundaries: oblasts for the national view, raions when a
# region fills the screen, hromadas when a raion does. A country's outline shows at every zoom.
LEVEL_FROM_ZOOM = {1: 5, 2: 7, 3: 9}
BUFFER = 64  # tile units drawn beyond the edge so that lines join across tiles
KEPT_TILES = 2048

# Reference themes drawn as they are stored (cut into short pieces), in drawing order.
REFERENCE_THEMES = ("land", "water", "urban", "rivers", "roads")
REFERENCE_SQL = """
    SELECT ST_AsMVT(f, :theme_{theme}, :extent, 'geom') FROM (
        SELECT t.kind, ST_AsMVTGeom(ST_Simplify(t.geom, :tolerance), b.merc, :extent, :buffer, true) AS geom
        FROM basemap_feature t, bounds b
        WHERE t.theme = :theme_{theme} AND t.min_zoom <= :z AND (t.max_zoom IS NULL OR :z <= t.max_zoom)
              AND t.geom && b.wide
    ) f WHERE geom IS NOT NULL"""
# Admin boundaries as lines: each unit is cut to a box a little wider than the tile (in WGS 84, where
# it is indexed) before it is reprojected and simplified; the cut edges fall outside the drawn buffer.
BOUNDARIES_SQL = """
    SELECT ST_AsMVT(f, 'boundaries', :extent, 'geom') FROM (
        SELECT 0 AS level, t.country, NULL AS code,
               ST_AsMVTGeom(ST_Simplify(t.geom, :tolerance), b.merc, :extent, :buffer, true) AS geom
        FROM basemap_feature t, bounds b
        WHERE t.theme = 'outline' AND t.geom && b.wide
        UNION ALL
        SELECT u.level, u.country, u.code,
               ST_AsMVTGeom(ST_Simplify(ST_Transform(ST_Boundary(ST_ClipByBox2D(u.geom, b.geo)), 3857), :tolerance),
                            b.merc, :extent, :buffer, true)
        FROM admin_unit u, bounds b
        WHERE u.level <= :max_level AND u.geom && b.geo
    ) f WHERE geom IS NOT NULL"""
# Names as points, each in the one tile that holds it (no buffer); `rank` orders them when they collide.
LABELS_SQL = """
    SELECT ST_AsMVT(f, 'labels', :extent, 'geom') FROM (
        SELECT t.kind, t.name, t.name_en, t.code, t.min_zoom AS rank,
               ST_AsMVTGeom(t.geom, b.merc, :extent, 0, true) AS geom
        FROM basemap_feature t, bounds b
        WHERE t.theme = 'label' AND t.min_zoom <= :z AND (t.max_zoom IS NULL OR :z <= t.max_zoom)
              AND t.geom && b.merc
        ORDER BY t.min_zoom, t.id
    ) f WHERE geom IS NOT NULL"""
BOUNDS_SQL = """
    WITH bounds AS (
        SELECT ST_TileEnvelope(:z, :x, :y) AS merc, ST_TileEnvelope(:z, :x, :y, margin => 0.1) AS wide,
               ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 0.1), 4326) AS geo
    )
    SELECT {layers}"""
VERSION_SQL = "SELECT count(*), coalesce(max(id), 0) FROM basemap_feature"

_kept: OrderedDict[tuple[int, ...], bytes] = OrderedDict()
_lock = threading.Lock()


def basemap_tile(session: Session, z: int, x: int, y: int, *, actor: Actor) -> bytes:
    """One base-map tile (layers land, water, urban, rivers, roads, boundaries, labels), from memory when unchanged."""
    require(actor, "read.reference")
    check_tile(z, x, y)
    rows, last_id = session.execute(text(VERSION_SQL)).one()
    key = (z, x, y, rows, last_id)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    content = _build(session, z, x, y)
    with _lock:
        _kept[key] = content
        while len(_kept) > KEPT_TILES:
            _kept.popitem(last=False)
    return content


def _build(session: Session, z: int, x: int, y: int) -> bytes:
    max_level = max((level for level, zoom in LEVEL_FROM_ZOOM.items() if z >= zoom), default=0)
    layers = [REFERENCE_SQL.format(theme=theme) for theme in REFERENCE_THEMES] + [BOUNDARIES_SQL, LABELS_SQL]
    sql = BOUNDS_SQL.format(layers=" || ".join(f"coalesce(({layer}), ''::bytea)" for layer in layers))
    params = {
        "z": z,
        "x": x,
        "y": y,
        "extent": EXTENT,
        "buffer": BUFFER,
        "max_level": max_level,
        "tolerance": WEB_MERCATOR_METRES_PER_PIXEL_Z0 / 2**z / 2,  # half a pixel
        **{f"theme_{theme}": theme for theme in REFERENCE_THEMES},  # bound, never spelled into the SQL
    }
    return bytes(session.execute(text(sql), params).scalar() or b"")
