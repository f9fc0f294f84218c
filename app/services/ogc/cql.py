"""CQL2 filters (text and JSON) parsed by pygeofilter into SQLAlchemy conditions on whitelisted properties.

Nothing of a filter is pasted into SQL: pygeofilter parses it into a syntax tree, every property it
names must be one of the collection's queryables (else a 400 naming the unknown one and the known
ones), and pygeofilter's SQLAlchemy backend turns the tree into a Core condition whose literals are
bound parameters. docs/ogc.md lists the operators declared and tested.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from lark.exceptions import LarkError
from pygeofilter import ast
from pygeofilter.backends.sqlalchemy import to_filter
from pygeofilter.parsers.cql2_json import parse as parse_json
from pygeofilter.parsers.cql2_text import parse as parse_text
from sqlalchemy import ColumnElement

from app.domain.errors import Invalid
from app.services.ogc.collections import Collection

# "cql-text" is the draft name GDAL's OAPIF driver still sends (GDAL 3.12); what it sends is CQL2 text.
FILTER_LANGS = ("cql2-text", "cql2-json", "cql-text")
GEOMETRY_PROPERTY = "geometry"
# Crude size guard before parsing: a filter is a query, not a dataset.
MAX_FILTER_CHARS = 20_000


def parse_filter(collection: Collection, text: str, lang: str | None) -> ColumnElement[bool]:
    """The filter as a condition on the collection's rows; Invalid (a 400 at /ogc) saying what is wrong."""
    lang = lang or "cql2-text"
    if lang not in FILTER_LANGS:
        raise Invalid(f"filter-lang must be one of {', '.join(FILTER_LANGS)}", field="filter-lang")
    if len(text) > MAX_FILTER_CHARS:
        raise Invalid(f"the filter is longer than {MAX_FILTER_CHARS:,} characters", field="filter")
    try:
        tree = parse_json(json.loads(text)) if lang == "cql2-json" else parse_text(text)
    except (LarkError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise Invalid(f"the filter is not valid {lang}: {_first_line(error)}", field="filter") from error
    names = _attributes(tree)
    mapping: dict[str, Any] = {p.name: p.sql for p in collection.properties}
    if collection.geometry is not None:
        mapping[GEOMETRY_PROPERTY] = collection.geometry
    unknown = sorted(set(names) - set(mapping))
    if unknown:
        raise Invalid(
            f"the filter names {', '.join(unknown)}, not queryable in {collection.id}; "
            f"queryables: {', '.join(mapping)} (see /ogc/collections/{collection.id}/queryables)",
            field="filter",
        )
    try:
        condition: ColumnElement[bool] = to_filter(tree, mapping, undefined_as_null=False)
    except (KeyError, ValueError, TypeError, NotImplementedError, AttributeError) as error:
        problem = f"the filter uses what this server does not evaluate: {_first_line(error)}"
        raise Invalid(problem, field="filter") from error
    return condition


def _attributes(node: Any) -> list[str]:
    """Every property a filter names, however deep."""
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Attribute):
            found.append(current.name)
        children = current.get_sub_nodes() if isinstance(current, ast.Node) else None
        if isinstance(children, list | tuple):
            stack.extend(children)
        elif children is not None:
            stack.append(children)
    return found


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__


def equals(collection: Collection, name: str, value: str) -> ColumnElement[bool]:
    """`name=value` as a query parameter: the queryable equals the value, read as the property's type."""
    prop = collection.property(name)
    assert prop is not None
    typed: Any = value
    try:
        if prop.type == "integer":
            typed = int(value)
        elif prop.type == "number":
            typed = float(value)
        elif prop.type == "date":
            typed = date.fromisoformat(value[:10])
    except ValueError as error:
        raise Invalid(f"{name}: {value!r} is not a {prop.type}", field=name) from error
    return prop.sql == typed
