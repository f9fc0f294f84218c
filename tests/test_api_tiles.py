"""Vector tiles decoded with mapbox-vector-tile and checked against SQL."""

from __future__ import annotations

import math
from typing import Any

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.factories import area_feature, if_match, square

MVT = "application/vnd.mapbox-vector-tile"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """XYZ tile holding a lon/lat point."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.fixture
def areas(client: TestClient) -> list[dict[str, Any]]:
    specs = [
        (36.20, 50.00, {"classification": "CHA", "name": "one", "contamination_types": ["ap_mine", "uxo"]}),
        (36.22, 50.00, {"classification": "SHA", "name": "two", "status": "worked_on"}),
        (36.24, 50.01, {"classification": "SHA", "name": "three"}),
        (32.60, 46.60, {"classification": "CHA", "name": "kherson"}),
    ]
    return [client.post("/api/v1/hazardous-areas", json=area_feature(square(x, y), **p)).json() for x, y, p in specs]


def names_at_zoom_10(client: TestClient, params: dict[str, Any]) -> set[str]:
    """Names in the two zoom-10 tiles that hold the three areas near Kharkiv (a tile edge runs between them)."""
    tiles = {tile_of(lon, 50.005, 10) for lon in (36.20, 36.25)}
    return {f["properties"]["name"] for x, y in tiles
            for f in decode(client.get(f"/tiles/hazardous-areas/10/{x}/{y}.mvt", params=params).content)}  # fmt: skip


def decode(content: bytes) -> list[dict[str, Any]]:
    layers = mapbox_vector_tile.decode(content)
    return list(layers["hazardous_areas"]["features"]) if "hazardous_areas" in layers else []


@pytest.mark.parametrize("z", [6, 9])
def test_below_zoom_10_a_tile_holds_one_dot_per_cell_and_counts_every_area(
    client: TestClient, areas: list[dict[str, Any]], database_url: str, z: int
) -> None:
    x, y = tile_of(36.21, 50.005, z)
    response = client.get(f"/tiles/hazardous-areas/{z}/{x}/{y}.mvt")
    cells = decode(response.content)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        inside = conn.execute(
            text("SELECT count(*) FROM hazardous_area WHERE ST_Intersects(ST_Transform(ST_PointOnSurface(geom), 3857),"
                 " ST_TileEnvelope(:z, :x, :y))"), {"z": z, "x": x, "y": y},
        ).scalar()  # fmt: skip
    engine.dispose()
    assert inside == 3  # the three near Kharkiv, not the one in Kherson
    assert sum(c["properties"]["areas"] for c in cells) == inside
    assert all(c["geometry"]["type"] == "Point" and c["properties"]["dot"] for c in cells)
    assert {c["properties"].get("id") for c in cells} == {
        a["id"] for a in areas if a["properties"]["name"] != "kherson"
    }
    # A worked-on SHA on top of the open CHA "one" shares its cell: the dot counts both and shows CHA, open.
    beside = area_feature(square(36.2001, 50.0001), classification="SHA", status="worked_on", name="beside one")
    extra = client.post("/api/v1/hazardous-areas", json=beside)
    assert extra.status_code == 201
    cells = decode(client.get(f"/tiles/hazardous-areas/{z}/{x}/{y}.mvt").content)
    assert sum(c["properties"]["areas"] for c in cells) == inside + 1
    shared = [c["properties"] for c in cells if c["properties"]["areas"] == 2]
    assert shared == [{"classification": "CHA", "status": "open", "areas": 2, "dot": True}]
    lone = [c for c in cells if c["properties"]["areas"] == 1]
    assert all(c["properties"]["id"] == c["id"] for c in lone)
    assert all("id" not in c["properties"] for c in cells if c["properties"]["areas"] > 1)


@pytest.mark.parametrize("z", [10, 12, 14])
def test_tile_holds_the_areas_sql_finds_in_it(
    client: TestClient, areas: list[dict[str, Any]], database_url: str, z: int
) -> None:
    x, y = tile_of(36.21, 50.005, z)
    response = client.get(f"/tiles/hazardous-areas/{z}/{x}/{y}.mvt")
    assert response.status_code == 200
    assert response.headers["content-type"] == MVT
    features = decode(response.content)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        expected = conn.execute(
            text(
                """SELECT id, name, classification, status, round(remaining_area_m2)::bigint AS m2
                   FROM hazardous_area WHERE geom && ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326) ORDER BY id"""
            ),
            {"z": z, "x": x, "y": y},
        ).all()
    engine.dispose()
    assert len(expected) >= 1
    got = sorted((f["id"], f["properties"]["name"], f["properties"]["classification"], f["properties"]["status"],
                  f["properties"]["remaining_area_m2"]) for f in features)  # fmt: skip
    assert got == [tuple(row) for row in expected]
    assert all(f["properties"]["id"] == f["id"] for f in features)  # clients that see only properties need it
    assert "kherson" not in [f["properties"]["name"] for f in features]


def test_filters_change_the_tile(client: TestClient, areas: list[dict[str, Any]]) -> None:
    x, y = tile_of(36.21, 50.005, 10)
    url = f"/tiles/hazardous-areas/10/{x}/{y}.mvt"
    names = names_at_zoom_10(client, {"classification": "SHA"})
    assert names == {"two", "three"}
    names = names_at_zoom_10(client, {"status": "worked_on"})
    assert names == {"two"}
    gone = client.get(url, params={"status": "gone"})
    assert gone.status_code == 422 and gone.json()["field"] == "status"
    assert gone.json()["detail"].startswith("status: unknown value(s) gone; allowed: open, worked_on")


def test_etag_gives_304_until_the_data_changes(client: TestClient, areas: list[dict[str, Any]]) -> None:
    x, y = tile_of(36.21, 50.005, 10)
    url = f"/tiles/hazardous-areas/10/{x}/{y}.mvt"
    first = client.get(url)
    assert first.headers["cache-control"] == "private, max-age=60"  # behind the login: no shared cache keeps it
    assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    area_url = f"/api/v1/hazardous-areas/{areas[0]['id']}"
    client.patch(area_url, json={"properties": {"name": "renamed"}}, headers=if_match(client, area_url))
    changed = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200
    assert "renamed" in {f["properties"]["name"] for f in decode(changed.content)}


def test_empty_and_bad_tiles(client: TestClient, areas: list[dict[str, Any]]) -> None:
    empty = client.get("/tiles/hazardous-areas/12/0/0.mvt")
    assert empty.status_code == 200 and decode(empty.content) == []
    off_grid = client.get("/tiles/hazardous-areas/3/8/0.mvt")
    assert off_grid.status_code == 422
    assert off_grid.json() == {"detail": "at zoom 3 tile x and y run from 0 to 7", "field": "x/y"}
    for z in (23, -1):
        bad_zoom = client.get(f"/tiles/hazardous-areas/{z}/0/0.mvt")
        assert bad_zoom.status_code == 422
        assert bad_zoom.json() == {"detail": "zoom must be between 0 and 22", "field": "z"}


def test_release_and_task_tiles(client: TestClient, areas: list[dict[str, Any]]) -> None:
    org = client.post("/api/v1/organisations", json={"name": "Op", "kind": "ngo"}).json()["id"]
    area = areas[0]["id"]
    task = client.post(
        "/api/v1/tasks",
        json={"reference": "T-7", "organisation_id": org, "hazardous_area_ids": [area], "status": "assigned"},
    )
    assert task.status_code == 201
    activity = client.post(
        "/api/v1/activities",
        json={"type": "nts", "organisation_id": org, "hazardous_area_ids": [area], "status": "ongoing",
              "actual_start": "2025-05-01"},
    ).json()["id"]  # fmt: skip
    west_half = square(36.20, 50.00, size=0.005)
    release = {"type": "Feature", "geometry": west_half,
               "properties": {"activity_id": activity, "hazardous_area_id": area, "kind": "cancelled",
                              "method": "nts", "released_on": "2025-05-03"}}  # fmt: skip
    counted = client.post("/api/v1/releases", json=release).json()["properties"]["area_m2"]
    x, y = tile_of(36.21, 50.005, 12)
    released = mapbox_vector_tile.decode(client.get(f"/tiles/releases/12/{x}/{y}.mvt").content)["releases"]
    assert [(f["properties"]["kind"], f["properties"]["area_m2"]) for f in released["features"]] == [
        ("cancelled", round(counted))
    ]
    tasks = mapbox_vector_tile.decode(client.get(f"/tiles/tasks/12/{x}/{y}.mvt").content)["tasks"]
    assert [(f["properties"]["reference"], f["properties"]["organisation"]) for f in tasks["features"]] == [
        ("T-7", "Op")
    ]
    assert client.get(f"/tiles/tasks/12/{x}/{y}.mvt", params={"status": "draft"}).content == b""
    assert client.get(f"/tiles/tasks/12/{x}/{y}.mvt", params={"organisation_id": org + 1}).content == b""
    assert client.get(f"/tiles/tasks/12/{x}/{y}.mvt", params={"organisation_id": org}).content != b""
    for not_an_id in ("x", "²"):
        refused = client.get(f"/tiles/tasks/12/{x}/{y}.mvt", params={"organisation_id": not_an_id})
        assert refused.status_code == 422 and refused.json()["field"] == "organisation_id", not_an_id
        assert refused.json()["detail"].startswith("organisation_id must be positive integer"), not_an_id
    refused = client.get(f"/tiles/releases/12/{x}/{y}.mvt", params={"status": "assigned"})
    assert refused.status_code == 422 and "cannot be filtered by status" in refused.text
    roads = client.get(f"/tiles/roads/12/{x}/{y}.mvt")
    assert roads.status_code == 422
    [error] = roads.json()["detail"]
    assert (error["loc"], error["msg"]) == (["path", "layer"], "Input should be 'releases', 'tasks' or 'context'")


def test_area_tiles_take_the_listing_filters_and_scores(client: TestClient, areas: list[dict[str, Any]]) -> None:
    x, y = tile_of(36.21, 50.005, 10)
    url = f"/tiles/hazardous-areas/10/{x}/{y}.mvt"
    org = client.post("/api/v1/organisations", json={"name": "Op", "kind": "ngo"}).json()["id"]
    three = next(a["id"] for a in areas if a["properties"]["name"] == "three")
    assert client.post("/api/v1/tasks", json={"reference": "T-1", "organisation_id": org,
                                               "hazardous_area_ids": [three]}).status_code == 201  # fmt: skip
    names = names_at_zoom_10(client, {"organisation_id": org})
    assert names == {"three"}
    names = names_at_zoom_10(client, {"contamination_type": "uxo"})
    assert names == {"one"}
    assert decode(client.get(url, params={"oblast_code": "UA65"}).content) == []
    backwards = client.get(url, params={"reported_from": "2025-02-01", "reported_to": "2025-01-01"})
    assert backwards.status_code == 422
    assert backwards.json() == {"detail": "reported_from is after reported_to", "field": "reported_from"}

    weights = {"device_severity": 10, "evidence": 10, "feasibility": 5}
    assert client.post("/api/v1/priority-scenarios", json={"name": "test", "weights": weights}).status_code == 201
    ranking = client.get("/api/v1/priorities", params={"scenario": "test", "limit": 100})
    assert ranking.status_code == 200 and ranking.json()["total"] == 4
    scores = {r["hazardous_area_id"]: r["score"] for r in ranking.json()["items"]}
    z9 = "/tiles/hazardous-areas/9/{}/{}.mvt".format(*tile_of(36.21, 50.005, 9))
    scored = decode(client.get(z9, params={"scenario": "test"}).content)  # one dot per area there
    assert len(scored) == 3 and all(f["properties"]["areas"] == 1 for f in scored)
    assert {f["id"]: f["properties"]["score"] for f in scored} == {f["id"]: round(scores[f["id"]], 3) for f in scored}
    assert all(f["properties"]["gated"] is False for f in scored)
    nope = client.get(url, params={"scenario": "nope"})
    assert nope.status_code == 404
    assert nope.json()["detail"] == "no priority scenario named 'nope'; there are: test"


def test_context_tiles_by_layer(client: TestClient, db: None) -> None:
    import geopandas as gpd
    from shapely import LineString, Point

    from app.db.session import new_session
    from app.services.priorities.context import load_features

    roads = gpd.GeoDataFrame({"name": ["M03"]}, geometry=[LineString([(36.1, 50.0), (36.3, 50.01)])], crs=4326)
    schools = gpd.GeoDataFrame({"name": ["School 5"]}, geometry=[Point(36.21, 50.004)], crs=4326)
    with new_session() as session:
        load_features(session, roads, layer="road", source="test", user="test")
        load_features(session, schools, layer="school", source="test", user="test")
        session.commit()
    x, y = tile_of(36.21, 50.005, 10)
    features = mapbox_vector_tile.decode(client.get(f"/tiles/context/10/{x}/{y}.mvt").content)["context"]["features"]
    assert sorted((f["properties"]["layer"], f["properties"]["name"]) for f in features) == [
        ("road", "M03"),
        ("school", "School 5"),
    ]
    only = client.get(f"/tiles/context/10/{x}/{y}.mvt", params={"layer": "school"}).content
    assert [f["properties"]["name"] for f in mapbox_vector_tile.decode(only)["context"]["features"]] == ["School 5"]


@pytest.mark.parametrize("z", [6, 12])
def test_an_operator_filter_leaves_deleted_areas_out_of_the_figures_and_tiles(
    client: TestClient, areas: list[dict[str, Any]], z: int
) -> None:
    # Regression: the operator filter alone (an OR) was embedded without brackets, so a deleted
    # area with a task of the operator counted in the headline and was drawn, unlike in the list.
    org = client.post("/api/v1/organisations", json={"name": "Op", "kind": "ngo"}).json()["id"]
    tasked, kept = areas[0]["id"], areas[2]["id"]
    for reference, area in (("T-1", tasked), ("T-2", kept)):
        task = {"reference": reference, "organisation_id": org, "hazardous_area_ids": [area]}
        assert client.post("/api/v1/tasks", json=task).status_code == 201
    url = f"/api/v1/hazardous-areas/{tasked}"
    assert client.delete(url, params={"reason": "duplicate"}, headers=if_match(client, url)).status_code == 204
    params = {"organisation_id": org}
    listed = client.get("/api/v1/hazardous-areas", params=params).json()["features"]
    assert [f["id"] for f in listed] == [kept]
    assert client.get("/api/v1/dashboard/headline", params=params).json()["areas"] == 1
    x, y = tile_of(36.241, 50.011, z)  # holds both areas at zoom 6, area "three" at zoom 12
    drawn = decode(client.get(f"/tiles/hazardous-areas/{z}/{x}/{y}.mvt", params=params).content)
    if z >= 10:
        assert [f["properties"]["name"] for f in drawn] == ["three"]
    else:
        assert sum(f["properties"]["areas"] for f in drawn) == 1
