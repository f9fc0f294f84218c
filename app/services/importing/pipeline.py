"""One import from file to report: read, map, check every row, load by the kind's path, report.

The work runs in a savepoint of the caller's transaction: a dry run, an all-or-nothing import with
refused rows and a cancelled one roll it back (nothing written), the others keep it. The job's
outcome and its report are then written in the same transaction, and the caller commits.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from app.db.audit import audit_session
from app.db.models import ImportJob
from app.domain import clock
from app.domain.access import Actor
from app.domain.errors import AppError
from app.domain.vocabulary import ImportKind, ImportStatus
from app.schemas.importing import FieldMap
from app.services.importing.area_writes import write_areas
from app.services.importing.areas import plan_areas
from app.services.importing.mappings import dumped, mapped_fields, parse_mapping
from app.services.importing.progress import Cancelled, Tracker
from app.services.importing.report import Mode, Report, RowOutcome, write_report
from app.services.importing.rows import load_rows
from app.services.importing.shapes import rows_geometry
from app.services.importing.submission import create_job
from app.services.importing.validation import Checked, Problem, check_rows
from gis.importing.readers import ReadError, read_file
from gis.importing.shapes import CleanAreas

log = logging.getLogger(__name__)


def execute_job(
    session: Session,
    job: ImportJob,
    path: Path,
    *,
    actor: Actor,
    layer: str | None = None,
    tracker: Tracker | None = None,
) -> ImportJob:
    """Run a queued job in the caller's transaction and record its outcome and report (the caller commits)."""
    tracker = tracker or Tracker(persist=False)
    started = clock.now()
    mapping = parse_mapping(job.mapping)
    audit_session(session, actor=actor, request=f"import {job.id}", import_job_id=job.id)
    work = session.begin_nested()
    status: ImportStatus = "done"
    error = report = None
    mode: Mode = "held_back"
    try:
        report, mode, error = _import(session, job, path, mapping, actor=actor, layer=layer, tracker=tracker)
    except (ReadError, AppError) as refusal:
        status, error = "failed", refusal.detail if isinstance(refusal, AppError) else str(refusal)
    except Cancelled as cancelled:
        status, error = "cancelled", str(cancelled)
    except (IntegrityError, DataError) as refused:
        log.warning("import %s: the database refused the rows: %s", job.id, refused.orig)
        status, error = (
            "failed",
            f"the database refused the rows ({str(refused.orig).splitlines()[0]}): nothing was written",
        )
    if mode == "written" and status == "done":
        work.commit()
    else:
        work.rollback()
    if error and status == "done":
        status = "failed"
    counts = None
    if report is not None:
        write_report(session, job.id, report.lines(mode, held_back=_HELD_BACK))
        counts = report.counts(mode)
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == job.id)
        .values(
            status=status,
            error=error,
            counts=counts,
            mapping=dumped(mapping),
            rows_done=tracker.total if report is not None else ImportJob.rows_done,
            rows_total=tracker.total or ImportJob.rows_total,
            started_at=func.coalesce(ImportJob.started_at, started),
            finished_at=clock.now(),
        )
    )
    session.flush()
    session.refresh(job)
    return job


_HELD_BACK = "not written: other rows were refused and the import is all-or-nothing"


