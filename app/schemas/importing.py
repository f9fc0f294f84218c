"""Imports of files: the field mapping, the job as the API returns it, its report, saved mappings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from app.domain.vocabulary import ImportKind, ImportOutcome, ImportStatus
from app.schemas.common import Link, StrictModel


class FieldMap(StrictModel):
    """Where one field comes from: a column of the file, what its values mean, a default."""

    column: str | None = Field(None, description="The file's column; null leaves the field unmapped (no guess)")
    values: dict[str, str | int | float] = Field(
        default_factory=dict,
        description="A cell's text → the value to store (e.g. Suspected Minefield → SHA, or an operator's name → "
        "its organisation id); cells not listed are read as they are",
        examples=[{"Suspected Minefield": "SHA", "Confirmed Minefield": "CHA"}],
    )
    default: str | int | float | None = Field(None, description="For blank cells (or every row, without a column)")
    from_row_number: bool = Field(
        False, description="external_id only: number the rows (1, 2, …) for a file without ids of its own"
    )


# A mapping: target field → where it comes from. Fields a file's columns suggest are guessed unless named.
Mapping = dict[str, FieldMap]


class ImportCounts(BaseModel):
    """Rows of the file by what happened to them (or would, in a dry run)."""

    created: int = 0
    updated: int = 0
    repaired: int = Field(0, description="Rows written (or to be) whose geometry the server repaired")
    refused: int = 0
    skipped: int = Field(0, description="Unchanged, or not written because other rows were refused")


class ImportJobPublic(BaseModel):
    """One import (or dry run) of a file: what, from where, how far it got, and what it did."""

    id: int
    kind: ImportKind
    source: str = Field(description="With each row's external id, what makes a re-import update, not duplicate")
    filename: str | None
    status: ImportStatus
    dry_run: bool
    skip_refused: bool
    mapping: dict[str, Any] | None = Field(description="The mapping used: the one given, completed by the guess")
    rows_total: int | None
    rows_done: int
    counts: ImportCounts | None
    cancel_requested: bool
    error: str | None = Field(description="Why the import wrote nothing, when it did not")
    created_at: datetime
    created_by: str
    started_at: datetime | None
    finished_at: datetime | None
    links: list[Link] = Field(default_factory=list)


class ImportJobPage(BaseModel):
    """A page of imports, newest first."""

    items: list[ImportJobPublic]
    numberReturned: int
    links: list[Link]


class ReportEntry(BaseModel):
    """One line of an import's report: a row (0: the whole file), its outcome, and a problem with its fix."""

    row: int = Field(description="Row or feature of the file, from 1; 0 for remarks on the whole file")
    external_id: str | None
    outcome: ImportOutcome
    field: str | None
    problem: str | None
    suggestion: str | None
    record_id: int | None = Field(description="The record created or updated (none in a dry run's creations)")


class ImportReport(BaseModel):
    """A page of an import's report, in row order."""

    job_id: int
    status: ImportStatus
    dry_run: bool
    counts: ImportCounts | None
    entries: list[ReportEntry]
    numberReturned: int
    links: list[Link]


class ImportMappingCreate(StrictModel):
    """A mapping saved under a name, for the next file of the same kind and layout."""

    name: str = Field(min_length=1, max_length=200)
    kind: ImportKind
    mapping: Mapping


class ImportMappingPublic(BaseModel):
    """A saved mapping."""

    id: int
    name: str
    kind: ImportKind
    mapping: dict[str, Any]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
