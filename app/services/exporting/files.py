"""Writing an export: the filtered layers, read in chunks, into a GeoPackage, GeoJSON, Shapefile, KML or CSV file.

The file is written on disk chunk by chunk (CHUNK rows at a time, keyset-paged by id), so memory stays
bounded however large the programme; the API then streams the finished file. One REPEATABLE READ
snapshot covers every layer, so the layers of one file agree with each other. docs/exports.md.
"""

from __future__ import annotations

import csv
import json
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.access import Actor, require
from app.domain.errors import Invalid
from app.domain.vocabulary import SQL_VALUES
from app.services.area_filter import AreaFilter, area_where
from app.services.exporting.layers import LAYERS, THROUGH_AREAS, ExportLayer

log = logging.getLogger(__name__)

ExportFormat = Literal["gpkg", "geojson", "shp.zip", "kml", "csv"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
MEDIA_TYPES: dict[ExportFormat, str] = {
    "gpkg": "application/geopackage+sqlite3",
    "geojson": "application/geo+json",
    "shp.zip": "application/zip",
    "kml": "application/vnd.google-earth.kml+xml",
    "csv": "text/csv; charset=utf-8",
}
# Formats that hold one layer per file; the others hold every layer asked for.
SINGLE_LAYER: tuple[ExportFormat, ...] = ("geojson", "csv")
CHUNK = 5_000
SHAPEFILE_NAME_LIMIT = 10  # dBASE field names: 10 characters at most


@dataclass(frozen=True)
class Written:
    """What an export wrote: the file, and the features of each layer."""

    path: Path
    counts: dict[str, int]


def check_request(fmt: str, layers: list[str], actor: Actor) -> tuple[ExportFormat, list[ExportLayer]]:
    """The format and layers asked for, refused with the reason when unknown, not allowed or not writable together."""
    if fmt not in EXPORT_FORMATS:
        raise Invalid(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}", field="format")
    unknown = [name for name in layers if name not in LAYERS]
    if unknown:
        raise Invalid(f"unknown layer(s) {', '.join(unknown)}; known: {', '.join(LAYERS)}", field="layers")
    if not layers:
        raise Invalid("name at least one layer", field="layers")
    if fmt in SINGLE_LAYER and len(layers) > 1:
        raise Invalid(f"a {fmt} file holds one layer; ask for one of {', '.join(layers)}", field="layers")
    chosen = [LAYERS[name] for name in dict.fromkeys(layers)]
    for layer in chosen:
        require(actor, layer.capability)
    return fmt, chosen


def write_export(
    session: Session, folder: Path, fmt: ExportFormat, layers: list[ExportLayer], flt: AreaFilter
) -> Written:
    """Write the layers, filtered, into a new file in `folder` (the caller removes the folder)."""
    session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
    stem = "mais-export" if len(layers) > 1 else f"mais-{layers[0].name.replace('_', '-')}"
    target = folder / f"{stem}.{fmt}"
    counts: dict[str, int] = {}
    if fmt == "csv":
        counts[layers[0].name] = _write_csv(session, layers[0], flt, target)
    elif fmt == "geojson":
        counts[layers[0].name] = _write_geojson(session, layers[0], flt, target)
    elif fmt == "shp.zip":
        counts = _write_shapefiles(session, layers, flt, folder, target)
    else:
        driver = {"gpkg": "GPKG", "kml": "KML"}[fmt]
        for layer in layers:
            counts[layer.name] = _write_ogr(session, layer, flt, target, driver=driver, layer_name=layer.name)
    log.info("export written format=%s layers=%s counts=%s bytes=%d", fmt, ",".join(counts), counts, _size(target))
    return Written(target, counts)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def chunks(session: Session, layer: ExportLayer, flt: AreaFilter) -> Iterator[pd.DataFrame]:
    """The layer's rows, filtered, CHUNK at a time, as frames whose `geom` holds shapely geometries (or None)."""
    sql, params = _filtered(layer, flt)
    after = 0
    while True:
        rows = session.execute(text(sql), {**params, "after": after, "chunk": CHUNK}).mappings().all()
        if not rows:
            return
        frame = pd.DataFrame([dict(r) for r in rows], columns=[*(c for c, _ in layer.columns), "geom"])
        frame["geom"] = shapely.from_wkb([bytes(g) if g is not None else None for g in frame["geom"]])
        yield frame
        if len(rows) < CHUNK:
            return
        after = int(rows[-1]["mais_id"])


def _filtered(layer: ExportLayer, flt: AreaFilter) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = dict(SQL_VALUES)
    if flt.is_empty():
        return layer.sql.format(areas=""), params
    condition, values = area_where(flt, "h")
    ids = f"SELECT h.id FROM hazardous_area h WHERE h.deleted_at IS NULL{condition}"
    through = THROUGH_AREAS.get(layer.name)
    narrowed = through.format(ids=ids) if through else f"{layer.by_area} IN ({ids})"
    return layer.sql.format(areas=f"AND {narrowed}"), {**params, **values}


DATE_SUFFIXES = ("_on", "_date", "_start", "_end")


def _frame(chunk: pd.DataFrame, *, dates: bool) -> gpd.GeoDataFrame:
    """A chunk as a frame GDAL writes: dates as dates where the format has them, else as ISO text."""
    frame = gpd.GeoDataFrame(chunk.drop(columns="geom"), geometry=gpd.GeoSeries(chunk["geom"]), crs="EPSG:4326")
    for column in [c for c in frame.columns if c.endswith(DATE_SUFFIXES)]:
        if dates:
            frame[column] = pd.to_datetime(frame[column], errors="coerce")
        else:  # dBASE has dates but GDAL writes pandas' datetimes as text there anyway: say so, as ISO dates
            frame[column] = [v.isoformat() if v is not None and not pd.isna(v) else None for v in frame[column]]
    return frame


def _write_ogr(
    session: Session,
    layer: ExportLayer,
    flt: AreaFilter,
    target: Path,
    *,
    driver: str,
    layer_name: str,
    rename: dict[str, str] | None = None,
) -> int:
    written = 0
    for chunk in chunks(session, layer, flt):
        frame = _frame(chunk, dates=driver != "ESRI Shapefile")
        if rename:
            frame = frame.rename(columns=rename)
        frame.to_file(
            target,
            layer=layer_name,
            driver=driver,
            engine="pyogrio",
            append=written > 0,
            promote_to_multi=layer.geometry.startswith("Multi"),
        )
        written += len(frame)
    if written == 0:  # an empty layer is still a layer (its fields tell the reader what would be there)
        empty = gpd.GeoDataFrame(
            {name: pd.Series(dtype="object") for name, _ in layer.columns},
            geometry=gpd.GeoSeries([], crs="EPSG:4326"),
        )
        if rename:
            empty = empty.rename(columns=rename)
        empty.to_file(target, layer=layer_name, driver=driver, engine="pyogrio", geometry_type=layer.geometry)
    return written


def shapefile_names(layer: ExportLayer) -> dict[str, str]:
    """Each field's name in a Shapefile: cut to 10 characters, made unique with a digit (docs/exports.md)."""
    names: dict[str, str] = {}
    for column, _ in layer.columns:
        short = column[:SHAPEFILE_NAME_LIMIT]
        n = 1
        while short in names.values():
            suffix = str(n)
            short = column[: SHAPEFILE_NAME_LIMIT - len(suffix)] + suffix
            n += 1
        names[column] = short
    return names


def _write_shapefiles(
    session: Session, layers: list[ExportLayer], flt: AreaFilter, folder: Path, target: Path
) -> dict[str, int]:
    counts: dict[str, int] = {}
    parts = folder / "shp"
    parts.mkdir()
    key_rows = [["layer", "shapefile_field", "field"]]
    for layer in layers:
        names = shapefile_names(layer)
        counts[layer.name] = _write_ogr(
            session,
            layer,
            flt,
            parts / f"{layer.name}.shp",
            driver="ESRI Shapefile",
            layer_name=layer.name,
            rename=names,
        )
        key_rows += [[layer.name, short, full] for full, short in names.items()]
    with (parts / "fields.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(key_rows)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in sorted(parts.iterdir()):
            archive.write(member, member.name)
    return counts


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _write_csv(session: Session, layer: ExportLayer, flt: AreaFilter, target: Path) -> int:
    """CSV with an HXL hashtag row under the header and the geometry as WKT (what the import reads back)."""
    written = 0
    with target.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow([name for name, _ in layer.columns] + ["WKT"])
        out.writerow([tag for _, tag in layer.columns] + ["#geo+wkt"])
        for chunk in chunks(session, layer, flt):
            wkt = shapely.to_wkt(chunk["geom"].to_numpy(), rounding_precision=7, trim=True)
            for values, geometry in zip(chunk.drop(columns="geom").itertuples(index=False), wkt, strict=True):
                out.writerow([_cell(v) for v in values] + [geometry or ""])
            written += len(chunk)
    return written


def _write_geojson(session: Session, layer: ExportLayer, flt: AreaFilter, target: Path) -> int:
    """RFC 7946 GeoJSON, one feature per line inside the collection so the file is written as it is read."""
    written = 0
    with target.open("w", encoding="utf-8") as handle:
        handle.write('{"type":"FeatureCollection","name":' + json.dumps(layer.name) + ',"features":[\n')
        for chunk in chunks(session, layer, flt):
            geometries = shapely.to_geojson(chunk["geom"].to_numpy())
            for values, geometry in zip(chunk.drop(columns="geom").to_dict("records"), geometries, strict=True):
                properties = {k: _cell(v) if v is not None else None for k, v in values.items()}
                properties = {k: (None if v == "" else v) for k, v in properties.items()}
                feature = f'{{"type":"Feature","id":{int(values["mais_id"])},"geometry":{geometry or "null"},'
                handle.write(("" if written == 0 else ",\n") + feature + '"properties":' + json.dumps(properties) + "}")
                written += 1
        handle.write("\n]}\n")
    return written
