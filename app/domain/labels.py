"""What each value of a fixed vocabulary is called, in English and (through app/i18n/uk/vocabulary.po) Ukrainian.

Screens, reports and exports never show a code such as `SHA`, `worked_on` or `ap_mine`: they show
`vocabulary_label("area_status", "worked_on", language)`. The English labels are here, keyed by the
vocabulary's name and value; the Ukrainian ones are in the catalogue, with the vocabulary's name as
the message context (the same English word may need two Ukrainian forms: a cancelled activity,
cancelled land). Lists a programme tailors (contamination types, methods, …) are lookup rows with
their own translations: `app.services.registry.lookups.label_of`. docs/languages.md.
"""

from __future__ import annotations

from app.domain.access import ROLES
from app.domain.vocabulary import (
    ACCIDENT_TYPES,
    ACTIVITY_STATUSES,
    ACTIVITY_TYPES,
    AGE_BANDS,
    AREA_STATUSES,
    CLASSIFICATIONS,
    DATE_PRECISIONS,
    DEVICE_FATES,
    DEVICE_PERSISTENCE,
    EVIDENCE_KINDS,
    IMPORT_KINDS,
    IMPORT_OUTCOMES,
    IMPORT_STATUSES,
    ORGANISATION_KINDS,
    QUALITY_FLAG_KINDS,
    RELEASE_KINDS,
    SEXES,
    SOURCE_RELIABILITY,
    TASK_STATUSES,
    VICTIM_OUTCOMES,
    VICTIM_ROLES,
)
from app.i18n import pgettext

# English labels by vocabulary, then value. Sentence case, as they stand alone in a list or a cell.
LABELS: dict[str, dict[str, str]] = {
    "classification": {"SHA": "Suspected hazardous area (SHA)", "CHA": "Confirmed hazardous area (CHA)"},
    "area_status": {"open": "Open", "worked_on": "Worked on", "closed": "Closed", "handed_over": "Handed over"},
    "release_kind": {"cancelled": "Cancelled", "reduced": "Reduced", "cleared": "Cleared"},
    "activity_type": {
        "nts": "Non-technical survey",
        "ts": "Technical survey",
        "clearance": "Clearance",
        "bac": "Battle area clearance",
        "eod_spot_task": "EOD spot task",
    },
    "activity_status": {
        "planned": "Planned",
        "ongoing": "Ongoing",
        "suspended": "Suspended",
        "completed": "Completed",
        "cancelled": "Cancelled",
    },
    "task_status": {
        "draft": "Draft",
        "assigned": "Assigned",
        "in_progress": "In progress",
        "suspended": "Suspended",
        "completed": "Completed",
        "qa_passed": "Passed quality assurance",
        "qa_failed": "Failed quality assurance",
    },
    "accident_type": {
        "mine": "Mine",
        "uxo_axo": "Unexploded or abandoned ordnance",
        "cluster": "Cluster munition",
        "ied": "Improvised explosive device",
        "demining_accident": "Demining accident",
        "other": "Other",
    },
    "device_fate": {
        "destroyed_in_situ": "Destroyed in place",
        "removed": "Removed",
        "rendered_safe": "Rendered safe",
    },
    "device_persistence": {
        "persistent": "Persistent",
        "self_deactivating": "Self-deactivating",
        "unknown": "Unknown",
    },
    "victim_outcome": {"killed": "Killed", "injured": "Injured"},
    "sex": {"female": "Female", "male": "Male", "unknown": "Unknown"},
    "age_band": {
        "0-4": "0–4 years",
        "5-17": "5–17 years",
        "18-59": "18–59 years",
        "60+": "60 and over",
        "unknown": "Unknown",
    },
    "victim_role": {"civilian": "Civilian", "deminer": "Deminer", "unknown": "Unknown"},
    "organisation_kind": {
        "ngo": "Non-governmental organisation",
        "commercial": "Commercial company",
        "state": "State body",
        "military": "Military",
        "national_authority": "National mine action authority",
        "donor": "Donor",
        "other": "Other",
    },
    "evidence_kind": {"direct": "Direct", "indirect": "Indirect"},
    "source_reliability": {
        "A": "A: completely reliable",
        "B": "B: usually reliable",
        "C": "C: fairly reliable",
        "D": "D: not usually reliable",
        "E": "E: unreliable",
        "F": "F: reliability cannot be judged",
    },
    "date_precision": {"day": "Day", "month": "Month", "year": "Year", "unknown": "Unknown"},
    "quality_flag_kind": {
        "sliver": "Sliver",
        "duplicate_geometry": "Duplicate geometry",
        "overlap": "Overlap",
        "geometry_repaired": "Geometry repaired",
        "outside_country": "Outside the country",
        "date_unknown": "Date unknown",
    },
    "import_kind": {
        "hazardous_areas": "Hazardous areas",
        "releases": "Released land",
        "activities": "Activities",
        "devices_found": "Devices found",
        "accidents": "Accidents",
    },
    "import_status": {
        "queued": "Queued",
        "running": "Running",
        "done": "Done",
        "failed": "Failed",
        "cancelled": "Cancelled",
    },
    "import_outcome": {
        "created": "Created",
        "updated": "Updated",
        "repaired": "Repaired",
        "refused": "Refused",
        "skipped": "Skipped",
    },
    "role": {
        "admin": "Administrator",
        "coordinator": "Coordinator",
        "operator": "Operator",
        "donor": "Donor officer",
        "viewer": "Viewer",
    },
}

# Each labelled vocabulary's values (a test holds LABELS to them: a new value needs a label).
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "classification": CLASSIFICATIONS,
    "area_status": AREA_STATUSES,
    "release_kind": RELEASE_KINDS,
    "activity_type": ACTIVITY_TYPES,
    "activity_status": ACTIVITY_STATUSES,
    "task_status": TASK_STATUSES,
    "accident_type": ACCIDENT_TYPES,
    "device_fate": DEVICE_FATES,
    "device_persistence": DEVICE_PERSISTENCE,
    "victim_outcome": VICTIM_OUTCOMES,
    "sex": SEXES,
    "age_band": AGE_BANDS,
    "victim_role": VICTIM_ROLES,
    "organisation_kind": ORGANISATION_KINDS,
    "evidence_kind": EVIDENCE_KINDS,
    "source_reliability": SOURCE_RELIABILITY,
    "date_precision": DATE_PRECISIONS,
    "quality_flag_kind": QUALITY_FLAG_KINDS,
    "import_kind": IMPORT_KINDS,
    "import_status": IMPORT_STATUSES,
    "import_outcome": IMPORT_OUTCOMES,
    "role": ROLES,
}


def vocabulary_label(kind: str, value: str | None, language: str) -> str:
    """The label of `value` of vocabulary `kind` in `language`; an unknown value is shown as it is."""
    if value is None:
        return "–"
    english = LABELS.get(kind, {}).get(value)
    return pgettext(language, kind, english) if english else value


def vocabulary_labels(language: str) -> dict[str, dict[str, str]]:
    """{vocabulary: {value: label}} in `language`, for a page's scripts (`config.labels.area_status.worked_on`)."""
    return {
        kind: {value: pgettext(language, kind, label) for value, label in labels.items()}
        for kind, labels in LABELS.items()
    }
