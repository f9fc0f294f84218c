"""Admin boundaries of any country: Ukraine's shipped units, a second country from a GeoPackage, derived codes."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from fastapi.testclient import TestClient
from shapely.geometry import box
from sqlalchemy import text
from typer.testing import CliRunner

from app.cli import cli
from app.db.session import new_session
from app.demo.seed import load_demo
from app.services.dashboard.figures import filter_choices
from app.services.registry import admin_units
from app.services.registry.admin_units import load_ukraine
from gis.boundaries import UKRAINE_ATTRIBUTION, read_ukraine
from tests.factories import KHARKIV_HROMADA, KHERSON_HROMADA, area_feature, if_match, square

AREAS = "/api/v1/hazardous-areas"
UNITS = "/api/v1/admin-units"
TSYRKUNY_HROMADA = "UA63120290000021734"  # Tsyrkunivska, Kharkiv city's neighbour to the north-east
COLUMNS = "country, level, code, name, name_en, parent_code, source, geom, created_by"
UTM_34N = "EPSG:32634"


def run(*args: str) -> tuple[int, str]:
    """`mais …` as a shell runs it: its exit status and what it printed (on one line, as rich wraps it)."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, " ".join(result.output.split())


def scalar(sql: str, **params: Any) -> Any:
    with new_session() as session:
        return session.execute(text(sql), params).scalar_one()


def codes(client: TestClient, area_id: int) -> tuple[str | None, str | None, str | None]:
    props = client.get(f"{AREAS}/{area_id}").json()["properties"]
    return props["oblast_code"], props["raion_code"], props["hromada_code"]


# ---------------------------------------------------------------------------------------------------
# Ukraine: loaded once for the module and put back before each test that needs it (the `db`
# fixture empties admin_unit after every test).


@pytest.fixture(scope="module")
def ukraine_saved(database_url: str) -> Iterator[None]:
    with new_session() as session:
        load_ukraine(session, user="test")
        session.execute(text(f"CREATE TABLE ukraine_units_saved AS SELECT {COLUMNS} FROM admin_unit"))
        session.execute(text("TRUNCATE admin_unit"))
        session.commit()
    yield
    with new_session() as session:
        session.execute(text("DROP TABLE ukraine_units_saved"))
        session.commit()


@pytest.fixture
def ukraine(db: None, ukraine_saved: None) -> None:
    with new_session() as session:
        session.execute(text(f"INSERT INTO admin_unit ({COLUMNS}) SELECT {COLUMNS} FROM ukraine_units_saved"))
        session.commit()


def test_the_shipped_files_load_27_oblasts_138_raions_and_1472_hromadas_and_load_again_unchanged(db: None) -> None:
    status, output = run("load-boundaries", "--ukraine")
    assert status == 0, output
    assert "UA level 1: 27 units added, 0 updated" in output
    assert "UA level 3: 1,472 units added, 0 updated" in output
    by_level = "SELECT json_object_agg(level, n) FROM (SELECT level, count(*) AS n FROM admin_unit GROUP BY 1) c"
    assert scalar(by_level) == {"1": 27, "2": 138, "3": 1472}
    kharkiv = "SELECT parent_code || ' ' || name || ' ' || name_en FROM admin_unit WHERE code = :code"
    assert scalar(kharkiv, code=KHARKIV_HROMADA) == "UA6312 Харківська Kharkivska"
    assert scalar(kharkiv, code="UA6312") == "UA63 Харківський Kharkivskyi"
    assert scalar("SELECT count(*) FROM admin_unit WHERE source = :s", s=UKRAINE_ATTRIBUTION) == 1637
    # Re-loading updates the units in place: the same 1,637, none added.
    status, output = run("load-boundaries", "--ukraine")
    assert "UA level 2: 0 units added, 138 updated" in output
    assert scalar("SELECT count(*) FROM admin_unit") == 1637


def test_an_area_posted_without_codes_in_kharkiv_gets_its_hromada_raion_and_oblast(
    client: TestClient, ukraine: None
) -> None:
    created = client.post(AREAS, json=area_feature(square(36.20, 50.00)))
    assert created.status_code == 201, created.text
    props = created.json()["properties"]
    assert (props["oblast_code"], props["raion_code"], props["hromada_code"]) == ("UA63", "UA6312", KHARKIV_HROMADA)
    # The derived codes are in the audit trail like any value the request set.
    [entry] = client.get("/api/v1/audit", params={"entity": "hazardous_area"}).json()["items"]
    [change] = [c for c in entry["changes"] if c["entity"] == "hazardous_area"]
    assert (change["action"], change["after"]["hromada_code"]) == ("create", KHARKIV_HROMADA)


