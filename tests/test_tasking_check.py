"""The deconfliction preview, `POST /api/v1/tasks/check`: what saving a task would do, nothing written.

Against real PostGIS: the overlap m² it answers is the very figure PostGIS gives for the two stored
tasks (ST_Area of the intersection as geography) and the figure a save with an override records;
the area it answers is the area the saved task gets.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.db.session import new_session
from tests.accounts import bearer
from tests.factories import LAEA, laea_feature, laea_rectangle

TASKS = "/api/v1/tasks"
CHECK = "/api/v1/tasks/check"
IN_LAEA = {"crs": {"type": "name", "properties": {"name": LAEA}}}
OVERRIDE = {"reason": "joint mechanical and manual team, agreed at the tasking meeting"}


@pytest.fixture
def ground(client: TestClient) -> dict[str, int]:
    """Two operators, two 1 km² CHAs side by side; Steppe Demining's assigned task T-1 on the west one's east 40%."""
    ids: dict[str, int] = {}
    for name in ("Steppe Demining", "Dnipro Clearance"):
        ids[name] = client.post("/api/v1/organisations", json={"name": name, "kind": "ngo"}).json()["id"]
    for key, rect in (("west", (0, 0, 1000, 1000)), ("east", (1000, 0, 2000, 1000))):
        body = laea_feature(laea_rectangle(*rect), classification="CHA", evidence=["item_seen"])
        ids[key] = client.post("/api/v1/hazardous-areas", json=body).json()["id"]
    first = body_of("T-1", ids["Steppe Demining"], [ids["west"]], status="assigned")
    first.update(geometry=laea_rectangle(600, 0, 1000, 1000), **IN_LAEA)
    response = client.post(TASKS, json=first)
    assert response.status_code == 201, response.text
    ids["T-1"] = response.json()["id"]
    return ids


def body_of(reference: str, org: int, areas: list[int], **extra: Any) -> dict[str, Any]:
    return {"reference": reference, "organisation_id": org, "hazardous_area_ids": areas, **extra}


def scalar(sql: str, **params: Any) -> Any:
    with new_session() as session:
        return session.execute(text(sql), params).scalar_one()


def task_count() -> int:
    return int(scalar("SELECT count(*) FROM task"))


def test_check_names_the_overlapping_task_its_operator_and_the_m2_postgis_gives(
    client: TestClient, ground: dict[str, int]
) -> None:
    body = body_of("T-2", ground["Dnipro Clearance"], [ground["west"]], status="assigned")
    response = client.post(CHECK, json=body)
    assert response.status_code == 200, response.text
    check = response.json()
    assert task_count() == 1  # nothing written
    assert check["outcome"] == "refused"
    [conflict] = check["conflicts"]
    assert {k: conflict[k] for k in ("task_id", "reference", "status", "organisation_id", "organisation")} == {
        "task_id": ground["T-1"],
        "reference": "T-1",
        "status": "assigned",
        "organisation_id": ground["Steppe Demining"],
        "organisation": "Steppe Demining",
    }
    # The figure PostGIS gives for T-1 against the whole west area's remaining land, to the last bit.
    expected = scalar(
        "SELECT ST_Area(ST_Intersection(t.geom, a.remaining_geom)::geography) FROM task t, hazardous_area a "
        "WHERE t.id = :task AND a.id = :area",
        task=ground["T-1"],
        area=ground["west"],
    )
    assert conflict["overlap_m2"] == expected
    assert conflict["overlap_m2"] == pytest.approx(400_000, rel=1e-3)
    # The whole area's remaining land (the union's vertex order may move the last digits; the save's is exact below).
    remaining = scalar("SELECT remaining_area_m2 FROM hazardous_area WHERE id = :id", id=ground["west"])
    assert check["area_m2"] == pytest.approx(remaining, rel=1e-12)
    assert check["hazardous_area_ids"] == [ground["west"]]
    assert check["geometry"]["type"] == "MultiPolygon"  # stored tasks are MultiPolygons

    # Saving as the check said: refused without an override, and the same figures once saved with one.
    refused = client.post(TASKS, json=body)
    assert refused.status_code == 409 and refused.json()["conflicts"][0]["overlap_m2"] == conflict["overlap_m2"]
    warned = client.post(CHECK, json={**body, "deconfliction_override": OVERRIDE}).json()
    assert warned["outcome"] == "warned" and warned["conflicts"] == check["conflicts"]
    saved = client.post(TASKS, json={**body, "deconfliction_override": OVERRIDE})
    assert saved.status_code == 201, saved.text
    new_id = saved.json()["id"]
    assert saved.json()["properties"]["area_m2"] == check["area_m2"]
    recorded = scalar("SELECT overlap_m2 FROM task_deconfliction WHERE task_id = :id", id=new_id)
    assert recorded == conflict["overlap_m2"]
    between = scalar(
        "SELECT ST_Area(ST_Intersection(a.geom, b.geom)::geography) FROM task a, task b WHERE a.id = :a AND b.id = :b",
        a=new_id,
        b=ground["T-1"],
    )
    assert between == conflict["overlap_m2"]


def test_a_drawn_part_is_clipped_to_the_area_and_measured_as_the_saved_task(
    client: TestClient, ground: dict[str, int]
) -> None:
    # 300 m west of the area's edge to 800 m into it: the part inside is 800 × 500 m, 200 × 500 m of it on T-1.
    part = laea_rectangle(-300, 0, 800, 500)
    body = body_of("T-3", ground["Dnipro Clearance"], [ground["west"]], status="assigned", geometry=part, **IN_LAEA)
    check = client.post(CHECK, json=body).json()
    assert check["area_m2"] == pytest.approx(400_000, rel=1e-4)
    [conflict] = check["conflicts"]
    assert conflict["reference"] == "T-1" and conflict["overlap_m2"] == pytest.approx(100_000, rel=1e-3)
    assert check["outcome"] == "refused"
    saved = client.post(TASKS, json={**body, "deconfliction_override": OVERRIDE}).json()
    assert saved["properties"]["area_m2"] == check["area_m2"]
    stored = scalar(
        "SELECT ST_Equals(geom, ST_SetSRID(ST_GeomFromGeoJSON(:g), 4326)) FROM task WHERE id = :id",
        g=json.dumps(check["geometry"]),
        id=saved["id"],
    )
    assert stored is True
    assert (
        scalar("SELECT overlap_m2 FROM task_deconfliction WHERE task_id = :id", id=saved["id"])
        == (conflict["overlap_m2"])
    )


def test_a_draft_is_warned_ground_clear_of_active_tasks_is_clear(client: TestClient, ground: dict[str, int]) -> None:
    draft = client.post(CHECK, json=body_of("T-4", ground["Dnipro Clearance"], [ground["west"]])).json()
    assert draft["outcome"] == "warned" and [c["reference"] for c in draft["conflicts"]] == ["T-1"]
    # The east area only shares an edge with T-1: no conflict.
    east = body_of("T-5", ground["Dnipro Clearance"], [ground["east"]], status="assigned")
    clear = client.post(CHECK, json=east).json()
    assert (clear["outcome"], clear["conflicts"]) == ("clear", [])
    assert clear["area_m2"] == pytest.approx(1_000_000, rel=1e-4)
    # A task that is no longer active is no conflict either.
    assert client.post(f"{TASKS}/{ground['T-1']}/status", json={"status": "in_progress"}).status_code == 200
    assert client.post(f"{TASKS}/{ground['T-1']}/status", json={"status": "completed"}).status_code == 200
    body = body_of("T-6", ground["Dnipro Clearance"], [ground["west"]], status="assigned")
    assert client.post(CHECK, json=body).json()["outcome"] == "clear"
    assert task_count() == 1


def test_check_refuses_what_a_save_refuses_and_writes_nothing(client: TestClient, ground: dict[str, int]) -> None:
    used = client.post(CHECK, json=body_of("T-1", ground["Dnipro Clearance"], [ground["east"]]))
    assert used.status_code == 409 and "already used" in used.json()["detail"]
    outside = body_of("T-7", ground["Dnipro Clearance"], [ground["west"]], geometry=laea_rectangle(3000, 0, 3500, 500))
    assert client.post(CHECK, json={**outside, **IN_LAEA}).status_code == 422
    assert client.post(CHECK, json=body_of("T-8", ground["Dnipro Clearance"], [999_999])).status_code == 404
    assert task_count() == 1


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_only_roles_that_create_tasks_may_check_them(
    client: TestClient, anonymous: TestClient, ground: dict[str, int], role: str
) -> None:
    body = body_of("T-9", ground["Dnipro Clearance"], [ground["west"]], status="assigned")
    org = ground["Dnipro Clearance"] if role == "operator" else None
    refused = client.post(CHECK, json=body, headers=bearer(f"{role}.check", role, org))
    assert refused.status_code == 403, refused.text
    assert anonymous.post(CHECK, json=body).status_code == 401
    coordinator = client.post(CHECK, json=body, headers=bearer("coordinator.check", "coordinator"))
    assert coordinator.status_code == 200 and coordinator.json()["outcome"] == "refused"
