"""Geometry hygiene for hazardous areas: check, repair and normalise GeoJSON input.

Every write of an area goes through `clean_area_geometry`. It refuses what cannot be
trusted (with a message that says how to fix it) and repairs what can be repaired
safely, reporting each repair so the operator sees what the system changed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from gis.area import ellipsoid_area_m2

AREA_TYPES = ("Polygon", "MultiPolygon")
WGS84 = CRS.from_epsg(4326)
DENSIFY_METRES = 10.0  # a 10 m chord of a projected straight line strays < 1 mm from it in lon/lat
DENSIFY_DEGREES = 0.0001


class GeometryError(ValueError):
    """The geometry cannot be accepted as it is; the message says why and how to fix it."""


class GeometryTooComplex(GeometryError):
    """The geometry has more vertices than the configured limit."""


@dataclass(frozen=True)
class CleanArea:
    """A hazardous-area geometry ready to store: WGS 84 lon/lat, valid, 2D, multipart."""

    geometry: MultiPolygon
    area_m2: float
    repairs: tuple[str, ...]


def clean_area_geometry(
    geojson: Mapping[str, Any] | None, *, crs: str | None = None, max_vertices: int = 10_000
) -> CleanArea:
    """Validate a GeoJSON (Multi)Polygon, repair it where safe, and measure it in m².

    `crs` is the declared CRS of the coordinates (e.g. "EPSG:32637"); None means WGS 84.

    >>> clean = clean_area_geometry({"type": "Polygon", "coordinates": [[[30, 50], [30.01, 50],
    ...     [30.01, 50.01], [30, 50.01], [30, 50]]]})
    >>> round(clean.area_m2), clean.repairs
    (797383, ())
    """
    if not geojson:
        raise GeometryError("geometry is missing: a hazardous area needs a Polygon or MultiPolygon")
    kind = geojson.get("type")
    if kind not in AREA_TYPES:
        hint = " (spot tasks and single items are points: they are not hazardous areas)" if kind == "Point" else ""
        raise GeometryError(f"geometry type {kind!r} is not an area: use Polygon or MultiPolygon{hint}")
    polygons = _polygons_of(geojson.get("coordinates"), kind)
    repairs: list[str] = []
    rings = [ring for polygon in polygons for ring in polygon]
    if any(len(position) > 2 for ring in rings for position in ring):
        repairs.append("dropped Z/M coordinates: areas are stored in 2D")
    n_vertices = sum(len(ring) for ring in rings)
    if n_vertices > max_vertices:
        raise GeometryTooComplex(
            f"geometry has {n_vertices} vertices, more than the limit of {max_vertices}: "
            "simplify it (e.g. to 1 m tolerance) or split the area"
        )
    flat = [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in polygons]
    if crs is not None and not _is_wgs84(crs):
        flat = _reproject(flat, crs)
        repairs.append(f"reprojected from {crs} to WGS 84 (EPSG:4326)")
    _check_range(flat)
    geometry: BaseGeometry = MultiPolygon([Polygon(rings[0], rings[1:]) for rings in flat])
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        geometry = polygonal(shapely.make_valid(geometry))
        repairs.append(f"repaired invalid geometry ({reason}) with make_valid")
    area_m2 = ellipsoid_area_m2(geometry)
    if geometry.is_empty or area_m2 <= 0:
        raise GeometryError("geometry has no area (all its rings are collapsed or degenerate)")
    return CleanArea(geometry=shapely.normalize(geometry), area_m2=area_m2, repairs=tuple(repairs))


def clean_point_geometry(geojson: Mapping[str, Any] | None, *, crs: str | None = None) -> Point:
    """Validate a GeoJSON Point (a find, an accident), reprojecting a declared CRS to WGS 84.

    >>> clean_point_geometry({"type": "Point", "coordinates": [36.25, 49.99, 140]}).wkt
    'POINT (36.25 49.99)'
    """
    if not geojson:
        raise GeometryError("geometry is missing: give a GeoJSON Point [longitude, latitude]")
    if geojson.get("type") != "Point":
        raise GeometryError(f"geometry type {geojson.get('type')!r} is not a Point")
    position = geojson.get("coordinates")
    _check_position(position, where="the point", index=1)
    flat = [[[(float(position[0]), float(position[1]))]]]  # type: ignore[index]
    if crs is not None and not _is_wgs84(crs):
        flat = _reproject(flat, crs)
    _check_range(flat)
    return Point(flat[0][0][0])


def _polygons_of(coordinates: Any, kind: str) -> list[list[Sequence[Sequence[float]]]]:
    """The polygons of a Polygon/MultiPolygon coordinate array, each ring checked."""
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryError(f"{kind} is empty: it needs at least one ring of four or more positions")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    for p, polygon in enumerate(polygons, start=1):
        if not isinstance(polygon, list) or not polygon:
            raise GeometryError(f"polygon {p} is empty: it needs at least one ring of four or more positions")
        for r, ring in enumerate(polygon, start=1):
            _check_ring(ring, where=f"ring {r} of polygon {p}")
    return polygons


def _check_ring(ring: Any, *, where: str) -> None:
    """A linear ring is a closed list of at least four positions of finite numbers."""
    if not isinstance(ring, list):
        raise GeometryError(f"{where} is not a list of positions")
    for i, position in enumerate(ring, start=1):
        _check_position(position, where=where, index=i)
    if len(ring) < 4:
        raise GeometryError(
            f"{where} has {len(ring)} positions: a closed ring needs at least 4 (three corners and the first repeated)"
        )
    if ring[0][:2] != ring[-1][:2]:
        raise GeometryError(
            f"{where} is not closed: first position {ring[0][:2]} differs from last {ring[-1][:2]}; "
            "repeat the first position at the end"
        )


def _check_position(position: Any, *, where: str, index: int) -> None:
    """A position is [x, y] with optional Z and M, all finite numbers."""
    ok = isinstance(position, list) and 2 <= len(position) <= 4
    if not ok or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position):
        raise GeometryError(f"{where}: position {index} is not [longitude, latitude]: {position!r}")
    if not all(math.isfinite(v) for v in position):
        raise GeometryError(f"{where}: position {index} has a non-finite coordinate: {position!r}")


def _is_wgs84(crs: str) -> bool:
    """GeoJSON positions are lon/lat whatever the axis order EPSG:4326 declares."""
    try:
        return CRS.from_user_input(crs).equals(WGS84, ignore_axis_order=True)
    except CRSError as error:
        raise GeometryError(f"unknown CRS {crs!r}: give an EPSG code such as 'EPSG:32637'") from error


def _reproject(polygons: list[list[list[tuple[float, float]]]], crs: str) -> list[list[list[tuple[float, float]]]]:
    """Transform to WGS 84, densifying first so that edges keep their shape.

    An edge straight in a projected CRS is curved in lon/lat; transforming only its ends would
    shift the boundary by centimetres per kilometre and leave slivers between neighbours.
    """
    source = CRS.from_user_input(crs)
    transformer = Transformer.from_crs(source, WGS84, always_xy=True)
    step = DENSIFY_DEGREES if source.is_geographic else DENSIFY_METRES
    out = []
    for polygon in polygons:
        rings = []
        for ring in polygon:
            points = shapely.points(ring) if len(ring) < 4 else shapely.segmentize(shapely.linearrings(ring), step)
            dense = shapely.get_coordinates(points)
            xs, ys = transformer.transform(dense[:, 0], dense[:, 1])
            rings.append(list(zip(xs, ys, strict=True)))
        out.append(rings)
    flat = [c for polygon in out for ring in polygon for p in ring for c in p]
    if not all(math.isfinite(c) for c in flat):
        raise GeometryError(f"coordinates do not fall inside the area of use of {crs}: check the declared CRS")
    return out


def _check_range(polygons: list[list[list[tuple[float, float]]]]) -> None:
    """Longitudes within ±180 and latitudes within ±90, with a hint when axes look swapped."""
    for polygon in polygons:
        for ring in polygon:
            for lon, lat in ring:
                if abs(lon) > 180 or abs(lat) > 90:
                    hint = (
                        "; the axes look swapped: GeoJSON positions are [longitude, latitude]"
                        if abs(lat) <= 180 and abs(lon) <= 90
                        else "; if these are projected metres, declare the CRS (e.g. 'EPSG:32637')"
                    )
                    raise GeometryError(f"position [{lon}, {lat}] is outside longitude ±180 / latitude ±90{hint}")


def polygonal(geometry: BaseGeometry) -> MultiPolygon:
    """The areal part of any geometry as a valid MultiPolygon (overlays may add lines and points)."""
    parts = [g for g in shapely.get_parts(geometry) if not g.is_empty]
    polygons: list[Polygon] = []
    for part in parts:
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon | shapely.GeometryCollection):
            polygons.extend(polygonal(part).geoms)
    multi = MultiPolygon(polygons)
    if multi.is_valid:
        return multi
    # Components of a collection may overlap; dissolving them gives one valid area.
    dissolved = shapely.union_all(polygons)
    return dissolved if isinstance(dissolved, MultiPolygon) else MultiPolygon([dissolved])
