"""Reading and checking the rows of a file: each mapped cell becomes a value of its field, or a problem.

Every distinct cell of a column is read once (a national file repeats the same few classifications,
organisations and dates thousands of times), so checking 100,000 rows costs little more than
checking their distinct values. A row with any problem is refused; the report says which cell,
why, and how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import Activity, HazardousArea, Organisation
from app.domain import clock
from app.domain.vocabulary import DatePrecision, ImportKind
from app.schemas.importing import FieldMap
from app.services.importing.cells import CellError, parse_date, parse_int, parse_number, split_list, text
from app.services.importing.fields import FIELDS, FieldSpec
from app.services.registry.lookups import LOOKUPS
from gis.importing.mapping import guess_value, normalise

# Records a row may refer to, by their external id in the same source or their id in MAIS.
REFERENCED: dict[str, tuple[type[HazardousArea] | type[Activity], str]] = {
    "area": (HazardousArea, "hazardous area"),
    "areas": (HazardousArea, "hazardous area"),
    "activity": (Activity, "activity"),
}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row (0-based `index`; -1 for the whole file), in which field, and the fix."""

    index: int
    field: str | None
    problem: str
    suggestion: str | None = None


@dataclass
class Checked:
    """The rows' values by field (None where blank), how much of each date is known, and the problems."""

    values: dict[str, list[Any]]
    precision: dict[str, list[DatePrecision | None]]
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)  # on the whole file: values read by a guess

    def refuse(self, problem: Problem) -> None:
        """Refuse the problem's row, saying why."""
        self.problems.setdefault(problem.index, []).append(problem)


@dataclass(frozen=True)
class Read:
    """What one distinct cell of a column means."""

    value: Any = None
    precision: DatePrecision | None = None
    error: str | None = None
    suggestion: str | None = None
    guessed: bool = False


def check_rows(
    session: Session, frame: pd.DataFrame, kind: ImportKind, mapping: dict[str, FieldMap], *, source: str
) -> Checked:
    """Every mapped field of every row read and checked; the geometry is checked apart (gis/importing)."""
    reader = _Reader(session, source)
    n = len(frame)
    checked = Checked(values={}, precision={})
    for spec in FIELDS[kind]:
        fmap = mapping.get(spec.name) or FieldMap()
        column = fmap.column
        if spec.name == "external_id" and fmap.from_row_number:
            checked.values[spec.name] = [str(i + 1) for i in range(n)]
            continue
        default = text(fmap.default)
        if column is None:  # one value for every row: read once
            keys = [default]
        else:
            keys = [key if (key := text(cell)) is not None else default for cell in frame[column].tolist()]
        memo = reader.read_all(spec, fmap, keys)
        where = f"column {column!r}" if column else "the default"
        if column is None:
            read = memo[default]
            values, precisions = [read.value] * n, [read.precision] * n
            errors = [(i, read) for i in range(n)] if read.error else []
        else:
            reads = [memo[key] for key in keys]
            values, precisions = [r.value for r in reads], [r.precision for r in reads]
            errors = [(i, r) for i, r in enumerate(reads) if r.error]
        for i, read in errors:
            checked.refuse(Problem(i, spec.name, f"{where}: {read.error}", read.suggestion))
        checked.values[spec.name] = values
        if spec.reader == "date":
            checked.precision[spec.name] = precisions
        for key, read in memo.items():
            if read.guessed:
                checked.notes.append(
                    Problem(-1, spec.name, f"{where}: read {key!r} as {read.value!r}", _MAP_IT.format(field=spec.name))
                )
    return checked


_MAP_IT = "to be sure, say so in the mapping's values for {field}"


