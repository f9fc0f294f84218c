"""The audit trail as the API returns it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.domain.vocabulary import AuditAction
from app.schemas.common import Link


class AuditChangePublic(BaseModel):
    """What one unit of work did to one record: the fields it changed, before and after."""

    entity: str
    record_id: int
    action: AuditAction
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditEntryPublic(BaseModel):
    """One request (or command) that changed records: who, when, and every change."""

    id: int
    at: datetime
    user_name: str
    user_id: int | None
    organisation_id: int | None
    request: str
    request_id: str | None
    changes: list[AuditChangePublic]


class AuditPage(BaseModel):
    """A page of the audit trail, oldest first."""

    items: list[AuditEntryPublic]
    numberReturned: int
    links: list[Link]
