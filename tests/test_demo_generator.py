"""Unit tests for the synthetic hazardous-area generator (gis/demo/areas.py); no database needed."""

from __future__ import annotations

import datetime as dt
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon

from gis import reference
from gis.area import ellipsoid_area_m2
from gis.demo import areas as demo
from gis.demo.areas import DEMO_SOURCE, generate_hazardous_areas
from gis.reference import load_hromadas

N = 2000
TARGET_OBLASTS = {
    "Харківська",
    "Донецька",
    "Луганська",
    "Запорізька",
    "Херсонська",
    "Миколаївська",
    "Сумська",
    "Чернігівська",
}
DIRECT = {"detonation", "accident_known_location", "reliable_record", "mine_sign_or_fencing", "item_seen"}
INDIRECT = {
    "former_front_line",
    "accident_unknown_location",
    "unreliable_record",
    "unused_productive_land",
    "verbal_report",
    "old_survey",
}
CONTAMINATION = {"ap_mine", "at_mine", "uxo", "axo", "submunition", "ied", "booby_trap"}
BLOCKAGES = {"farmland", "water", "road", "housing", "school", "health", "infrastructure"}
REPORTING = {
    "non-technical survey",
    "military handover",
    "community report",
    "EOD call-out",
    "accident report",
    "remote sensing",
}
COLUMNS = [
    "external_id",
    "source",
    "name",
    "notes",
    "classification",
    "status",
    "contamination_types",
    "evidence",
    "information_reliability",
    "source_reliability",
    "device_persistence",
    "emplacement_date",
    "reporting_source",
    "reported_on",
    "oblast_code",
    "raion_code",
    "hromada_code",
    "blockages",
    "landowner",
    "returnees_expected",
    "original_area_m2",
    "geometry",
]


@pytest.fixture(scope="module")
def hromadas() -> pd.DataFrame:
    return load_hromadas()


@pytest.fixture(scope="module")
def areas() -> gpd.GeoDataFrame:
    return generate_hazardous_areas(N)


