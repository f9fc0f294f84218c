"""ORM models. Vocabulary follows IMAS and the IMSMA information model (docs/mine-action.md §2–3)."""

from app.db.models.account import ApiToken, LoginSession, User
from app.db.models.admin_unit import AdminUnit
from app.db.models.audit import AuditChange, AuditEntry
from app.db.models.base import Base, Created, Lookup, Recorded
from app.db.models.basemap_feature import BasemapFeature
from app.db.models.context import ContextFeature, ContextLayer, Settlement
from app.db.models.finds import Accident, DeviceFound, Victim, VictimIdentity
from app.db.models.funding import BeneficiaryCount, Donor, Expenditure, FundingAgreement
from app.db.models.hazardous_area import HazardousArea, HazardousAreaEvent
from app.db.models.importing import ImportJob, ImportMapping, ImportReportRow
from app.db.models.land_release import Activity, Release, activity_hazardous_area
from app.db.models.lookups import BlockageType, ContaminationType, EvidenceType, Method
from app.db.models.organisation import Organisation
from app.db.models.priority import (
    PriorityCurrent,
    PriorityRun,
    PriorityScenario,
    PriorityScenarioVersion,
    PriorityScore,
    PriorityStale,
)
from app.db.models.quality import QualityFlag
from app.db.models.tasking import Task, TaskDeconfliction, TaskEvent, TaskProgressReport, task_hazardous_area

__all__ = [
    "Accident",
    "Activity",
    "AdminUnit",
    "ApiToken",
    "AuditChange",
    "AuditEntry",
    "Base",
    "BasemapFeature",
    "BeneficiaryCount",
    "BlockageType",
    "ContaminationType",
    "ContextFeature",
    "ContextLayer",
    "Created",
    "DeviceFound",
    "Donor",
    "EvidenceType",
    "Expenditure",
    "FundingAgreement",
    "HazardousArea",
    "HazardousAreaEvent",
    "ImportJob",
    "ImportMapping",
    "ImportReportRow",
    "LoginSession",
    "Lookup",
    "Method",
    "Organisation",
    "PriorityCurrent",
    "PriorityRun",
    "PriorityScenario",
    "PriorityScenarioVersion",
    "PriorityScore",
    "PriorityStale",
    "QualityFlag",
    "Recorded",
    "Release",
    "Settlement",
    "Task",
    "TaskDeconfliction",
    "TaskEvent",
    "TaskProgressReport",
    "User",
    "Victim",
    "VictimIdentity",
    "activity_hazardous_area",
    "task_hazardous_area",
]
