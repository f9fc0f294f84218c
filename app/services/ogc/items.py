"""Reading a collection's items: bbox, datetime, property and CQL2 filters, keyset pages, counts and extents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, bindparam, func, literal_column, select, true
from sqlalchemy.orm import Session

from app.domain.errors import Invalid, NotFound
from app.services.ogc.collections import COLLECTIONS, Collection


@dataclass(frozen=True)
class ItemQuery:
    """What a client asked of a collection's items (already parsed)."""

    bbox: tuple[float, float, float, float] | None = None
    interval: tuple[date | None, date | None] | None = None
    condition: ColumnElement[bool] | None = None  # the CQL2 filter and the property=value parameters
    after_id: int | None = None
    limit: int = 100


def collection_of(collection_id: str) -> Collection:
    """The collection with this id, or a 404 naming those there are."""
    collection = COLLECTIONS.get(collection_id)
    if collection is None:
        raise NotFound(f"no collection {collection_id!r}; collections: {', '.join(COLLECTIONS)}")
    return collection


def parse_datetime(value: str | None) -> tuple[date | None, date | None] | None:
    """An RFC 3339 instant or interval (`2025-01-01`, `2025-01-01/2025-06-30`, `../2025-06-30`) as dates."""
    if not value:
        return None

    def one(part: str) -> date | None:
        part = part.strip()
        if part in ("", ".."):
            return None
        try:
            return date.fromisoformat(part[:10])
        except ValueError as error:
            raise Invalid(f"datetime: {part!r} is not an RFC 3339 date or date-time", field="datetime") from error

    if "/" in value:
        start, _, end = value.partition("/")
        interval = (one(start), one(end))
        if interval[0] and interval[1] and interval[0] > interval[1]:
            raise Invalid("datetime: the interval ends before it starts", field="datetime")
        return interval
    instant = one(value)
    return instant, instant


def _conditions(collection: Collection, query: ItemQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.bbox is not None:
        if collection.geometry is None:
            raise Invalid(f"{collection.id} has no geometry to filter by bbox", field="bbox")
        corners = zip(("west", "south", "east", "north"), query.bbox, strict=True)
        envelope = func.ST_MakeEnvelope(*(bindparam(f"o_{k}", v, Float) for k, v in corners), literal_column("4326"))
        conditions += [collection.geometry.op("&&")(envelope), func.ST_Intersects(collection.geometry, envelope)]
    if query.interval is not None:
        if collection.temporal is None:
            raise Invalid(f"{collection.id} has no date to filter by datetime", field="datetime")
        start, end = query.interval
        if start is not None:
            conditions.append(collection.temporal >= start)
        if end is not None:
            conditions.append(collection.temporal <= end)
    if query.condition is not None:
        conditions.append(query.condition)
    return conditions


def items(session: Session, collection: Collection, query: ItemQuery) -> tuple[list[Any], bool, int]:
    """One page of items, whether more follow, and the number the filters match.

    Rows carry `id`, the properties and `geometry` as GeoJSON text.
    """
    conditions = _conditions(collection, query)
    page = collection.base_query().where(*conditions)
    if query.after_id is not None:
        page = page.where(collection.key > query.after_id)
    rows = list(session.execute(page.order_by(collection.key).limit(query.limit + 1)).mappings())
    matched = session.scalar(
        select(func.count())
        .select_from(collection.source)
        .where(collection.live if collection.live is not None else true(), and_(true(), *conditions))
    )
    return rows[: query.limit], len(rows) > query.limit, int(matched or 0)


def item(session: Session, collection: Collection, item_id: int) -> Any:
    """One item by id, or a 404."""
    row = session.execute(collection.base_query().where(collection.key == item_id)).mappings().first()
    if row is None:
        raise NotFound(f"no item {item_id} in {collection.id}")
    return row


def extent(session: Session, collection: Collection) -> dict[str, Any]:
    """The spatial and temporal extent of the collection's live rows (CRS84; dates as RFC 3339 days)."""
    out: dict[str, Any] = {}
    if collection.geometry is not None:
        box = session.execute(
            select(
                func.ST_XMin(func.ST_Extent(collection.geometry)),
                func.ST_YMin(func.ST_Extent(collection.geometry)),
                func.ST_XMax(func.ST_Extent(collection.geometry)),
                func.ST_YMax(func.ST_Extent(collection.geometry)),
            )
            .select_from(collection.source)
            .where(collection.live if collection.live is not None else true())
        ).one()
        if box[0] is not None:
            out["spatial"] = {
                "bbox": [[round(float(v), 6) for v in box]],
                "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            }
    if collection.temporal is not None:
        first, last = session.execute(
            select(func.min(collection.temporal), func.max(collection.temporal))
            .select_from(collection.source)
            .where(collection.live if collection.live is not None else true())
        ).one()
        out["temporal"] = {
            "interval": [[_day(first), _day(last)]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return out


def _day(value: date | None) -> str | None:
    return f"{value.isoformat()}T00:00:00Z" if value is not None else None
