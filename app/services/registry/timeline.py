"""An area's history in date order, with the m² still remaining after each step."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import (
    Accident,
    Activity,
    DeviceFound,
    HazardousArea,
    HazardousAreaEvent,
    Organisation,
    Release,
    Task,
    activity_hazardous_area,
    task_hazardous_area,
)
from app.domain.access import Actor, allowed, require
from app.domain.labels import vocabulary_label
from app.i18n import DEFAULT_LANGUAGE, format_number, translator
from app.services.records import require_live
from app.services.registry.lookups import lookup_labels

# Same-day events read in the order work happens.
ORDER = ["reported", "classification", "task", "activity_started", "release", "device_found", "accident"]
ORDER += ["status", "activity_completed"]


def timeline(session: Session, area_id: int, *, actor: Actor, language: str | None = None) -> dict[str, Any]:
    """Report, tasks, activities, releases, finds, accidents and status changes of one area.

    Finds and accidents are listed only for those who may read them (not anonymous public readers).
    With a `language`, summaries are written in it with labels rather than codes (the dashboard's
    details card); without, they keep the codes (the API's readers match on them).
    """
    require(actor, "read.registry")
    _ = translator(language or DEFAULT_LANGUAGE)
    labels = lookup_labels(session, language) if language else {"methods": {}, "contamination_types": {}}

    def word(kind: str, code: str) -> str:
        """A vocabulary value in words (app/domain/labels.py); the code itself for the API's readers."""
        return code if language is None else vocabulary_label(kind, code, language)

    def m2(value: float) -> str:
        return format_number(value, language or DEFAULT_LANGUAGE)

    area = require_live(session.get(HazardousArea, area_id), f"hazardous area {area_id}")
    steps: list[tuple[date, str, str, dict[str, Any], float]] = []  # date, event, summary, ref, m² released

    def add(on: date | None, event: str, summary: str, released: float = 0.0, **ref: Any) -> None:
        if on is not None:
            steps.append((on, event, summary, ref, released))

    add(
        area.reported_on or area.created_at.date(),
        "reported",
        _("{classification} reported by {source}: {m2} m²").format(
            classification=word("classification", area.classification),
            source=area.reporting_source or _("unknown source"),
            m2=m2(area.original_area_m2),
        ),
    )
    _tasks(session, area_id, add, _, word)
    _activities(session, area_id, add, _, word)
    for r in session.scalars(select(Release).where(Release.hazardous_area_id == area_id)):
        add(
            r.released_on,
            "release",
            _("{m2} m² {kind} ({method})").format(
                m2=m2(r.area_m2),
                kind=word("release_kind", r.kind).lower(),
                method=labels["methods"].get(r.method, r.method),
            ),
            r.area_m2,
            release_id=r.id,
            activity_id=r.activity_id,
            kind=r.kind,
        )
    finds = live(DeviceFound).where(DeviceFound.hazardous_area_id == area_id)
    for d in session.scalars(finds) if allowed(actor, "read.finds") else []:
        add(
            d.found_on,
            "device_found",
            f"{d.quantity} × {labels['contamination_types'].get(d.category, d.category)}"
            f"{f' ({d.model})' if d.model else ''}, {word('device_fate', d.fate).lower()}",
            device_found_id=d.id,
            activity_id=d.activity_id,
        )
    accidents = live(Accident).where(Accident.hazardous_area_id == area_id)
    for a in session.scalars(accidents) if allowed(actor, "read.accidents") else []:
        add(
            a.occurred_on,
            "accident",
            _("accident: {type}").format(type=word("accident_type", a.type)) if language else f"{a.type} accident",
            accident_id=a.id,
        )
    for e in session.scalars(select(HazardousAreaEvent).where(HazardousAreaEvent.hazardous_area_id == area_id)):
        why = f": {e.reason}" if e.reason else ""
        vocabulary = "area_status" if e.kind == "status" else "classification"
        before, after = (word(vocabulary, v) if v else "–" for v in (e.from_value, e.to_value))
        change = f"{_(e.kind) if language else e.kind} {before} → {after}{why}"
        add(e.occurred_on, e.kind, change, recorded_by=e.created_by)
    steps.sort(key=lambda s: (s[0], ORDER.index(s[1])))
    remaining = area.original_area_m2
    entries = []
    for on, event, summary, ref, released in steps:
        remaining -= released
        entries.append(
            {"date": on, "event": event, "summary": summary, "remaining_area_m2": max(remaining, 0.0), "ref": ref}
        )
    return {
        "hazardous_area_id": area.id,
        "original_area_m2": area.original_area_m2,
        "remaining_area_m2": area.remaining_area_m2,
        "entries": entries,
    }


def live(model: Any) -> Any:
    """Rows of `model` that are not marked deleted."""
    return select(model).where(model.deleted_at.is_(None))


def _tasks(session: Session, area_id: int, add: Any, _: Any, word: Any) -> None:
    query = (
        select(Task, Organisation.name)
        .join(Organisation, Organisation.id == Task.organisation_id)
        .join(task_hazardous_area, task_hazardous_area.c.task_id == Task.id)
        .where(task_hazardous_area.c.hazardous_area_id == area_id, Task.deleted_at.is_(None))
    )
    for task, org in session.execute(query):
        add(
            task.planned_start or task.created_at.date(),
            "task",
            _("task {reference} to {operator} ({status})").format(
                reference=task.reference, operator=org, status=word("task_status", task.status)
            ),
            task_id=task.id,
        )


def _activities(session: Session, area_id: int, add: Any, _: Any, word: Any) -> None:
    query = (
        select(Activity, Organisation.name)
        .join(Organisation, Organisation.id == Activity.organisation_id)
        .join(activity_hazardous_area, activity_hazardous_area.c.activity_id == Activity.id)
        .where(activity_hazardous_area.c.hazardous_area_id == area_id, Activity.deleted_at.is_(None))
    )
    for activity, org in session.execute(query):
        kind = word("activity_type", activity.type)
        kind = kind.upper() if kind == activity.type else kind  # the API's readers: NTS, TS, CLEARANCE
        label = _("{activity} by {operator}").format(activity=kind, operator=org)
        label += f" ({activity.team})" if activity.team else ""
        add(
            activity.actual_start,
            "activity_started",
            _("{activity}: started").format(activity=label),
            activity_id=activity.id,
        )
        add(
            activity.actual_end,
            "activity_completed",
            _("{activity}: completed").format(activity=label),
            activity_id=activity.id,
        )
