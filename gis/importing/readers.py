"""Read a file brought in for import, whatever its format, into one table of rows.

GeoJSON, GeoPackage, Shapefile (zipped, or beside its .shp/.dbf/.prj), KML/KMZ and XLSX are read by
GDAL through pyogrio; CSV by pandas, every cell as text, so that nothing (an id "007", a date) is
reinterpreted before the mapping says what a column is. Spatial formats give each row its geometry
and the CRS the file declares; tabular ones (CSV, XLSX, KoboToolbox/ODK exports) keep their
geometry in columns, turned into shapes once the mapping names them (gis/importing/positions.py).

A file that cannot be read at all raises `ReadError`, whose message says what is wrong with it and
what to do; problems of single rows are left to the later steps, which report them row by row.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

SPATIAL = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GeoPackage", ".shp": "Shapefile", ".kml": "KML"}
SUPPORTED = ".geojson, .json, .gpkg, .shp, .zip (a zipped Shapefile), .kml, .kmz, .csv, .xlsx"
# Columns KML readers add to every placemark; they hold styling, not data.
KML_STYLE_COLUMNS = (
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
)
CSV_SEPARATORS = (",", ";", "\t")  # KoboToolbox exports CSV with ";" by default
CSV_ENCODINGS = ("utf-8-sig", "cp1251")  # else Windows-1251: spreadsheets saved by a Cyrillic Excel


class ReadError(ValueError):
    """The file cannot be read at all; the message says what is wrong and what to do."""


@dataclass
class SourceTable:
    """The rows of a file: its columns as read and, for spatial formats, each row's geometry."""

    frame: pd.DataFrame
    geometry: np.ndarray | None  # shapely geometries in `crs` (None where a row has none); None for tabular files
    crs: str | None  # as declared by the file; None when it declares none (or is tabular)
    format: str
    layers: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)  # remarks on the whole file


@dataclass(frozen=True)
class FileInfo:
    """What a quick look at a file tells: enough to refuse a broken one before queueing its import."""

    format: str
    layers: tuple[str, ...]
    rows: int
    columns: tuple[str, ...]


def probe(path: str | Path, *, layer: str | None = None) -> FileInfo:
    """Open the file and count its rows without reading them; `ReadError` if it cannot be read."""
    path = Path(path)
    target, fmt = _target(path)
    if fmt == "CSV":
        frame = _read_csv(target).frame
        return FileInfo(fmt, (), len(frame), tuple(str(c) for c in frame.columns))
    layers = _layers(target, layer, fmt)
    rows, columns = 0, {}
    try:
        for name in layers:
            info = pyogrio.read_info(target, layer=name, force_feature_count=True, **_options(fmt))
            rows += int(info["features"])
            columns.update(dict.fromkeys(str(c) for c in info["fields"]))
    except (DataSourceError, DataLayerError) as error:
        raise _unreadable(path, fmt, error) from error
    if fmt in ("KML", "KMZ"):
        columns = {c: None for c in columns if c not in KML_STYLE_COLUMNS}
    return FileInfo(fmt, layers, rows, tuple(columns))


def read_file(path: str | Path, *, layer: str | None = None) -> SourceTable:
    r"""Every row of the file (of `layer`, or of each layer with geometry when none is named).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "areas.csv")
    >>> _ = open(path, "w").write("ID;Hazard Type\nA-007;Suspected\n")
    >>> table = read_file(path)
    >>> table.frame.to_dict("records"), table.geometry is None
    ([{'ID': 'A-007', 'Hazard Type': 'Suspected'}], True)
    """
    path = Path(path)
    target, fmt = _target(path)
    if fmt == "CSV":
        return _read_csv(target)
    layers = _layers(target, layer, fmt)
    frames, geometries, crs = [], [], set()
    for name in layers:
        try:
            frame = pyogrio.read_dataframe(target, layer=name, read_geometry=fmt != "XLSX", **_options(fmt))
        except (DataSourceError, DataLayerError, RuntimeError) as error:
            raise _unreadable(path, fmt, error) from error
        if "geometry" in frame.columns and fmt != "XLSX":
            geometries.append(np.asarray(frame.geometry.values, dtype=object))
            if frame.crs is not None:
                crs.add(frame.crs.to_string())
            frame = pd.DataFrame(frame.drop(columns="geometry"))
        frames.append(frame)
    if len(crs) > 1:
        raise ReadError(
            f"{path.name}: its layers declare different CRSs ({', '.join(sorted(crs))}): import one at a time"
        )
    table = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if fmt in ("KML", "KMZ"):
        table = table.drop(columns=[c for c in KML_STYLE_COLUMNS if c in table.columns])
    notes = [f"read {len(layers)} layers one after another: {', '.join(layers)}"] if len(layers) > 1 else []
    geometry = np.concatenate(geometries) if geometries else None
    if geometry is not None and len(geometry) != len(table):  # a layer without geometry among others
        raise ReadError(f"{path.name}: some layers have no geometry; name the layer to import")
    return SourceTable(
        frame=table.astype(object).where(table.notna(), None),
        geometry=geometry,
        crs=next(iter(crs), None),
        format=fmt,
        layers=layers,
        notes=notes,
    )


