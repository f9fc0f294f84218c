"""Activities, finds, accidents and historic releases, imported row by row through the services the API uses."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box
from sqlalchemy import text

from app.db.models import Organisation
from app.db.session import new_session
from gis.area import ellipsoid_area_m2
from tests.import_files import areas, clearance_on, csv_with_wkt, imported, refusals, report_of, write

pytestmark = pytest.mark.usefixtures("db")


def rows(sql: str, **params: object) -> list[tuple[object, ...]]:
    with new_session() as session:
        return [tuple(r) for r in session.execute(text(sql), params)]


def operator(name: str = "Dnipro Clearance Initiative", acronym: str = "DCI") -> int:
    with new_session() as session:
        org = Organisation(name=name, acronym=acronym, kind="ngo", created_by="tests", updated_by="tests")
        session.add(org)
        session.commit()
        return org.id


def csv_file(path: Path, table: dict[str, list[object]]) -> Path:
    pd.DataFrame(table).to_csv(path, index=False)
    return path


def test_accidents_without_a_known_date_are_recorded_as_unknown_with_their_victims(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "accidents.csv",
        {
            "id": ["A-1", "A-2", "A-3"],
            "date": ["2024-06-03", "", "2022"],
            "type": ["Mine", "uxo axo", "ied"],
            "lon": [36.25, 36.3, 36.35],
            "lat": [49.99, 50.0, 50.01],
            "killed": [1, 0, ""],
            "injured": [2, 1, ""],
        },
    )
    job = imported(path, kind="accidents")
    assert job.counts["created"] == 3, refusals(job.id)
    assert rows(
        "SELECT external_id, occurred_on::text, occurred_on_precision, type, "
        "(SELECT count(*) FROM victim v WHERE v.accident_id = a.id) FROM accident a ORDER BY id"
    ) == [
        ("A-1", "2024-06-03", "day", "mine", 3),
        ("A-2", None, "unknown", "uxo_axo", 1),
        ("A-3", "2022-01-01", "year", "ied", 0),
    ]
    again = imported(path, kind="accidents")
    assert again.counts == {"created": 0, "updated": 0, "repaired": 0, "refused": 0, "skipped": 3}


def test_an_accident_recorded_before_is_not_corrected_in_place(tmp_path: Path) -> None:
    table: dict[str, list[object]] = {
        "id": ["A-1"],
        "date": ["2024-06-03"],
        "type": ["mine"],
        "lon": [36.2],
        "lat": [50.0],
    }
    imported(csv_file(tmp_path / "v1.csv", table), kind="accidents")
    [(accident_id,)] = rows("SELECT id FROM accident")
    table["type"] = ["ied"]
    job = imported(csv_file(tmp_path / "v2.csv", table), kind="accidents")
    assert refusals(job.id) == [
        (
            1,
            "type",
            f"accident {accident_id}, which has this external id, records other type: accidents are not corrected "
            f"in place; delete accident {accident_id} and import the row again, or leave the row as it was",
        )
    ]


def test_finds_are_recorded_on_their_activity_and_a_find_in_a_closed_area_needs_a_reason(tmp_path: Path) -> None:
    activity = clearance_on(box(36.2, 49.9, 36.3, 50.0))
    path = csv_file(
        tmp_path / "finds.csv",
        {
            "find_id": ["F-1", "F-2"],
            "activity": [activity, 999_999],
            "found_on": ["2025-04-10", "2025-04"],
            "category": ["AP mine", "uxo"],
            "fate": ["destroyed in situ", "removed"],
            "depth": ["15", "x"],
            "lon": [36.25, 36.26],
            "lat": [49.95, 49.96],
        },
    )
    job = imported(path, kind="devices_found", mapping={"external_id": "find_id"}, skip_refused=True)
    assert job.counts["created"] == 1
    problems = refusals(job.id)
    assert [(row, field) for row, field, _ in problems] == [(2, "activity_id"), (2, "found_on"), (2, "depth_cm")]
    assert problems[1][2] == "column 'found_on': '2025-04' gives the date to the month: found_on needs it to the day"
    assert rows("SELECT external_id, source, category, depth_cm, hazardous_area_id IS NOT NULL FROM device_found") == [
        ("F-1", "tests", "ap_mine", 15, True)
    ]


def test_activities_refer_to_areas_by_their_external_ids_and_a_reimport_corrects_them_as_a_patch(
    tmp_path: Path,
) -> None:
    imported(write(areas(3), tmp_path / "areas.geojson"), source="imsma")
    operator()
    table: dict[str, list[object]] = {
        "Activity ID": ["ACT-1", "ACT-2"],
        "Activity type": ["Technical survey", "clearance"],
        "Organisation": ["DCI", "Dnipro Clearance Initiative"],
        "Hazard IDs": ["HA-00001; HA-00002", "HA-00003"],
        "Status": ["planned", "ongoing"],
        "Start date": ["", "2025-03-01"],
        "Team": ["T1", "T2"],
        "Methods": ["mechanical", "manual"],
    }
    job = imported(csv_file(tmp_path / "activities.csv", table), kind="activities", source="imsma")
    assert job.counts["created"] == 2, refusals(job.id)
    assert rows(
        "SELECT a.external_id, a.type, a.status, array_agg(h.external_id ORDER BY h.external_id) FROM activity a "
        "JOIN activity_hazardous_area l ON l.activity_id = a.id JOIN hazardous_area h ON h.id = l.hazardous_area_id "
        "GROUP BY a.id ORDER BY a.id"
    ) == [("ACT-1", "ts", "planned", ["HA-00001", "HA-00002"]), ("ACT-2", "clearance", "ongoing", ["HA-00003"])]
    # Work under way moved its area on, as through the API.
    assert rows("SELECT status FROM hazardous_area WHERE external_id = :e", e="HA-00003") == [("worked_on",)]
    table["Team"] = ["T1 (renamed)", "T2"]
    table["Organisation"] = ["DCI", "DCI"]
    again = imported(csv_file(tmp_path / "activities2.csv", table), kind="activities", source="imsma")
    assert again.counts == {"created": 0, "updated": 1, "repaired": 0, "refused": 0, "skipped": 1}
    assert rows("SELECT team FROM activity ORDER BY id") == [("T1 (renamed)",), ("T2",)]
    table["Hazard IDs"] = ["HA-00001", "HA-00003"]
    moved = imported(csv_file(tmp_path / "activities3.csv", table), kind="activities", source="imsma")
    assert [(row, field) for row, field, _ in refusals(moved.id)] == [(1, "hazardous_area_ids")]


def test_activities_of_an_unknown_organisation_are_refused_with_the_fix(tmp_path: Path) -> None:
    table: dict[str, list[object]] = {"id": ["ACT-9"], "type": ["nts"], "operator": ["Nobody Demining"]}
    job = imported(csv_file(tmp_path / "a.csv", table), kind="activities")
    [line] = [r for r in report_of(job.id) if r["outcome"] == "refused"]
    assert (line["field"], line["problem"], line["suggestion"]) == (
        "organisation_id",
        "column 'operator': no organisation is named 'Nobody Demining'",
        "record the organisation first (POST /api/v1/organisations), or map the name to its id",
    )


def test_a_historic_cleared_polygon_is_split_over_the_areas_it_overlaps_and_the_rest_closed(tmp_path: Path) -> None:
    # Three recorded areas side by side, and a cleared polygon over all three and beyond them.
    recorded = areas(3)
    imported(write(recorded, tmp_path / "areas.geojson"), source="archive")
    org = operator()
    cleared = box(35.999, 49.4995, 36.0085, 49.5015)
    release = pd.DataFrame({"ID": ["R-1"], "kind": ["cleared"], "method": ["manual"], "date": ["2019-06"]})
    release["organisation"] = [org]
    path = csv_with_wkt(gpd.GeoDataFrame(release, geometry=[cleared], crs="EPSG:4326"), tmp_path / "released.csv")
    job = imported(path, kind="releases", source="archive")
    assert job.counts["created"] == 1, refusals(job.id)
    accounts = rows(
        "SELECT h.external_id, h.status, h.original_area_m2, h.remaining_area_m2, "
        "coalesce((SELECT sum(r.area_m2) FROM release r WHERE r.hazardous_area_id = h.id), 0) "
        "FROM hazardous_area h ORDER BY h.id"
    )
    assert [a[0] for a in accounts] == ["HA-00001", "HA-00002", "HA-00003", "R-1/outside"]
    for _, _, original, remaining, released in accounts:
        assert original == pytest.approx(remaining + released, rel=1e-9)  # the identity holds on each area
    assert accounts[3][1] == "closed"
    total_released = sum(a[4] for a in accounts)
    assert total_released == pytest.approx(ellipsoid_area_m2(cleared), rel=1e-9)
    again = imported(path, kind="releases", source="archive")
    assert again.counts["skipped"] == 1
