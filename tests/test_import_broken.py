"""Broken files and broken rows: each problem gets its own line in the report with its fix, none a 500.

All or nothing by default: one refused row anywhere, even deep in a large file, and nothing is
written; with skip_refused the good rows go in and the refused ones are listed.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from shapely.geometry import Point, Polygon, box
from sqlalchemy import text

from app.db.session import new_session
from app.domain.errors import Invalid
from tests.import_files import areas, csv_with_wkt, imported, refusals, report_of, upload, write, zipped

pytestmark = pytest.mark.usefixtures("db")


def count_areas() -> int:
    with new_session() as session:
        return int(session.execute(text("SELECT count(*) FROM hazardous_area")).scalar_one())


def broken_geometries(tmp_path: Path) -> Path:
    """Five areas: fine, no geometry, a bow tie (repairable), a point, a ring collapsed to a line."""
    frame = areas(5)
    frame.loc[1, "geometry"] = None
    frame.loc[2, "geometry"] = Polygon([(36.1, 49.6), (36.11, 49.61), (36.11, 49.6), (36.1, 49.61), (36.1, 49.6)])
    frame.loc[3, "geometry"] = Point(36.2, 49.6)
    frame.loc[4, "geometry"] = Polygon([(36.3, 49.6), (36.31, 49.6), (36.32, 49.6), (36.3, 49.6)])
    return write(gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326"), tmp_path / "broken.gpkg")


def test_null_and_invalid_geometries_refuse_their_rows_and_all_or_nothing_writes_nothing(tmp_path: Path) -> None:
    job = imported(broken_geometries(tmp_path))
    assert job.status == "failed"
    assert job.error.startswith("3 of 5 rows refused: nothing was written (the import is all-or-nothing)")
    assert job.counts == {"created": 0, "updated": 0, "repaired": 0, "refused": 3, "skipped": 2}
    assert count_areas() == 0
    assert refusals(job.id) == [
        (2, "geometry", "geometry is missing: a hazardous area needs a Polygon or MultiPolygon"),
        (
            4,
            "geometry",
            "geometry type 'Point' is not an area: use Polygon or MultiPolygon (spot tasks and single items are "
            "points: they are not hazardous areas)",
        ),
        (5, "geometry", "geometry has no area (all its rings are collapsed or degenerate)"),
    ]
    held = [(r["row"], r["outcome"], r["problem"]) for r in report_of(job.id) if r["row"] in (1, 3)]
    assert held == [
        (1, "skipped", "would be created; not written: other rows were refused and the import is all-or-nothing"),
        (3, "skipped", "would be created; not written: other rows were refused and the import is all-or-nothing"),
        (3, "repaired", "repaired invalid geometry (Self-intersection[36.105 49.605]) with make_valid"),
    ]


def test_with_skip_refused_the_good_rows_go_in_and_the_repaired_one_says_so(tmp_path: Path) -> None:
    job = imported(broken_geometries(tmp_path), skip_refused=True)
    assert (job.status, job.error) == ("done", None)
    assert job.counts == {"created": 2, "updated": 0, "repaired": 1, "refused": 3, "skipped": 0}
    assert count_areas() == 2
    assert [r["row"] for r in report_of(job.id) if r["outcome"] == "refused"] == [2, 4, 5]


def test_a_bad_row_deep_in_a_large_file_leaves_nothing_written_unless_the_refused_are_skipped(tmp_path: Path) -> None:
    frame = areas(5_000)
    frame.loc[3_999, "Hazard Type"] = "Minenfeld?"  # row 4,000: a word the vocabulary does not know
    path = write(frame, tmp_path / "national.gpkg")
    held = imported(path)
    assert (held.status, held.counts["refused"], held.counts["skipped"]) == ("failed", 1, 4_999)
    assert count_areas() == 0
    expected = [(4_000, "classification", "column 'Hazard Type': 'Minenfeld?' is not one of SHA, CHA")]
    assert refusals(held.id) == expected
    written = imported(path, skip_refused=True)
    assert (written.status, written.counts["created"], written.counts["refused"]) == ("done", 4_999, 1)
    assert count_areas() == 4_999
    assert refusals(written.id) == expected
    line = next(r for r in report_of(written.id) if r["outcome"] == "refused")
    assert (line["external_id"], line["suggestion"]) == (
        "HA-04000",
        "map the file's word to an allowed value in the mapping's values",
    )


def test_swapped_latitude_and_longitude_are_caught_and_the_fix_suggested(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "id": [f"AC-{i}" for i in range(7)],
            "date": ["2024-06-03"] * 7,
            "type": ["mine"] * 7,
            "lat": ["49.90", "49.91", "49.92", "49.93", "49.94", "36.25", "95.2"],
            "lon": ["36.20", "36.21", "36.22", "36.23", "36.24", "49.95", "36.1"],
        }
    )
    path = tmp_path / "accidents.csv"
    table.to_csv(path, index=False)
    job = imported(path, kind="accidents", skip_refused=True)
    assert job.counts["created"] == 5
    lines = [r for r in report_of(job.id) if r["outcome"] == "refused"]
    assert [(r["row"], r["field"]) for r in lines] == [(6, "geometry"), (7, "geometry")]
    assert lines[0]["suggestion"] == (
        "latitude and longitude look swapped: give longitude first (or map the columns the other way)"
    )
    assert "outside longitude ±180 / latitude ±90" in lines[1]["problem"]


def test_missing_required_fields_are_refused_before_the_job_is_queued_or_cell_by_cell(tmp_path: Path) -> None:
    frame = areas(3).drop(columns="Hazard Type")
    with pytest.raises(Invalid, match="classification is required and no column of the file was recognised"):
        imported(write(frame, tmp_path / "no_type.geojson"))
    without_ids = areas(2).drop(columns="ID")
    with pytest.raises(Invalid, match="external_id: no column of the file holds the records' ids"):
        imported(write(without_ids, tmp_path / "no_ids.geojson"))
    numbered = imported(tmp_path / "no_ids.geojson", mapping={"external_id": {"from_row_number": True}})
    assert numbered.counts["created"] == 2
    blanks = areas(3)
    blanks.loc[1, "Hazard Type"] = None
    blanks.loc[2, "ID"] = None
    job = imported(write(blanks, tmp_path / "blanks.geojson"), source="blanks")
    assert refusals(job.id) == [
        (2, "classification", "column 'Hazard Type': classification is required and the cell is blank"),
        (
            3,
            "external_id",
            "external id is blank: with the source, it is what lets a re-import update the record instead of "
            "duplicating it",
        ),
    ]


def test_an_external_id_twice_in_the_file_refuses_the_second(tmp_path: Path) -> None:
    frame = areas(4)
    frame.loc[3, "ID"] = "HA-00002"
    job = imported(write(frame, tmp_path / "twice.geojson"), skip_refused=True)
    assert refusals(job.id) == [(4, "external_id", "external id 'HA-00002' is already used by row 2 of the file")]
    assert job.counts["created"] == 3


def test_unparsable_cells_each_name_their_column_and_the_fix(tmp_path: Path) -> None:
    table = csv_with_wkt(areas(4), tmp_path / "cells.csv")
    frame = pd.read_csv(table, dtype=str)
    frame.loc[0, "Date of report"] = "31.02.2023"
    frame.loc[1, "Contamination"] = "ap_mine; landmine-ish"
    frame.loc[2, "WKT"] = "POLYGON ((36 49, 36.1"
    frame.to_csv(table, index=False)
    job = imported(table)
    problems = refusals(job.id)
    assert [(row, field) for row, field, _ in problems] == [
        (1, "reported_on"),
        (2, "contamination_types"),
        (3, "geometry"),
    ]
    assert problems[0][2].startswith("column 'Date of report': '31.02.2023' is not a date of the calendar")
    assert problems[1][2].startswith("column 'Contamination': unknown contamination_types code 'landmine-ish'")
    assert problems[2][2].startswith("column 'WKT': 'POLYGON ((36 49, 36.1' is not WKT")


@pytest.mark.parametrize(
    ("name", "content", "detail"),
    [
        ("cut.zip", None, "cut.zip is not a readable zip (damaged or cut short"),
        ("empty.geojson", b"", "empty.geojson is empty: export the data again"),
        ("notes.geojson", b"these are my notes, not GeoJSON", "notes.geojson cannot be read as GeoJSON"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 JFIF", "photo.jpg: unknown file type '.jpg'"),
        ("header_only.csv", b"ID,Hazard Type,WKT\n", "header_only.csv holds no rows: export the data again"),
        ("binary.csv", b"\x00\x01\x02 not text", "binary.csv is not a text file"),
    ],
)
def test_a_broken_file_is_a_422_saying_what_is_wrong_and_nothing_is_queued(
    client: TestClient, tmp_path: Path, name: str, content: bytes | None, detail: str
) -> None:
    path = tmp_path / name
    if content is None:  # the first half of a real zipped Shapefile, as an interrupted upload leaves it
        folder = tmp_path / "shp"
        folder.mkdir()
        write(
            areas(50).rename(columns={"Hazard Type": "TYPE", "Date of report": "DATE", "Contamination": "EO"}),
            folder / "areas.shp",
        )
        whole = zipped(tmp_path / "whole.zip", sorted(folder.iterdir())).read_bytes()
        content = whole[: len(whole) // 2]
    path.write_bytes(content)
    response = upload(client, path)
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith(detail), response.json()
    assert response.json()["field"] == "file"
    assert client.get("/api/v1/imports").json()["numberReturned"] == 0


def test_a_projected_file_whose_positions_lie_outside_its_crs_is_refused_row_by_row(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"ID": ["P-1", "P-2"], "Hazard Type": ["SHA", "SHA"]},
        geometry=[box(300_000, 5_540_000, 300_100, 5_540_100), box(9e9, 9e9, 9e9 + 100, 9e9 + 100)],
        crs="EPSG:32637",
    )
    job = imported(write(frame, tmp_path / "utm.gpkg"), skip_refused=True)
    assert job.counts["created"] == 1
    assert [(row, field) for row, field, _ in refusals(job.id)] == [(2, "geometry")]


def test_a_date_in_the_future_is_refused_as_through_the_api(tmp_path: Path) -> None:
    # Regression: an imported reported_on of 2204 became the area's information date, and every
    # later release and status change of that area was dated 2204.
    table = csv_with_wkt(areas(2), tmp_path / "future.csv")
    frame = pd.read_csv(table, dtype=str)
    frame.loc[1, "Date of report"] = "2204-05-01"
    frame.to_csv(table, index=False)
    job = imported(table)
    [(row, field, problem)] = refusals(job.id)
    assert (row, field) == (2, "reported_on")
    assert problem == (
        "column 'Date of report': '2204-05-01' is in the future: reported_on is the date something happened"
    )
    assert count_areas() == 0


def test_a_zip_bomb_or_a_password_zip_is_refused_with_the_reason_not_a_500(client: TestClient, tmp_path: Path) -> None:
    # Regression: an encrypted member raised RuntimeError (a 500); nothing bounded what a zip unpacks to.
    import zipfile

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("areas.geojson", b"0" * 50_000_000)
    answer = upload(client, bomb)
    assert answer.status_code == 422 and "would unpack to 48 MB" in answer.json()["detail"]
    locked = tmp_path / "locked.zip"
    with zipfile.ZipFile(locked, "w") as archive:
        archive.writestr("areas.geojson", b"{}")
    raw = bytearray(locked.read_bytes())
    for offset in (6, raw.rfind(b"PK\x01\x02") + 8):  # set the "encrypted" flag in both headers
        raw[offset] |= 1
    locked.write_bytes(bytes(raw))
    answer = upload(client, locked)
    assert answer.status_code == 422 and "without a password" in answer.json()["detail"]


def test_katottg_codes_nest_by_prefix_as_through_the_api(tmp_path: Path) -> None:
    # Regression: without boundaries loaded, the import took codes that do not nest, and left the
    # raion and oblast of a given hromada empty, where the API fills them from its code.
    frame = areas(2)
    frame["Hromada"] = ["UA63120270000028556", "UA63120270000028556"]
    frame["Raion"] = [None, "UA6510"]
    mapping = {"hromada_code": {"column": "Hromada"}, "raion_code": {"column": "Raion"}}
    job = imported(write(frame, tmp_path / "coded.gpkg"), mapping=mapping, skip_refused=True)
    [(row, field, problem)] = refusals(job.id)
    assert (row, field) == (2, "raion_code")
    assert problem == "hromada UA63120270000028556 is not in raion UA6510 (KATOTTG codes nest)"
    with new_session() as session:
        codes = session.execute(text("SELECT oblast_code, raion_code, hromada_code FROM hazardous_area")).all()
    assert codes == [("UA63", "UA6312", "UA63120270000028556")]
