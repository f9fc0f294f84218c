"""OGC API – Features read by real clients (GDAL's OAPIF driver, OWSLib) from the app served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from fastapi.testclient import TestClient
from owslib.ogcapi.features import Features
from sqlalchemy import text

from app.api.ogc import CONFORMANCE
from app.db.session import new_session
from tests.accounts import make_account
from tests.report_world import ReportWorld
from tests.served_app import app_process, requests_seen


class Recorder:
    """Where the app process notes the requests it is sent (to see what a client pushed to the server)."""

    def __init__(self, log: Path) -> None:
        self.log = log

    @property
    def queries(self) -> list[tuple[str, dict[str, list[str]]]]:
        return requests_seen(self.log)

    def clear(self) -> None:
        self.log.unlink(missing_ok=True)


@pytest.fixture
def world(client: TestClient) -> ReportWorld:
    return ReportWorld(client)


@pytest.fixture
def served(world: ReportWorld, database_url: str, tmp_path: Path) -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder(tmp_path / "requests.log")
    with app_process(database_url, recorder.log) as base:
        yield base, recorder


def _gdal_token(headers: dict[str, str] | None) -> None:
    """GDAL sends the API token as QGIS's authentication does: `Authorization: Bearer …` on every request."""
    token = headers["Authorization"].removeprefix("Bearer ") if headers else None
    pyogrio.set_gdal_config_options(
        {"GDAL_HTTP_AUTH": "BEARER" if token else None, "GDAL_HTTP_BEARER": token, "GDAL_HTTP_MAX_RETRY": "0"}
    )


@pytest.fixture
def coordinator() -> Iterator[dict[str, str]]:
    headers = make_account("coordinator", username="qgis.user").headers
    _gdal_token(headers)
    yield headers
    _gdal_token(None)


def _sql(query: str) -> list[Any]:
    with new_session() as session:
        return list(session.execute(text(query)).mappings())


def test_gdal_reads_every_collection_and_the_areas_equal_sql(
    served: tuple[str, Recorder], coordinator: dict[str, str], world: ReportWorld
) -> None:
    base, _ = served
    layers = set(pyogrio.list_layers(f"OAPIF:{base}/ogc")[:, 0])
    assert {"hazardous_areas", "releases", "tasks", "devices_found", "accidents", "admin_units", "context"} <= layers
    frame = pyogrio.read_dataframe(f"OAPIF:{base}/ogc", layer="hazardous_areas")
    expected = {r["id"]: r for r in _sql("SELECT id, classification, remaining_area_m2 FROM hazardous_area")}
    assert sorted(frame["id"]) == sorted(expected)
    for row in frame.itertuples():
        assert row.classification == expected[row.id]["classification"]
        assert row.remaining_area_m2 == pytest.approx(expected[row.id]["remaining_area_m2"], abs=1e-6)
    releases = pyogrio.read_dataframe(f"OAPIF:{base}/ogc", layer="releases")
    assert sorted(releases["kind"]) == ["cancelled", "cleared", "cleared", "reduced"]


def test_gdal_bbox_and_attribute_filter_are_evaluated_by_the_server(
    served: tuple[str, Recorder], coordinator: dict[str, str], world: ReportWorld
) -> None:
    base, recorder = served
    [h2] = _sql(f"SELECT ST_XMin(geom) x0, ST_YMin(geom) y0, ST_XMax(geom) x1, ST_YMax(geom) y1 "
                f"FROM hazardous_area WHERE id = {world.h2}")  # fmt: skip
    frame = pyogrio.read_dataframe(
        f"OAPIF:{base}/ogc", layer="hazardous_areas", bbox=(h2["x0"], h2["y0"], h2["x1"], h2["y1"])
    )
    assert list(frame["id"]) == [world.h2]
    recorder.clear()
    cha = pyogrio.read_dataframe(f"OAPIF:{base}/ogc", layer="hazardous_areas", where="classification = 'CHA'")
    assert list(cha["id"]) == [world.h2]
    sent = [q for path, q in recorder.queries if path.endswith("/items")]
    filters = [q["filter"][0] for q in sent if "filter" in q]
    assert filters, f"GDAL did not push the filter to the server: {sent}"
    assert "classification" in filters[0] and "CHA" in filters[0]
    # Queryables as query parameters (Part 3): a property named in the query string filters by equality.
    recorder.clear()


def test_owslib_lists_collections_and_filters_with_cql2_text_and_json(
    served: tuple[str, Recorder], coordinator: dict[str, str], world: ReportWorld
) -> None:
    base, recorder = served
    api = Features(f"{base}/ogc", headers=coordinator)
    assert set(api.conformance()["conformsTo"]) == set(CONFORMANCE)
    assert "hazardous_areas" in [c["id"] for c in api.collections()["collections"]]
    found = api.collection_items("hazardous_areas", filter="remaining_area_m2 > 100000 AND classification = 'SHA'")
    expected = _sql("SELECT id FROM hazardous_area WHERE remaining_area_m2 > 100000 AND classification = 'SHA'")
    assert sorted(f["id"] for f in found["features"]) == sorted(r["id"] for r in expected)
    assert found["numberMatched"] == len(expected) == found["numberReturned"]
    inside = api.collection_items(
        "releases",
        filter='{"op": "s_intersects", "args": [{"property": "geometry"}, {"type": "Polygon", "coordinates": '
        + _ring(world)
        + "}]}",
        **{"filter-lang": "cql2-json"},
    )
    assert {f["properties"]["hazardous_area_id"] for f in inside["features"]} == {world.h2}
    assert any("filter-lang" in q for _, q in recorder.queries)


