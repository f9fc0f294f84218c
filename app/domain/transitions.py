"""Lifecycle rules of hazardous areas and tasks (docs/mine-action.md §4.3), as pure functions.

Areas: open → worked_on → closed → handed_over; closed or handed over areas reopen on a later
find; SHA → CHA on direct evidence, CHA → SHA only with a reason. Tasks follow their tasking
order from draft to QA. The services apply these rules and record every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.errors import IllegalTransition
from gis.land_release import EXHAUSTED_M2

AREA_FLOW: dict[str, list[str]] = {
    "open": ["worked_on", "closed"],
    "worked_on": ["closed", "open"],
    "closed": ["handed_over", "open"],
    "handed_over": ["open"],
}
# Moving backwards undoes a recorded state of the ground: it needs a stated reason.
NEEDS_REASON: set[tuple[str, str]] = {("worked_on", "open"), ("closed", "open"), ("handed_over", "open")}

TASK_FLOW: dict[str, list[str]] = {
    "draft": ["assigned"],
    "assigned": ["in_progress", "draft"],
    "in_progress": ["suspended", "completed"],
    "suspended": ["in_progress"],
    "completed": ["qa_passed", "qa_failed"],
    "qa_failed": ["in_progress"],
    "qa_passed": [],
}

ACTIVITY_FLOW: dict[str, list[str]] = {
    "planned": ["ongoing", "cancelled"],
    "ongoing": ["suspended", "completed", "cancelled"],
    "suspended": ["ongoing", "cancelled"],
    "completed": [],
    "cancelled": [],
}


@dataclass(frozen=True)
class AreaState:
    """What the area rules need to know about an area."""

    status: str
    remaining_m2: float
    information_date: date | None


def allowed_area_statuses(area: AreaState) -> list[str]:
    """Statuses an area may move to now: closing needs its land exhausted."""
    exhausted = area.remaining_m2 < EXHAUSTED_M2
    return [s for s in AREA_FLOW[area.status] if s != "closed" or exhausted]


def check_area_status(
    area: AreaState, target: str, *, on: date, reason: str | None = None, certificate_ref: str | None = None
) -> None:
    """Refuse an illegal area status change, saying what is allowed and why."""
    allowed = allowed_area_statuses(area)

    def refuse(why: str) -> IllegalTransition:
        return IllegalTransition(
            f"area is {area.status}: {why}; allowed now: {', '.join(allowed) or 'none'}",
            current=area.status,
            allowed=allowed,
        )

    if target == area.status:
        raise refuse(f"it is already {target}")
    if target not in allowed:
        if target == "closed":
            raise refuse(f"it cannot be closed with {area.remaining_m2:.0f} m² remaining")
        raise refuse(f"it cannot become {target}")
    if area.information_date and on < area.information_date:
        raise refuse(
            f"the change is dated {on}, before the latest information ({area.information_date}); "
            "an older report must not roll the record back"
        )
    if (area.status, target) in NEEDS_REASON and not reason:
        raise refuse(f"going from {area.status} to {target} needs a reason")
    if target == "handed_over" and not certificate_ref:
        raise refuse("handover needs the certificate reference")


def check_classification(current: str, target: str, *, has_direct_evidence: bool, reason: str | None) -> None:
    """SHA → CHA needs direct evidence; CHA → SHA needs a recorded reason."""
    if current == target:
        return
    if target == "CHA" and not has_direct_evidence:
        raise IllegalTransition(
            "an SHA becomes a CHA only on direct evidence: add a direct evidence code", current=current, allowed=[]
        )
    if target == "SHA" and not reason:
        raise IllegalTransition("a CHA goes back to SHA only with a recorded reason", current=current, allowed=["CHA"])


def allowed_task_statuses(current: str) -> list[str]:
    """Statuses a task may move to from `current`."""
    return list(TASK_FLOW[current])


def check_task_status(current: str, target: str) -> None:
    """Refuse an illegal task status change."""
    _check_flow("task", TASK_FLOW, current, target)


def check_activity_status(current: str, target: str) -> None:
    """Refuse an illegal activity status change."""
    _check_flow("activity", ACTIVITY_FLOW, current, target)


def _check_flow(what: str, flow: dict[str, list[str]], current: str, target: str) -> None:
    allowed = list(flow[current])
    if target not in allowed:
        raise IllegalTransition(
            f"{what} is {current}: it cannot become {target}; allowed now: {', '.join(allowed) or 'none'}",
            current=current,
            allowed=allowed,
        )
