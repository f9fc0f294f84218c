"""Field mappings: the one an import uses (given, completed by the guess) and those saved by name for reuse."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.models import ImportMapping
from app.domain.access import Actor, require
from app.domain.errors import Invalid, NotFound
from app.domain.vocabulary import ImportKind
from app.schemas.importing import FieldMap, ImportMappingCreate
from app.services.importing.fields import FIELDS, GEOMETRY_FIELDS, field_names
from app.services.records import touch
from gis.importing.mapping import guess_columns

SHOWN_COLUMNS = 30  # columns of a file named in a refusal before "…"


def parse_mapping(raw: dict[str, Any] | None) -> dict[str, FieldMap]:
    """A mapping as JSON (from a form, a saved mapping or a job) checked into field maps; 422 saying what is wrong."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise Invalid("mapping must be a JSON object: {field: {column, values, default}}", field="mapping")
    out = {}
    for name, value in raw.items():
        try:
            out[str(name)] = FieldMap.model_validate({"column": value} if isinstance(value, str) else value)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in (name, *first["loc"]))
            raise Invalid(f"mapping.{where}: {first['msg']}", field=f"mapping.{name}") from error
    return out


def dumped(mapping: dict[str, FieldMap]) -> dict[str, Any]:
    """A mapping as JSON, leaving out what each field map leaves at its default."""
    return {name: fmap.model_dump(exclude_defaults=True) for name, fmap in mapping.items()}


def effective_mapping(kind: ImportKind, columns: Sequence[str], given: dict[str, FieldMap]) -> dict[str, FieldMap]:
    """The given mapping checked against the file's columns, completed by the guess from column names.

    Geometry columns of a table are guessed later, from the cells themselves (gis/importing/mapping.py).
    """
    allowed = _known_fields(kind, given)
    for name, fmap in given.items():
        if fmap.column is not None and fmap.column not in columns:
            raise Invalid(
                f"mapping.{name}: the file has no column {fmap.column!r}; its columns are: {_listed(columns)}",
                field=f"mapping.{name}",
            )
        if fmap.from_row_number and name != "external_id":
            raise Invalid(f"mapping.{name}: only external_id can be numbered from the rows", field=f"mapping.{name}")
    taken = {fmap.column for fmap in given.values() if fmap.column is not None}
    wanted = [spec.name for spec in FIELDS[kind] if spec.name not in given]
    guessed = guess_columns([c for c in columns if c not in taken], wanted)
    mapping = {**{name: FieldMap(column=column) for name, column in guessed.items()}, **given}
    _require_fields(kind, columns, mapping)
    return {name: mapping[name] for name in [*allowed] if name in mapping}


def _known_fields(kind: ImportKind, mapping: dict[str, FieldMap]) -> list[str]:
    """The fields a mapping of this kind may name; 422 naming those it may not."""
    allowed = field_names(kind)
    unknown = [name for name in mapping if name not in allowed]
    if unknown:
        raise Invalid(
            f"mapping names unknown field(s) {', '.join(unknown)} for {kind}; its fields are: {', '.join(allowed)}",
            field="mapping",
        )
    return allowed


def _require_fields(kind: ImportKind, columns: Sequence[str], mapping: dict[str, FieldMap]) -> None:
    """Every required field has a column or a default; every row has an id of its source."""
    ids = mapping.get("external_id")
    if ids is None or (ids.column is None and ids.default is None and not ids.from_row_number):
        raise Invalid(
            "external_id: no column of the file holds the records' ids (its columns are: "
            f"{_listed(columns)}). Map the column that does: with the source, the id is what makes importing the "
            "file again update its records instead of duplicating them. A file without ids can number its rows "
            '({"external_id": {"from_row_number": true}}), but a changed file then matches the wrong records.',
            field="mapping.external_id",
        )
    for spec in FIELDS[kind]:
        fmap = mapping.get(spec.name)
        if spec.required and (fmap is None or (fmap.column is None and fmap.default is None)):
            raise Invalid(
                f"{spec.name} is required and no column of the file was recognised as holding it (its columns are: "
                f"{_listed(columns)}): map one in the mapping, or give a default",
                field=f"mapping.{spec.name}",
            )


def mapped_fields(mapping: dict[str, FieldMap]) -> set[str]:
    """Fields the mapping fills (a column, a default or row numbers), geometry aside: those an update changes."""
    return {
        name
        for name, fmap in mapping.items()
        if name not in GEOMETRY_FIELDS and (fmap.column is not None or fmap.default is not None or fmap.from_row_number)
    }


def _listed(columns: Sequence[str]) -> str:
    shown = ", ".join(repr(c) for c in columns[:SHOWN_COLUMNS])
    return shown + (", …" if len(columns) > SHOWN_COLUMNS else "") if columns else "none"


def save_mapping(session: Session, body: ImportMappingCreate, *, actor: Actor) -> tuple[ImportMapping, bool]:
    """Save a mapping under its name, replacing the one of that name; (the mapping, whether it is new)."""
    require(actor, "data.import")
    _known_fields(body.kind, body.mapping)
    stored = dumped(body.mapping)
    found = session.scalar(select(ImportMapping).where(ImportMapping.name == body.name).with_for_update())
    if found is None:
        found = ImportMapping(
            name=body.name, kind=body.kind, mapping=stored, created_by=actor.name, updated_by=actor.name
        )
        session.add(found)
        session.flush()
        return found, True
    found.kind, found.mapping = body.kind, stored
    touch(found, actor.name)
    session.flush()
    session.refresh(found)
    return found, False


def list_mappings(session: Session, *, kind: str | None = None) -> list[RowMapping]:
    """Saved mappings by name."""
    query = select(ImportMapping.__table__).where(ImportMapping.deleted_at.is_(None)).order_by(ImportMapping.name)
    if kind is not None:
        query = query.where(ImportMapping.kind == kind)
    return list(session.execute(query).mappings())


def mapping_named(session: Session, name: str, *, kind: ImportKind) -> dict[str, FieldMap]:
    """A saved mapping, for an import of its kind."""
    found = session.scalar(select(ImportMapping).where(ImportMapping.name == name, ImportMapping.deleted_at.is_(None)))
    if found is None:
        known = ", ".join(m["name"] for m in list_mappings(session, kind=kind)) or "none"
        raise NotFound(f"no mapping is saved under the name {name!r}; saved for {kind}: {known}")
    if found.kind != kind:
        raise Invalid(f"mapping {name!r} is for {found.kind}, not {kind}", field="mapping_name")
    return parse_mapping(found.mapping)


def mapping_argument(value: str | None) -> dict[str, Any] | None:
    """A mapping given on the command line: JSON text, or the path of a .json file holding it."""
    if value is None:
        return None
    text = Path(value).read_text(encoding="utf-8") if value.endswith(".json") and Path(value).is_file() else value
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        raise Invalid(f"mapping is not JSON ({error.msg} at character {error.pos})", field="mapping") from error
    if not isinstance(parsed, dict):
        raise Invalid('mapping must be a JSON object: {"field": {"column": …}}', field="mapping")
    return parsed
