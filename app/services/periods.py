"""Reporting periods of one record (an agreement's spending, a task's progress) never overlap."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.domain.errors import Conflict


def refuse_overlap(
    session: Session,
    model: Any,
    parent: InstrumentedAttribute[int],
    parent_id: int,
    start: date,
    end: date,
    *,
    what: str,
    advice: str,
) -> None:
    """A period that overlaps one already recorded for the same parent is a 409 naming it: nothing counts twice.

    The caller holds the parent row locked (`FOR UPDATE`), so two reports of one period cannot both pass.
    """
    clash = session.execute(
        select(model.id, model.period_start, model.period_end).where(
            parent == parent_id, model.period_start <= end, model.period_end >= start
        )
    ).first()
    if clash:
        raise Conflict(
            f"{what} {clash.id} already covers {clash.period_start}..{clash.period_end}, "
            f"which overlaps this period: {advice}",
            existing_id=clash.id,
        )
