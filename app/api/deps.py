"""Typed dependencies so that route signatures read like the API docs; the unit of work lives here."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.api.access import current_actor
from app.config import Settings, get_settings
from app.db.audit import audit_session
from app.db.models import PriorityRun
from app.db.session import new_session
from app.domain.access import Actor
from app.services.priorities.ranking import refresh

log = logging.getLogger(__name__)
# Methods that may change data; every other request is read in a transaction that is rolled back.
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Rounds of rescoring one write may do for writes that queued areas while it scored.
MAX_ROUNDS = 5


def _unit_of_work(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when a write's route returns, rolled back when it raises.

    Services flush, never commit; reads never write. After a write commits, priority scores of the
    areas it touched are brought up to date in a transaction of their own: a scoring failure is
    logged and leaves the areas queued (the next write or `mais priorities` retries), never the
    write undone.
    """
    with new_session() as session:
        if request.method in WRITES:
            # The route's guard has named the caller (app/api/access.py); the login form has none yet.
            actor = current_actor(request)
            audit_session(session, actor=actor or Actor(name="anonymous", role="public"), request=_named(request))
        yield session  # an exception from the route leaves here: closing the session rolls back
        if request.method not in WRITES:
            return
        session.commit()
        try:
            _rescore(session, request)
        except Exception:
            session.rollback()
            log.exception("rescoring after %s %s failed; the areas stay queued", request.method, request.url.path)


def _rescore(session: Session, request: Request) -> None:
    """Score what the write queued, unless another request is scoring (it takes the queue when it is done).

    Never waits for another request's scoring: a write answers in the time of its own work. Each
    round commits (releasing the lock) and looks again, for areas queued by writers that found
    the lock taken meanwhile.
    """
    actor = current_actor(request)
    user = actor.name if actor else "anonymous"
    for _ in range(MAX_ROUNDS):
        runs = refresh(session, user=user, wait=False)
        session.commit()
        if not runs:  # nothing left, or another request is scoring
            return
        log.info("rescored after %s %s: %s", request.method, request.url.path, _described(runs))


def _named(request: Request) -> str:
    return f"{request.method} {request.url.path}"


def _described(runs: list[PriorityRun]) -> str:
    return ", ".join(f"scenario {r.scenario_id} v{r.scenario_version} {r.kind} {r.areas_scored} areas" for r in runs)


# scope="function": the commit happens before the answer is sent, so a failed commit is never a 2xx.
SessionDep = Annotated[Session, Depends(_unit_of_work, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
