"""Context layers for priorities: settlements with population and features such as roads or farmland."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.bulk import copy_rows, ewkb
from app.db.models import ContextLayer, Settlement
from app.domain.errors import Invalid
from app.services.priorities.stale import mark_all_stale
from gis.reference import load_hromadas

SETTLEMENT_SOURCE = "KSE Loc Data Hub (MIT)"
POPULATION_YEAR = 2022
FEATURE_COLUMNS = ["layer", "name", "source", "attributes", "geom", "created_by", "updated_by"]
SETTLEMENT_COLUMNS = ["code", "name", "population", "population_year", "source", "geom", "created_by", "updated_by"]


def load_settlements(session: Session, *, user: str) -> int:
    """Add the 1,469 hromada centres with 2022 population, skipping codes already present; returns how many were new."""
    hromadas = load_hromadas()
    known = set(session.scalars(select(Settlement.code)))
    new = hromadas[~hromadas["hromada_code"].isin(known)]
    if new.empty:
        return 0
    points = ewkb(shapely.points(new[["lon", "lat"]].to_numpy().round(6)))
    rows = (
        [code, name, int(population), POPULATION_YEAR, SETTLEMENT_SOURCE, geom, user, user]
        for code, name, population, geom in zip(
            new["hromada_code"], new["hromada"], new["population"], points, strict=True
        )
    )
    copy_rows(session, "settlement", SETTLEMENT_COLUMNS, rows)
    mark_all_stale(session)
    return len(new)


def check_layer(session: Session, layer: str) -> None:
    """Refuse a layer code missing from the context_layer list, naming the known codes."""
    known = list(session.scalars(select(ContextLayer.code).order_by(ContextLayer.sort_order, ContextLayer.code)))
    if layer not in known:
        raise Invalid(f"unknown context layer {layer!r}; known layers: {', '.join(known)}", field="layer")


def load_features(session: Session, frame: gpd.GeoDataFrame, *, layer: str, source: str | None, user: str) -> int:
    """Bulk-load a frame of WGS 84 features into a context layer; a `name` column fills the name.

    The other non-geometry columns become the JSON attributes (NaN as null). Every live area is
    queued for rescoring. The caller commits.
    """
    check_layer(session, layer)
    if frame.crs is not None and not frame.crs.to_2d().equals("EPSG:4326", ignore_axis_order=True):
        raise Invalid(f"features are in {frame.crs.to_string()}: reproject them to WGS 84 (EPSG:4326) first")
    geometry = frame.geometry.values.to_numpy()
    if (shapely.is_missing(geometry) | shapely.is_empty(geometry)).any():
        raise Invalid("some features have no geometry: drop them first (gis.context_io.read_layer does)")
    if frame.empty:
        return 0
    has_name = "name" in frame.columns
    names = [None if pd.isna(v) else str(v) for v in frame["name"]] if has_name else [None] * len(frame)
    attributes = _attributes(frame.drop(columns=[frame.geometry.name, *(["name"] if has_name else [])]))
    rows = (
        [layer, name, source, attrs, geom, user, user]
        for name, attrs, geom in zip(names, attributes, ewkb(geometry), strict=True)
    )
    copy_rows(session, "context_feature", FEATURE_COLUMNS, rows)
    mark_all_stale(session)
    return len(frame)


def _attributes(table: pd.DataFrame) -> list[str]:
    """Each row as a JSON object; pandas writes NaN and NaT as null and dates as ISO 8601."""
    if table.columns.empty:
        return ["{}"] * len(table)
    text = pd.DataFrame(table).to_json(orient="records", lines=True, date_format="iso", default_handler=str)
    # ensure_ascii (the default) escapes every control and line-separator character inside values.
    return text.rstrip("\n").split("\n")
