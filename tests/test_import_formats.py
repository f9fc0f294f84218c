"""Every format a programme arrives with, imported: GeoJSON, GeoPackage, zipped Shapefile, KML/KMZ, CSV, XLSX, Kobo.

Each file is built here (geopandas/pyogrio write it), imported through the service as `mais import`
does, and the register is read back: counts, attributes and m² as the API would have stored them.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box, mapping
from sqlalchemy import text

from app.db.session import new_session
from gis.area import ellipsoid_area_m2
from gis.geometry import clean_area_geometry
from tests.import_files import (
    CELL,
    areas,
    clearance_on,
    csv_with_wkt,
    imported,
    odk_shape,
    refusals,
    report_of,
    write,
    zipped,
)

pytestmark = pytest.mark.usefixtures("db")
SQUARE_M2 = ellipsoid_area_m2(box(36.0, 49.5, 36.0 + CELL, 49.5 + CELL))


def register(source: str = "tests") -> list[dict[str, object]]:
    """The areas of a source as stored, in id order."""
    with new_session() as session:
        rows = session.execute(
            text(
                "SELECT external_id, classification, status, reported_on::text, reported_on_precision, "
                "contamination_types, original_area_m2, remaining_area_m2 FROM hazardous_area "
                "WHERE source = :source ORDER BY id"
            ),
            {"source": source},
        )
        return [dict(row) for row in rows.mappings()]


def test_a_geojson_export_goes_in_with_the_guessed_mapping_its_words_read_as_the_vocabulary(tmp_path: Path) -> None:
    job = imported(write(areas(3), tmp_path / "export.geojson"))
    assert (job.status, job.counts) == ("done", {"created": 3, "updated": 0, "repaired": 0, "refused": 0, "skipped": 0})
    assert job.mapping == {
        "external_id": {"column": "ID"},
        "classification": {"column": "Hazard Type"},
        "contamination_types": {"column": "Contamination"},
        "reported_on": {"column": "Date of report"},
    }
    stored = register()
    assert [(a["external_id"], a["classification"], a["status"]) for a in stored] == [
        ("HA-00001", "SHA", "open"),
        ("HA-00002", "CHA", "open"),
        ("HA-00003", "SHA", "open"),
    ]
    assert {(a["reported_on"], a["reported_on_precision"]) for a in stored} == {("2023-05-12", "day")}
    assert {tuple(a["contamination_types"]) for a in stored} == {("ap_mine", "uxo")}
    for area in stored:
        assert area["original_area_m2"] == pytest.approx(SQUARE_M2, rel=1e-9) == area["remaining_area_m2"]
    # The words read by a guess are listed once each, on the file's line (row 0), to be confirmed in the mapping.
    notes = [(r["row"], r["field"], r["problem"]) for r in report_of(job.id) if r["row"] == 0]
    assert notes == [
        (0, "classification", "column 'Hazard Type': read 'Suspected Minefield' as 'SHA'"),
        (0, "classification", "column 'Hazard Type': read 'Confirmed Minefield' as 'CHA'"),
    ]


def test_a_geopackage_brings_every_layer_or_the_one_named(tmp_path: Path) -> None:
    path = tmp_path / "operators.gpkg"
    write(areas(2), path, layer="north")
    write(areas(3, first=10, lat=49.6), path, layer="south", append=False)
    job = imported(path)
    assert job.counts["created"] == 5
    assert [r["problem"] for r in report_of(job.id) if r["row"] == 0 and r["field"] is None] == [
        "read 2 layers one after another: north, south"
    ]
    again = imported(path, layer="south", source="south only")
    assert [a["external_id"] for a in register("south only")] == ["HA-00010", "HA-00011", "HA-00012"]
    assert again.counts["created"] == 3


def test_a_zipped_shapefile_in_a_projected_crs_is_reprojected_with_the_apis_densified_m2(tmp_path: Path) -> None:
    # 100 m squares in UTM zone 37N (EPSG:32637), as a survey team's GIS exports them, .prj included.
    squares = [box(300_000 + 200 * i, 5_540_000, 300_100 + 200 * i, 5_540_100) for i in range(3)]
    frame = gpd.GeoDataFrame(
        {"HAZ_ID": ["S-1", "S-2", "S-3"], "HAZ_TYPE": ["SHA", "CHA", "SHA"]}, geometry=squares, crs="EPSG:32637"
    )
    folder = tmp_path / "shp"
    folder.mkdir()
    write(frame, folder / "hazards.shp")
    archive = zipped(tmp_path / "hazards.zip", sorted(folder.iterdir()))
    mapping = {"external_id": "HAZ_ID", "classification": "HAZ_TYPE"}
    job = imported(archive, mapping=mapping)
    assert job.counts["created"] == 3
    expected = [clean_area_geometry(json.loads(json.dumps(mapping_of(s))), crs="EPSG:32637").area_m2 for s in squares]
    assert [a["original_area_m2"] for a in register()] == pytest.approx(expected, rel=1e-9)
    assert 9_990 < expected[0] < 10_010  # 100 m × 100 m, near the zone's central scale
    assert [(r["row"], r["problem"]) for r in report_of(job.id) if r["row"] == 0] == [
        (0, "reprojected from EPSG:32637 to WGS 84 (EPSG:4326)")
    ]


def mapping_of(shape: object) -> dict[str, object]:
    """GeoJSON of a shape with lists, as a client sends it."""
    return json.loads(json.dumps(mapping(shape)))


@pytest.mark.parametrize("suffix", [".kml", ".kmz"])
def test_kml_and_kmz_from_google_earth_go_in(tmp_path: Path, suffix: str) -> None:
    path = write(areas(2), tmp_path / f"placemarks{suffix}", driver="LIBKML")
    job = imported(path)
    assert job.counts["created"] == 2
    assert [a["external_id"] for a in register()] == ["HA-00001", "HA-00002"]
    assert [a["original_area_m2"] for a in register()] == pytest.approx([SQUARE_M2] * 2, rel=1e-9)


def test_a_csv_with_a_wkt_column_and_semicolons_goes_in(tmp_path: Path) -> None:
    job = imported(csv_with_wkt(areas(4), tmp_path / "areas.csv", sep=";"))
    assert job.counts["created"] == 4
    assert job.mapping["geometry"] == {"column": "WKT"}


def test_a_csv_of_accidents_with_latitude_and_longitude_columns_goes_in(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "incident_id": ["AC-1", "AC-2"],
            "Date of accident": ["2024-06-03", "2023-11"],
            "Accident type": ["mine", "uxo_axo"],
            "Latitude": ["49.9935", "50,0012"],  # a decimal comma, as a spreadsheet in Ukrainian writes it
            "Longitude": ["36.2512", "36.3001"],
            "Killed": ["1", "0"],
            "Injured": ["0", "2"],
        }
    )
    path = tmp_path / "accidents.csv"
    table.to_csv(path, index=False)
    job = imported(path, kind="accidents")
    assert job.counts["created"] == 2, report_of(job.id)
    with new_session() as session:
        rows = session.execute(
            text(
                "SELECT external_id, occurred_on::text, occurred_on_precision, type, ST_X(geom), ST_Y(geom), "
                "(SELECT count(*) FROM victim v WHERE v.accident_id = a.id AND v.outcome = :killed) "
                "FROM accident a ORDER BY id"
            ),
            {"killed": "killed"},
        ).all()
    assert [tuple(r) for r in rows] == [
        ("AC-1", "2024-06-03", "day", "mine", 36.2512, 49.9935, 1),
        ("AC-2", "2023-11-01", "month", "uxo_axo", 36.3001, 50.0012, 0),
    ]


def test_an_xlsx_workbook_goes_in_with_its_ids_read_as_text(tmp_path: Path) -> None:
    table = pd.DataFrame(csv_table(areas(3)))
    table["ID"] = ["007", "008", "009"]  # leading zeros: an id, not a number
    path = tmp_path / "areas.xlsx"
    table.to_excel(path, index=False)
    job = imported(path)
    assert job.counts["created"] == 3, refusals(job.id)
    assert [a["external_id"] for a in register()] == ["007", "008", "009"]


def csv_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    table = pd.DataFrame(frame.drop(columns="geometry"))
    table["WKT"] = frame.geometry.to_wkt()
    return table


def test_a_kobo_csv_export_with_a_geoshape_column_goes_in(tmp_path: Path) -> None:
    # KoboToolbox: ";" separated, group prefixes in the headers, the shape as "lat lon alt acc;…".
    squares = [box(36.1 + 0.01 * i, 49.7, 36.1 + 0.01 * i + CELL, 49.7 + CELL) for i in range(3)]
    table = pd.DataFrame(
        {
            "start": ["2024-05-01T09:12:00.000+03:00"] * 3,
            "survey/hazard_type": ["Suspected hazardous area", "Confirmed hazardous area", "SHA"],
            "survey/date_of_report": ["2024-05-01", "2024-05", "2024"],
            "survey/boundary": [odk_shape(s) for s in squares],
            "_id": ["1001", "1002", "1003"],
            "_uuid": ["0f1e", "1a2b", "2b3c"],
        }
    )
    path = tmp_path / "kobo_export.csv"
    table.to_csv(path, index=False, sep=";")
    job = imported(path, source="kobo nts form")
    assert job.counts["created"] == 3, refusals(job.id)
    assert job.mapping["geometry"] == {"column": "survey/boundary"}
    assert job.mapping["external_id"] == {"column": "_id"}
    stored = register("kobo nts form")
    assert [(a["external_id"], a["classification"], a["reported_on_precision"]) for a in stored] == [
        ("1001", "SHA", "day"),
        ("1002", "CHA", "month"),
        ("1003", "SHA", "year"),
    ]
    assert [a["original_area_m2"] for a in stored] == pytest.approx([ellipsoid_area_m2(s) for s in squares], rel=1e-9)


def test_an_odk_xlsx_export_of_finds_with_a_geopoint_goes_in(tmp_path: Path) -> None:
    activity = clearance_on(box(36.2, 49.9, 36.3, 50.0))
    table = pd.DataFrame(
        {
            "KEY": ["uuid:aa", "uuid:bb"],
            "activity": [str(activity), str(activity)],
            "date_found": ["2025-04-10", "2025-04-11"],
            "device_type": ["ap_mine", "uxo"],
            "fate": ["Destroyed in situ", "Removed"],
            "location": ["49.95 36.25 140 4", "49.96 36.26 141 4"],
        }
    )
    path = tmp_path / "finds.xlsx"
    table.to_excel(path, index=False)
    job = imported(path, kind="devices_found")
    assert job.counts["created"] == 2, refusals(job.id)
    with new_session() as session:
        rows = session.execute(
            text("SELECT external_id, category, fate, ST_X(geom), ST_Y(geom) FROM device_found ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [
        ("uuid:aa", "ap_mine", "destroyed_in_situ", 36.25, 49.95),
        ("uuid:bb", "uxo", "removed", 36.26, 49.96),
    ]
    assert Point(36.25, 49.95).within(box(36.2, 49.9, 36.3, 50.0))


def test_a_geojson_declaring_a_projected_crs_member_is_reprojected(tmp_path: Path) -> None:
    ring = [
        [300_000, 5_540_000],
        [300_100, 5_540_000],
        [300_100, 5_540_100],
        [300_000, 5_540_100],
        [300_000, 5_540_000],
    ]
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:32637"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"ID": "U-1", "Hazard Type": "SHA"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    path = tmp_path / "utm.geojson"
    path.write_text(json.dumps(collection))
    job = imported(path)
    expected = clean_area_geometry({"type": "Polygon", "coordinates": [ring]}, crs="EPSG:32637").area_m2
    assert [a["original_area_m2"] for a in register()] == pytest.approx([expected], rel=1e-9)
    assert job.counts["created"] == 1
