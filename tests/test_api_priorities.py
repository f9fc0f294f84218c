"""Priorities through the API against real PostGIS: scenarios, versions, runs, ranking, CSV, compare."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import pytest
import shapely
from fastapi.testclient import TestClient
from pyproj import Transformer
from shapely.geometry import Point, box
from sqlalchemy import create_engine, text

from gis.priorities import LOCAL_CRS
from tests.factories import LAEA_X0, LAEA_Y0, if_match, laea_feature, laea_rectangle

PRIORITIES = "/api/v1/priorities"
SCENARIOS = "/api/v1/priority-scenarios"


@pytest.fixture
def world(client: TestClient, database_url: str) -> dict[str, int]:
    """Three 100 m x 100 m areas near Kharkiv; a settlement and a school next to the first."""
    ids = {}
    specs = {
        "beside_town": dict(classification="CHA", evidence=["item_seen"], contamination_types=["ap_mine"]),
        "isolated": dict(classification="SHA", contamination_types=["uxo"]),
        "self_deactivating": dict(classification="SHA", contamination_types=["uxo"],
                                  device_persistence="self_deactivating", emplacement_date="2024-12-01"),
    }  # fmt: skip
    for n, (name, spec) in enumerate(specs.items()):
        x = [0, 30_000, 60_000][n]
        body = laea_feature(laea_rectangle(x, 0, x + 100, 100), name=name, **spec)
        ids[name] = client.post("/api/v1/hazardous-areas", json=body).json()["id"]
    engine = create_engine(database_url)
    with engine.begin() as conn:
        # 20,000 people 1 km from the first area; a school 300 m from it (EPSG:3035 metres near Kharkiv).
        conn.execute(
            text(
                """INSERT INTO settlement (name, population, geom, created_by, updated_by)
                   VALUES ('Town', 20000, ST_Transform(ST_SetSRID(ST_MakePoint(6153000 + 1100, 3320000 + 50), 3035),
                           4326), 't', 't')"""
            )
        )
        conn.execute(
            text(
                """INSERT INTO context_feature (layer, name, geom, created_by, updated_by)
                   VALUES ('school', 'School 1', ST_Transform(ST_SetSRID(ST_MakePoint(6153000 + 400, 3320000 + 50),
                           3035), 4326), 't', 't')"""
            )
        )
    engine.dispose()
    weights = {"population": 30, "services": 20, "device_severity": 10, "evidence": 10}
    assert client.post(SCENARIOS, json={"name": "test", "weights": weights}).status_code == 201
    return ids


def local_distance(x: float, y: float) -> float:
    """Distance from the first area to a point given in EPSG:3035 metres, in the criteria's projection."""
    to_local = Transformer.from_crs(3035, LOCAL_CRS, always_xy=True)
    square = shapely.transform(box(LAEA_X0, LAEA_Y0, LAEA_X0 + 100, LAEA_Y0 + 100), to_local.transform,
                               interleaved=False)  # fmt: skip
    return float(square.distance(Point(to_local.transform(LAEA_X0 + x, LAEA_Y0 + y))))


