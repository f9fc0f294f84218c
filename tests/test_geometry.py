"""Geometry hygiene (gis.geometry): every case refused or repaired, with the reason."""

from __future__ import annotations

import pytest
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Point

from gis.area import ellipsoid_area_m2
from gis.geometry import GeometryError, GeometryTooComplex, clean_area_geometry


def square(lon: float = 30.0, lat: float = 50.0, size: float = 0.01) -> list[list[list[float]]]:
    return [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]


def polygon(coordinates: object) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": coordinates}


def test_hundredth_degree_square_at_50n_is_about_795_000_m2() -> None:
    # 0.01° of latitude ≈ 1,112 m and 0.01° of longitude at 50°N ≈ 717 m: ≈ 797,400 m² on WGS 84.
    clean = clean_area_geometry(polygon(square()))
    assert clean.area_m2 == pytest.approx(795_000, rel=0.005)
    assert clean.area_m2 == pytest.approx(797_383, abs=1)
    assert clean.repairs == ()
    assert isinstance(clean.geometry, MultiPolygon)


def test_area_does_not_depend_on_ring_orientation_or_longitude() -> None:
    clockwise = [list(reversed(square()[0]))]
    assert clean_area_geometry(polygon(clockwise)).area_m2 == pytest.approx(797_383, abs=1)
    assert clean_area_geometry(polygon(square(lon=37.5))).area_m2 == pytest.approx(797_383, abs=1)


def test_self_intersecting_bowtie_is_repaired_and_reported() -> None:
    # A figure-eight: two triangles of 0.01° x 0.005° each meeting at the crossing point.
    bowtie = [[[30.0, 50.0], [30.01, 50.01], [30.01, 50.0], [30.0, 50.01], [30.0, 50.0]]]
    clean = clean_area_geometry(polygon(bowtie))
    assert len(clean.repairs) == 1
    assert "Self-intersection" in clean.repairs[0] and "make_valid" in clean.repairs[0]
    assert clean.geometry.is_valid
    assert len(clean.geometry.geoms) == 2
    # Two triangles, each a quarter of the square.
    assert clean.area_m2 == pytest.approx(797_383 / 2, rel=0.001)


def test_unclosed_ring_is_refused_saying_which_ring() -> None:
    open_ring = [square()[0][:-1]]
    with pytest.raises(GeometryError, match=r"ring 1 of polygon 1 is not closed.*repeat the first position"):
        clean_area_geometry(polygon(open_ring))


def test_too_short_ring_is_refused() -> None:
    with pytest.raises(GeometryError, match="has 3 positions: a closed ring needs at least 4"):
        clean_area_geometry(polygon([[[30, 50], [30.01, 50], [30, 50]]]))


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        {},
        {"type": "Polygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": [[]]},
    ],
)
def test_empty_geometry_is_refused(geometry: dict[str, object] | None) -> None:
    with pytest.raises(GeometryError, match=r"missing|empty"):
        clean_area_geometry(geometry)


@pytest.mark.parametrize("kind", ["Point", "LineString", "MultiPoint", "GeometryCollection"])
def test_non_polygon_types_are_refused(kind: str) -> None:
    with pytest.raises(GeometryError, match=f"geometry type '{kind}' is not an area: use Polygon or MultiPolygon"):
        clean_area_geometry({"type": kind, "coordinates": [30, 50]})


def test_collapsed_polygon_with_no_area_is_refused() -> None:
    line_like = [[[30, 50], [30.01, 50], [30.02, 50], [30, 50]]]
    with pytest.raises(GeometryError, match="no area"):
        clean_area_geometry(polygon(line_like))


def test_latitude_out_of_range_suggests_swapped_axes() -> None:
    swapped = [[[lat, lon] for lon, lat in square(lon=120.0, lat=50.0)[0]]]
    with pytest.raises(GeometryError, match=r"outside longitude ±180 / latitude ±90; the axes look swapped"):
        clean_area_geometry(polygon(swapped))


def test_projected_metres_without_crs_are_refused_with_a_hint() -> None:
    metres = [[[400000, 5540000], [401000, 5540000], [401000, 5541000], [400000, 5540000]]]
    with pytest.raises(GeometryError, match="declare the CRS"):
        clean_area_geometry(polygon(metres))