@pytest.mark.parametrize(
    ("south", "expected", "share"),
    [(50.054, TSYRKUNY_HROMADA, 0.687), (50.050, KHARKIV_HROMADA, 0.656)],
)
def test_an_area_straddling_two_hromadas_gets_the_one_holding_most_of_it(
    client: TestClient, ukraine: None, south: float, expected: str, share: float
) -> None:
    rectangle = box(36.30, south, 36.32, south + 0.01)
    hromadas = read_ukraine(3).frame.set_index("code").geometry
    shares = {code: hromadas[code].intersection(rectangle).area / rectangle.area for code in hromadas.index}
    assert {c for c, s in shares.items() if s > 0} == {KHARKIV_HROMADA, TSYRKUNY_HROMADA}
    assert shares[expected] == pytest.approx(share, abs=1e-3)  # the larger part
    body = area_feature({"type": "Polygon", "coordinates": [list(rectangle.exterior.coords)]})
    area_id = client.post(AREAS, json=body).json()["id"]
    assert codes(client, area_id) == ("UA63", "UA6312", expected)


@pytest.mark.parametrize("few_areas", [0, 200], ids=["each unit finds its areas", "each area finds its units"])
def test_codes_are_derived_for_many_areas_at_once_either_way_round(
    client: TestClient, ukraine_saved: None, monkeypatch: pytest.MonkeyPatch, few_areas: int
) -> None:
    hromadas = read_ukraine(3).frame.set_index("code").geometry
    kherson = hromadas[KHERSON_HROMADA].representative_point()
    bodies = {
        "kharkiv": area_feature(square(36.20, 50.00)),
        "straddling": area_feature(
            {"type": "Polygon", "coordinates": [list(box(36.30, 50.054, 36.32, 50.064).exterior.coords)]}
        ),
        "kherson": area_feature(square(kherson.x - 0.002, kherson.y - 0.002, 0.004)),
        "given": area_feature(square(36.20, 50.00), hromada_code=KHERSON_HROMADA),
        "poland": area_feature(square(19.00, 52.00)),
    }
    ids = {name: client.post(AREAS, json=body).json()["id"] for name, body in bodies.items()}
    assert codes(client, ids["kharkiv"]) == (None, None, None)  # no boundaries yet
    monkeypatch.setattr(admin_units, "FEW_AREAS", few_areas)
    with new_session() as session:
        session.execute(text(f"INSERT INTO admin_unit ({COLUMNS}) SELECT {COLUMNS} FROM ukraine_units_saved"))
        admin_units.derive_admin_codes(session, list(ids.values()))
        session.commit()
    assert {name: codes(client, area_id) for name, area_id in ids.items()} == {
        "kharkiv": ("UA63", "UA6312", KHARKIV_HROMADA),
        "straddling": ("UA63", "UA6312", TSYRKUNY_HROMADA),
        "kherson": ("UA65", "UA6510", KHERSON_HROMADA),
        "given": ("UA65", "UA6510", KHERSON_HROMADA),  # kept as given, its parents from the units
        "poland": (None, None, None),
    }


def test_a_given_code_is_kept_and_its_parents_come_from_the_loaded_units(client: TestClient, ukraine: None) -> None:
    # The area lies in Kharkiv; the client says Kherson: what the client gives wins over the geometry.
    area_id = client.post(AREAS, json=area_feature(hromada_code=KHERSON_HROMADA)).json()["id"]
    assert codes(client, area_id) == ("UA65", "UA6510", KHERSON_HROMADA)
    # Given only the oblast, the raion and hromada are derived inside it.
    area_id = client.post(AREAS, json=area_feature(oblast_code="UA63")).json()["id"]
    assert codes(client, area_id) == ("UA63", "UA6312", KHARKIV_HROMADA)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"hromada_code": "UA63120270000099999"}, "hromada_code"),
        ({"oblast_code": "UA99"}, "oblast_code"),
        ({"raion_code": "XK0101"}, "raion_code"),
    ],
)
def test_a_code_no_loaded_unit_has_is_refused_naming_it(
    client: TestClient, ukraine: None, given: dict[str, str], field: str
) -> None:
    refused = client.post(AREAS, json=area_feature(**given))
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["field"] == f"properties.{field}"
    assert f"{field} {given[field]!r} is not a loaded level-" in body["detail"]
    assert "GET /api/v1/admin-units?level=" in body["detail"]
    assert client.get(AREAS).json()["numberReturned"] == 0


