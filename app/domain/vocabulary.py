"""Every fixed vocabulary of the IMAS / IMSMA model, once (docs/mine-action.md §2–3).

Each vocabulary is a `Literal` type, and its tuple is derived from it, so a schema, a model's
CHECK constraint, an API parameter and an SQL query can only ever agree. SQL never spells these
values: queries bind them as parameters or arrays. Lists a programme tailors (contamination
types, evidence, blockages, methods) are lookup tables, not vocabularies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Classification = Literal["SHA", "CHA"]
AreaStatus = Literal["open", "worked_on", "closed", "handed_over"]
DevicePersistence = Literal["persistent", "self_deactivating", "unknown"]
OrganisationKind = Literal["ngo", "commercial", "state", "military", "national_authority", "donor", "other"]
EvidenceKind = Literal["direct", "indirect"]
SourceReliability = Literal["A", "B", "C", "D", "E", "F"]

ActivityType = Literal["nts", "ts", "clearance", "bac", "eod_spot_task"]
ActivityStatus = Literal["planned", "ongoing", "suspended", "completed", "cancelled"]
ReleaseKind = Literal["cancelled", "reduced", "cleared"]
AreaEventKind = Literal["status", "classification"]

TaskStatus = Literal["draft", "assigned", "in_progress", "suspended", "completed", "qa_passed", "qa_failed"]
# A task is created as a draft or straight away assigned; later states come through its lifecycle.
NewTaskStatus = Literal["draft", "assigned"]

DeviceFate = Literal["destroyed_in_situ", "removed", "rendered_safe"]
AccidentType = Literal["mine", "uxo_axo", "cluster", "ied", "demining_accident", "other"]
VictimOutcome = Literal["killed", "injured"]
Sex = Literal["female", "male", "unknown"]
AgeBand = Literal["0-4", "5-17", "18-59", "60+", "unknown"]
VictimRole = Literal["civilian", "deminer", "unknown"]
ReachKind = Literal["direct", "indirect"]
PriorityRunKind = Literal["full", "incremental"]
AuditAction = Literal["create", "update", "delete", "restore"]
# How much of a date is known: a record from the field may say only the month, the year, or nothing.
DatePrecision = Literal["day", "month", "year", "unknown"]
QualityFlagKind = Literal[
    "sliver", "duplicate_geometry", "overlap", "geometry_repaired", "outside_country", "date_unknown"
]
ImportKind = Literal["hazardous_areas", "releases", "activities", "devices_found", "accidents"]
ImportStatus = Literal["queued", "running", "done", "failed", "cancelled"]
ImportOutcome = Literal["created", "updated", "repaired", "refused", "skipped"]

CLASSIFICATIONS: tuple[Classification, ...] = get_args(Classification)
AREA_STATUSES: tuple[AreaStatus, ...] = get_args(AreaStatus)
DEVICE_PERSISTENCE: tuple[DevicePersistence, ...] = get_args(DevicePersistence)
ORGANISATION_KINDS: tuple[OrganisationKind, ...] = get_args(OrganisationKind)
EVIDENCE_KINDS: tuple[EvidenceKind, ...] = get_args(EvidenceKind)
SOURCE_RELIABILITY: tuple[SourceReliability, ...] = get_args(SourceReliability)
ACTIVITY_TYPES: tuple[ActivityType, ...] = get_args(ActivityType)
ACTIVITY_STATUSES: tuple[ActivityStatus, ...] = get_args(ActivityStatus)
RELEASE_KINDS: tuple[ReleaseKind, ...] = get_args(ReleaseKind)
AREA_EVENT_KINDS: tuple[AreaEventKind, ...] = get_args(AreaEventKind)
TASK_STATUSES: tuple[TaskStatus, ...] = get_args(TaskStatus)
DEVICE_FATES: tuple[DeviceFate, ...] = get_args(DeviceFate)
ACCIDENT_TYPES: tuple[AccidentType, ...] = get_args(AccidentType)
VICTIM_OUTCOMES: tuple[VictimOutcome, ...] = get_args(VictimOutcome)
SEXES: tuple[Sex, ...] = get_args(Sex)
AGE_BANDS: tuple[AgeBand, ...] = get_args(AgeBand)
VICTIM_ROLES: tuple[VictimRole, ...] = get_args(VictimRole)
REACH_KINDS: tuple[ReachKind, ...] = get_args(ReachKind)
PRIORITY_RUN_KINDS: tuple[PriorityRunKind, ...] = get_args(PriorityRunKind)
AUDIT_ACTIONS: tuple[AuditAction, ...] = get_args(AuditAction)
DATE_PRECISIONS: tuple[DatePrecision, ...] = get_args(DatePrecision)
QUALITY_FLAG_KINDS: tuple[QualityFlagKind, ...] = get_args(QualityFlagKind)
IMPORT_KINDS: tuple[ImportKind, ...] = get_args(ImportKind)
RELEASE_DATE_PRECISIONS: tuple[DatePrecision, ...] = ("day", "month", "year")
UNKNOWN_DATE: tuple[DatePrecision, ...] = ("unknown",)
# Dates whose month is known: only these go into monthly series and recency weights.
MONTH_KNOWN: tuple[DatePrecision, ...] = ("day", "month")
IMPORT_STATUSES: tuple[ImportStatus, ...] = get_args(ImportStatus)
IMPORT_OUTCOMES: tuple[ImportOutcome, ...] = get_args(ImportOutcome)

# --- sets derived from the vocabularies -----------------------------------------------------------
# Areas that still hold land to release: they are ranked, counted as remaining and drawn as live.
LIVE_AREA_STATUSES: tuple[AreaStatus, ...] = ("open", "worked_on")
# Tasks that hold ground: two of them may not overlap without a recorded override.
ACTIVE_TASK_STATUSES: tuple[TaskStatus, ...] = ("assigned", "in_progress", "suspended")
# Tasks on which work has started: they take progress reports.
WORK_STARTED_TASK_STATUSES: tuple[TaskStatus, ...] = ("in_progress", "suspended", "completed")
# Quality assurance of completed work: the authority's verdict, never the operator's own.
QA_TASK_STATUSES: tuple[TaskStatus, ...] = ("qa_passed", "qa_failed")
# Activities under way or done: they may release land, and they mark their areas worked on.
WORKING_ACTIVITY_STATUSES: tuple[ActivityStatus, ...] = ("ongoing", "completed")
# The land-release product each activity type yields (IMAS 07.11): NTS cancels, TS reduces,
# clearance and BAC clear; an EOD spot task releases no land.
RELEASE_KIND_OF_ACTIVITY: dict[str, ReleaseKind] = {  # keyed by ActivityType
    "nts": "cancelled",
    "ts": "reduced",
    "clearance": "cleared",
    "bac": "cleared",
}
# Victims under 18 (donors ask for children separately).
CHILD_AGE_BANDS: tuple[AgeBand, ...] = ("0-4", "5-17")


@dataclass(frozen=True)
class RankBand:
    """A band of the national ranking: ranks up to `up_to_rank` (None: every rank beyond) and its label."""

    up_to_rank: int | None
    label: str


# The dashboard colours areas by these bands; the labels name them in the legend and the list.
RANK_BANDS: tuple[RankBand, ...] = (
    RankBand(10, "top 10"),
    RankBand(50, "11–50"),
    RankBand(250, "51–250"),
    RankBand(None, "below 250"),
)
RANK_BAND_LIMITS: tuple[int, ...] = tuple(b.up_to_rank for b in RANK_BANDS if b.up_to_rank is not None)


def check_in(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK constraint restricting `column` to `values` (DDL only: queries bind values)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# Bound parameters for SQL, so that queries name values without spelling them: `:v_SHA`,
# `:v_killed`, … for single values, and the derived sets as arrays (`= ANY(:live_statuses)`).
_VOCABULARIES = (
    CLASSIFICATIONS,
    AREA_STATUSES,
    ACTIVITY_TYPES,
    ACTIVITY_STATUSES,
    RELEASE_KINDS,
    AREA_EVENT_KINDS,
    TASK_STATUSES,
    DEVICE_FATES,
    ACCIDENT_TYPES,
    VICTIM_OUTCOMES,
    SEXES,
    VICTIM_ROLES,
    REACH_KINDS,
    PRIORITY_RUN_KINDS,
)
SQL_VALUES: dict[str, str | list[str]] = {
    **{f"v_{value}": value for vocabulary in _VOCABULARIES for value in vocabulary},
    "live_statuses": list(LIVE_AREA_STATUSES),
    "active_task_statuses": list(ACTIVE_TASK_STATUSES),
    "child_age_bands": list(CHILD_AGE_BANDS),
}
