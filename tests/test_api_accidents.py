"""`/api/v1/accidents` against real PostGIS: victims, personal data kept out, filters, one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import create_engine, text

from app.services.registry import accidents as service
from app.services.registry.identities import unseal
from tests.factories import area_feature, assert_ids_are_checked, if_match, square

URL = "/api/v1/accidents"
NAME, CONTACT = "Olena Kovalenko", "+380 67 123 4567"
BOY_NAME, BOY_CONTACT = "Taras Melnyk", "school no. 3, Balakliia"
WOMAN = {"outcome": "killed", "sex": "female", "age_band": "18-59", "role": "civilian"}
BOY = {"outcome": "injured", "sex": "male", "age_band": "5-17", "role": "civilian"}


def accident(lon: float = 36.2512, lat: float = 49.9935, **properties: Any) -> dict[str, Any]:
    """An accident Feature: a mine accident near Kharkiv unless told otherwise."""
    props: dict[str, Any] = {"occurred_on": "2024-06-03", "type": "mine"}
    props.update(properties)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def create(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def rows(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    """Read the database directly, past the API."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        result = [tuple(row) for row in conn.execute(text(sql))]
    engine.dispose()
    return result


@pytest.fixture
def two_victims(client: TestClient) -> Response:
    """A mine accident on a farm track: a woman killed and a boy injured, both named."""
    area = client.post("/api/v1/hazardous-areas", json=area_feature(square(36.25, 49.99))).json()
    body = accident(
        device_category="ap_mine",
        hazardous_area_id=area["id"],
        description="tractor path along the forest belt",
        victims=[{**WOMAN, "name": NAME, "contact": CONTACT}, {**BOY, "name": BOY_NAME, "contact": BOY_CONTACT}],
    )
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.text
    return response


def test_create_with_two_victims_returns_counts_and_attributes(client: TestClient, two_victims: Response) -> None:
    created = two_victims.json()
    assert two_victims.headers["location"] == f"{URL}/{created['id']}"
    got = client.get(two_victims.headers["location"])
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/geo+json"
    assert got.json() == created
    props = created["properties"]
    assert created["geometry"] == {"type": "Point", "coordinates": [36.2512, 49.9935]}
    assert (props["occurred_on"], props["type"], props["device_category"]) == ("2024-06-03", "mine", "ap_mine")
    assert props["description"] == "tractor path along the forest belt"
    assert (props["killed"], props["injured"], props["victims"]) == (1, 1, [WOMAN, BOY])
    assert props["created_by"] == props["updated_by"] == "im.admin"
    assert props["activity_id"] is None


def test_no_victims_counts_zero_and_victim_attributes_default_to_unknown(client: TestClient) -> None:
    props = create(client, accident())["properties"]
    assert (props["killed"], props["injured"], props["victims"]) == (0, 0, [])
    props = create(client, accident(victims=[{"outcome": "injured"}]))["properties"]
    assert props["victims"] == [{"outcome": "injured", "sex": "unknown", "age_band": "unknown", "role": "unknown"}]


def test_names_and_contacts_are_stored_apart_and_never_returned(
    client: TestClient, database_url: str, two_victims: Response
) -> None:
    accident_id = two_victims.json()["id"]
    listing = client.get(URL)
    assert listing.json()["numberReturned"] == 1
    for body in (two_victims.text, client.get(f"{URL}/{accident_id}").text, listing.text):
        for secret in (NAME, CONTACT, BOY_NAME, BOY_CONTACT, "Olena", "+380"):
            assert secret not in body
    stored = rows(
        database_url,
        "SELECT v.outcome, v.age_band, i.sealed FROM victim_identity i"
        " JOIN victim v ON v.id = i.victim_id ORDER BY v.id",
    )
    assert [(outcome, age_band, unseal(sealed)) for outcome, age_band, sealed in stored] == [
        ("killed", "18-59", {"name": NAME, "contact": CONTACT}),
        ("injured", "5-17", {"name": BOY_NAME, "contact": BOY_CONTACT}),
    ]
    assert not [
        secret
        for *_, sealed in stored
        for secret in (NAME, CONTACT, BOY_NAME, BOY_CONTACT)
        if secret.encode() in sealed
    ]


def test_list_carries_victim_counts_coordinates_and_dates(client: TestClient, two_victims: Response) -> None:
    created = two_victims.json()
    other = create(client, accident(32.6178, 46.6354, occurred_on="2025-01-10", type="uxo_axo", victims=[BOY]))
    body = client.get(URL).json()
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]] == [created["id"], other["id"]]
    first, second = (f["properties"] for f in body["features"])
    assert (first["killed"], first["injured"], first["victims"]) == (1, 1, [WOMAN, BOY])
    assert (second["killed"], second["injured"], second["victims"]) == (0, 1, [BOY])
    assert body["features"][1]["geometry"]["coordinates"] == [32.6178, 46.6354]
    assert (first["occurred_on"], second["occurred_on"]) == ("2024-06-03", "2025-01-10")


