"""Health check and lookup lists."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import SessionDep
from app.api.json_body import JSONBody
from app.schemas.hazardous_area import LookupEntry
from app.services.registry.lookups import list_lookups

router = APIRouter(tags=["system"])


@router.get("/healthz", responses={503: {"description": "The database does not answer"}})
def healthz(session: SessionDep) -> JSONBody:
    """Whether the database answers, and its PostGIS version."""
    try:
        version = session.execute(text("SELECT postgis_lib_version()")).scalar_one()
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).splitlines()[0]
        return JSONBody({"status": "error", "database": "unreachable", "detail": reason}, status_code=503)
    return JSONBody({"status": "ok", "database": "ok", "postgis": version})


@router.get("/api/v1/lookups", response_model=dict[str, list[LookupEntry]])
def lookups(session: SessionDep) -> dict[str, Any]:
    """The lookup lists this programme uses: contamination types, evidence, blockages."""
    return list_lookups(session)
