"""Historic land release, one released polygon per row, split over the areas it overlaps.

The polygon goes through the same account as `POST /api/v1/releases`, on every area it overlaps, and
land on no recorded area becomes a closed area of its own (app/services/land_release/history.py).
A row recorded before is left alone: releases are never edited, and its land is never counted twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.models import ImportJob, Release
from app.domain.access import Actor
from app.services.importing.report import RowOutcome
from app.services.land_release.history import record_historic_release


def import_release_row(session: Session, row: dict[str, Any], *, job: ImportJob, actor: Actor) -> RowOutcome:
    """Record one released polygon of the file (the caller commits); its activity is the record it names."""
    earlier = session.execute(
        select(Release.activity_id)
        .where(Release.source == job.source, Release.external_id == row["external_id"])
        .limit(1)
    ).first()
    if earlier is not None:
        return RowOutcome(
            "skipped", earlier.activity_id, "recorded before: releases are never edited, and land counts once"
        )
    done = record_historic_release(
        session,
        geometry=row["geometry"],
        kind=row["kind"],
        released_on=row["released_on"],
        released_on_precision=row["released_on_precision"],
        method=row["method"],
        organisation_id=row["organisation_id"],
        source=job.source,
        external_id=row["external_id"],
        actor=actor,
        notes=row.get("notes"),
    )
    note = f"{done.counted_m2:,.0f} m² released on {len(done.area_ids)} recorded area(s)"
    if done.new_area_id is not None:
        note += f"; {done.outside_m2:,.0f} m² on no recorded area became closed area {done.new_area_id}"
    return RowOutcome("created", done.activity_id, note)
