"""The pure part of imports (gis/importing): reading files, ODK strings, positions, the mapping guess."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, box

from gis.importing.kobo import is_odk, parse_odk
from gis.importing.mapping import guess_columns, guess_geometry_columns, guess_value
from gis.importing.positions import from_columns, swapped_axes, to_wgs84
from gis.importing.readers import ReadError, probe, read_file
from tests.import_files import areas, write

AREA_FIELDS = ["external_id", "classification", "reported_on", "reporting_organisation_id", "notes", "status"]


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["HAZARD_ID", "hazard type", "Date Reported"], ["external_id", "classification", "reported_on"]),
        (["Ідентифікатор", "Тип небезпеки", "Дата", "Оператор"], [*AREA_FIELDS[:4]]),
        (["group_a/_id", "group_a/Classification", "group_a/today"], ["external_id", "classification", "reported_on"]),
        (["identifiant", "Type de zone", "Remarques"], ["external_id", "classification", "notes"]),
    ],
)
def test_the_guess_reads_column_names_in_any_case_spacing_or_language(columns: list[str], expected: list[str]) -> None:
    assert list(guess_columns(columns, AREA_FIELDS)) == expected


def test_a_fields_own_name_beats_a_synonym_and_each_column_serves_once() -> None:
    guessed = guess_columns(["type", "classification", "id"], ["classification", "status", "external_id"])
    assert guessed == {"classification": "classification", "external_id": "id"}


@pytest.mark.parametrize(
    ("cell", "allowed", "meaning"),
    [
        ("Suspected Minefield", ("SHA", "CHA"), "SHA"),
        ("CONFIRMED HAZARDOUS AREA", ("SHA", "CHA"), "CHA"),
        ("Підозрювана небезпечна територія", ("SHA", "CHA"), "SHA"),
        ("Battle Area Clearance", ("nts", "ts", "clearance", "bac"), "bac"),
        ("Destroyed in-situ", ("destroyed_in_situ", "removed"), "destroyed_in_situ"),
        ("Minenfeld?", ("SHA", "CHA"), None),
    ],
)
def test_cells_read_as_the_vocabulary_by_the_words_programmes_use(
    cell: str, allowed: tuple[str, ...], meaning: str | None
) -> None:
    assert guess_value(cell, allowed) == meaning


def test_odk_strings_give_points_traces_and_closed_shapes_latitude_first() -> None:
    assert parse_odk("49.95 36.25 140 4", shape=False)[0].equals(Point(36.25, 49.95))
    trace, _ = parse_odk("49.0 36.0 0 0;49.1 36.1 0 0", shape=False)
    assert trace.geom_type == "LineString"
    with pytest.raises(ValueError, match="an area needs at least three"):
        parse_odk("49.0 36.0 0 0;49.1 36.1 0 0", shape=True)
    with pytest.raises(ValueError, match="is not an ODK position"):
        parse_odk("49.0 36.0 0 0;north of the road", shape=True)
    assert not is_odk(["36.2", "49.9"]) and not is_odk([None, ""])


def test_a_table_of_geoshapes_is_recognised_by_its_cells_and_lon_lat_by_their_names() -> None:
    import pandas as pd

    shape = "49.0 36.0 0 0;49.0 36.1 0 0;49.1 36.1 0 0;49.0 36.0 0 0"
    frame = pd.DataFrame({"notes": ["a"], "site": [shape], "_gps_latitude": ["49"], "_gps_longitude": ["36"]})
    assert guess_geometry_columns(frame, area=True) == {"geometry": "site"}
    assert guess_geometry_columns(frame.drop(columns="site"), area=False) == {
        "longitude": "_gps_longitude",
        "latitude": "_gps_latitude",
    }
    read = from_columns(frame, geometry="site")
    assert read.geometry[0].equals(shapely.Polygon([(36, 49), (36.1, 49), (36.1, 49.1), (36, 49)]))


def test_swapped_axes_are_found_against_the_loaded_country_even_for_a_single_row() -> None:
    ukraine = (22.1, 44.4, 40.2, 52.4)
    rows = np.array([Point(49.9, 36.2), Point(36.2, 49.9)], dtype=object)
    assert [p.index for p in swapped_axes(rows, region=ukraine)] == [0]
    assert swapped_axes(rows) == []  # two rows alone say nothing about where the data lies


def test_a_file_without_a_crs_must_hold_degrees() -> None:
    metres = np.array([box(300_000, 5_540_000, 300_100, 5_540_100)], dtype=object)
    with pytest.raises(ReadError, match="declares no coordinate reference system and its positions are not degrees"):
        to_wgs84(metres, None)
    degrees = np.array([box(36, 49, 36.1, 49.1)], dtype=object)
    assert to_wgs84(degrees, None)[0][0].equals(degrees[0])


def test_a_zip_must_hold_one_whole_shapefile(tmp_path: Path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    write(
        areas(2).rename(columns={"Hazard Type": "TYPE", "Date of report": "DATE", "Contamination": "EO"}),
        folder / "a.shp",
    )
    without_dbf = tmp_path / "no_dbf.zip"
    with zipfile.ZipFile(without_dbf, "w") as archive:
        for member in folder.iterdir():
            if member.suffix != ".dbf":
                archive.write(member, member.name)
    with pytest.raises(ReadError, match=r"the Shapefile a.shp comes without its .dbf file"):
        probe(without_dbf)
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as archive:
        for member in folder.iterdir():
            archive.write(member, member.name)
            archive.write(member, f"copy/{member.stem}_2{member.suffix}")
    with pytest.raises(ReadError, match="holds 2 Shapefiles"):
        probe(two)


def test_a_csv_saved_by_a_cyrillic_excel_is_read_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "areas.csv"
    path.write_bytes("ID;Назва\nA-1;Поле біля школи\n".encode("cp1251"))
    table = read_file(path)
    assert table.frame.to_dict("records") == [{"ID": "A-1", "Назва": "Поле біля школи"}]
    assert table.notes == ["not UTF-8: read as cp1251 (Windows Cyrillic); save it as UTF-8 to be sure"]


def test_an_xlsx_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "areas.xlsx"
    path.write_text("ID,Type\n1,SHA\n")
    with pytest.raises(ReadError, match=r"areas.xlsx is not an Excel workbook \(.xlsx\)"):
        probe(path)
