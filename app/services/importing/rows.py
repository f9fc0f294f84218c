"""Rows imported one at a time (activities, finds, accidents, historic releases), each refused on its own.

Each row runs in a savepoint, so that a refused row leaves nothing behind and the others go on:
that is how a dry run and an all-or-nothing import learn every row's fate in one pass. When some
rows were refused and the others are to be written (skip_refused), that pass is rolled back and the
good rows run again without savepoints, so the import's audit trail is one entry with one change
per record (a rolled-back savepoint would start a new entry: app/db/audit.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from app.db.models import ImportJob
from app.domain.access import Actor
from app.domain.errors import AppError
from app.domain.vocabulary import ImportKind
from app.services.importing.progress import Tracker
from app.services.importing.records import import_accident, import_activity, import_find
from app.services.importing.releases import import_release_row
from app.services.importing.report import Mode, Report, RowOutcome
from app.services.importing.validation import Problem
from gis.geometry import GeometryError

Handler = Callable[..., RowOutcome]
HANDLERS: dict[ImportKind, Handler] = {
    "activities": import_activity,
    "devices_found": import_find,
    "accidents": import_accident,
    "releases": import_release_row,
}


def load_rows(
    session: Session,
    kind: ImportKind,
    rows: dict[int, dict[str, Any]],
    report: Report,
    *,
    job: ImportJob,
    actor: Actor,
    tracker: Tracker,
) -> Mode:
    """Import the rows (index → values) through the kind's service; returns whether they were written."""
    handler = HANDLERS[kind]
    trial = session.begin_nested()
    refused = _run(session, handler, rows, report, job=job, actor=actor, tracker=tracker, isolate=True)
    if job.dry_run:
        trial.rollback()
        return "dry_run"
    if report.refusals and not job.skip_refused:
        trial.rollback()
        return "held_back"
    if not refused:
        trial.commit()
        return "written"
    trial.rollback()
    good = {index: row for index, row in rows.items() if index not in report.refusals}
    _run(session, handler, good, report, job=job, actor=actor, tracker=tracker, isolate=False)
    return "written"


def _run(
    session: Session,
    handler: Handler,
    rows: dict[int, dict[str, Any]],
    report: Report,
    *,
    job: ImportJob,
    actor: Actor,
    tracker: Tracker,
    isolate: bool,
) -> int:
    """Run each row; with `isolate`, a refused row is rolled back alone and reported. Returns the rows refused."""
    refused = 0
    for done, (index, row) in enumerate(rows.items(), start=1):
        if not isolate:
            report.settle(index, handler(session, row, job=job, actor=actor))
            tracker.advance(done)
            continue
        savepoint = session.begin_nested()
        try:
            outcome = handler(session, row, job=job, actor=actor)
        except (AppError, GeometryError, IntegrityError, DataError) as error:
            savepoint.rollback()
            report.refuse(_problem(index, error))
            refused += 1
        else:
            savepoint.commit()
            report.settle(index, outcome)
        tracker.advance(done)
    return refused


def _problem(index: int, error: Exception) -> Problem:
    """A service's refusal as the row's problem, naming the field it names."""
    if isinstance(error, AppError):
        where = str(error.context.get("field") or "") or None
        return Problem(index, where.removeprefix("properties.") if where else None, error.detail)
    if isinstance(error, GeometryError):
        return Problem(index, "geometry", str(error))
    # A constraint the checks did not foresee is still this row's content, not a crash (app/api/errors.py).
    message = str(getattr(error, "orig", error)).splitlines()[0]
    return Problem(index, None, f"the database refused the row: {message}", "correct the row and import it again")
