"""The static map of a report: released and remaining land, projected and simplified by PostGIS.

Coordinates come back in page pixels (an equirectangular projection scaled by the cosine of the
middle latitude, which keeps shapes true at oblast scale). Up to `MAX_FEATURES` features a layer
is drawn as its polygons, simplified to a third of a pixel; beyond that as a grid of 4-pixel
cells weighted by m², so that a national map stays a few hundred kilobytes.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.reporting import scope
from app.reporting.filter import ReportFilter
from gis.units import METRES_PER_DEGREE

MAX_FEATURES = 3_000
CELL_PX = 4
PAD_PX = 16
MARKER_PX = 3


def map_layers(
    session: Session, flt: ReportFilter, *, width: int = 680, height: int = 560, max_features: int = MAX_FEATURES
) -> dict[str, Any]:
    """Released land, remaining SHA/CHA and settlements in page pixels, with the scale in metres per pixel.

    `mode` is "polygons" (`polygons`: SVG path data by layer) or "grid" (`cells`: x, y, the layer
    with the most m² in the cell, and the cell's m²).
    """
    p = flt.params()
    layers = {
        "released": ("r.geom", "r.area_m2", f"{scope.RELEASES_FROM} {scope.releases_where(flt)}"),
        **{
            cls: (
                "h.remaining_geom",
                "h.remaining_area_m2",
                f"FROM hazardous_area h {scope.remaining_where(flt)} AND h.classification = :v_{cls}",
            )
            for cls in ("SHA", "CHA")
        },
    }
    union = " UNION ALL ".join(
        f"SELECT CAST(:layer_{name} AS text) AS layer, count(*) AS n, ST_Extent({geom}) AS e {source}"
        for name, (geom, _, source) in layers.items()
    )
    sql = f"SELECT layer, n, ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1 FROM ({union}) l"
    p |= {f"layer_{name}": name for name in layers}  # layer names are bound, like every value
    extents = [r for r in session.execute(text(sql), p) if r.n]
    out: dict[str, Any] = {"width": width, "height": height, "mode": "polygons", "settlements": [], "boundaries": []}
    out["polygons"] = {name: [] for name in layers}
    if not extents:
        return {**out, "metres_per_px": None}
    x0, y0 = min(r.x0 for r in extents), min(r.y0 for r in extents)
    x1, y1 = max(r.x1 for r in extents), max(r.y1 for r in extents)
    pad = max(0.01, 0.06 * max(x1 - x0, y1 - y0))  # room for the settlements around the land
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    kx = math.cos(math.radians((y0 + y1) / 2))
    s = min((width - 2 * PAD_PX) / ((x1 - x0) * kx), (height - 2 * PAD_PX) / (y1 - y0))
    off_x = (width - (x1 - x0) * kx * s) / 2
    off_y = (height - (y1 - y0) * s) / 2
    # x' = (lon - x0)·kx·s + off_x ; ST_AsSVG writes -y, so y is mapped to -((y1 - lat)·s + off_y).
    affine = {"a": kx * s, "xoff": off_x - x0 * kx * s, "e": s, "yoff": -(y1 * s) - off_y}
    params = {**p, **affine, "cell": CELL_PX}
    out["metres_per_px"] = METRES_PER_DEGREE / s
    if max(r.n for r in extents) <= max_features:
        out["markers"] = {name: [] for name in layers}
        for name, (geom, _, source) in layers.items():
            # Land smaller than MARKER_PX on the page gets a marker at its centre too: a speck is no map.
            sql = f"""
                SELECT ST_AsSVG(ST_SimplifyPreserveTopology(px, 0.3), 0, 1) AS path,
                       greatest(ST_XMax(px) - ST_XMin(px), ST_YMax(px) - ST_YMin(px)) < :marker AS small,
                       (ST_XMin(px) + ST_XMax(px)) / 2 AS x, -(ST_YMin(px) + ST_YMax(px)) / 2 AS y
                FROM (SELECT ST_Affine({geom}, :a, 0, 0, :e, :xoff, :yoff) AS px {source}) g ORDER BY 1
            """
            for row in session.execute(text(sql), {**params, "marker": MARKER_PX}):
                if row.path:
                    out["polygons"][name].append(row.path)
                if row.small:
                    out["markers"][name].append((round(row.x, 1), round(row.y, 1)))
    else:
        out["mode"], out["cell"], out["cells"] = "grid", CELL_PX, _grid(session, layers, params)
    towns = session.execute(
        text("""
            SELECT name, population, ST_X(geom) * :a + :xoff AS x, -(ST_Y(geom) * :e + :yoff) AS y
            FROM settlement
            WHERE deleted_at IS NULL AND geom && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326)
            ORDER BY population DESC, id LIMIT 300
        """),
        {**affine, "x0": x0, "y0": y0, "x1": x1, "y1": y1},
    )
    out["settlements"] = [dict(t._mapping) for t in towns]
    out["boundaries"] = _boundaries(session, affine, (x0, y0, x1, y1))
    return out


def _boundaries(
    session: Session, affine: dict[str, float], box: tuple[float, float, float, float]
) -> list[dict[str, Any]]:
    """Outlines of the oblasts the map shows (and of their raions on a map smaller than about two degrees).

    Clipped to the map and simplified to half a pixel, with a label point inside each unit's visible
    part and its name in both languages; nothing when no admin units are loaded.
    """
    x0, y0, x1, y1 = box
    levels = [1, 2] if max(x1 - x0, y1 - y0) < 2 else [1]
    sql = """
        WITH clipped AS (
            SELECT level, code, name, name_en, ST_ClipByBox2D(geom, ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326)) AS g,
                   ST_Intersection(ST_Boundary(geom), ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326)) AS outline
            FROM admin_unit
            WHERE level = ANY(:levels) AND geom && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326))
        SELECT level, code, name, name_en,
               ST_AsSVG(ST_SimplifyPreserveTopology(ST_Affine(outline, :a, 0, 0, :e, :xoff, :yoff), 0.5), 0, 1)
                 AS path,
               ST_X(ST_PointOnSurface(g)) * :a + :xoff AS x, -(ST_Y(ST_PointOnSurface(g)) * :e + :yoff) AS y,
               ST_Area(g) AS size
        FROM clipped WHERE NOT ST_IsEmpty(g) AND ST_Dimension(g) = 2
        ORDER BY level DESC, code
    """
    params = {**affine, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "levels": levels}
    return [dict(r._mapping) for r in session.execute(text(sql), params) if r.path]


def _grid(
    session: Session, layers: dict[str, tuple[str, str, str]], params: dict[str, Any]
) -> list[tuple[float, float, str, float]]:
    """Cells of `CELL_PX` pixels, each with the layer holding most m² in it, and its m².

    A feature counts in the cell of its box centre; one colour per cell keeps released and
    remaining land from blending into one another.
    """
    union = " UNION ALL ".join(
        f"""SELECT CAST(:layer_{name} AS text) AS layer,
                   floor(((ST_XMin({geom}) + ST_XMax({geom})) / 2 * :a + :xoff) / :cell) * :cell AS x,
                   floor(-((ST_YMin({geom}) + ST_YMax({geom})) / 2 * :e + :yoff) / :cell) * :cell AS y,
                   {m2} AS m2 {source}"""
        for name, (geom, m2, source) in layers.items()
    )
    sql = f"SELECT x, y, layer, sum(m2) AS m2 FROM ({union}) c GROUP BY x, y, layer ORDER BY x, y, layer"
    cells: dict[tuple[float, float], dict[str, float]] = {}
    for x, y, layer, m2 in session.execute(text(sql), params):
        cells.setdefault((x, y), {})[layer] = m2
    return [(x, y, max(m, key=lambda k: m[k]), sum(m.values())) for (x, y), m in cells.items()]
