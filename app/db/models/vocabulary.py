"""Fixed vocabularies of the IMAS / IMSMA model (domain.md §2–3). Tailorable lists are lookup tables."""

from __future__ import annotations

CLASSIFICATIONS = ("SHA", "CHA")
AREA_STATUSES = ("open", "worked_on", "closed", "handed_over")
DEVICE_PERSISTENCE = ("persistent", "self_deactivating", "unknown")
ORGANISATION_KINDS = ("ngo", "commercial", "state", "military", "national_authority", "donor", "other")
EVIDENCE_KINDS = ("direct", "indirect")
SOURCE_RELIABILITY = ("A", "B", "C", "D", "E", "F")

ACTIVITY_TYPES = ("nts", "ts", "clearance", "bac", "eod_spot_task")
ACTIVITY_STATUSES = ("planned", "ongoing", "suspended", "completed", "cancelled")
RELEASE_KINDS = ("cancelled", "reduced", "cleared")
AREA_EVENT_KINDS = ("status", "classification")

TASK_STATUSES = ("draft", "assigned", "in_progress", "suspended", "completed", "qa_passed", "qa_failed")

DEVICE_FATES = ("destroyed_in_situ", "removed", "rendered_safe")
ACCIDENT_TYPES = ("mine", "uxo_axo", "cluster", "ied", "demining_accident", "other")
VICTIM_OUTCOMES = ("killed", "injured")
SEXES = ("female", "male", "unknown")
AGE_BANDS = ("0-4", "5-17", "18-59", "60+", "unknown")
VICTIM_ROLES = ("civilian", "deminer", "unknown")
REACH_KINDS = ("direct", "indirect")


def check_in(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK constraint restricting `column` to `values`."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"
