"""The audit trail: one entry per write, each change with its values before and after; restore."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.testclient import TestClient

from tests.accounts import bearer
from tests.factories import if_match, laea_feature, laea_rectangle

AREAS = "/api/v1/hazardous-areas"
AUDIT = "/api/v1/audit"


def trail(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    answer = client.get(AUDIT, params={"limit": 1000, **params})
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def test_a_correction_is_recorded_with_who_what_and_the_values_before_and_after(client: TestClient) -> None:
    # Regression: a geometry or attribute correction left no trace of what it replaced.
    area = client.post(AREAS, json=laea_feature(laea_rectangle(0, 0, 1000, 1000), classification="SHA", name="Field 7"))
    url = f"{AREAS}/{area.json()['id']}"
    before = client.get(url).json()["properties"]
    correction = {**laea_feature(laea_rectangle(0, 0, 900, 1000)), "properties": {"name": "Field 7 (north)"}}
    assert client.patch(url, json=correction, headers=if_match(client, url, **bearer("im.officer"))).status_code == 200
    [entry] = trail(client, user="im.officer")
    assert entry["request"] == f"PATCH {url}"
    [change] = entry["changes"]
    assert (change["entity"], change["record_id"], change["action"]) == ("hazardous_area", area.json()["id"], "update")
    assert (change["before"]["name"], change["after"]["name"]) == ("Field 7", "Field 7 (north)")
    assert change["before"]["original_area_m2"] == before["original_area_m2"]
    assert abs(change["after"]["original_area_m2"] - 900_000) < 1  # 900 m x 1,000 m
    assert change["before"]["geom"]["wkb_sha256"] != change["after"]["geom"]["wkb_sha256"]
    assert set(change["before"]) == set(change["after"])  # only what changed, on both sides


def test_each_write_is_one_entry_and_reads_leave_none(client: TestClient) -> None:
    def entries() -> int:
        return len(trail(client))

    area = client.post(AREAS, json=laea_feature(laea_rectangle(0, 0, 1000, 1000), classification="SHA"))
    area_id = area.json()["id"]
    assert entries() == 1
    org = client.post("/api/v1/organisations", json={"name": "Op", "kind": "ngo"}).json()["id"]
    assert entries() == 2
    activity = client.post(
        "/api/v1/activities",
        json={"type": "nts", "organisation_id": org, "hazardous_area_ids": [area_id], "status": "ongoing",
              "actual_start": "2025-06-01", "methods": ["nts"]},
    ).json()["id"]  # fmt: skip
    assert entries() == 3  # the activity, its area moved to worked on, and the status event: one entry
    release = laea_feature(laea_rectangle(0, 0, 400, 1000), activity_id=activity, hazardous_area_id=area_id,
                           kind="cancelled", method="nts", released_on="2025-06-10")  # fmt: skip
    assert client.post("/api/v1/releases", json=release).status_code == 201
    [last] = trail(client)[-1:]
    assert last["request"] == "POST /api/v1/releases"
    assert {(c["entity"], c["action"]) for c in last["changes"]} == {
        ("release", "create"),
        ("hazardous_area", "update"),
    }
    account = next(c for c in last["changes"] if c["entity"] == "hazardous_area")
    assert abs(account["before"]["remaining_area_m2"] - account["after"]["remaining_area_m2"] - 400_000) < 1
    for read in (AREAS, f"{AREAS}/{area_id}", "/api/v1/priorities", "/api/v1/dashboard/headline", AUDIT):
        client.get(read)
    assert entries() == 4


def test_restoring_a_deleted_area_brings_back_exactly_what_was_there(client: TestClient) -> None:
    area = client.post(AREAS, json=laea_feature(laea_rectangle(0, 0, 1000, 1000), classification="CHA", name="K-9"))
    url = f"{AREAS}/{area.json()['id']}"
    before = client.get(url).json()
    deleted = client.delete(url, params={"reason": "duplicate"}, headers=if_match(client, url, **bearer("na.im")))
    assert deleted.status_code == 204
    assert client.get(url).status_code == 410
    restored = client.post(f"{url}/restore", headers=bearer("na.admin"))
    assert restored.status_code == 200, restored.text
    after = client.get(url).json()
    volatile = {"updated_at", "updated_by"}
    assert {k: v for k, v in after["properties"].items() if k not in volatile} == {
        k: v for k, v in before["properties"].items() if k not in volatile
    }
    assert after["geometry"] == before["geometry"]
    actions = [(e["user_name"], c["action"]) for e in trail(client, record_id=area.json()["id"]) for c in e["changes"]]
    assert actions == [("im.admin", "create"), ("na.im", "delete"), ("na.admin", "restore")]
    assert [e["changes"][0]["record_id"] for e in trail(client, action="delete")] == [area.json()["id"]]
    again = client.post(f"{url}/restore")
    assert again.status_code == 409
    assert again.json()["detail"].endswith("is not deleted: there is nothing to restore")


def test_the_trail_never_holds_a_victims_name(client: TestClient) -> None:
    name, contact = "Olena Kovalenko", "+380 67 123 4567"
    victim = {"outcome": "injured", "sex": "female", "age_band": "18-59", "role": "civilian", "name": name,
              "contact": contact}  # fmt: skip
    accident = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [36.25, 49.99]},
        "properties": {"occurred_on": "2024-06-03", "type": "mine", "victims": [victim]},
    }
    assert client.post("/api/v1/accidents", json=accident).status_code == 201
    text = orjson.dumps(trail(client)).decode()
    assert '"accident"' in text
    assert name not in text and contact not in text


def test_geometry_hashes_compare_across_changes(client: TestClient) -> None:
    # Regression: loaded geometries were hashed as hex EWKB text and new ones as WKB bytes, so an
    # unchanged geometry read as changed and one change's "after" never matched the next "before".
    area = client.post(AREAS, json=laea_feature(laea_rectangle(0, 0, 1000, 1000), classification="SHA"))
    url = f"{AREAS}/{area.json()['id']}"
    same = {**laea_feature(laea_rectangle(0, 0, 1000, 1000)), "properties": {"name": "same shape"}}
    assert client.patch(url, json=same, headers=if_match(client, url, **bearer("user.a"))).status_code == 200
    [renamed] = trail(client, user="user.a")[0]["changes"]
    assert set(renamed["after"]) == {"name"}  # the geometry did not change, and the trail says so
    smaller = {**laea_feature(laea_rectangle(0, 0, 800, 1000)), "properties": {}}
    assert client.patch(url, json=smaller, headers=if_match(client, url, **bearer("user.b"))).status_code == 200
    [cut] = trail(client, user="user.b")[0]["changes"]
    created = trail(client, action="create")[0]["changes"][0]
    assert cut["before"]["geom"] == created["after"]["geom"]
    assert cut["after"]["geom"] != cut["before"]["geom"]
