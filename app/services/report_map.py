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

from app.services import report_scope as scope
from app.services.report_scope import ReportFilter

MAX_FEATURES = 3_000
CELL_PX = 4
PAD_PX = 16
METRES_PER_DEGREE = 111_320.0


def map_layers(session: Session, flt: ReportFilter, *, width: int = 680, height: int = 560) -> dict[str, Any]:
    """Released land, remaining SHA/CHA and settlements in page pixels, with the scale in metres per pixel."""
    p = flt.params()
    released_from = f"{scope.RELEASES_FROM} {scope.releases_where(flt)}"
    remaining_from = f"FROM hazardous_area h {scope.remaining_where(flt)}"
    extent = session.execute(
        text(f"""
            SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
            FROM (SELECT ST_Extent(g) AS e FROM (
                SELECT r.geom AS g {released_from} UNION ALL SELECT h.remaining_geom {remaining_from}) layers) box
        """),
        p,
    ).one()
    out: dict[str, Any] = {"width": width, "height": height, "released": None, "remaining": {}, "settlements": []}
    if extent.x0 is None:
        return {**out, "metres_per_px": None}
    pad = max(0.01, 0.06 * max(extent.x1 - extent.x0, extent.y1 - extent.y0))  # room for nearby settlements
    x0, y0, x1, y1 = extent.x0 - pad, extent.y0 - pad, extent.x1 + pad, extent.y1 + pad
    kx = math.cos(math.radians((y0 + y1) / 2))
    s = min((width - 2 * PAD_PX) / ((x1 - x0) * kx), (height - 2 * PAD_PX) / (y1 - y0))
    off_x = (width - (x1 - x0) * kx * s) / 2
    off_y = (height - (y1 - y0) * s) / 2
    # x' = (lon - x0)·kx·s + off_x ; ST_AsSVG writes -y, so y is mapped to -((y1 - lat)·s + off_y).
    affine = {"a": kx * s, "xoff": off_x - x0 * kx * s, "e": s, "yoff": -(y1 * s) - off_y}
    to_px = "ST_Affine({g}, :a, 0, 0, :e, :xoff, :yoff)"
    params = {**p, **affine, "cell": CELL_PX}
    out["metres_per_px"] = METRES_PER_DEGREE / s
    out["released"] = _layer(session, "r.geom", "r.area_m2", released_from, to_px, params)
    for cls in ("SHA", "CHA"):
        where = f"{remaining_from} AND h.classification = '{cls}'"
        out["remaining"][cls] = _layer(session, "h.remaining_geom", "h.remaining_area_m2", where, to_px, params)
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
    return out


def _layer(session: Session, geom: str, m2: str, source: str, to_px: str, params: dict[str, Any]) -> Any:
    """Polygons as SVG path data, or grid cells (x, y, m²) when the layer is too big to draw one by one."""
    count = session.execute(text(f"SELECT count(*) {source}"), params).scalar_one()
    if count <= MAX_FEATURES:
        sql = f"""
            SELECT ST_AsSVG(ST_SimplifyPreserveTopology({to_px.format(g=geom)}, 0.3), 0, 1) AS path
            {source} ORDER BY 1
        """
        return {"mode": "polygons", "paths": [r.path for r in session.execute(text(sql), params) if r.path]}
    sql = f"""
        SELECT floor(((ST_XMin({geom}) + ST_XMax({geom})) / 2 * :a + :xoff) / :cell) * :cell AS x,
               floor(-((ST_YMin({geom}) + ST_YMax({geom})) / 2 * :e + :yoff) / :cell) * :cell AS y,
               sum({m2}) AS m2
        {source} GROUP BY 1, 2 ORDER BY 1, 2
    """
    return {"mode": "grid", "cell": CELL_PX, "cells": [tuple(r) for r in session.execute(text(sql), params)]}
