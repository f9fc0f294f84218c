"""Historic land release: a released polygon from the past, split over the areas it overlaps.

A programme's archive holds cancelled, reduced and cleared polygons that were never recorded as
releases of one area each. One such polygon becomes one completed activity and, on each live area
it overlaps, one release through the same account as `POST /releases` (land_release/releases.py):
clipped to the area, counting only land still remaining (docs/mine-action.md §4.2). The part on no
recorded area becomes a new hazardous area, closed by a release of all of it, so that national
totals hold every m² released and `original = remaining + released` holds for that area too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import shapely
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.db.models import Activity, HazardousArea, Organisation, Release, activity_hazardous_area
from app.domain import clock
from app.domain.access import Actor, allowed, require
from app.domain.errors import Conflict, Invalid
from app.domain.vocabulary import (
    CLASSIFICATIONS,
    LIVE_AREA_STATUSES,
    RELEASE_DATE_PRECISIONS,
    RELEASE_KINDS,
    ActivityType,
)
from app.schemas.hazardous_area import HazardousAreaFields
from app.services.land_release.releases import account_of, book_release
from app.services.records import require_live
from app.services.registry.area_admin_codes import settle_admin_codes
from app.services.registry.lookups import check_codes
from app.services.registry.quality import refresh_quality
from gis.area import ellipsoid_area_m2, ellipsoid_areas_m2
from gis.geometry import polygonal
from gis.land_release import EXHAUSTED_M2, Account, ReleaseOutcome, apply_release

# The activity that yields each kind of release (IMAS 07.11); historic cleared land is filed as
# clearance, since an archive rarely tells clearance from battle area clearance.
ACTIVITY_OF_KIND: dict[str, ActivityType] = {"cancelled": "nts", "reduced": "ts", "cleared": "clearance"}


@dataclass(frozen=True)
class HistoricRelease:
    """What one historic release did: the activity, a release per area, and the land it counted."""

    activity_id: int
    release_ids: dict[int, int]  # hazardous area id → its release (the new closed area's included)
    area_ids: tuple[int, ...]  # recorded areas whose land it released, in id order
    new_area_id: int | None  # the closed area made of land on no recorded area, if any
    submitted_m2: float
    counted_m2: float  # released by this polygon, in all: recorded areas and the new area
    outside_m2: float  # on no recorded area: the new area's m²
    overlap_m2: float  # on recorded land released before: counted then, not again


def record_historic_release(
    session: Session,
    *,
    geometry: BaseGeometry,
    kind: str,
    released_on: date,
    released_on_precision: str,
    method: str,
    organisation_id: int,
    source: str,
    external_id: str,
    actor: Actor,
    classification_of_new_area: str = "SHA",
    notes: str | None = None,
) -> HistoricRelease:
    """Record a released polygon (clean, EPSG:4326) on every area it overlaps; the caller commits.

    Refused before anything is written: a (source, external id) recorded before (409, naming its
    releases: re-importing never counts land twice), and a polygon that counts no land (422).
    """
    _check_words(kind, released_on_precision, classification_of_new_area)
    clock.refuse_future(released_on, "released_on", what="the land was released")
    # Information managers bring a programme's history in for every organisation (data.import);
    # anyone else records releases as they would through the API.
    if not allowed(actor, "data.import"):
        require(actor, "release.record", organisation_id=organisation_id)
    require_live(session.get(Organisation, organisation_id), f"organisation {organisation_id}")
    check_codes(session, "methods", [method], where="method")
    _refuse_recorded_before(session, source, external_id)
    released = polygonal(geometry)
    plan = _plan(released, _locked_areas_under(session, released))
    if not plan.counting and plan.outside.is_empty:
        raise Invalid(
            f"the released polygon counts no land: {plan.overlap_m2:.0f} m² of its {plan.submitted_m2:.0f} m² lie "
            "on land released before, and what is left is under 1 m² (digitising noise along an area's edge)",
            field="geometry",
        )
    user = actor.name
    activity = Activity(
        type=ACTIVITY_OF_KIND[kind],
        organisation_id=organisation_id,
        methods=[method],
        status="completed",
        actual_start=released_on,
        actual_end=released_on,
        source=source,
        # A file numbers its releases and its activities alike ("1", "2"…): the historic activity
        # is the release's, under an id of its own, as the new area's is (".../outside").
        external_id=f"{external_id}/release",
        notes=notes,
        created_by=user,
        updated_by=user,
    )
    session.add(activity)
    counting = list(plan.counting)
    new_area = None
    if not plan.outside.is_empty:
        land = Account.open(plan.outside)
        new_area = HazardousArea(
            classification=classification_of_new_area,
            status="open",
            status_changed_on=released_on,
            source=source,
            # Files number areas and releases alike ("1", "2", …): the suffix keeps the two from clashing.
            external_id=f"{external_id}/outside",
            reporting_organisation_id=organisation_id,
            reported_on=released_on,
            reported_on_precision=released_on_precision,
            information_date=released_on,
            notes="land released where no hazardous area was recorded (historic release)",
            original_area_m2=land.original_m2,
            remaining_area_m2=land.remaining_m2,
            geom=from_shape(land.original, srid=4326),
            remaining_geom=from_shape(land.remaining, srid=4326),
            created_by=user,
            updated_by=user,
        )
        session.add(new_area)
        session.flush()
        # Reports by admin unit count its released land where it lies, as for any area recorded without codes.
        settle_admin_codes(session, new_area, HazardousAreaFields(), geometry_changed=True)
        # Its release takes all of it and closes it (open → worked on → closed, recorded), as any exhausted area.
        counting.append((new_area, apply_release(land, released)))
    session.flush()
    session.execute(
        insert(activity_hazardous_area), [{"activity_id": activity.id, "hazardous_area_id": a.id} for a, _ in counting]
    )
    release_ids = {
        area.id: book_release(
            session,
            area,
            outcome,
            submitted=released,
            activity_id=activity.id,
            kind=kind,
            method=method,
            released_on=released_on,
            released_on_precision=released_on_precision,
            source=source,
            external_id=external_id,
            notes=notes,
            user=user,
        ).id
        for area, outcome in counting
    }
    refresh_quality(session, list(release_ids))  # overlaps are measured on remaining land, which just shrank
    return HistoricRelease(
        activity_id=activity.id,
        release_ids=release_ids,
        area_ids=tuple(area.id for area, _ in plan.counting),
        new_area_id=new_area.id if new_area is not None else None,
        submitted_m2=plan.submitted_m2,
        counted_m2=sum(outcome.counted_m2 for _, outcome in counting),
        outside_m2=ellipsoid_area_m2(plan.outside),
        overlap_m2=plan.overlap_m2,
    )


@dataclass(frozen=True)
class _Plan:
    """The account of one released polygon over the recorded areas, before anything is written."""

    counting: tuple[tuple[HazardousArea, ReleaseOutcome], ...]  # live areas where it counts land, in id order
    outside: MultiPolygon  # on no recorded area
    submitted_m2: float
    overlap_m2: float


def _plan(released: MultiPolygon, recorded: list[HazardousArea]) -> _Plan:
    """Apply the polygon to each live area's account; measure what lies on no area and on land released before.

    Outside is measured against the areas' original polygons, not their remaining land: land an
    area released before is an overlap (counted then), never land nobody recorded.
    """
    outcomes = [(area, apply_release(account_of(area), released)) for area in recorded if _live(area)]
    counting = tuple((area, outcome) for area, outcome in outcomes if outcome.counted_m2 >= EXHAUSTED_M2)
    recorded_land = shapely.union_all([to_shape(area.geom) for area in recorded])
    on_recorded = polygonal(shapely.intersection(released, recorded_land))
    counted = polygonal(shapely.union_all([outcome.counted for _, outcome in counting]))
    submitted_m2, on_recorded_m2, counted_m2 = ellipsoid_areas_m2([released, on_recorded, counted]).tolist()
    return _Plan(
        counting=counting,
        outside=_without_noise(polygonal(shapely.difference(released, recorded_land))),
        submitted_m2=submitted_m2,
        overlap_m2=max(on_recorded_m2 - counted_m2, 0.0),
    )


def _without_noise(land: MultiPolygon) -> MultiPolygon:
    """Its pieces of 1 m² or more: smaller ones are cracks between a polygon drawn along an area's edge and the edge."""
    parts = shapely.get_parts(land)
    return MultiPolygon(list(parts[ellipsoid_areas_m2(parts) >= EXHAUSTED_M2]))