def _import(
    session: Session,
    job: ImportJob,
    path: Path,
    mapping: dict[str, FieldMap],
    *,
    actor: Actor,
    layer: str | None,
    tracker: Tracker,
) -> tuple[Report, Mode, str | None]:
    """The import itself: its report, what became of the rows, and why nothing was written (if so)."""
    kind: ImportKind = job.kind  # type: ignore[assignment]
    table = read_file(path, layer=layer)
    if table.frame.empty:
        raise ReadError(f"{job.filename or path.name} holds no rows: export the data again")
    tracker.start(len(table.frame))
    checked = check_rows(session, table.frame, kind, mapping, source=job.source)
    report = Report(external_ids=checked.values["external_id"])
    for problems in checked.problems.values():
        for problem in problems:
            report.refuse(problem)
    report.notes += [Problem(-1, None, note) for note in table.notes] + checked.notes
    _refuse_blank_and_twice(report, checked, kind)
    geometry = rows_geometry(session, kind, table, mapping, report)
    tracker.advance(0)
    if isinstance(geometry, CleanAreas) and kind == "hazardous_areas":
        mode = _load_areas(session, job, checked, geometry, report, mapping=mapping, actor=actor, tracker=tracker)
    else:
        shapes = geometry.geometry if isinstance(geometry, CleanAreas) else geometry
        rows = {i: _row(checked, i, mapping, shapes) for i in report.good()}
        mode = load_rows(session, kind, rows, report, job=job, actor=actor, tracker=tracker)
    error = None
    if mode == "held_back":
        good = len(report.external_ids) - len(report.refusals)
        error = (
            f"{len(report.refusals):,} of {len(report.external_ids):,} rows refused: nothing was written (the "
            f"import is all-or-nothing). Fix them and import the file again, or import it with skip_refused to "
            f"write the {good:,} others; the report lists each problem and its fix"
        )
    return report, mode, error


def _refuse_blank_and_twice(report: Report, checked: Checked, kind: ImportKind) -> None:
    """Every row needs its own external id (and national id, when it has one): the same one twice is refused."""
    for name in ("external_id", "national_id") if kind == "hazardous_areas" else ("external_id",):
        values = checked.values.get(name, [])
        first: dict[str, int] = {}
        for index, value in enumerate(values):
            if value is None and name == "external_id":
                report.refuse(
                    Problem(
                        index,
                        name,
                        "external id is blank: with the source, it is what lets a re-import update the record "
                        "instead of duplicating it",
                        "give the row its id in the source system",
                    )
                )
            elif value is not None and value in first:
                report.refuse(
                    Problem(
                        index,
                        name,
                        f"{name.replace('_', ' ')} {value!r} is already used by row {first[value] + 1} of the file",
                        "give each record its own id, or remove the duplicate row",
                    )
                )
            elif value is not None:
                first[value] = index


def _load_areas(
    session: Session,
    job: ImportJob,
    checked: Checked,
    clean: CleanAreas,
    report: Report,
    *,
    mapping: dict[str, FieldMap],
    actor: Actor,
    tracker: Tracker,
) -> Mode:
    """Areas by the fast path: planned in a staging table, then written set-based (unless held back)."""
    plan = plan_areas(session, job, checked, clean, report, mapped=mapped_fields(mapping), tracker=tracker)
    if job.dry_run:
        return "dry_run"
    if report.refusals and not job.skip_refused:
        return "held_back"
    written = write_areas(session, plan, source=job.source, actor=actor, repairs=report.repairs)
    for index in plan.created:
        report.settle(index, RowOutcome("created", written[index]))
    return "written"


def _row(checked: Checked, index: int, mapping: dict[str, FieldMap], geometry: np.ndarray | None) -> dict[str, Any]:
    """A row as the kind's service takes it: the mapped fields, dates' precisions, the geometry."""
    mapped = mapped_fields(mapping)
    row: dict[str, Any] = {name: values[index] for name, values in checked.values.items() if name in mapped}
    row["external_id"] = checked.values["external_id"][index]
    for name, precisions in checked.precision.items():
        if name in mapped or precisions[index] is not None:
            row[f"{name}_precision"] = precisions[index]
    row["geometry"] = None if geometry is None else geometry[index]
    return row


def run_import(
    session: Session,
    path: str | Path,
    *,
    kind: ImportKind,
    source: str,
    actor: Actor,
    mapping: dict[str, Any] | None = None,
    mapping_name: str | None = None,
    layer: str | None = None,
    dry_run: bool = False,
    skip_refused: bool = False,
    tracker: Tracker | None = None,
) -> ImportJob:
    """Import a file now, in the caller's transaction (the caller commits): the job, its outcome and report."""
    path = Path(path)
    job = create_job(
        session,
        path,
        kind=kind,
        source=source,
        mapping=mapping,
        mapping_name=mapping_name,
        layer=layer,
        dry_run=dry_run,
        skip_refused=skip_refused,
        actor=actor,
    )
    return execute_job(session, job, path, actor=actor, layer=layer, tracker=tracker)
