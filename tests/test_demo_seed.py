"""Loading the synthetic demo dataset into PostGIS."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.db.session import new_session
from app.services.demo import DEMO_ORGANISATIONS, count_areas, load_demo
from gis.demo import DEMO_SOURCE, generate_hazardous_areas


def test_demo_load_is_labelled_consistent_and_reproducible(db: None) -> None:
    with new_session() as session:
        assert load_demo(session, areas=250, seed=11) == 250
        assert count_areas(session) == 250
        row = session.execute(
            text(
                """SELECT count(*) FILTER (WHERE source = :src AND notes LIKE 'SYNTHETIC%') AS labelled,
                          max(abs(original_area_m2 - ST_Area(geom::geography))) AS worst_area_error,
                          bool_and(ST_Equals(geom, remaining_geom)) AS untouched,
                          bool_and(remaining_area_m2 = original_area_m2) AS conserved,
                          bool_and(ST_IsValid(geom)) AS valid,
                          count(DISTINCT reporting_organisation_id) AS reporters
                   FROM hazardous_area"""
            ),
            {"src": DEMO_SOURCE},
        ).one()
        first = session.execute(text("SELECT external_id, original_area_m2 FROM hazardous_area ORDER BY id")).first()
        orgs = session.execute(text("SELECT count(*) FROM organisation")).scalar_one()
    assert row.labelled == 250
    # Python (pyproj) and PostGIS (geography) measure on the same ellipsoid: agreement to ~1 cm².
    assert row.worst_area_error < 0.01
    assert row.untouched and row.conserved and row.valid
    assert row.reporters == len(DEMO_ORGANISATIONS) - 1  # the authority reports no areas
    assert orgs == len(DEMO_ORGANISATIONS)
    assert first is not None and first.external_id == "DEMO-000001"
    assert first.original_area_m2 == pytest.approx(generate_hazardous_areas(250, seed=11).original_area_m2[0])
