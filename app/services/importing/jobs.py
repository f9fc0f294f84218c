"""Import jobs: run in the background with their own session, watched, cancelled, listed.

The API answers 202 as soon as the job is queued; a thread then runs it (app/services/importing/
pipeline.py) in a transaction of its own, telling its progress as it goes (progress.py). Once it has
committed, the areas it touched are rescored, as after every write (docs/architecture.md §1).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from app.db.models import ImportJob
from app.db.session import new_session
from app.domain import clock
from app.domain.access import Actor, require
from app.domain.errors import Conflict, NotFound
from app.domain.vocabulary import ImportStatus
from app.logging import request_id
from app.services.importing.pipeline import execute_job
from app.services.importing.progress import Tracker
from app.services.importing.submission import discard_upload
from app.services.priorities.ranking import refresh

log = logging.getLogger(__name__)
UNFINISHED = ("queued", "running")
# One import at a time per server: each holds a connection and a core for its whole run; the next
# waits, queued (and cancellable), instead of starving the requests of the pool.
_one_at_a_time = threading.BoundedSemaphore(1)


def start_in_background(job_id: int, path: Path, *, actor: Actor, layer: str | None = None) -> threading.Thread:
    """Run a queued (and committed) job in a thread of its own; the uploaded file is removed afterwards."""
    thread = threading.Thread(
        target=run_job,
        args=(job_id, path),
        kwargs={"actor": actor, "layer": layer, "uploaded": True},
        name=f"import-{job_id}",
        daemon=True,
    )
    thread.start()
    return thread


def run_job(
    job_id: int,
    path: Path,
    *,
    actor: Actor,
    layer: str | None = None,
    tracker: Tracker | None = None,
    uploaded: bool = False,
) -> None:
    """Claim a queued job and run it to its end in a session of its own (the CLI calls this in the foreground).

    `uploaded`: the file is the API's copy of an upload, removed afterwards; the command line's file
    is the user's own and is never touched.
    """
    token = request_id.set(f"import-{job_id}")  # the job's log lines and audit entry carry its own id
    try:
        with _one_at_a_time:
            _run_claimed(job_id, path, actor=actor, layer=layer, tracker=tracker)
    finally:
        if uploaded:
            discard_upload(path)
        request_id.reset(token)


def _run_claimed(job_id: int, path: Path, *, actor: Actor, layer: str | None, tracker: Tracker | None) -> None:
    """Run the job if it is still queued, then rescore what it touched (a failure of that is only logged)."""
    if not _claim(job_id):
        return
    with new_session() as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        try:
            execute_job(session, job, path, actor=actor, layer=layer, tracker=tracker or Tracker(job_id))
            session.commit()
        except KeyboardInterrupt:  # the command line's Ctrl-C
            session.rollback()
            _finish(job_id, "interrupted: nothing was written", status="cancelled")
            raise
        except Exception:
            session.rollback()
            log.exception("import %s failed unexpectedly", job_id)
            _finish(job_id, f"internal error while importing (logged under import-{job_id}): nothing was written")
            return
    with new_session() as session:
        try:
            refresh(session, user=actor.name)
            session.commit()
        except Exception:
            session.rollback()
            log.exception("rescoring after import %s failed; the areas stay queued", job_id)


def abandon_interrupted_jobs() -> int:
    """At start: jobs left queued or running by a server that stopped are failed, saying so; how many.

    Their thread died with the server and their transaction with its connection, so nothing of
    them was written. (One server process runs the imports: `mais serve` starts one.)
    """
    with new_session() as session:
        ended = len(
            session.scalars(
                update(ImportJob)
                .where(ImportJob.status.in_(UNFINISHED))
                .values(
                    status="failed",
                    error="interrupted when the server stopped: nothing was written; import the file again",
                    finished_at=clock.now(),
                )
                .returning(ImportJob.id)
            ).all()
        )
        session.commit()
    if ended:
        log.warning("%s import(s) interrupted by the last stop marked failed", ended)
    return ended


def _claim(job_id: int) -> bool:
    """Move the job from queued to running; False when it was cancelled (or taken) meanwhile."""
    with new_session() as session:
        claimed = session.scalar(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.status == "queued", ImportJob.cancel_requested.is_(False))
            .values(status="running", started_at=clock.now())
            .returning(ImportJob.id)
        )
        session.commit()
    return claimed is not None


def _finish(job_id: int, error: str, *, status: ImportStatus = "failed") -> None:
    """Record why a job ended without its own outcome (its transaction was rolled back)."""
    with new_session() as session:
        session.execute(
            update(ImportJob).where(ImportJob.id == job_id).values(status=status, error=error, finished_at=clock.now())
        )
        session.commit()


def cancel_job(session: Session, job_id: int, *, actor: Actor) -> ImportJob:
    """Ask a job to stop: a queued one is cancelled at once, a running one rolls back at its next batch."""
    require(actor, "data.import")
    # FOR NO KEY UPDATE: the running import holds a key-share lock on the job (its audit entry refers to it),
    # which FOR UPDATE would wait on until the import ends.
    job = session.scalar(select(ImportJob).where(ImportJob.id == job_id).with_for_update(key_share=True))
    if job is None:
        raise NotFound(f"import {job_id} does not exist")
    if job.status not in UNFINISHED:
        raise Conflict(
            f"import {job_id} is already {job.status}: there is nothing to cancel", current_status=job.status
        )
    job.cancel_requested = True
    if job.status == "queued":
        job.status = "cancelled"
        job.error = f"cancelled by {actor.name} before it started: nothing was written"
        job.finished_at = clock.now()
    session.flush()
    return job


def get_job(session: Session, job_id: int) -> ImportJob:
    """One job as it stands."""
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"import {job_id} does not exist")
    return job


def list_jobs(session: Session, *, before_id: int | None, limit: int) -> list[RowMapping]:
    """A page of jobs, newest first, starting before `before_id`."""
    query = select(ImportJob.__table__)
    if before_id is not None:
        query = query.where(ImportJob.id < before_id)
    return list(session.execute(query.order_by(ImportJob.id.desc()).limit(limit)).mappings())
