"""An import's report: one line per row of the file, and one per problem or repair, with the fix.

Every row ends with an outcome: created, updated, skipped (unchanged, or not written because other
rows were refused) or refused; a repaired geometry adds a "repaired" line saying what changed. Row
0 holds remarks on the whole file (its CRS reprojected, a value read by a guess). The lines are
written by COPY (a national file has 100,000 rows) and read back as pages or as one CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.models import ImportJob, ImportReportRow
from app.domain.vocabulary import IMPORT_OUTCOMES, ImportOutcome
from app.services.importing.bulk import copy_frame
from app.services.importing.validation import Problem

COLUMNS = ("row_no", "external_id", "outcome", "field", "problem", "suggestion", "record_id")
CSV_HEADER = ("row", "external_id", "outcome", "field", "problem", "suggestion")
# What became of the rows: written, or only tried (a dry run), or held back (all-or-nothing, others refused).
Mode = Literal["written", "dry_run", "held_back"]


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one row (or would, in a dry run): the record, and a remark such as "unchanged"."""

    outcome: ImportOutcome
    record_id: int | None = None
    note: str | None = None


@dataclass
class Report:
    """Outcomes, refusals and repairs of the rows of one file (0-based indexes; lines number rows from 1)."""

    external_ids: list[str | None]
    refusals: dict[int, list[Problem]] = field(default_factory=dict)
    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    repairs: dict[int, list[str]] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)

    def refuse(self, problem: Problem) -> None:
        """The row is refused, for this reason (a row may have several)."""
        self.refusals.setdefault(problem.index, []).append(problem)
        self.outcomes.pop(problem.index, None)

    def repair(self, index: int, what: str) -> None:
        """The row's geometry was repaired so."""
        self.repairs.setdefault(index, []).append(what)

    def settle(self, index: int, outcome: RowOutcome) -> None:
        """What was (or would be) done with a row that is not refused."""
        if index not in self.refusals:
            self.outcomes[index] = outcome

    def good(self) -> list[int]:
        """Rows not refused, in order."""
        return [i for i in range(len(self.external_ids)) if i not in self.refusals]

    def counts(self, mode: Mode) -> dict[str, int]:
        """Rows by outcome; when rows were held back (not written), those that would have been count as skipped."""
        counts: dict[str, int] = dict.fromkeys(IMPORT_OUTCOMES, 0)
        counts["refused"] = len(self.refusals)
        for index, done in self.outcomes.items():
            counts["skipped" if mode == "held_back" else done.outcome] += 1
            if index in self.repairs and done.outcome in ("created", "updated") and mode != "held_back":
                counts["repaired"] += 1
        return counts

    def lines(self, mode: Mode, *, held_back: str = "") -> pd.DataFrame:
        """The report's lines in row order; `held_back` says why rows that would be written were not."""
        out: list[tuple[Any, ...]] = [(0, None, "repaired", p.field, p.problem, p.suggestion, None) for p in self.notes]
        for index in sorted({*self.refusals, *self.outcomes}):
            row, external_id = index + 1, self.external_ids[index]
            for p in self.refusals.get(index, []):
                out.append((row, external_id, "refused", p.field, p.problem, p.suggestion, None))
            if index not in self.outcomes:
                continue
            done = self.outcomes[index]
            # A dry run's new records were rolled back: their ids were never real.
            record_id = None if mode == "dry_run" and done.outcome == "created" else done.record_id
            if mode == "held_back" and done.outcome != "skipped":
                out.append((row, external_id, "skipped", None, f"would be {done.outcome}; {held_back}", None, None))
            else:
                out.append((row, external_id, done.outcome, None, done.note, None, record_id))
            for repair in self.repairs.get(index, []):
                out.append((row, external_id, "repaired", "geometry", repair, None, record_id))
        return pd.DataFrame(out, columns=list(COLUMNS), dtype=object)


def write_report(session: Session, job_id: int, lines: pd.DataFrame) -> None:
    """Store the report's lines (by COPY) in the caller's transaction."""
    frame = lines.assign(job_id=job_id)
    copy_frame(session, "import_report_row", frame[["job_id", *COLUMNS]])


def report_page(
    session: Session, job_id: int, *, outcome: str | None, after_id: int | None, limit: int
) -> list[RowMapping]:
    """One page of a job's report lines in row order (by line id), optionally of one outcome."""
    query = select(ImportReportRow).where(ImportReportRow.job_id == job_id)
    if outcome is not None:
        query = query.where(ImportReportRow.outcome == outcome)
    if after_id is not None:
        query = query.where(ImportReportRow.id > after_id)
    rows = session.scalars(query.order_by(ImportReportRow.id).limit(limit))
    return [_entry(r) for r in rows]


def _entry(row: ImportReportRow) -> Any:
    return {
        "id": row.id,
        "row": row.row_no,
        "external_id": row.external_id,
        "outcome": row.outcome,
        "field": row.field,
        "problem": row.problem,
        "suggestion": row.suggestion,
        "record_id": row.record_id,
    }


def report_csv(session: Session, job_id: int) -> Iterator[str]:
    """The whole report as CSV text, streamed in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    query = (
        select(*(getattr(ImportReportRow, c) for c in COLUMNS[:-1]))
        .where(ImportReportRow.job_id == job_id)
        .order_by(ImportReportRow.id)
        .execution_options(yield_per=5_000)
    )
    for n, row in enumerate(session.execute(query), start=1):
        writer.writerow(row)
        if n % 5_000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


SHOWN_REFUSALS = 10  # refused lines a summary quotes before pointing at the report


def summary(session: Session, job: ImportJob) -> list[str]:
    """A job's outcome in a few lines for a terminal: counts, why nothing was written, the first refusals."""
    counts = job.counts or {}
    verb = "would be" if job.dry_run else "were"
    done = ", ".join(f"{counts.get(k, 0):,} {k}" for k in ("created", "updated", "repaired", "skipped", "refused"))
    lines = [f"import {job.id} {job.status}{' (dry run)' if job.dry_run else ''}: rows that {verb}: {done}"]
    if job.error:
        lines.append(job.error)
    refused = session.scalars(
        select(ImportReportRow)
        .where(ImportReportRow.job_id == job.id, ImportReportRow.outcome == "refused")
        .order_by(ImportReportRow.id)
        .limit(SHOWN_REFUSALS + 1)
    ).all()
    for row in refused[:SHOWN_REFUSALS]:
        fix = f" — {row.suggestion}" if row.suggestion else ""
        lines.append(f"  row {row.row_no} ({row.external_id}): {row.field or '-'}: {row.problem}{fix}")
    if len(refused) > SHOWN_REFUSALS:
        more = counts.get("refused", 0) - SHOWN_REFUSALS
        lines.append(f"  … {more:,} more refused rows: see the report")
    return lines
