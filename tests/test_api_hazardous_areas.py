"""`/api/v1/hazardous-areas` against real PostGIS: CRUD, hygiene, soft delete."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.accounts import bearer
from tests.factories import KHARKIV_HROMADA, area_feature, assert_ids_are_checked, if_match, square

URL = "/api/v1/hazardous-areas"
SQUARE_M2 = 795_000  # 0.01° x 0.01° at 50°N; exact value asserted below


def create(client: TestClient, body: dict[str, Any], user: str = "ana.field") -> dict[str, Any]:
    response = client.post(URL, json=body, headers=bearer(user))
    assert response.status_code == 201, response.text
    return response.json()


def test_create_get_round_trip_keeps_every_attribute_and_measures_the_area(client: TestClient) -> None:
    org = client.post("/api/v1/organisations", json={"name": "Steppe Demining", "kind": "ngo"}).json()
    properties = {
        "national_id": "UA-HA-0001",
        "source": "nts-2024",
        "external_id": "KH-17",
        "name": "Field east of the village",
        "classification": "CHA",
        "status": "open",
        "contamination_types": ["at_mine", "uxo"],
        "evidence": ["item_seen", "former_front_line"],
        "information_reliability": 2,
        "source_reliability": "B",
        "device_persistence": "self_deactivating",
        "emplacement_date": "2024-12-01",
        "reporting_organisation_id": org["id"],
        "reporting_source": "non-technical survey",
        "reported_on": "2025-03-14",
        "hromada_code": KHARKIV_HROMADA,
        "blockages": ["farmland", "road"],
        "landowner": "agricultural enterprise",
        "returnees_expected": 120,
        "notes": "fence on the north side",
    }
    created = create(client, area_feature(square(30.0, 50.0), **properties))
    got = client.get(f"{URL}/{created['id']}")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/geo+json"
    feature = got.json()
    props = feature["properties"]
    for key, value in properties.items():
        assert props[key] == value, key
    # KATOTTG codes nest: oblast and raion come from the hromada code.
    assert (props["oblast_code"], props["raion_code"]) == ("UA63", "UA6312")
    assert props["original_area_m2"] == pytest.approx(797_383, abs=1)
    assert props["original_area_m2"] == pytest.approx(SQUARE_M2, rel=0.005)
    assert props["remaining_area_m2"] == props["original_area_m2"]
    assert props["created_by"] == props["updated_by"] == "ana.field"
    assert feature["geometry"]["type"] == "MultiPolygon"
    ring = feature["geometry"]["coordinates"][0][0]
    assert sorted(map(tuple, ring[:-1])) == [(30.0, 50.0), (30.0, 50.01), (30.01, 50.0), (30.01, 50.01)]
    assert created["properties"]["geometry_repairs"] == []


def test_location_header_points_at_the_new_area(client: TestClient) -> None:
    response = client.post(URL, json=area_feature())
    assert response.headers["location"] == f"{URL}/{response.json()['id']}"


def test_defaults_when_only_classification_is_given(client: TestClient) -> None:
    props = create(client, area_feature())["properties"]
    assert props["status"] == "open"
    assert props["device_persistence"] == "unknown"
    assert props["contamination_types"] == [] and props["blockages"] == []
    assert props["created_by"] == "ana.field"


def test_an_anonymous_write_is_refused_and_keeps_nothing(client: TestClient, anonymous: TestClient) -> None:
    response = anonymous.post(URL, json=area_feature())
    assert response.status_code == 401
    assert client.get(URL).json()["features"] == []


def test_self_intersecting_polygon_is_repaired_and_the_repair_reported(client: TestClient) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[30, 50], [30.01, 50.01], [30.01, 50], [30, 50.01], [30, 50]]]}
    body = create(client, area_feature(bowtie))
    assert len(body["properties"]["geometry_repairs"]) == 1
    assert "make_valid" in body["properties"]["geometry_repairs"][0]
    assert len(body["geometry"]["coordinates"]) == 2
    assert body["properties"]["original_area_m2"] == pytest.approx(797_383 / 2, rel=0.001)


def test_declared_crs_is_reprojected_and_reported(client: TestClient) -> None:
    ring = [[400_000, 5_540_000], [401_000, 5_540_000], [401_000, 5_541_000], [400_000, 5_541_000]]
    body = area_feature({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    body["crs"] = {"type": "name", "properties": {"name": "EPSG:32637"}}
    created = create(client, body)
    assert created["properties"]["geometry_repairs"] == ["reprojected from EPSG:32637 to WGS 84 (EPSG:4326)"]
    assert created["properties"]["original_area_m2"] == pytest.approx(1_000_000, rel=0.002)
    lon = created["geometry"]["coordinates"][0][0][0][0]
    assert 37.5 < lon < 37.7


def test_z_values_are_dropped_and_reported(client: TestClient) -> None:
    geometry = square(30.0, 50.0)
    geometry["coordinates"] = [[[*p, 150.0] for p in geometry["coordinates"][0]]]
    created = create(client, area_feature(geometry))
    assert created["properties"]["geometry_repairs"] == ["dropped Z/M coordinates: areas are stored in 2D"]
    assert len(created["geometry"]["coordinates"][0][0][0]) == 2


@pytest.mark.parametrize(
    ("geometry", "status", "reason"),
    [
        ({"type": "Polygon", "coordinates": [[[30, 50], [30.01, 50], [30.01, 50.01], [30, 50.01]]]}, 422, "not closed"),
        ({"type": "Polygon", "coordinates": [[[30, 50], [30.01, 50], [30, 50]]]}, 422, "needs at least 4"),
        ({"type": "Polygon", "coordinates": []}, 422, "empty"),
        (None, 422, "geometry is missing"),
        ({"type": "Point", "coordinates": [30, 50]}, 422, "is not an area"),
        ({"type": "LineString", "coordinates": [[30, 50], [31, 51]]}, 422, "is not an area"),
        (square(10.0, 120.0), 422, "axes look swapped"),
        ({"type": "Polygon", "coordinates": [[[30, 50], [30, 50], [30, 50], [30, 50]]]}, 422, "no area"),
    ],
)
def test_bad_geometry_is_refused_with_the_reason(
    client: TestClient, geometry: dict[str, Any] | None, status: int, reason: str
) -> None:
    body = area_feature()
    body["geometry"] = geometry
    response = client.post(URL, json=body)
    assert response.status_code == status
    assert reason in response.json()["detail"]
    assert response.json()["field"] == "geometry"
    assert client.get(URL).json()["numberReturned"] == 0


def test_too_many_vertices_is_413(client: TestClient) -> None:
    import math

    n = 10_001  # one more than the default limit of 10,000 vertices
    ring = [[30 + 0.01 * math.cos(2 * math.pi * i / n), 50 + 0.01 * math.sin(2 * math.pi * i / n)] for i in range(n)]
    response = client.post(URL, json=area_feature({"type": "Polygon", "coordinates": [[*ring, ring[0]]]}))
    assert response.status_code == 413
    assert "10002 vertices, more than the limit of 10000" in response.json()["detail"]


def refused_field(response: Any) -> str:
    """The field an error answer blames: the app's `field`, or the `loc` of FastAPI's one validation error."""
    body = response.json()
    if isinstance(body["detail"], str):
        return str(body["field"])
    [error] = body["detail"]
    assert error["loc"][0] == "body", error
    return ".".join(map(str, error["loc"][1:]))


@pytest.mark.parametrize(
    ("properties", "status", "field", "reason"),
    [
        ({"classification": "XHA"}, 422, "classification", "Input should be 'SHA' or 'CHA'"),
        (
            {"contamination_types": ["ap_mine", "rocket"]}, 422, "contamination_types",
            "unknown contamination_types code(s) rocket; known codes: ap_mine",
        ),
        ({"evidence": ["rumour"]}, 422, "evidence", "unknown evidence code(s) rumour"),
        ({"blockages": ["church"]}, 422, "blockages", "unknown blockages code(s) church"),
        ({"hromada_code": "UA631202700000285"}, 422, "hromada_code", "String should match pattern"),
        ({"hromada_code": KHARKIV_HROMADA, "raion_code": "UA6314"}, 422, "raion_code", "is not in raion UA6314"),
        ({"raion_code": "UA6312", "oblast_code": "UA65"}, 422, "oblast_code", "raion UA6312 is not in oblast UA65"),
        ({"information_reliability": 7}, 422, "information_reliability", "less than or equal to 6"),
        (
            {"reporting_organisation_id": 999}, 422, "reporting_organisation_id",
            "reporting organisation 999 does not exist",
        ),
        ({"clasification": "CHA"}, 422, "clasification", "Extra inputs are not permitted"),
        ({"status": "closed"}, 409, "status", "a new area cannot be closed"),
        ({"returnees_expected": -3}, 422, "returnees_expected", "greater than or equal to 0"),
    ],
)  # fmt: skip
def test_bad_attributes_are_refused_with_the_reason(
    client: TestClient, properties: dict[str, Any], status: int, field: str, reason: str
) -> None:
    response = client.post(URL, json=area_feature(**properties))
    assert response.status_code == status, response.text
    assert reason in response.text
    assert refused_field(response) == f"properties.{field}"
    assert client.get(URL).json()["numberReturned"] == 0


def test_missing_classification_and_bad_json_are_422(client: TestClient) -> None:
    body = area_feature()
    del body["properties"]["classification"]
    missing = client.post(URL, json=body)
    assert missing.status_code == 422
    [error] = missing.json()["detail"]
    assert (error["loc"], error["msg"]) == (["body", "properties", "classification"], "Field required")
    bad = client.post(URL, content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422
    [error] = bad.json()["detail"]
    assert (error["type"], error["msg"]) == ("json_invalid", "JSON decode error")
    assert client.get(URL).json()["numberReturned"] == 0


def test_external_id_is_unique_per_source(client: TestClient) -> None:
    first = create(client, area_feature(source="nts", external_id="A-1"))
    clash = client.post(URL, json=area_feature(source="nts", external_id="A-1"))
    assert clash.status_code == 409
    assert f"already used by hazardous area {first['id']}" in clash.json()["detail"]
    create(client, area_feature(source="military-handover", external_id="A-1"))


def test_patch_changes_only_what_is_given_and_records_who(client: TestClient) -> None:
    created = create(client, area_feature(name="old", contamination_types=["uxo"], landowner="community"))
    area_id = created["id"]
    response = client.patch(
        f"{URL}/{area_id}",
        json={"properties": {"name": "new", "contamination_types": ["ap_mine", "ap_mine", "ied"]}},
        headers=if_match(client, f"{URL}/{area_id}", **bearer("im.officer")),
    )
    assert response.status_code == 200, response.text
    props = response.json()["properties"]
    assert props["name"] == "new"
    assert props["contamination_types"] == ["ap_mine", "ied"]
    assert props["landowner"] == "community"
    assert props["created_by"] == "ana.field" and props["updated_by"] == "im.officer"
    assert props["updated_at"] > props["created_at"]


def test_patch_geometry_recomputes_the_area(client: TestClient) -> None:
    area_id = create(client, area_feature(square(30.0, 50.0)))["id"]
    response = client.patch(
        f"{URL}/{area_id}",
        json={"geometry": square(30.0, 50.0, size=0.02)},
        headers=if_match(client, f"{URL}/{area_id}"),
    )
    props = response.json()["properties"]
    assert props["original_area_m2"] == pytest.approx(4 * 797_383, rel=0.001)
    assert props["remaining_area_m2"] == props["original_area_m2"]


def test_patch_to_closed_with_land_remaining_is_409_naming_the_allowed_states(client: TestClient) -> None:
    area_id = create(client, area_feature())["id"]
    response = client.patch(
        f"{URL}/{area_id}", json={"properties": {"status": "closed"}}, headers=if_match(client, f"{URL}/{area_id}")
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current_status"] == "open"
    assert body["allowed"] == ["worked_on"]
    assert "m² remaining" in body["detail"]
    ok = client.patch(
        f"{URL}/{area_id}",
        json={"properties": {"status": "worked_on", "status_reason": "TS began"}},
        headers=if_match(client, f"{URL}/{area_id}"),
    )
    assert ok.json()["properties"]["status"] == "worked_on"


def test_patch_cannot_remove_the_classification(client: TestClient) -> None:
    area_id = create(client, area_feature())["id"]
    response = client.patch(
        f"{URL}/{area_id}", json={"properties": {"classification": None}}, headers=if_match(client, f"{URL}/{area_id}")
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "classification cannot be removed: an area is SHA or CHA"
    assert response.json()["field"] == "properties.classification"
    assert client.get(f"{URL}/{area_id}").json()["properties"]["classification"] == "SHA"


def test_delete_is_a_mark_with_who_when_and_why(client: TestClient, database_url: str) -> None:
    from sqlalchemy import create_engine, text

    area_id = create(client, area_feature())["id"]
    response = client.delete(
        f"{URL}/{area_id}",
        params={"reason": "duplicate of KH-17"},
        headers=if_match(client, f"{URL}/{area_id}", **bearer("na.im")),
    )
    assert response.status_code == 204
    gone = client.get(f"{URL}/{area_id}")
    assert gone.status_code == 410
    assert gone.json()["deleted_by"] == "na.im"
    assert gone.json()["delete_reason"] == "duplicate of KH-17"
    assert client.get(URL).json()["numberReturned"] == 0
    for again in (
        client.delete(f"{URL}/{area_id}", headers={"If-Match": "*"}),
        client.patch(f"{URL}/{area_id}", json={"properties": {"name": "x"}}, headers={"If-Match": "*"}),
    ):
        assert again.status_code == 410
        assert again.json()["detail"].startswith(f"hazardous area {area_id} was deleted on ")
        assert (again.json()["deleted_by"], again.json()["delete_reason"]) == ("na.im", "duplicate of KH-17")
    engine = create_engine(database_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT deleted_by, deleted_at IS NOT NULL FROM hazardous_area")).one()
    engine.dispose()
    assert tuple(row) == ("na.im", True)


def test_unknown_and_out_of_range_ids(client: TestClient) -> None:
    assert_ids_are_checked(client, URL, what="hazardous area", path_param="area_id")


def test_healthz_reports_the_database_and_postgis(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["postgis"].startswith("3.")


def test_lookups_list_the_default_evidence(client: TestClient) -> None:
    lookups = client.get("/api/v1/lookups").json()
    direct = [e["code"] for e in lookups["evidence"] if e["kind"] == "direct"]
    assert direct == ["detonation", "accident_known_location", "reliable_record", "mine_sign_or_fencing", "item_seen"]
    assert len(lookups["evidence"]) == 11
    assert [c["code"] for c in lookups["contamination_types"]][:3] == ["ap_mine", "at_mine", "uxo"]
    assert len(lookups["blockages"]) == 7
