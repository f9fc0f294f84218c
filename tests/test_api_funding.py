"""Donors, funding agreements, expenditure and beneficiaries through the API: validation with reasons."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import square

AGREEMENTS = "/api/v1/funding-agreements"


def _org(client: TestClient, name: str) -> int:
    return int(client.post("/api/v1/organisations", json={"name": name, "kind": "ngo"}).json()["id"])


def _task(client: TestClient, org: int, reference: str, lon: float) -> int:
    area = client.post(
        "/api/v1/hazardous-areas",
        json={"type": "Feature", "geometry": square(lon, 50.0), "properties": {"classification": "SHA"}},
    ).json()["id"]
    body = {"reference": reference, "organisation_id": org, "hazardous_area_ids": [area]}
    response = client.post("/api/v1/tasks", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture
def funded(client: TestClient) -> dict[str, Any]:
    donor = client.post("/api/v1/donors", json={"name": "Nordic Fund", "country": "NO", "iati_org_ref": "NO-1"})
    assert donor.status_code == 201, donor.text
    org = _org(client, "Steppe Demining")
    body = {
        "reference": "NF-2025-01",
        "donor_id": donor.json()["id"],
        "organisation_id": org,
        "amount": 1_000_000,
        "currency": "EUR",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
    }
    agreement = client.post(AGREEMENTS, json=body)
    assert agreement.status_code == 201, agreement.text
    return {"donor": donor.json()["id"], "org": org, "agreement": agreement.json()["id"], "body": body}


def test_agreement_funds_tasks_and_sums_its_expenditure(client: TestClient, funded: dict[str, Any]) -> None:
    task = _task(client, funded["org"], "T-1", 36.2)
    url = f"{AGREEMENTS}/{funded['agreement']}"
    assert client.post(f"{url}/tasks", json={"task_ids": [task]}).status_code == 204
    for start, end, amount in (("2025-01-01", "2025-03-31", 120_000), ("2025-04-01", "2025-06-30", 80_000.5)):
        response = client.post(f"{url}/expenditure", json={"period_start": start, "period_end": end, "amount": amount})
        assert response.status_code == 201, response.text
    got = client.get(url).json()
    assert got["expenditure"] == 200_000.5
    assert got["task_ids"] == [task]
    assert got["donor"] == "Nordic Fund" and got["organisation"] == "Steppe Demining"
    assert client.get(f"/api/v1/tasks/{task}").json()["properties"]["funding_agreement_id"] == funded["agreement"]
    listed = client.get(AGREEMENTS, params={"donor_id": funded["donor"]}).json()
    assert [a["reference"] for a in listed["items"]] == ["NF-2025-01"]
    assert client.get(AGREEMENTS, params={"donor_id": funded["donor"] + 1}).json()["items"] == []


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ({"period_end": "2024-12-31"}, 422, "before period_start"),
        ({"currency": "EUX"}, 422, "ISO 4217"),
        ({"currency": "eur"}, 422, "ISO 4217"),
        ({"amount": -1}, 422, "greater than or equal to 0"),
        ({"donor_id": 999_999}, 404, "donor 999999 does not exist"),
        ({"organisation_id": 999_999}, 404, "organisation 999999 does not exist"),
        ({}, 409, "already used"),
    ],
)
def test_bad_agreement_is_refused_with_the_reason(
    client: TestClient, funded: dict[str, Any], change: dict[str, Any], status: int, reason: str
) -> None:
    response = client.post(AGREEMENTS, json={**funded["body"], **change})
    assert response.status_code == status, response.text
    assert reason in response.text
    assert len(client.get(AGREEMENTS).json()["items"]) == 1  # nothing half-stored


def test_expenditure_outside_the_agreement_or_overlapping_is_refused(
    client: TestClient, funded: dict[str, Any]
) -> None:
    url = f"{AGREEMENTS}/{funded['agreement']}/expenditure"
    ok = {"period_start": "2025-01-01", "period_end": "2025-03-31", "amount": 10}
    assert client.post(url, json=ok).status_code == 201
    overlap = client.post(url, json={**ok, "period_start": "2025-03-01", "period_end": "2025-04-30"})
    assert overlap.status_code == 409 and "overlaps" in overlap.json()["detail"]
    outside = client.post(url, json={**ok, "period_start": "2026-01-01", "period_end": "2026-03-31"})
    assert outside.status_code == 422 and "outside the agreement" in outside.json()["detail"]
    negative = client.post(url, json={**ok, "period_start": "2025-05-01", "period_end": "2025-05-31", "amount": -5})
    assert negative.status_code == 422
    [error] = negative.json()["detail"]
    assert (error["loc"], error["msg"]) == (["body", "amount"], "Input should be greater than or equal to 0")
    assert [e["amount"] for e in client.get(url).json()] == [10]


def test_task_of_another_organisation_or_already_funded_is_refused(client: TestClient, funded: dict[str, Any]) -> None:
    other_org_task = _task(client, _org(client, "Other Org"), "T-9", 36.4)
    url = f"{AGREEMENTS}/{funded['agreement']}/tasks"
    response = client.post(url, json={"task_ids": [other_org_task]})
    assert response.status_code == 422 and "not to the agreement's organisation" in response.json()["detail"]
    task = _task(client, funded["org"], "T-2", 36.6)
    second = client.post(AGREEMENTS, json={**funded["body"], "reference": "NF-2025-02"}).json()["id"]
    assert client.post(url, json={"task_ids": [task]}).status_code == 204
    again = client.post(f"{AGREEMENTS}/{second}/tasks", json={"task_ids": [task]})
    assert again.status_code == 409 and "already funded by agreement" in again.json()["detail"]
    unknown = client.post(url, json={"task_ids": [999_999]})
    assert unknown.status_code == 404 and unknown.json()["detail"] == "task 999999 does not exist"
    assert client.get(f"{AGREEMENTS}/{funded['agreement']}").json()["task_ids"] == [task]


def test_beneficiaries_are_recorded_per_task_and_negative_counts_refused(
    client: TestClient, funded: dict[str, Any]
) -> None:
    task = _task(client, funded["org"], "T-3", 36.8)
    url = f"/api/v1/tasks/{task}/beneficiaries"
    body = {"recorded_on": "2025-05-01", "reach": "direct", "women": 10, "men": 8, "girls": 3, "boys": 4}
    assert client.post(url, json=body).status_code == 201
    negative = client.post(url, json={**body, "girls": -1})
    assert negative.status_code == 422
    [error] = negative.json()["detail"]
    assert (error["loc"], error["msg"]) == (["body", "girls"], "Input should be greater than or equal to 0")
    assert "less than or equal to 100000000" in client.post(url, json={**body, "women": 10**12}).text
    both = client.post(url, json={**body, "reach": "both"})
    assert both.status_code == 422
    [error] = both.json()["detail"]
    assert (error["loc"], error["msg"]) == (["body", "reach"], "Input should be 'direct' or 'indirect'")
    unknown = client.post("/api/v1/tasks/999999/beneficiaries", json=body)
    assert unknown.status_code == 404 and unknown.json()["detail"] == "task 999999 does not exist"
    assert [(b["reach"], b["women"], b["boys"]) for b in client.get(url).json()] == [("direct", 10, 4)]


def test_donor_names_are_unique_and_unknown_donor_is_404(client: TestClient, funded: dict[str, Any]) -> None:
    again = client.post("/api/v1/donors", json={"name": "nordic fund"})
    assert again.status_code == 409
    assert again.json()["detail"] == f"a donor named 'nordic fund' already exists (id {funded['donor']})"
    assert again.json()["existing_id"] == funded["donor"]
    unknown = client.get("/api/v1/donors/999999")
    assert unknown.status_code == 404 and unknown.json()["detail"] == "donor 999999 does not exist"
    bad_country = client.post("/api/v1/donors", json={"name": "X", "country": "Norway"})
    assert bad_country.status_code == 422
    [error] = bad_country.json()["detail"]
    assert (error["loc"], error["msg"]) == (["body", "country"], "String should match pattern '^[A-Z]{2}$'")
    assert [d["name"] for d in client.get("/api/v1/donors").json()["items"]] == ["Nordic Fund"]


def test_beneficiaries_counted_in_the_future_are_refused(client: TestClient, funded: dict[str, Any]) -> None:
    task = _task(client, funded["org"], "T-9", 36.9)
    url = f"/api/v1/tasks/{task}/beneficiaries"
    body = {"recorded_on": "2099-01-01", "reach": "direct", "women": 1, "men": 1, "girls": 0, "boys": 0}
    refused = client.post(url, json=body)
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "recorded_on 2099-01-01 is in the future: give the date the people were counted",
        "field": "recorded_on",
    }
    assert client.get(url).json() == []