def test_non_numeric_position_is_refused() -> None:
    with pytest.raises(GeometryError, match=r"position 2 is not \[longitude, latitude\]"):
        clean_area_geometry(polygon([[[30, 50], ["30.01", 50], [30.01, 50.01], [30, 50]]]))


def test_z_and_m_are_dropped_and_reported() -> None:
    with_z = [[[*p, 120.0, 7.0] for p in square()[0]]]
    clean = clean_area_geometry(polygon(with_z))
    assert clean.repairs == ("dropped Z/M coordinates: areas are stored in 2D",)
    assert not clean.geometry.has_z
    assert clean.area_m2 == pytest.approx(797_383, abs=1)


def test_declared_utm_crs_is_reprojected_to_wgs84() -> None:
    # A 1 km x 1 km square in UTM 37N (eastern Ukraine) is 1,000,000 m² whatever the CRS.
    x0, y0 = 400_000, 5_540_000
    ring = [[x0, y0], [x0 + 1000, y0], [x0 + 1000, y0 + 1000], [x0, y0 + 1000], [x0, y0]]
    clean = clean_area_geometry(polygon([ring]), crs="EPSG:32637")
    assert clean.repairs == ("reprojected from EPSG:32637 to WGS 84 (EPSG:4326)",)
    lon, lat = Transformer.from_crs(32637, 4326, always_xy=True).transform(x0, y0)
    assert Point(lon, lat).distance(clean.geometry.boundary) < 1e-9
    # UTM is conformal, not equal-area: its scale factor 0.9996 shows in the ellipsoidal area.
    assert clean.area_m2 == pytest.approx(1_000_000, rel=0.002)


def test_wgs84_crs_names_are_accepted_without_repair() -> None:
    for name in ("EPSG:4326", "OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84"):
        assert clean_area_geometry(polygon(square()), crs=name).repairs == ()


def test_unknown_crs_is_refused() -> None:
    with pytest.raises(GeometryError, match="unknown CRS 'EPSG:999999'"):
        clean_area_geometry(polygon(square()), crs="EPSG:999999")


def test_vertex_limit() -> None:
    clean_area_geometry(polygon(square()), max_vertices=5)
    with pytest.raises(GeometryTooComplex, match="5 vertices, more than the limit of 4"):
        clean_area_geometry(polygon(square()), max_vertices=4)


def test_multipolygon_area_is_the_sum_of_its_parts() -> None:
    multi = {"type": "MultiPolygon", "coordinates": [square(), square(lon=30.05)]}
    clean = clean_area_geometry(multi)
    assert clean.area_m2 == pytest.approx(2 * 797_383, abs=2)
    assert clean.area_m2 == pytest.approx(ellipsoid_area_m2(clean.geometry))


def test_hole_is_subtracted() -> None:
    hole = [[30.0025, 50.0025], [30.0025, 50.0075], [30.0075, 50.0075], [30.0075, 50.0025], [30.0025, 50.0025]]
    clean = clean_area_geometry(polygon([square()[0], hole]))
    assert clean.area_m2 == pytest.approx(797_383 * 0.75, rel=0.001)


def test_point_is_validated_like_an_area() -> None:
    from gis.geometry import clean_point_geometry

    assert clean_point_geometry({"type": "Point", "coordinates": [36.2, 50.0]}).coords[0] == (36.2, 50.0)
    with pytest.raises(GeometryError, match="axes look swapped"):
        clean_point_geometry({"type": "Point", "coordinates": [50.0, 136.2]})
    with pytest.raises(GeometryError, match="is not a Point"):
        clean_point_geometry(polygon(square()))
    with pytest.raises(GeometryError, match="position 1 is not"):
        clean_point_geometry({"type": "Point", "coordinates": []})
    utm = clean_point_geometry({"type": "Point", "coordinates": [400_000, 5_540_000]}, crs="EPSG:32637")
    assert utm.x == pytest.approx(37.6045, abs=1e-3) and utm.y == pytest.approx(49.998, abs=1e-2)
