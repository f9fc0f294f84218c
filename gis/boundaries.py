"""Admin boundaries of any country, read from a file into units with a code, names, a parent and a polygon.

Whatever GDAL reads through pyogrio will do: GeoJSON (also gzipped), GeoPackage, a zipped Shapefile,
KML or KMZ. The caller names the fields holding the code, the name, the English name and the
parent unit's code, because every country's files name them differently. The result is valid 2D
MultiPolygons in WGS 84; a file that cannot be used as it is is refused with what is wrong and how
to fix it (`BoundaryError`), never loaded half-right.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import CRSError, DataLayerError, DataSourceError, FeatureError, FieldError, GeometryError
from pyproj.exceptions import CRSError as ProjCRSError
from pyproj.exceptions import ProjError

from gis.geometry import polygonal

DATA_DIR = Path(__file__).resolve().parent / "data" / "ukraine-admin"
# Required by the licence of the shipped polygons (CC BY 4.0), see gis/data/ukraine-admin/README.md.
UKRAINE_ATTRIBUTION = (
    "Boundaries: OPORA / S. Matuszak (CC BY 4.0), modified: cleaned, dissolved, KATOTTG codes added. "
    "Codes: KATOTTG codifier, Ministry for Communities and Territories Development of Ukraine (2024)."
)
FORMATS = "GeoJSON (.geojson, .json, .geojson.gz), GeoPackage (.gpkg), zipped Shapefile (.zip), .shp, KML or KMZ"
POLYGON_TYPE_IDS = (3, 6)  # shapely type ids of Polygon and MultiPolygon
SHOWN = 5  # features named in an error before "…"


class BoundaryError(ValueError):
    """The boundary file cannot be loaded as it is; the message says why and how to fix it."""


@dataclass(frozen=True)
class BoundaryFields:
    """The fields of a boundary file that hold each unit's code, names and parent unit's code."""

    code: str
    name: str
    name_en: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class BoundaryRead:
    """Units read from a file (columns code, name, name_en, parent_code, geometry) and what reading changed."""

    frame: gpd.GeoDataFrame
    repaired: int  # invalid polygons made valid
    reprojected_from: str | None  # the file's CRS when it was not WGS 84


# Records carry OCHA p-codes for oblasts (UA63) and raions (UA6312) and the full KATOTTG code for
# hromadas (UA63120270000028556): the files hold both, so each level reads the one records use.
UKRAINE: dict[int, tuple[str, BoundaryFields]] = {
    1: ("ua_adm1.geojson.gz", BoundaryFields(code="pcode", name="name_uk", name_en="name_en")),
    2: ("ua_adm2.geojson.gz", BoundaryFields(code="pcode", name="name_uk", name_en="name_en", parent="adm1_pcode")),
    3: ("ua_adm3.geojson.gz", BoundaryFields(code="katottg", name="name_uk", name_en="name_en", parent="adm2_pcode")),
}


def read_ukraine(level: int) -> BoundaryRead:
    """Ukraine's shipped oblasts (1), raions (2) or hromadas (3)."""
    file, fields = UKRAINE[level]
    return read_boundaries(DATA_DIR / file, fields)


def read_boundaries(path: str | Path, fields: BoundaryFields, *, layer: str | None = None) -> BoundaryRead:
    """Read one level of admin units as valid WGS 84 MultiPolygons with str codes.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "provinces.geojson")
    >>> _ = open(path, "w").write('{"type": "FeatureCollection", "features": [{"type": "Feature", '
    ...     '"properties": {"ID": 7, "NAME": "North"}, "geometry": {"type": "Polygon", '
    ...     '"coordinates": [[[20, 42], [21, 42], [21, 43], [20, 42]]]}}]}')
    >>> read = read_boundaries(path, BoundaryFields(code="ID", name="NAME"))
    >>> read.frame.loc[0, "code"], read.frame.geometry[0].geom_type
    ('7', 'MultiPolygon')
    >>> read_boundaries(path, BoundaryFields(code="PCODE", name="NAME"))
    Traceback (most recent call last):
    ...
    gis.boundaries.BoundaryError: ...provinces.geojson has no field 'PCODE' (code); its fields are: ID, NAME
    """
    path = Path(path)
    if not path.is_file():
        raise BoundaryError(f"{path}: no such file")
    if path.suffix.lower() in (".zip", ".kmz") and not zipfile.is_zipfile(path):
        raise BoundaryError(f"{path} is not a complete zip archive (truncated or damaged?): zip or download it again")
    source = f"/vsigzip/{path}" if path.suffix.lower() == ".gz" else str(path)
    try:
        layer = _layer(path, source, layer)
        fields = _fields_in(path, fields, [str(f) for f in pyogrio.read_info(source, layer=layer)["fields"]])
        columns = list(dict.fromkeys(f for f in (fields.code, fields.name, fields.name_en, fields.parent) if f))
        frame = gpd.read_file(source, layer=layer, columns=columns, engine="pyogrio")
    except (DataSourceError, DataLayerError, FieldError, FeatureError, GeometryError, CRSError) as error:
        raise BoundaryError(f"{path}: cannot read it as a boundary file ({error}); readable: {FORMATS}") from error
    if frame.empty:
        raise BoundaryError(f"{path} holds no features")
    if frame.crs is None:
        raise BoundaryError(
            f"{path} declares no coordinate reference system: add one (for a Shapefile, the .prj file; "
            "or `ogr2ogr -a_srs EPSG:xxxx`) so that the boundaries are not placed by guesswork"
        )
    units = pd.DataFrame(
        {
            "code": _codes(path, frame[fields.code], fields.code, required=True),
            "name": _names(path, frame[fields.name], fields.name, required=True),
            "name_en": _names(path, frame[fields.name_en], fields.name_en, required=False) if fields.name_en else None,
            "parent_code": _codes(path, frame[fields.parent], fields.parent, required=False) if fields.parent else None,
        }
    )
    duplicated = units["code"][units["code"].duplicated()].unique()
    if len(duplicated):
        raise BoundaryError(f"{path}: code(s) {_listed(duplicated)} appear more than once in {fields.code!r}")
    return _polygons(path, units, frame)


