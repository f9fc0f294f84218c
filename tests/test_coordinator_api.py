"""The coordinator's questions through the API the dashboard reads: reasons in units, who works where, accidents.

Figures are checked against SQL written here, independently of the services (docs/dashboard.md).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.db.session import new_session
from app.demo.seed import load_demo
from tests.accounts import client_for, make_account

KHARKIV = "UA63"


@pytest.fixture
def demo(db: None) -> None:
    with new_session() as session:
        load_demo(session, areas=300, seed=7)


def scalar(sql: str, **params: Any) -> Any:
    with new_session() as session:
        return session.execute(text(sql), params).scalar()


def test_the_list_gives_reasons_in_units_operators_and_names(demo: None, client: TestClient) -> None:
    answer = client.get("/api/v1/priorities", params={"oblast_code": KHARKIV, "limit": 10, "lang": "uk"})
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert len(items) == 10 and [r["rank"] for r in items] == list(range(1, 11))
    for row in items:
        area = row["hazardous_area_id"]
        people = scalar(
            "SELECT coalesce(sum(s.population), 0) FROM settlement s, hazardous_area h WHERE h.id = :a "
            "AND s.deleted_at IS NULL AND ST_DWithin(s.geom::geography, h.remaining_geom::geography, 10000)",
            a=area,
        )
        assert row["facts"]["people"] == people and row["facts"]["people_reach_km"] == 10
        assert row["facts"]["farmland_ha"] == pytest.approx(row["inputs"]["farmland"] / 10_000, abs=0.01)
        assert row["facts"]["cost_usd"] == round(row["inputs"]["feasibility"])
        tasks = scalar(
            "SELECT count(*) FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id "
            "WHERE ta.hazardous_area_id = :a AND t.deleted_at IS NULL "
            "AND t.status IN ('assigned', 'in_progress', 'suspended')",
            a=area,
        )
        assert len(row["active_tasks"]) == tasks
        assert row["other_operator_task"] == (tasks > 0)  # the admin works for no operator: any task is another's
        assert "Харківська" in row["place"] and "UA63" not in row["place"]
        assert all(not c.islower() or "_" not in c for c in row["contamination"])


def test_active_task_of_another_operator_filter(demo: None, client: TestClient) -> None:
    busy = scalar(
        "SELECT count(DISTINCT ta.hazardous_area_id) FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id "
        "JOIN priority_current c ON c.hazardous_area_id = ta.hazardous_area_id "
        "JOIN priority_scenario s ON s.id = c.scenario_id AND s.name = 'humanitarian' "
        "WHERE t.deleted_at IS NULL AND t.status IN ('assigned', 'in_progress', 'suspended')"
    )
    assert busy > 0
    answer = client.get("/api/v1/priorities", params={"active_task_not_of": 0, "limit": 500}).json()
    assert answer["total"] == busy and all(r["other_operator_task"] for r in answer["items"])
    # The map and the figures take the same filter.
    headline = client.get("/api/v1/dashboard/headline", params={"active_task_not_of": 0}).json()
    assert headline["areas"] == scalar(
        "SELECT count(DISTINCT ta.hazardous_area_id) FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id "
        "JOIN hazardous_area h ON h.id = ta.hazardous_area_id AND h.deleted_at IS NULL "
        "WHERE t.deleted_at IS NULL AND t.status IN ('assigned', 'in_progress', 'suspended')"
    )
    assert client.get("/tiles/hazardous-areas/6/38/22.mvt", params={"active_task_not_of": 0}).status_code in (200, 204)
    # An operator's own tasks are not "another operator's".
    org, own_only = (
        scalar(
            "SELECT t.organisation_id FROM task t WHERE t.status IN ('assigned', 'in_progress', 'suspended') "
            "AND t.deleted_at IS NULL ORDER BY t.id LIMIT 1"
        ),
        None,
    )
    others = scalar(
        "SELECT count(DISTINCT ta.hazardous_area_id) FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id "
        "JOIN priority_current c ON c.hazardous_area_id = ta.hazardous_area_id "
        "JOIN priority_scenario s ON s.id = c.scenario_id AND s.name = 'humanitarian' "
        "WHERE t.deleted_at IS NULL AND t.status IN ('assigned', 'in_progress', 'suspended') "
        "AND t.organisation_id <> :o",
        o=org,
    )
    operator = make_account("operator", username="op.other", organisation_id=org)
    from app.main import app

    with client_for(app, operator) as op_client:
        mine = op_client.get("/api/v1/priorities", params={"active_task_not_of": org, "limit": 500}).json()
    assert mine["total"] == others and own_only is None
    for row in mine["items"]:
        assert row["other_operator_task"] == any(t["organisation_id"] != org for t in row["active_tasks"])


def test_area_details_rank_any_area_with_coordinates_mgrs_and_history(demo: None, client: TestClient) -> None:
    # The 60th area of Kharkiv oblast: beyond the first page of 50 it still has its rank.
    page = client.get("/api/v1/priorities", params={"oblast_code": KHARKIV, "limit": 1, "offset": 59}).json()
    area = page["items"][0]["hazardous_area_id"]
    d = client.get(f"/api/v1/dashboard/areas/{area}", params={"scenario": "humanitarian", "oblast_code": KHARKIV})
    assert d.status_code == 200, d.text
    details = d.json()
    assert details["priority"]["rank"] == 60
    assert details["priority"]["national_rank"] == page["items"][0]["national_rank"]
    assert details["priority"]["facts"]["people"] >= 0
    lat, lon = (
        scalar("SELECT ST_Y(ST_PointOnSurface(geom)) FROM hazardous_area WHERE id = :a", a=area),
        scalar("SELECT ST_X(ST_PointOnSurface(geom)) FROM hazardous_area WHERE id = :a", a=area),
    )
    assert details["coordinates"]["lat"] == pytest.approx(lat, abs=1e-6)
    assert details["coordinates"]["lon"] == pytest.approx(lon, abs=1e-6)
    import mgrs

    assert details["coordinates"]["mgrs"].replace(" ", "") == mgrs.MGRS().toMGRS(lat, lon, MGRSPrecision=5)
    assert details["history"][0]["event"] == "reported"
    uk = client.get(f"/api/v1/dashboard/areas/{area}", params={"lang": "uk"}).json()
    assert "повідомлено" in uk["history"][0]["summary"]
    assert uk["priority"] is None  # no scenario asked


def test_map_fits_the_oblast_from_its_boundary(demo: None, client: TestClient) -> None:
    answer = client.get("/api/v1/dashboard/extent", params={"oblast_code": KHARKIV}).json()
    expected = [
        scalar(f"SELECT ST_{f}(ST_Extent(geom)) FROM admin_unit WHERE code = :c", c=KHARKIV)
        for f in ("XMin", "YMin", "XMax", "YMax")
    ]
    assert answer["source"] == "admin_unit" and answer["bounds"] == pytest.approx(expected)
    assert client.get("/api/v1/dashboard/extent").json()["bounds"] is None  # no filter: the view stays


def test_accidents_follow_the_filters_and_dates(demo: None, client: TestClient) -> None:
    everything = client.get("/api/v1/dashboard/accidents.geojson").json()["features"]
    assert everything
    since = "2025-01-01"
    recent = client.get("/api/v1/dashboard/accidents.geojson", params={"occurred_from": since}).json()["features"]
    assert len(recent) == scalar(
        "SELECT count(*) FROM accident WHERE deleted_at IS NULL AND occurred_on >= :d",
        d=__import__("datetime").date(2025, 1, 1),
    )
    in_kharkiv = client.get("/api/v1/dashboard/accidents.geojson", params={"oblast_code": KHARKIV}).json()["features"]
    assert len(in_kharkiv) == scalar(
        "SELECT count(*) FROM accident a JOIN admin_unit u ON u.code = :c AND ST_Intersects(u.geom, a.geom) "
        "WHERE a.deleted_at IS NULL",
        c=KHARKIV,
    )
    assert 0 < len(in_kharkiv) < len(everything)
    wrong = client.get(
        "/api/v1/dashboard/accidents.geojson", params={"occurred_from": "2025-02-01", "occurred_to": "2025-01-01"}
    )
    assert wrong.status_code == 422
