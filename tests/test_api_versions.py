"""No lost updates: every record read carries an ETag, every change must name it (If-Match)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import area_feature, if_match, square

AREAS = "/api/v1/hazardous-areas"


@pytest.fixture
def records(client: TestClient) -> dict[str, str]:
    """One record of every resource that can be changed, by the URL that reads it."""
    area = client.post(AREAS, json=area_feature(square(36.2, 50.0), classification="SHA")).json()["id"]
    org = client.post("/api/v1/organisations", json={"name": "Op", "kind": "ngo"}).json()["id"]
    activity = client.post(
        "/api/v1/activities", json={"type": "nts", "organisation_id": org, "hazardous_area_ids": [area]}
    ).json()["id"]
    accident = client.post(
        "/api/v1/accidents",
        json={"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.2, 50.0]},
              "properties": {"occurred_on": "2025-05-01", "type": "mine"}},
    ).json()["id"]  # fmt: skip
    scenario = client.post("/api/v1/priority-scenarios", json={"name": "s", "weights": {"population": 1}}).json()["id"]
    return {
        "area": f"{AREAS}/{area}",
        "organisation": f"/api/v1/organisations/{org}",
        "activity": f"/api/v1/activities/{activity}",
        "accident": f"/api/v1/accidents/{accident}",
        "scenario": f"/api/v1/priority-scenarios/{scenario}",
    }


CHANGES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("area", "PATCH", {"properties": {"name": "renamed"}}),
    ("area", "DELETE", None),
    ("organisation", "PATCH", {"name": "Renamed"}),
    ("organisation", "DELETE", None),
    ("activity", "PATCH", {"team": "B"}),
    ("accident", "DELETE", None),
    ("scenario", "PATCH", {"description": "renamed"}),
]


@pytest.mark.parametrize(("record", "method", "body"), CHANGES)
def test_a_change_must_name_the_version_it_changes(
    client: TestClient, records: dict[str, str], record: str, method: str, body: dict[str, Any] | None
) -> None:
    url = records[record]
    etag = client.get(url).headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    missing = client.request(method, url, json=body)
    assert missing.status_code == 428
    assert missing.json()["detail"].startswith("send If-Match with the ETag of the record as you read it")
    weak = client.request(method, url, json=body, headers={"If-Match": f"W/{etag}"})
    assert weak.status_code == 412  # a weak tag never matches If-Match
    stale = client.request(method, url, json=body, headers={"If-Match": '"1.1"'})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == etag
    assert client.get(url).headers["etag"] == etag  # the refused changes changed nothing
    done = client.request(method, url, json=body, headers={"If-Match": etag})
    assert done.status_code == (204 if method == "DELETE" else 200), done.text
    if method == "PATCH":
        assert done.headers["etag"] != etag
        assert client.get(url).headers["etag"] == done.headers["etag"]
        again = client.request(method, url, json=body, headers={"If-Match": etag})
        assert again.status_code == 412  # the old version is gone
    else:
        assert client.get(url).status_code == 410


def test_two_clients_with_the_same_etag_one_wins_and_one_is_told(client: TestClient, records: dict[str, str]) -> None:
    url = records["area"]
    read = if_match(client, url)
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(
            pool.map(
                lambda name: client.patch(url, json={"properties": {"name": name}}, headers=read), ["first", "second"]
            )
        )
    assert sorted(a.status_code for a in answers) == [200, 412]
    winner = next(a for a in answers if a.status_code == 200).json()["properties"]["name"]
    assert client.get(url).json()["properties"]["name"] == winner


def test_any_version_may_be_named_with_a_star(client: TestClient, records: dict[str, str]) -> None:
    answer = client.patch(records["area"], json={"properties": {"name": "x"}}, headers={"If-Match": "*"})
    assert answer.status_code == 200 and answer.json()["properties"]["name"] == "x"


def test_work_on_an_area_makes_a_new_version(client: TestClient, records: dict[str, str]) -> None:
    url = records["area"]
    before = client.get(url).headers["etag"]
    moved = client.post(f"{url}/status", json={"status": "worked_on"})
    assert moved.status_code == 200
    assert moved.headers["etag"] != before
    assert client.patch(url, json={"properties": {"name": "late"}}, headers={"If-Match": before}).status_code == 412


def test_work_starting_or_a_find_makes_a_new_version_of_the_area(client: TestClient, records: dict[str, str]) -> None:
    # Regression: an activity under way and a find moved the area's status and date of information
    # without a new ETag, so a correction made from the old version was accepted.
    url = records["area"]
    area_id = int(url.rsplit("/", 1)[1])
    org = client.post("/api/v1/organisations", json={"name": "Op 2", "kind": "ngo"}).json()["id"]
    before = client.get(url).headers["etag"]
    activity = client.post(
        "/api/v1/activities",
        json={"type": "clearance", "organisation_id": org, "hazardous_area_ids": [area_id], "status": "ongoing",
              "actual_start": "2025-06-01", "methods": ["manual"]},
    )  # fmt: skip
    assert activity.status_code == 201, activity.text
    assert client.get(url).json()["properties"]["status"] == "worked_on"
    assert client.patch(url, json={"properties": {"name": "x"}}, headers={"If-Match": before}).status_code == 412
    middle = client.get(url).headers["etag"]
    find = client.post(
        "/api/v1/devices-found",
        json={"type": "Feature", "geometry": None, "properties": {
            "activity_id": activity.json()["id"], "hazardous_area_id": area_id, "category": "uxo",
            "found_on": "2025-07-03", "fate": "destroyed_in_situ"}},
    )  # fmt: skip
    assert find.status_code == 201, find.text
    assert client.get(url).json()["properties"]["information_date"] == "2025-07-03"
    assert client.patch(url, json={"properties": {"name": "x"}}, headers={"If-Match": middle}).status_code == 412
