"""`/api/v1/audit`: every change, who made it, when, and the values before and after."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.params import page_limit
from app.api.responses import page_links, split_page
from app.domain.vocabulary import AuditAction
from app.schemas.audit import AuditEntryPublic, AuditPage
from app.services.audit_trail import AuditFilter, list_entries
from app.services.pagination import decode_cursor

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("", response_model=AuditPage)
def audit_trail(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: Caller,
    user: Annotated[str | None, Query(description="Changes made by this user (username)")] = None,
    organisation_id: Annotated[
        int | None, Query(ge=1, le=2**63 - 1, description="Changes made by users of this organisation")
    ] = None,
    entity: Annotated[
        str | None, Query(description="Changes to this kind of record", examples=["hazardous_area"])
    ] = None,
    record_id: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="Changes to this record")] = None,
    action: Annotated[
        AuditAction | None, Query(description="Only creations, updates, deletions or restorations")
    ] = None,
    since: Annotated[datetime | None, Query(description="Changes at or after this time")] = None,
    until: Annotated[datetime | None, Query(description="Changes before this time")] = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> AuditPage:
    """Units of work (requests, commands) that changed records, oldest first, each with its changes.

    One record's history: `?entity=hazardous_area&record_id=12`; what was deleted: `?action=delete`.
    """
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    flt = AuditFilter(
        user=user,
        organisation_id=organisation_id,
        entity=entity,
        record_id=record_id,
        action=action,
        since=since,
        until=until,
    )
    rows = list_entries(session, flt, actor=actor, after_id=decode_cursor(cursor), limit=size + 1)
    page, more = split_page(rows, size)
    return AuditPage(
        items=[AuditEntryPublic.model_validate(e) for e in page],
        numberReturned=len(page),
        links=page_links(request, page[-1]["id"] if more else None, size, "application/json"),
    )
