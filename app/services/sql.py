"""SQL expressions several services build the same way."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ClauseElement, func, literal_column
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2

_EMPTY_IDS: Any = literal_column("'{}'::bigint[]")
# Named parameters (`:name`), as `text()` expects them. This dialect adds no `::type` casts after
# parameters (the psycopg one does), which `text()` would misread as part of a parameter's name.
_NAMED = PGDialect_psycopg2(paramstyle="named")


def id_array(column: Any, label: str) -> Any:
    """The ids of `column` as a sorted array, empty rather than NULL when there are none."""
    return func.coalesce(func.array_agg(aggregate_order_by(column, column)), _EMPTY_IDS).label(label)


def sql_text(clause: ClauseElement) -> tuple[str, dict[str, Any]]:
    """A Core expression as SQL text with `:named` parameters and their values, to embed in a `text()` query."""
    compiled = clause.compile(dialect=_NAMED)
    return str(compiled), dict(compiled.params)
