"""Listing hazardous areas: filters and keyset pagination against real PostGIS."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import KHARKIV_HROMADA, KHERSON_HROMADA, area_feature, if_match, square

URL = "/api/v1/hazardous-areas"


@pytest.fixture
def world(client: TestClient) -> dict[str, int]:
    """Four areas: two near Kharkiv, one near Kherson, one near Mykolaiv, with distinct attributes."""
    specs: dict[str, dict[str, Any]] = {
        "kharkiv_cha": dict(
            geometry=square(36.20, 50.00), classification="CHA", contamination_types=["ap_mine"],
            hromada_code=KHARKIV_HROMADA, reported_on="2023-05-01",
        ),
        "kharkiv_sha": dict(
            geometry=square(36.30, 49.90), classification="SHA", status="worked_on",
            contamination_types=["uxo", "submunition"], hromada_code=KHARKIV_HROMADA, reported_on="2024-02-10",
        ),
        "kherson": dict(
            geometry=square(32.60, 46.60), classification="CHA", contamination_types=["at_mine", "uxo"],
            hromada_code=KHERSON_HROMADA, reported_on="2024-08-20",
        ),
        "mykolaiv": dict(
            geometry=square(32.00, 46.97), classification="SHA", oblast_code="UA48", reported_on="2025-01-05",
        ),
    }  # fmt: skip
    ids = {}
    for name, spec in specs.items():
        geometry = spec.pop("geometry")
        response = client.post(URL, json=area_feature(geometry, name=name, **spec))
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    return ids


def names(client: TestClient, **params: Any) -> list[str]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["numberReturned"] == len(body["features"])
    return [f["properties"]["name"] for f in body["features"]]


def test_bbox_around_kharkiv(client: TestClient, world: dict[str, int]) -> None:
    assert names(client, bbox="35.9,49.8,36.6,50.2") == ["kharkiv_cha", "kharkiv_sha"]
    assert names(client, bbox="36.205,50.005,36.206,50.006") == ["kharkiv_cha"]
    assert names(client, bbox="20,40,21,41") == []


def test_status_and_classification_take_comma_lists_and_repeats(client: TestClient, world: dict[str, int]) -> None:
    assert names(client, status="worked_on") == ["kharkiv_sha"]
    assert names(client, classification="CHA") == ["kharkiv_cha", "kherson"]
    assert names(client, classification="CHA,SHA", status="open") == ["kharkiv_cha", "kherson", "mykolaiv"]
    assert names(client, status=["open", "worked_on"]) == ["kharkiv_cha", "kharkiv_sha", "kherson", "mykolaiv"]


def test_contamination_type_matches_any_of_the_codes(client: TestClient, world: dict[str, int]) -> None:
    assert names(client, contamination_type="uxo") == ["kharkiv_sha", "kherson"]
    assert names(client, contamination_type="ap_mine,at_mine") == ["kharkiv_cha", "kherson"]


def test_admin_codes(client: TestClient, world: dict[str, int]) -> None:
    assert names(client, oblast_code="UA63") == ["kharkiv_cha", "kharkiv_sha"]
    assert names(client, raion_code="UA6510") == ["kherson"]
    assert names(client, hromada_code=KHERSON_HROMADA) == ["kherson"]
    assert names(client, oblast_code="UA48") == ["mykolaiv"]


def test_date_of_information_range(client: TestClient, world: dict[str, int]) -> None:
    assert names(client, reported_from="2024-01-01") == ["kharkiv_sha", "kherson", "mykolaiv"]
    assert names(client, reported_from="2024-01-01", reported_to="2024-12-31") == ["kharkiv_sha", "kherson"]
    assert names(client, reported_to="2023-05-01") == ["kharkiv_cha"]


def test_filters_combine(client: TestClient, world: dict[str, int]) -> None:
    assert names(client, bbox="30,45,38,51", classification="CHA", contamination_type="uxo") == ["kherson"]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"bbox": "36,50,35,51"}, "minLon ≤ maxLon"),
        ({"bbox": "36,50,37"}, "four numbers"),
        ({"bbox": "a,b,c,d"}, "four numbers"),
        ({"status": "finished"}, "status: unknown value(s) finished; allowed: open, worked_on, closed, handed_over"),
        ({"classification": "sha"}, "allowed: SHA, CHA"),
        ({"oblast_code": "63"}, "oblast_code"),
        ({"reported_from": "last year"}, "reported_from"),
        ({"limit": 0}, "limit must be between 1 and 1000"),
        ({"limit": 5000}, "limit must be between 1 and 1000"),
        ({"cursor": "bm9wZQ"}, "cursor is not one this API issued"),
        ({"cursor": "!!!"}, "cursor is not one this API issued"),
    ],
)
def test_bad_parameters_are_422_with_the_reason(client: TestClient, params: dict[str, Any], reason: str) -> None:
    response = client.get(URL, params=params)
    assert response.status_code == 422
    assert reason in response.text


def test_pages_follow_next_links_without_gaps_or_duplicates(client: TestClient) -> None:
    created = []
    for i in range(23):
        response = client.post(URL, json=area_feature(square(36.0 + 0.02 * i, 50.0), name=f"a{i}"))
        created.append(response.json()["id"])
    seen: list[int] = []
    sizes = []
    url: str | None = f"{URL}?limit=5&classification=SHA"
    while url:
        body = client.get(url).json()
        sizes.append(body["numberReturned"])
        seen.extend(f["id"] for f in body["features"])
        nxt = [link["href"] for link in body["links"] if link["rel"] == "next"]
        assert len(nxt) <= 1
        url = nxt[0] if nxt else None
        if url:
            assert "classification=SHA" in url and "limit=5" in url
    assert sizes == [5, 5, 5, 5, 3]
    assert seen == created


def test_pagination_is_stable_when_a_page_boundary_row_is_deleted(client: TestClient) -> None:
    ids = [client.post(URL, json=area_feature(square(36.0 + 0.02 * i, 50.0))).json()["id"] for i in range(6)]
    first = client.get(URL, params={"limit": 3}).json()
    client.delete(f"{URL}/{ids[2]}", headers=if_match(client, f"{URL}/{ids[2]}"))
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = client.get(nxt).json()
    assert [f["id"] for f in second["features"]] == ids[3:]


def test_exactly_full_last_page_has_no_next_link(client: TestClient) -> None:
    for i in range(4):
        client.post(URL, json=area_feature(square(36.0 + 0.02 * i, 50.0)))
    body = client.get(URL, params={"limit": 4}).json()
    assert body["numberReturned"] == 4
    assert [link["rel"] for link in body["links"]] == ["self"]