def ranked(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(PRIORITIES, params={"scenario": "test", **params})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_ranking_explains_every_score(client: TestClient, world: dict[str, int]) -> None:
    body = ranked(client)
    assert (body["scenario"], body["scenario_version"]) == ("test", 1)
    items = body["items"]
    assert items[0]["hazardous_area_id"] == world["beside_town"]
    first = items[0]
    # About 1 km from a town of 20,000 and 300 m from a school, measured as the criteria measure.
    town, school = local_distance(1_100, 50), local_distance(400, 50)
    assert town == pytest.approx(1_000, rel=0.02) and school == pytest.approx(300, rel=0.02)
    population = 1 - math.exp(-(20_000 * (1 - town / 10_000)) / 10_000)
    services = 1 - math.exp(-(1 - school / 1_000))
    assert first["contributions"]["population"] == pytest.approx(30 * population, rel=1e-3)
    assert first["contributions"]["services"] == pytest.approx(20 * services, rel=1e-3)
    assert first["contributions"]["device_severity"] == pytest.approx(10.0)
    assert first["contributions"]["evidence"] == pytest.approx(10 * (0.6 + 0.4 * 0.5))
    assert first["score"] == pytest.approx(sum(first["contributions"].values()), rel=1e-12)
    assert [i["rank"] for i in items] == [1, 2, 3]


def test_self_deactivating_devices_do_not_lower_a_score(client: TestClient, world: dict[str, int]) -> None:
    items = {i["hazardous_area_id"]: i for i in ranked(client)["items"]}
    assert items[world["self_deactivating"]]["score"] == items[world["isolated"]]["score"]
    # Ties break by id: the earlier-recorded area ranks first.
    assert items[world["isolated"]]["rank"] < items[world["self_deactivating"]]["rank"]


def test_changing_a_weight_makes_a_new_version_and_reorders(client: TestClient, world: dict[str, int]) -> None:
    ranked(client)
    scenario = client.get(SCENARIOS).json()[0]
    # Make returns decisive: the isolated area gets 500 expected returnees.
    isolated = f"/api/v1/hazardous-areas/{world['isolated']}"
    client.patch(isolated, json={"properties": {"returnees_expected": 500}}, headers=if_match(client, isolated))
    url = f"{SCENARIOS}/{scenario['id']}"
    response = client.patch(url, json={"weights": {"returns": 100}, "note": "returns"}, headers=if_match(client, url))
    assert response.json()["version"] == 2
    body = ranked(client)
    assert body["scenario_version"] == 2
    assert body["items"][0]["hazardous_area_id"] == world["isolated"]
    versions = client.get(f"{SCENARIOS}/{scenario['id']}/versions").json()
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["weights"]["population"] == 30 and versions[1]["weights"] == {"returns": 100}


def test_a_release_rescores_only_its_area_and_closing_it_removes_it(
    client: TestClient, world: dict[str, int], database_url: str
) -> None:
    ranked(client)
    org = client.post("/api/v1/organisations", json={"name": "Op", "kind": "ngo"}).json()["id"]
    activity = client.post(
        "/api/v1/activities",
        json={"type": "clearance", "organisation_id": org, "hazardous_area_ids": [world["beside_town"]],
              "status": "ongoing", "actual_start": "2025-06-01"},
    ).json()["id"]  # fmt: skip
    release = laea_feature(
        laea_rectangle(-10, -10, 110, 110), activity_id=activity, kind="cleared",
        hazardous_area_id=world["beside_town"], method="manual", released_on="2025-06-10",
    )  # fmt: skip
    assert client.post("/api/v1/releases", json=release).status_code == 201
    body = ranked(client)
    assert world["beside_town"] not in [i["hazardous_area_id"] for i in body["items"]]
    engine = create_engine(database_url)
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT kind, areas_scored FROM priority_run ORDER BY id")).all()
    engine.dispose()
    # Scores follow each write: the activity moved the area to worked on, the release closed it.
    assert [tuple(r) for r in runs] == [("full", 3), ("incremental", 1), ("incremental", 0)]


def test_front_line_gate(client: TestClient, world: dict[str, int], database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                """INSERT INTO context_feature (layer, geom, created_by, updated_by) VALUES ('front_line',
                   ST_Transform(ST_SetSRID(ST_MakeLine(ST_MakePoint(6103000, 3310000), ST_MakePoint(6163000, 3310000)),
                   3035), 4326), 't', 't')"""
            )
        )
    engine.dispose()
    scenario = client.get(SCENARIOS).json()[0]
    url = f"{SCENARIOS}/{scenario['id']}"
    client.patch(url, json={"parameters": {"front_line_gate_km": 20}}, headers=if_match(client, url))
    items = ranked(client)["items"]
    gated = [i for i in items if i["gated"]]
    assert [i["hazardous_area_id"] for i in gated] == [world["beside_town"]]  # 10 km from the line
    assert items[-1]["hazardous_area_id"] == world["beside_town"]  # gated areas rank last
    assert gated[0]["gated"].startswith("within 20 km of the line of contact (")  # about 10 km


