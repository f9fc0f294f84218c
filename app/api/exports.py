"""`/api/v1/exports`: the registry's layers as files for GIS tools, partners and field phones (docs/exports.md)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from app.api.access import Caller
from app.api.deps import SessionDep
from app.api.params import area_filter, comma_list
from app.services.area_filter import AreaFilter
from app.services.exporting import EXPORT_FORMATS, LAYERS, MEDIA_TYPES, check_request, write_export

router = APIRouter(prefix="/api/v1/exports", tags=["exports"])
ERRORS: dict[int | str, dict[str, Any]] = {
    200: {"content": {media: {} for media in MEDIA_TYPES.values()}, "description": "The file"},
    403: {"description": "The caller may not read one of the layers asked for"},
    422: {"description": "Unknown format or layer, several layers in a one-layer format, or a malformed filter"},
}


@router.get("/mais.{extension}", response_class=FileResponse, responses=ERRORS)
def export_file(
    extension: str,
    session: SessionDep,
    actor: Caller,
    flt: Annotated[AreaFilter, Depends(area_filter)],
    layers: Annotated[
        list[str] | None,
        Query(description="layers, comma-separated: " + ", ".join(LAYERS) + " (default: hazardous_areas)"),
    ] = None,
) -> FileResponse:
    """The filtered layers as `gpkg`, `shp.zip` or `kml` (every layer asked for), or `geojson` / `csv` (one layer).

    Filters are those of the area list; other layers follow the areas they belong to. The file is
    written chunk by chunk to disk and then streamed, so memory stays bounded; it is removed once sent.
    """
    fmt, chosen = check_request(extension, comma_list("layers", layers) or ["hazardous_areas"], actor)
    folder = Path(tempfile.mkdtemp(prefix="mais-export-"))
    try:
        written = write_export(session, folder, fmt, chosen, flt)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        written.path,
        media_type=MEDIA_TYPES[fmt],
        filename=written.path.name,
        headers={"X-Feature-Counts": ",".join(f"{k}={v}" for k, v in written.counts.items())},
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


__all__ = ["EXPORT_FORMATS", "router"]
