"""`/api/v1/organisations` against real PostGIS."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

from tests.accounts import AUTHORITY, bearer
from tests.factories import if_match

URL = "/api/v1/organisations"


def test_create_get_patch_round_trip(client: TestClient) -> None:
    body = {
        "name": "Dnipro Clearance",
        "acronym": "DCI",
        "kind": "ngo",
        "country": "UA",
        "accreditation_ref": "NMAA-ACC-2024-031",
        "accredited_until": "2026-12-31",
    }
    created = client.post(URL, json=body, headers=bearer("na.admin"))
    assert created.status_code == 201, created.text
    org = client.get(f"{URL}/{created.json()['id']}").json()
    for key, value in body.items():
        assert org[key] == value
    assert org["created_by"] == "na.admin"
    url = f"{URL}/{org['id']}"
    patched = client.patch(
        url, json={"accredited_until": "2027-06-30"}, headers=if_match(client, url, **bearer("user.b"))
    )
    assert patched.json()["accredited_until"] == "2027-06-30"
    assert patched.json()["name"] == "Dnipro Clearance"
    assert patched.json()["updated_by"] == "user.b"


def test_names_are_unique_ignoring_case(client: TestClient) -> None:
    first = client.post(URL, json={"name": "HALO Demo", "kind": "ngo"}).json()
    clash = client.post(URL, json={"name": "halo demo", "kind": "commercial"})
    assert clash.status_code == 409
    assert f"(id {first['id']})" in clash.json()["detail"]


def validation_error(response: Response) -> tuple[list[Any], str]:
    """The `loc` and `msg` of FastAPI's one validation error in a 422 answer."""
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    return error["loc"], error["msg"]


def test_bad_input_is_422(client: TestClient) -> None:
    loc, msg = validation_error(client.post(URL, json={"name": "X", "kind": "charity"}))
    assert loc == ["body", "kind"] and msg.startswith("Input should be 'ngo', 'commercial'")
    assert validation_error(client.post(URL, json={"name": "", "kind": "ngo"})) == (
        ["body", "name"],
        "String should have at least 1 character",
    )
    loc, msg = validation_error(client.post(URL, json={"name": "X", "kind": "ngo", "country": "Ukraine"}))
    assert loc == ["body", "country"] and msg == "String should match pattern '^[A-Z]{2}$'"
    assert names(client) == [AUTHORITY]  # none of the three was stored: only the tests' admin's authority
    org = client.post(URL, json={"name": "X", "kind": "ngo"}).json()
    no_kind = client.patch(f"{URL}/{org['id']}", json={"kind": None}, headers=if_match(client, f"{URL}/{org['id']}"))
    assert no_kind.status_code == 422
    assert (no_kind.json()["detail"], no_kind.json()["field"]) == ("kind cannot be removed", "kind")
    assert client.get(f"{URL}/{org['id']}").json()["kind"] == "ngo"
    listing = client.get(URL, params={"kind": "charity"})
    assert listing.status_code == 422
    assert listing.json()["field"] == "kind"
    assert listing.json()["detail"].startswith("kind: unknown value(s) charity; allowed: ngo, commercial")


def test_list_filters_and_pages(client: TestClient) -> None:
    for i in range(5):
        client.post(URL, json={"name": f"Operator {i}", "kind": "ngo" if i % 2 else "commercial"})
    client.post(URL, json={"name": "Donor agency", "acronym": "DA", "kind": "donor"})
    assert [o["name"] for o in client.get(URL, params={"kind": "donor"}).json()["items"]] == ["Donor agency"]
    assert client.get(URL, params={"q": "operator", "kind": "ngo"}).json()["numberReturned"] == 2
    first = client.get(URL, params={"limit": 5}).json()  # the tests' authority, then these six
    assert first["numberReturned"] == 5
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = client.get(nxt).json()
    assert [o["name"] for o in second["items"]] == ["Operator 4", "Donor agency"]
    assert [link["rel"] for link in second["links"]] == ["self"]


def test_soft_delete(client: TestClient) -> None:
    org = client.post(URL, json={"name": "Gone Ltd", "kind": "commercial"}).json()
    url = f"{URL}/{org['id']}"
    assert (
        client.delete(url, params={"reason": "merged"}, headers=if_match(client, url, **bearer("na.im"))).status_code
        == 204
    )
    gone = client.get(f"{URL}/{org['id']}")
    assert gone.status_code == 410
    assert gone.json()["deleted_by"] == "na.im" and gone.json()["delete_reason"] == "merged"
    assert names(client) == [AUTHORITY]
    # A deleted organisation can no longer be named as the reporter of an area.
    area = {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[[30, 50], [30.01, 50], [30.01, 50.01], [30, 50]]]},
        "properties": {"classification": "SHA", "reporting_organisation_id": org["id"]},
    }
    refused = client.post("/api/v1/hazardous-areas", json=area)
    assert refused.status_code == 422
    assert refused.json()["field"] == "properties.reporting_organisation_id"
    # Today's text says the organisation "does not exist" (it does, deleted); pin only who is blamed.
    assert refused.json()["detail"].startswith(f"reporting organisation {org['id']} ")


def names(client: TestClient) -> list[str]:
    return [o["name"] for o in client.get(URL).json()["items"]]