def test_without_loaded_boundaries_codes_stay_as_given_and_any_country_may_be_given(client: TestClient) -> None:
    area_id = client.post(AREAS, json=area_feature()).json()["id"]
    assert codes(client, area_id) == (None, None, None)
    area_id = client.post(AREAS, json=area_feature(oblast_code="XK01", raion_code="XK0101")).json()["id"]
    assert codes(client, area_id) == ("XK01", "XK0101", None)
    # A Ukrainian code keeps its KATOTTG shape (a typo is caught before any boundaries are loaded).
    refused = client.post(AREAS, json=area_feature(hromada_code="UA631202700000285"))
    assert refused.status_code == 422 and "String should match pattern" in refused.text


def test_mais_seed_brings_ukraine_s_boundaries_into_an_empty_table(db: None) -> None:
    with new_session() as session:
        load_demo(session, areas=20, seed=3, with_work=False)
    assert scalar("SELECT count(*) FROM admin_unit") == 1637
    assert scalar("SELECT count(*) FROM hazardous_area WHERE hromada_code IS NULL") == 0


# ---------------------------------------------------------------------------------------------------
# A second country: a fictional "XK" with two provinces and three districts, in UTM metres, with
# field names of its own.

PROVINCES = {"XK01": ("Veri", "North", box(400_000, 4_700_000, 500_000, 4_750_000)),
             "XK02": ("Jug", "South", box(400_000, 4_650_000, 500_000, 4_700_000))}  # fmt: skip
DISTRICTS = {"XK0101": ("Perëndim", "XK01", box(400_000, 4_700_000, 450_000, 4_750_000)),
             "XK0102": ("Lindje", "XK01", box(450_000, 4_700_000, 500_000, 4_750_000)),
             "XK0201": ("Qendër", "XK02", box(400_000, 4_650_000, 500_000, 4_700_000))}  # fmt: skip


@pytest.fixture
def xk_file(tmp_path: Path) -> Path:
    """One GeoPackage, two layers, in EPSG:32634."""
    path = tmp_path / "xk_admin.gpkg"
    provinces = {"PROV_ID": list(PROVINCES), "EMRI": [v[0] for v in PROVINCES.values()],
                 "NAME_EN": [v[1] for v in PROVINCES.values()]}  # fmt: skip
    gpd.GeoDataFrame(provinces, geometry=[v[2] for v in PROVINCES.values()], crs=UTM_34N).to_file(
        path, layer="provinces"
    )
    districts = {"DIST_ID": list(DISTRICTS), "EMRI": [v[0] for v in DISTRICTS.values()],
                 "PROV_ID": [v[1] for v in DISTRICTS.values()]}  # fmt: skip
    gpd.GeoDataFrame(districts, geometry=[v[2] for v in DISTRICTS.values()], crs=UTM_34N).to_file(
        path, layer="districts"
    )
    return path


def load_xk(path: Path) -> None:
    provinces = ("--layer-name", "provinces", "--code-field", "PROV_ID", "--name-field", "EMRI")
    status, output = run("load-boundaries", str(path), "--country", "XK", "--level", "1", *provinces,
                         "--name-en-field", "NAME_EN")  # fmt: skip
    assert status == 0, output
    assert "XK level 1: 2 units added, 0 updated" in output and f"reprojected from {UTM_34N}" in output
    districts = ("--layer-name", "districts", "--code-field", "DIST_ID", "--name-field", "EMRI")
    status, output = run("load-boundaries", str(path), "--country", "XK", "--level", "2", *districts,
                         "--parent-field", "PROV_ID")  # fmt: skip
    assert status == 0, output


def utm_area(x0: float, y0: float, x1: float, y1: float, **properties: Any) -> dict[str, Any]:
    """An SHA given in UTM 34N metres (the API reprojects it)."""
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
            "crs": {"type": "name", "properties": {"name": UTM_34N}},
            "properties": {"classification": "SHA", **properties}}  # fmt: skip


