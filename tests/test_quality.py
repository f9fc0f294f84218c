"""Data-quality flags against real PostGIS: slivers, duplicates, overlaps, repairs, dates, boundaries, totals once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from app.config import get_settings
from app.db.session import get_engine, new_session
from app.services.registry.quality import refresh_quality
from tests.factories import area_feature, if_match, laea_feature, laea_rectangle, square

AREAS = "/api/v1/hazardous-areas"
QUALITY = "/api/v1/quality"
KM = 1_000.0
KM2 = 1_000_000.0
STRIP_M2 = 100_000.0  # 100 m x 1,000 m
# Overlaps are measured with PostGIS geography, the accounts with gis/area.py: they agree to well under 1 m² here.
M2 = 1.0


def create(client: TestClient, body: dict[str, Any]) -> int:
    response = client.post(AREAS, json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def rectangle(client: TestClient, x0: float, x1: float, classification: str = "SHA", **props: Any) -> int:
    """An area of (x0..x1) x (0..1,000) metres near Kharkiv, dated, so that only what a test sets up is flagged."""
    props.setdefault("reported_on", "2025-01-10")
    return create(client, laea_feature(laea_rectangle(x0, 0, x1, KM), classification=classification, **props))


def flags(client: TestClient, area_id: int) -> list[dict[str, Any]]:
    response = client.get(f"{AREAS}/{area_id}")
    assert response.status_code == 200, response.text
    return list(response.json()["properties"]["quality_flags"])


def kinds(client: TestClient, area_id: int) -> list[str]:
    return sorted(f["kind"] for f in flags(client, area_id))


def listed(client: TestClient, **params: Any) -> list[int]:
    response = client.get(AREAS, params=params)
    assert response.status_code == 200, response.text
    return sorted(f["id"] for f in response.json()["features"])


@pytest.fixture
def sliver_200000() -> Iterator[None]:
    """A programme that calls anything under 200,000 m² a sliver (settings are read once: cleared around the test)."""
    os.environ["MAIS_SLIVER_M2"] = "200000"
    get_settings.cache_clear()
    yield
    del os.environ["MAIS_SLIVER_M2"]
    get_settings.cache_clear()


def test_a_half_square_metre_sliver_is_flagged_with_its_m2(client: TestClient) -> None:
    sliver = create(client, laea_feature(laea_rectangle(0, 0, 1, 0.5), classification="SHA", reported_on="2025-01-10"))
    field = rectangle(client, 5_000, 5_100)  # 100,000 m²
    [flag] = flags(client, sliver)
    assert flag["kind"] == "sliver"
    assert flag["area_m2"] == pytest.approx(0.5, abs=1e-3)
    assert flag["detail"].startswith("0.5 m², under the sliver threshold of 10 m² (MAIS_SLIVER_M2)")
    assert flags(client, field) == []


def test_the_sliver_threshold_is_a_setting(client: TestClient, sliver_200000: None) -> None:
    field = rectangle(client, 0, 100)  # 100,000 m²
    assert kinds(client, field) == ["sliver"]
    assert client.get(QUALITY).json()["sliver_m2"] == 200_000


def test_identical_polygons_are_flagged_duplicate_both_ways_until_one_is_deleted(client: TestClient) -> None:
    first = rectangle(client, 0, KM)
    second = rectangle(client, 0, KM)
    one, two = ({f["kind"]: f for f in flags(client, a)} for a in (first, second))
    assert (one["duplicate_geometry"]["other_area_id"], two["duplicate_geometry"]["other_area_id"]) == (second, first)
    assert f"the same geometry as hazardous area {second}" in one["duplicate_geometry"]["detail"]
    # A duplicate also holds the same land twice: the overlap is all of it.
    assert one["overlap"]["area_m2"] == pytest.approx(KM2, abs=M2)
    url = f"{AREAS}/{second}"
    assert client.delete(url, params={"reason": "entered twice"}, headers=if_match(client, url)).status_code == 204
    assert flags(client, first) == []
    assert client.post(f"{url}/restore").status_code == 200
    assert kinds(client, first) == kinds(client, second) == ["duplicate_geometry", "overlap"]


def test_two_squares_sharing_a_strip_are_flagged_and_every_total_counts_the_strip_once(client: TestClient) -> None:
    west = rectangle(client, 0, KM)
    east = rectangle(client, 900, 1_900)  # the strip x 900..1,000 lies in both
    for area, other in ((west, east), (east, west)):
        [flag] = flags(client, area)
        assert (flag["kind"], flag["other_area_id"]) == ("overlap", other)
        assert flag["area_m2"] == pytest.approx(STRIP_M2, abs=M2)
        assert f"its remaining land overlaps hazardous area {other} by 1000" in flag["detail"]
    summary = client.get(QUALITY).json()
    assert summary["areas_flagged"] == {
        "sliver": 0, "duplicate_geometry": 0, "overlap": 2, "geometry_repaired": 0, "outside_country": 0,
        "date_unknown": 0,
    }  # fmt: skip
    assert (summary["overlapping_pairs"], summary["live_areas"]) == (1, 2)
    assert summary["remaining_m2"] == pytest.approx(2 * KM2, abs=M2)
    assert summary["double_counted_m2"] == pytest.approx(STRIP_M2, abs=M2)
    assert summary["remaining_once_m2"] == pytest.approx(1_900_000, abs=M2)
    [pair] = summary["top_overlaps"]
    assert (pair["hazardous_area_id"], pair["other_area_id"]) == (west, east)
    assert pair["area_m2"] == pytest.approx(STRIP_M2, abs=M2)
    headline = client.get("/api/v1/dashboard/headline").json()
    assert headline["suspected_remaining_m2"] == pytest.approx(1_900_000, abs=M2)  # not 2,000,000
    assert headline["overlap_counted_once_m2"] == pytest.approx(STRIP_M2, abs=M2)
    report = client.get("/api/v1/reports/donor").json()
    assert report["headline"]["remaining_sha_m2"] == pytest.approx(1_900_000, abs=M2)
    assert report["headline"]["overlap_counted_once_m2"] == pytest.approx(STRIP_M2, abs=M2)
    [row] = report["tables"]["remaining"]
    assert (row["sha_areas"], row["sha_m2"]) == (2, pytest.approx(1_900_000, abs=M2))


def test_land_an_sha_and_a_cha_share_counts_as_cha(client: TestClient) -> None:
    rectangle(client, 0, KM, "SHA")
    rectangle(client, 900, 1_900, "CHA")
    headline = client.get("/api/v1/dashboard/headline").json()
    assert headline["suspected_remaining_m2"] == pytest.approx(900_000, abs=M2)
    assert headline["confirmed_remaining_m2"] == pytest.approx(KM2, abs=M2)
    remaining = client.get("/api/v1/reports/donor").json()["tables"]["remaining"]
    assert [(r["sha_m2"], r["cha_m2"]) for r in remaining] == [
        (pytest.approx(900_000, abs=M2), pytest.approx(KM2, abs=M2))
    ]


def test_land_three_areas_share_is_counted_once_not_corrected_twice(client: TestClient) -> None:
    # Pairwise subtraction would take the strip off three times (300,000 m²) where it was counted twice too many.
    for x0, x1 in ((0, KM), (900, 1_900), (900, KM)):
        rectangle(client, x0, x1)
    summary = client.get(QUALITY).json()
    assert summary["overlapping_pairs"] == 3
    assert summary["double_counted_m2"] == pytest.approx(2 * STRIP_M2, abs=M2)
    headline = client.get("/api/v1/dashboard/headline").json()
    assert headline["suspected_remaining_m2"] == pytest.approx(1_900_000, abs=M2)


def test_a_release_of_the_shared_strip_takes_the_overlap_flags_away(client: TestClient) -> None:
    west = rectangle(client, 0, KM)
    east = rectangle(client, 900, 1_900)
    org = client.post("/api/v1/organisations", json={"name": "Steppe Demining", "kind": "ngo"}).json()["id"]
    activity = {"type": "nts", "organisation_id": org, "hazardous_area_ids": [east], "status": "ongoing",
                "actual_start": "2025-03-01", "methods": ["nts"]}  # fmt: skip
    activity_id = client.post("/api/v1/activities", json=activity).json()["id"]
    release = laea_feature(laea_rectangle(900, 0, 1_000, KM), activity_id=activity_id, hazardous_area_id=east,
                           kind="cancelled", method="nts", released_on="2025-03-10")  # fmt: skip
    assert client.post("/api/v1/releases", json=release).status_code == 201
    assert flags(client, west) == flags(client, east) == []
    headline = client.get("/api/v1/dashboard/headline").json()
    assert headline["suspected_remaining_m2"] == pytest.approx(1_900_000, abs=M2)  # 1,000,000 + 900,000 left
    assert headline["overlap_counted_once_m2"] == 0


def test_a_deleted_area_keeps_no_overlap_and_its_neighbour_loses_its_own(client: TestClient) -> None:
    west = rectangle(client, 0, KM)
    east = rectangle(client, 900, 1_900)
    url = f"{AREAS}/{east}"
    assert client.delete(url, headers=if_match(client, url)).status_code == 204
    assert flags(client, west) == []
    assert client.get(QUALITY).json()["double_counted_m2"] == 0
    assert client.post(f"{url}/restore").status_code == 200
    assert kinds(client, west) == kinds(client, east) == ["overlap"]


def test_a_bowtie_is_flagged_repaired_and_a_clean_correction_clears_the_note(client: TestClient) -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[36.2, 50.0], [36.21, 50.01], [36.21, 50.0], [36.2, 50.01],
                                                  [36.2, 50.0]]]}  # fmt: skip
    area = create(client, area_feature(bowtie, reported_on="2025-01-10"))
    [flag] = flags(client, area)
    assert flag["kind"] == "geometry_repaired"
    assert "make_valid" in flag["detail"] and "Self-intersection" in flag["detail"]
    url = f"{AREAS}/{area}"
    renamed = client.patch(url, json={"properties": {"name": "Orchard"}}, headers=if_match(client, url))
    assert [f["kind"] for f in renamed.json()["properties"]["quality_flags"]] == ["geometry_repaired"]
    corrected = client.patch(url, json={"geometry": square(36.2, 50.0)}, headers=if_match(client, url))
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["properties"]["quality_flags"] == []


def test_reprojection_is_no_repair(client: TestClient) -> None:
    area = rectangle(client, 0, 100)  # declared in EPSG:3035 and reprojected: the shape is as drawn
    assert flags(client, area) == []


def test_an_area_without_a_date_of_information_is_flagged_date_unknown(client: TestClient) -> None:
    undated = create(client, laea_feature(laea_rectangle(0, 0, 100, 100), classification="SHA"))
    unknown = create(
        client, laea_feature(laea_rectangle(200, 0, 300, 100), classification="SHA", reported_on_precision="unknown")
    )
    month = create(
        client,
        laea_feature(laea_rectangle(400, 0, 500, 100), classification="SHA", reported_on="2024-05-01",
                     reported_on_precision="month"),
    )  # fmt: skip
    assert kinds(client, undated) == kinds(client, unknown) == ["date_unknown"]
    assert flags(client, month) == []
    assert client.get(f"{AREAS}/{month}").json()["properties"]["reported_on_precision"] == "month"
    url = f"{AREAS}/{month}"
    dated_later = client.patch(
        url,
        json={"properties": {"reported_on": None, "reported_on_precision": "unknown"}},
        headers=if_match(client, url),
    )
    assert dated_later.status_code == 200, dated_later.text
    assert [f["kind"] for f in dated_later.json()["properties"]["quality_flags"]] == ["date_unknown"]


@pytest.mark.parametrize(
    ("props", "reason"),
    [
        ({"reported_on": "2024-05-03", "reported_on_precision": "unknown"}, "but reported_on is given"),
        ({"reported_on_precision": "day"}, "reported_on_precision is 'day' but reported_on is missing"),
        ({"reported_on_precision": "decade"}, "reported_on_precision"),
    ],
)
def test_a_date_and_its_precision_must_agree(client: TestClient, props: dict[str, Any], reason: str) -> None:
    response = client.post(AREAS, json=laea_feature(laea_rectangle(0, 0, 100, 100), classification="SHA", **props))
    assert response.status_code == 422
    assert reason in response.text
    assert listed(client) == []


def test_a_correction_to_an_unknown_date_must_clear_the_date(client: TestClient) -> None:
    area = rectangle(client, 0, 100)
    url = f"{AREAS}/{area}"
    response = client.patch(
        url, json={"properties": {"reported_on_precision": "unknown"}}, headers=if_match(client, url)
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "reported_on_precision is 'unknown' but reported_on is not cleared: send reported_on: null with it, "
        "or say how much of the date is known (day, month or year)",
        "field": "properties.reported_on",
    }


def test_areas_outside_the_loaded_boundaries_are_flagged(client: TestClient, database_url: str) -> None:
    near_kharkiv = rectangle(client, 0, 100)
    in_laos = create(client, area_feature(square(102.6, 18.0), reported_on="2025-01-10"))
    assert flags(client, in_laos) == []  # no boundaries loaded: nothing is outside
    with get_engine().begin() as conn:
        conn.execute(
            text(
                """INSERT INTO admin_unit (country, level, code, name, geom, created_by)
                   VALUES ('UA', 1, 'UA63', 'Kharkivska', ST_Multi(ST_MakeEnvelope(35, 49, 38, 51, 4326)), 'tests')"""
            )
        )
    for area in (near_kharkiv, in_laos):  # a write of either refreshes its flags
        url = f"{AREAS}/{area}"
        assert client.patch(url, json={"properties": {"notes": "checked"}}, headers=if_match(client, url)).is_success
    assert flags(client, near_kharkiv) == []
    [flag] = flags(client, in_laos)
    assert flag["kind"] == "outside_country" and "swapped lat/lon" in flag["detail"]


def test_the_quality_filter_selects_exactly_the_flagged_areas(client: TestClient) -> None:
    west, east = rectangle(client, 0, KM), rectangle(client, 900, 1_900)
    sliver = create(
        client, laea_feature(laea_rectangle(5_000, 0, 5_001, 1), classification="CHA", reported_on="2025-01-10")
    )
    clean = rectangle(client, 8_000, 9_000)
    assert listed(client, quality="overlap") == [west, east]
    assert listed(client, quality="sliver,overlap") == [west, east, sliver]
    assert listed(client, quality=["sliver"], classification="CHA") == [sliver]
    assert clean not in listed(client, quality="overlap,sliver,date_unknown")
    assert client.get(QUALITY, params={"quality": "sliver"}).json()["areas_flagged"]["sliver"] == 1
    # The one filter serves the ranking, the tiles and the figures too.
    assert client.get("/api/v1/dashboard/headline", params={"quality": "sliver"}).json()["areas"] == 1
    bad = client.get(AREAS, params={"quality": "overlap,slivers"})
    assert bad.status_code == 422
    assert bad.json() == {
        "detail": "quality: unknown value(s) slivers; allowed: sliver, duplicate_geometry, overlap, geometry_repaired, "
        "outside_country, date_unknown",
        "field": "quality",
    }


def test_refresh_is_set_based_whatever_the_number_of_areas(client: TestClient) -> None:
    ids = [rectangle(client, x, x + 100 + (x == 300) * 100) for x in range(0, 1_000, 150)]  # two overlap
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = get_engine()
    for areas in (ids[:1], ids):
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            with new_session() as session:
                refresh_quality(session, areas, {area: [] for area in areas})
                session.commit()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert len([s for s in statements if "quality_flag" in s]) == 6
    assert client.get(QUALITY).json()["areas_flagged"]["overlap"] == 2
