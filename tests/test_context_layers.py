"""Context layers: reading files, loading settlements and features into PostGIS, the synthetic demo layers."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from fastapi.testclient import TestClient
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.db.session import new_session
from app.demo.context import load_demo_context
from app.domain.errors import Conflict, Invalid
from app.services.priorities.context import load_features, load_settlements
from gis.area import ellipsoid_area_m2
from gis.context_io import read_layer
from gis.demo.areas import DEMO_SOURCE
from gis.demo.context import LAYERS, generate_context
from gis.reference import load_hromadas
from tests.factories import KHARKIV_HROMADA, area_feature

BOWTIE = Polygon([(36.0, 49.0), (36.01, 49.01), (36.01, 49.0), (36.0, 49.01), (36.0, 49.0)])


@pytest.fixture
def session(db: None) -> Iterator[Session]:
    with new_session() as s:
        yield s
        s.rollback()


@pytest.fixture(scope="module")
def hromadas() -> pd.DataFrame:
    return load_hromadas()


def scalar(session: Session, sql: str) -> object:
    return session.execute(text(sql)).scalar_one()


def write_geojson(path: Path, features: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


# --- reading files -------------------------------------------------------------------------------


def test_geojson_is_read_in_2d_with_its_attributes(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path / "schools.geojson",
        [
            {"type": "Feature", "properties": {"name": "School 1", "pupils": 310},
             "geometry": {"type": "Point", "coordinates": [36.2, 50.0, 120.0]}},
            {"type": "Feature", "properties": {"name": "School 2", "pupils": None},
             "geometry": {"type": "Point", "coordinates": [36.3, 50.1, 95.0]}},
        ],
    )  # fmt: skip
    read = read_layer(path)
    assert list(read.frame["name"]) == ["School 1", "School 2"]
    assert read.frame["pupils"][0] == 310
    assert read.frame.geometry[0].wkt == "POINT (36.2 50)"
    assert not read.frame.geometry.has_z.any()
    assert (read.dropped_empty, read.repaired, read.reprojected_from) == (0, 0, None)


def test_geopackage_layer_is_chosen_by_name(tmp_path: Path) -> None:
    path = tmp_path / "context.gpkg"
    roads = gpd.GeoDataFrame({"name": ["M-03"]}, geometry=[LineString([(36.2, 50.0), (37.5, 48.9)])], crs=4326)
    wells = gpd.GeoDataFrame({"name": ["well 1", "well 2"]}, geometry=[Point(36.1, 49.9), Point(36.4, 49.8)], crs=4326)
    roads.to_file(path, layer="roads", engine="pyogrio")
    wells.to_file(path, layer="wells", engine="pyogrio")
    read = read_layer(path, layer="wells")
    assert list(read.frame["name"]) == ["well 1", "well 2"]
    assert read.frame.geometry[1].equals(Point(36.4, 49.8))
    with pytest.raises(ValueError, match=r"holds 2 layers \(roads, wells\): name one with --layer-name"):
        read_layer(path)
    with pytest.raises(ValueError, match=r"has no layer 'bridges'; its layers are: roads, wells"):
        read_layer(path, layer="bridges")


def test_csv_with_lon_lat_columns_gives_points(tmp_path: Path) -> None:
    path = tmp_path / "clinics.csv"
    path.write_text("name,x,y,beds\nclinic A,35.14,47.84,40\nclinic B,35.2,47.9,\nno position,,,3\n")
    read = read_layer(path, lon="x", lat="y")
    assert list(read.frame.columns) == ["name", "beds", "geometry"]
    assert [(p.x, p.y) for p in read.frame.geometry] == [(35.14, 47.84), (35.2, 47.9)]
    assert read.dropped_empty == 1
    assert read.frame.crs.to_epsg() == 4326


def test_csv_with_wkt_column_gives_any_geometry(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    road, field = "LINESTRING (36 49, 36.1 49.1)", "POLYGON ((36 49, 36.01 49, 36 49.01, 36 49))"
    path.write_text(f'kind,wkt\nroad,"{road}"\nfield,"{field}"\n')
    read = read_layer(path)
    assert list(read.frame.geometry.geom_type) == ["LineString", "Polygon"]
    assert list(read.frame["kind"]) == ["road", "field"]


def test_projected_file_is_reprojected_to_wgs84(tmp_path: Path) -> None:
    # UTM zone 37N: easting 500,000 m is the central meridian, 39°E, exactly.
    x, y = Transformer.from_crs(4326, 32637, always_xy=True).transform(37.6, 49.7)  # Kupiansk
    frame = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[Point(500_000, 5_500_000), Point(x, y)], crs=32637)
    path = tmp_path / "utm.gpkg"
    frame.to_file(path, engine="pyogrio")
    read = read_layer(path)
    assert read.reprojected_from == "EPSG:32637"
    assert read.frame.geometry[0].x == pytest.approx(39.0, abs=1e-9)
    assert read.frame.geometry[0].y == pytest.approx(49.652543, abs=1e-6)
    assert (read.frame.geometry[1].x, read.frame.geometry[1].y) == pytest.approx((37.6, 49.7), abs=1e-9)


def test_self_intersecting_polygon_is_repaired_and_counted(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"name": ["bowtie", "square"]}, geometry=[BOWTIE, shapely.box(36, 49, 36.01, 49.01)])
    path = tmp_path / "fields.gpkg"
    frame.set_crs(4326).to_file(path, engine="pyogrio")
    read = read_layer(path)
    assert read.repaired == 1
    repaired = read.frame.geometry[0]
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon" and len(repaired.geoms) == 2
    # Two triangles, each a quarter of the 0.01° square.
    assert ellipsoid_area_m2(repaired) == pytest.approx(ellipsoid_area_m2(read.frame.geometry[1]) / 2, rel=1e-3)


def test_null_and_empty_geometries_are_dropped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text('name,wkt\nok,"POINT (36 49)"\nblank,\nempty,POINT EMPTY\nempty line,LINESTRING EMPTY\n')
    read = read_layer(path)
    assert list(read.frame["name"]) == ["ok"]
    assert read.dropped_empty == 3
    geojson = write_geojson(
        tmp_path / "null.geojson",
        [{"type": "Feature", "properties": {"name": "none"}, "geometry": None},
         {"type": "Feature", "properties": {"name": "pt"}, "geometry": {"type": "Point", "coordinates": [36, 49]}}],
    )  # fmt: skip
    assert read_layer(geojson).dropped_empty == 1


@pytest.mark.parametrize(
    ("name", "content", "kwargs", "message"),
    [
        ("absent.geojson", None, {}, r"absent\.geojson: no such file"),
        ("roads.txt", "x", {}, r"unknown file type '\.txt'; supported: \.geojson, \.json, \.gpkg, \.shp, \.csv"),
        ("a.csv", "name,x\nA,1\n", {}, r"no lon/lat columns 'lon'/'lat' or WKT column 'wkt'; columns: \['name', 'x'\]"),
        ("b.csv", "lon,name\n36,A\n", {}, r"CSV has a 'lon' column but no 'lat' column"),
        ("c.csv", "wkt\nPOINT (36 49)\nPOINT (36 49\n", {}, r"line 3 has unparsable WKT 'POINT \(36 49'"),
        ("d.csv", "lon,lat\n36,49\neast,49\n", {}, r"line 3 has a non-numeric position \(east, 49\)"),
        ("e.csv", "lon,lat\n400000,5500000\n", {}, r"outside longitude ±180 / latitude ±90; CSV is read as WGS 84"),
        ("f.csv", "", {}, r"cannot read it as CSV"),
        ("g.geojson", "{not json", {}, r"cannot read it as geojson"),
    ],
)  # fmt: skip
def test_unreadable_input_is_refused_with_a_reason(
    tmp_path: Path, name: str, content: str | None, kwargs: dict[str, str], message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(ValueError, match=message):
        read_layer(path, **kwargs)


@pytest.mark.filterwarnings("ignore:'crs' was not provided")  # that file is the point of the test
def test_file_without_a_crs_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roads.shp"
    gpd.GeoDataFrame({"name": ["r"]}, geometry=[LineString([(0, 0), (1000, 1000)])]).to_file(path, engine="pyogrio")
    assert not path.with_suffix(".prj").exists()
    with pytest.raises(ValueError, match=r"roads\.shp declares no coordinate reference system"):
        read_layer(path)


# --- loading into PostGIS ------------------------------------------------------------------------


def test_settlements_are_the_1469_hromada_centres_and_load_once(session: Session) -> None:
    assert load_settlements(session, user="ana") == 1469
    assert scalar(session, "SELECT count(*) FROM settlement") == 1469
    # Hromada rows only: the raw population file also has an NA-coded Kyiv row (41.2 M in all).
    assert scalar(session, "SELECT sum(population) FROM settlement") == 38_215_034
    kharkiv = session.execute(
        text("SELECT name, population, population_year, source, ST_X(geom) AS lon, created_by FROM settlement "
             "WHERE code = :code"), {"code": KHARKIV_HROMADA},
    ).one()  # fmt: skip
    assert tuple(kharkiv) == ("Харківська", 1_421_125, 2022, "KSE Loc Data Hub (MIT)", 36.231015, "ana")
    assert load_settlements(session, user="ana") == 0
    assert scalar(session, "SELECT count(*) FROM settlement") == 1469


def test_features_load_with_attributes_and_queue_areas_for_rescoring(client: TestClient) -> None:
    area = client.post("/api/v1/hazardous-areas", json=area_feature())
    assert area.status_code == 201, area.text
    area_id = area.json()["id"]
    frame = gpd.GeoDataFrame(
        {"name": ["Bridge over the Udy", None, "Pumping station"], "kind": ["bridge", "mast", None],
         "height_m": [4.5, np.nan, 12.0]},
        geometry=[Point(36.21, 50.0), Point(36.3, 50.05), Point(36.25, 49.98)], crs=4326,
    )  # fmt: skip
    with new_session() as session:
        session.execute(text("DELETE FROM priority_stale"))
        assert load_features(session, frame, layer="infrastructure", source="osm-2025", user="ana") == 3
        session.commit()
        rows = session.execute(text("SELECT name, attributes, ST_AsText(geom) FROM context_feature ORDER BY id")).all()
        labels = session.execute(text("SELECT DISTINCT layer, source, created_by FROM context_feature")).all()
        stale = list(session.scalars(text("SELECT hazardous_area_id FROM priority_stale")))
    assert [tuple(r) for r in rows] == [
        ("Bridge over the Udy", {"kind": "bridge", "height_m": 4.5}, "POINT(36.21 50)"),
        (None, {"kind": "mast", "height_m": None}, "POINT(36.3 50.05)"),
        ("Pumping station", {"kind": None, "height_m": 12.0}, "POINT(36.25 49.98)"),
    ]
    assert [tuple(r) for r in labels] == [("infrastructure", "osm-2025", "ana")]
    assert stale == [area_id]


def test_unknown_layer_code_is_refused_naming_the_known_ones(session: Session) -> None:
    frame = gpd.GeoDataFrame({"name": ["x"]}, geometry=[Point(36, 49)], crs=4326)
    with pytest.raises(Invalid, match=r"unknown context layer 'roads'; known layers: .*\broad\b.*front_line"):
        load_features(session, frame, layer="roads", source=None, user="ana")
    projected = frame.to_crs(32637)
    with pytest.raises(Invalid, match=r"features are in EPSG:32637: reproject them"):
        load_features(session, projected, layer="road", source=None, user="ana")


def test_demo_context_loads_every_layer_labelled_synthetic_once(session: Session, hromadas: pd.DataFrame) -> None:
    counts = load_demo_context(session, seed=3, user="demo")
    expected = {layer: len(frame) for layer, frame in generate_context(hromadas, seed=3).items()}
    assert counts == {"settlement": 1469, **expected}
    by_layer = dict(session.execute(text("SELECT layer, count(*) FROM context_feature GROUP BY layer")).all())
    assert by_layer == expected
    unlabelled = scalar(
        session,
        f"SELECT count(*) FROM context_feature WHERE source <> '{DEMO_SOURCE}' "
        "OR attributes->>'synthetic' IS DISTINCT FROM 'true'",
    )
    assert unlabelled == 0
    assert scalar(session, "SELECT count(*) FROM context_feature WHERE NOT ST_IsValid(geom)") == 0
    with pytest.raises(Conflict, match="synthetic context layers are already loaded"):
        load_demo_context(session, seed=3, user="demo")


# --- the synthetic generator ---------------------------------------------------------------------


def test_synthetic_layers_are_reproducible_valid_and_labelled(hromadas: pd.DataFrame) -> None:
    first, again = generate_context(hromadas, seed=5), generate_context(hromadas, seed=5)
    other = generate_context(hromadas, seed=6)
    assert tuple(first) == LAYERS
    for layer in LAYERS:
        wkt = list(shapely.to_wkt(first[layer].geometry.values))
        assert wkt == list(shapely.to_wkt(again[layer].geometry.values)), layer
        assert shapely.is_valid(first[layer].geometry.values).all(), layer
        assert first[layer]["synthetic"].all() and first[layer]["name"].str.contains("synthetic|illustrative").all()
        assert first[layer].crs.to_epsg() == 4326
        coords = shapely.get_coordinates(first[layer].geometry.values)
        assert np.array_equal(coords, coords.round(6)), layer
    schools, other_schools = first["school"].geometry.values, other["school"].geometry.values
    assert list(shapely.to_wkt(schools)) != list(shapely.to_wkt(other_schools))
    sizes = {layer: len(frame) for layer, frame in first.items()}
    assert 6_000 < sum(sizes.values()) < 12_000 and min(sizes.values()) >= 1
    # Every hromada has a school; 1 per 40,000 people at scale 1.
    assert sizes["school"] >= len(hromadas)


def test_front_line_follows_the_line_of_contact(hromadas: pd.DataFrame) -> None:
    front = generate_context(hromadas, seed=1)["front_line"]
    assert len(front) == 1 and front.geometry[0].geom_type == "LineString"
    assert "approximate, illustrative" in front["name"][0]
    for lon, lat in [(37.6, 49.7), (37.8, 49.0), (38.0, 48.6), (37.75, 48.14), (37.25, 47.78), (35.85, 47.45),
                     (35.28, 47.44), (32.6, 46.64)]:  # fmt: skip
        assert front.geometry[0].distance(Point(lon, lat)) < 0.05, (lon, lat)


def test_fields_are_02_to_5_km2_and_roads_join_centres(hromadas: pd.DataFrame) -> None:
    layers = generate_context(hromadas, seed=2)
    km2 = np.array([ellipsoid_area_m2(g) for g in layers["farmland"].geometry]) / 1e6
    assert km2.min() > 0.2 and km2.max() < 5.0
    roads = layers["road"]
    links = roads[roads["kind"] != "field track"].geometry
    centres = shapely.points(hromadas[["lon", "lat"]].to_numpy().round(6))
    ends = shapely.get_point(links.values, 0)
    assert np.unique(shapely.STRtree(centres).query(ends, predicate="intersects")[0]).size == len(links)


def test_scale_multiplies_counts(hromadas: pd.DataFrame) -> None:
    small, large = generate_context(hromadas, seed=4, scale=2), generate_context(hromadas, seed=4, scale=6)
    for layer in ("health", "water", "infrastructure", "farmland"):
        assert len(large[layer]) / len(small[layer]) == pytest.approx(3, rel=0.1), layer


def test_benchmark_scale_gives_100k_features_quickly(hromadas: pd.DataFrame) -> None:
    started = time.perf_counter()
    layers = generate_context(hromadas, seed=9, scale=25)
    elapsed = time.perf_counter() - started
    assert sum(len(frame) for frame in layers.values()) >= 100_000
    assert elapsed < 10


# --- command line --------------------------------------------------------------------------------


def test_cli_loads_settlements_then_skips_them(db: None) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["load-settlements"])
    assert first.exit_code == 0, first.output
    assert "loaded 1,469 new settlements" in first.output
    again = runner.invoke(cli, ["load-settlements"])
    assert "loaded 0 new settlements" in again.output


def test_cli_loads_a_context_file_and_reports_what_it_changed(db: None, tmp_path: Path) -> None:
    path = tmp_path / "wells.csv"
    path.write_text('title,geom\nwell 1,"POINT (36.1 49.9)"\nwell 2,"POINT (36.2 49.8)"\nlost,\n')
    result = CliRunner().invoke(cli, ["load-context", str(path), "--layer", "water", "--wkt", "geom"])
    output = " ".join(result.output.split())
    assert result.exit_code == 0, output
    assert "loaded 2 features into layer 'water'" in output
    assert "dropped 1 without geometry; repaired 0 invalid geometries" in output
    with new_session() as session:
        rows = session.execute(text("SELECT source, attributes FROM context_feature ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("wells.csv", {"title": "well 1"}), ("wells.csv", {"title": "well 2"})]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layer", "roads"], "unknown context layer 'roads'; known layers:"),
        (["--layer", "water", "--lon", "x"], "give --lon and --lat together"),
        (["--layer", "water", "--wkt", "g", "--lon", "x", "--lat", "y"], "give either --lon and --lat, or --wkt"),
    ],
)
def test_cli_refuses_bad_input_without_a_traceback(db: None, tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "wells.csv"
    path.write_text("lon,lat\n36.1,49.9\n")
    result = CliRunner().invoke(cli, ["load-context", str(path), *args])
    output = " ".join(result.output.split())
    assert result.exit_code == 1
    assert message in output and "Traceback" not in output
    missing = CliRunner().invoke(cli, ["load-context", str(tmp_path / "nowhere.gpkg"), "--layer", "water"])
    assert missing.exit_code == 1 and "nowhere.gpkg: no such file" in " ".join(missing.output.split())