def test_a_second_country_s_boundaries_give_its_areas_their_codes_filters_and_choices(
    client: TestClient, xk_file: Path
) -> None:
    # Recorded before its country's boundaries were loaded: the load gives it its codes.
    south = client.post(AREAS, json=utm_area(420_000, 4_660_000, 421_000, 4_661_000)).json()["id"]
    load_xk(xk_file)
    assert codes(client, south) == ("XK02", "XK0201", None)
    north = client.post(AREAS, json=utm_area(460_000, 4_720_000, 461_000, 4_721_000)).json()["id"]
    assert codes(client, north) == ("XK01", "XK0102", None)
    # A third in the west district, two thirds in the east one.
    straddling = client.post(AREAS, json=utm_area(449_000, 4_720_000, 452_000, 4_721_000)).json()["id"]
    assert codes(client, straddling) == ("XK01", "XK0102", None)

    listed = client.get(AREAS, params={"oblast_code": "XK01"}).json()
    assert sorted(f["id"] for f in listed["features"]) == [north, straddling]
    assert [f["id"] for f in client.get(AREAS, params={"raion_code": "XK0201"}).json()["features"]] == [south]

    units = client.get(UNITS, params={"country": "XK", "level": 2}).json()
    assert units["numberReturned"] == 3
    assert [(u["code"], u["name"], u["parent_code"]) for u in units["items"]] == [
        ("XK0102", "Lindje", "XK01"),
        ("XK0101", "Perëndim", "XK01"),
        ("XK0201", "Qendër", "XK02"),
    ]
    assert [u["code"] for u in client.get(UNITS, params={"parent_code": "XK02"}).json()["items"]] == ["XK0201"]
    provinces = client.get(UNITS, params={"country": "XK", "level": 1}).json()["items"]
    assert provinces[1] == {"country": "XK", "level": 1, "code": "XK01", "name": "Veri", "name_en": "North",
                            "parent_code": None}  # fmt: skip

    with new_session() as session:
        choices = filter_choices(session)
    assert choices["oblasts"] == ["XK02", "XK01"]  # by name: Jug, Veri
    assert choices["raions"] == ["XK0102", "XK0101", "XK0201"]
    assert ["XK01", "Veri"] in choices["admin_names"]


def test_codes_follow_a_corrected_geometry_and_given_codes_are_checked_in_another_country(
    client: TestClient, xk_file: Path
) -> None:
    load_xk(xk_file)
    area_id = client.post(AREAS, json=utm_area(460_000, 4_720_000, 461_000, 4_721_000)).json()["id"]
    url = f"{AREAS}/{area_id}"
    moved = utm_area(420_000, 4_660_000, 421_000, 4_661_000)
    del moved["properties"]
    assert client.patch(url, json=moved, headers=if_match(client, url)).status_code == 200
    assert codes(client, area_id) == ("XK02", "XK0201", None)
    # An unrelated correction leaves them be.
    assert client.patch(url, json={"properties": {"name": "Field 3"}}, headers=if_match(client, url)).status_code == 200
    assert codes(client, area_id) == ("XK02", "XK0201", None)

    refused = client.post(AREAS, json=utm_area(460_000, 4_720_000, 461_000, 4_721_000, raion_code="XK0109"))
    assert refused.status_code == 422 and refused.json()["field"] == "properties.raion_code"
    # A district given outright is kept, its province comes with it.
    given = client.post(AREAS, json=utm_area(460_000, 4_720_000, 461_000, 4_721_000, raion_code="XK0201"))
    assert codes(client, given.json()["id"]) == ("XK02", "XK0201", None)


def test_admin_unit_filters_are_checked(client: TestClient) -> None:
    assert client.get(UNITS).json() == {"items": [], "numberReturned": 0}
    for params in ({"level": 4}, {"country": "xk"}, {"level": "one"}):
        assert client.get(UNITS, params=params).status_code == 422, params


# ---------------------------------------------------------------------------------------------------
# Broken boundary files: a clear refusal on the command line, never a traceback, nothing loaded.


def _truncated_zip(tmp_path: Path) -> str:
    folder = tmp_path / "shp"
    folder.mkdir()
    frame = gpd.GeoDataFrame({"PROV_ID": ["XK01"], "EMRI": ["Veri"]}, geometry=[PROVINCES["XK01"][2]], crs=UTM_34N)
    frame.to_file(folder / "provinces.shp")
    archive = tmp_path / "provinces.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            zipped.write(part, part.name)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return str(archive)


def _points(tmp_path: Path) -> str:
    path = tmp_path / "centres.geojson"
    frame = gpd.GeoDataFrame({"PROV_ID": ["XK01"], "EMRI": ["Veri"]}, geometry=[PROVINCES["XK01"][2].centroid])
    frame.set_crs(UTM_34N).to_file(path)
    return str(path)


def _duplicated(tmp_path: Path) -> str:
    path = tmp_path / "twice.geojson"
    shapes = [v[2] for v in PROVINCES.values()]
    gpd.GeoDataFrame({"PROV_ID": ["XK01", "XK01"], "EMRI": ["Veri", "Jug"]}, geometry=shapes, crs=UTM_34N).to_file(path)
    return str(path)


