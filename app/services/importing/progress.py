"""How far an import has got, told to whoever watches (the job's row, a progress bar), and its cancellation.

The import itself runs in one transaction that nobody else sees until it commits; its progress is
written in short transactions of its own, so `GET /api/v1/imports/{id}` shows it while it runs, and
the cancellation a user asks for is read there between two batches of rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import select, update

from app.db.models import ImportJob
from app.db.session import new_session

REPORT_EVERY_S = 0.5  # at most this often to the database: progress is for people, not a log


class Cancelled(Exception):
    """The user asked to cancel the import: everything it did is rolled back."""


class Tracker:
    """Progress of one job: `advance` at each batch; raises `Cancelled` once cancellation is asked for."""

    def __init__(
        self, job_id: int | None = None, *, on_progress: Callable[[int, int], None] | None = None, persist: bool = True
    ) -> None:
        self.job_id = job_id
        self.on_progress = on_progress
        self.persist = persist and job_id is not None
        self.total = 0
        self._last = 0.0

    def start(self, total: int) -> None:
        """The number of rows to go through."""
        self.total = total
        self._tell(0, force=True)

    def advance(self, done: int) -> None:
        """`done` rows are through; stop here if the user cancelled."""
        self._tell(done, force=False)

    def _tell(self, done: int, *, force: bool) -> None:
        if self.on_progress is not None:
            self.on_progress(done, self.total)
        now = time.monotonic()
        if not self.persist or (not force and now - self._last < REPORT_EVERY_S):
            return
        self._last = now
        with new_session() as session:
            session.execute(
                update(ImportJob).where(ImportJob.id == self.job_id).values(rows_done=done, rows_total=self.total)
            )
            cancel = session.scalar(select(ImportJob.cancel_requested).where(ImportJob.id == self.job_id))
            session.commit()
        if cancel:
            raise Cancelled(f"import {self.job_id} cancelled at row {done:,} of {self.total:,}: nothing was written")