def _target(path: Path) -> tuple[str, str]:
    """The path GDAL opens (inside a zip: /vsizip/…) and the format's name."""
    if not path.is_file():
        raise ReadError(f"{path.name}: no such file")
    if path.stat().st_size == 0:
        raise ReadError(f"{path.name} is empty: export the data again")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return str(path), "CSV"
    if suffix == ".xlsx":
        if not zipfile.is_zipfile(path):  # an XLSX workbook is a zip of XML parts
            raise ReadError(f"{path.name} is not an Excel workbook (.xlsx): save it again as .xlsx or CSV")
        return str(path), "XLSX"
    if suffix == ".kmz":
        _zip_members(path)  # refuses a damaged archive before GDAL sees it
        return str(path), "KMZ"
    if suffix == ".zip":
        return _inside_zip(path)
    if suffix in SPATIAL:
        return str(path), SPATIAL[suffix]
    raise ReadError(f"{path.name}: unknown file type {suffix or '(no extension)'!r}; supported: {SUPPORTED}")


# Beyond this, a zip is refused before anything is decompressed: a few kB can hold gigabytes.
MAX_UNZIPPED_BYTES = 4 * 1024**3
MAX_ZIP_RATIO = 200


def _zip_members(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as archive:
            _refuse_bomb(path, archive)
            damaged = archive.testzip()
            names = archive.namelist()
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise ReadError(
            f"{path.name} is not a readable zip (damaged or cut short: {error}): upload it again"
        ) from error
    except (RuntimeError, NotImplementedError) as error:  # a password, or Deflate64 (Windows' large zips)
        raise ReadError(
            f"{path.name} cannot be opened ({error}): zip it again without a password, with ordinary compression"
        ) from error
    if damaged is not None:
        raise ReadError(f"{path.name} is damaged: {damaged} inside it fails its checksum; upload it again")
    return names


def _refuse_bomb(path: Path, archive: zipfile.ZipFile) -> None:
    unzipped = sum(member.file_size for member in archive.infolist())
    zipped = max(1, sum(member.compress_size for member in archive.infolist()))
    if unzipped > MAX_UNZIPPED_BYTES or unzipped / zipped > MAX_ZIP_RATIO:
        raise ReadError(
            f"{path.name} would unpack to {unzipped / 1024**2:,.0f} MB ({unzipped / zipped:,.0f} times its size): "
            "not a data export; zip the data itself"
        )


def _inside_zip(path: Path) -> tuple[str, str]:
    """A zipped Shapefile (or one GeoPackage, GeoJSON or KML) as GDAL's /vsizip/ path."""
    names = [n for n in _zip_members(path) if not n.endswith("/") and "__MACOSX" not in n]
    shapefiles = [n for n in names if n.lower().endswith(".shp")]
    if len(shapefiles) == 1:
        stem = shapefiles[0][:-4].lower()
        present = {n.lower() for n in names}
        missing = [s for s in (".shx", ".dbf") if stem + s not in present]
        if missing:
            raise ReadError(
                f"{path.name}: the Shapefile {shapefiles[0]} comes without its {' and '.join(missing)} file: "
                "zip every file of the Shapefile together"
            )
        return f"/vsizip/{path}/{shapefiles[0]}", "Shapefile"
    if len(shapefiles) > 1:
        raise ReadError(f"{path.name} holds {len(shapefiles)} Shapefiles ({', '.join(shapefiles)}): zip one per import")
    others = [n for n in names if PurePosixPath(n).suffix.lower() in SPATIAL]
    if len(others) == 1:
        return f"/vsizip/{path}/{others[0]}", SPATIAL[PurePosixPath(others[0]).suffix.lower()]
    raise ReadError(f"{path.name} holds no Shapefile (.shp with its .shx, .dbf and .prj) or other spatial file")


def _layers(target: str, layer: str | None, fmt: str) -> tuple[str, ...]:
    """The named layer, or every layer with geometry (an XLSX workbook: its first sheet)."""
    try:
        found = pyogrio.list_layers(target)
    except (DataSourceError, DataLayerError) as error:
        raise _unreadable(Path(target), fmt, error) from error
    names = [str(name) for name in found[:, 0]]
    if not names:
        raise ReadError(f"{Path(target).name} holds no layer: export the data again")
    if layer is not None:
        if layer not in names:
            raise ReadError(f"{Path(target).name} has no layer {layer!r}; its layers are: {', '.join(names)}")
        return (layer,)
    if fmt == "XLSX":
        return (names[0],)
    spatial = [str(name) for name, kind in found if kind is not None]
    return tuple(spatial or names)


def _options(fmt: str) -> dict[str, str]:
    """GDAL open options: a workbook's first line is its header and every cell is read as text."""
    return {"HEADERS": "FORCE", "FIELD_TYPES": "STRING"} if fmt == "XLSX" else {}


def _unreadable(path: Path, fmt: str, error: Exception) -> ReadError:
    reason = str(error).split("\n")[0]
    return ReadError(f"{path.name} cannot be read as {fmt} ({reason}): check the file, or export it again")


def _read_csv(target: str) -> SourceTable:
    """Every cell as text; the separator (",", ";" or tab) and the encoding found from the file."""
    path = Path(target)
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ReadError(f"{path.name} is not a text file (it holds binary data): export it again as CSV")
    notes = []
    encoding = CSV_ENCODINGS[0]
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        encoding = CSV_ENCODINGS[1]
        text = raw.decode(encoding, errors="replace")
        notes.append(f"not UTF-8: read as {encoding} (Windows Cyrillic); save it as UTF-8 to be sure")
    header = text.split("\n", 1)[0]
    separator = max(CSV_SEPARATORS, key=header.count)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as error:
        raise ReadError(f"{path.name} cannot be read as CSV ({str(error).strip()}): check the file") from error
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.astype(object).map(lambda v: v.strip() or None if isinstance(v, str) else v)
    return SourceTable(frame=frame, geometry=None, crs=None, format="CSV", notes=notes)
