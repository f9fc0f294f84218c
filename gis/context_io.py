"""Read a context layer (roads, schools, farmland, …) from a file into clean WGS 84 features.

GeoJSON, GeoPackage and Shapefile go through pyogrio; CSV carries either lon/lat columns or a
WKT column. Whatever the input, the result is EPSG:4326, 2D and valid, with the rows that had
no geometry dropped and counted, so the operator sees what the system changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.errors import GEOSException

VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
SUPPORTED = ", ".join([*VECTOR_SUFFIXES, ".csv"])


@dataclass(frozen=True)
class LayerRead:
    """Features read from a file, and what reading them changed."""

    frame: gpd.GeoDataFrame
    dropped_empty: int  # rows with a null or empty geometry (or one that collapsed on repair)
    repaired: int  # invalid geometries made valid
    reprojected_from: str | None  # the file's CRS when it was not WGS 84


def read_layer(
    path: str | Path, *, layer: str | None = None, lon: str | None = "lon", lat: str | None = "lat", wkt: str = "wkt"
) -> LayerRead:
    r"""Read GeoJSON / GeoPackage / Shapefile / CSV as valid 2D WGS 84 features.

    `layer` picks a layer of a multi-layer file (GeoPackage). A CSV is read as points from the
    `lon`/`lat` columns when both exist (pass None to skip them), else from the `wkt` column;
    CSV coordinates are WGS 84. Other files must declare their CRS and are reprojected.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "wells.csv")
    >>> _ = open(path, "w").write("name,lon,lat\nwell 1,36.2,50.0\nno position,,\n")
    >>> read = read_layer(path)
    >>> read.frame.geometry[0].wkt, read.dropped_empty
    ('POINT (36.2 50)', 1)
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = _read_csv(path, lon=lon, lat=lat, wkt=wkt)
    elif suffix in VECTOR_SUFFIXES:
        frame = _read_vector(path, layer)
    else:
        raise ValueError(f"{path}: unknown file type {suffix or '(no extension)'!r}; supported: {SUPPORTED}")
    return _clean(path, frame)


def _read_vector(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    """A GIS file through pyogrio; a multi-layer file needs the layer named."""
    try:
        layers = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
        if layer is None and len(layers) > 1:
            raise ValueError(f"{path} holds {len(layers)} layers ({', '.join(layers)}): name one with --layer-name")
        if layer is not None and layer not in layers:
            raise ValueError(f"{path} has no layer {layer!r}; its layers are: {', '.join(layers)}")
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (DataSourceError, DataLayerError) as error:
        raise ValueError(f"{path}: cannot read it as {path.suffix.lstrip('.')} ({error})") from error
    if frame.crs is None:
        raise ValueError(
            f"{path} declares no coordinate reference system: add one (for a Shapefile, the .prj file; "
            "or `ogr2ogr -a_srs EPSG:xxxx`) so positions are not guessed"
        )
    return frame


def _read_csv(path: Path, *, lon: str | None, lat: str | None, wkt: str) -> gpd.GeoDataFrame:
    """Points from lon/lat columns or any geometry from a WKT column, in WGS 84."""
    try:
        table = pd.read_csv(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: cannot read it as CSV ({error})") from error
    columns = list(table.columns)
    present = [name for name in (lon, lat) if name is not None and name in columns]
    if lon is not None and lat is not None and len(present) == 2:
        geometry = _points(path, table, lon, lat)
        table = table.drop(columns=[lon, lat])
    elif wkt in columns:
        geometry = _parse_wkt(path, table[wkt])
        table = table.drop(columns=[wkt])
    elif present:
        missing = lat if present == [lon] else lon
        raise ValueError(f"{path}: CSV has a {present[0]!r} column but no {missing!r} column; columns: {columns}")
    else:
        wanted = f"lon/lat columns {lon!r}/{lat!r} or " if lon is not None and lat is not None else ""
        raise ValueError(
            f"{path}: CSV has no {wanted}WKT column {wkt!r}; columns: {columns} (name them with --lon/--lat or --wkt)"
        )
    _check_degrees(path, geometry)
    return gpd.GeoDataFrame(table, geometry=geometry, crs="EPSG:4326")


def _points(path: Path, table: pd.DataFrame, lon: str, lat: str) -> np.ndarray:
    """Points from two numeric columns; a blank pair is a missing geometry, text is an error."""
    x = pd.to_numeric(table[lon], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(table[lat], errors="coerce").to_numpy(dtype=float)
    garbled = (np.isnan(x) & table[lon].notna().to_numpy()) | (np.isnan(y) & table[lat].notna().to_numpy())
    if garbled.any():
        row = int(np.flatnonzero(garbled)[0])
        raise ValueError(f"{path}: line {row + 2} has a non-numeric position ({table[lon][row]}, {table[lat][row]})")
    points = shapely.points(x, y)
    points[np.isnan(x) | np.isnan(y)] = None
    return points


def _parse_wkt(path: Path, column: pd.Series) -> np.ndarray:
    """Geometries from WKT text; a blank cell is a missing geometry, bad WKT names its row."""
    text = column.astype(object).where(column.notna(), None).to_numpy()
    try:
        return shapely.from_wkt(text, on_invalid="raise")
    except (GEOSException, TypeError) as error:
        for row, value in enumerate(text):
            try:
                shapely.from_wkt(value, on_invalid="raise")
            except (GEOSException, TypeError):
                raise ValueError(f"{path}: line {row + 2} has unparsable WKT {str(value)[:60]!r}") from error
        raise


def _check_degrees(path: Path, geometry: np.ndarray) -> None:
    """CSV positions must be degrees: projected metres would otherwise be stored off the globe."""
    coords = shapely.get_coordinates(geometry)
    if len(coords) and (np.abs(coords[:, 0]).max() > 180 or np.abs(coords[:, 1]).max() > 90):
        raise ValueError(
            f"{path}: positions fall outside longitude ±180 / latitude ±90; CSV is read as WGS 84 "
            "lon/lat: convert projected coordinates first, or load a GeoPackage that declares its CRS"
        )


def _clean(path: Path, frame: gpd.GeoDataFrame) -> LayerRead:
    """WGS 84, 2D, valid, without empty geometries; counts what changed."""
    reprojected_from = None
    # WGS 84 in any guise (EPSG:4326, OGC:CRS84, 3D EPSG:4979 from GeoJSON with heights) needs no transform.
    if not frame.crs.to_2d().equals("EPSG:4326", ignore_axis_order=True):
        reprojected_from = frame.crs.to_string()
        # No densifying (unlike hazardous areas): context layers feed distance criteria, where the
        # centimetres an edge bends on reprojection do not matter and 10 m vertices would bloat them.
        frame = frame.to_crs("EPSG:4326")
        if not np.isfinite(shapely.get_coordinates(frame.geometry.values)).all():
            raise ValueError(f"{path}: positions fall outside the area of use of {reprojected_from}")
    geometry = shapely.force_2d(frame.geometry.values.to_numpy())
    present = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    invalid = present & ~shapely.is_valid(geometry)
    # "structure" keeps polygons polygonal and drops collapsed parts instead of returning lines.
    geometry[invalid] = shapely.make_valid(geometry[invalid], method="structure", keep_collapsed=False)
    keep = present & ~shapely.is_empty(geometry)
    out = gpd.GeoDataFrame(frame.drop(columns=frame.geometry.name)[keep], geometry=geometry[keep], crs="EPSG:4326")
    return LayerRead(
        frame=out.reset_index(drop=True),
        dropped_empty=int((~keep).sum()),
        repaired=int((invalid & keep).sum()),
        reprojected_from=reprojected_from,
    )
