"""Devices found: recorded with their fate, never releasing land, reopening closed areas."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyproj import Transformer

from tests.factories import LAEA_X0, LAEA_Y0, laea_feature, laea_rectangle

FINDS = "/api/v1/devices-found"
TO_WGS84 = Transformer.from_crs(3035, 4326, always_xy=True)


def point(x: float, y: float) -> dict[str, Any]:
    lon, lat = TO_WGS84.transform(LAEA_X0 + x, LAEA_Y0 + y)
    return {"type": "Point", "coordinates": [lon, lat]}


@pytest.fixture
def site(client: TestClient) -> dict[str, int]:
    """A 1 km² CHA of self-deactivating AP mines emplaced in Dec 2024, and a clearance activity on it."""
    org = client.post("/api/v1/organisations", json={"name": "Steppe Demining", "kind": "ngo"}).json()["id"]
    area = client.post(
        "/api/v1/hazardous-areas",
        json=laea_feature(
            laea_rectangle(0, 0, 1000, 1000), classification="CHA", evidence=["item_seen"],
            contamination_types=["ap_mine"], device_persistence="self_deactivating", emplacement_date="2024-12-05",
            reported_on="2025-01-10",
        ),
    ).json()["id"]  # fmt: skip
    activity = client.post(
        "/api/v1/activities",
        json={"type": "clearance", "organisation_id": org, "hazardous_area_ids": [area], "status": "ongoing",
              "actual_start": "2025-04-01", "methods": ["manual"], "clearance_depth_cm": 20},
    ).json()["id"]  # fmt: skip
    return {"org": org, "area": area, "activity": activity}


def find(client: TestClient, site: dict[str, int], **props: Any) -> Any:
    body = {
        "type": "Feature",
        "geometry": props.pop("geometry", point(500, 500)),
        "properties": {"activity_id": site["activity"], "found_on": "2025-04-10", "category": "ap_mine",
                       "fate": "destroyed_in_situ", **props},
    }  # fmt: skip
    return client.post(FINDS, json=body)


def test_find_is_recorded_in_the_area_containing_its_point(client: TestClient, site: dict[str, int]) -> None:
    response = find(client, site, model="PFM-1", depth_cm=0, quantity=3, condition="armed")
    assert response.status_code == 201, response.text
    props = response.json()["properties"]
    assert props["hazardous_area_id"] == site["area"]
    assert (props["model"], props["quantity"], props["fate"]) == ("PFM-1", 3, "destroyed_in_situ")
    assert response.json()["geometry"]["coordinates"] == pytest.approx(point(500, 500)["coordinates"], abs=1e-6)
    activity = client.get(f"/api/v1/activities/{site['activity']}").json()
    assert activity["devices_found"] == 3


def test_self_deactivating_devices_never_release_land(client: TestClient, site: dict[str, int]) -> None:
    before = client.get(f"/api/v1/hazardous-areas/{site['area']}").json()["properties"]
    # Found a year after emplacement, long past any self-deactivation period: still no land released.
    response = find(client, site, persistence="self_deactivating", emplacement_date="2024-12-05",
                    found_on="2025-12-01", fate="rendered_safe", model="PTM-4 (self-deactivating)")  # fmt: skip
    assert response.status_code == 201
    after = client.get(f"/api/v1/hazardous-areas/{site['area']}").json()["properties"]
    assert after["remaining_area_m2"] == before["remaining_area_m2"] == pytest.approx(1_000_000, rel=1e-4)
    assert after["cancelled_m2"] == after["reduced_m2"] == after["cleared_m2"] == 0
    assert after["status"] == "worked_on"
    assert client.get("/api/v1/releases", params={"hazardous_area_id": site["area"]}).json()["numberReturned"] == 0


def test_a_find_in_a_closed_area_reopens_it_only_with_a_reason(client: TestClient, site: dict[str, int]) -> None:
    release = laea_feature(
        laea_rectangle(0, 0, 1000, 1000), activity_id=site["activity"], hazardous_area_id=site["area"],
        kind="cleared", method="manual", released_on="2025-06-01",
    )  # fmt: skip
    assert client.post("/api/v1/releases", json=release).json()["properties"]["hazardous_area"]["status"] == "closed"
    refused = find(client, site, found_on="2025-08-01")
    assert refused.status_code == 409 and "give reopen_reason" in refused.json()["detail"]
    ok = find(client, site, found_on="2025-08-01", reopen_reason="residual AP mine found by a farmer")
    assert ok.status_code == 201
    area = client.get(f"/api/v1/hazardous-areas/{site['area']}").json()["properties"]
    assert area["status"] == "open" and area["status_reason"] == "residual AP mine found by a farmer"
    assert area["information_date"] == "2025-08-01"


@pytest.mark.parametrize(
    ("props", "status", "reason"),
    [
        ({"category": "rocket"}, 422, "unknown category code(s) rocket"),
        ({"fate": "ignored"}, 422, "fate"),
        ({"quantity": 0}, 422, "quantity"),
        ({"geometry": {"type": "Point", "coordinates": [50.0, 136.2]}}, 422, "axes look swapped"),
        ({"activity_id": 999}, 404, "activity 999 does not exist"),
        ({"hazardous_area_id": 999}, 404, "hazardous area 999 does not exist"),
        ({"emplacement_date": "2025-05-01"}, 422, "emplacement_date is after found_on"),
    ],
)
def test_bad_finds_are_refused_with_the_reason(
    client: TestClient, site: dict[str, int], props: dict[str, Any], status: int, reason: str
) -> None:
    response = find(client, site, **props)
    assert response.status_code == status
    assert reason in response.text


def test_find_without_a_point_and_listing(client: TestClient, site: dict[str, int]) -> None:
    assert find(client, site, geometry=None, hazardous_area_id=site["area"], category="uxo").status_code == 201
    find(client, site)
    listing = client.get(FINDS, params={"hazardous_area_id": site["area"], "category": "uxo"}).json()
    assert listing["numberReturned"] == 1 and listing["features"][0]["geometry"] is None