def _check_words(kind: str, precision: str, classification: str) -> None:
    """The kind, the date's precision and the new area's classification come from the vocabulary."""
    for value, words, field in (
        (kind, RELEASE_KINDS, "kind"),
        (precision, RELEASE_DATE_PRECISIONS, "released_on_precision"),
        (classification, CLASSIFICATIONS, "classification_of_new_area"),
    ):
        if value not in words:
            raise Invalid(f"{field} {value!r} is not one of {', '.join(words)}", field=field)


def _refuse_recorded_before(session: Session, source: str, external_id: str) -> None:
    """A (source, external id) is recorded once: a second run would count the same land again."""
    releases = list(
        session.scalars(
            select(Release.id).where(Release.source == source, Release.external_id == external_id).order_by(Release.id)
        )
    )
    if releases:
        raise Conflict(
            f"release {external_id!r} from source {source!r} is already recorded (releases "
            f"{', '.join(map(str, releases))}): its land is not counted twice",
            existing_release_ids=releases,
        )
    activity = session.scalar(
        select(Activity.id).where(Activity.source == source, Activity.external_id == f"{external_id}/release")
    )
    if activity is not None:
        raise Conflict(
            f"release {external_id!r} from source {source!r} was recorded before by activity {activity}",
            existing_id=activity,
        )


def _locked_areas_under(session: Session, released: MultiPolygon) -> list[HazardousArea]:
    """Every recorded (not deleted) area the polygon touches, locked in id order, as everywhere."""
    # Closed and handed-over areas are locked too: their land is recorded land, never new land.
    shape = from_shape(released, srid=4326)
    query = (
        select(HazardousArea)
        .where(func.ST_Intersects(HazardousArea.geom, shape), HazardousArea.deleted_at.is_(None))
        .order_by(HazardousArea.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(query))


def _live(area: HazardousArea) -> bool:
    return area.status in LIVE_AREA_STATUSES
