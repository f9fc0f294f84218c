"""Exports: the registry's layers as GeoPackage, GeoJSON, Shapefile, KML or CSV with HXL (docs/exports.md)."""

from app.services.exporting.files import (
    EXPORT_FORMATS,
    MEDIA_TYPES,
    ExportFormat,
    Written,
    check_request,
    shapefile_names,
    write_export,
)
from app.services.exporting.layers import LAYERS, ExportLayer

__all__ = [
    "EXPORT_FORMATS",
    "LAYERS",
    "MEDIA_TYPES",
    "ExportFormat",
    "ExportLayer",
    "Written",
    "check_request",
    "shapefile_names",
    "write_export",
]
