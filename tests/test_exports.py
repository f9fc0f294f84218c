"""Exports: every format opens with GDAL and holds the database's features, attributes and m²; the file imports back."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.db.migrations import upgrade
from app.db.models import Organisation
from app.db.scratch import create_database, drop_database
from app.db.session import new_session, use_database
from app.services.exporting import LAYERS, shapefile_names
from gis.area import ellipsoid_area_m2
from tests.accounts import make_account
from tests.import_files import imported, refusals
from tests.report_world import ReportWorld

KML = "{http://www.opengis.net/kml/2.2}"


@pytest.fixture
def world(client: TestClient) -> ReportWorld:
    return ReportWorld(client)


def _download(client: TestClient, tmp_path: Path, extension: str, **params: Any) -> Path:
    answer = client.get(f"/api/v1/exports/mais.{extension}", params=params)
    assert answer.status_code == 200, answer.text
    path = tmp_path / f"export.{extension}"
    path.write_bytes(answer.content)
    return path


def _sql_areas(key: str = "h.id") -> dict[Any, dict[str, Any]]:
    """Each live area's m² as the database accounts it (original, remaining, released by kind)."""
    with new_session() as session:
        rows = session.execute(
            text(
                f"""SELECT {key} AS id, h.classification, h.status, h.original_area_m2, h.remaining_area_m2,
                          coalesce(sum(r.area_m2) FILTER (WHERE r.kind = 'cancelled'), 0) AS cancelled,
                          coalesce(sum(r.area_m2) FILTER (WHERE r.kind = 'reduced'), 0) AS reduced,
                          coalesce(sum(r.area_m2) FILTER (WHERE r.kind = 'cleared'), 0) AS cleared
                   FROM hazardous_area h LEFT JOIN release r ON r.hazardous_area_id = h.id
                   WHERE h.deleted_at IS NULL GROUP BY h.id"""
            )
        ).mappings()
        return {r["id"]: dict(r) for r in rows}


def test_geopackage_holds_a_layer_per_entity_with_the_databases_land_release_figures(
    client: TestClient, world: ReportWorld, tmp_path: Path
) -> None:
    path = _download(client, tmp_path, "gpkg", layers=",".join(LAYERS))
    assert set(pyogrio.list_layers(path)[:, 0]) == set(LAYERS)
    areas = pyogrio.read_dataframe(path, layer="hazardous_areas")
    expected = _sql_areas()
    assert sorted(areas["mais_id"]) == sorted(expected) == sorted([world.h1, world.h2, world.h3])
    for row in areas.itertuples():
        sql = expected[row.mais_id]
        assert row.classification == sql["classification"]
        for column, key in [
            ("original_area_m2", "original_area_m2"),
            ("remaining_area_m2", "remaining_area_m2"),
            ("cancelled_m2", "cancelled"),
            ("reduced_m2", "reduced"),
            ("cleared_m2", "cleared"),
        ]:
            assert getattr(row, column) == pytest.approx(sql[key], abs=1e-6), (row.mais_id, column)
        # The geometry itself survives: its ellipsoidal area is the recorded one.
        assert ellipsoid_area_m2(row.geometry) == pytest.approx(sql["original_area_m2"], rel=1e-9)
    h1 = areas.set_index("mais_id").loc[world.h1]
    assert round(h1.cancelled_m2) == pytest.approx(400_000, abs=2)  # the hand-known figure of the report world
    assert round(h1.cleared_m2) == pytest.approx(300_000, abs=2)
    releases = pyogrio.read_dataframe(path, layer="releases")
    assert sorted(releases["kind"]) == ["cancelled", "cleared", "cleared", "reduced"]
    assert releases["area_m2"].sum() == pytest.approx(
        sum(r["cancelled"] + r["reduced"] + r["cleared"] for r in expected.values()), abs=1e-6
    )
    assert str(releases["released_on"].dtype).startswith("datetime64")  # dates stay dates
    tasks = pyogrio.read_dataframe(path, layer="tasks")
    assert sorted(tasks["reference"]) == ["T1", "T2"]
    finds = pyogrio.read_dataframe(path, layer="devices_found")
    assert finds["quantity"].sum() == 6


