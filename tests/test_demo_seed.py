"""The synthetic demo dataset in PostGIS obeys the land-release rules it demonstrates."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db.session import new_session
from app.demo.seed import DEMO_ORGANISATIONS, count_areas, load_demo
from gis.demo.areas import DEMO_SOURCE, generate_hazardous_areas
from tests.accounts import client_for, make_account
from tests.conftest import RECORD_TABLES

AREAS = 300


@pytest.fixture(scope="module")
def demo(database_url: str) -> Iterator[Session]:
    with new_session() as session:
        load_demo(session, areas=AREAS, seed=11)
        yield session
        session.execute(text(f"TRUNCATE {RECORD_TABLES} RESTART IDENTITY CASCADE"))
        session.commit()


def scalar(session: Session, sql: str) -> object:
    return session.execute(text(sql)).scalar_one()


def test_areas_are_labelled_synthetic_and_reproducible(demo: Session) -> None:
    assert count_areas(demo) == AREAS
    labelled = scalar(
        demo, f"SELECT count(*) FROM hazardous_area WHERE source = '{DEMO_SOURCE}' AND notes LIKE 'SYNTH%'"
    )
    assert labelled == AREAS
    assert scalar(demo, "SELECT count(*) FROM organisation") == len(DEMO_ORGANISATIONS)
    first = demo.execute(text("SELECT external_id, original_area_m2 FROM hazardous_area ORDER BY id")).first()
    assert first is not None and first.external_id == "DEMO-000001"
    assert first.original_area_m2 == pytest.approx(generate_hazardous_areas(AREAS, seed=11).original_area_m2[0])
    # Same ellipsoid as PostGIS geography, which takes edges as geodesics rather than straight in lon/lat.
    assert scalar(demo, "SELECT max(abs(original_area_m2 / ST_Area(geom::geography) - 1)) FROM hazardous_area") < 1e-4


def test_there_is_work_of_every_kind(demo: Session) -> None:
    kinds = dict(demo.execute(text("SELECT kind, count(*) FROM release GROUP BY kind")).all())
    assert set(kinds) == {"cancelled", "reduced", "cleared"}
    statuses = dict(demo.execute(text("SELECT status, count(*) FROM hazardous_area GROUP BY 1")).all())
    assert statuses["open"] > 0 and statuses["worked_on"] > 0 and statuses["closed"] > 0
    assert scalar(demo, "SELECT count(*) FROM device_found") > 0
    assert scalar(demo, "SELECT count(*) FROM accident") > 0
    assert scalar(demo, "SELECT count(*) FROM victim") >= scalar(demo, "SELECT count(*) FROM accident")
    assert scalar(demo, "SELECT count(DISTINCT organisation_id) FROM task") >= 3


def test_every_area_conserves_its_m2(demo: Session) -> None:
    worst = scalar(
        demo,
        """SELECT max(abs(h.original_area_m2 - h.remaining_area_m2 - coalesce(r.released, 0)) / h.original_area_m2)
           FROM hazardous_area h
           LEFT JOIN (SELECT hazardous_area_id, sum(area_m2) AS released FROM release GROUP BY 1) r
             ON r.hazardous_area_id = h.id""",
    )
    assert worst < 1e-9


def test_remaining_geometry_is_the_original_minus_the_union_of_releases(demo: Session) -> None:
    worst = scalar(
        demo,
        """SELECT max(ST_Area(ST_SymDifference(h.remaining_geom, ST_Difference(h.geom, r.released))))
           FROM hazardous_area h
           JOIN (SELECT hazardous_area_id, ST_Union(geom) AS released FROM release GROUP BY 1) r
             ON r.hazardous_area_id = h.id""",
    )
    assert worst < 1e-12  # degrees²: about 0.01 m²


def test_status_follows_the_account(demo: Session) -> None:
    rows = demo.execute(
        text(
            """SELECT h.status, h.remaining_area_m2 < 1 AS exhausted, count(r.id) > 0 AS released
               FROM hazardous_area h LEFT JOIN release r ON r.hazardous_area_id = h.id
               GROUP BY h.id"""
        )
    ).all()
    for status, exhausted, released in rows:
        assert (status == "closed") == exhausted
        if status == "open":
            assert not released


def test_release_kind_fits_the_activity_and_rates_are_realistic(demo: Session) -> None:
    misfits = scalar(
        demo,
        """SELECT count(*) FROM release r JOIN activity a ON a.id = r.activity_id
           WHERE (a.type, r.kind) NOT IN (('nts', 'cancelled'), ('ts', 'reduced'),
                                          ('clearance', 'cleared'), ('bac', 'cleared'))""",
    )
    assert misfits == 0
    rates = demo.execute(
        text(
            """SELECT a.type, min(s.m2 / a.team_days), max(s.m2 / a.team_days)
               FROM activity a JOIN (SELECT activity_id, sum(area_m2) m2 FROM release GROUP BY 1) s
                 ON s.activity_id = a.id
               WHERE a.type IN ('clearance', 'bac') AND s.m2 > 2000 GROUP BY a.type"""
        )
    ).all()
    for _, low, high in rates:
        assert low > 100 and high < 4_000  # m² per team-day, clearance a few hundred to a few thousand


def test_no_two_active_tasks_overlap(demo: Session) -> None:
    overlaps = scalar(
        demo,
        """SELECT count(*) FROM task a JOIN task b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
           WHERE a.status IN ('assigned', 'in_progress', 'suspended')
             AND b.status IN ('assigned', 'in_progress', 'suspended')
             AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1""",
    )
    assert overlaps == 0


def test_finds_lie_in_their_areas(demo: Session) -> None:
    outside = scalar(
        demo,
        """SELECT count(*) FROM device_found d JOIN hazardous_area h ON h.id = d.hazardous_area_id
           WHERE NOT ST_DWithin(d.geom::geography, h.geom::geography, 1)""",
    )
    assert outside == 0


def test_the_demo_can_be_ranked_under_every_default_scenario(demo: Session) -> None:
    # Regression: remaining land that is valid in lon/lat could turn invalid in the local projection.
    from app.main import app

    demo.commit()  # end this session's read transaction: the API works on its own connections
    client = client_for(app, make_account("viewer"))
    for scenario in ("humanitarian", "agricultural recovery", "infrastructure"):
        response = client.get("/api/v1/priorities", params={"scenario": scenario, "limit": 5})
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert [i["rank"] for i in items] == [1, 2, 3, 4, 5]
        assert items[0]["score"] >= items[-1]["score"] > 0
