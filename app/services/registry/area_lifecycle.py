"""Status and classification changes of hazardous areas, applied and recorded (who, when, why)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import EvidenceType, HazardousArea, HazardousAreaEvent
from app.domain import clock
from app.domain.access import Actor, require
from app.domain.transitions import AreaState, allowed_area_statuses, check_area_status, check_classification
from app.schemas.hazardous_area import ClassificationChange, StatusChange
from app.services.priorities.stale import mark_areas_stale
from app.services.records import require_live, touch
from app.services.registry.lookups import check_codes


def state_of(area: HazardousArea) -> AreaState:
    """The facts the lifecycle rules look at."""
    return AreaState(status=area.status, remaining_m2=area.remaining_area_m2, information_date=area.information_date)


def change_status(
    session: Session,
    area: HazardousArea,
    target: str,
    *,
    on: date,
    user: str,
    reason: str | None = None,
    certificate_ref: str | None = None,
) -> None:
    """Move an area to `target` if the lifecycle allows it, and record the change."""
    check_area_status(state_of(area), target, on=on, reason=reason, certificate_ref=certificate_ref)
    _record(
        session, area, "status", area.status, target, on=on, reason=reason, certificate_ref=certificate_ref, user=user
    )
    area.status = target
    area.status_changed_on = on
    mark_areas_stale(session, [area.id])  # closed areas leave the ranking, reopened ones return
    area.status_reason = reason
    if target == "handed_over":
        area.handed_over_on = on
        area.handover_certificate_ref = certificate_ref
    note_information(area, on)


def change_classification(
    session: Session, area: HazardousArea, target: str, *, evidence: list[str], on: date, user: str, reason: str | None
) -> None:
    """SHA ⇄ CHA by the evidence rules, recorded."""
    if target == area.classification:
        return
    direct = session.scalars(select(EvidenceType.code).where(EvidenceType.kind == "direct")).all()
    check_classification(
        area.classification, target, has_direct_evidence=any(code in direct for code in evidence), reason=reason
    )
    _record(session, area, "classification", area.classification, target, on=on, reason=reason, user=user)
    area.classification = target


def progress_after_work(session: Session, area: HazardousArea, *, on: date, why: str, user: str) -> None:
    """Work moves an open area to worked on; an exhausted account closes it (never backwards)."""
    on = max(on, area.information_date or on)
    if area.status == "open":
        change_status(session, area, "worked_on", on=on, user=user, reason=why)
    if area.status == "worked_on" and "closed" in allowed_area_statuses(state_of(area)):
        change_status(session, area, "closed", on=on, user=user, reason=f"all land released ({why})")


def note_information(area: HazardousArea, on: date) -> None:
    """The summary is as of the newest information; older reports never move it back (docs/mine-action.md §4.4)."""
    if area.information_date is None or on > area.information_date:
        area.information_date = on


def _record(
    session: Session,
    area: HazardousArea,
    kind: str,
    before: str,
    after: str,
    *,
    on: date,
    reason: str | None,
    user: str,
    certificate_ref: str | None = None,
) -> None:
    session.add(
        HazardousAreaEvent(
            hazardous_area_id=area.id,
            kind=kind,
            from_value=before,
            to_value=after,
            occurred_on=on,
            reason=reason,
            certificate_ref=certificate_ref,
            created_by=user,
        )
    )


def set_status(session: Session, area_id: int, body: StatusChange, *, actor: Actor) -> None:
    """The explicit status change of an area (the caller commits)."""
    require(actor, "area.edit")
    user = actor.name
    area = locked_area(session, area_id)
    clock.refuse_future(body.on, "on", what="the status changed")
    on = body.on or clock.today()
    change_status(
        session, area, body.status, on=on, user=user, reason=body.reason, certificate_ref=body.certificate_ref
    )
    touch(area, user)
    session.flush()


def set_classification(session: Session, area_id: int, body: ClassificationChange, *, actor: Actor) -> None:
    """The explicit reclassification of an area, adding any new evidence (the caller commits)."""
    require(actor, "area.edit")
    user = actor.name
    area = locked_area(session, area_id)
    clock.refuse_future(body.on, "on", what="the area was reclassified")
    evidence = list(dict.fromkeys([*area.evidence, *check_codes(session, "evidence", body.evidence)]))
    on = body.on or clock.today()
    change_classification(session, area, body.classification, evidence=evidence, on=on, user=user, reason=body.reason)
    area.evidence = evidence
    note_information(area, on)
    touch(area, user)
    mark_areas_stale(session, [area.id])
    session.flush()


def locked_area(session: Session, area_id: int) -> HazardousArea:
    """A live area, its row locked until the transaction ends: every change to an area's account or state takes it.

    Releases, corrections, status changes and finds then follow one another; none reads an account
    that another is about to change (docs/mine-action.md §4.2).
    """
    # populate_existing: an area already loaded in this session is read again under the lock.
    locked = session.get(HazardousArea, area_id, with_for_update=True, populate_existing=True)
    return require_live(locked, f"hazardous area {area_id}")
