"""Tasking orders: deconfliction, lifecycle and progress reports against real PostGIS."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.accounts import bearer
from tests.factories import laea_feature, laea_rectangle

TASKS = "/api/v1/tasks"


@pytest.fixture
def ground(client: TestClient) -> dict[str, int]:
    """Two operators and two 1 km² hazardous areas side by side (sharing an edge)."""
    ids = {}
    for name in ("Steppe Demining", "Dnipro Clearance"):
        ids[name] = client.post("/api/v1/organisations", json={"name": name, "kind": "ngo"}).json()["id"]
    for key, rect in (("west", (0, 0, 1000, 1000)), ("east", (1000, 0, 2000, 1000))):
        body = laea_feature(laea_rectangle(*rect), classification="CHA", evidence=["item_seen"])
        ids[key] = client.post("/api/v1/hazardous-areas", json=body).json()["id"]
    return ids


def task(client: TestClient, reference: str, org: int, areas: list[int], **extra: Any) -> Any:
    return client.post(
        TASKS, json={"reference": reference, "organisation_id": org, "hazardous_area_ids": areas, **extra}
    )


def test_task_on_a_whole_area_covers_its_remaining_land(client: TestClient, ground: dict[str, int]) -> None:
    response = task(client, "T-1", ground["Steppe Demining"], [ground["west"]], status="assigned", priority=3)
    assert response.status_code == 201, response.text
    props = response.json()["properties"]
    assert props["area_m2"] == pytest.approx(1_000_000, rel=1e-4)
    assert props["hazardous_area_ids"] == [ground["west"]]
    assert props["organisation"] == "Steppe Demining"
    assert (props["status"], props["priority"]) == ("assigned", 3)


def test_overlapping_active_task_is_409_naming_the_other_task_its_organisation_and_the_overlap(
    client: TestClient, ground: dict[str, int]
) -> None:
    task(client, "T-1", ground["Steppe Demining"], [ground["west"]], status="assigned")
    part = laea_rectangle(600, 0, 1000, 1000)  # 400,000 m² of the west area
    response = task(
        client, "T-2", ground["Dnipro Clearance"], [ground["west"]], status="assigned",
        geometry=part, crs={"type": "name", "properties": {"name": "EPSG:3035"}},
    )  # fmt: skip
    assert response.status_code == 409
    body = response.json()
    assert body["detail"].startswith("task T-2 overlaps active task T-1 of Steppe Demining (")
    assert body["conflicts"][0]["reference"] == "T-1"
    assert body["conflicts"][0]["overlap_m2"] == pytest.approx(400_000, rel=1e-3)
    assert client.get(TASKS).json()["numberReturned"] == 1  # nothing written


def test_override_with_a_reason_is_recorded(client: TestClient, ground: dict[str, int], database_url: str) -> None:
    first = task(client, "T-1", ground["Steppe Demining"], [ground["west"]], status="assigned").json()
    response = task(
        client, "T-2", ground["Dnipro Clearance"], [ground["west"]], status="assigned",
        deconfliction_override={"reason": "joint mechanical and manual team, agreed at the 3 May meeting"},
    )  # fmt: skip
    assert response.status_code == 201
    engine = create_engine(database_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT task_id, other_task_id, overlap_m2, reason FROM task_deconfliction")).one()
    engine.dispose()
    assert row.task_id == response.json()["id"] and row.other_task_id == first["id"]
    assert row.overlap_m2 == pytest.approx(1_000_000, rel=1e-4)
    assert row.reason.startswith("joint mechanical")


def test_neighbours_sharing_an_edge_do_not_conflict(client: TestClient, ground: dict[str, int]) -> None:
    assert task(client, "T-1", ground["Steppe Demining"], [ground["west"]], status="assigned").status_code == 201
    assert task(client, "T-2", ground["Dnipro Clearance"], [ground["east"]], status="assigned").status_code == 201


def test_draft_tasks_may_overlap_but_activating_one_deconflicts(client: TestClient, ground: dict[str, int]) -> None:
    task(client, "T-1", ground["Steppe Demining"], [ground["west"]], status="assigned")
    draft = task(client, "T-2", ground["Dnipro Clearance"], [ground["west"]])
    assert draft.status_code == 201 and draft.json()["properties"]["status"] == "draft"
    url = f"{TASKS}/{draft.json()['id']}/status"
    refused = client.post(url, json={"status": "assigned"})
    assert refused.status_code == 409 and "overlaps active task T-1" in refused.json()["detail"]
    assert client.get(f"{TASKS}/{draft.json()['id']}").json()["properties"]["status"] == "draft"
    # Once T-1 is completed it is no longer active: T-2 may be assigned.
    t1 = client.get(TASKS, params={"status": "assigned"}).json()["features"][0]["id"]
    for status in ("in_progress", "completed"):
        assert client.post(f"{TASKS}/{t1}/status", json={"status": status}).status_code == 200
    assigned = client.post(url, json={"status": "assigned"})
    assert assigned.status_code == 200
    assert assigned.json()["properties"]["status"] == "assigned"


def test_task_lifecycle_is_enforced(client: TestClient, ground: dict[str, int]) -> None:
    t = task(client, "T-1", ground["Steppe Demining"], [ground["west"]]).json()["id"]
    response = client.post(f"{TASKS}/{t}/status", json={"status": "completed"})
    assert response.status_code == 409
    assert response.json()["current_status"] == "draft" and response.json()["allowed"] == ["assigned"]


def test_progress_reports_add_up_and_a_late_report_never_rewinds_the_summary(
    client: TestClient, ground: dict[str, int]
) -> None:
    t = task(client, "T-1", ground["Steppe Demining"], [ground["west"]], status="assigned").json()["id"]
    early = client.post(
        f"{TASKS}/{t}/progress-reports", json={"period_start": "2025-05-01", "period_end": "2025-05-31"}
    )
    assert early.status_code == 409 and "is assigned" in early.json()["detail"]
    client.post(f"{TASKS}/{t}/status", json={"status": "in_progress"})
    july = {"period_start": "2025-07-01", "period_end": "2025-07-31", "cleared_m2": 42_000, "items_found": 7,
            "team_days": 30}  # fmt: skip
    summary = client.post(f"{TASKS}/{t}/progress-reports", json=july).json()
    assert (summary["as_of"], summary["cleared_m2"]) == ("2025-07-31", 42_000)
    june = {"period_start": "2025-06-01", "period_end": "2025-06-30", "cleared_m2": 35_500, "reduced_m2": 120_000,
            "items_found": 3, "team_days": 26}  # fmt: skip
    summary = client.post(f"{TASKS}/{t}/progress-reports", json=june).json()
    assert summary == {
        "reports": 2,
        "as_of": "2025-07-31",
        "cancelled_m2": 0,
        "reduced_m2": 120_000,
        "cleared_m2": 77_500,
        "items_found": 10,
        "team_days": 56,
    }
    overlapping = {"period_start": "2025-07-15", "period_end": "2025-08-15", "cleared_m2": 1}
    clash = client.post(f"{TASKS}/{t}/progress-reports", json=overlapping)
    assert clash.status_code == 409 and "2025-07-01..2025-07-31" in clash.json()["detail"]
    reports = client.get(f"{TASKS}/{t}/progress-reports").json()
    assert [r["period_start"] for r in reports] == ["2025-06-01", "2025-07-01"]
    assert client.get(f"{TASKS}/{t}").json()["properties"]["progress"]["cleared_m2"] == 77_500


@pytest.mark.parametrize(
    ("extra", "status", "reason"),
    [
        ({"reference": ""}, 422, "reference"),
        ({"hazardous_area_ids": []}, 422, "hazardous_area_ids"),
        ({"hazardous_area_ids": [999]}, 404, "hazardous area 999 does not exist"),
        ({"planned_start": "2025-05-01", "planned_end": "2025-04-01"}, 422, "planned_end is before planned_start"),
        ({"status": "completed"}, 422, "status"),
        ({"geometry": laea_rectangle(5000, 5000, 5100, 5100),
          "crs": {"type": "name", "properties": {"name": "EPSG:3035"}}}, 422, "does not overlap land remaining"),
    ],
)  # fmt: skip
def test_bad_task_input_is_refused_with_the_reason(
    client: TestClient, ground: dict[str, int], extra: dict[str, Any], status: int, reason: str
) -> None:
    body = {"reference": "T-9", "organisation_id": ground["Steppe Demining"], "hazardous_area_ids": [ground["west"]]}
    response = client.post(TASKS, json={**body, **extra})
    assert response.status_code == status
    assert reason in response.text
    assert client.get(TASKS).json()["numberReturned"] == 0


def test_duplicate_reference_is_409(client: TestClient, ground: dict[str, int]) -> None:
    task(client, "T-1", ground["Steppe Demining"], [ground["west"]])
    clash = task(client, "T-1", ground["Steppe Demining"], [ground["east"]])
    assert clash.status_code == 409
    assert (clash.json()["detail"], clash.json()["field"]) == ("task reference 'T-1' is already used", "reference")
    listed = client.get(TASKS).json()
    assert [f["properties"]["hazardous_area_ids"] for f in listed["features"]] == [[ground["west"]]]


def test_an_operator_cannot_pass_its_own_tasks_quality_assurance(client: TestClient, ground: dict[str, int]) -> None:
    # Regression: an operator could mark its own completed task qa_passed; QA is the authority's verdict.
    own = ground["Steppe Demining"]
    t = task(client, "T-QA", own, [ground["west"]], status="assigned").json()["id"]
    operator = bearer("steppe.ops", role="operator", organisation_id=own)
    for status in ("in_progress", "completed"):
        assert client.post(f"{TASKS}/{t}/status", json={"status": status}, headers=operator).status_code == 200
    refused = client.post(f"{TASKS}/{t}/status", json={"status": "qa_passed"}, headers=operator)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "the role operator may not pass or fail a task's quality assurance"
    assert client.get(f"{TASKS}/{t}").json()["properties"]["status"] == "completed"
    coordinator = bearer("na.coordinator", role="coordinator")
    assert client.post(f"{TASKS}/{t}/status", json={"status": "qa_passed"}, headers=coordinator).status_code == 200


def test_an_operator_cannot_work_an_area_another_organisation_is_tasked_on(
    client: TestClient, ground: dict[str, int]
) -> None:
    # Regression: an activity without a task could name any area; its releases then closed, and its
    # finds reopened, land tasked to another operator.
    task(client, "T-D", ground["Dnipro Clearance"], [ground["west"]], status="assigned")
    operator = bearer("steppe.ops", role="operator", organisation_id=ground["Steppe Demining"])
    body = {"type": "clearance", "organisation_id": ground["Steppe Demining"], "status": "ongoing",
            "actual_start": "2025-04-01", "hazardous_area_ids": [ground["west"]]}  # fmt: skip
    refused = client.post("/api/v1/activities", json=body, headers=operator)
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        f"hazardous area {ground['west']} is tasked to Dnipro Clearance (task T-D): "
        "an operator works only where it is tasked or no one is"
    )
    area = client.get(f"/api/v1/hazardous-areas/{ground['west']}").json()["properties"]
    assert area["status"] == "open"
    untasked = client.post(
        "/api/v1/activities", json={**body, "hazardous_area_ids": [ground["east"]]}, headers=operator
    )
    assert untasked.status_code == 201