LEVEL_1 = ("--country", "XK", "--level", "1", "--code-field", "PROV_ID", "--name-field", "EMRI")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (lambda t, x: [x, "--layer-name", "provinces", "--country", "XK", "--level", "1", "--code-field", "PCODE",
                       "--name-field", "EMRI"], "has no field 'PCODE' (code); its fields are: PROV_ID, EMRI, NAME_EN"),
        (lambda t, x: [x, *LEVEL_1], "holds 2 layers (provinces, districts): name the one to load"),
        (lambda t, x: [_truncated_zip(t), *LEVEL_1], "is not a complete zip archive (truncated or damaged?)"),
        (lambda t, x: [_points(t), *LEVEL_1], "feature(s) 1 are Point, not polygons"),
        (lambda t, x: [_duplicated(t), *LEVEL_1], "code(s) XK01 appear more than once in 'PROV_ID'"),
        (lambda t, x: [x, "--layer-name", "districts", "--country", "XK", "--level", "1", "--code-field",
                       "DIST_ID", "--name-field", "EMRI", "--parent-field", "PROV_ID"], "level-1 units have no parent"),
        (lambda t, x: [x, "--layer-name", "provinces", *LEVEL_1[:1], "xk", *LEVEL_1[2:]],
         "country 'xk' is not an ISO 3166-1 alpha-2 code"),
        (lambda t, x: [str(t / "nowhere.gpkg"), *LEVEL_1], "nowhere.gpkg: no such file"),
        (lambda t, x: [x, "--country", "XK"], "give --level, --code-field, --name-field with a boundary file"),
        (lambda t, x: [], "give a boundary FILE, or --ukraine for Ukraine's shipped boundaries"),
    ],
)  # fmt: skip
def test_a_broken_boundary_file_is_refused_with_the_reason(
    db: None, tmp_path: Path, xk_file: Path, args: Any, message: str
) -> None:
    status, output = run("load-boundaries", *args(tmp_path, str(xk_file)))
    assert status == 1
    assert message in output
    assert "Traceback" not in output
    assert scalar("SELECT count(*) FROM admin_unit") == 0


def test_districts_naming_a_province_that_is_not_loaded_are_refused(db: None, xk_file: Path) -> None:
    status, output = run("load-boundaries", str(xk_file), "--country", "XK", "--level", "1", "--layer-name",
                         "provinces", "--code-field", "PROV_ID", "--name-field", "EMRI")  # fmt: skip
    assert status == 0, output
    frame = gpd.read_file(xk_file, layer="districts")
    frame.loc[2, "PROV_ID"] = "XK09"
    broken = xk_file.with_name("districts.gpkg")
    frame.to_file(broken)
    status, output = run("load-boundaries", str(broken), "--country", "XK", "--level", "2", "--code-field", "DIST_ID",
                         "--name-field", "EMRI", "--parent-field", "PROV_ID")  # fmt: skip
    assert status == 1
    assert "parent code(s) XK09 are no level-1 unit of XK" in output
    assert scalar("SELECT count(*) FROM admin_unit WHERE level = 2") == 0


def test_another_countrys_codes_need_not_nest_by_prefix(client: TestClient, tmp_path: Path) -> None:
    # Regression: the KATOTTG prefix rule refused a district given with its province unless the
    # district's code began with the province's, whatever the country.
    path = tmp_path / "unprefixed.gpkg"
    north = box(400_000, 4_700_000, 500_000, 4_750_000)
    gpd.GeoDataFrame({"ID": ["NORTH"], "N": ["Veri"]}, geometry=[north], crs=UTM_34N).to_file(path, layer="p")
    gpd.GeoDataFrame({"ID": ["D-7"], "N": ["Lindje"], "P": ["NORTH"]}, geometry=[north], crs=UTM_34N).to_file(
        path, layer="d"
    )
    for level, layer, extra in (("1", "p", ()), ("2", "d", ("--parent-field", "P"))):
        status, output = run("load-boundaries", str(path), "--country", "XK", "--level", level, "--layer-name", layer,
                             "--code-field", "ID", "--name-field", "N", *extra)  # fmt: skip
        assert status == 0, output
    given = utm_area(410_000, 4_710_000, 411_000, 4_711_000, oblast_code="NORTH", raion_code="D-7")
    created = client.post(AREAS, json=given)
    assert created.status_code == 201, created.text
    assert codes(client, created.json()["id"]) == ("NORTH", "D-7", None)
