"""The offline base map's tiles: boundaries and names from the loaded admin units, water and roads by zoom."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.db.session import new_session
from app.services.registry.admin_units import load_ukraine
from gis.basemap import ATTRIBUTION, read_basemap
from tests.accounts import client_for, make_account

COLUMNS = "country, level, code, name, name_en, parent_code, source, geom, created_by"
KHARKIV = (36.23, 49.99)
KHARKIVSKA = "UA63"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The XYZ tile holding a point."""
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return z, int((lon + 180) / 360 * n), int(y)


def layers(client: TestClient, z: int, x: int, y: int) -> dict[str, list[dict[str, Any]]]:
    """The tile's layers, each a list of its features' properties."""
    answer = client.get(f"/tiles/basemap/{z}/{x}/{y}.mvt")
    assert answer.status_code == 200, answer.text
    decoded = mapbox_vector_tile.decode(answer.content)
    return {name: [f["properties"] for f in layer["features"]] for name, layer in decoded.items()}


def scalar(sql: str, **params: Any) -> Any:
    with new_session() as session:
        return session.execute(text(sql), params).scalar_one()


@pytest.fixture(scope="module")
def ukraine_saved(database_url: str) -> Iterator[None]:
    """Ukraine's units loaded once for the module, put back by `ukraine` (the `db` fixture empties admin_unit)."""
    with new_session() as session:
        load_ukraine(session, user="test")
        session.execute(text(f"CREATE TABLE basemap_units_saved AS SELECT {COLUMNS} FROM admin_unit"))
        session.execute(text("TRUNCATE admin_unit"))
        session.commit()
    yield
    with new_session() as session:
        session.execute(text("DROP TABLE basemap_units_saved"))
        session.commit()


@pytest.fixture
def ukraine(db: None, ukraine_saved: None) -> None:
    with new_session() as session:
        session.execute(text(f"INSERT INTO admin_unit ({COLUMNS}) SELECT {COLUMNS} FROM basemap_units_saved"))
        session.commit()


def test_a_national_tile_over_kharkiv_holds_kharkivska_oblasts_boundary_and_its_name_in_both_languages(
    client: TestClient, ukraine: None
) -> None:
    tile = layers(client, *tile_of(*KHARKIV, 6))
    boundaries = tile["boundaries"]
    assert {b["level"] for b in boundaries} == {0, 1}  # the country's outline and oblasts; raions from zoom 7
    assert KHARKIVSKA in {b.get("code") for b in boundaries if b["level"] == 1}
    oblast = [label for label in tile["labels"] if label.get("code") == KHARKIVSKA]
    assert oblast == [{"kind": "oblast", "name": "Харківська", "name_en": "Kharkivska", "code": KHARKIVSKA, "rank": 5}]
    kharkiv = [label for label in tile["labels"] if label["kind"] == "place" and label["name_en"] == "Kharkiv"]
    assert [city["name"] for city in kharkiv] == ["Харків"]
    assert {"land", "water", "rivers"} <= set(tile)


def test_raions_from_zoom_7_and_hromadas_with_their_names_from_zoom_9_and_10(client: TestClient, ukraine: None) -> None:
    assert {b["level"] for b in layers(client, *tile_of(*KHARKIV, 7))["boundaries"]} == {0, 1, 2}  # Russia's border
    at_9 = layers(client, *tile_of(*KHARKIV, 9))
    assert {b["level"] for b in at_9["boundaries"]} >= {2, 3}
    assert "hromada" not in {label["kind"] for label in at_9["labels"]}
    at_11 = layers(client, *tile_of(*KHARKIV, 11))
    names = {label["name"] for label in at_11["labels"] if label["kind"] == "hromada"}
    assert names == {"Харківська"}  # Kharkiv city's hromada; oblast names stop at zoom 7


def test_roads_appear_from_zoom_6_international_and_from_7_national(client: TestClient) -> None:
    assert "roads" not in layers(client, *tile_of(*KHARKIV, 5))
    assert {r["kind"] for r in layers(client, *tile_of(*KHARKIV, 6))["roads"]} == {"international"}
    assert {r["kind"] for r in layers(client, *tile_of(*KHARKIV, 7))["roads"]} == {"international", "national"}