class _Reader:
    """Reads distinct cells, with the organisations, lookup lists and referenced records fetched once."""

    def __init__(self, session: Session, source: str) -> None:
        self.session = session
        self.source = source
        self._organisations: dict[str, int] | None = None
        self._lookups: dict[str, dict[str, str]] = {}

    def read_all(self, spec: FieldSpec, fmap: FieldMap, keys: list[str | None]) -> dict[str | None, Read]:
        """What each distinct key means."""
        distinct = list(dict.fromkeys(keys))
        mapped = {key: self._mapped(fmap, key) for key in distinct}
        if spec.reader in REFERENCED:
            resolved = self._references(spec, {k: v for k, v in mapped.items() if v is not None})
            return {key: self._blank(spec) if mapped[key] is None else resolved[key] for key in distinct}
        return {key: self._read(spec, value) for key, value in mapped.items()}

    @staticmethod
    def _mapped(fmap: FieldMap, key: str | None) -> str | None:
        """The value the mapping's `values` give a cell (compared exactly, then as names are), else the cell."""
        if key is None or not fmap.values:
            return key
        if key in fmap.values:
            return text(fmap.values[key])
        folded = {normalise(k): v for k, v in fmap.values.items()}
        return text(folded[normalise(key)]) if normalise(key) in folded else key

    def _blank(self, spec: FieldSpec) -> Read:
        if spec.reader == "date" and "unknown" in spec.precisions:
            return Read(None, "unknown")
        if spec.required:
            return Read(
                error=f"{spec.name} is required and the cell is blank", suggestion="fill it in, or map a default"
            )
        return Read()

    def _read(self, spec: FieldSpec, value: str | None) -> Read:
        if value is None:
            return self._blank(spec)
        try:
            return _READERS[spec.reader](self, spec, value)
        except CellError as error:
            return Read(error=str(error), suggestion=_SUGGESTIONS.get(spec.reader))

    def _choice(self, spec: FieldSpec, value: str) -> Read:
        if value in spec.choices:
            return Read(value)
        guessed = guess_value(value, spec.choices)
        if guessed is None:
            raise CellError(f"{value!r} is not one of {', '.join(spec.choices)}")
        return Read(guessed, guessed=True)

    def _codes(self, spec: FieldSpec, value: str) -> Read:
        codes = [self._code(spec, item) for item in split_list(value)]
        return Read(list(dict.fromkeys(codes)))

    def _code(self, spec: FieldSpec, value: str) -> str:
        assert spec.lookup is not None
        if spec.lookup not in self._lookups:
            model = LOOKUPS[spec.lookup]
            rows = self.session.execute(select(model.code, model.label)).all()
            known = {normalise(label): code for code, label in rows}
            self._lookups[spec.lookup] = {**known, **{normalise(code): code for code, _ in rows}}
        found = self._lookups[spec.lookup].get(normalise(value))
        if found is None:
            codes = ", ".join(sorted(set(self._lookups[spec.lookup].values())))
            raise CellError(f"unknown {spec.lookup} code {value!r}; known codes: {codes}")
        return found

    def _organisation(self, spec: FieldSpec, value: str) -> Read:
        if self._organisations is None:
            rows = self.session.execute(
                select(Organisation.id, Organisation.name, Organisation.acronym).where(
                    Organisation.deleted_at.is_(None)
                )
            ).all()
            by_acronym = {normalise(acronym): id_ for id_, _, acronym in rows if acronym}
            by_id = {str(id_): id_ for id_, _, _ in rows}
            self._organisations = {**by_id, **by_acronym, **{normalise(name): id_ for id_, name, _ in rows}}
        found = self._organisations.get(value) or self._organisations.get(normalise(value))
        if found is None:
            raise CellError(f"no organisation is named {value!r}")
        return Read(found)

    def _references(self, spec: FieldSpec, keys: dict[str | None, str]) -> dict[str | None, Read]:
        """Areas or activities by external id in this source, else by id in MAIS; several for a list field."""
        model, what = REFERENCED[spec.reader]
        items = {key: split_list(value) if spec.reader == "areas" else [value] for key, value in keys.items()}
        wanted = {item for found in items.values() for item in found}
        by_external = dict(
            self.session.execute(
                select(model.external_id, model.id).where(model.source == self.source, model.external_id.in_(wanted))
            ).all()
        )
        numbers = {int(item) for item in wanted if item.isdecimal() and int(item) < 2**63}
        by_id = dict(self.session.execute(select(model.id, model.deleted_at).where(model.id.in_(numbers))).all())
        out = {}
        for key, found in items.items():
            ids, missing = [], []
            for item in found:
                if item in by_external:
                    ids.append(by_external[item])
                elif item.isdecimal() and int(item) in by_id and by_id[int(item)] is None:
                    ids.append(int(item))
                else:
                    missing.append(item)
            if missing:
                out[key] = Read(
                    error=f"no {what} has the external id {', '.join(map(repr, missing))} in source {self.source!r} "
                    "(nor such an id in MAIS)",
                    suggestion=f"import the {what}s first, from the same source, or give their ids in MAIS",
                )
            else:
                out[key] = Read(list(dict.fromkeys(ids)) if spec.reader == "areas" else ids[0])
        return out


def _date(reader: _Reader, spec: FieldSpec, value: str) -> Read:
    day, precision = parse_date(value)
    if precision not in spec.precisions:
        allowed = " or ".join(spec.precisions)
        raise CellError(f"{value!r} gives the date to the {precision}: {spec.name} needs it to the {allowed}")
    # As through the API: a date of something that happened is not in the future (a typo such as 2204
    # would otherwise date every later event of the area in 2204). Only plans lie ahead.
    if day is not None and not spec.name.startswith("planned") and day > clock.latest_plausible_date():
        raise CellError(f"{value!r} is in the future: {spec.name} is the date something happened")
    return Read(day, precision)


def _text(reader: _Reader, spec: FieldSpec, value: str) -> Read:
    if spec.pattern is not None and re.match(spec.pattern, value) is None:
        raise CellError(
            f"{value!r} is not a {spec.name.replace('_', ' ')} (e.g. UA63 for an oblast, UA6312 for a raion)"
        )
    return Read(value)


_READERS: dict[str, Callable[[_Reader, FieldSpec, str], Read]] = {
    "text": _text,
    "int": lambda _, spec, value: Read(parse_int(value, minimum=_int(spec.minimum), maximum=_int(spec.maximum))),
    "number": lambda _, spec, value: Read(parse_number(value, minimum=spec.minimum, maximum=spec.maximum)),
    "date": _date,
    "choice": _Reader._choice,
    "code": lambda reader, spec, value: Read(reader._code(spec, value)),
    "codes": _Reader._codes,
    "organisation": _Reader._organisation,
}
_SUGGESTIONS = {
    "date": "write the date as 2023-05-12, or as much of it as is known (2023-05, 2023)",
    "choice": "map the file's word to an allowed value in the mapping's values",
    "code": "map the file's word to a code in the mapping's values (codes: GET /api/v1/lookups)",
    "codes": "map the file's words to codes in the mapping's values (codes: GET /api/v1/lookups)",
    "organisation": "record the organisation first (POST /api/v1/organisations), or map the name to its id",
    "text": "give the code of a unit of the loaded admin boundaries (GET /api/v1/admin-units), or leave it blank",
    "int": "give a whole number",
    "number": "give a number",
}


def _int(bound: float | None) -> int | None:
    return None if bound is None else int(bound)
