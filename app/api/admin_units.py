"""`/api/v1/admin-units`: the admin units loaded from boundary files, for filters and forms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import SessionDep
from app.schemas.admin_unit import AdminUnitList, AdminUnitPublic
from app.services.registry.admin_units import list_admin_units

router = APIRouter(prefix="/api/v1/admin-units", tags=["admin units"])


@router.get("", response_model=AdminUnitList)
def admin_units(
    session: SessionDep,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, e.g. UA")] = None,
    level: Annotated[int | None, Query(ge=1, le=3, description="1 oblast, 2 raion, 3 hromada")] = None,
    parent_code: Annotated[str | None, Query(max_length=32, description="units inside this one, e.g. UA63")] = None,
) -> AdminUnitList:
    """Loaded admin units (no polygons): the codes areas carry, with their names and parents."""
    rows = list_admin_units(session, country=country, level=level, parent_code=parent_code)
    return AdminUnitList(items=[AdminUnitPublic.model_validate(dict(row)) for row in rows], numberReturned=len(rows))