def test_another_countrys_loaded_units_give_the_outline_boundaries_and_names(client: TestClient, db: None) -> None:
    # Two provinces of a made-up country far from Ukraine: no reference layer there, only its own units.
    with new_session() as session:
        for code, name, west in (("XK01", "Prishtinë", 20.0), ("XK02", "Prizren", 21.0)):
            session.execute(
                text(
                    "INSERT INTO admin_unit (country, level, code, name, name_en, geom, created_by)"
                    " VALUES ('XK', 1, :code, :name, :name, ST_Multi(ST_MakeEnvelope(:w, 10, :w + 1, 11, 4326)), 't')"
                ),
                {"code": code, "name": name, "w": west},
            )
        session.commit()
    tile = layers(client, *tile_of(21.0, 10.5, 5))  # holds both provinces
    assert set(tile) == {"land", "boundaries", "labels"}  # its own land, drawn light; nothing of Natural Earth
    assert {land["kind"] for land in tile["land"]} == {"home"}
    assert {(b["level"], b.get("code")) for b in tile["boundaries"]} == {(0, None), (1, "XK01"), (1, "XK02")}
    assert sorted(label["name"] for label in tile["labels"]) == ["Prishtinë", "Prizren"]
    # Deleting a unit takes its name off the map and redraws the country's outline around the other.
    with new_session() as session:
        session.execute(text("DELETE FROM admin_unit WHERE code = 'XK02'"))
        session.commit()
    tile = layers(client, *tile_of(21.0, 10.5, 5))
    assert [label["name"] for label in tile["labels"]] == ["Prishtinë"]
    outline = (
        "SELECT round(ST_Length(ST_Collect(geom))) FROM basemap_feature WHERE theme = 'outline' AND country = 'XK'"
    )
    one_degree = 2 * math.pi * 6378137 / 360
    assert scalar(outline) == pytest.approx(4 * one_degree, rel=0.02)  # a square of 1° (at the equator)


def test_units_are_labelled_once_each_and_emptying_the_table_takes_their_labels(ukraine: None) -> None:
    labels = "SELECT count(*) FROM basemap_feature WHERE source = 'admin_unit' AND theme = 'label'"
    assert scalar(labels) == 27 + 138 + 1472
    with new_session() as session:
        session.execute(text("TRUNCATE admin_unit CASCADE"))
        session.commit()
    assert scalar("SELECT count(*) FROM basemap_feature WHERE source = 'admin_unit'") == 0
    assert scalar("SELECT count(*) FROM basemap_feature WHERE source = 'reference'") > 3000


def test_the_drained_kakhovka_reservoir_is_not_drawn_as_water() -> None:
    lakes = read_basemap()
    lakes = lakes[lakes["kind"] == "lake"]
    assert "Kremenchuk Reservoir" in set(lakes["name"])
    assert "Kakhovka Reservoir" not in set(lakes["name"])


def test_tiles_are_cached_by_etag_and_any_reader_of_the_map_gets_them(client: TestClient) -> None:
    url = "/tiles/basemap/{}/{}/{}.mvt".format(*tile_of(*KHARKIV, 6))
    first = client.get(url)
    assert first.headers["cache-control"] == "public, max-age=3600"
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    from app.main import app

    with new_session() as session:
        donor = session.execute(
            text("INSERT INTO donor (name, created_by, updated_by) VALUES ('Nordic Fund', 't', 't') RETURNING id")
        ).scalar_one()
        session.commit()
    with client_for(app, make_account("donor", username="officer.basemap", donor_id=donor)) as officer:
        assert officer.get(url).content == first.content
        assert "window.maisBasemap(" in officer.get("/map").text  # the donor's page draws it too


def test_the_map_page_shows_the_attribution_the_licences_require(client: TestClient) -> None:
    page = client.get("/map").text
    assert "window.maisBasemap(" in page and "/static/app/basemap.js" in page
    for required in ("OPORA (CC BY 4.0)", "Natural Earth", "OpenStreetMap contributors (ODbL)"):
        assert required in ATTRIBUTION
    assert ATTRIBUTION.replace("©", "\\u00a9").replace("·", "\\u00b7") in page
    ukrainian = client.get("/map", headers={"Accept-Language": "uk"}).text
    assert "учасники OpenStreetMap" in ukrainian  # basemap.js shows the page catalogue's attribution


def test_with_an_external_base_map_the_built_in_one_keeps_only_boundaries_and_names() -> None:
    from app.dashboard.map import finish, new_map

    fmap = new_map(None, "http://tiles.example.org/{z}/{x}/{y}.png", "© Example", panes={"hazards": 410})
    page = finish(fmap, {}, title="t", body=[], config={})
    assert "http://tiles.example.org/{z}/{x}/{y}.png" in page
    assert '"reference": false' in page and "window.maisBasemap(" in page
    own = finish(new_map(None, None, "", panes={"hazards": 410}), {}, title="t", body=[], config={})
    assert '"reference": true' in own
