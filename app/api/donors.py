"""`/api/v1/donors`: who funds mine action."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from app.api.access import Caller
from app.api.deps import SessionDep, SettingsDep
from app.api.params import page_limit
from app.api.responses import page_links, split_page
from app.schemas.funding import DonorCreate, DonorPage, DonorPublic
from app.services.funding import agreements as service
from app.services.pagination import decode_cursor

router = APIRouter(prefix="/api/v1/donors", tags=["funding"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such donor"},
    409: {"description": "Name already used"},
    410: {"description": "The donor was deleted"},
}


@router.get("", response_model=DonorPage)
def list_donors(
    request: Request, session: SessionDep, settings: SettingsDep, limit: int | None = None, cursor: str | None = None
) -> DonorPage:
    """Live donors, in pages linked by `next`."""
    size = page_limit(limit, settings.page_limit_default, settings.page_limit_max)
    page, more = split_page(service.list_donors(session, after_id=decode_cursor(cursor), limit=size + 1), size)
    return DonorPage(
        items=[DonorPublic.model_validate(d, from_attributes=True) for d in page],
        numberReturned=len(page),
        links=page_links(request, page[-1].id if more else None, size, "application/json"),
    )


@router.post("", status_code=201, response_model=DonorPublic, responses={409: ERRORS[409]})
def create_donor(body: DonorCreate, session: SessionDep, actor: Caller) -> DonorPublic:
    """Register a donor."""
    return DonorPublic.model_validate(service.create_donor(session, body, actor=actor), from_attributes=True)


@router.get("/{donor_id}", response_model=DonorPublic, responses={404: ERRORS[404], 410: ERRORS[410]})
def get_donor(donor_id: int, session: SessionDep) -> DonorPublic:
    """One donor."""
    return DonorPublic.model_validate(service.get_donor(session, donor_id), from_attributes=True)
