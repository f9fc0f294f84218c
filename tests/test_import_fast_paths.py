"""An import's own ways to admin codes and quality flags give exactly what the API's rules give the same areas.

An import of 100,000 areas finds their admin units and their overlapping pairs in memory
(app/services/importing/area_admin.py, the `shapes` path of app/services/registry/quality.py);
one area written through the API uses set-based SQL (`derive_admin_codes`, `refresh_quality`).
Here one file holds every case (a straddling area, overlaps, a duplicate, a sliver, an area
abroad, an area overlapping one already recorded) and the two ways must agree to the last digit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
from fastapi.testclient import TestClient
from shapely.geometry import box
from sqlalchemy import text

from app.db.session import new_session
from app.services.registry.admin_units import derive_admin_codes
from app.services.registry.quality import refresh_quality
from tests.factories import area_feature, square
from tests.import_files import imported, write
from tests.test_admin_units import KHARKIV_HROMADA, TSYRKUNY_HROMADA, ukraine, ukraine_saved

__all__ = ["ukraine", "ukraine_saved"]  # the fixtures, loaded once for the module

FLAGS = """
    SELECT coalesce(h.external_id, 'api'), q.kind,
           CASE WHEN q.other_area_id IS NOT NULL THEN coalesce(o.external_id, 'api') END, q.area_m2, q.detail
    FROM quality_flag q JOIN hazardous_area h ON h.id = q.hazardous_area_id
    LEFT JOIN hazardous_area o ON o.id = q.other_area_id ORDER BY 1, 2, 3"""
CODES = "SELECT coalesce(external_id, 'api'), oblast_code, raion_code, hromada_code FROM hazardous_area ORDER BY 1"


def snapshot() -> tuple[list[Any], list[Any]]:
    with new_session() as session:
        return [tuple(r) for r in session.execute(text(CODES))], [tuple(r) for r in session.execute(text(FLAGS))]


def test_imported_areas_get_the_codes_and_flags_the_api_rules_give_them(
    client: TestClient, ukraine: None, tmp_path: Path
) -> None:
    recorded = client.post(AREAS, json=area_feature(square(36.10, 49.90), reported_on="2025-01-10"))
    assert recorded.status_code == 201, recorded.text
    shapes = {
        "straddling": box(36.30, 50.054, 36.32, 50.064),  # mostly in Tsyrkuny hromada (test_admin_units)
        "west": box(36.20, 50.00, 36.21, 50.01),
        "east": box(36.205, 50.00, 36.215, 50.01),  # overlaps west by half
        "copy-a": box(36.40, 49.80, 36.41, 49.81),
        "copy-b": box(36.40, 49.80, 36.41, 49.81),  # the same polygon
        "sliver": box(36.50, 49.70, 36.50001, 49.70001),
        "abroad": box(102.6, 18.0, 102.61, 18.01),
        "on-recorded": box(36.105, 49.905, 36.115, 49.915),  # overlaps the area recorded through the API
    }
    frame = gpd.GeoDataFrame(
        {"ID": list(shapes), "Hazard Type": "Suspected Minefield", "Date of report": "2023-05-12"},
        geometry=list(shapes.values()),
        crs="EPSG:4326",
    )
    job = imported(write(frame, tmp_path / "cases.gpkg"))
    assert job.status == "done", job.error
    codes, flags = snapshot()

    by_id = {row[0]: row[1:] for row in codes}
    assert by_id["straddling"] == ("UA63", "UA6312", TSYRKUNY_HROMADA)
    assert by_id["west"] == ("UA63", "UA6312", KHARKIV_HROMADA)
    assert by_id["abroad"] == (None, None, None)
    kinds = {(area, kind, other) for area, kind, other, _, _ in flags}
    assert {("west", "overlap", "east"), ("east", "overlap", "west")} <= kinds
    assert {("copy-a", "duplicate_geometry", "copy-b"), ("copy-b", "duplicate_geometry", "copy-a")} <= kinds
    assert {k for k in kinds if "api" in k} == {("on-recorded", "overlap", "api"), ("api", "overlap", "on-recorded")}
    assert ("abroad", "outside_country", None) in kinds
    assert ("sliver", "sliver", None) in kinds

    # The same areas through the API's rules: codes derived again, flags recomputed by SQL alone.
    with new_session() as session:
        ids = list(session.scalars(text("SELECT id FROM hazardous_area")))
        session.execute(text("UPDATE hazardous_area SET oblast_code = NULL, raion_code = NULL, hromada_code = NULL"))
        session.execute(text("DELETE FROM quality_flag"))
        derive_admin_codes(session, ids)
        refresh_quality(session, ids)
        session.commit()
    assert snapshot() == (codes, flags)


AREAS = "/api/v1/hazardous-areas"