@pytest.fixture
def world(client: TestClient) -> dict[str, int]:
    """Four accidents in Kharkiv (two), Kherson and Mykolaiv oblasts, with distinct dates and types."""
    specs = {
        "kharkiv_mine": accident(36.25, 49.99, occurred_on="2024-03-01", type="mine"),
        "kharkiv_uxo": accident(36.31, 49.93, occurred_on="2024-07-15", type="uxo_axo"),
        "kherson_ied": accident(32.61, 46.63, occurred_on="2025-01-10", type="ied"),
        "mykolaiv_cluster": accident(32.00, 46.97, occurred_on="2023-11-20", type="cluster"),
    }
    return {name: create(client, body)["id"] for name, body in specs.items()}


def listed(client: TestClient, world: dict[str, int], **params: Any) -> list[str]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    names = {v: k for k, v in world.items()}
    return [names[f["id"]] for f in response.json()["features"]]


def test_bbox_and_date_filters(client: TestClient, world: dict[str, int]) -> None:
    assert listed(client, world, bbox="35.9,49.8,36.6,50.2") == ["kharkiv_mine", "kharkiv_uxo"]
    assert listed(client, world, bbox="32.5,46.5,32.7,46.7") == ["kherson_ied"]
    assert listed(client, world, bbox="20,40,21,41") == []
    assert listed(client, world, occurred_from="2024-01-01") == ["kharkiv_mine", "kharkiv_uxo", "kherson_ied"]
    assert listed(client, world, occurred_from="2024-03-01", occurred_to="2024-07-14") == ["kharkiv_mine"]
    assert listed(client, world, occurred_to="2023-11-20") == ["mykolaiv_cluster"]


def test_type_and_hazardous_area_filters(client: TestClient, world: dict[str, int]) -> None:
    assert listed(client, world, type="ied") == ["kherson_ied"]
    assert listed(client, world, type="mine,cluster") == ["kharkiv_mine", "mykolaiv_cluster"]
    assert listed(client, world, type=["uxo_axo", "ied"], bbox="30,45,38,51") == ["kharkiv_uxo", "kherson_ied"]
    area = client.post("/api/v1/hazardous-areas", json=area_feature(square(36.25, 49.99))).json()
    world["in_area"] = create(client, accident(36.255, 49.995, hazardous_area_id=area["id"]))["id"]
    assert listed(client, world, hazardous_area_id=area["id"]) == ["in_area"]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"type": "landmine"}, "type: unknown value(s) landmine; allowed: mine, uxo_axo, cluster, ied"),
        ({"bbox": "36,50,35,51"}, "minLon ≤ maxLon"),
        ({"occurred_from": "spring"}, "occurred_from"),
        ({"limit": 0}, "limit must be between 1 and 1000"),
        ({"cursor": "!!!"}, "cursor is not one this API issued"),
    ],
)
def test_bad_list_parameters_are_422(client: TestClient, params: dict[str, Any], reason: str) -> None:
    response = client.get(URL, params=params)
    assert response.status_code == 422
    assert reason in response.text


def test_pages_follow_next_links_without_gaps_or_duplicates(client: TestClient) -> None:
    created = [create(client, accident(36.0 + 0.01 * i, 50.0, victims=[WOMAN] * (i % 3)))["id"] for i in range(12)]
    create(client, accident(36.5, 50.0, type="ied"))  # filtered out on every page
    seen: list[int] = []
    sizes: list[int] = []
    killed: list[int] = []
    url: str | None = f"{URL}?limit=5&type=mine"
    while url:
        body = client.get(url).json()
        sizes.append(body["numberReturned"])
        seen.extend(f["id"] for f in body["features"])
        killed.extend(f["properties"]["killed"] for f in body["features"])
        nxt = [link["href"] for link in body["links"] if link["rel"] == "next"]
        url = nxt[0] if nxt else None
        if url:
            assert "type=mine" in url and "limit=5" in url
    assert sizes == [5, 5, 2]
    assert seen == created
    assert killed == [i % 3 for i in range(12)]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"geometry": {"type": "Point", "coordinates": [36.25]}}, "is not [longitude, latitude]"),
        ({"geometry": {"type": "LineString", "coordinates": [[36, 50], [37, 50]]}}, "is not a Point"),
        ({"geometry": None}, "geometry is missing"),
        # Laos, lat/lon given in the wrong order: latitude 102.6 is impossible.
        ({"geometry": {"type": "Point", "coordinates": [18.0, 102.6]}}, "axes look swapped"),
        ({"crs": {"type": "name", "properties": {"name": "nonsense"}}}, "unknown CRS 'nonsense'"),
        ({"type": "landmine"}, "unknown value 'landmine'; allowed: mine, uxo_axo"),
        ({"device_category": "rocket"}, "unknown device_category code(s) rocket"),
        ({"occurred_on": str(datetime.now(UTC).date() + timedelta(days=2))}, "is in the future"),
        ({"occurred_on": "2024-02-30"}, "occurred_on"),
        ({"hazardous_area_id": 999}, "hazardous area 999 does not exist"),
        ({"hazardous_area_id": 2**70}, "hazardous_area_id"),
        ({"activity_id": 999}, "activity 999 does not exist"),
        ({"victims": [{"outcome": "wounded"}]}, "unknown value 'wounded'; allowed: killed, injured"),
        ({"victims": [{"sex": "female"}]}, "outcome"),
        ({"victims": [{**BOY, "age_band": "5-18"}]}, "unknown value '5-18'"),
        ({"victims": [{**BOY, "nationality": "UA"}]}, "nationality"),
        ({"casualties": 2}, "casualties"),
    ],
)
def test_bad_input_is_422_with_the_reason_and_writes_nothing(
    client: TestClient, database_url: str, change: dict[str, Any], reason: str
) -> None:
    body = accident(victims=[{**WOMAN, "name": NAME}])
    for key, value in change.items():
        if key in ("geometry", "crs"):
            body[key] = value
        else:
            body["properties"][key] = value
    response = client.post(URL, json=body)
    assert response.status_code == 422, response.text
    assert reason in response.text
    assert rows(database_url, "SELECT (SELECT count(*) FROM accident) + (SELECT count(*) FROM victim)") == [(0,)]