def _attributes(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(gdf.drop(columns="geometry"))


def test_load_hromadas_shape_and_codes(hromadas: pd.DataFrame) -> None:
    assert list(hromadas.columns) == [
        "hromada_code",
        "oblast_code",
        "raion_code",
        "oblast_name",
        "hromada",
        "lat",
        "lon",
        "square_km",
        "population",
    ]
    assert len(hromadas) == 1469
    assert hromadas["hromada_code"].is_unique
    assert hromadas["hromada_code"].str.fullmatch(r"UA\d{17}").all()
    assert (hromadas["oblast_code"] == hromadas["hromada_code"].str[:4]).all()
    assert (hromadas["raion_code"] == hromadas["hromada_code"].str[:6]).all()
    assert hromadas.loc[hromadas["oblast_name"] == "Харківська", "oblast_code"].unique().tolist() == ["UA63"]
    assert hromadas["oblast_code"].nunique() == 24  # no Crimea, Sevastopol or Kyiv city
    assert hromadas["lat"].between(44, 53).all() and hromadas["lon"].between(22, 41).all()


def test_load_hromadas_population(hromadas: pd.DataFrame) -> None:
    assert pd.api.types.is_integer_dtype(hromadas["population"])
    assert (hromadas["population"] > 0).all()
    # The ~41.2 million in the population file includes an NA-coded row of 2,952,301 (Kyiv city,
    # which geography.csv lacks); the 1,469 hromadas themselves hold 38.2 million.
    assert hromadas["population"].sum() == 38_215_034
    raw = pd.read_csv(reference.DATA_DIR / "ua-pop-2022.csv")
    assert raw["total_population_2022"].sum() == pytest.approx(41.2e6, rel=0.001)
    assert raw.loc[raw["hromada_code"].isna(), "total_population_2022"].tolist() == [2_952_301]


def test_square_km_missing_only_for_areas_occupied_since_2014(hromadas: pd.DataFrame) -> None:
    missing = hromadas[hromadas["square_km"].isna()]
    assert len(missing) == 31
    assert set(missing["oblast_code"]) == {"UA14", "UA44"}


def test_same_seed_is_identical() -> None:
    a, b = generate_hazardous_areas(300, seed=7), generate_hazardous_areas(300, seed=7)
    pd.testing.assert_frame_equal(_attributes(a), _attributes(b))
    assert shapely.to_wkb(a.geometry.values).tolist() == shapely.to_wkb(b.geometry.values).tolist()


def test_different_seed_differs() -> None:
    a, b = generate_hazardous_areas(300, seed=7), generate_hazardous_areas(300, seed=8)
    assert a["external_id"].tolist() == b["external_id"].tolist()
    assert not shapely.equals_exact(a.geometry.values, b.geometry.values).any()
    assert (a["hromada_code"] != b["hromada_code"]).mean() > 0.9
    assert (a["original_area_m2"] != b["original_area_m2"]).all()


def test_frame_structure(areas: gpd.GeoDataFrame) -> None:
    assert list(areas.columns) == COLUMNS
    assert len(areas) == N
    assert areas.crs.to_epsg() == 4326
    assert areas.geometry.name == "geometry"
    assert areas["external_id"].is_unique
    assert areas["external_id"].iloc[0] == "DEMO-000001"
    assert areas["external_id"].iloc[-1] == f"DEMO-{N:06d}"
    assert areas["external_id"].str.fullmatch(r"DEMO-\d{6}").all()
    assert (areas["source"] == DEMO_SOURCE).all() and DEMO_SOURCE == "synthetic-demo"
    assert (areas["notes"] == "SYNTHETIC DEMO DATA - not a real hazardous area").all()
    assert areas["name"].iloc[16].startswith("Synthetic area 17 near ")


def test_geometries_are_valid_multipolygons_rounded_to_6_decimals(areas: gpd.GeoDataFrame) -> None:
    geoms = areas.geometry.values
    assert all(isinstance(g, MultiPolygon) for g in geoms)
    assert shapely.is_valid(geoms).all()
    coords = shapely.get_coordinates(geoms)
    np.testing.assert_array_equal(coords, np.round(coords, 6))
    parts = np.array([len(g.geoms) for g in geoms])
    assert set(parts) == {1, 2}
    assert 0.06 < (parts == 2).mean() < 0.14
    for g in geoms[parts == 2]:
        assert not g.geoms[0].intersects(g.geoms[1])
    vertices = [len(p.exterior.coords) - 1 for g in geoms for p in g.geoms]
    assert min(vertices) >= 8 and max(vertices) <= 24
    assert all(len(p.interiors) == 0 for g in geoms for p in g.geoms)


def test_placed_in_target_oblasts_near_their_hromada(areas: gpd.GeoDataFrame, hromadas: pd.DataFrame) -> None:
    target = hromadas[hromadas["oblast_name"].isin(TARGET_OBLASTS)]
    assert set(target["oblast_code"]) == {"UA14", "UA23", "UA44", "UA48", "UA59", "UA63", "UA65", "UA74"}
    assert areas["oblast_code"].isin(set(target["oblast_code"])).all()
    assert areas["hromada_code"].isin(set(target["hromada_code"])).all()
    assert (areas["oblast_code"] == areas["hromada_code"].str[:4]).all()
    assert (areas["raion_code"] == areas["hromada_code"].str[:6]).all()
    # Every vertex lies within the hromada's equivalent radius plus a reach that grows with the
    # area's size (elongated and two-part areas reach about 3.5 x sqrt(area) at most).
    h = hromadas.set_index("hromada_code").loc[areas["hromada_code"]]
    coords, row = shapely.get_coordinates(areas.geometry.values, return_index=True)
    lat0, lon0 = h["lat"].to_numpy()[row], h["lon"].to_numpy()[row]
    km = np.hypot((coords[:, 1] - lat0) * 111.2, (coords[:, 0] - lon0) * 111.3 * np.cos(np.radians(lat0)))
    radius_km = np.sqrt(h["square_km"].to_numpy() / np.pi)[row]
    area_km2 = areas["original_area_m2"].to_numpy()[row] / 1e6
    assert (km <= radius_km + 5 * np.sqrt(area_km2)).all()


def test_heaviest_oblasts_get_most_areas(areas: gpd.GeoDataFrame) -> None:
    top4 = areas["oblast_code"].value_counts().index[:4]
    assert set(top4) == {"UA14", "UA63", "UA65", "UA23"}  # Donetsk, Kharkiv, Kherson, Zaporizhzhia
    assert areas["oblast_code"].nunique() == 8


def test_areas_match_geodesic_area_and_are_realistic(areas: gpd.GeoDataFrame) -> None:
    expected = [ellipsoid_area_m2(g) for g in areas.geometry.values]
    np.testing.assert_allclose(areas["original_area_m2"], expected, rtol=1e-12)
    assert areas["original_area_m2"].between(285, 8_080_000).all()
    assert 35_000 < areas["original_area_m2"].median() < 70_000
    assert areas["original_area_m2"].max() > 1_000_000
    assert areas["original_area_m2"].min() < 2_000


def test_evidence_matches_classification(areas: gpd.GeoDataFrame) -> None:
    assert set(areas["classification"]) == {"SHA", "CHA"}
    assert 0.35 < (areas["classification"] == "CHA").mean() < 0.45
    for cls, evidence in zip(areas["classification"], areas["evidence"], strict=True):
        assert evidence and len(set(evidence)) == len(evidence)
        assert set(evidence) <= DIRECT | INDIRECT
        if cls == "CHA":
            assert set(evidence) & DIRECT
        else:
            assert not set(evidence) & DIRECT


def test_persistence_and_emplacement_date(areas: gpd.GeoDataFrame) -> None:
    assert set(areas["device_persistence"]) == {"persistent", "unknown", "self_deactivating"}
    self_deact = areas["device_persistence"] == "self_deactivating"
    assert 0.015 < self_deact.mean() < 0.05
    assert (areas["device_persistence"] == "persistent").mean() > 0.75
    assert (areas["emplacement_date"].notna() == self_deact).all()
    assert areas.loc[~self_deact, "emplacement_date"].map(lambda d: d is None).all()
    for emplaced, reported, types in areas.loc[
        self_deact, ["emplacement_date", "reported_on", "contamination_types"]
    ].itertuples(index=False):
        assert type(emplaced) is dt.date
        assert dt.date(2024, 11, 20) <= emplaced <= reported <= dt.date(2025, 10, 31)
        assert "ap_mine" in types


def test_dates_status_and_reliability(areas: gpd.GeoDataFrame) -> None:
    assert all(type(d) is dt.date for d in areas["reported_on"])
    assert min(areas["reported_on"]) >= dt.date(2022, 3, 1)
    assert max(areas["reported_on"]) <= dt.date(2025, 10, 31)
    assert min(areas["reported_on"]) < dt.date(2022, 6, 1) and max(areas["reported_on"]) > dt.date(2025, 6, 1)
    assert set(areas["status"]) == {"open", "worked_on"}
    assert 0.11 < (areas["status"] == "worked_on").mean() < 0.19
    assert set(areas["information_reliability"]) == set(range(1, 7))
    assert set(areas["source_reliability"]) == set("ABCDEF")
    assert set(areas["reporting_source"]) == REPORTING
    cha = areas["classification"] == "CHA"
    assert areas.loc[cha, "information_reliability"].mean() < areas.loc[~cha, "information_reliability"].mean()


def test_contamination_and_blockages(areas: gpd.GeoDataFrame) -> None:
    for types in areas["contamination_types"]:
        assert 1 <= len(types) <= 3 and len(set(types)) == len(types) and set(types) <= CONTAMINATION
    counts = areas["contamination_types"].explode().value_counts()
    assert set(counts.index[:3]) == {"uxo", "at_mine", "ap_mine"}
    for blocked in areas["blockages"]:
        assert 0 <= len(blocked) <= 3 and len(set(blocked)) == len(blocked) and set(blocked) <= BLOCKAGES
    assert areas["blockages"].explode().value_counts().index[0] == "farmland"
    assert (areas["blockages"].map(len) == 0).any()
    # Each row owns its lists, so editing one area cannot leak into another.
    assert len({id(b) for b in areas["blockages"]}) == N


def test_landowner_and_returnees(areas: gpd.GeoDataFrame) -> None:
    owners = areas["landowner"]
    assert owners.map(lambda o: o is None or (isinstance(o, str) and o != "")).all()
    assert owners.isna().any() and "private farm" in set(owners)
    returnees = areas["returnees_expected"]
    assert returnees.map(lambda r: r is None or (type(r) is int and r >= 0)).all()
    assert 0.3 < returnees.isna().mean() < 0.5


def test_invalid_shapes_after_rounding_are_redrawn(monkeypatch: pytest.MonkeyPatch) -> None:
    # Areas of a few m² make rounding to 6 decimals pinch some rings; all must come back valid.
    monkeypatch.setattr(demo, "MEDIAN_AREA_M2", 2.0)
    monkeypatch.setattr(demo, "MIN_AREA_M2", 0.5)
    calls: list[int] = []
    original = demo._shapes

    def counting(*args: object) -> np.ndarray:
        calls.append(len(args[1]))  # type: ignore[arg-type]
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(demo, "_shapes", counting)
    tiny = generate_hazardous_areas(1000, seed=3)
    assert len(calls) >= 2 and calls[0] == 1000 and all(c < 1000 for c in calls[1:])
    assert shapely.is_valid(tiny.geometry.values).all()
    assert re.fullmatch(r"DEMO-001000", tiny["external_id"].iloc[-1])