def test_geojson_export_follows_the_area_filter(client: TestClient, world: ReportWorld, tmp_path: Path) -> None:
    path = _download(client, tmp_path, "geojson", classification="CHA")
    frame = pyogrio.read_dataframe(path)
    assert list(frame["mais_id"]) == [world.h2]
    assert frame["reduced_m2"].iloc[0] == pytest.approx(_sql_areas()[world.h2]["reduced"], abs=1e-6)
    releases = pyogrio.read_dataframe(_download(client, tmp_path, "geojson", layers="releases", classification="CHA"))
    assert list(releases["kind"]) == ["reduced"]  # only the land of the filtered area


def test_shapefile_zip_cuts_field_names_as_documented_and_keeps_the_key(
    client: TestClient, world: ReportWorld, tmp_path: Path
) -> None:
    path = _download(client, tmp_path, "shp.zip", layers="hazardous_areas,releases")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        key = list(csv.reader(io.TextIOWrapper(archive.open("fields.csv"), encoding="utf-8")))
    assert {"hazardous_areas.shp", "hazardous_areas.dbf", "releases.shp", "fields.csv"} <= names
    areas = pyogrio.read_dataframe(f"/vsizip/{path}/hazardous_areas.shp")
    short = shapefile_names(LAYERS["hazardous_areas"])
    assert short["contamination_types"] == "contaminat"
    assert short["reported_on_precision"] == "reported_1"  # "reported_o" is taken by reported_on
    assert all(len(name) <= 10 for name in short.values())
    assert len(set(short.values())) == len(short)
    assert set(areas.columns) - {"geometry"} == set(short.values())
    assert ["hazardous_areas", "cancelled_", "cancelled_m2"] in key
    expected = _sql_areas()
    for row in areas.itertuples():
        assert row.cancelled_ == pytest.approx(expected[row.mais_id]["cancelled"], abs=1e-3)


def test_kml_opens_in_a_kml_parser_with_one_placemark_per_area(
    client: TestClient, world: ReportWorld, tmp_path: Path
) -> None:
    path = _download(client, tmp_path, "kml")
    root = ET.parse(path).getroot()
    placemarks = root.findall(f".//{KML}Placemark")
    assert len(placemarks) == 3
    ids = {int(d.text or 0) for d in root.iter(f"{KML}SimpleData") if d.get("name") == "mais_id"}
    assert ids == {world.h1, world.h2, world.h3}
    assert len(pyogrio.read_dataframe(path)) == 3


def test_csv_export_has_an_hxl_row_and_wkt(client: TestClient, world: ReportWorld, tmp_path: Path) -> None:
    path = _download(client, tmp_path, "csv", layers="devices_found")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0][:2] == ["mais_id", "source"] and rows[0][-1] == "WKT"
    assert rows[1][0] == "#item+id+mais" and rows[1][-1] == "#geo+wkt"
    assert all(tag.startswith("#") for tag in rows[1])
    assert len(rows) == 2 + 3  # three finds recorded


def test_export_refuses_what_the_caller_may_not_read_and_what_cannot_be_written(
    client: TestClient, world: ReportWorld
) -> None:
    donor = make_account("donor", username="officer.nordic", donor_id=world.nordic).headers
    assert client.get("/api/v1/exports/mais.gpkg", headers=donor).status_code == 403
    assert client.get("/api/v1/exports/mais.gpkg").status_code == 200
    unknown = client.get("/api/v1/exports/mais.dxf")
    assert unknown.status_code == 422 and "gpkg" in unknown.json()["detail"]
    two = client.get("/api/v1/exports/mais.geojson", params={"layers": "hazardous_areas,releases"})
    assert two.status_code == 422 and "one layer" in two.json()["detail"]
    assert client.get("/api/v1/exports/mais.gpkg", params={"layers": "victims"}).status_code == 422
    assert client.get("/api/v1/exports/mais.gpkg", headers={"Authorization": ""}).status_code in (401, 403)


@pytest.fixture
def second_database(database_url: str) -> Iterator[str]:
    """Another empty database at the latest schema, for a file to be imported into as by another programme."""
    url = create_database("mais_roundtrip")
    try:
        upgrade(url, configure_logger=False)
        yield url
    finally:
        use_database(database_url)
        drop_database(url)