def test_csv_export_and_compare(client: TestClient, world: dict[str, int]) -> None:
    client.post(SCENARIOS, json={"name": "cheap first", "weights": {"feasibility": 50, "returns": 1}})
    response = client.get(PRIORITIES, params={"scenario": "test", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert int(rows[0]["hazardous_area_id"]) == world["beside_town"]
    assert float(rows[0]["contribution_device_severity"]) == pytest.approx(10.0)
    assert rows[0]["scenario_version"] == "1"
    compared = client.get(f"{PRIORITIES}/compare", params={"scenario": "test", "other": "cheap first"}).json()
    first = compared["items"][0]
    assert first["hazardous_area_id"] == world["beside_town"]
    # CHA at 2.5 USD/m² is the costliest: last under "cheap first".
    assert (first["rank"], first["other_rank"], first["change"]) == (1, 3, -2)


@pytest.mark.parametrize(
    ("body", "status", "field", "reason"),
    [
        ({"name": "x", "weights": {"beauty": 3}}, 422, "weights", "unknown criteria beauty"),
        ({"name": "x", "weights": {"population": -1}}, 422, "weights", "finite and ≥ 0"),
        (
            {"name": "x", "weights": {"population": 1}, "parameters": {"speed": 3}},
            422,
            "parameters",
            "unknown parameter(s) speed",
        ),
        ({"name": "test", "weights": {"population": 1}}, 409, "name", "a scenario named 'test' already exists"),
    ],
)
def test_bad_scenarios_are_refused_with_the_reason(
    client: TestClient, world: dict[str, int], body: dict[str, Any], status: int, field: str, reason: str
) -> None:
    response = client.post(SCENARIOS, json=body)
    assert response.status_code == status, response.text
    assert reason in response.json()["detail"]
    assert response.json()["field"] == field
    assert [s["name"] for s in client.get(SCENARIOS).json()] == ["test"]  # nothing stored


def test_unknown_scenario_lists_the_known_ones(client: TestClient, world: dict[str, int]) -> None:
    response = client.get(PRIORITIES, params={"scenario": "nope"})
    assert response.status_code == 404
    assert "there are: test" in response.json()["detail"]


def test_reading_the_ranking_writes_nothing(client: TestClient, world: dict[str, int], database_url: str) -> None:
    # Regression: GET /priorities (and compare, rank bands) rescored queued areas and committed.
    ranked(client)
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO priority_stale (hazardous_area_id) VALUES (:id)"), {"id": world["isolated"]})
    reads = [
        client.get(PRIORITIES, params={"scenario": "test"}),
        client.get(f"{PRIORITIES}/compare", params={"scenario": "test", "other": "test"}),
        client.get("/api/v1/dashboard/rank-bands", params={"scenario": "test"}),
    ]
    assert [r.status_code for r in reads] == [200, 200, 200]
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT kind, areas_scored FROM priority_run ORDER BY id")).all()
        queued = conn.execute(text("SELECT hazardous_area_id FROM priority_stale")).scalars().all()
    engine.dispose()
    assert [tuple(r) for r in runs] == [("full", 3)]
    assert queued == [world["isolated"]]
    # The next write brings the queued area up to date.
    beside_town = f"/api/v1/hazardous-areas/{world['beside_town']}"
    client.patch(beside_town, json={"properties": {"name": "renamed"}}, headers=if_match(client, beside_town))
    engine = create_engine(database_url)
    with engine.connect() as conn:
        last = conn.execute(text("SELECT kind, areas_scored FROM priority_run ORDER BY id DESC LIMIT 1")).one()
        left = conn.execute(text("SELECT count(*) FROM priority_stale")).scalar()
    engine.dispose()
    assert tuple(last) == ("incremental", 2) and left == 0


def test_concurrent_rankings_after_a_scenario_change_never_conflict(client: TestClient, world: dict[str, int]) -> None:
    # Regression: concurrent GETs after a new scenario version each ran the full run and collided
    # on pk_priority_current (409). The version is now scored by the write that made it.
    from concurrent.futures import ThreadPoolExecutor

    scenario = client.get(SCENARIOS).json()[0]
    url = f"{SCENARIOS}/{scenario['id']}"
    assert client.patch(url, json={"weights": {"returns": 100}}, headers=if_match(client, url)).status_code == 200
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda _: client.get(PRIORITIES, params={"scenario": "test"}), range(12)))
    assert {a.status_code for a in answers} == {200}
    assert {a.json()["scenario_version"] for a in answers} == {2}
    assert {a.json()["total"] for a in answers} == {3}


def test_a_write_never_waits_for_another_requests_scoring(
    client: TestClient, world: dict[str, int], database_url: str
) -> None:
    # Regression: a write blocked on the scoring lock while a long run held it (its data already
    # committed, its answer not sent). Now it leaves its areas queued for the scorer in progress.
    import threading

    from app.services.priorities.ranking import SCORING_LOCK

    engine = create_engine(database_url)
    answers: list[Any] = []
    isolated = f"/api/v1/hazardous-areas/{world['isolated']}"
    read = if_match(client, isolated)
    with engine.connect() as scorer:
        scorer.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SCORING_LOCK})  # "a long run in progress"
        try:
            write = threading.Thread(
                target=lambda: answers.append(client.patch(isolated, json={"properties": {"name": "x"}}, headers=read))
            )
            write.start()
            write.join(timeout=20)
            assert not write.is_alive(), "the write waited for the scoring lock"
            queued = scorer.execute(text("SELECT hazardous_area_id FROM priority_stale")).scalars().all()
        finally:
            scorer.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SCORING_LOCK})
            scorer.commit()
    assert answers[0].status_code == 200
    assert queued == [world["isolated"]]
    beside_town = f"/api/v1/hazardous-areas/{world['beside_town']}"
    client.patch(beside_town, json={"properties": {"name": "y"}}, headers=if_match(client, beside_town))
    with engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM priority_stale")).scalar()
        last = conn.execute(text("SELECT areas_scored FROM priority_run ORDER BY id DESC LIMIT 1")).scalar()
    engine.dispose()
    assert left == 0 and last == 2  # the next write scored both areas


def test_without_scenarios_writes_leave_no_queue_behind(client: TestClient, database_url: str) -> None:
    # Regression: with no scenario the queue was emptied and then rolled back, so it only grew.
    body = laea_feature(laea_rectangle(0, 0, 100, 100), classification="SHA")
    assert client.post("/api/v1/hazardous-areas", json=body).status_code == 201
    engine = create_engine(database_url)
    with engine.connect() as conn:
        queued = conn.execute(text("SELECT count(*) FROM priority_stale")).scalar()
    engine.dispose()
    assert queued == 0