def test_linking_a_deleted_hazardous_area_is_refused(client: TestClient) -> None:
    area_id = client.post("/api/v1/hazardous-areas", json=area_feature()).json()["id"]
    area_url = f"/api/v1/hazardous-areas/{area_id}"
    client.delete(area_url, headers=if_match(client, area_url))
    response = client.post(URL, json=accident(hazardous_area_id=area_id))
    assert response.status_code == 422
    assert response.json()["detail"] == f"hazardous area {area_id} was deleted by im.admin"
    assert response.json()["field"] == "properties.hazardous_area_id"


def test_declared_crs_is_reprojected(client: TestClient) -> None:
    body = accident(400_000, 5_540_000)
    body["crs"] = {"type": "name", "properties": {"name": "EPSG:32637"}}
    lon, lat = create(client, body)["geometry"]["coordinates"]
    assert (lon, lat) == (37.604522, 50.003924)  # UTM 37N easting 400 km, northing 5,540 km; 6 decimals


def test_failure_before_commit_leaves_no_accident_or_victim(
    client: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.main import app

    flushed: list[int] = []

    def fail(session: Any, victim_id: int, victim: Any) -> None:
        flushed.append(victim_id)
        raise RuntimeError("identity store unavailable")

    monkeypatch.setattr(service, "_store_identity", fail)
    admin_token = {"Authorization": client.headers["authorization"]}
    with TestClient(app, raise_server_exceptions=False, headers=admin_token) as failing:
        response = failing.post(URL, json=accident(victims=[BOY, {**WOMAN, "name": NAME}]))
    assert response.status_code == 500
    assert NAME not in response.text
    assert len(flushed) == 1  # the accident and both victims had reached the database, uncommitted
    tables = ("accident", "victim", "victim_identity")
    assert rows(database_url, "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)) == [(0, 0, 0)]
    assert client.get(URL).json()["numberReturned"] == 0


def test_soft_delete_is_a_mark_and_then_410(client: TestClient, database_url: str, two_victims: Response) -> None:
    accident_id = two_victims.json()["id"]
    url = f"{URL}/{accident_id}"
    response = client.delete(url, params={"reason": "duplicate report"}, headers=if_match(client, url))
    assert response.status_code == 204
    gone = client.get(f"{URL}/{accident_id}")
    assert gone.status_code == 410
    assert (gone.json()["deleted_by"], gone.json()["delete_reason"]) == ("im.admin", "duplicate report")
    assert client.get(URL).json()["numberReturned"] == 0
    again = client.delete(f"{URL}/{accident_id}", headers={"If-Match": "*"})
    assert again.status_code == 410
    assert again.json()["detail"].startswith(f"accident {accident_id} was deleted on ")
    assert again.json()["detail"].endswith(" by im.admin")
    assert rows(database_url, "SELECT deleted_by, (SELECT count(*) FROM victim) FROM accident") == [("im.admin", 2)]
    assert rows(database_url, "SELECT count(*) FROM victim_identity") == [(0,)]


def test_unknown_and_out_of_range_ids(client: TestClient) -> None:
    unknown = client.delete(f"{URL}/12345", headers={"If-Match": "*"})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "accident 12345 does not exist"
    assert_ids_are_checked(client, URL, what="accident", path_param="accident_id")