def _accounts(url: str) -> dict[str, dict[str, float]]:
    """Each live area's land account in a database, keyed by the area's id in the exporting programme."""
    use_database(url)
    return {str(k): v for k, v in _sql_areas(key="coalesce(h.external_id, h.id::text)").items()}


def test_exported_areas_and_released_land_import_into_another_programme_with_the_same_m2(
    client: TestClient, world: ReportWorld, tmp_path: Path, database_url: str, second_database: str
) -> None:
    # Areas still open or worked on: a closed or handed-over area is refused as new until its land is released.
    live = {"status": "open,worked_on"}
    areas = _download(client, tmp_path, "gpkg", layers="hazardous_areas", **live)
    releases = _download(client, tmp_path, "geojson", layers="releases", **live)
    exported = {k: v for k, v in _accounts(database_url).items() if v["status"] in ("open", "worked_on")}
    assert len(exported) == 2

    use_database(second_database)
    with new_session() as session:
        for name in ("Steppe Demining", "Delta Clearance"):
            session.add(Organisation(name=name, kind="ngo", created_by="tests", updated_by="tests"))
        session.commit()
    job = imported(areas, source="partner", mapping={"external_id": "mais_id"}, layer="hazardous_areas")
    assert job.status == "done", refusals(job.id)
    job = imported(
        releases,
        kind="releases",
        source="partner",
        mapping={"external_id": "mais_id", "organisation_id": "organisation"},
    )
    assert job.status == "done", refusals(job.id)
    back = _accounts(second_database)
    assert set(back) == set(exported)
    for key, account in exported.items():
        for figure in ("original_area_m2", "remaining_area_m2", "cancelled", "reduced", "cleared"):
            assert back[key][figure] == pytest.approx(account[figure], abs=1e-3), (key, figure)
        assert back[key]["classification"] == account["classification"]
    # Importing the same file again updates what it made, never duplicates it.
    again = imported(areas, source="partner", mapping={"external_id": "mais_id"}, layer="hazardous_areas")
    assert again.status == "done"
    assert len(_accounts(second_database)) == 2


def test_a_handed_over_area_exported_alone_is_refused_with_the_reason(
    client: TestClient, world: ReportWorld, tmp_path: Path
) -> None:
    path = _download(client, tmp_path, "gpkg", layers="hazardous_areas", status="handed_over")
    job = imported(path, source="round-trip", mapping={"external_id": "mais_id"}, layer="hazardous_areas")
    assert job.status == "failed"
    [(_, field, problem)] = refusals(job.id)
    assert field == "status" and "release its land" in problem


def test_mais_export_writes_the_file_and_refuses_an_unknown_layer_in_words(world: ReportWorld, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import cli

    runner = CliRunner()
    done = runner.invoke(
        cli,
        [
            "export",
            "-o",
            str(tmp_path / "areas"),
            "-f",
            "gpkg",
            "-l",
            "hazardous_areas",
            "-l",
            "releases",
            "--classification",
            "SHA",
        ],
    )
    assert done.exit_code == 0, done.output
    assert "2 hazardous areas" in done.output and "3 releases" in done.output
    assert len(pyogrio.read_dataframe(tmp_path / "areas.gpkg", layer="hazardous_areas")) == 2
    refused = runner.invoke(cli, ["export", "-o", str(tmp_path / "x"), "-l", "victims"])
    assert refused.exit_code == 1 and "unknown layer(s) victims" in refused.output
    bad_status = runner.invoke(cli, ["export", "-o", str(tmp_path / "x"), "--status", "lost"])
    assert bad_status.exit_code == 1 and "lost" in bad_status.output


@pytest.mark.parametrize("extension", ["gpkg", "geojson", "shp.zip", "kml", "csv"])
def test_every_format_is_written_in_chunks_without_losing_a_feature(
    client: TestClient, world: ReportWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extension: str
) -> None:
    from app.services.exporting import files

    monkeypatch.setattr(files, "CHUNK", 2)  # three areas: two chunks, the second appended
    path = _download(client, tmp_path, extension)
    if extension == "csv":
        assert len(list(csv.reader(path.open(encoding="utf-8")))) == 2 + 3
        return
    source = f"/vsizip/{path}/hazardous_areas.shp" if extension == "shp.zip" else path
    frame = pyogrio.read_dataframe(source)
    assert sorted(frame["mais_id"].astype(int)) == sorted([world.h1, world.h2, world.h3])
