"""Bad input never produces a 500: random bodies and parameters against the real API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

URL = "/api/v1/hazardous-areas"

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.just(None),
    st.text(max_size=3),
)
positions = st.lists(numbers, min_size=0, max_size=5)
rings = st.lists(positions, min_size=0, max_size=7)
geometries = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", "Bogus", ""]),
            "coordinates": st.one_of(st.lists(rings, max_size=3), st.lists(st.lists(rings, max_size=2), max_size=2)),
        }
    ),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
properties = st.fixed_dictionaries(
    {"classification": st.sampled_from(["SHA", "CHA", "XX", None])},
    optional={
        "contamination_types": st.lists(st.sampled_from(["ap_mine", "uxo", "zzz"]), max_size=3),
        "hromada_code": st.sampled_from(["UA63120270000028556", "UA63", "", "UA99999999999999999"]),
        "raion_code": st.sampled_from(["UA6312", "UA0101", "x"]),
        "information_reliability": st.integers(min_value=-10, max_value=10),
        "reported_on": st.sampled_from(["2024-01-01", "2024-13-01", "yesterday"]),
        "returnees_expected": st.integers(min_value=-(2**70), max_value=2**70),
        "reporting_organisation_id": st.integers(min_value=-(2**70), max_value=2**70),
    },
)
crs = st.one_of(st.none(), st.sampled_from(["EPSG:4326", "EPSG:32637", "EPSG:0", "nonsense", ""]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(geometry=geometries, props=properties, crs_name=crs)
def test_random_create_bodies_get_4xx_or_201(client: TestClient, geometry: Any, props: Any, crs_name: Any) -> None:
    body: dict[str, Any] = {"type": "Feature", "geometry": geometry, "properties": props}
    if crs_name is not None:
        body["crs"] = {"type": "name", "properties": {"name": crs_name}}
    # Python's json writes NaN/Infinity literals, which some clients send and the server must refuse.
    response = client.post(URL, content=json.dumps(body), headers={"content-type": "application/json"})
    assert response.status_code in (201, 409, 413, 422), response.text
    if response.status_code != 201:
        assert response.json()["detail"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["bbox", "status", "classification", "limit", "cursor", "reported_from", "hromada_code"]),
        st.text(max_size=25),
        max_size=4,
    )
)
def test_random_list_parameters_get_200_or_422(client: TestClient, params: dict[str, str]) -> None:
    response = client.get(URL, params=params)
    assert response.status_code in (200, 422), response.text
    if response.status_code != 200:
        assert response.json()["detail"]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)
WRITES = [
    ("/api/v1/activities", ["type", "organisation_id", "hazardous_area_ids", "status", "actual_start", "methods"]),
    ("/api/v1/releases", ["type", "geometry", "properties", "crs"]),
    ("/api/v1/tasks", ["reference", "organisation_id", "hazardous_area_ids", "status", "geometry"]),
    ("/api/v1/devices-found", ["type", "geometry", "properties"]),
    ("/api/v1/accidents", ["type", "geometry", "properties"]),
    ("/api/v1/hazardous-areas/1/status", ["status", "on", "reason", "certificate_ref"]),
    ("/api/v1/hazardous-areas/1/classification", ["classification", "evidence", "reason"]),
    ("/api/v1/tasks/1/progress-reports", ["period_start", "period_end", "cleared_m2"]),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.sampled_from(WRITES),
    data=st.data(),
)
def test_random_bodies_on_every_write_endpoint_never_500(client: TestClient, target: Any, data: Any) -> None:
    url, keys = target
    body = data.draw(st.dictionaries(st.sampled_from(keys), json_values, max_size=len(keys)))
    response = client.post(url, json=body)
    assert response.status_code in (201, 404, 409, 410, 413, 422), response.text
    if response.status_code != 201:
        assert response.json()["detail"]


READ_TARGETS = [
    "/api/v1/priorities",
    "/api/v1/dashboard/headline",
    "/api/v1/dashboard/rank-bands",
    "/tiles/hazardous-areas/6/38/21.mvt",
    "/tiles/hazardous-areas/12/2459/1388.mvt",
    "/tiles/tasks/9/308/173.mvt",
    "/tiles/context/9/308/173.mvt",
    "/api/v1/reports/donor",
]
READ_PARAMETERS = ["bbox", "status", "classification", "contamination_type", "oblast_code", "raion_code",
                   "hromada_code", "organisation_id", "reported_from", "reported_to", "scenario", "kind", "layer",
                   "donor_id", "agreement_id", "date_from", "date_to", "distance_m", "limit", "offset"]  # fmt: skip
read_values = st.one_of(
    st.text(max_size=25),
    st.sampled_from(
        [
            "UA63",
            "UA6312",
            "2025-01-01",
            "2025-13-40",
            "-1",
            "0",
            "99999999999999999999",
            "open",
            "SHA",
            "humanitarian",
            "30,45,40,52",
            "1e309",
            "nan",
            "cleared",
            "road",
        ]
    ),
)


@pytest.fixture
def read_world(client: TestClient) -> None:
    """Areas, a task, a release and the default scenarios, so that the reads run their real queries."""
    from app.db.session import new_session
    from app.services.priorities.scenarios import ensure_default_scenarios
    from tests.factories import area_feature, square

    org = client.post("/api/v1/organisations", json={"name": "Op", "kind": "ngo"}).json()["id"]
    ids = [client.post(URL, json=area_feature(square(36.2 + i / 50, 50.0), classification=c,
                                               oblast_code="UA63")).json()["id"]
           for i, c in enumerate(["SHA", "CHA", "SHA"])]  # fmt: skip
    task = {"reference": "T-1", "organisation_id": org, "hazardous_area_ids": ids[:1], "status": "assigned"}
    assert client.post("/api/v1/tasks", json=task).status_code == 201
    with new_session() as session:
        ensure_default_scenarios(session, user="test")
        session.commit()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.sampled_from(READ_TARGETS),
    params=st.dictionaries(st.sampled_from(READ_PARAMETERS), read_values, max_size=5),
)
def test_random_filters_on_the_dashboard_and_report_reads_never_500(
    client: TestClient, read_world: None, target: str, params: dict[str, str]
) -> None:
    response = client.get(target, params=params)
    assert response.status_code in (200, 404, 422), f"{target} {params}: {response.status_code} {response.text[:300]}"
    if response.status_code != 200:
        assert response.json()["detail"]