def _ring(world: ReportWorld) -> str:
    [h2] = _sql(f"SELECT ST_AsGeoJSON(ST_Envelope(geom)) AS g FROM hazardous_area WHERE id = {world.h2}")
    import json

    return json.dumps(json.loads(h2["g"])["coordinates"])


def test_a_queryable_as_a_query_parameter_filters_by_equality(client: TestClient, world: ReportWorld) -> None:
    body = client.get("/ogc/collections/hazardous_areas/items", params={"classification": "CHA"}).json()
    assert [f["id"] for f in body["features"]] == [world.h2] and body["numberMatched"] == 1
    tasks = client.get("/ogc/collections/tasks/items", params={"reference": "T1"}).json()
    assert [f["properties"]["reference"] for f in tasks["features"]] == ["T1"]
    bad = client.get("/ogc/collections/tasks/items", params={"priority": "high"})
    assert bad.status_code == 400 and "priority" in bad.json()["detail"]


def test_the_service_definition_lists_each_collections_queryables_for_gdal(client: TestClient) -> None:
    api = client.get("/ogc/api").json()
    assert api["servers"][0]["url"].endswith("/ogc")
    items = api["paths"]["/collections/hazardous_areas/items"]["get"]["parameters"]
    names = {p["name"] for p in items}
    assert {"bbox", "datetime", "limit", "filter", "filter-lang", "classification", "remaining_area_m2"} <= names
    [lang] = [p for p in items if p["name"] == "filter-lang"]
    assert lang["schema"]["enum"] == ["cql2-text", "cql2-json", "cql-text"]


def test_pages_follow_next_links_to_every_item(client: TestClient, world: ReportWorld) -> None:
    url, seen = "/ogc/collections/hazardous_areas/items?limit=1", []
    while url:
        page = client.get(url)
        assert page.status_code == 200 and page.headers["content-type"].startswith("application/geo+json")
        body = page.json()
        assert body["numberMatched"] == 3 and body["numberReturned"] == 1
        seen += [f["id"] for f in body["features"]]
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), "")
    assert sorted(seen) == sorted([world.h1, world.h2, world.h3])


def test_collection_carries_extent_item_type_and_queryables(client: TestClient, world: ReportWorld) -> None:
    body = client.get("/ogc/collections/hazardous_areas").json()
    assert body["itemType"] == "feature"
    west, south, east, north = body["extent"]["spatial"]["bbox"][0]
    assert 30 < west < east < 40 and 44 < south < north < 53
    assert body["extent"]["temporal"]["interval"][0][0].endswith("T00:00:00Z")
    queryables = client.get("/ogc/collections/hazardous_areas/queryables")
    assert queryables.headers["content-type"].startswith("application/schema+json")
    assert queryables.json()["properties"]["remaining_area_m2"]["type"] == "number"
    item = client.get(f"/ogc/collections/hazardous_areas/items/{world.h2}").json()
    assert item["id"] == world.h2 and item["properties"]["classification"] == "CHA"
    accident_fields = client.get("/ogc/collections/accidents/queryables").json()["properties"]
    assert not {"sex", "age_band", "role", "identity"} & set(accident_fields)  # never a victim's details


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("filter=victim_name = 'x'", "victim_name, not queryable in hazardous_areas"),
        ("filter=classification = ", "not valid cql2-text"),
        ("filter-lang=sql&filter=1=1", "filter-lang must be one of"),
        ("reference=T1", "unknown query parameter(s): reference"),
        ("bbox=1,2,3", "bbox"),
        ("datetime=2025-13-01", "not an RFC 3339 date"),
        ("limit=10001", "limit"),
    ],
)
def test_a_malformed_query_is_a_400_with_the_reason(
    client: TestClient, world: ReportWorld, query: str, reason: str
) -> None:
    answer = client.get(f"/ogc/collections/hazardous_areas/items?{query}")
    assert answer.status_code in (400, 422), answer.text
    assert reason in str(answer.json()["detail"])


def test_a_role_without_access_is_refused_through_the_clients_too(
    served: tuple[str, Recorder], world: ReportWorld
) -> None:
    base, _ = served
    donor = make_account("donor", username="officer.nordic", donor_id=world.nordic).headers
    with pytest.raises(Exception, match="the role donor may not read"):
        Features(f"{base}/ogc", headers=donor).collection_items("hazardous_areas")
    _gdal_token(donor)
    try:
        # GDAL sees only what the donor may read: the areas are not even listed, and asking for them fails.
        assert "hazardous_areas" not in set(pyogrio.list_layers(f"OAPIF:{base}/ogc")[:, 0])
        with pytest.raises(pyogrio.errors.DataLayerError):
            pyogrio.read_dataframe(f"OAPIF:{base}/ogc", layer="hazardous_areas")
    finally:
        _gdal_token(None)
    with pytest.raises(pyogrio.errors.DataSourceError, match="log in"):  # no credentials at all
        pyogrio.read_dataframe(f"OAPIF:{base}/ogc", layer="hazardous_areas")
