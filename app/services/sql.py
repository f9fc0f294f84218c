"""SQL expressions several services build the same way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal_column
from sqlalchemy.dialects.postgresql import aggregate_order_by

_EMPTY_IDS: Any = literal_column("'{}'::bigint[]")


def id_array(column: Any, label: str) -> Any:
    """The ids of `column` as a sorted array, empty rather than NULL when there are none."""
    return func.coalesce(func.array_agg(aggregate_order_by(column, column)), _EMPTY_IDS).label(label)