def _layer(path: Path, source: str, layer: str | None) -> str | None:
    """The layer to read: the only one, or the one named; a file of several layers needs it named."""
    layers = [str(name) for name in pyogrio.list_layers(source)[:, 0]]
    if layer is None and len(layers) > 1:
        raise BoundaryError(f"{path} holds {len(layers)} layers ({', '.join(layers)}): name the one to load")
    if layer is not None and layer not in layers:
        raise BoundaryError(f"{path} has no layer {layer!r}; its layers are: {', '.join(layers)}")
    return layer


def _fields_in(path: Path, fields: BoundaryFields, present: list[str]) -> BoundaryFields:
    """The named fields as the file spells them (KML says `description`, a form may say `Description`)."""
    by_case = {name.casefold(): name for name in present}

    def find(role: str, name: str | None) -> str | None:
        if name is None or name in present:
            return name
        if name.casefold() in by_case:
            return by_case[name.casefold()]
        raise BoundaryError(f"{path} has no field {name!r} ({role}); its fields are: {', '.join(present)}")

    return BoundaryFields(
        code=str(find("code", fields.code)),
        name=str(find("name", fields.name)),
        name_en=find("English name", fields.name_en),
        parent=find("parent code", fields.parent),
    )


def _codes(path: Path, column: pd.Series, field: str, *, required: bool) -> pd.Series:
    """Codes as text: integers stay integers (a Shapefile may store 7 as 7.0), blanks are missing."""
    if pd.api.types.is_float_dtype(column) and np.allclose(column.dropna() % 1, 0):
        column = column.astype("Int64")
    text = column.astype("string").str.strip()
    text = text.where(text != "", pd.NA)
    if required and text.isna().any():
        raise BoundaryError(f"{path}: feature(s) {_rows(text.isna())} have no code in {field!r}: every unit needs one")
    return text.astype(object).where(text.notna(), None)


def _names(path: Path, column: pd.Series, field: str, *, required: bool) -> pd.Series:
    """Names as text; a unit must have one in the country's language, its English name may be missing."""
    text = column.astype("string").str.strip()
    blank = (text.isna() | (text == "")).to_numpy()
    if required and blank.any():
        raise BoundaryError(f"{path}: feature(s) {_rows(blank)} have no name in {field!r}: every unit needs one")
    return text.astype(object).where(~blank, None)


def _polygons(path: Path, units: pd.DataFrame, frame: gpd.GeoDataFrame) -> BoundaryRead:
    """WGS 84, 2D, valid, MultiPolygon; a unit without a polygon is refused rather than silently dropped."""
    geometry = frame.geometry.values.to_numpy()
    absent = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    if absent.any():
        raise BoundaryError(f"{path}: feature(s) {_rows(absent)} have no geometry: every unit needs its polygon")
    not_areal = ~np.isin(shapely.get_type_id(geometry), POLYGON_TYPE_IDS)
    if not_areal.any():
        kinds = sorted({g.geom_type for g in geometry[not_areal]})
        raise BoundaryError(
            f"{path}: feature(s) {_rows(not_areal)} are {', '.join(kinds)}, not polygons: boundaries must be areas"
        )
    reprojected_from = None
    # WGS 84 in any guise (EPSG:4326, OGC:CRS84, with heights) needs no transform. No densifying (unlike
    # hazardous areas): neighbours share their vertices, so they still meet exactly after the transform.
    if not frame.crs.to_2d().equals("EPSG:4326", ignore_axis_order=True):
        reprojected_from = frame.crs.to_string()
        try:
            geometry = frame.geometry.to_crs("EPSG:4326").values.to_numpy()
        except (ProjCRSError, ProjError) as error:
            raise BoundaryError(f"{path}: cannot reproject from {reprojected_from} to WGS 84 ({error})") from error
        if not np.isfinite(shapely.get_coordinates(geometry)).all():
            raise BoundaryError(f"{path}: positions fall outside the area of use of {reprojected_from}")
    geometry = shapely.force_2d(geometry)
    coords = shapely.get_coordinates(geometry)
    if (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        raise BoundaryError(
            f"{path}: positions fall outside longitude ±180 / latitude ±90: the declared CRS "
            f"({frame.crs.to_string()}) does not match the coordinates"
        )
    invalid = ~shapely.is_valid(geometry)
    # "structure" keeps polygons polygonal; collapsed slivers go rather than becoming lines.
    geometry[invalid] = shapely.make_valid(geometry[invalid], method="structure", keep_collapsed=False)
    collapsed = shapely.is_empty(geometry)
    if collapsed.any():
        raise BoundaryError(f"{path}: feature(s) {_rows(collapsed)} have polygons of no area, even once repaired")
    multi = np.array([polygonal(g) for g in geometry], dtype=object)
    out = gpd.GeoDataFrame(units, geometry=multi, crs="EPSG:4326")
    return BoundaryRead(frame=out, repaired=int(invalid.sum()), reprojected_from=reprojected_from)


def _rows(mask: np.ndarray | pd.Series) -> str:
    """1-based feature numbers, as a GIS shows them."""
    return _listed([str(i + 1) for i in np.flatnonzero(np.asarray(mask))])


def _listed(values: np.ndarray | list[str]) -> str:
    items = [str(v) for v in values]
    return ", ".join(items[:SHOWN]) + (f" … ({len(items)} in all)" if len(items) > SHOWN else "")
